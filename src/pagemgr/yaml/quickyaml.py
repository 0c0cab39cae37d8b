"""A fast path for the front matter most sites write: a flat mapping of one-line scalars.

`quick_load(text)` either returns exactly what `yamlio.load(text)` would give (the data, typed by
`yamlio.psych_scalar`, and the same positions as `yamlio.locate` / `locate_key` on the composed
node), or None, meaning "not sure: use the full parser". It never returns a different answer,
so anything outside the subset below is None:

* an optional first line `---`, then a block mapping at column 0 with at least one key;
* keys are plain words (`[A-Za-z_][A-Za-z0-9_-]*`, up to 1000 characters: libyaml refuses
  longer implicit keys) that Psych reads as the same string, each followed by `:` and a space
  or the end of the line, and no key appears twice;
* values on the key's line: a plain scalar that starts with no indicator and has no `: ` in it,
  a one-line single-quoted scalar, a one-line double-quoted scalar without backslashes, a
  one-line flow sequence of such scalars (its plain items also free of `,?[]{}#:'"`), or nothing;
* a key with nothing after it is null, or holds the block sequence on the lines below: `- item`
  lines, all at the same indent (0 included), each item a plain or quoted scalar as above;
* blank lines, whole-line comments, and ` # comments` after a value or item;
* LF or CRLF line ends, no tabs, no byte-order mark, no control or line-separator characters.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pagemgr.yaml.psych import psych_scalar

Mark = tuple[int, int]
# One row per line: a key, the spaces after its colon, and its value (what is between single
# quotes, what is between double quotes, a flow sequence, or a plain scalar); or an item's
# indent, the spaces after its dash, and the item (quotes kept); or a line outside the subset.
# Groups that did not take part are "". Quoted text is only a candidate: `_read` checks it.
_Row = tuple[str, str, str, str, str, str, str, str, str, str]
# Where a value starts, with its items' marks when it is a sequence.
_ValueMark = tuple[Mark, list[Mark] | None]

# What libyaml does not read as an ordinary character inside a line: controls (tab included),
# NEL and the other line separators, surrogates, the byte-order mark, U+FFFE and U+FFFF.
_UNSUPPORTED = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufeff\ufffe\uffff]"
)
_ASCII_CONTROLS = bytes([*range(0x0A), *range(0x0B, 0x20), 0x7F])
_SQ = r"'[^'\n]*+(?:''[^'\n]*+)*+'"
_DQ = r'"[^"\\\n]*+"'
_FIRST = r"[^-?:,\[\]{}#&*!|>'\"%@` \n]"
# A block plain scalar: no ": ", no " #", no trailing ":" and no trailing spaces.
_PLAIN = rf"{_FIRST}[^ :\n]*+(?:(?::(?=[^ \n])| ++(?=[^ #\n]))[^ :\n]*+)*+"
# libyaml ends a plain scalar inside a flow sequence at any of ,?[]{} (`[a?b]` is an error).
_FLOW_CHAR = r"[^ ,?\[\]{}#:'\"\n]"
_FLOW_PLAIN = rf"{_FIRST}{_FLOW_CHAR}*+(?: ++{_FLOW_CHAR}++)*+"
_FLOW_ITEM = rf"(?:{_SQ}|{_DQ}|{_FLOW_PLAIN})"
_FLOW = rf"\[ *+(?:{_FLOW_ITEM}(?: *+, *+{_FLOW_ITEM})*+ *+)?\]"
# `(?:x|)` rather than `(?:x)?`: the same match, but sre runs it without saving every group's
# marks on each try, which makes the whole match about an eighth faster.
_TAIL = r"(?: ++(?:#.*+|)|)"

_LINES = re.compile(
    rf"(?:([A-Za-z_][A-Za-z0-9_-]{{0,999}}):"
    rf"(?:( ++)(?:'(.*)'|\"(.*)\"|({_FLOW})|({_PLAIN}))|){_TAIL}"
    rf"|( *+)-( ++)({_SQ}|{_DQ}|{_PLAIN}){_TAIL}"
    r"| *+(?:#.*+|)"
    r"|(.++))\n"
)
_ITEM_IN_FLOW = re.compile(rf"{_SQ}|{_DQ}|{_FLOW_PLAIN}")
_HEADER = re.compile(r"--- *+\n")

# Psych's values of recent short plain scalars, and keys known to be read as themselves. Psych
# only gives immutable values (str, int, float, bool, None, JekyllDate), so sharing them is safe.
_CACHE_SIZE = 8192
_CACHED_LENGTH = 64
_TYPED: dict[str, Any] = {}
_KEYS: set[str] = set()
_MISSING = object()


class _Unsure(Exception):
    """The text is outside the subset: the full parser must decide."""


class Positions:
    """0-based (line, column) of what quick_load read, with the same answers as
    yamlio.locate/locate_key give on the node yamlio.compose(text) returns."""

    __slots__ = ("_first", "_keys", "_rows", "_values")

    def __init__(self, rows: list[_Row], first: int) -> None:
        self._rows = rows
        self._first = first
        # Worked out on first use, each on its own: most loads need few positions or none.
        self._keys: dict[str, int] | None = None
        self._values: dict[str, _ValueMark] | None = None

    @property
    def start(self) -> Mark:
        """The root mapping's start mark: its first key."""
        return (next(iter(self.key_lines().values())), 0)

    def key_lines(self) -> dict[str, int]:
        """The 0-based line of each top-level key (its column is 0)."""
        if self._keys is None:
            rows = enumerate(self._rows, self._first)
            self._keys = {row[0]: number for number, row in rows if row[0]}
        return self._keys

    def locate(self, path: Sequence[str | int]) -> Mark:
        """The value at `path`, or the deepest node on the path that exists."""
        if not path:
            return self.start
        if self._values is None:
            self._values = _value_marks(self._rows, self._first)
        found = self._values.get(str(path[0]))
        if found is None:
            return self.start
        value, items = found
        if len(path) == 1 or items is None:
            return value
        part = path[1]
        if isinstance(part, int) and 0 <= part < len(items):
            return items[part]
        return value

    def locate_key(self, path: Sequence[str | int], key: str) -> Mark:
        """`key` itself inside the mapping at `path`; only the root is a mapping here."""
        if not path:
            line = self.key_lines().get(key)
            if line is not None:
                return (line, 0)
        return self.locate(path)


