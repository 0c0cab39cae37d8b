"""`pagemgr check`: validate the whole site, or some files with the whole site as context."""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from pagemgr import settings as settings_module
from pagemgr.findings import CheckResult
from pagemgr.pipeline import run_checks
from pagemgr.reporters import REPORTERS
from pagemgr.site import find_site_root, load_site

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
) -> int:
    root = find_site_root(site_path, _hook_start(paths) if hook else Path.cwd())
    site = load_site(root)
    if hook:
        paths = [path for path in paths if _is_site_file(root, path)]
        if not paths:
            return EXIT_OK
    settings = settings_module.load(site, select, ignore)
    items = site.files_under(paths) if paths else site.files()
    result = run_checks(site, items, settings, complete=not paths, use_cache=use_cache)
    REPORTERS[output_format](result, sys.stdout, color)
    return exit_code(result, strict)


def exit_code(result: CheckResult, strict: bool) -> int:
    if result.errors or (strict and result.warnings):
        return EXIT_FINDINGS
    return EXIT_OK


def _hook_start(paths: Sequence[Path]) -> Path:
    """Where to look for the site: the first named file's folder (the site may be a subfolder)."""
    for path in paths:
        if path.name == "_config.yml" or path.suffix in (".md", ".markdown", ".html"):
            return path.absolute().parent
    return Path.cwd()


def _is_site_file(root: Path, path: Path) -> bool:
    absolute = path.absolute()
    return absolute.is_file() and absolute.is_relative_to(root)
