"""Checking many files on every core: forked processes share the parent's checker and schemas.

The files arrive as a stream (the walk of the site, planned against the cache) and leave in the
same order with their reports, so a run never holds the whole site. They are cut into chunks.
The parent checks the first chunk itself, which loads what every process needs, then forks.
Each later chunk goes to a child with fewer than two chunks outstanding, or, when every child
is busy, the parent checks it itself. Chunks go to a child through a pipe of its own, and its
answers (the chunk's reports, pickled) come back through another. A child that dies has the
chunks it did not answer checked by the parent, so a failing child costs time, never a report.

Explaining why a document is not valid needs jsonschema, whose import costs more than checking a
hundred documents. Children leave the first few such documents to the parent (see
`Checker.defer_invalid`), so that on a mostly valid site one process alone pays for it.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import struct
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain
from typing import Any

from pagemgr.check_cache import CachedReport
from pagemgr.checker import Checker, Deferred
from pagemgr.forking import can_fork, start_child
from pagemgr.site import SiteFile

# Below this many files per process, forking costs more than it saves.
MIN_FILES_PER_PROCESS = 400
# A child leaves at most this many documents to the parent to explain; past that, it loads
# jsonschema itself, or a site where most documents are invalid would be explained on one core.
MAX_DEFERRED = 16
CHUNK = 32  # files to check per chunk
_OUTSTANDING = 2  # chunks a child holds at most: one it checks, one waiting
_MAX_PENDING = 64  # chunks done out of order held before the parent waits for the first
_FRAME = struct.Struct("=Q")
_READ_SIZE = 1 << 20

Entry = tuple[SiteFile, Any, CachedReport | None]  # a file, its cache key, its cached report
Reports = list[CachedReport | None]  # None: left to the parent


def cores() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def processes_for(jobs: int, files: int) -> int:
    """How many processes check `files` files: `jobs` when given (> 0), else one per core as
    long as each gets enough files to pay for its start."""
    wanted = jobs if jobs > 0 else min(cores(), files // MIN_FILES_PER_PROCESS)
    return max(1, wanted) if can_fork() else 1


def needs_check(entry: Entry) -> bool:
    return entry[2] is None and entry[0].kind != "static"


def check_all(checker: Checker, planned: Iterable[Entry],
              jobs: int) -> Iterator[tuple[Entry, CachedReport | None]]:
    """Each planned entry, in order, with its report: the cached one, None for a static file,
    else checked here or in a child."""
    stream = iter(planned)
    enough = jobs * CHUNK if jobs > 0 else cores() * MIN_FILES_PER_PROCESS
    ahead, to_check = _look_ahead(stream, enough)
    entries = chain(ahead, stream)
    processes = min(processes_for(jobs, to_check), -(-to_check // CHUNK))
    if processes <= 1:
        for entry in entries:
            yield entry, report_of(checker, entry[0]) if needs_check(entry) else entry[2]
        return
    yield from _Pool(checker, processes).run(_chunks(entries))


def _look_ahead(stream: Iterator[Entry], enough: int) -> tuple[list[Entry], int]:
    """Entries from `stream` until `enough` of them need checking (or it ends)."""
    taken: list[Entry] = []
    count = 0
    for entry in stream:
        taken.append(entry)
        count += needs_check(entry)
        if count >= enough:
            break
    return taken, count


class _Chunk:
    """Entries in order, `CHUNK` of them to check, and the reports of those once known."""

    __slots__ = ("entries", "reports", "work")

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.work = [entry[0] for entry in entries if needs_check(entry)]
        self.reports: Reports | None = None if self.work else []


def _chunks(entries: Iterator[Entry]) -> Iterator[_Chunk]:
    taken: list[Entry] = []
    count = 0
    for entry in entries:
        taken.append(entry)
        count += needs_check(entry)
        if count == CHUNK:
            yield _Chunk(taken)
            taken, count = [], 0
    if taken:
        yield _Chunk(taken)


class _Pool:
    def __init__(self, checker: Checker, processes: int) -> None:
        self.checker = checker
        self.processes = processes
        self.children: list[_Child] = []

    def run(self, chunks: Iterator[_Chunk]) -> Iterator[tuple[Entry, CachedReport | None]]:
        pending: deque[_Chunk] = deque()
        try:
            first = next(chunks, None)
            if first is None:
                return
            self._check_here(first)
            pending.append(first)
            for _ in range(self.processes - 1):
                self.children.append(_Child(self.checker, [c.work_fd for c in self.children]))
            for chunk in chunks:
                pending.append(chunk)
                if chunk.reports is None:
                    self._hand_out(chunk)
                self._collect(wait=False)
                yield from self._ready(pending)
                while len(pending) > _MAX_PENDING and pending[0].reports is None:
                    self._collect(wait=True)
                    yield from self._ready(pending)
            while pending:
                if pending[0].reports is None:
                    self._collect(wait=True)
                yield from self._ready(pending)
        finally:
            for child in self.children:
                child.stop()

    def _hand_out(self, chunk: _Chunk) -> None:
        idle = [c for c in self.children if c.alive and len(c.outstanding) < _OUTSTANDING]
        if idle:
            min(idle, key=lambda c: len(c.outstanding)).give(chunk)
        else:
            self._check_here(chunk)

    def _check_here(self, chunk: _Chunk) -> None:
        chunk.reports = list(_check(self.checker, chunk.work))

    def _collect(self, wait: bool) -> None:
        """Take in what the children answered (`wait`: block until one answers or dies); the
        chunks of a child that died are checked here."""
        busy = [c for c in self.children if c.alive and c.outstanding]
        if wait and busy:
            writing = [c.work_fd for c in busy if c.outbox]
            select.select([c.answer_fd for c in busy], writing, [])
        for child in busy:
            child.flush()
            child.receive()
            if not child.alive:
                for chunk in child.outstanding:
                    self._check_here(chunk)
                child.outstanding.clear()
        if wait and not busy:
            raise AssertionError("waiting for a chunk no child holds")  # pragma: no cover

    def _ready(self, pending: deque[_Chunk]) -> Iterator[tuple[Entry, CachedReport | None]]:
        """The entries of the chunks at the front that are done; a document a child left to
        the parent is checked here."""
        while pending and pending[0].reports is not None:
            chunk = pending.popleft()
            reports = iter(chunk.reports or ())
            for entry in chunk.entries:
                if not needs_check(entry):
                    yield entry, entry[2]
                    continue
                report = next(reports)
                yield entry, report if report is not None else report_of(self.checker, entry[0])


class _Child:
    """A forked process that checks the chunks it is given, in order, answering each."""

    def __init__(self, checker: Checker, inherited: list[int]) -> None:
        work_read, work_write = os.pipe()

        def work(out: int) -> None:
            os.close(work_write)
            for fd in inherited:  # other children's pipes: theirs to close, not this one's
                os.close(fd)
            _serve(checker, work_read, out)

        pid, answer_fd = start_child(work)
        os.close(work_read)
        os.set_blocking(answer_fd, False)
        os.set_blocking(work_write, False)
        self.pid: int | None = pid
        self.answer_fd = answer_fd
        self.work_fd = work_write
        self.outstanding: deque[_Chunk] = deque()
        self.outbox = bytearray()
        self.inbox = bytearray()

    @property
    def alive(self) -> bool:
        return self.pid is not None

    def give(self, chunk: _Chunk) -> None:
        frame = pickle.dumps(chunk.work, pickle.HIGHEST_PROTOCOL)
        self.outbox += _FRAME.pack(len(frame)) + frame
        self.outstanding.append(chunk)
        self.flush()

    def flush(self) -> None:
        """Write what the pipe takes now; the rest waits for the next call."""
        while self.outbox and self.alive:
            try:
                written = os.write(self.work_fd, self.outbox)
            except BlockingIOError:
                return
            except BrokenPipeError:
                self._reap()
                return
            del self.outbox[:written]

    def receive(self) -> None:
        while self.alive:
            try:
                data = os.read(self.answer_fd, _READ_SIZE)
            except BlockingIOError:
                break
            if not data:
                self._reap()
                break
            self.inbox += data
        for reports in _frames(self.inbox):
            self.outstanding.popleft().reports = reports

    def _reap(self) -> None:
        assert self.pid is not None
        os.close(self.answer_fd)
        os.close(self.work_fd)
        os.waitpid(self.pid, 0)
        self.pid = None

    def stop(self) -> None:
        """End the child: its work is done, or the parent gave up (Ctrl-C, an error)."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()


