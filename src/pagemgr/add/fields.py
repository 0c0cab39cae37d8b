"""The fields of each kind `pagemgr add` makes, read from the kind's bundled schema.

Which schema a kind has, which keys become options, what kind of value each one reads and the
option's name: shared by the command line and the command that adds.
"""

from __future__ import annotations

import json
from typing import Any

from pagemgr.check.schemas import bundled_path

# command name -> collection label
KINDS = {
    "publication": "publications",
    "talk": "talks",
    "teaching": "teaching",
    "portfolio": "portfolio",
    "post": "posts",
}
SCHEMAS = {
    "publications": "publication",
    "talks": "talk",
    "teaching": "teaching",
    "portfolio": "portfolio",
    "posts": "post",
}
NOT_OPTIONS = frozenset({"collection"})
RENAMED = {"author": "sidebar-author"}  # --author names the paper's authors
FieldKind = str  # "str" | "bool" | "list" | "json" | "date"


def schema(label: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(bundled_path(SCHEMAS[label]).read_text(encoding="utf-8"))
    return loaded


def field_kind(spec: dict[str, Any]) -> FieldKind:
    if "$ref" in spec and spec["$ref"].endswith("jekyll-date"):
        return "date"
    raw = spec.get("type", "string")
    types = set(raw if isinstance(raw, list) else [raw]) - {"null"}
    if types == {"boolean"}:
        return "bool"
    if "array" in types and types <= {"array", "string"}:
        return "list"
    if types & {"array", "object"}:
        return "json"
    return "str"


def option_name(key: str) -> str:
    return "--" + RENAMED.get(key, key.replace("_", "-"))


def fields(label: str) -> dict[str, FieldKind]:
    """Schema key -> how its option reads its value."""
    properties = schema(label).get("properties", {})
    return {key: field_kind(spec) for key, spec in properties.items() if key not in NOT_OPTIONS}
