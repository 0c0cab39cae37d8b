"""Stat keys taken by a forked child are the ones the parent would take itself."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from conftest import make_site, run_cli
from pagemgr.check.engine import stat_ahead


def _files(tmp_path: Path, count: int) -> list[str]:
    folder = tmp_path / "files"
    folder.mkdir()
    paths = []
    for number in range(count):
        path = folder / f"f{number}.md"
        path.write_text("x" * (number % 50))
        paths.append(str(path))
    return [*paths, str(folder / "missing.md"), str(folder)]


def test_a_child_gives_the_keys_stat_gives(tmp_path: Path) -> None:
    locations = _files(tmp_path, stat_ahead.MIN_FILES + 10)
    called = []
    keys = stat_ahead.stat_keys(locations, meanwhile=lambda: called.append(os.getpid()))
    assert called == [os.getpid()]  # the parent did its own work, once
    assert keys == [stat_ahead.stat_key(location) for location in locations]
    assert keys[-2] is None and keys[-1] is not None


def test_a_child_that_fails_leaves_the_work_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    locations = _files(tmp_path, stat_ahead.MIN_FILES + 10)

    def dies(_locations: list[str], _out: int) -> None:
        os._exit(3)

    monkeypatch.setattr(stat_ahead, "_answer", dies)
    keys = stat_ahead.stat_keys(locations, meanwhile=lambda: None)
    assert keys == [stat_ahead.stat_key(location) for location in locations]


def test_a_large_site_with_a_warm_cache_sees_every_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Enough files for the child to stat them: edits, a removal and a new file are all seen."""
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    site = make_site(tmp_path)
    papers = []
    for number in range(stat_ahead.MIN_FILES + 50):
        paper = site / "_publications" / f"2021-01-01-p{number:04}.md"
        paper.write_text(
            f'---\ntitle: "P{number}"\ncategory: manuscripts\ndate: 2021-01-01\nvenue: J\n---\n'
        )
        papers.append(paper)
    check = ("check", "--site", site, "--format", "json", "--jobs", "1")
    assert run_cli(*check).exit_code == 0  # fills the cache
    papers[7].write_text(papers[7].read_text().replace("venue: J\n", ""))
    papers[8].unlink()
    (site / "_publications" / "2021-01-01-new.md").write_text('---\ntitle: "N"\n---\n')
    warm = run_cli(*check)
    cold = run_cli(*check, "--no-cache")
    assert warm.exit_code == cold.exit_code == 1
    assert warm.json() == cold.json()
    named = {finding["path"] for finding in warm.json()["findings"]}
    assert {"_publications/2021-01-01-p0007.md", "_publications/2021-01-01-new.md"} <= named


def test_an_error_in_the_parent_leaves_no_child_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The parent fails while a child is still at work (here: stuck): the error comes through
    at once, and the child is gone."""
    locations = _files(tmp_path, stat_ahead.MIN_FILES + 10)
    children_before = _children()
    monkeypatch.setattr(stat_ahead, "_answer", lambda _locations, _out: time.sleep(60))

    def fails() -> None:
        raise RuntimeError("the cache could not be loaded")

    def too_slow(_signal: int, _frame: object) -> None:
        raise TimeoutError("stat_keys waited for its child instead of stopping it")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.alarm(10)
    try:
        with pytest.raises(RuntimeError):
            stat_ahead.stat_keys(locations, meanwhile=fails)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert _children() == children_before


def _children() -> set[str]:
    """This process's children, from /proc (Linux), or nothing where there is none."""
    tasks = Path(f"/proc/{os.getpid()}/task")
    if not tasks.is_dir():
        return set()
    found: set[str] = set()
    for task in tasks.iterdir():
        children = task / "children"
        if children.is_file():
            found.update(children.read_text().split())
    return found
