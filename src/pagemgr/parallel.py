"""Checking many files on every core: forked processes share the parent's checker and schemas.

The files to check are cut into chunks whose numbers wait in a pipe. The parent and each forked
child take chunk numbers from it until it is empty (reads of a few bytes from a pipe are
atomic, so no chunk is taken twice). A child sends each chunk's reports back, pickled, through a
pipe of its own as soon as it has them, and the parent reads what has come in between its own
chunks. A chunk that never came back (its child died) is checked by the parent afterwards, so a
failing child costs time, never a report.

Explaining why a document is not valid needs jsonschema, whose import costs more than checking a
hundred documents. Children leave the first few such documents to the parent (see
`Checker.defer_invalid`), so that on a mostly valid site one process alone pays for it.
"""

from __future__ import annotations

import os
import pickle
import signal
import struct
from collections.abc import Iterator, Sequence

from pagemgr.check_cache import CachedReport
from pagemgr.checker import Checker, Deferred
from pagemgr.forking import can_fork, start_child
from pagemgr.site import SiteFile

# Below this many files per process, forking costs more than it saves.
MIN_FILES_PER_PROCESS = 400
# A child leaves at most this many documents to the parent to explain; past that, it loads
# jsonschema itself, or a site where most documents are invalid would be explained on one core.
MAX_DEFERRED = 16
_CHUNK = 32
_MAX_CHUNKS = 4096  # their numbers must fit in the pipe's buffer: 4 bytes each, 64 KiB on Linux
_TOKEN = struct.Struct("=I")
_FRAME = struct.Struct("=Q")
_PIPE_SIZE = 1 << 20  # what one read takes at the most

Reports = list[CachedReport | None]  # None: left to the parent


def cores() -> int:
    usable = os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else None
    return len(usable) if usable else (os.cpu_count() or 1)


def processes_for(jobs: int, files: int) -> int:
    """How many processes check `files` files: `jobs` when given (> 0), else one per core as
    long as each gets enough files to pay for its start."""
    wanted = jobs if jobs > 0 else min(cores(), files // MIN_FILES_PER_PROCESS)
    return max(1, wanted) if can_fork() else 1


def check_all(checker: Checker, items: Sequence[SiteFile], jobs: int) -> Iterator[CachedReport]:
    """The report of each of `items`, in order (each chunk's reports are let go as they are
    handed on)."""
    size = max(_CHUNK, -(-len(items) // _MAX_CHUNKS))
    chunks = [items[start : start + size] for start in range(0, len(items), size)]
    processes = min(processes_for(jobs, len(items)), len(chunks))  # no child without a chunk
    if processes <= 1:
        return (report_of(checker, item) for item in items)
    # The first chunk, checked before forking, loads what every process needs once.
    done: dict[int, Reports] = {0: list(_check(checker, chunks[0]))}
    tokens = _queue(range(1, len(chunks)))
    children: list[_Child] = []
    try:
        for _ in range(processes - 1):
            children.append(_Child(checker, chunks, tokens))
        for number in _taken(tokens):
            done[number] = list(_check(checker, chunks[number]))
            for child in children:
                done.update(child.answers(wait=False))
        for child in children:
            done.update(child.answers(wait=True))
    finally:
        os.close(tokens)
        for child in children:
            child.stop()
    return _in_order(checker, chunks, done)


def _in_order(checker: Checker, chunks: list[Sequence[SiteFile]],
              done: dict[int, Reports]) -> Iterator[CachedReport]:
    """The reports chunk by chunk: a chunk no child answered, and a document a child left to
    the parent, are checked here."""
    for number, chunk in enumerate(chunks):
        reports = done.pop(number, None) or list(_check(checker, chunk))
        for item, report in zip(chunk, reports, strict=True):
            yield report if report is not None else report_of(checker, item)


def report_of(checker: Checker, item: SiteFile) -> CachedReport:
    report = checker.check(item)
    return CachedReport(tuple(report.findings), report.record, report.suppressed, report.facts)


def _check(checker: Checker, chunk: Sequence[SiteFile]) -> Iterator[CachedReport | None]:
    for item in chunk:
        try:
            yield report_of(checker, item)
        except Deferred:
            checker.deferred += 1
            if checker.deferred >= MAX_DEFERRED:  # a site full of errors: explain them here
                checker.defer_invalid = False
            yield None


def _queue(numbers: range) -> int:
    """A pipe holding `numbers`; returns its reading end."""
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(_TOKEN.pack(number) for number in numbers))
    finally:
        os.close(write_end)
    return read_end


def _taken(tokens: int) -> Iterator[int]:
    while len(token := os.read(tokens, _TOKEN.size)) == _TOKEN.size:
        yield _TOKEN.unpack(token)[0]


class _Child:
    """A forked process that takes chunks from the queue and answers chunk by chunk."""

    def __init__(self, checker: Checker, chunks: Sequence[Sequence[SiteFile]], tokens: int) -> None:
        pid, read_end = start_child(lambda out: _serve(checker, chunks, tokens, out))
        os.set_blocking(read_end, False)
        self.pid: int | None = pid
        self.fd: int | None = read_end
        self.pending = bytearray()

    def answers(self, wait: bool) -> Iterator[tuple[int, Reports]]:
        """The chunks answered so far (`wait`: all of them, until the child is done)."""
        if self.fd is None:
            return
        if wait:
            os.set_blocking(self.fd, True)
        while True:
            try:
                data = os.read(self.fd, _PIPE_SIZE)
            except BlockingIOError:
                break
            if not data:
                self._reap()
                break
            self.pending += data
        yield from self._frames()

    def _frames(self) -> Iterator[tuple[int, Reports]]:
        start = 0
        while len(self.pending) - start >= _FRAME.size:
            (length,) = _FRAME.unpack_from(self.pending, start)
            end = start + _FRAME.size + length
            if end > len(self.pending):
                break
            yield pickle.loads(self.pending[start + _FRAME.size : end])
            start = end
        del self.pending[:start]

    def _reap(self) -> None:
        assert self.fd is not None and self.pid is not None
        os.close(self.fd)
        os.waitpid(self.pid, 0)
        self.fd = self.pid = None

    def stop(self) -> None:
        """Kill the child unless it is done (the parent gave up: Ctrl-C, an error)."""
        if self.pid is not None:
            os.kill(self.pid, signal.SIGKILL)
            self._reap()


def _serve(checker: Checker, chunks: Sequence[Sequence[SiteFile]], tokens: int, out: int) -> None:
    """The child's work: check the chunks it takes, and write each one's reports as a frame
    (its length, then the pickle of its number and reports)."""
    checker.defer_invalid = True
    with os.fdopen(out, "wb") as answers:
        for number in _taken(tokens):
            frame = pickle.dumps((number, list(_check(checker, chunks[number]))),
                                 pickle.HIGHEST_PROTOCOL)
            answers.write(_FRAME.pack(len(frame)) + frame)
            answers.flush()
