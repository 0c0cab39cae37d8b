"""Lossless YAML edits: find a node's exact span in the original text and splice new text in.

Nothing is re-dumped. `yamlio.compose` gives every node's start and end offsets; an edit replaces,
inserts or deletes one span and leaves every other character as it was (comments, quoting,
indentation, blank lines, trailing spaces, line ends, anchors, merge keys, flow style).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from pagemgr.edit import render
from pagemgr.edit.editpath import (
    EditPath,
    PathError,
    PathPart,
    bad_index,
    format_path,
    missing_key,
    wrong_kind,
)
from pagemgr.yaml import yamlio
from pagemgr.yaml.yamlio import YamlMapping, YamlNode, YamlScalar, YamlSequence

_ALIAS = re.compile(r"[ \t]*(?::[ \t]*)?(?:-[ \t]+)?\*[^\s,\[\]{}]+")
_PROPERTY = re.compile(r"(?:[&!][^\s,\[\]{}]*\s+)+")
_NULL_WORDS = ("", "~", "null", "Null", "NULL")
_TO_DASH = re.compile(r"(?:\s+|#[^\n]*)*-")  # blanks and comments, then a block item's dash
_FLOW_COMMA = re.compile(r"\s*,(?:[ \t]*(?=[^ \t#])|([ \t]+)(?=#))?")  # group 1: before a comment
_SPELLED_NULL = re.compile(r"^[^#\n]*:[ \t]+(?:~|null|Null|NULL)[ \t]*(?:#.*)?\r?$", re.MULTILINE)


@dataclass(frozen=True, slots=True)
class Slot:
    """One value in the tree: where it hangs (mapping pair or list item) and its node."""

    parent: YamlNode
    index: int
    key: YamlScalar | None
    node: YamlNode
    alias: bool


class Yaml:
    """A YAML text and its node graph; every edit returns new text."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.root: YamlNode | None = yamlio.compose(text)
        self.newline = "\r\n" if "\r\n" in text else "\n"

    # --- reading -----------------------------------------------------------------------------

    def descend(self, parts: EditPath) -> tuple[list[Slot], int]:
        """The slots along `parts`, and how many parts were found before a missing key."""
        slots: list[Slot] = []
        node = self.root
        for depth in range(len(parts)):
            if slots and slots[-1].alias:
                raise PathError(
                    f"{format_path(parts)}: {format_path(parts[:depth])} is an alias (*name) of a "
                    "value defined elsewhere in the file; edit that anchored value instead"
                )
            slot = self.child(node, parts, depth)
            if slot is None:
                return slots, depth
            slots.append(slot)
            node = slot.node
        return slots, len(parts)

    def child(self, node: YamlNode | None, parts: EditPath, depth: int) -> Slot | None:
        part = parts[depth]
        if isinstance(node, YamlMapping):
            if isinstance(part, int):
                raise wrong_kind(parts, depth, "a mapping")
            for index in range(len(node.value) - 1, -1, -1):
                key, value = node.value[index]
                if isinstance(key, YamlScalar) and key.value == part and key.value != "<<":
                    alias = value.start_mark.index < key.end_mark.index
                    return Slot(node, index, key, value, alias)
            return None
        if isinstance(node, YamlSequence):
            if not isinstance(part, int):
                raise wrong_kind(parts, depth, "a list")
            length = len(node.value)
            index = part + length if part < 0 else part
            if not 0 <= index < length:
                raise bad_index(parts, depth, length)
            item = node.value[index]
            before = node.value[index - 1].end_mark.index if index else node.start_mark.index
            return Slot(node, index, None, item, item.start_mark.index < before)
        if node is None or is_null(node):
            return None
        raise wrong_kind(parts, depth, f"a single value ({_short(self.span(node))})")

    def span(self, node: YamlNode) -> str:
        return self.text[node.start_mark.index : node.end_mark.index]

    def value_start(self, node: YamlNode) -> int:
        """Where the value itself starts, after any `&anchor` or `!tag`."""
        start: int = node.start_mark.index
        match = _PROPERTY.match(self.text, start, max(start, node.end_mark.index))
        return match.end() if match else start

    def end(self, slot_or_node: Slot | YamlNode) -> int:
        """Where the value's own text ends: no trailing blank lines or comments."""
        if isinstance(slot_or_node, Slot):
            if slot_or_node.alias:
                return self.alias_span(slot_or_node)[1]
            node = slot_or_node.node
        else:
            node = slot_or_node
        if isinstance(node, YamlScalar):
            if node.style in ("|", ">"):
                start: int = node.start_mark.index
                return start + len(self.span(node).rstrip())
            return int(node.end_mark.index)
        if _flow(node) or not node.value:
            return int(node.end_mark.index)
        last = len(node.value) - 1
        return self.end(self.slot_at(node, last))

    def slot_at(self, node: YamlNode, index: int) -> Slot:
        if isinstance(node, YamlMapping):
            key, value = node.value[index]
            return Slot(node, index, key, value, value.start_mark.index < key.end_mark.index)
        item = node.value[index]
        before = node.value[index - 1].end_mark.index if index else node.start_mark.index
        return Slot(node, index, None, item, item.start_mark.index < before)

    def alias_span(self, slot: Slot) -> tuple[int, int]:
        origin = self.after_key(slot) if slot.key is not None else self.item_origin(slot)
        match = _ALIAS.match(self.text, origin)
        if match is None:
            raise PathError("this value is an alias (*name) pagemgr cannot locate; edit it by hand")
        star = self.text.index("*", origin, match.end())
        return star, match.end()

    def after_key(self, slot: Slot) -> int:
        """Just past the `:` that follows the key."""
        assert slot.key is not None
        colon = self.text.index(":", slot.key.end_mark.index)
        return colon + 1

    def item_origin(self, slot: Slot) -> int:
        parent = slot.parent
        if slot.index:
            return int(self.end(self.slot_at(parent, slot.index - 1)))
        return int(parent.start_mark.index)

    def line_start(self, index: int) -> int:
        return self.text.rfind("\n", 0, index) + 1

    def line_end(self, index: int) -> int:
        """Just past the line end of the line holding `index` (or the end of the text)."""
        found = self.text.find("\n", index)
        return len(self.text) if found < 0 else found + 1

    def column(self, index: int) -> int:
        return index - self.line_start(index)

    def first_on_line(self, index: int) -> bool:
        return not self.text[self.line_start(index) : index].strip()

    # --- style -------------------------------------------------------------------------------

    def prefer(self, node: YamlNode | None) -> render.Style:
        if isinstance(node, YamlScalar) and node.tag in (yamlio.STR_TAG, yamlio.PLAIN_TAG):
            return {"'": "single", '"': "double"}.get(node.style or "", "plain")  # type: ignore[return-value]
        return "plain"

    def sibling_style(self, mapping: YamlNode | None) -> render.Style:
        styles: Counter[render.Style] = Counter()
        if isinstance(mapping, YamlMapping):
            for _, value in mapping.value:
                if isinstance(value, YamlScalar) and value.tag == yamlio.STR_TAG:
                    styles[self.prefer(value)] += 1
                elif isinstance(value, YamlScalar) and value.value:
                    styles["plain"] += 1
        return styles.most_common(1)[0][0] if styles else "plain"

    def indents(self) -> tuple[int, int]:
        """(mapping indent, sequence offset) the file already uses; (2, 2) when unknown."""
        mapping_indent = seq_offset = -1
        stack = [self.root]
        while stack and (mapping_indent < 0 or seq_offset < 0):
            node = stack.pop()
            if not isinstance(node, YamlMapping) or _flow(node):
                if isinstance(node, YamlSequence):
                    stack.extend(node.value)
                continue
            for key, value in node.value:
                if value.start_mark.index < key.end_mark.index or getattr(value, "flow_style", 1):
                    continue
                if isinstance(value, YamlMapping) and mapping_indent < 0 and value.value:
                    inner = value.value[0][0].start_mark.column - key.start_mark.column
                    mapping_indent = inner if inner > 0 else -1
                if isinstance(value, YamlSequence) and seq_offset < 0:
                    seq_offset = self.column(self.dash(value)) - key.start_mark.column
                stack.append(value)
        return (mapping_indent if mapping_indent > 0 else 2, seq_offset if seq_offset >= 0 else 2)

    def dash(self, sequence: YamlNode) -> int:
        return self.dash_after(self.value_start(sequence))

    def dash_after(self, origin: int) -> int:
        """The `-` of the next block list item from `origin`: what lies between two items is
        white space and comments only (often a commented-out item, `# - title: X`)."""
        found = _TO_DASH.match(self.text, origin)
        return found.end() - 1 if found else self.text.index("-", origin)

    # --- edits -------------------------------------------------------------------------------

    def splice(self, start: int, end: int, new: str) -> str:
        return self.text[:start] + new + self.text[end:]

    def replace(self, slot: Slot | None, value: Any) -> str:
        """Give the value at `slot` (the root when None) a new value."""
        node = self.root if slot is None else slot.node
        if slot is not None and slot.alias:
            start, end = self.alias_span(slot)
            return self.splice(start, end, self.fragment(value, slot, start))
        if node is None:
            return self.append_text(self.block(value, 0))
        if isinstance(node, YamlScalar) and not isinstance(value, dict | list):
            if _reads_as(self.text[node.start_mark.index : node.end_mark.index], value):
                return self.text
            keyed = slot is not None and slot.key is not None
            if value is None and keyed and not self.explicit_nulls():
                assert slot is not None
                return self.splice(self.after_key(slot), self.end(node), "")
            flow = slot is not None and bool(_flow(slot.parent))
            new = render.render_scalar(value, self.prefer(node), flow)
            start, end = self.value_start(node), self.end(node)
            if start == end and start > 0 and self.text[start - 1] not in " \t\n":
                new = " " + new
            return self.splice(start, end, new)
        if slot is None:
            start, end = self.value_start(node), self.end(node)
            if not isinstance(value, dict | list) or not value:
                return self.splice(start, end, render.inline(value))
            lines = self.block(value, self.column(start)).rstrip("\r\n")
            return self.splice(start, end, lines[self.column(start) :])
        if _flow(slot.parent):
            return self.splice(self.value_start(node), self.end(node), render.render_flow(value))
        origin = self.after_key(slot) if slot.key is not None else self.value_start(node)
        return self.splice(origin, self.end(slot), self.fragment(value, slot, origin))

    def explicit_nulls(self) -> bool:
        """Does the file spell null out (`~`, `null`)? Otherwise null is written as `key:`."""
        return _SPELLED_NULL.search(self.text) is not None

    def fragment(self, value: Any, slot: Slot, origin: int) -> str:
        """Text for `value` placed at `origin` (after `key:` or at a list item)."""
        if _flow(slot.parent):
            return render.render_flow(value)
        if not isinstance(value, dict | list) or not value:
            text = render.inline(value, self.sibling_style(slot.parent))
            return (" " + text) if slot.key is not None and self.text[origin - 1] == ":" else text
        if slot.key is not None:
            mapping_indent, seq_offset = self.indents()
            child = slot.key.start_mark.column + (
                seq_offset if isinstance(value, list) else mapping_indent
            )
            return self.newline + self.block(value, child).rstrip("\r\n")
        column = self.column(origin)
        return self.block(value, column).rstrip("\r\n")[column:]

    def block(self, value: Any, column: int, prefer: render.Style = "plain") -> str:
        mapping_indent, seq_offset = self.indents()
        if not isinstance(value, dict | list) or not value:
            return " " * column + render.inline(value, prefer) + self.newline
        lines = render.block_lines(value, column, mapping_indent, seq_offset, prefer)
        return "".join(line + self.newline for line in lines)

    def append_text(self, new: str) -> str:
        text = self.text
        if text and not text.endswith("\n"):
            text += self.newline
        return text + new

    def insert_after(self, slot: Slot, new: str) -> str:
        """Put whole lines `new` after the line where `slot`'s value ends."""
        at = self.line_end(self.end(slot))
        prefix = self.newline if at == len(self.text) and not self.text.endswith("\n") else ""
        return self.text[:at] + prefix + new + self.text[at:]

    def insert_key(self, mapping: YamlNode | None, key: str, value: Any) -> str:
        prefer = self.sibling_style(mapping)
        if mapping is None or not isinstance(mapping, YamlMapping):
            return self.append_text(self.block({key: value}, 0, prefer))
        if _flow(mapping):
            pair = f"{render.render_str(key, 'plain', True, True)}: {render.render_flow(value)}"
            if not mapping.value:
                close = mapping.end_mark.index - 1
                return self.splice(close, close, pair)
            at = self.end(self.slot_at(mapping, len(mapping.value) - 1))
            return self.splice(at, at, ", " + pair)
        column = mapping.value[0][0].start_mark.column
        last = self.slot_at(mapping, len(mapping.value) - 1)
        return self.insert_after(last, self.block({key: value}, column, prefer))

    def delete_entry(self, slot: Slot) -> str:
        """Remove a mapping pair or list item with exactly its own lines."""
        parent = slot.parent
        start = slot.key.start_mark.index if slot.key is not None else self.item_start(slot)
        end = self.end(slot)
        if _flow(parent):
            return self.delete_flow(slot, start, end)
        if len(parent.value) == 1 and (parent is not self.root or slot.key is None):
            return self.text  # the caller replaces the parent with {} or []
        if self.first_on_line(start):
            return self.splice(self.line_start(start), self.line_end(end), "")
        if slot.index + 1 < len(parent.value):
            following = self.slot_at(parent, slot.index + 1)
            next_start = (
                following.key.start_mark.index
                if following.key is not None
                else self.item_start(following)
            )
            return self.splice(start, next_start, "")
        return self.splice(start, end, "")

    def item_start(self, slot: Slot) -> int:
        """The `-` of a block list item, or the item itself in a flow list."""
        if _flow(slot.parent):
            return self.alias_span(slot)[0] if slot.alias else int(slot.node.start_mark.index)
        origin = self.item_origin(slot) if slot.index else self.value_start(slot.parent)
        return self.dash_after(origin)

    def delete_flow(self, slot: Slot, start: int, end: int) -> str:
        rest = _FLOW_COMMA.match(self.text, end)
        if rest:  # the item, its comma and the blanks after it, but never a comment's blank
            stop = rest.end() if rest[1] is None else rest.start(1)
            return self.splice(start, stop, "")
        before = re.compile(r",\s*\Z").search(self.text, 0, start)
        if before:
            return self.splice(before.start(), end, "")
        return self.splice(start, end, "")


