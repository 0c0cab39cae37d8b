"""`pagemgr install-hook` creates or losslessly extends .pre-commit-config.yaml with a hook
pre-commit installs pagemgr for (a repository at a pinned commit), or with `--system` one that runs
the pagemgr on PATH."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import REPO, make_site, run_cli
from git_installed import GitInstalled, git_installed_pagemgr
from pagemgr.publish.provenance import this_installation
from pagemgr.yaml import yamlio

EXISTING = """\
# our hooks
repos:
  # formatting
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0   # pinned
    hooks:
      - id: trailing-whitespace
"""
SOURCE = ("--source", "https://git.example.org/pagemgr.git", "--rev", "v0.1.0")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    make_site(tmp_path)
    return tmp_path


@pytest.fixture(scope="module")
def git_installed(tmp_path_factory: pytest.TempPathFactory) -> GitInstalled:
    return git_installed_pagemgr(tmp_path_factory)


def test_a_pagemgr_installed_from_git_writes_the_repository_hook_at_its_commit(
    git_installed: GitInstalled, repo: Path
) -> None:
    done = subprocess.run(
        [git_installed.pagemgr, "install-hook", "--site", "site", "--no-install"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert (repo / ".pre-commit-config.yaml").read_text() == (
        "repos:\n"
        f"  - repo: {git_installed.url}\n"
        f"    rev: {git_installed.commit}\n"
        "    hooks:\n"
        "      - id: pagemgr-check\n"
        r"        files: ^site/(_config\.yml|_data/.*\.(ya?ml|json)|.*\.(md|markdown|html))$"
        "\n"
    )


def test_an_install_with_no_git_source_is_refused_naming_the_options(repo: Path) -> None:
    if this_installation().url is not None:
        pytest.skip("this pagemgr was installed from git; the editable install is refused")
    refused = run_cli("install-hook", "--site", repo / "site", "--no-install")
    assert refused.exit_code == 2
    assert "pass --source URL and --rev TAG_OR_COMMIT" in refused.stderr
    assert "or --system to run the pagemgr on PATH" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert not (repo / ".pre-commit-config.yaml").exists()


def test_the_system_hook_on_request_for_a_site_in_a_subfolder(repo: Path) -> None:
    result = run_cli("install-hook", "--site", repo / "site", "--system", "--no-install")
    assert result.exit_code == 0, result.stderr
    text = (repo / ".pre-commit-config.yaml").read_text()
    assert "entry: pagemgr check --hook" in text and "language: system" in text
    assert r"files: ^site/(_config\.yml|" in text


def test_system_takes_no_source(repo: Path) -> None:
    refused = run_cli("install-hook", "--site", repo / "site", "--system", *SOURCE)
    assert refused.exit_code == 2 and "--system" in refused.stderr
    assert not (repo / ".pre-commit-config.yaml").exists()


def test_extends_an_existing_config_without_touching_it(repo: Path) -> None:
    config = repo / ".pre-commit-config.yaml"
    config.write_text(EXISTING)
    assert run_cli("install-hook", "--site", repo / "site", *SOURCE, "--no-install").exit_code == 0
    text = config.read_text()
    assert text.startswith(EXISTING)
    assert text[len(EXISTING) :] == (
        "  - repo: https://git.example.org/pagemgr.git\n"
        "    rev: v0.1.0\n"
        "    hooks:\n"
        "      - id: pagemgr-check\n"
        r"        files: ^site/(_config\.yml|_data/.*\.(ya?ml|json)|.*\.(md|markdown|html))$"
        "\n"
    )
    again = run_cli("install-hook", "--site", repo / "site", "--no-install")
    assert again.exit_code == 0 and "nothing to change" in again.stderr
    assert config.read_text() == text


def test_an_existing_system_hook_is_kept_and_the_way_to_switch_is_said(repo: Path) -> None:
    site = repo / "site"
    assert run_cli("install-hook", "--site", site, "--system", "--no-install").exit_code == 0
    config = repo / ".pre-commit-config.yaml"
    written = config.read_text()
    again = run_cli("install-hook", "--site", site, *SOURCE, "--no-install")
    assert again.exit_code == 0
    assert "(repo: local); nothing to change" in again.stderr
    assert "delete that entry and run install-hook again" in again.stderr
    assert config.read_text() == written


def test_url_is_still_accepted_and_dry_run_writes_nothing(repo: Path) -> None:
    config = repo / ".pre-commit-config.yaml"
    config.write_text(EXISTING)
    result = run_cli(
        "install-hook",
        "--site",
        repo / "site",
        "--url",
        "https://example.org/pagemgr.git",
        "--rev",
        "v0.1.0",
        "--dry-run",
    )
    assert result.exit_code == 0
    assert "+  - repo: https://example.org/pagemgr.git" in result.stdout
    assert "+    rev: v0.1.0" in result.stdout
    assert config.read_text() == EXISTING


def test_a_repos_key_that_is_not_a_list_is_refused(repo: Path) -> None:
    config = repo / ".pre-commit-config.yaml"
    config.write_text("repos: 3\n")
    result = run_cli("install-hook", "--site", repo / "site", "--system", "--no-install")
    assert result.exit_code == 1 and "'repos' is not a list" in result.stderr
    assert config.read_text() == "repos: 3\n"


def test_every_hook_runs_in_one_process() -> None:
    """Without `require_serial`, pre-commit splits the staged files over one process per core,
    and each process loads and indexes the whole site as context: the same work done again."""
    from pagemgr.publish.hook_config import system_entry

    manifest = yamlio.load((REPO / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")).data
    assert {hook["id"]: hook.get("require_serial") for hook in manifest} == {
        "pagemgr-check": True,
        "pagemgr-fix": True,
    }
    assert [hook["require_serial"] for hook in system_entry("")["hooks"]] == [True]
