"""`pagemgr append FILE PATH VALUE`: add an item at the end of a list, in the list's own style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pagemgr.edit import editpath, render
from pagemgr.edit.editing import Expectation, plain_json, value_edit
from pagemgr.edit.editpath import format_path, parse_path
from pagemgr.errors import PagemgrError


def append(
    file: Path,
    path: str,
    value: str | None,
    type_name: str = "str",
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
) -> int:
    parts = parse_path(path)
    return value_edit(
        file,
        parts,
        value,
        type_name,
        "append",
        _appended,
        f"appended to {format_path(parts)}",
        dry_run=dry_run,
        force=force,
        site_path=site_path,
    )


def _appended(parts: editpath.EditPath, value: Any) -> Expectation:
    def check(data: Any) -> bool:
        try:
            got = editpath.lookup(data, parts)
        except PagemgrError:
            return False
        if isinstance(got, dict) and isinstance(value, dict):
            return all(render.same(plain_json(got.get(k)), plain_json(v)) for k, v in value.items())
        return (
            isinstance(got, list)
            and bool(got)
            and (render.same(plain_json(got[-1]), plain_json(value)))
        )

    return check
