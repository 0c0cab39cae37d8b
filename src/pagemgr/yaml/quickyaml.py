"""A fast path for the front matter most sites write: a flat mapping of one-line scalars.

`quick_load(text, scalar=...)` either returns exactly what `yamlio.load(text, rules)` would
give (the data, typed by `scalar`: `psych_scalar` for Psych's rules, `safe_yaml_scalar` for
SafeYAML's; and the same positions as `yamlio.locate` / `locate_key` on the full parser's
result), or None, meaning "not sure: use the full parser". It never returns a different answer,
so anything outside the subset below is None:

* an optional first line `---`, then a block mapping at column 0 with at least one key;
* keys are plain words (`[A-Za-z_][A-Za-z0-9_-]*`, up to 1000 characters: libyaml refuses
  longer implicit keys) that `scalar` reads as the same string (not `yes`, nor a null, which
  SafeYAML drops, shifting the keys after it), each followed by `:` and a space or the end of
  the line, and no key appears twice;
* no plain value on which `scalar` raises (a Ruby symbol for Psych, `1_.5` for SafeYAML);
* values on the key's line: a plain scalar that starts with no indicator and has no `: ` in it,
  a one-line single-quoted scalar, a one-line double-quoted scalar without backslashes, a
  one-line flow sequence of such scalars (its plain items also free of `,?[]{}#:'"`), or nothing;
* a key with nothing after it is null, or holds the block sequence on the lines below: `- item`
  lines, all at the same indent (0 included), each item a plain or quoted scalar as above;
* blank lines, whole-line comments, and ` # comments` after a value or item;
* LF or CRLF line ends, no tabs, no byte-order mark, no control or line-separator characters.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence
from typing import Any

from pagemgr.yaml.psych import JekyllDate, psych_scalar
from pagemgr.yaml.safe_yaml import SafeYamlError

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

Scalar = Callable[[str], Any]
# Per set of rules, the values of recent short plain scalars, and keys known to be read as
# themselves. Both rules give only immutable values (str, int, float, bool, None, JekyllDate),
# so sharing them is safe.
_CACHE_SIZE = 8192
_CACHED_LENGTH = 64
_MISSING = object()


class _Rules:
    """How plain scalars are typed (`scalar`), what is known of recent ones, and, with `other`,
    the rules to compare with: a scalar `other` reads otherwise is never cached, so each load
    that holds one meets it in `_plain` and says so in `read_otherwise`."""

    __slots__ = ("keys", "other", "read_otherwise", "scalar", "typed")

    def __init__(self, scalar: Scalar, other: Scalar | None) -> None:
        self.scalar = scalar
        self.other = other
        self.typed: dict[str, Any] = {}
        self.keys: set[str] = set()
        self.read_otherwise = False  # by the load under way


_PSYCH = _Rules(psych_scalar, None)
_RULES: dict[tuple[Scalar, Scalar | None], _Rules] = {(psych_scalar, None): _PSYCH}


def _rules_of(scalar: Scalar, other: Scalar | None) -> _Rules:
    if scalar is psych_scalar and other is None:
        return _PSYCH
    rules = _RULES.get((scalar, other))
    if rules is None:
        rules = _RULES[scalar, other] = _Rules(scalar, other)
    return rules


class _Unsure(Exception):
    """The text is outside the subset: the full parser must decide."""


class Positions:
    """0-based (line, column) of what quick_load read, with the same answers as
    yamlio.locate/locate_key give on the node yamlio.compose(text) returns."""

    __slots__ = ("_first", "_keys", "_rows", "_values", "read_otherwise")

    def __init__(self, rows: list[_Row], first: int, read_otherwise: bool = False) -> None:
        self._rows = rows
        self._first = first
        # Whether the `other` rules quick_load was given read some plain scalar otherwise.
        self.read_otherwise = read_otherwise
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


def quick_load(
    text: str, scalar: Scalar = psych_scalar, other: Scalar | None = None
) -> tuple[dict[str, Any], Positions] | None:
    """The data and positions `yamlio.load(text)` would give with the rules whose plain scalars
    `scalar` types, or None when not sure. With `other`, the positions also say whether those
    rules read any plain scalar or key otherwise (`Positions.read_otherwise`)."""
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
    rules = _rules_of(scalar, other)
    rules.read_otherwise = False
    try:
        data = _read(rows, rules)
    except _Unsure:
        return None
    if not data:
        return None
    return data, Positions(rows, first, rules.read_otherwise)


def _unsupported(text: str) -> bool:
    if text.isascii():  # then only controls can be unsupported: deleting them beats a search
        return len(text.encode().translate(None, _ASCII_CONTROLS)) != len(text)
    return _UNSUPPORTED.search(text) is not None


def _read(rows: list[_Row], rules: _Rules) -> dict[str, Any]:
    """The mapping the rows spell; raise _Unsure outside the subset."""
    data: dict[str, Any] = {}
    open_key = ""  # a key with nothing after it, which a block sequence may follow
    items: list[Any] | None = None
    indent = ""
    known_keys, typed, missing = rules.keys, rules.typed.get, _MISSING
    for key, space, single, double, flow, plain, item_indent, _, item, bad in rows:
        if key:
            if key in data or (key not in known_keys and not _plain_key(key, rules)):
                raise _Unsure
            open_key = ""
            if plain:
                found = typed(plain, missing)
                data[key] = _plain(plain, rules) if found is missing else found
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
                data[key] = _flow_values(flow, rules)
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
            items.append(_scalar(item, rules))
        elif bad:
            raise _Unsure
    return data


def _scalar(token: str, rules: _Rules) -> Any:
    """The value of an item (in a block or a flow sequence), given with its quotes if any."""
    if token[0] == "'":
        return token[1:-1].replace("''", "'")
    if token[0] == '"':
        return token[1:-1]
    found = rules.typed.get(token, _MISSING)
    return _plain(token, rules) if found is _MISSING else found


def _plain(token: str, rules: _Rules) -> Any:
    try:
        value = rules.scalar(token)
    except (ValueError, SafeYamlError):  # a Ruby symbol (a problem) or a SafeYAML load error
        raise _Unsure from None
    if rules.other is not None and not _read_alike(token, value, rules.other):
        rules.read_otherwise = True
        return value
    if len(token) <= _CACHED_LENGTH:
        if len(rules.typed) >= _CACHE_SIZE:
            rules.typed.clear()
        rules.typed[token] = value
    return value


def _read_alike(token: str, value: Any, other: Scalar) -> bool:
    """Whether `other` gives `token` the same value; two dates count as alike (the builders
    write a timestamp's zone apart, never its instant), and so do two NaNs."""
    if type(value) is str and token[0].isalpha():
        return True  # both read the same words as nulls and booleans, and all others as text
    if type(value) is JekyllDate and type(value.value) is dt.date:
        return True  # SafeYAML's calendar dates are YYYY-MM-DD, which Psych reads alike
    try:
        theirs = other(token)
    except (ValueError, SafeYamlError):
        return False
    if type(value) is not type(theirs):
        return False
    return value == theirs or type(value) is JekyllDate or (value != value and theirs != theirs)


def _flow_values(token: str, rules: _Rules) -> list[Any]:
    found = _ITEM_IN_FLOW.finditer(token, 1, len(token) - 1)
    return [_scalar(item.group(), rules) for item in found]


def _plain_key(key: str, rules: _Rules) -> bool:
    """Whether the rules read this plain key as the very same string (not a bool or a null)."""
    try:
        value = rules.scalar(key)
    except (ValueError, SafeYamlError):
        return False
    if type(value) is not str or value != key:
        return False
    if rules.other is not None and not _read_alike(key, value, rules.other):
        rules.read_otherwise = True
        return True
    if len(key) <= _CACHED_LENGTH:
        if len(rules.keys) >= _CACHE_SIZE:
            rules.keys.clear()
        rules.keys.add(key)
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