def _flow(node: YamlNode | None) -> bool:
    return bool(getattr(node, "flow_style", False))


def is_null(node: YamlNode | None) -> bool:
    return node is None or (yamlio.is_plain(node) and node.value in _NULL_WORDS)


def _reads_as(text: str, value: Any) -> bool:
    """Whether both builders' rules read the scalar `text` as `value` (then it stays)."""
    return all(render.same(_loaded(text, rules), value) for rules in ("psych", "safe_yaml"))


def _loaded(text: str, rules: yamlio.Rules) -> Any:
    try:
        data = yamlio.load("k: " + text + "\n", rules).data if "\n" not in text else None
    except (yamlio.YamlSyntaxError, yamlio.SafeYamlError, ValueError):
        return object()
    return data.get("k") if isinstance(data, dict) else object()


def _short(text: str) -> str:
    return repr(text if len(text) <= 40 else text[:37] + "...")


# --- operations ---------------------------------------------------------------------------------


def _nest(parts: Sequence[PathPart], value: Any, full: EditPath) -> Any:
    for part in reversed(parts):
        if isinstance(part, int):
            raise PathError(
                f"{format_path(full)}: cannot create list item [{part}]; use `pagemgr append`"
            )
        value = {part: value}
    return value


def _keys(node: YamlNode | None) -> list[str]:
    if not isinstance(node, YamlMapping):
        return []
    return [str(key.value) for key, _ in node.value if isinstance(key, YamlScalar)]


