"""`pagemgr check`: validate the whole site, or some files with the whole site as context."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Sequence
from pathlib import Path

from pagemgr import settings as settings_module
from pagemgr import site_rules
from pagemgr.checker import Checker
from pagemgr.findings import CheckResult
from pagemgr.reporters import REPORTERS
from pagemgr.schemas import SchemaSet
from pagemgr.settings import Settings
from pagemgr.site import Site, SiteFile, find_site_root, load_site
from pagemgr.site_index import SiteIndex

EXIT_OK = 0
EXIT_FINDINGS = 1


def check(
    site_path: Path | None,
    paths: Sequence[Path],
    output_format: str = "text",
    strict: bool = False,
    color: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
) -> int:
    root = find_site_root(site_path, Path.cwd())
    site = load_site(root)
    settings = settings_module.load(site, select, ignore)
    items = site.files_under(paths) if paths else site.files()
    result = run_checks(site, items, settings, complete=not paths)
    REPORTERS[output_format](result, sys.stdout, color)
    return exit_code(result, strict)


def run_checks(site: Site, items: Iterable[SiteFile], settings: Settings | None = None,
               complete: bool = False) -> CheckResult:
    """Check `items` (static files are skipped) with the whole site as context; never prints.

    One pass: each file is read once, and its record goes to the site index; then the
    site-wide rules run on the index, and the settings filter every finding. Unless `complete`
    says `items` is the whole site, the other files are read for the index only.
    """
    settings = settings if settings is not None else settings_module.load(site)
    schemas = SchemaSet(site.root, _schema_overrides(site.pagemgr_settings))
    index = SiteIndex(site)
    checker = Checker(site, schemas, index)
    result = CheckResult(root=site.root)
    selected: set[str] = set()
    for item in items:
        selected.add(item.rel)
        if item.kind == "static":
            index.add_static(item)
            continue
        report = checker.check(item)
        result.files_checked += 1
        result.findings.extend(report.findings)
    if not complete:
        for item in site.files():
            if item.rel in selected:
                continue
            if item.kind == "static":
                index.add_static(item)
            else:
                checker.check(item)
    cross = site_rules.run(index, schemas)
    result.findings.extend(f for f in cross if complete or f.path in selected)
    result.findings = settings.apply(result.findings, index.suppressions)
    return result


def exit_code(result: CheckResult, strict: bool) -> int:
    if result.errors or (strict and result.warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def _schema_overrides(settings: dict[str, object]) -> dict[str, object]:
    value = settings.get("schemas")
    return value if isinstance(value, dict) else {}