def quick_load(text: str) -> tuple[dict[str, Any], Positions] | None:
    """The data and positions `yamlio.load(text)` would give, or None when not sure."""
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    if _unsupported(text):
        return None
    if not text.endswith("\n"):
        text += "\n"
    offset = first = 0
    if text.startswith("---\n"):
        offset, first = 4, 1
    elif text.startswith("---"):
        header = _HEADER.match(text)
        if header is None:
            return None
        offset, first = header.end(), 1
    rows: list[_Row] = _LINES.findall(text, offset)
    try:
        data = _read(rows)
    except _Unsure:
        return None
    if not data:
        return None
    return data, Positions(rows, first)


def _unsupported(text: str) -> bool:
    if text.isascii():  # then only controls can be unsupported: deleting them beats a search
        return len(text.encode().translate(None, _ASCII_CONTROLS)) != len(text)
    return _UNSUPPORTED.search(text) is not None


def _read(rows: list[_Row]) -> dict[str, Any]:
    """The mapping the rows spell; raise _Unsure outside the subset."""
    data: dict[str, Any] = {}
    open_key = ""  # a key with nothing after it, which a block sequence may follow
    items: list[Any] | None = None
    indent = ""
    known_keys, typed, missing = _KEYS, _TYPED.get, _MISSING
    for key, space, single, double, flow, plain, item_indent, _, item, bad in rows:
        if key:
            if key in data or (key not in known_keys and not _plain_key(key)):
                raise _Unsure
            open_key = ""
            if plain:
                found = typed(plain, missing)
                data[key] = _plain(plain) if found is missing else found
            elif single:
                if "'" in single:  # only doubled quotes may stand inside
                    if "'" in single.replace("''", ""):
                        raise _Unsure
                    single = single.replace("''", "'")
                data[key] = single
            elif double:
                if '"' in double or "\\" in double:
                    raise _Unsure
                data[key] = double
            elif flow:
                data[key] = _flow_values(flow)
            elif space:  # '' or ""
                data[key] = ""
            else:
                data[key] = None
                open_key, items = key, None
        elif item:
            if not open_key or (items is not None and item_indent != indent):
                raise _Unsure
            if items is None:
                items, indent = [], item_indent
                data[open_key] = items
            items.append(_scalar(item))
        elif bad:
            raise _Unsure
    return data


def _scalar(token: str) -> Any:
    """The value of an item (in a block or a flow sequence), given with its quotes if any."""
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    if token[0] == '"':
        return token[1:-1]
    found = _TYPED.get(token, _MISSING)
    return _plain(token) if found is _MISSING else found


def _plain(token: str) -> Any:
    try:
        value = psych_scalar(token)
    except ValueError:  # a Ruby symbol, which yamlio reports as a problem
        raise _Unsure from None
    if len(token) <= _CACHED_LENGTH:
        if len(_TYPED) >= _CACHE_SIZE:
            _TYPED.clear()
        _TYPED[token] = value
    return value


def _flow_values(token: str) -> list[Any]:
    return [_scalar(item.group()) for item in _ITEM_IN_FLOW.finditer(token, 1, len(token) - 1)]


def _plain_key(key: str) -> bool:
    """Whether Psych reads this plain key as the very same string (not a bool or a null)."""
    try:
        value = psych_scalar(key)
    except ValueError:
        return False
    if type(value) is not str or value != key:
        return False
    if len(key) <= _CACHED_LENGTH:
        if len(_KEYS) >= _CACHE_SIZE:
            _KEYS.clear()
        _KEYS.add(key)
    return True


def _value_marks(rows: list[_Row], number: int) -> dict[str, _ValueMark]:
    """Where each value starts, from rows that `_read` accepted."""
    marks: dict[str, _ValueMark] = {}
    open_key = ""
    for key, space, _, _, flow, _, indent, item_space, item, _ in rows:
        if key and not space:  # nothing after the colon: a null, marked just past the colon
            marks[key] = ((number, len(key) + 1), None)
            open_key = key
        elif key:
            column = len(key) + 1 + len(space)
            marks[key] = ((number, column), _flow_marks(flow, number, column) if flow else None)
            open_key = ""
        elif item:
            items = marks[open_key][1]
            if items is None:
                items = []
                marks[open_key] = ((number, len(indent)), items)
            items.append((number, len(indent) + 1 + len(item_space)))
        number += 1
    return marks


def _flow_marks(token: str, number: int, column: int) -> list[Mark]:
    found = _ITEM_IN_FLOW.finditer(token, 1, len(token) - 1)
    return [(number, column + item.start()) for item in found]