def set_value(text: str, parts: EditPath, value: Any) -> str:
    doc = Yaml(text)
    slots, found = doc.descend(parts)
    if found == len(parts):
        return doc.replace(slots[-1], value)
    container = slots[-1].node if slots else doc.root
    if isinstance(container, YamlMapping):
        return doc.insert_key(container, str(parts[found]), _nest(parts[found + 1 :], value, parts))
    if is_null(container):
        return doc.replace(slots[-1] if slots else None, _nest(parts[found:], value, parts))
    raise wrong_kind(parts, found, "a single value")


def unset(text: str, parts: EditPath) -> str:
    doc = Yaml(text)
    slots = _existing(doc, parts)
    slot = slots[-1]
    new = doc.delete_entry(slot)
    if new == text:  # the only entry of a nested mapping or list
        empty: Any = {} if slot.key is not None else []
        return doc.replace(slots[-2] if len(slots) > 1 else None, empty)
    return new


def append(text: str, parts: EditPath, value: Any) -> str:
    doc = Yaml(text)
    slots, found = doc.descend(parts)
    if found < len(parts):
        return set_value(text, parts, [value])
    slot = slots[-1] if slots else None
    node = slot.node if slot else doc.root
    if slot is not None and slot.alias:
        raise PathError(f"{format_path(parts)}: this list is an alias (*name); edit the anchor")
    if is_null(node):
        return doc.replace(slot, [value])
    if isinstance(node, YamlMapping):
        if not isinstance(value, dict):
            raise PathError(
                f"{format_path(parts)} is a mapping; append adds to a list (or give a JSON object "
                "with --type json to add its keys)"
            )
        for key in value:
            if key in _keys(node):
                raise PathError(f"{format_path(parts)}: key {key!r} is already there; use set")
        for key, item in value.items():
            text = set_value(text, (*parts, str(key)), item)
        return text
    if not isinstance(node, YamlSequence):
        raise PathError(f"{format_path(parts)} is a single value, not a list")
    if _flow(node):
        rendered = render.render_flow(value)
        if not node.value:
            close = node.end_mark.index - 1
            return doc.splice(close, close, rendered)
        at = doc.end(doc.slot_at(node, len(node.value) - 1))
        return doc.splice(at, at, ", " + rendered)
    dash_column = doc.column(doc.dash(node))
    lines = doc.block([value], dash_column)
    return doc.insert_after(doc.slot_at(node, len(node.value) - 1), lines)


def remove(text: str, parts: EditPath) -> str:
    """Remove a list item (`main[2]`) or, like unset, a key."""
    return unset(text, parts)


def _existing(doc: Yaml, parts: EditPath) -> list[Slot]:
    slots, found = doc.descend(parts)
    if found < len(parts):
        container = slots[-1].node if slots else doc.root
        raise missing_key(parts, found, _keys(container))
    return slots
