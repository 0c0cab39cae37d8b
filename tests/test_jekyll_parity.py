"""Jekyll parity: build small sites with the real Jekyll and hold pagemgr to what it shows.

For each fixture site, Jekyll's own complaints (Conflict, YAML Exception, Build Warning,
Invalid date) and its silent drops (a source document whose unique marker appears in no page of
_site) name the files at fault; pagemgr must report each of those files. On a site Jekyll builds
cleanly and renders completely, pagemgr must report nothing.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import require_jekyll, run_cli

ANSI = re.compile(r"\x1b\[[0-9;]*m")
CONFIG = """\
title: "Parity"
url: https://example.github.io
baseurl: ""
include: ["_pages"]
collections:
  publications:
    output: true
    permalink: /:collection/:path/
defaults:
  - scope: {path: "", type: publications}
    values: {layout: default}
plugins:
  - jekyll-redirect-from
"""
BASE: dict[str, str] = {
    "_config.yml": CONFIG,
    "_layouts/default.html": "<html><body>{{ content }}</body></html>\n",
    "_pages/about.md": "---\ntitle: About\npermalink: /\n---\nMARK-about\n",
    "_pages/talks.md": "---\ntitle: Talks\npermalink: /talks/\n---\nMARK-talks\n",
    "_data/navigation.yml": "main:\n  - title: Talks\n    url: /talks/\n",
    "_publications/2020-01-01-paper.md": (
        '---\ntitle: "A Paper"\ncollection: publications\npermalink: '
        "/publication/2020-01-01-paper\ndate: 2020-01-01\nvenue: J\n---\nMARK-2020-01-01-paper\n"
    ),
    "_posts/2020-02-02-hello.md": "---\ntitle: Hello\n---\nMARK-2020-02-02-hello\n",
}


def publication(stem: str, extra: str = "", date: str = "2021-01-01") -> dict[str, str]:
    return {
        f"_publications/{stem}.md": (
            f'---\ntitle: "{stem}"\ncollection: publications\ndate: {date}\nvenue: J\n{extra}---\n'
            f"MARK-{stem}\n"
        )
    }


SCENARIOS: dict[str, dict[str, str]] = {
    "clean": {},
    "clean-with-redirects-and-posts": {
        "_pages/about.md": (
            "---\ntitle: About\npermalink: /\nredirect_from: [/about/]\n---\nMARK-about\n"
        ),
        "_posts/2020-3-4-short.md": "---\ntitle: Short\n---\nMARK-2020-3-4-short\n",
        **publication("2021-01-01-other", "permalink: /publication/2021-01-01-other/\n"),
    },
    "conflict": publication("2021-01-01-copy", "permalink: /publication/2020-01-01-paper\n"),
    "redirect-over-page": publication("2021-01-01-moved", "redirect_from: [/talks/]\n"),
    "yaml-error-in-collection": publication("2021-01-01-colon", "note: Journal: 1: [x\n"),
    "missing-layout": publication("2021-01-01-layout", "layout: nosuch\n"),
    "invalid-date": publication("2021-01-01-baddate", date="2009-13-45"),
    "no-front-matter": {"_publications/2021-01-01-plain.md": "MARK-2021-01-01-plain\n"},
    "post-without-date-name": {"_posts/hello.md": "---\ntitle: Hi\n---\nMARK-hello\n"},
    "misspelt-collection": {
        "_pulications/2021-01-01-lost.md": "---\ntitle: Lost\n---\nMARK-2021-01-01-lost\n"
    },
    "future-date": publication("2999-01-01-future", date="2999-01-01"),
    "category-permalink-post": {
        "_posts/2020-05-06-cat.md": (
            "---\ntitle: Cat\ncategory: News\npermalink: /publication/2020-01-01-paper.html\n"
            "---\nMARK-2020-05-06-cat\n"
        )
    },
}


@dataclass
class Build:
    returncode: int
    stderr: str
    html: str  # every .html file of _site, joined


def jekyll_build(jekyll: str, source: Path, dest: Path, strict: bool) -> Build:
    command = [jekyll, "build", "-s", str(source), "-d", str(dest)]
    if strict:
        command.append("--strict_front_matter")
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    proc = subprocess.run(
        command, cwd=source, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    pages = sorted(dest.rglob("*.html")) if dest.is_dir() else []
    html = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in pages)
    return Build(proc.returncode, ANSI.sub("", proc.stderr), html)


def blamed_files(build: Build, source: Path) -> set[str]:
    """The source files Jekyll's messages name."""
    blamed: set[str] = set()
    prefix = str(source) + "/"
    lines = build.stderr.splitlines()
    for number, line in enumerate(lines):
        text = line.strip()
        if "Conflict:" in text:
            for follow in lines[number + 1 :]:
                item = follow.strip()
                if item.startswith("- "):
                    blamed.add(item[2:].strip().removeprefix(prefix))
                elif blamed and not item.startswith(("The written", "/")):
                    break
        match = re.search(r"YAML Exception reading (\S+?):", text)
        if match:
            blamed.add(match.group(1).removeprefix(prefix))
        match = re.search(r"Layout '[^']*' requested in (\S+) does not exist", text)
        if match:
            blamed.add(match.group(1))
        match = re.search(r"Invalid date '[^']*': Document '([^']+)'", text)
        if match:
            blamed.add(match.group(1))
    return {name for name in blamed if not name.startswith("/")}


def silent_drops(build: Build, source: Path) -> set[str]:
    """Source documents whose marker is on no page of the built site."""
    dropped: set[str] = set()
    for path in source.rglob("*.md"):
        rel = path.relative_to(source).as_posix()
        marker = re.search(r"MARK-[\w-]+", path.read_text(encoding="utf-8"))
        if (
            marker
            and marker.group(0) + "\n" not in build.html + "\n"
            and (marker.group(0) + "<" not in build.html)
        ):
            dropped.add(rel)
    return dropped


def write_site(root: Path, overlay: dict[str, str]) -> Path:
    for rel, text in {**BASE, **overlay}.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_pagemgr_reports_what_jekyll_reports_or_drops(name: str, tmp_path: Path) -> None:
    jekyll = require_jekyll()
    site = write_site(tmp_path / "site", SCENARIOS[name])
    strict = jekyll_build(jekyll, site, tmp_path / "strict", strict=True)
    lenient = jekyll_build(jekyll, site, tmp_path / "lenient", strict=False)
    expected = blamed_files(strict, site) | blamed_files(lenient, site)
    if lenient.returncode == 0:
        expected |= silent_drops(lenient, site)
    result = run_cli("check", "--site", site, "--format", "json")
    found = {f["path"] for f in result.json()["findings"]}
    jekyll_ok = (
        strict.returncode == 0
        and not expected
        and not re.search(
            r"Conflict|Build Warning|YAML Exception|Invalid date|Error",
            strict.stderr + lenient.stderr,
        )
    )
    if name.startswith("clean"):
        assert jekyll_ok, f"fixture {name} is not clean for Jekyll:\n{strict.stderr}{expected}"
        assert result.json()["findings"] == [], result.stdout
        return
    assert not jekyll_ok, f"Jekyll saw nothing wrong in {name}; the fixture proves nothing"
    assert expected, f"Jekyll's complaint in {name} names no file:\n{strict.stderr}"
    assert expected <= found, (
        f"{name}: Jekyll blames {sorted(expected)}, pagemgr reports {sorted(found)}\n"
        f"{strict.stderr}"
    )
