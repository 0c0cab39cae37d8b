"""The (size, mtime, inode) of many files, taken by a forked child while the parent does
something else: in a run with a warm cache, stat-ing every file and loading the cache take about
as long as each other, and both must be done before anything else can start.
"""

from __future__ import annotations

import os
import signal
import struct
from collections.abc import Callable, Sequence

from pagemgr.check.engine.forking import can_fork, start_child

StatKey = tuple[int, int, int]

# Below this many files a child costs more than it saves.
MIN_FILES = 2000
_KEY = struct.Struct("=qqq")
_MISSING = (-1, -1, -1)


def stat_key(location: str | os.PathLike[str]) -> StatKey | None:
    try:
        status = os.stat(location)
    except OSError:
        return None
    return (status.st_size, status.st_mtime_ns, status.st_ino)


def stat_keys(locations: Sequence[str], meanwhile: Callable[[], object]) -> list[StatKey | None]:
    """The stat key of each of `locations` (None where stat fails), and `meanwhile()` called
    once; with many files, the two happen at the same time on two cores."""
    if len(locations) < MIN_FILES or not can_fork():
        meanwhile()
        return [stat_key(location) for location in locations]
    pid, answers = start_child(lambda out: _answer(locations, out))
    try:
        with os.fdopen(answers, "rb") as answer:
            meanwhile()
            data = answer.read()
    except BaseException:  # Ctrl-C or an error here: the child must not outlive the run
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise
    _, status = os.waitpid(pid, 0)
    if os.waitstatus_to_exitcode(status) != 0 or len(data) != _KEY.size * len(locations):
        return [stat_key(location) for location in locations]
    return [None if key == _MISSING else key for key in _KEY.iter_unpack(data)]


def _answer(locations: Sequence[str], out: int) -> None:
    pack = _KEY.pack
    data = b"".join(pack(*(stat_key(location) or _MISSING)) for location in locations)
    with os.fdopen(out, "wb") as answer:
        answer.write(data)
