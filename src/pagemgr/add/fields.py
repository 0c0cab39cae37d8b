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
RECORD_KEY = "pagemgr_wrote"  # pagemgr's record of what it wrote (see `refresh`), not an option
NOT_OPTIONS = frozenset({"collection", RECORD_KEY})
RENAMED = {"author": "sidebar-author"}  # --author names the paper's authors
FieldKind = str  # "str" | "bool" | "list" | "json" | "date"
# What the layouts show when it is there (academicpages' _layouts/single.html, talk.html and
# _includes/archive-single.html): asked for after the required keys, an empty answer skips it.
# "authors" is not a key of its own: the names make the citation.
RECOMMENDED = {
    "publications": ("authors", "paperurl", "excerpt"),
    "talks": ("type", "venue", "location"),
    "teaching": ("type", "venue", "location"),
    "portfolio": ("excerpt",),
    "posts": (),
}
# required once _config.yml lists publication_category: an entry without one is not listed
REQUIRED_WITH_CATEGORIES = {"publications": "category"}


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
    """Schema key -> how its option reads its value, the required keys first."""
    properties = schema(label).get("properties", {})
    first = [key for key in required_keys(label, with_categories=True) if key in properties]
    keys = first + [key for key in properties if key not in first]
    return {key: field_kind(properties[key]) for key in keys if key not in NOT_OPTIONS}


def required_keys(label: str, with_categories: bool) -> list[str]:
    """The keys a new item must have: the schema's required ones, the title first."""
    keys = [str(key) for key in schema(label).get("required", [])]
    if "title" not in keys:
        keys.insert(0, "title")
    extra = REQUIRED_WITH_CATEGORIES.get(label)
    if with_categories and extra and extra not in keys:
        keys.append(extra)
    return keys
