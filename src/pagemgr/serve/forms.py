"""Form fields from a file's schema and data: one field per value, typed as the schema says.

Keys the file has come first, in the file's order, then keys the schema knows that the file does
not have yet (empty fields, to add); keys the schema does not know are shown as they are and kept.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, TypedDict

from pagemgr.check import schema_walk
from pagemgr.edit import editpath
from pagemgr.edit.editing import plain_json
from pagemgr.edit.editpath import EditPath
from pagemgr.yaml import yamlio

MAX_DEPTH = 6
LONG_TEXT = 80


class Field(TypedDict, total=False):
    path: str
    label: str
    widget: str  # text, textarea, number, checkbox, date, select, list, json, group, items
    value: Any
    options: list[str]
    help: str
    required: bool
    known: bool
    children: list[Field]
    items: list[list[Field]]
    item_keys: list[str]  # the keys a new item is offered: the schema's, else the first item's


def fields_of(
    schema: schema_walk.Schema,
    data: Any,
    enums: dict[str, list[str]] | None = None,
    prefix: EditPath = (),
) -> list[Field]:
    """The fields of the mapping (or, for a top-level list, the items) at `prefix`."""
    sub = schema_walk.at(schema, list(prefix)) if schema else {}
    builder = _Builder(schema, enums or {})
    if isinstance(data, list):
        return [builder.field(prefix, data, sub, True)]
    return builder.mapping(prefix, data if isinstance(data, dict) else {}, sub, 0)


class _Builder:
    def __init__(self, root: schema_walk.Schema, enums: dict[str, list[str]]) -> None:
        self.root = root
        self.enums = enums

    def mapping(
        self, prefix: EditPath, data: dict[Any, Any], sub: schema_walk.Schema, depth: int
    ) -> list[Field]:
        properties = sub.get("properties")
        properties = properties if isinstance(properties, dict) else {}
        required = set(sub.get("required") or ())
        named = schema_walk.known_keys(sub)
        keys = [str(key) for key in data] + [key for key in properties if key not in data]
        out = []
        for key in keys:
            child = schema_walk.child(self.root, sub, key) if sub else {}
            known = named is None or key in (named or ())
            field = self.field((*prefix, key), data.get(key), child, known or not sub, depth)
            field["required"] = key in required
            out.append(field)
        return out

    def field(
        self, path: EditPath, value: Any, sub: schema_walk.Schema, known: bool, depth: int = 0
    ) -> Field:
        field = Field(
            path=editpath.format_path(path) if path else ".",
            label=str(path[-1]) if path else "(the whole file)",
            help=str(sub.get("description", "")),
            known=known,
            widget=_widget(sub, value, depth),
            value=_shown(value),
        )
        options = self.enums.get(field["path"]) or _enum(sub)
        if options and field["widget"] in ("text", "select"):
            field["widget"] = "select"
            field["options"] = options
        if field["widget"] == "group":
            field["children"] = self.mapping(path, value or {}, sub, depth + 1)
            del field["value"]
        elif field["widget"] == "items":
            item_schema = schema_walk.child(self.root, sub, 0) if sub else {}
            field["items"] = [
                self.mapping((*path, index), item, item_schema, depth + 1)
                for index, item in enumerate(value)
            ]
            field["item_keys"] = _item_keys(item_schema, value)
            del field["value"]
        return field


def _item_keys(item_schema: schema_walk.Schema, value: list[Any]) -> list[str]:
    named = schema_walk.known_keys(item_schema) or ()
    plain = [
        key
        for key in named
        if _types(schema_walk.child(item_schema, item_schema, key))
        in (("string",), ("string", "number"))
    ]
    return plain or [str(key) for key in (value[0] if value else {}) if isinstance(key, str)]


def _types(sub: schema_walk.Schema) -> tuple[str, ...]:
    kinds = sub.get("type")
    if isinstance(kinds, list):
        return tuple(str(kind) for kind in kinds if kind != "null")
    return (str(kinds),) if isinstance(kinds, str) else ()


def _enum(sub: schema_walk.Schema) -> list[str]:
    values = sub.get("enum")
    return [str(value) for value in values if value is not None] if isinstance(values, list) else []


def _widget(sub: schema_walk.Schema, value: Any, depth: int) -> str:
    kinds = _types(sub)
    if isinstance(value, dict) or (value is None and kinds == ("object",)):
        return "group" if depth < MAX_DEPTH else "json"
    if isinstance(value, list):
        return _list_widget(value, depth)
    if isinstance(value, bool) or (value is None and kinds == ("boolean",)):
        return "checkbox"
    if sub.get("format") == "jekyll-date" or isinstance(value, yamlio.JekyllDate):
        return "date" if _plain_date(value) else "text"
    if isinstance(value, int | float) or (value is None and kinds in (("number",), ("integer",))):
        return "number"
    if isinstance(value, str) and (len(value) > LONG_TEXT or "\n" in value):
        return "textarea"
    if value is None and kinds and "array" in kinds and "string" not in kinds:
        items = sub.get("items")
        plain = isinstance(items, dict) and "$ref" not in items and items.get("type") != "object"
        return "list" if plain or items is None else "json"
    return "text"


def _list_widget(value: list[Any], depth: int) -> str:
    if all(isinstance(item, str) for item in value):
        return "list"
    if value and all(isinstance(item, dict) for item in value) and depth < MAX_DEPTH:
        return "items"
    return "json"


def _plain_date(value: Any) -> bool:
    if value is None:
        return True
    inner = getattr(value, "value", value)
    return isinstance(inner, dt.date) and not isinstance(inner, dt.datetime)


def _shown(value: Any) -> Any:
    """The value as the page holds it: JSON data, dates as their text."""
    if isinstance(value, yamlio.JekyllDate):
        return str(value)
    return plain_json(value)
