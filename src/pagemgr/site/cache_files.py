"""Where pagemgr keeps what it remembers between runs, and how such a file is read and written.

Everything lives under the repository's .git folder (or `PAGEMGR_CACHE_DIR`, or the user's cache
folder outside a repository), never in the site. A file is written to a temporary file renamed
over the old one, so a concurrent reader sees the old or the new file, never half of one; a file
that cannot be read is as good as missing.
"""

from __future__ import annotations

import contextlib
import gc
import os
import pickle
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO


def cache_file(site_root: Path) -> Path:
    override = os.environ.get("PAGEMGR_CACHE_DIR")
    root = str(site_root).encode("utf-8", "surrogateescape")
    name = f"check-{zlib.crc32(root):08x}{zlib.adler32(root):08x}.pickle"
    if override:
        return Path(override) / name
    git_dir = _git_dir(site_root)
    if git_dir is not None:
        return git_dir / "pagemgr" / name
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pagemgr" / "check" / name


def _git_dir(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        marker = folder / ".git"
        if marker.is_dir():
            return marker
        if marker.is_file():
            text = marker.read_text(encoding="utf-8", errors="replace").strip()
            if text.startswith("gitdir:"):
                return (folder / text.removeprefix("gitdir:").strip()).resolve()
    return None


def unpickled(data: bytes | memoryview) -> Any:
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new tuples would start a collection every few hundred
    try:
        return pickle.loads(data)
    except Exception:  # a partial or foreign cache is rebuilt, whatever is wrong with it
        return None
    finally:
        if collecting:
            gc.enable()


def read_pickle(path: Path) -> Any:
    """What `write_pickle` stored at `path`, or None when it is missing or unreadable."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError:
        return None
    return unpickled(data)


def write_pickle(path: Path, value: object) -> None:
    write_file(path, lambda handle: pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL))


def write_file(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Let `write` fill a temporary file, then rename it over `path`, so that a concurrent
    reader sees the old or the new cache, never half of one; a cache that cannot be written
    is simply not written, and leaves no temporary file behind."""
    import tempfile

    temporary = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.replace(temporary, path)
        temporary = None
    except OSError:
        pass
    finally:
        if temporary is not None:
            with contextlib.suppress(OSError):
                os.unlink(temporary)
