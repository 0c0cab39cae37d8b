"""Checking many files on every core: forked workers share the parent's checker and schemas."""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence

from pagemgr.check_cache import CachedReport
from pagemgr.checker import Checker
from pagemgr.site import SiteFile

# Below this many files to read, starting workers costs more than it saves.
MIN_FILES_PER_WORKER = 400
_CHUNK = 200
_worker_checker: Checker | None = None


def workers_for(jobs: int, files: int) -> int:
    """`jobs` when given; else one per core, as long as each has enough files to read."""
    if jobs > 0:
        return jobs
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cores or 1, files // MIN_FILES_PER_WORKER))


def check_all(checker: Checker, items: Sequence[SiteFile], jobs: int) -> list[CachedReport]:
    """The report of every item, in order."""
    workers = workers_for(jobs, len(items))
    if workers <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [report_of(checker, item) for item in items]
    global _worker_checker
    _worker_checker = checker
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            chunks = pool.imap(_check_chunk, _chunks(items), chunksize=1)
            return [report for chunk in chunks for report in chunk]
    finally:
        _worker_checker = None


def report_of(checker: Checker, item: SiteFile) -> CachedReport:
    report = checker.check(item)
    return CachedReport(tuple(report.findings), report.record, report.suppressed, report.facts)


def _chunks(items: Sequence[SiteFile]) -> Iterator[list[SiteFile]]:
    for start in range(0, len(items), _CHUNK):
        yield list(items[start : start + _CHUNK])


def _check_chunk(items: list[SiteFile]) -> list[CachedReport]:
    assert _worker_checker is not None
    return [report_of(_worker_checker, item) for item in items]
