"""Mechanical fixes, each one a lossless edit through the same splice editor (docs/fixes.md).

Each fix looks at the editable region of one file and returns it changed, or unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from pagemgr.check import schema_walk
from pagemgr.edit import jsonedit, render, splice
from pagemgr.edit.editing import Target, schema_of
from pagemgr.edit.editpath import EditPath
from pagemgr.site import dates
from pagemgr.yaml import yamlio
from pagemgr.yaml.yamlio import YamlMapping, YamlNode, YamlScalar, YamlSequence

_ENTITY = re.compile(r"&amp;(apos|quot|amp|lt|gt|#[0-9]+|#x[0-9a-fA-F]+);")
_LINE = re.compile(
    r"(?P<lead>[ \t]*(?:-[ \t]+)?[^\s#'\"\[\]{}&*!|>%@`-][^:#\n]*?[ \t]*:[ \t]+)"
    r"(?P<value>[^\s'\"\[\]{}|>&*!#][^\r\n]*?)(?P<tail>[ \t]*\r?)$",
    re.MULTILINE,
)
_COMMENT = re.compile(r"[ \t]+#")  # where a comment starts after a plain value
_MAX_SYNTAX_FIXES = 50


@dataclass(frozen=True, slots=True)
class FixRule:
    id: str
    summary: str
    apply: Callable[[Target, str], str]


def fix_region(target: Target, region: str) -> tuple[str, list[str]]:
    """`region` with every applicable fix made, and the ids of the fixes that changed it."""
    applied: list[str] = []
    for rule in RULES:
        if target.kind == "json" and rule.id != "double-escaped-entity":
            continue
        try:
            new = rule.apply(target, region)
        except (yamlio.YamlSyntaxError, jsonedit.JsonSyntaxError):
            continue
        if new != region:
            region = new
            applied.append(rule.id)
    return region, applied


# --- quote values that break YAML ---------------------------------------------------------------


def quote_broken(target: Target, region: str) -> str:
    for _ in range(_MAX_SYNTAX_FIXES):
        try:
            yamlio.compose(region)
            return region
        except yamlio.YamlSyntaxError as exc:
            fixed = _quote_line(region, exc.line)
            if fixed is None:
                return region
            region = fixed
    return region


def _quote_line(region: str, error_line: int) -> str | None:
    lines = region.splitlines(keepends=True)
    for number in (error_line, error_line - 1):
        if not 0 <= number < len(lines):
            continue
        match = _LINE.match(lines[number])
        if match is None:
            continue
        value = _COMMENT.split(match.group("value"), maxsplit=1)[0]
        quoted = render.render_str(value, "double")
        if quoted == value:
            continue
        end = match.start("value") + len(value)
        lines[number] = match.group("lead") + quoted + lines[number][end:]
        candidate = "".join(lines)
        if _error_line(candidate) != error_line:
            return candidate
    return None


def _error_line(text: str) -> int:
    try:
        yamlio.compose(text)
    except yamlio.YamlSyntaxError as exc:
        return exc.line
    return -1


# --- quote values whose YAML 1.1 type is not the text they meant --------------------------------


def quote_typed(target: Target, region: str) -> str:
    schema = schema_of(target)
    doc = splice.Yaml(region)
    edits: list[tuple[EditPath, str]] = []
    for path, node in walk(doc.root):
        if not path or not yamlio.is_plain(node) or not node.value:
            continue
        try:
            value = yamlio.psych_scalar(node.value)
        except ValueError:  # a :symbol, which Jekyll refuses
            edits.append((path, node.value))
            continue
        if isinstance(value, bool | int | float) and _wants_text(schema, path, value):
            edits.append((path, node.value))
    for path, text in edits:
        region = splice.set_value(region, path, text)
    return region


def _wants_text(schema: dict[str, Any], path: EditPath, value: Any) -> bool:
    if not schema:
        return False
    sub = schema_walk.at(schema, list(path))
    kinds = sub.get("type")
    allowed = kinds if isinstance(kinds, list) else [kinds]
    if "string" not in allowed:
        return False
    actual = (
        "boolean"
        if isinstance(value, bool)
        else ("integer" if isinstance(value, int) else "number")
    )
    return actual not in allowed and not (actual == "integer" and "number" in allowed)


# --- collection: matches the folder ----------------------------------------------------------


def collection_matches_folder(target: Target, region: str) -> str:
    item = target.item
    if item is None or item.collection in (None, "pages", "posts", "drafts"):
        return region
    data = yamlio.load(region).data
    if isinstance(data, dict) and "collection" in data and data["collection"] != item.collection:
        return splice.set_value(region, ("collection",), item.collection)
    return region


# --- dates in ISO form -----------------------------------------------------------------------


def iso_date(target: Target, region: str) -> str:
    if target.kind != "document":
        return region
    data = yamlio.load(region).data
    value = data.get("date") if isinstance(data, dict) else None
    if not isinstance(value, str) or isinstance(value, yamlio.JekyllDate) or dates.is_iso(value):
        return region
    parsed = dates.parse_jekyll_date(value)
    if parsed is None or _ambiguous(value):
        return region
    return splice.set_value(region, ("date",), yamlio.JekyllDate(parsed))


def _ambiguous(text: str) -> bool:
    match = re.fullmatch(r"\s*(\d{1,2})/(\d{1,2})/\d{4}\s*", text)
    if match is None:
        return False
    first, second = int(match.group(1)), int(match.group(2))
    return first <= 12 and second <= 12 and first != second


# --- double-escaped HTML entities --------------------------------------------------------------


def unescape_entities(target: Target, region: str) -> str:
    if target.kind == "json":
        for path, text in _json_strings(jsonedit.get_data(region), ()):
            if _ENTITY.search(text):
                region = jsonedit.set_value(region, path, _ENTITY.sub(r"&\1;", text))
        return region
    for path, node in list(walk(splice.Yaml(region).root)):
        if isinstance(node, YamlScalar) and _ENTITY.search(node.value):
            value = yamlio.load(region).data
            for part in path:
                value = value[part]
            if isinstance(value, str):
                region = splice.set_value(region, path, _ENTITY.sub(r"&\1;", value))
    return region


def _json_strings(data: Any, path: EditPath) -> Iterator[tuple[EditPath, str]]:
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _json_strings(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _json_strings(value, (*path, index))
    elif isinstance(data, str):
        yield path, data


# --- no excerpt in _pages ---------------------------------------------------------------------


def drop_page_excerpt(target: Target, region: str) -> str:
    item = target.item
    if item is None or item.collection != "pages" or not item.rel.startswith("_pages/"):
        return region
    data = yamlio.load(region).data
    if isinstance(data, dict) and "excerpt" in data:
        return splice.unset(region, ("excerpt",))
    return region


# --- walking ------------------------------------------------------------------------------------


def walk(node: YamlNode | None, path: EditPath = ()) -> Iterator[tuple[EditPath, YamlNode]]:
    """Every value the file itself spells out, with its path: no merged keys, no aliases."""
    if isinstance(node, YamlMapping):
        for key, value in node.value:
            if not isinstance(key, YamlScalar) or key.value == "<<":
                continue
            if value.start_mark.index < key.end_mark.index:
                continue
            yield from walk(value, (*path, str(key.value)))
    elif isinstance(node, YamlSequence):
        previous = node.start_mark.index
        for index, item in enumerate(node.value):
            if item.start_mark.index >= previous:
                yield from walk(item, (*path, index))
                previous = item.end_mark.index
    elif node is not None:
        yield path, node


RULES: tuple[FixRule, ...] = (
    FixRule("quote-broken-value", "quote a value whose `: ` or ` #` breaks the YAML", quote_broken),
    FixRule(
        "quote-typed-value",
        "quote a value that YAML 1.1 reads as a boolean or number where text is expected",
        quote_typed,
    ),
    FixRule(
        "collection-folder",
        "make `collection:` match the document's folder",
        collection_matches_folder,
    ),
    FixRule("iso-date", "write a date Jekyll parses in ISO form (YYYY-MM-DD)", iso_date),
    FixRule(
        "double-escaped-entity",
        "undo double-escaped HTML entities (&amp;apos; -> &apos;)",
        unescape_entities,
    ),
    FixRule("page-excerpt", "drop `excerpt:` from _pages", drop_page_excerpt),
)
