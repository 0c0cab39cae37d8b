"""Checking many files on every core: forked processes share the parent's checker and schemas.

The files arrive as a stream (the walk of the site, planned against the cache) and leave in the
same order with their reports, so a run never holds the whole site. They are cut into chunks.
The parent checks the first chunk itself, which loads what every process needs, then forks.
Each later chunk goes to the child with the fewest chunks outstanding (at most `_OUTSTANDING`),
or, when every child is full, the parent checks it itself; at the end the parent takes back the
chunks a child has not started. Chunks go to a child through a pipe of its own, and its answers
(the chunk's reports, pickled) come back through another. A child that dies has the chunks it
did not answer checked by the parent, so a failing child costs time, never a report.

Explaining why a document is not valid needs jsonschema, whose import costs more than checking a
hundred documents. Children leave up to `MAX_DEFERRED` such documents to the parent (see
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

from pagemgr.check.checker import Checker, Deferred
from pagemgr.check.engine.forking import can_fork, start_child
from pagemgr.check.file_result import FileResult
from pagemgr.site.model import SiteFile

# Below this many files per process, forking costs more than it saves.
MIN_FILES_PER_PROCESS = 400
# A child leaves at most this many documents to the parent to explain; past that, it loads
# jsonschema itself, or a site where most documents are invalid would be explained on one core.
# Importing jsonschema costs about what explaining 300 documents does, and each document left
# to the parent wastes only the child's first pass over it, so a few hundred are worth leaving.
MAX_DEFERRED = 256
CHUNK = 32  # files to check per chunk
# Chunks a child holds at most: enough that it keeps working while the parent is held up (by
# importing jsonschema to explain a document, say); at the end the parent takes back the
# last ones a child has not answered, so a long queue costs no wait.
_OUTSTANDING = 16
_MAX_PENDING = 64  # chunks done out of order held before the parent waits for the first
_FRAME = struct.Struct("=Q")
_READ_SIZE = 1 << 20

Entry = tuple[SiteFile, Any, FileResult | None]  # a file, its cache key, its cached report
# A report as a child sends it when records are wanted encoded for the on-disk index:
# findings, suppressed rules, data facts, the record in `index_store.encode`'s form, questions.
Packed = tuple[tuple[Any, ...], frozenset[str], Any, bytes | None, tuple[Any, ...]]
Checked = tuple[Entry, FileResult | None, bytes | None]  # an entry, its report, its record


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


def check_all(
    checker: Checker, planned: Iterable[Entry], jobs: int, encoded: bool = False
) -> Iterator[Checked]:
    """Each planned entry, in order, with its report: the cached one, None for a static file,
    else checked here or in a child. With `encoded`, children send each record encoded for
    the on-disk index (cheaper to send than pickled) and it comes out beside the report; else,
    and for what the parent checks itself, it comes out as None."""
    stream = iter(planned)
    if jobs > 0 and processes_for(jobs, 0) == 1:  # one process asked for (or no fork here)
        entries: Iterator[Entry] = stream
        processes = 1
    else:
        enough = jobs * CHUNK if jobs > 0 else cores() * MIN_FILES_PER_PROCESS
        ahead, to_check = _look_ahead(stream, enough)
        entries = chain(ahead, stream)
        processes = min(processes_for(jobs, to_check), -(-to_check // CHUNK))
    if processes <= 1:
        for entry in entries:
            yield entry, report_of(checker, entry[0]) if needs_check(entry) else entry[2], None
        return
    yield from _Pool(checker, processes, encoded).run(_chunks(entries))


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

    def __init__(self, entries: list[Entry], work: list[SiteFile]) -> None:
        self.entries = entries
        self.work = work
        self.reports: list[FileResult | Packed | None] | None = None if self.work else []


def _chunks(entries: Iterator[Entry]) -> Iterator[_Chunk]:
    taken: list[Entry] = []
    work: list[SiteFile] = []
    for entry in entries:
        taken.append(entry)
        if needs_check(entry):
            work.append(entry[0])
            if len(work) == CHUNK:
                yield _Chunk(taken, work)
                taken, work = [], []
    if taken:
        yield _Chunk(taken, work)


class _Pool:
    def __init__(self, checker: Checker, processes: int, encoded: bool) -> None:
        self.checker = checker
        self.processes = processes
        self.encoded = encoded
        self.children: list[_Child] = []

    def run(self, chunks: Iterator[_Chunk]) -> Iterator[Checked]:
        pending: deque[_Chunk] = deque()
        try:
            first = next(chunks, None)
            if first is None:
                return
            self._check_here(first)
            pending.append(first)
            for _ in range(self.processes - 1):
                self.children.append(
                    _Child(self.checker, [c.work_fd for c in self.children], self.encoded)
                )
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
                if pending[0].reports is None and not self._take_back():
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

    def _take_back(self) -> bool:
        """Check here the last chunk a child has not answered, unless it is the one the child
        is on; returns whether there was one. Its answer, when it comes, is dropped."""
        for child in self.children:
            waiting = [chunk for chunk in child.outstanding if chunk.reports is None]
            if len(waiting) >= 2:
                self._check_here(waiting[-1])
                return True
        return False

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
        for child in self.children:
            if not child.alive and child.outstanding:  # it died, or its pipe broke
                for chunk in child.outstanding:
                    if chunk.reports is None:
                        self._check_here(chunk)
                child.outstanding.clear()

    def _ready(self, pending: deque[_Chunk]) -> Iterator[Checked]:
        """The entries of the chunks at the front that are done; a document a child left to
        the parent is checked here."""
        while pending and pending[0].reports is not None:
            chunk = pending.popleft()
            reports = iter(chunk.reports or ())
            for entry in chunk.entries:
                if not needs_check(entry):
                    yield entry, entry[2], None
                    continue
                report = next(reports)
                if report is None:
                    yield entry, report_of(self.checker, entry[0]), None
                elif isinstance(report, FileResult):
                    yield entry, report, None
                else:
                    yield entry, *_unpacked(report)


class _Child:
    """A forked process that checks the chunks it is given, in order, answering each."""

    def __init__(self, checker: Checker, inherited: list[int], encoded: bool) -> None:
        work_read, work_write = os.pipe()

        def work(out: int) -> None:
            os.close(work_write)
            for fd in inherited:  # other children's pipes: theirs to close, not this one's
                os.close(fd)
            _serve(checker, work_read, out, encoded)

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
            chunk = self.outstanding.popleft()
            if chunk.reports is None:  # else the parent took it back and checked it
                chunk.reports = reports

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


def _serve(checker: Checker, work: int, out: int, encoded: bool = False) -> None:
    """The child's work: check each chunk it reads from `work`, and write its reports to `out`
    as a frame (`encoded`: packed, see `Packed`), until the parent closes `work`."""
    checker.defer_invalid = True
    with os.fdopen(work, "rb") as chunks, os.fdopen(out, "wb") as answers:
        while header := chunks.read(_FRAME.size):
            (length,) = _FRAME.unpack(header)
            items: list[SiteFile] = pickle.loads(chunks.read(length))
            reports = _check(checker, items)
            answer = [_packed(report) for report in reports] if encoded else list(reports)
            frame = pickle.dumps(answer, pickle.HIGHEST_PROTOCOL)
            answers.write(_FRAME.pack(len(frame)) + frame)
            answers.flush()


def _packed(report: FileResult | None) -> Packed | None:
    if report is None:
        return None
    from pagemgr.check.index.sqlite_store import encode

    record = None if report.record is None else encode(report.record)
    return report.findings, report.suppressed, report.facts, record, report.questions


def _unpacked(packed: Packed) -> tuple[FileResult, bytes | None]:
    from pagemgr.check.index.sqlite_store import decode

    findings, suppressed, facts, record, questions = packed
    return FileResult(
        findings, None if record is None else decode(record), suppressed, facts, questions
    ), record


def report_of(checker: Checker, item: SiteFile) -> FileResult:
    report = checker.check(item)
    return FileResult(
        tuple(report.findings),
        report.record,
        report.suppressed,
        report.facts,
        tuple(report.questions),
    )


def _check(checker: Checker, chunk: Iterable[SiteFile]) -> Iterator[FileResult | None]:
    for item in chunk:
        try:
            yield report_of(checker, item)
        except Deferred:
            checker.deferred += 1
            if checker.deferred >= MAX_DEFERRED:  # a site full of errors: explain them here
                checker.defer_invalid = False
            yield None
