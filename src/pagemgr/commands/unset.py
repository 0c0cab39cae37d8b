"""`pagemgr unset FILE PATH`: remove a key with exactly its own lines."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pagemgr.edit.editing import Expectation, Operation, Target, module_for, required_path, run_edit
from pagemgr.edit.editpath import format_path


def unset(
    file: Path,
    path: str,
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
    operation: Literal["unset", "remove"] = "unset",
) -> int:
    parts = required_path(path)

    def build(target: Target) -> tuple[Operation, Expectation | None]:
        remover = getattr(module_for(target), operation)
        target.get(parts)  # a missing PATH is an error before anything is edited
        return (lambda text: str(remover(text, parts))), None

    what = f"removed {format_path(parts)}"
    return run_edit(file, site_path, what, build, dry_run=dry_run, force=force)
