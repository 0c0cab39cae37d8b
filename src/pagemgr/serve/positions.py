"""Which form field a finding points at: each field's line in the file, from the YAML marks."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from pagemgr.edit import editpath
from pagemgr.edit.editing import Target
from pagemgr.errors import PagemgrError
from pagemgr.serve.forms import Field
from pagemgr.yaml import yamlio

Lines = list[tuple[int, str]]  # (1-based line in the file, field path), by line


def field_lines(target: Target, fields: list[Field]) -> Lines:
    """The line of each field the file has (not the empty fields offered for new keys)."""
    if target.kind == "json":
        return []
    try:
        loaded = yamlio.load(target.region)
    except yamlio.YamlSyntaxError:
        return []
    first = target.prefix.count("\n") + 1
    found = []
    for path in _paths(fields):
        parts = editpath.parse_path(path)
        if parts and _exists(loaded.data, parts):
            found.append((first + _line_of(loaded.node, parts), len(parts), path))
    return [(line, path) for line, _, path in sorted(found)]


def field_at(lines: Lines, line: int) -> str:
    """The field starting last at or before `line` (the deepest, on a shared line); "" if none."""
    chosen = ""
    for number, path in lines:
        if number > line:
            break
        chosen = path
    return chosen


def _paths(fields: list[Field]) -> Iterator[str]:
    for field in fields:
        yield field["path"]
        yield from _paths(field.get("children", []))
        for item in field.get("items", []):
            yield from _paths(item)


def _exists(data: Any, parts: editpath.EditPath) -> bool:
    try:
        editpath.lookup(data, parts)
    except PagemgrError:
        return False
    return True


def _line_of(node: Any, parts: editpath.EditPath) -> int:
    last = parts[-1]
    if isinstance(last, str):
        return yamlio.locate_key(node, parts[:-1], last)[0]
    return yamlio.locate(node, parts)[0]
