"""Reading a JSON Schema by data path: the subschema, its description, and the keys it knows."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator, Sequence
from functools import lru_cache
from typing import Any

Schema = dict[str, Any]


def resolve(root: Schema, sub: Any) -> Schema:
    """Follow local `$ref`s (`#/$defs/name`) until a schema without one."""
    seen = 0
    while isinstance(sub, dict) and isinstance(sub.get("$ref"), str) and seen < 20:
        ref = sub["$ref"]
        if not ref.startswith("#/"):
            break
        target: Any = root
        for part in ref[2:].split("/"):
            target = target.get(part) if isinstance(target, dict) else None
        if not isinstance(target, dict):
            break
        merged = {**target, **{k: v for k, v in sub.items() if k != "$ref"}}
        sub = merged
        seen += 1
    return sub if isinstance(sub, dict) else {}


def child(root: Schema, sub: Schema, part: str | int) -> Schema:
    sub = resolve(root, sub)
    if isinstance(part, int):
        items = sub.get("items")
        return resolve(root, items) if isinstance(items, dict) else {}
    properties = sub.get("properties")
    if isinstance(properties, dict) and part in properties:
        return resolve(root, properties[part])
    for pattern, pattern_schema in (sub.get("patternProperties") or {}).items():
        if re.search(pattern, part):
            return resolve(root, pattern_schema)
    extra = sub.get("additionalProperties")
    return resolve(root, extra) if isinstance(extra, dict) else {}


def at(root: Schema, path: Sequence[str | int]) -> Schema:
    sub = resolve(root, root)
    for part in path:
        sub = child(root, sub, part)
    return sub


def example_of(sub: Schema) -> str:
    examples = sub.get("examples")
    if isinstance(examples, list) and examples:
        value = examples[0]
        return value if isinstance(value, str) else repr(value)
    return ""


def known_keys(sub: Schema) -> tuple[str, ...] | None:
    """The keys `sub` names, or None when it accepts any key (a map of free names)."""
    if isinstance(sub.get("additionalProperties"), dict) or sub.get("patternProperties"):
        return None
    properties = sub.get("properties")
    return tuple(properties) if isinstance(properties, dict) and properties else None


def unknown_keys(root: Schema, data: Any) -> Iterator[tuple[list[str | int], str]]:
    """(path of the mapping, key) for every key the schema does not name."""
    yield from _unknown(root, resolve(root, root), data, [], 0)


def _unknown(
    root: Schema, sub: Schema, data: Any, path: list[str | int], depth: int
) -> Iterator[tuple[list[str | int], str]]:
    if depth > 8:
        return
    if isinstance(data, dict):
        known = known_keys(sub)
        for key, value in data.items():
            if known is not None and key not in known:
                yield path, key
                continue
            yield from _unknown(root, child(root, sub, key), value, [*path, key], depth + 1)
    elif isinstance(data, list) and isinstance(sub.get("items"), dict):
        items = resolve(root, sub["items"])
        for index, value in enumerate(data):
            yield from _unknown(root, items, value, [*path, index], depth + 1)


@lru_cache(maxsize=4096)
def did_you_mean(key: str, known: tuple[str, ...]) -> str | None:
    lowered = {name.lower(): name for name in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    squashed = {name.replace("_", "").replace("-", ""): name for name in lowered}
    plain = key.lower().replace("_", "").replace("-", "")
    if plain in squashed:
        return lowered[squashed[plain]]
    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[close[0]] if close else None
