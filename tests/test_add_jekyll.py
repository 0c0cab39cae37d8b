"""A publication added by `pagemgr add` renders with Debian's real Jekyll and is listed."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import run_cli

SITE_DIR = Path(__file__).resolve().parents[1] / "site"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def require_jekyll() -> str:
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        if os.environ.get("PAGEMGR_REQUIRE_JEKYLL") == "1":
            pytest.fail("jekyll is not installed and PAGEMGR_REQUIRE_JEKYLL=1 is set")
        pytest.skip(
            "jekyll not installed: apt-get install jekyll (set PAGEMGR_REQUIRE_JEKYLL=1 "
            "to make this a failure)"
        )
    return jekyll


def test_added_publication_renders_and_is_listed(tmp_path: Path) -> None:
    jekyll = require_jekyll()
    site = tmp_path / "site"
    shutil.copytree(SITE_DIR, site, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    title = 'Référendum: "Quoted" & Colons: A Study'
    result = run_cli(
        "add",
        "publication",
        "--site",
        site,
        "--title",
        title,
        "--venue",
        "Journal of Tests & Things",
        "--date",
        "2024-03-05",
        "--category",
        "conferences",
        "--author",
        "Wentao Li",
        "--paperurl",
        "https://example.org/paper.pdf",
    )
    assert result.exit_code == 0, result.stderr
    rel = result.stdout.strip()
    assert rel == "_publications/referendum-quoted-colons-a-study.md"  # the site's date-less style
    check = run_cli("check", "--site", site, site / rel)
    assert check.exit_code == 0, check.stdout + check.stderr
    out = tmp_path / "out"
    proc = subprocess.run(
        [jekyll, "build", "-d", str(out)],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true"),
    )
    stderr = ANSI.sub("", proc.stderr)
    assert proc.returncode == 0, proc.stdout + stderr
    assert "Conflict" not in stderr and "Error" not in stderr, stderr
    page = (out / "publication" / "referendum-quoted-colons-a-study.html").read_text("utf-8")
    assert "Référendum: &quot;Quoted&quot; &amp; Colons: A Study" in page or (
        'Référendum: "Quoted" &amp; Colons: A Study' in page
    )
    assert "Journal of Tests &amp; Things" in page
    assert "&amp;amp;" not in page and "&amp;quot;" not in page
    listing = (out / "publications" / "index.html").read_text("utf-8")
    heading = listing.index("<h2>Conference Papers</h2>")
    link = listing.index('href="/publication/referendum-quoted-colons-a-study"')
    assert heading < link
