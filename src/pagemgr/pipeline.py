"""One check run: every file once (or from the cache), the site index, site-wide rules, settings.

Shared by `check`, the editing commands' validation gate and `publish`; it never prints.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

from pagemgr import check_cache, parallel, site_rules
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
    jobs: int = 0,
) -> CheckResult:
    """Check `items` with the whole site as context.

    Unless `complete` says `items` is the whole site, the other files are read for the site
    index only. `overlay` replaces the text of some files (an edit being validated); those are
    never taken from or put in the cache. `jobs` is the number of processes (0: as many as
    there are cores, when enough files need reading to pay for them).
    """
    settings = settings if settings is not None else settings_module.load(site)
    overlay = overlay or {}
    schemas = schema_set(site)
    cache = open_cache(site, schemas, use_cache)
    checker = Checker(site, schemas, overlay)
    selected = list(items)
    chosen = {item.rel for item in selected}
    others = [] if complete else [item for item in site.files() if item.rel not in chosen]
    everything = [*selected, *others]
    reports = _reports(checker, cache, everything, overlay, jobs)
    index = SiteIndex(site)
    result = CheckResult(root=site.root)
    for item in everything:
        if item.kind == "static":
            index.add_static(item)
            continue
        report = reports[item.rel]
        index.add(item, report.record, report.suppressed, report.facts)
        if item.rel in chosen:
            result.files_checked += 1
            result.findings.extend(report.findings)
    if not overlay:
        cache.forget_missing({item.rel for item in everything})
        cache.save()
    cross = site_rules.run(index, schemas, None if complete else frozenset(chosen))
    result.findings.extend(f for f in cross if complete or f.path in chosen)
    result.findings = settings.apply(result.findings, index.suppressions)
    return result


def _reports(
    checker: Checker,
    cache: check_cache.CheckCache,
    items: list[SiteFile],
    overlay: Mapping[str, str],
    jobs: int,
) -> dict[str, check_cache.CachedReport]:
    """Each non-static file's report: from the cache when it is unchanged, else checked."""
    reports: dict[str, check_cache.CachedReport] = {}
    keys: dict[str, check_cache.StatKey | None] = {}
    missing: list[SiteFile] = []
    for item in items:
        if item.kind == "static":
            continue
        overlaid = item.rel in overlay
        key = None if overlaid or item.kind == "outside-link" else check_cache.stat_key(item.path)
        cached = cache.lookup(item, key)
        if cached is not None:
            reports[item.rel] = cached
        else:
            keys[item.rel] = key
            missing.append(item)
    for item, report in zip(missing, parallel.check_all(checker, missing, jobs), strict=True):
        cache.store(item, keys[item.rel], report)
        reports[item.rel] = report
    return reports
