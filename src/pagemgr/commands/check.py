"""`pagemgr check`: validate the whole site, or some files with the whole site as context."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path

from pagemgr.check import settings as settings_module
from pagemgr.check.findings import CheckResult
from pagemgr.check.pipeline import run_checks
from pagemgr.check.reporters import REPORTERS
from pagemgr.site.model import Site, files_in_site, find_site_root, hook_start, load_site

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
    use_cache: bool = True,
    hook: bool = False,
    jobs: int = 0,
    site_wide: bool = True,
) -> int:
    root = find_site_root(site_path, hook_start(paths) if hook else Path.cwd())
    site = load_site(root, cached=use_cache)
    if hook:
        paths = files_in_site(root, paths)
        if not paths:
            return EXIT_OK
    settings = settings_module.load(site, select, ignore)
    items = site.files_under(paths) if paths else site.files()
    result = run_checks(
        site,
        items,
        settings,
        complete=not paths,
        use_cache=use_cache,
        jobs=jobs,
        site_wide=site_wide,
        named=named_files(site, paths),
    )
    REPORTERS[output_format](result, sys.stdout, color)
    return exit_code(result, strict)


def named_files(site: Site, paths: Sequence[Path]) -> list[str]:
    """Site-relative paths of the files named (folders are expanded by the walk instead)."""
    return [
        site.rel(Path(os.path.normpath(path.absolute())))
        for path in files_in_site(site.root, paths)
    ]


def exit_code(result: CheckResult, strict: bool) -> int:
    if result.errors or (strict and result.warnings):
        return EXIT_FINDINGS
    return EXIT_OK
