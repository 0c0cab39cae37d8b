"""`pagemgr fix [PATHS]`: apply the mechanical fixes; exit 1 when a file changed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

import click

from pagemgr.edit.editing import edit, read_target
from pagemgr.edit.fixes import fix_region
from pagemgr.errors import PagemgrError
from pagemgr.site.model import files_in_site, find_site_root, hook_start, load_site

EXIT_CLEAN = 0
EXIT_CHANGED = 1


def fix(
    site_path: Path | None, paths: Sequence[Path], dry_run: bool = False, hook: bool = False
) -> int:
    root = find_site_root(site_path, hook_start(paths) if hook else Path.cwd())
    site = load_site(root)
    if hook:
        paths = files_in_site(root, paths)
        if not paths:
            return _nothing_to_fix()
    items = site.files_under(paths) if paths else site.files()
    changed = refused = 0
    for item in items:
        if item.kind not in ("document", "data", "config"):
            continue
        try:
            target = read_target(item.path, site, item)
        except PagemgrError:
            continue  # no front matter, not UTF-8: `pagemgr check` reports these
        region, applied = fix_region(target, target.region)
        if not applied:
            continue
        try:
            outcome = edit(target, _constant(region), dry_run=dry_run, force=True)
        except PagemgrError as exc:
            click.echo(f"pagemgr: {item.rel}: not fixed: {exc}", err=True)
            refused += 1
            continue
        if outcome.changed:
            changed += 1
            if dry_run:
                click.echo(outcome.diff, nl=False)
            click.echo(
                f"{'would fix' if dry_run else 'fixed'} {item.rel}: {', '.join(applied)}",
                err=dry_run,
            )
    if changed:
        return EXIT_CHANGED
    return EXIT_CLEAN if refused else _nothing_to_fix()


def _nothing_to_fix() -> int:
    click.echo("Nothing to fix")
    return EXIT_CLEAN


def _constant(region: str) -> Callable[[str], str]:
    return lambda _text: region
