"""`pagemgr check`: validate the whole site, or some files with the whole site as context."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pagemgr.checker import Checker
from pagemgr.findings import CheckResult
from pagemgr.reporters import REPORTERS
from pagemgr.schemas import SchemaSet
from pagemgr.site import find_site_root, load_site

EXIT_OK = 0
EXIT_FINDINGS = 1


def check(
    site_path: Path | None,
    paths: Sequence[Path],
    output_format: str = "text",
    strict: bool = False,
    color: bool = False,
) -> int:
    root = find_site_root(site_path, Path.cwd())
    site = load_site(root)
    schemas = SchemaSet(root, _schema_overrides(site.pagemgr_settings))
    checker = Checker(site, schemas)
    items = site.files_under(paths) if paths else site.files()
    result = CheckResult()
    for item in items:
        if item.kind == "static":
            continue
        report = checker.check(item)
        result.files_checked += 1
        result.findings.extend(report.findings)
    REPORTERS[output_format](result, sys.stdout, color)
    return exit_code(result, strict)


def exit_code(result: CheckResult, strict: bool) -> int:
    if result.errors or (strict and result.warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def _schema_overrides(settings: dict[str, object]) -> dict[str, object]:
    value = settings.get("schemas")
    return value if isinstance(value, dict) else {}
