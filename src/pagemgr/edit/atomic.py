"""Atomic writes: temp file in the same folder, fsync, rename; refuse if the file changed."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on POSIX
    fcntl = None  # type: ignore[assignment]

from pagemgr.errors import PagemgrError


class LostUpdateError(PagemgrError):
    """The file changed on disk after pagemgr read it."""


def read_bytes(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PagemgrError(f"{path}: cannot read it ({exc.strerror or exc})") from None


def write_atomic(path: Path, data: bytes, expected: bytes) -> None:
    """Replace `path` with `data`, unless its content is no longer `expected`."""
    target = path.resolve()
    _check_unchanged(target, expected, path)
    mode = stat.S_IMODE(target.stat().st_mode)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, mode)
        with _locked(target):
            _check_unchanged(target, expected, path)
            os.replace(temp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    _fsync_folder(target.parent)


@contextlib.contextmanager
def _locked(target: Path) -> Iterator[None]:
    """Hold an exclusive lock on the file as it is now, so that of two writers racing for it
    the second finds the first's content and refuses instead of overwriting it."""
    try:
        handle = open(target, "rb")  # noqa: SIM115 - held open across the yield
    except OSError:
        yield
        return
    with handle:
        if fcntl is not None:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        yield


def _check_unchanged(target: Path, expected: bytes, shown: Path) -> None:
    try:
        current = target.read_bytes()
    except OSError:
        current = None
    if current != expected:
        raise LostUpdateError(
            f"{shown} changed on disk while pagemgr was editing it; nothing was written, run the "
            "command again"
        )


def _fsync_folder(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
