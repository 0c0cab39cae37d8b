"""`pagemgr set FILE PATH VALUE`: give one key a new value, changing only that value's text."""

from __future__ import annotations

from pathlib import Path

from pagemgr.editing import (
    Expectation,
    Operation,
    Target,
    holds,
    module_for,
    parse_value,
    required_path,
    run_edit,
    value_for,
)
from pagemgr.editpath import format_path


def set_value(
    file: Path,
    path: str,
    value: str | None,
    type_name: str = "str",
    dry_run: bool = False,
    force: bool = False,
    site_path: Path | None = None,
) -> int:
    parts = required_path(path)
    typed = parse_value(value, type_name)

    def build(target: Target) -> tuple[Operation, Expectation]:
        new = value_for(target, typed)
        module = module_for(target)
        return (lambda text: str(module.set_value(text, parts, new))), holds(parts, new)

    what = f"set {format_path(parts)}"
    return run_edit(file, site_path, what, build, dry_run=dry_run, force=force)
