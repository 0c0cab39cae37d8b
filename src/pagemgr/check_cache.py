"""Per-file check results kept between runs, so that a run re-reads only the files that changed.

An entry is keyed by the file's site-relative path and its (size, mtime, inode); the whole cache
by a fingerprint of everything else a per-file result depends on (pagemgr's version, the site's
_config.yml, the schema files). It lives under the repository's .git folder, or the user's cache
folder, never in the site. Writes go to a temporary file that is renamed over the old one, so
concurrent runs never see half a cache; a cache that cannot be read is ignored and rebuilt.
"""

from __future__ import annotations

import gc
import os
import pickle
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, NamedTuple

from pagemgr import __version__
from pagemgr.findings import Finding
from pagemgr.site import FolderScan, Site, SiteFile, pickled_as_tuple
from pagemgr.site_index import DataFacts, DocRecord

FORMAT = 7
SMALL_CHANGE = 20  # below this many re-read files (and 2% of the site) the cache is not rewritten
StatKey = tuple[int, int, int]


class CachedReport(NamedTuple):
    findings: tuple[Finding, ...]
    record: DocRecord | None
    suppressed: frozenset[str]
    facts: DataFacts | None

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)


def stat_key(path: str | Path) -> StatKey | None:
    try:
        stat = os.stat(path)
    except OSError:
        return None
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino)


def fingerprint(site: Site, schema_files: Iterable[Path]) -> str:
    """Everything else a per-file result depends on, compared as it is: no hashing to import."""
    parts = [str(FORMAT), __version__, str(site.root), site.config_text or ""]
    parts.extend(f"{path}\0{stat_key(path)}" for path in sorted(schema_files))
    return "\0".join(parts)


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


class CheckCache:
    def __init__(self, path: Path | None, print_: str) -> None:
        self.path = path
        self.fingerprint = print_
        self.entries: dict[str, tuple[StatKey, CachedReport]] = {}
        self.folder_scans: dict[str, FolderScan] = {}
        self.dirty = False
        self.listing_changed = False
        self.fresh = 0  # entries stored by this run
        if path is not None:
            self.entries, self.folder_scans = _load(path, print_)

    def attach(self, site: Site) -> None:
        """Let the site's walk skip the folders that have not changed since the last run."""
        if self.path is not None:
            site.folder_scans = self.folder_scans
            site.folders_changed = False

    def detach(self, site: Site) -> None:
        if self.path is not None and site.folder_scans is not None and site.folders_changed:
            self.folder_scans = site.folder_scans
            self.dirty = self.listing_changed = True

    @property
    def enabled(self) -> bool:
        return self.path is not None

    @classmethod
    def disabled(cls) -> CheckCache:
        return cls(None, "")

    def lookup(self, item: SiteFile, key: StatKey | None) -> CachedReport | None:
        if self.path is None or key is None:
            return None
        entry = self.entries.get(item.rel)
        return entry[1] if entry is not None and entry[0] == key else None

    def store(self, item: SiteFile, key: StatKey | None, report: CachedReport) -> None:
        if self.path is None or key is None or stat_key(item.location) != key:
            return
        self.entries[item.rel] = (key, report)
        self.dirty = True
        self.fresh += 1

    def forget_missing(self, present: set[str]) -> None:
        gone = [rel for rel in self.entries if rel not in present]
        for rel in gone:
            del self.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def worth_saving(self) -> bool:
        """Rewriting the whole cache for a handful of re-read files costs more than reading
        them again next time; a run that read many (or lost entries) saves."""
        if not self.dirty:
            return False
        return (self.fresh == 0 or self.listing_changed or self.fresh >= SMALL_CHANGE
                or self.fresh * 50 >= len(self.entries))

    def save(self) -> None:
        if self.path is None or not self.worth_saving():
            return
        write_pickle(self.path, (FORMAT, self.fingerprint, self.entries, self.folder_scans))


Entries = dict[str, tuple[StatKey, CachedReport]]


def _load(path: Path, print_: str) -> tuple[Entries, dict[str, FolderScan]]:
    stored = read_pickle(path)
    gc.freeze()  # what the cache holds lives as long as the run: never scan it again
    try:
        version, stored_print, entries, scans = stored
    except (TypeError, ValueError):
        return {}, {}
    if (version != FORMAT or stored_print != print_ or not isinstance(entries, dict)
            or not isinstance(scans, dict)):
        return {}, {}
    return entries, scans


def read_pickle(path: Path) -> Any:
    """What `write_pickle` stored at `path`, or None when it is missing or unreadable."""
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of new tuples would start a collection every few hundred
    try:
        with open(path, "rb") as handle:
            return pickle.load(handle)
    except Exception:  # a missing, partial or foreign cache is rebuilt, whatever is wrong with it
        return None
    finally:
        if collecting:
            gc.enable()


def write_pickle(path: Path, value: object) -> None:
    """Store `value` at `path` through a temporary file renamed over it, so that a concurrent
    reader sees the old or the new cache, never half of one; a cache that cannot be written
    is simply not written."""
    import tempfile

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temporary = tempfile.mkstemp(prefix=f".{path.stem}-", dir=path.parent)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except OSError:
        return
