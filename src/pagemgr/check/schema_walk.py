"""Reading a JSON Schema by data path: the subschema, its description, and the keys it knows."""

from __future__ import annotations

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
    node = _walk_of(root).node(root)
    if _known_and_flat(node, data):
        return iter(())
    return _unknown(node, data, [], 0)


def _known_and_flat(node: _Node, data: Any) -> bool:
    """A quick yes for the common front matter: a mapping of named keys whose values hold no
    mapping in which an unknown key could hide."""
    known = node.known
    if known is None or node.patterned or not isinstance(data, dict):
        return False
    if not known.issuperset(data):
        return False
    for value in data.values():
        kind = type(value)
        if kind is str:
            continue
        if isinstance(value, dict):
            return False
        if isinstance(value, list) and any(isinstance(item, dict | list) for item in value):
            return False
    return True


def _unknown(
    node: _Node, data: Any, path: list[str | int], depth: int
) -> Iterator[tuple[list[str | int], str]]:
    if depth > 8 or node.leaf:
        return
    if isinstance(data, dict):
        known, patterned = node.known, node.patterned
        for key, value in data.items():
            if known is not None and key not in known:
                yield path, key
                continue
            if not patterned and not isinstance(value, dict | list):
                continue  # a scalar has no keys; only a pattern search could fail on this key
            below = node.child(key)
            if not below.leaf:
                yield from _unknown(below, value, [*path, key], depth + 1)
    elif isinstance(data, list) and node.has_items:
        items = node.items()
        for index, value in enumerate(data):
            yield from _unknown(items, value, [*path, index], depth + 1)


class _Walk:
    """The nodes of one root schema, each made once: `node(raw)` stands for resolve(root, raw)."""

    def __init__(self, root: Schema) -> None:
        self.root = root
        self.nodes: dict[int, tuple[Any, _Node]] = {}  # id(raw) -> (raw, its node)

    def node(self, raw: Any) -> _Node:
        found = self.nodes.get(id(raw))
        if found is None or found[0] is not raw:
            found = (raw, _Node(self, resolve(self.root, raw)))
            self.nodes[id(raw)] = found
        return found[1]


_WALKS: dict[int, _Walk] = {}
_MAX_WALKS = 64


def _walk_of(root: Schema) -> _Walk:
    walk = _WALKS.get(id(root))
    if walk is None or walk.root is not root:
        if len(_WALKS) >= _MAX_WALKS:
            _WALKS.clear()
        walk = _WALKS[id(root)] = _Walk(root)
    return walk


class _Node:
    """A resolved schema with what `_unknown` asks of it: the keys it names, the schema of a
    key's value (`child`) and of a list's items."""

    __slots__ = (
        "_items",
        "has_items",
        "inner",
        "known",
        "leaf",
        "named",
        "patterned",
        "schema",
        "walk",
    )

    def __init__(self, walk: _Walk, schema: Schema) -> None:
        self.walk = walk
        self.schema = schema
        self.inner = resolve(walk.root, schema)  # what `child` reads, as it resolves again
        known = known_keys(schema)
        self.known = None if known is None else frozenset(known)
        self.has_items = isinstance(schema.get("items"), dict)
        self.patterned = bool(self.inner.get("patternProperties"))
        self._items: _Node | None = None
        self.named: dict[Any, _Node] = {}  # child of a key of `properties`, made on first use
        self.leaf = (
            known is None
            and not self.has_items
            and not any(
                self.inner.get(name)
                for name in ("properties", "patternProperties", "items", "additionalProperties")
            )
        )

    def items(self) -> _Node:
        """The node of a list's items (only when `has_items`)."""
        if self._items is None:
            self._items = self.walk.node(self.schema["items"])
        return self._items

    def child(self, part: str | int) -> _Node:
        """The node of `child(root, schema, part)`."""
        found = self.named.get(part)
        if found is not None:
            return found
        inner, walk = self.inner, self.walk
        if isinstance(part, int):
            items = inner.get("items")
            return walk.node(items) if isinstance(items, dict) else walk.node(None)
        properties = inner.get("properties")
        if isinstance(properties, dict) and part in properties:
            found = self.named[part] = walk.node(properties[part])
            return found
        for pattern, pattern_schema in (inner.get("patternProperties") or {}).items():
            if re.search(pattern, part):
                return walk.node(pattern_schema)
        extra = inner.get("additionalProperties")
        return walk.node(extra) if isinstance(extra, dict) else walk.node(None)


@lru_cache(maxsize=4096)
def did_you_mean(key: str, known: tuple[str, ...]) -> str | None:
    lowered = {name.lower(): name for name in known}
    if key.lower() in lowered:
        return lowered[key.lower()]
    squashed = {name.replace("_", "").replace("-", ""): name for name in lowered}
    plain = key.lower().replace("_", "").replace("-", "")
    if plain in squashed:
        return lowered[squashed[plain]]
    import difflib  # only for a key nobody knows

    close = difflib.get_close_matches(key.lower(), list(lowered), n=1, cutoff=0.75)
    return lowered[close[0]] if close else None
