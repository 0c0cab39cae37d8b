"""Per-file check results kept between runs, so that a run re-reads only the files that changed.

An entry is keyed by the file's site-relative path and its (size, mtime, inode); the whole cache
by a fingerprint of everything else a per-file result depends on (pagemgr's version, the site's
_config.yml, the builder, the schema files; not the templates, whose verdicts a result holds
as questions, settled once per run). It lives under the repository's .git folder, or the
user's cache folder, never in the site. Writes go to a temporary file that is renamed over the
old one, so concurrent runs never see half a cache; a cache that cannot be read is ignored and
rebuilt.
"""

from __future__ import annotations

import gc
import mmap
import pickle
import struct
from collections.abc import Container, Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from pagemgr import __version__
from pagemgr.check.engine.stat_ahead import StatKey, stat_key, stat_keys
from pagemgr.check.file_result import FileResult
from pagemgr.site.cache_files import unpickled, write_file
from pagemgr.site.model import FolderScan, Site, SiteFile

FORMAT = 13
SMALL_CHANGE = 20  # below this many re-read files (and 2% of the site) the cache is not rewritten
_NEVER_CACHED = frozenset({"static", "outside-link"})


def fingerprint(site: Site, schema_files: Iterable[Path]) -> str:
    """Everything else a per-file result depends on, compared as it is: the builder (whose YAML
    rules every file is read with; it may come from a workflow or the Gemfile)."""
    parts = [str(FORMAT), __version__, str(site.root), site.config_text or ""]
    parts.append(site.builder.builder)
    parts.extend(f"{path}\0{stat_key(path)}" for path in sorted(schema_files))
    return "\0".join(parts)


class CheckCache:
    """The cache of one site. Its file holds the folder listings and, pickled apart, the
    entries: the walk can start before the entries are loaded (see `plan`)."""

    def __init__(self, path: Path | None, print_: str) -> None:
        self.path = path
        self.fingerprint = print_
        self.folder_scans: dict[str, FolderScan] = {}
        self._stored_entries: _Stored | None = None  # the entries as the file holds them
        self._entries: Entries | None = None
        self.dirty = False
        self.listing_changed = False
        self.fresh = 0  # entries stored by this run
        self.walked: set[str] = set()  # the files `plan` was given: those still there
        if path is not None:
            self.folder_scans, self._stored_entries = _load(path, print_)

    @property
    def entries(self) -> Entries:
        if self._entries is None:
            stored, self._stored_entries = self._stored_entries, None
            self._entries = {} if stored is None else stored.load()
            gc.freeze()  # what the cache holds lives as long as the run: never scan it again
        return self._entries

    def attach(self, site: Site) -> None:
        """Let the site's walk skip the folders that have not changed since the last run."""
        if self.path is not None:
            site.folder_scans = self.folder_scans
            site.folders_changed = False

    def detach(self, site: Site) -> None:
        if self.path is not None and site.folder_scans is not None and site.folders_changed:
            self.folder_scans = site.folder_scans
            self.dirty = self.listing_changed = True

    @classmethod
    def disabled(cls) -> CheckCache:
        return cls(None, "")

    def plan(
        self, items: Iterable[SiteFile], uncached: Container[str]
    ) -> Iterator[tuple[SiteFile, StatKey | None, FileResult | None]]:
        """Each of `items` with its stat key and its cached report, if the cache holds one for
        the file as it is now. Static files, links out of the site and the `uncached` paths
        have neither; with the cache off, no file is even stat'ed."""
        if self.path is None:
            yield from ((item, None, None) for item in items)
            return
        items = list(items)
        self.walked.update(item.rel for item in items)
        wanted = [item.kind not in _NEVER_CACHED and item.rel not in uncached for item in items]
        locations = [item.location for item, yes in zip(items, wanted, strict=True) if yes]
        keys = iter(stat_keys(locations, meanwhile=lambda: self.entries))
        entries = self.entries
        for item, yes in zip(items, wanted, strict=True):
            key = next(keys) if yes else None
            if key is None:
                yield item, None, None
                continue
            entry = entries.get(item.rel)
            yield item, key, entry[1] if entry is not None and entry[0] == key else None

    def store(self, item: SiteFile, key: StatKey | None, report: FileResult) -> None:
        if self.path is None or key is None or stat_key(item.location) != key:
            return
        self.entries[item.rel] = (key, report)
        self.dirty = True
        self.fresh += 1

    def forget_missing(self) -> None:
        """Drop the entries of files that the run's walk did not find."""
        gone = [rel for rel in self.entries if rel not in self.walked]
        for rel in gone:
            del self.entries[rel]
        self.dirty = self.dirty or bool(gone)

    def worth_saving(self) -> bool:
        """Rewriting the whole cache for a handful of re-read files costs more than reading
        them again next time; a run that read many (or lost entries) saves."""
        if not self.dirty:
            return False
        return (
            self.fresh == 0
            or self.listing_changed
            or self.fresh >= SMALL_CHANGE
            or self.fresh * 50 >= len(self.entries)
        )

    def save(self) -> None:
        if self.path is None or not self.worth_saving():
            return
        header = pickle.dumps(
            (FORMAT, self.fingerprint, self.folder_scans), protocol=pickle.HIGHEST_PROTOCOL
        )
        stored = self._stored_entries

        def write(handle: BinaryIO) -> None:  # the entries straight to the file, not in memory
            handle.write(_LENGTH.pack(len(header)))
            handle.write(header)
            if stored is not None:
                stored.write_to(handle)
            else:
                pickle.dump(self.entries, handle, protocol=pickle.HIGHEST_PROTOCOL)

        write_file(self.path, write)


Entries = dict[str, tuple[StatKey, FileResult]]
# The cache file: the length of the header, the header (format, fingerprint, folder listings)
# pickled, then the entries pickled; the entries are unpickled straight from the mapped file.
_LENGTH = struct.Struct("<Q")


class _Stored:
    """The entries part of a cache file, mapped, not yet unpickled."""

    def __init__(self, mapped: mmap.mmap, offset: int) -> None:
        self.mapped, self.offset = mapped, offset

    def load(self) -> Entries:
        try:
            with memoryview(self.mapped) as whole, whole[self.offset :] as entries:
                loaded = unpickled(entries)
        finally:
            self.mapped.close()
        return loaded if isinstance(loaded, dict) else {}

    def write_to(self, handle: BinaryIO) -> None:
        with memoryview(self.mapped) as whole, whole[self.offset :] as entries:
            handle.write(entries)


def _load(path: Path, print_: str) -> tuple[dict[str, FolderScan], _Stored | None]:
    """The folder listings, and the entries still pickled; nothing for a cache of another
    version or fingerprint, or one that cannot be read."""
    try:
        with open(path, "rb") as handle:
            mapped = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
    except (OSError, ValueError):  # missing, unreadable or empty
        return {}, None
    start = _LENGTH.size + (_LENGTH.unpack_from(mapped)[0] if len(mapped) >= _LENGTH.size else 0)
    match unpickled(mapped[_LENGTH.size : start]):
        case (version, stored, dict() as scans) if version == FORMAT and stored == print_:
            return scans, _Stored(mapped, start)
    mapped.close()
    return {}, None
