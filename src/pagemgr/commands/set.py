"""`pagemgr set FILE PATH VALUE`: give one key a new value, changing only that value's text."""

from __future__ import annotations

from pathlib import Path

from pagemgr.edit.editing import holds, required_path, value_edit
from pagemgr.edit.editpath import format_path


def set_value(
    file: Path,
    path: str,
    value: str | None,
    type_name: str | None = None,
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
    *,
    new_key: bool = False,
) -> int:
    """`type_name` None: VALUE is read as the schema types PATH; `new_key`: create a key that
    neither the schema nor the file's kin know."""
    parts = required_path(path)
    return value_edit(
        file,
        parts,
        value,
        type_name,
        "set_value",
        holds,
        f"set {format_path(parts)}",
        dry_run=dry_run,
        force=force,
        site_path=site_path,
        new_key=new_key,
    )
