"""The engine's one interface: every file of a run with its `FileResult`, as fast as it can.

A file unchanged since the last run is answered from the check cache; the others are checked,
on every core when there are many. The rest of `check/` meets none of the machinery behind
this (the cache file, forked children, pipes, pickles): only `Reading` and `result_of`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path

from pagemgr.check.checker import Checker
from pagemgr.check.engine import cache as check_cache
from pagemgr.check.engine import parallel
from pagemgr.check.file_result import FileResult
from pagemgr.check.schemas import SchemaSet
from pagemgr.site.cache_files import cache_file
from pagemgr.site.model import Site, SiteFile

# A file, its result (None for a static file) and, when asked for, its record encoded for the
# on-disk index.
Read = tuple[SiteFile, FileResult | None, bytes | None]


class Reading:
    """One run's pass over files: open with the cache (or without), read, then `finish`."""

    def __init__(self, site: Site, schemas: SchemaSet, use_cache: bool) -> None:
        self.site = site
        self.cache = _open_cache(site, schemas, use_cache)
        self.cache.attach(site)

    def results(
        self,
        checker: Checker,
        items: Iterable[SiteFile],
        overlay: Mapping[str, str],
        jobs: int,
        encoded: bool = False,
    ) -> Iterator[Read]:
        """Each file with its result, in order. Files stream through: none is held once the
        caller has its result. `overlay` files are never taken from or put in the cache."""
        for (item, key, cached), result, record in parallel.check_all(
            checker, self.cache.plan(items, overlay), jobs, encoded
        ):
            if result is not None and cached is None:
                self.cache.store(item, key, result)
            yield item, result, record

    def finish(self, whole_walk: bool) -> None:
        """Save what was read; after a walk of the whole site, forget files it did not see."""
        if whole_walk:
            self.cache.forget_missing()
        self.cache.detach(self.site)
        self.cache.save()


def result_of(checker: Checker, item: SiteFile) -> FileResult:
    """One file checked here and now, bypassing the cache."""
    return parallel.report_of(checker, item)


def _open_cache(site: Site, schemas: SchemaSet, enabled: bool) -> check_cache.CheckCache:
    if not enabled:
        return check_cache.CheckCache.disabled()
    files: Iterable[Path] = schemas.paths.values()
    return check_cache.CheckCache(cache_file(site.root), check_cache.fingerprint(site, files))
