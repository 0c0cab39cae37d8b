"""Checking on several processes gives exactly what one process gives, whatever a child does."""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from conftest import make_site, run_cli
from pagemgr.check import checker, pipeline
from pagemgr.check.engine import parallel
from pagemgr.check.file_result import FileResult
from pagemgr.site.model import SiteFile, load_site


def _site_with_papers(tmp_path: Path, count: int) -> Path:
    """`count` papers, one in five missing its venue (invalid) and one in seven with an unknown
    key, so every chunk holds files to explain."""
    site = make_site(tmp_path)
    for number in range(count):
        venue = "" if number % 5 == 0 else "venue: J\n"
        extra = "venu: J\n" if number % 7 == 0 else ""
        (site / "_publications" / f"2021-01-01-p{number:03}.md").write_text(
            f'---\ntitle: "P{number}"\ncategory: manuscripts\ndate: 2021-01-01\n{venue}{extra}---\n'
        )
    return site


def _check(site: Path, jobs: int) -> dict[str, object]:
    result = run_cli("check", "--site", site, "--format", "json", "--no-cache", "--jobs", str(jobs))
    assert result.exit_code == 1, result.stderr
    found: dict[str, object] = result.json()
    return found


def test_children_leave_invalid_documents_to_the_parent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site_with_papers(tmp_path, 300)
    expected = _check(site, 1)
    monkeypatch.setattr(checker, "explainer_loaded", lambda: False)  # as in a fresh process
    assert _check(site, 2) == expected
    assert _check(site, 3) == expected
    missing = [f for f in expected["findings"] if f["rule"] == "missing-key"]  # type: ignore[attr-defined]
    assert len(missing) == 60


def test_a_child_that_dies_costs_no_report(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = _site_with_papers(tmp_path, 300)
    expected = _check(site, 1)

    def dies_at_once(checker_: checker.Checker, work: int, out: int, *_: object) -> None:
        os.read(work, 8)  # takes a chunk, answers nothing
        os._exit(3)

    monkeypatch.setattr(parallel, "_serve", dies_at_once)
    assert _check(site, 2) == expected
    assert _check(site, 3) == expected


def test_a_child_that_dies_midway_keeps_what_it_sent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = _site_with_papers(tmp_path, 300)
    expected = _check(site, 1)
    serve, check = parallel._serve, parallel._check

    def dies_after_answering_twice(
        checker_: checker.Checker, work: int, out: int, *args: bool
    ) -> None:
        answered = 0

        def check_twice(
            checker_: checker.Checker, chunk: Iterable[SiteFile]
        ) -> Iterator[FileResult | None]:
            nonlocal answered
            answered += 1
            if answered > 2:
                os._exit(3)  # takes a third chunk and dies
            return check(checker_, chunk)

        parallel._check = check_twice  # this forked child's module only
        serve(checker_, work, out, *args)

    monkeypatch.setattr(parallel, "_serve", dies_after_answering_twice)
    assert _check(site, 2) == expected


def test_results_keep_their_order_when_the_parent_runs_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A slow child: the parent checks many later chunks meanwhile, and holds them until the
    child answers the first."""
    site = _site_with_papers(tmp_path, 300)
    expected = _check(site, 1)
    serve = parallel._serve

    def slow(checker_: checker.Checker, work: int, out: int, *args: bool) -> None:
        import time

        time.sleep(0.5)
        serve(checker_, work, out, *args)

    monkeypatch.setattr(parallel, "_serve", slow)
    monkeypatch.setattr(parallel, "_MAX_PENDING", 3)
    assert _check(site, 2) == expected


@pytest.mark.parametrize(("jobs", "files", "expected"), [(3, 10, 3), (1, 5000, 1), (0, 10, 1)])
def test_processes_follow_jobs_and_the_amount_of_work(jobs: int, files: int, expected: int) -> None:
    assert parallel.processes_for(jobs, files) == expected


def test_a_child_explains_documents_itself_past_a_few(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a site where most documents are invalid, leaving them all to the parent would explain
    them on one core: a child defers only the first few."""
    site = _site_with_papers(tmp_path, 60)  # 12 of them lack a venue, and more below
    for number in range(40):
        (site / "_publications" / f"2022-01-01-bad{number:02}.md").write_text(
            f'---\ntitle: "B{number}"\ncategory: manuscripts\ndate: 2022-01-01\n---\n'
        )
    monkeypatch.setattr(checker, "explainer_loaded", lambda: False)
    monkeypatch.setattr(parallel, "MAX_DEFERRED", 16)
    loaded = load_site(site)
    chunk = [item for item in loaded.files() if item.collection == "publications"]
    child = checker.Checker(loaded, pipeline.schema_set(loaded))
    child.defer_invalid = True
    reports = list(parallel._check(child, chunk))
    left = [item.rel for item, report in zip(chunk, reports, strict=True) if report is None]
    assert len(left) == parallel.MAX_DEFERRED
    assert not child.defer_invalid
    later = [report for report in reports[len(left) :] if report is not None]
    explained = [report for report in later if report.findings or report.questions]
    assert explained  # the invalid documents after the first few were explained in the child


def test_the_parent_takes_back_what_a_slow_child_has_not_answered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """At the end of the stream the parent checks the last chunks queued for a slow child
    itself; the child's late answers for them are dropped, and nothing is reported twice."""
    site = _site_with_papers(tmp_path, 300)
    expected = _check(site, 1)
    check = parallel._check
    taken_back: list[bool] = []
    take_back = parallel._Pool._take_back

    def slow_check(
        checker_: checker.Checker, chunk: Iterable[SiteFile]
    ) -> Iterator[FileResult | None]:
        if os.getpid() != parent:
            import time

            time.sleep(0.05)
        return check(checker_, chunk)

    def counted(pool: parallel._Pool) -> bool:
        took = take_back(pool)
        taken_back.append(took)
        return took

    parent = os.getpid()
    monkeypatch.setattr(parallel, "_check", slow_check)
    monkeypatch.setattr(parallel._Pool, "_take_back", counted)
    assert _check(site, 2) == expected
    assert any(taken_back)
