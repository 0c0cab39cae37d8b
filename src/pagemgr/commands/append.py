"""`pagemgr append FILE PATH VALUE`: add an item at the end of a list, in the list's own style."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pagemgr import editpath, render
from pagemgr.editing import (
    Expectation,
    Operation,
    Target,
    module_for,
    parse_value,
    plain_json,
    run_edit,
    value_for,
)
from pagemgr.editpath import format_path, parse_path
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
    typed = parse_value(value, type_name)

    def build(target: Target) -> tuple[Operation, Expectation]:
        new = value_for(target, typed)
        module = module_for(target)
        return (lambda text: str(module.append(text, parts, new))), _appended(parts, new)

    what = f"appended to {format_path(parts)}"
    return run_edit(file, site_path, what, build, dry_run=dry_run, force=force)


def _appended(parts: editpath.EditPath, value: Any) -> Expectation:
    def check(data: Any) -> bool:
        try:
            got = editpath.lookup(data, parts)
        except PagemgrError:
            return False
        if isinstance(got, dict) and isinstance(value, dict):
            return all(render.same(plain_json(got.get(k)), plain_json(v)) for k, v in value.items())
        return isinstance(got, list) and bool(got) and (
            render.same(plain_json(got[-1]), plain_json(value))
        )

    return check
