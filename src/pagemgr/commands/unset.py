"""`pagemgr unset FILE PATH`: remove a key with exactly its own lines."""

from __future__ import annotations

from pathlib import Path

from pagemgr.editing import Expectation, Operation, Target, module_for, run_edit
from pagemgr.editpath import format_path, parse_path
from pagemgr.errors import UsageError


def unset(
    file: Path,
    path: str,
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
) -> int:
    parts = parse_path(path)
    if not parts:
        raise UsageError("PATH '.' (the whole file) works only with get and append")

    def build(target: Target) -> tuple[Operation, Expectation | None]:
        module = module_for(target)
        target.get(parts)  # a missing PATH is an error before anything is edited
        return (lambda text: str(module.unset(text, parts))), None

    what = f"removed {format_path(parts)}"
    return run_edit(file, site_path, what, build, dry_run=dry_run, force=force)