def _frames(buffer: bytearray) -> Iterator[Any]:
    """The complete frames at the start of `buffer` (its length, then a pickle), unpickled and
    removed from it."""
    start = 0
    while len(buffer) - start >= _FRAME.size:
        (length,) = _FRAME.unpack_from(buffer, start)
        end = start + _FRAME.size + length
        if end > len(buffer):
            break
        yield pickle.loads(buffer[start + _FRAME.size : end])
        start = end
    del buffer[:start]


def _serve(checker: Checker, work: int, out: int) -> None:
    """The child's work: check each chunk it reads from `work`, and write its reports to `out`
    as a frame, until the parent closes `work`."""
    checker.defer_invalid = True
    with os.fdopen(work, "rb") as chunks, os.fdopen(out, "wb") as answers:
        while header := chunks.read(_FRAME.size):
            (length,) = _FRAME.unpack(header)
            items: list[SiteFile] = pickle.loads(chunks.read(length))
            frame = pickle.dumps(list(_check(checker, items)), pickle.HIGHEST_PROTOCOL)
            answers.write(_FRAME.pack(len(frame)) + frame)
            answers.flush()


def report_of(checker: Checker, item: SiteFile) -> CachedReport:
    report = checker.check(item)
    return CachedReport(tuple(report.findings), report.record, report.suppressed, report.facts)


def _check(checker: Checker, chunk: Iterable[SiteFile]) -> Iterator[CachedReport | None]:
    for item in chunk:
        try:
            yield report_of(checker, item)
        except Deferred:
            checker.deferred += 1
            if checker.deferred >= MAX_DEFERRED:  # a site full of errors: explain them here
                checker.defer_invalid = False
            yield None

