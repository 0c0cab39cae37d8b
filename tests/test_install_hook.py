"""`pagemgr install-hook` creates or losslessly extends .pre-commit-config.yaml."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from conftest import make_site, run_cli

EXISTING = """\
# our hooks
repos:
  # formatting
  - repo: https://github.com/pre-commit/pre-commit-hooks
    rev: v4.6.0   # pinned
    hooks:
      - id: trailing-whitespace
"""


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    make_site(tmp_path)
    return tmp_path


def test_creates_a_local_hook_for_a_site_in_a_subfolder(repo: Path) -> None:
    result = run_cli("install-hook", "--site", repo / "site", "--no-install")
    assert result.exit_code == 0, result.stderr
    text = (repo / ".pre-commit-config.yaml").read_text()
    assert "entry: pagemgr check --hook" in text and "language: system" in text
    assert r"files: ^site/(_config\.yml|" in text


def test_extends_an_existing_config_without_touching_it(repo: Path) -> None:
    config = repo / ".pre-commit-config.yaml"
    config.write_text(EXISTING)
    assert run_cli("install-hook", "--site", repo / "site", "--no-install").exit_code == 0
    text = config.read_text()
    assert text.startswith(EXISTING)
    assert text[len(EXISTING) :].startswith(
        "  - repo: local\n    hooks:\n      - id: pagemgr-check\n"
    )
    again = run_cli("install-hook", "--site", repo / "site", "--no-install")
    assert again.exit_code == 0 and "nothing to change" in again.stderr
    assert config.read_text() == text


def test_remote_variant_and_dry_run(repo: Path) -> None:
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
    result = run_cli("install-hook", "--site", repo / "site", "--no-install")
    assert result.exit_code == 1 and "'repos' is not a list" in result.stderr
    assert config.read_text() == "repos: 3\n"
