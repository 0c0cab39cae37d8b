"""Lossless JSON edits: spans of every value, so an edit replaces only what it must.

Indentation, key order, escaping style and the final newline of the file stay as they were.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pagemgr.edit import render
from pagemgr.edit.editpath import (
    EditPath,
    PathError,
    bad_index,
    format_path,
    missing_key,
    wrong_kind,
)
from pagemgr.errors import PagemgrError

_WS = re.compile(r"[ \t\r\n]*")
_DECODER = json.JSONDecoder()


class JsonSyntaxError(PagemgrError):
    pass


@dataclass(slots=True)
class JNode:
    kind: str  # object | array | scalar
    start: int
    end: int
    keys: list[str] = field(default_factory=list)
    key_starts: list[int] = field(default_factory=list)
    children: list[JNode] = field(default_factory=list)


def parse(text: str) -> JNode:
    node, end = _value(text, _skip(text, 0))
    if _skip(text, end) != len(text):
        raise JsonSyntaxError(f"extra text after the JSON value at character {end + 1}")
    return node


def _skip(text: str, pos: int) -> int:
    match = _WS.match(text, pos)
    return match.end() if match else pos


def _value(text: str, pos: int) -> tuple[JNode, int]:
    if pos >= len(text):
        raise JsonSyntaxError("the JSON ends too early")
    char = text[pos]
    if char in "{[":
        node = JNode("object" if char == "{" else "array", pos, pos)
        pos = _skip(text, pos + 1)
        close = "}" if char == "{" else "]"
        while text[pos : pos + 1] != close:
            if node.children:
                if text[pos : pos + 1] != ",":
                    raise JsonSyntaxError(f"expected ',' or {close!r} at character {pos + 1}")
                pos = _skip(text, pos + 1)
            if char == "{":
                node.key_starts.append(pos)
                key, pos = _scalar(text, pos)
                if not isinstance(key, str):
                    raise JsonSyntaxError(f"expected a key at character {node.key_starts[-1] + 1}")
                node.keys.append(key)
                pos = _skip(text, pos)
                if text[pos : pos + 1] != ":":
                    raise JsonSyntaxError(f"expected ':' at character {pos + 1}")
                pos = _skip(text, pos + 1)
            child, pos = _value(text, pos)
            node.children.append(child)
            pos = _skip(text, pos)
            if pos >= len(text):
                raise JsonSyntaxError("the JSON ends too early")
        node.end = pos + 1
        return node, pos + 1
    _, end = _scalar(text, pos)
    return JNode("scalar", pos, end), end


def _scalar(text: str, pos: int) -> tuple[Any, int]:
    try:
        value, end = _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None
    return value, end


class JsonDoc:
    def __init__(self, text: str) -> None:
        self.text = text
        self.root = parse(text)
        self.data = json.loads(text)
        self.ascii = "\\u" in text and text.isascii()
        self.newline = "\r\n" if "\r\n" in text else "\n"
        self.unit = _indent_unit(text)

    def descend(self, parts: EditPath) -> tuple[list[tuple[JNode, int]], int]:
        """(container, child index) along `parts`, and how many parts were found."""
        steps: list[tuple[JNode, int]] = []
        node = self.root
        for depth, part in enumerate(parts):
            if node.kind == "object":
                if isinstance(part, int):
                    raise wrong_kind(parts, depth, "a mapping")
                if part not in node.keys:
                    return steps, depth
                index = len(node.keys) - 1 - node.keys[::-1].index(part)
            elif node.kind == "array":
                if not isinstance(part, int):
                    raise wrong_kind(parts, depth, "a list")
                index = part + len(node.children) if part < 0 else part
                if not 0 <= index < len(node.children):
                    raise bad_index(parts, depth, len(node.children))
            elif self.text[node.start : node.end] == "null":
                return steps, depth
            else:
                raise wrong_kind(
                    parts, depth, f"a single value ({self.text[node.start : node.end]})"
                )
            steps.append((node, index))
            node = node.children[index]
        return steps, len(parts)

    def dumps(self, value: Any, column: int) -> str:
        if not isinstance(value, dict | list) or not value or self.unit is None:
            return json.dumps(value, ensure_ascii=self.ascii)
        text = json.dumps(value, ensure_ascii=self.ascii, indent=self.unit)
        return text.replace("\n", self.newline + " " * column)

    def column(self, index: int) -> int:
        return index - (self.text.rfind("\n", 0, index) + 1)

    def splice(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    def add_member(self, container: JNode, member: str) -> str:
        """Insert `member` (a `"key": value` or a value) as the last entry of `container`."""
        multiline = "\n" in self.text[container.start : container.end] or (
            not container.children and self.unit is not None
        )
        indent = self.indent_of(container.start)
        if container.children:
            child_indent = self.column(self.first_start(container))
            at = container.children[-1].end
            sep = ("," + self.newline + " " * child_indent) if multiline else ", "
            return self.splice(at, at, sep + member)
        close = container.end - 1
        if multiline and self.unit is not None:
            inner = " " * (indent + self.unit)
            new = self.newline + inner + member + self.newline + " " * indent
            return self.splice(container.start + 1, close, new)
        return self.splice(container.start + 1, close, member)

    def first_start(self, container: JNode) -> int:
        if container.kind == "object":
            return container.key_starts[0]
        return container.children[0].start

    def member_column(self, container: JNode) -> int:
        if container.children:
            return self.column(self.first_start(container))
        return self.indent_of(container.start) + (self.unit or 0)

    def indent_of(self, index: int) -> int:
        start = self.text.rfind("\n", 0, index) + 1
        line = self.text[start:index]
        return len(line) - len(line.lstrip(" "))

    def delete(self, container: JNode, index: int) -> str:
        starts = (
            container.key_starts
            if container.kind == "object"
            else [child.start for child in container.children]
        )
        start, end = starts[index], container.children[index].end
        if len(container.children) == 1:
            return self.splice(container.start + 1, container.end - 1, "")
        if index + 1 < len(container.children):
            return self.splice(start, starts[index + 1], "")
        previous_end = container.children[index - 1].end
        return self.splice(previous_end, end, "")


def _indent_unit(text: str) -> int | None:
    match = re.search(r"\n([ \t]+)\S", text)
    if match is None:
        return None
    return len(match.group(1)) if " " in match.group(1) else None


def get_data(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonSyntaxError(f"{exc.msg} at line {exc.lineno} column {exc.colno}") from None


def set_value(text: str, parts: EditPath, value: Any) -> str:
    doc = JsonDoc(text)
    steps, found = doc.descend(parts)
    if found == len(parts):
        container, index = steps[-1]
        child = container.children[index]
        old = json.loads(text[child.start : child.end])
        if render.same(old, value):
            return text
        return doc.splice(child.start, child.end, doc.dumps(value, doc.column(child.start)))
    node = steps[-1][0].children[steps[-1][1]] if steps else doc.root
    rest = parts[found + 1 :]
    for part in reversed(rest):
        if isinstance(part, int):
            raise PathError(f"{format_path(parts)}: cannot create list item [{part}]; use append")
        value = {part: value}
    if node.kind == "object":
        column = doc.member_column(node)
        member = json.dumps(str(parts[found]), ensure_ascii=doc.ascii) + ": "
        return doc.add_member(node, member + doc.dumps(value, column))
    whole = {str(parts[found]): value}
    return doc.splice(node.start, node.end, doc.dumps(whole, doc.column(node.start)))


def unset(text: str, parts: EditPath) -> str:
    doc = JsonDoc(text)
    steps, found = doc.descend(parts)
    if found < len(parts):
        container = steps[-1][0].children[steps[-1][1]] if steps else doc.root
        raise missing_key(parts, found, container.keys)
    container, index = steps[-1]
    return doc.delete(container, index)


def append(text: str, parts: EditPath, value: Any) -> str:
    doc = JsonDoc(text)
    steps, found = doc.descend(parts)
    if found < len(parts):
        return set_value(text, parts, [value])
    node = steps[-1][0].children[steps[-1][1]] if steps else doc.root
    if node.kind == "array":
        return doc.add_member(node, doc.dumps(value, doc.member_column(node)))
    if node.kind == "object" and isinstance(value, dict):
        for key, item in value.items():
            if key in node.keys:
                raise PathError(f"{format_path(parts)}: key {key!r} is already there; use set")
            text = set_value(text, (*parts, str(key)), item)
        return text
    if text[node.start : node.end] == "null":
        return set_value(text, parts, [value])
    raise PathError(f"{format_path(parts)} is not a list")


def remove(text: str, parts: EditPath) -> str:
    """Remove a list item (or, like unset, a key)."""
    return unset(text, parts)
