"""Forked children that answer through a pipe: what `parallel` and `stat_ahead` share."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable

_PIPE_SIZE = 1 << 20
_F_SETPIPE_SZ = 1031  # Linux's fcntl command; elsewhere a pipe keeps its size


def can_fork() -> bool:
    return hasattr(os, "fork")


def start_child(work: Callable[[int], None]) -> tuple[int, int]:
    """Fork a child that runs `work(fd)`, writing its answer to `fd`, and then ends (exit 0,
    or 1 if `work` raised) without running the parent's exit handlers. Returns the child's pid
    and the pipe end to read the answer from."""
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            os.close(read_end)
            signal.signal(signal.SIGINT, signal.SIG_DFL)
            _widen(write_end)
            work(write_end)
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return pid, read_end


def _widen(fd: int) -> None:
    """A larger pipe buffer, where the system allows it, so a child seldom waits to write."""
    try:
        import fcntl

        fcntl.fcntl(fd, _F_SETPIPE_SZ, _PIPE_SIZE)
    except (ImportError, OSError):
        pass
