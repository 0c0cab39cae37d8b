"""`pagemgr remove FILE PATH`: remove a list item (or a key) with exactly its own lines."""

from __future__ import annotations

from pathlib import Path

from pagemgr.commands.unset import unset


def remove(
    file: Path,
    path: str,
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
) -> int:
    return unset(file, path, dry_run, force, site_path, operation="remove")
