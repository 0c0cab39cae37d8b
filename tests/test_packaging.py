"""Start-up stays light, and the wheel carries the schemas and docs and works outside the source
tree."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import REPO, make_site

HEAVY = ("git", "jsonschema", "referencing")


def imported_modules(*args: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-X", "importtime", *args], capture_output=True, text=True, check=True
    )
    return {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if "|" in line}


@pytest.mark.parametrize("flag", ["--help", "--version"])
def test_help_and_version_import_no_heavy_library(flag: str) -> None:
    modules = imported_modules("-m", "pagemgr", flag)
    assert "click" in modules
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_check_help_is_light_too() -> None:
    modules = imported_modules("-m", "pagemgr", "check", "--help")
    assert not {m for m in modules if m.split(".")[0] in HEAVY}


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "pagemgr", "--version"], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "pagemgr, version 0.1.0"


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """A fresh virtual environment with the wheel built from this checkout installed."""
    tmp_path = tmp_path_factory.mktemp("wheel")
    dist = tmp_path / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        capture_output=True,
        timeout=300,
    )
    wheel = next(dist.glob("pagemgr-*.whl"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    subprocess.run(
        [str(env_dir / "bin" / "python"), "-m", "pip", "install", "-q", str(wheel)],
        check=True,
        capture_output=True,
        timeout=600,
    )
    yield env_dir
    shutil.rmtree(env_dir)


def test_wheel_installs_and_checks_outside_the_source_tree(installed: Path, tmp_path: Path) -> None:
    env_dir = installed
    python = env_dir / "bin" / "python"
    site = make_site(tmp_path)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    result = subprocess.run(
        [str(env_dir / "bin" / "pagemgr"), "check", "--site", str(site)],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=env,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "4 files, 0 errors, 0 warnings"
    where = subprocess.run(
        [str(python), "-c", "import pagemgr.check.schemas as s; print(s.bundled_dir())"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(env_dir)) and Path(where, "publication.schema.json").is_file()
    parser = subprocess.run(
        [str(python), "-c", "import ruamel.yaml.cyaml as c; print(c.__yaml_lib)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        check=True,
    ).stdout.strip()
    assert parser == "clib"


def test_the_wheel_carries_the_docs_that_help_and_errors_name(
    installed: Path, tmp_path: Path
) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH",)}
    python = str(installed / "bin" / "python")
    where = subprocess.run(
        [python, "-c", "import pagemgr.check.rules as r; print(r.docs_dir())"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        check=True,
    ).stdout.strip()
    assert where.startswith(str(installed))
    for name in ("rules.md", "fixes.md", "schemas.md", "output-formats.md"):
        assert Path(where, name).read_bytes() == (REPO / "docs" / name).read_bytes()
    # every page of docs/ (pyproject.toml lists them), and not the screenshots in docs/images
    shipped = sorted(path.name for path in Path(where).iterdir())
    assert shipped == sorted(path.name for path in (REPO / "docs").glob("*.md"))
    shown = subprocess.run(
        [str(installed / "bin" / "pagemgr"), "rules", "date-mismatch"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=60,
    )
    assert shown.returncode == 0, shown.stderr
    assert shown.stdout.startswith("## date-mismatch\n")
    assert "Bad:" in shown.stdout and "Good:" in shown.stdout


def test_only_libyaml_imports_ruamel_and_only_git_py_imports_gitpython() -> None:
    importers: dict[str, set[str]] = {"ruamel": set(), "_ruamel_yaml": set(), "git": set()}
    for path in (REPO / "src" / "pagemgr").rglob("*.py"):
        typing_only = False  # imports under `if TYPE_CHECKING:` never run
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                typing_only = line.startswith("if TYPE_CHECKING") or (
                    typing_only and line[0] == " "
                )
            words = line.split()
            if not typing_only and len(words) >= 2 and words[0] in ("import", "from"):
                top = words[1].split(".")[0]
                if top in importers:
                    importers[top].add(path.relative_to(REPO / "src").as_posix())
    assert importers["ruamel"] | importers["_ruamel_yaml"] == {"pagemgr/yaml/libyaml.py"}
    assert importers["git"] == {"pagemgr/publish/git.py"}


def test_the_quick_exit_delivers_all_output_and_the_exit_code(tmp_path: Path) -> None:
    """The process ends without the interpreter's teardown: output larger than a pipe's buffer
    still arrives whole, and every exit code comes through."""
    site = make_site(tmp_path)
    for number in range(400):
        (site / "_publications" / f"2021-x{number}.md").write_text('---\ntitle: "X"\n---\n')
    command = [sys.executable, "-m", "pagemgr", "check", "--site", str(site), "--format", "json"]
    found = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert found.returncode == 1, found.stderr
    assert len(found.stdout) > 1 << 16
    assert len(json.loads(found.stdout)["findings"]) >= 800
    usage = subprocess.run([*command, "--no-such-option"], capture_output=True, text=True)
    assert usage.returncode == 2 and "No such option" in usage.stderr
    clean = subprocess.run(
        [sys.executable, "-m", "pagemgr", "check", "--site", str(make_site(tmp_path / "b"))],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert clean.returncode == 0 and clean.stdout.strip() == "4 files, 0 errors, 0 warnings"
