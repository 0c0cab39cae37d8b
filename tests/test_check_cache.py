"""The per-file result cache: never stale, never in the site, safe when corrupt or shared."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from conftest import make_site, run_cli
from pagemgr.site.cache_files import cache_file

COLLIDING = """---
title: "Copy"
category: manuscripts
permalink: /publication/2020-01-01-paper
date: 2021-01-01
venue: J
---
"""


def findings(site: Path, *args: str | Path) -> list[tuple[str, str, int]]:
    result = run_cli("check", "--site", site, "--format", "json", *args)
    assert result.exit_code in (0, 1), result.stderr
    return [(f["path"], f["rule"], f["line"]) for f in result.json()["findings"]]


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    return make_site(tmp_path)


def test_cache_lives_outside_the_site(site: Path, tmp_path: Path) -> None:
    findings(site)
    cached = sorted(p.name.split("-")[0] for p in (tmp_path / "cache").iterdir())
    # per-file results; _config.yml as parsed (a site with layouts also gets what its templates
    # read: tests/test_templates.py)
    assert cached == ["check", "config"]
    assert not any(p.suffix == ".pickle" for p in site.rglob("*"))


def test_cache_goes_under_git_when_the_site_is_in_a_repository(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("PAGEMGR_CACHE_DIR", raising=False)
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert cache_file(tmp_path / "site").parent == tmp_path / ".git" / "pagemgr"


def test_a_changed_file_is_read_again(site: Path) -> None:
    paper = site / "_publications" / "2020-01-01-paper.md"
    assert findings(site) == []
    text = paper.read_text()
    paper.write_text(text.replace("venue: 'Journal 1'\n", ""))
    assert findings(site) == [("_publications/2020-01-01-paper.md", "missing-key", 1)]
    paper.write_text(text)
    assert findings(site) == []


def test_a_deleted_or_added_file_changes_the_site_wide_result(site: Path) -> None:
    assert findings(site) == []
    copy = site / "_publications" / "2021-copy.md"
    copy.write_text(COLLIDING)
    assert ("_publications/2021-copy.md", "output-collision", 4) in findings(site)
    copy.unlink()
    assert findings(site) == []


def test_config_change_invalidates_everything(site: Path) -> None:
    assert findings(site) == []
    config = site / "_config.yml"
    config.write_text(
        config.read_text().replace("  manuscripts:\n    title: 'Journal Articles'\n", "")
    )
    assert ("_publications/2020-01-01-paper.md", "unlisted-category", 4) in findings(site)


def test_corrupt_cache_is_rebuilt(site: Path, tmp_path: Path) -> None:
    findings(site)
    for cached in (tmp_path / "cache").iterdir():
        cached.write_bytes(b"not a pickle at all")
    assert findings(site) == []
    for cached in (tmp_path / "cache").iterdir():
        assert cached.read_bytes() != b"not a pickle at all"


def test_an_unchanged_config_is_not_parsed_again(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pagemgr.yaml import yamlio

    assert findings(site) == []
    parsed: list[str] = []
    for name in ("load_with_libyaml", "load_with_safe_yaml"):  # either builder's full parser
        real = getattr(yamlio, name)
        monkeypatch.setattr(yamlio, name, _spy(parsed, real))
    assert findings(site) == []
    assert not any("collections:" in text for text in parsed)  # _config.yml came from the cache
    config = site / "_config.yml"
    config.write_text(config.read_text() + "\nfuture: true\n")
    findings(site)
    assert any("future: true" in text for text in parsed)


def _spy(parsed: list[str], real: Callable[[str], Any]) -> Callable[[str], Any]:
    def spy(text: str) -> Any:
        parsed.append(text)
        return real(text)

    return spy


def test_no_cache_reads_everything_and_writes_nothing(site: Path, tmp_path: Path) -> None:
    assert findings(site, "--no-cache") == []
    assert not (tmp_path / "cache").exists()


def test_concurrent_hook_processes_share_the_cache_safely(site: Path, tmp_path: Path) -> None:
    files = sorted(str(p) for p in (site / "_publications").glob("*.md"))
    for number in range(6):
        (site / "_publications" / f"2021-extra-{number}.md").write_text(
            COLLIDING.replace("2020-01-01-paper", f"2021-extra-{number}")
        )
    env = {**os.environ, "PAGEMGR_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "pagemgr", "check", "--site", str(site)]
    processes = [
        subprocess.Popen(
            [*command, *files], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        for _ in range(6)
    ]
    outputs = [process.communicate(timeout=60) for process in processes]
    assert all(p.returncode == 0 for p in processes), outputs
    assert all("Traceback" not in err for _, err in outputs)
    assert findings(site) == []


def test_hook_batches_report_each_cross_file_finding_once(site: Path) -> None:
    """pre-commit splits the files across processes; each finding belongs to one batch."""
    (site / "_publications" / "2021-copy.md").write_text(COLLIDING)
    (site / "_publications" / "2021-other.md").write_text(
        COLLIDING.replace('title: "Copy"', 'title: "Other"')
    )
    names = ["2020-01-01-paper.md", "2021-copy.md", "2021-other.md"]
    whole = findings(site, *(site / "_publications" / n for n in names))
    batches = [[names[0]], [names[1], names[2]]]
    split = [
        f
        for batch in batches
        for f in findings(site, "--hook", *(site / "_publications" / n for n in batch))
    ]
    assert sorted(split) == sorted(whole)
    assert len(split) == len(set(split))
    assert sum(1 for f in split if f[1] == "output-collision") == 3
    alone = findings(site, "--hook", site / "_publications" / "2021-copy.md")
    assert ("_publications/2021-copy.md", "output-collision", 4) in alone
    assert {path for path, _, _ in alone} == {"_publications/2021-copy.md"}


def test_hook_ignores_files_outside_the_site(site: Path, tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text("# not part of the site\n")
    result = run_cli("check", "--site", site, "--hook", readme)
    assert result.exit_code == 0 and result.stdout == ""


def _age_folders(site: Path, seconds: int = 3600) -> None:
    """Give every folder an old mtime, as on a site nobody touched for a while."""
    old = os.stat(site).st_mtime_ns - seconds * 1_000_000_000
    for folder in [site, *(p for p in site.rglob("*") if p.is_dir())]:
        os.utime(folder, ns=(old, old))


def test_unchanged_folders_are_not_listed_again_but_new_files_are_seen(site: Path) -> None:
    _age_folders(site)
    assert findings(site) == []
    assert findings(site) == []  # from the folder listings the first run kept
    copy = site / "_publications" / "2021-copy.md"
    copy.write_text(COLLIDING)  # the folder's mtime moves: it is listed again
    assert ("_publications/2021-copy.md", "output-collision", 4) in findings(site)
    _age_folders(site)
    findings(site)
    copy.unlink()
    assert findings(site) == []


def test_a_file_edited_in_an_unchanged_folder_is_read_again(site: Path) -> None:
    _age_folders(site)
    paper = site / "_publications" / "2020-01-01-paper.md"
    assert findings(site) == []
    paper.write_text(paper.read_text().replace("venue: 'Journal 1'\n", ""))
    assert findings(site) == [("_publications/2020-01-01-paper.md", "missing-key", 1)]


def test_a_folder_listed_in_the_same_tick_it_changed_is_listed_again(site: Path) -> None:
    """A listing taken right after a change may miss a second change with the same mtime:
    such a listing is not trusted next time, even when the mtime still matches."""
    folder = site / "_publications"
    now = time.time_ns() + 1_000_000_000  # the folder changes as the listing is taken
    os.utime(folder, ns=(now, now))
    assert findings(site) == []
    copy = folder / "2021-copy.md"
    copy.write_text(COLLIDING)
    os.utime(folder, ns=(now, now))  # the same timestamp tick as the listing the run kept
    assert ("_publications/2021-copy.md", "output-collision", 4) in findings(site)


def test_how_recent_a_folder_change_may_be_for_its_listing_to_be_trusted() -> None:
    from pagemgr.site.model import _trusted

    second = 1_800_000_000 * 1_000_000_000  # a whole second: a coarse file system's mtime
    assert not _trusted(second, second + 1_500_000_000)
    assert _trusted(second, second + 2_500_000_000)
    fine = second + 123_456_789  # nanoseconds: only the kernel's coarse clock lags
    assert not _trusted(fine, fine + 20_000_000)
    assert _trusted(fine, fine + 500_000_000)
    assert not _trusted(fine, fine - 1)  # changed after it was read


def test_the_cache_never_answers_differently_from_a_full_read(site: Path) -> None:
    """Random edits, additions, removals and new folders between runs, with folder listings
    old enough to be trusted: every cached run must say what a run without the cache says."""
    import random

    chooser = random.Random(7)
    made: list[Path] = []
    steps = 0
    for steps in range(1, 41):
        action = chooser.choice(["add", "add", "edit", "remove", "folder", "age"])
        number = chooser.randrange(1000)
        link = f"/publication/p{chooser.randrange(6)}"  # collisions come and go
        text = (
            f'---\ntitle: "P{number}"\ncategory: manuscripts\ndate: 2021-01-01\n'
            f"venue: J\npermalink: {link}\n---\n"
        )
        if action == "add" or (action in ("edit", "remove") and not made):
            made.append(site / "_publications" / f"2021-01-01-p{number}.md")
            made[-1].write_text(text)
        elif action == "edit":
            chooser.choice(made).write_text(
                text.replace("venue: J\n", chooser.choice(["venue: J\n", "", "venu: J\n"]))
            )
        elif action == "remove":
            made.pop(chooser.randrange(len(made))).unlink()
        elif action == "folder":
            folder = site / "_publications" / f"sub{number}"
            folder.mkdir(exist_ok=True)
            made.append(folder / f"2021-01-01-q{number}.md")
            made[-1].write_text(text)
        else:
            _age_folders(site, seconds=chooser.randrange(1, 100))
        cached = run_cli("check", "--site", site, "--format", "json")
        fresh = run_cli("check", "--site", site, "--format", "json", "--no-cache")
        assert cached.json() == fresh.json(), (steps, action)
    print(f"cache agreed with a full read after each of {steps} random changes")
