"""`pagemgr` and `python -m pagemgr`: run the command line, then leave at once.

A check of a large site ends with hundreds of thousands of objects alive. Letting the interpreter
free them one by one takes longer than some whole commands, so once the command is done, its
output is flushed and the exit handlers have run, the process ends without that teardown. For
the same reason the cyclic garbage collector runs less often: a run builds many long-lived
records and next to no cycles, and each full collection would walk every record again.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys

from pagemgr.cli import main
from pagemgr.error_handler import BROKEN_PIPE_EXIT


def run() -> None:
    gc.set_threshold(100_000, 50, 100)
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = _exit_code(exc.code)
    os._exit(_finish(code))


def _exit_code(value: object) -> int:
    """What Python would exit with for `SystemExit(value)`."""
    if value is None:
        return 0
    if isinstance(value, int):
        return value
    print(value, file=sys.stderr)
    return 1


def _finish(code: int) -> int:
    try:
        sys.stdout.flush()
    except BrokenPipeError:  # the reader went away (`pagemgr check | head`)
        code = BROKEN_PIPE_EXIT
    with contextlib.suppress(OSError):
        sys.stderr.flush()
    atexit._run_exitfuncs()
    return code


if __name__ == "__main__":
    run()
