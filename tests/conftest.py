from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from pagemgr.cli import main

REPO = Path(__file__).resolve().parents[1]
EXAMPLES = Path(__file__).with_name("examples")
SHARED = REPO.parent / "shared"


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def run_cli(*args: str | Path) -> CliResult:
    runner = CliRunner()
    result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
    return CliResult(result.exit_code, result.stdout, result.stderr)


def make_site(tmp_path: Path, *overlays: Path) -> Path:
    """The base example site with each overlay folder copied on top, in tmp_path/site."""
    site = tmp_path / "site"
    shutil.copytree(EXAMPLES / "base", site)
    for overlay in overlays:
        shutil.copytree(
            overlay, site, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt")
        )
    return site


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")


JEKYLL_INSTALL_HINT = (
    "jekyll not installed: apt-get install jekyll ruby-jekyll-feed "
    "ruby-jekyll-sitemap ruby-jekyll-redirect-from"
)


def require_jekyll() -> str:
    """The path of the jekyll executable; skip the test without it, or fail when
    PAGEMGR_REQUIRE_JEKYLL=1 says it must be there."""
    import os

    jekyll = shutil.which("jekyll")
    if jekyll is None:
        if os.environ.get("PAGEMGR_REQUIRE_JEKYLL") == "1":
            pytest.fail(JEKYLL_INSTALL_HINT + " (PAGEMGR_REQUIRE_JEKYLL=1 is set)")
        pytest.skip(JEKYLL_INSTALL_HINT)
    return jekyll
