"""The boundary that turns errors into one line on stderr and an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from pagemgr.errors import PagemgrError

INTERNAL_ERROR_EXIT = 3
BROKEN_PIPE_EXIT = 141  # 128 + SIGPIPE, what a shell reports for a command killed by it


def crash_log_path() -> Path:
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "pagemgr" / "crash.log"


def write_crash_log(exc: BaseException) -> Path:
    import tempfile  # only a crash pays for these
    import traceback

    text = "".join(traceback.format_exception(exc))
    path = crash_log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    except OSError:
        fd, name = tempfile.mkstemp(prefix="pagemgr-crash-", suffix=".log")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        path = Path(name)
    return path


@contextlib.contextmanager
def error_boundary() -> Iterator[None]:
    try:
        yield
    except PagemgrError as exc:
        click.echo(f"pagemgr: error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except (click.exceptions.Exit, click.ClickException, click.Abort, SystemExit):
        raise
    except KeyboardInterrupt:
        click.echo("pagemgr: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        # The reader went away (`pagemgr check | head`): stop quietly, as other tools do.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        sys.exit(BROKEN_PIPE_EXIT)
    except Exception as exc:
        log = write_crash_log(exc)
        click.echo(
            f"pagemgr: internal error: {type(exc).__name__}: {exc} "
            f"(details in {log}; please report it)",
            err=True,
        )
        sys.exit(INTERNAL_ERROR_EXIT)
