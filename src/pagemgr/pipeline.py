"""One check run: every file once (or from the cache), the site index, site-wide rules, settings.

Shared by `check`, the editing commands' validation gate and `publish`; it never prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pagemgr import check_cache, site_rules
from pagemgr import settings as settings_module
from pagemgr.checker import Checker
from pagemgr.findings import CheckResult
from pagemgr.schemas import SchemaSet
from pagemgr.settings import Settings
from pagemgr.site import Site, SiteFile
from pagemgr.site_index import SiteIndex


def schema_set(site: Site) -> SchemaSet:
    overrides = site.pagemgr_settings.get("schemas")
    return SchemaSet(site.root, overrides if isinstance(overrides, dict) else {})


def open_cache(site: Site, schemas: SchemaSet, enabled: bool) -> check_cache.CheckCache:
    if not enabled:
        return check_cache.CheckCache.disabled()
    files: Iterable[Path] = schemas.paths.values()
    return check_cache.CheckCache(
        check_cache.cache_file(site.root), check_cache.fingerprint(site, files)
    )


def run_checks(
    site: Site,
    items: Iterable[SiteFile],
    settings: Settings | None = None,
    complete: bool = False,
    overlay: Mapping[str, str] | None = None,
    use_cache: bool = True,
) -> CheckResult:
    """Check `items` with the whole site as context.

    Unless `complete` says `items` is the whole site, the other files are read for the site
    index only. `overlay` replaces the text of some files (an edit being validated); those are
    never taken from or put in the cache.
    """
    settings = settings if settings is not None else settings_module.load(site)
    overlay = overlay or {}
    schemas = schema_set(site)
    cache = open_cache(site, schemas, use_cache)
    checker = Checker(site, schemas, overlay)
    index = SiteIndex(site)
    result = CheckResult(root=site.root)
    selected: set[str] = set()
    present: set[str] = set()

    def visit(item: SiteFile, counted: bool) -> None:
        present.add(item.rel)
        if item.kind == "static":
            index.add_static(item)
            return
        report = _report(checker, cache, item, item.rel in overlay)
        index.add(item, report.record, report.suppressed, report.facts)
        if counted:
            result.files_checked += 1
            result.findings.extend(report.findings)

    for item in items:
        selected.add(item.rel)
        visit(item, True)
    if not complete:
        for item in site.files():
            if item.rel not in selected:
                visit(item, False)
    if not overlay:
        cache.forget_missing(present)
        cache.save()
    cross = site_rules.run(index, schemas, None if complete else frozenset(selected))
    result.findings.extend(f for f in cross if complete or f.path in selected)
    result.findings = settings.apply(result.findings, index.suppressions)
    return result


def _report(
    checker: Checker, cache: check_cache.CheckCache, item: SiteFile, overlaid: bool
) -> check_cache.CachedReport:
    key = None if overlaid or item.kind == "outside-link" else check_cache.stat_key(item.path)
    cached = cache.lookup(item, key)
    if cached is not None:
        return cached
    report = checker.check(item)
    fresh = check_cache.CachedReport(
        tuple(report.findings), report.record, report.suppressed, report.facts
    )
    cache.store(item, key, fresh)
    return fresh
