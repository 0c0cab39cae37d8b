"""Checking many files on every core: forked workers share the parent's checker and schemas."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from types import TracebackType
from typing import TYPE_CHECKING

from pagemgr.check_cache import CachedReport
from pagemgr.checker import Checker
from pagemgr.site import SiteFile

if TYPE_CHECKING:
    from multiprocessing.pool import Pool

# Below this many files to read, starting workers costs more than it saves.
MIN_FILES_PER_WORKER = 400
_CHUNK = 200
_worker_checker: Checker | None = None


def cores() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


class Workers:
    """Checks batches of files, in order: in this process, or in a pool started on first need.

    `jobs` > 0 is the number of processes; 0 means one per core once a batch has enough files
    to read to pay for them.
    """

    def __init__(self, checker: Checker, jobs: int) -> None:
        self.checker = checker
        self.jobs = jobs
        self.pool: Pool | None = None

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        if self.pool is not None:
            self.pool.terminate() if error is not None else self.pool.close()
            self.pool.join()
        global _worker_checker
        _worker_checker = None

    def stream(self, items: Iterator[SiteFile]) -> Iterator[CachedReport]:
        """Reports of `items`, in order, as they come: the workers check while `items` is
        still being produced (in the pool's feeder thread), so nothing waits for a batch."""
        first = list(itertools.islice(items, MIN_FILES_PER_WORKER * cores()))
        pool = self._pool_for(len(first))
        if pool is None:
            for item in itertools.chain(first, items):
                yield report_of(self.checker, item)
            return
        chunks = pool.imap(_check_chunk, _chunks_of(itertools.chain(first, items)), chunksize=1)
        for chunk in chunks:
            yield from chunk

    def _pool_for(self, files: int) -> Pool | None:
        if self.pool is not None:
            return self.pool
        workers = self.jobs if self.jobs > 0 else min(cores(), files // MIN_FILES_PER_WORKER)
        if workers <= 1:
            return None
        import multiprocessing  # only a run that reads many files pays for it

        if "fork" not in multiprocessing.get_all_start_methods():
            return None
        global _worker_checker
        _worker_checker = self.checker
        self.pool = multiprocessing.get_context("fork").Pool(workers)
        return self.pool


def report_of(checker: Checker, item: SiteFile) -> CachedReport:
    report = checker.check(item)
    return CachedReport(tuple(report.findings), report.record, report.suppressed, report.facts)


def _chunks_of(items: Iterator[SiteFile]) -> Iterator[list[SiteFile]]:
    while chunk := list(itertools.islice(items, _CHUNK)):
        yield chunk


def _check_chunk(items: list[SiteFile]) -> list[CachedReport]:
    assert _worker_checker is not None
    return [report_of(_worker_checker, item) for item in items]
