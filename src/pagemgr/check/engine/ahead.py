"""A value worked out in a forked child while this process goes on with something else.

The child runs the work and writes its result, pickled, to a pipe; `Ahead.result` reads it
when it is needed. A child that fails, or a system that cannot fork, gives None, and the caller
works the value out itself: the child only ever saves time.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
from collections.abc import Callable
from typing import Generic, TypeVar

from pagemgr.check.engine.forking import can_fork, start_child

T = TypeVar("T")


class Ahead(Generic[T]):
    """The child working out one value, until its result is taken."""

    def __init__(self, work: Callable[[], T]) -> None:
        self.pid, self._answer = start_child(lambda out: _answer(work, out))
        self._done = False
        atexit.register(self.abandon)  # a result never asked for must not leave the child behind

    def result(self) -> T | None:
        """The child's result, waiting for it; None when the child failed."""
        if self._done:
            return None
        try:
            with os.fdopen(self._answer, "rb") as answer:
                data = answer.read()
        finally:
            self._done = True
            _, status = os.waitpid(self.pid, 0)
        if os.waitstatus_to_exitcode(status) != 0 or not data:
            return None
        value: T = pickle.loads(data)
        return value

    def abandon(self) -> None:
        """Stop the child, if its result was not taken."""
        if self._done:
            return
        self._done = True
        os.close(self._answer)
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)


def start(work: Callable[[], T]) -> Ahead[T] | None:
    """`work()` started in a child, or None where this system cannot fork."""
    return Ahead(work) if can_fork() else None


def _answer(work: Callable[[], T], out: int) -> None:
    data = pickle.dumps(work(), pickle.HIGHEST_PROTOCOL)
    with os.fdopen(out, "wb") as answer:
        answer.write(data)
