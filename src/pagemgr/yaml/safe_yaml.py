"""SafeYAML 1.0.5's rules: YAML as GitHub Pages' Jekyll 3.10 (and upstream Jekyll 4) reads it.

Upstream Jekyll reads front matter, `_data` and `_config.yml` with `SafeYAML.load`; only
Debian's Jekyll 4.3 was patched to use Psych's `safe_load`, whose rules `psych` ports. SafeYAML
takes Psych's parser *events* and builds the result itself, with rules of its own:

* plain scalars are typed by `safe_yaml_scalar` (its own integer, float, null, boolean and date
  guesses; `:symbol` stays text; `10:30` is the float 630.0);
* a scalar with an explicit tag is guessed as if plain (`!!str 2024` is 2024), except
  `!!binary`, which is decoded; only quoted or block scalars without a tag stay text;
* a tag on a mapping or sequence is ignored (`!ruby/object:Foo` is a plain mapping);
* `<<` merges the value it is given when it is met: later keys win, a mapping written inline
  after `<<:` is merged while still empty, and anything but a mapping (a list) is a TypeError;
* an alias to an undefined anchor is nil, and an alias to a string is typed again;
* a null key (`~:`, `null:`) is dropped, so the value after it becomes a key and every key after
  it in the document shifts by one.

`construct` applies these to a stream of `Event`s (what libyaml's parser reports, with no YAML
library imported here); `resolve_scalar` and `safe_yaml_scalar` type one scalar. Every rule
names its source in docs/yaml-builders.md; tests/data/safe_yaml/ holds the expectations.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Hashable, Iterable
from typing import Any, Literal, NamedTuple

from pagemgr.yaml.model import (
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    JsonValue,
    Problem,
    YamlSyntaxError,
)
from pagemgr.yaml.psych import JekyllDate

SAFE_YAML_VERSION = "1.0.5"

# Problem kinds `construct` reports: each is legal YAML that SafeYAML reads differently from
# Psych, or silently drops.
DUPLICATE_KEY = "duplicate-key"
NULL_KEY = "null-key"
UNDEFINED_ALIAS = "undefined-alias"
RETYPED_ALIAS = "retyped-alias"
INLINE_MERGE = "inline-merge"
MERGE_OVERRIDES = "merge-overrides"
IGNORED_TAG = "ignored-tag"

_BINARY_TAGS = frozenset({"tag:yaml.org,2002:binary", "x-private:binary", "!binary"})
_HARMLESS_TAGS = frozenset(
    {"!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"}
)


class SafeYamlError(Exception):
    """What `SafeYAML.load` raises where the parser did not: a Ruby exception, at a position.

    Jekyll logs it; what it costs the site depends on the file (see site.builder)."""

    def __init__(self, ruby_class: str, message: str, line: int = 0, column: int = 0) -> None:
        super().__init__(f"{ruby_class}: {message}")
        self.ruby_class = ruby_class
        self.message = message
        self.line = line
        self.column = column


# --- one scalar -----------------------------------------------------------------------------

# Ruby's `\Z` also matches before a final newline; its `\s` and `\d` are ASCII.
_END = r"\n?\Z"
_SPACE = r"[ \t\r\n\f\v]"
_FLAGS = re.ASCII

_TRANSFORMABLE_FIRST = frozenset("-+0123456789.~OoYyNnTtFf:")
_DECIMAL = re.compile(rf"[-+]?(?:0|[1-9][0-9_,]*){_END}", _FLAGS)
_OCTAL = re.compile(rf"0[0-7]+{_END}", _FLAGS)
_HEX = re.compile(rf"0x[0-9a-f]+{_END}", _FLAGS | re.IGNORECASE)
_BINARY = re.compile(rf"0b[01_]+{_END}", _FLAGS)
_INTEGER_FORMS = (_DECIMAL, _OCTAL, _HEX, _BINARY)
_HEX_EDGE = re.compile(rf"{_SPACE}*[-+]?0x[0-9a-fA-F_]+{_SPACE}*{_END}", _FLAGS)
_BASE_60_INT = re.compile(rf"{_SPACE}*[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+{_SPACE}*{_END}", _FLAGS)
_BASE_60_FLOAT = re.compile(
    rf"{_SPACE}*[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*{_SPACE}*{_END}", _FLAGS
)
_FLOAT = re.compile(rf"[-+]?(?:\d[\d_]*)?\.[\d_]+(?:[eE][-+][\d]+)?{_END}", _FLAGS)
_FLOAT_WORDS = {
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
_NULL_WORDS = frozenset({"", "~", "null"})
_BOOLEAN_WORDS = {"yes": True, "on": True, "true": True, "no": False, "off": False, "false": False}
_DATE = re.compile(rf"(\d{{4}})-(\d{{2}})-(\d{{2}}){_END}", _FLAGS)
_TIME = re.compile(
    rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[Tt]|{_SPACE}+)(\d{{1,2}}):(\d{{2}}):(\d{{2}})"
    rf"(?:\.(\d*))?{_SPACE}*(?:(Z)|([-+])(\d{{1,2}})(?::?(\d{{2}}))?)?{_END}",
    _FLAGS,
)
# What Ruby's Integer() and Float() accept once the text is known to be digits.
_RUBY_DIGITS = r"\d+(?:_\d+)*"
_RUBY_FLOAT = re.compile(
    rf"{_SPACE}*[-+]?(?:{_RUBY_DIGITS}(?:\.{_RUBY_DIGITS})?|\.{_RUBY_DIGITS})"
    rf"(?:[eE][-+]?{_RUBY_DIGITS})?{_SPACE}*\Z",
    _FLAGS,
)
_RUBY_WHITESPACE = " \t\r\n\f\v"


class _Guess(NamedTuple):
    value: JsonValue


def safe_yaml_scalar(text: str) -> JsonValue:
    """The value SafeYAML gives a plain scalar (transform.rb's `to_guessed_type`).

    Raises SafeYamlError where Ruby's Float() refuses text the float pattern let through
    (`1_.5`): SafeYAML does not catch it, so the whole load fails."""
    first = _first_non_space(text) if text else None
    if text and first not in _TRANSFORMABLE_FIRST:
        return text
    # Shortcuts, each taking only text that no earlier guess below could take: a word can be
    # a null or a boolean only, and a plain date matches no number form (none has a `-` inside).
    guesses = (_null, _boolean) if first is not None and first.isalpha() else _GUESSES
    date = _DATE.match(text) if first is not None and first.isdigit() else None
    if date is not None:
        return _calendar_date(text, *(int(part) for part in date.groups()))
    for guess in guesses:
        found = guess(text)
        if found is not None:
            return found.value
    return text


def is_typed(quoted: bool, tag: str | None) -> bool:
    """Whether SafeYAML guesses a type for a scalar: all but libyaml's `quoted_implicit` ones
    (written quoted or as a `|`/`>` block, with no tag). A tag does not keep text text."""
    return tag is not None or not quoted


def resolve_scalar(text: str, *, quoted: bool = False, tag: str | None = None) -> JsonValue:
    """A scalar as SafeYAML's `to_proper_type` makes it: binary tags decoded, every other tag
    ignored, quoted or block text without a tag kept, the rest guessed."""
    if tag in _BINARY_TAGS:
        return _decode64(text)
    if not is_typed(quoted, tag):
        return text
    return safe_yaml_scalar(text)


def _first_non_space(text: str) -> str | None:
    stripped = text.lstrip(" ")
    return stripped[0] if stripped else None


def _integer(text: str) -> _Guess | None:
    digits = text.replace("_", "").replace(",", "")
    if any(form.match(digits) for form in _INTEGER_FORMS):
        return _Guess(_ruby_integer(digits))
    if _HEX_EDGE.match(digits):
        return _Guess(_ruby_integer(digits))
    if _BASE_60_INT.match(digits):
        return _Guess(_base_60(digits))
    return None


def _float(text: str) -> _Guess | None:
    if _FLOAT.match(text):
        return _Guess(_ruby_float(text))
    if text in _FLOAT_WORDS:
        return _Guess(_FLOAT_WORDS[text])
    if _BASE_60_FLOAT.match(text):
        return _Guess(_base_60(text))
    return None


def _null(text: str) -> _Guess | None:
    if len(text) > 4 or text.lower() not in _NULL_WORDS:
        return None
    return _Guess(None)


def _boolean(text: str) -> _Guess | None:
    if len(text) > 5 or text.lower() not in _BOOLEAN_WORDS:
        return None
    return _Guess(_BOOLEAN_WORDS[text.lower()])


def _date(text: str) -> _Guess | None:
    """A date or time, or the text itself when Ruby finds it invalid (the ArgumentError that
    to_date.rb rescues): `2024-02-30` stays text."""
    date = _DATE.match(text)
    if date is not None:
        return _Guess(_calendar_date(text, *(int(part) for part in date.groups())))
    time = _TIME.match(text)
    if time is not None:
        parsed = _date_time(time)
        return _Guess(text if parsed is None else JekyllDate(parsed))
    return None


_GUESSES = (_integer, _float, _null, _boolean, _date)  # to_guessed_type's order


def _calendar_date(text: str, year: int, month: int, day: int) -> JsonValue:
    try:
        return JekyllDate(dt.date(year, month, day))
    except ValueError:  # also year 0, which Ruby has and Python cannot hold
        return text


def _date_time(match: re.Match[str]) -> dt.datetime | None:
    """What `DateTime.parse(text).to_time` gives (parse/date.rb:27-30): the instant, in the
    builder's local time, which is UTC on GitHub's builder (a `timezone:` setting changes the
    zone shown, never the instant). None where DateTime.parse refuses the text."""
    year, month, day, hour, minute, second = (int(part) for part in match.groups()[:6])
    fraction, _, sign, zone_hours, zone_minutes = match.groups()[6:]
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    next_day = hour == 24 and minute == 0 and second == 0
    if second > 60:
        return None
    try:
        start = dt.datetime(year, month, day, 0 if next_day else hour, minute, min(second, 59))
    except ValueError:
        return None
    moment = start + dt.timedelta(days=1 if next_day else 0, microseconds=micro)
    offset = dt.timedelta(hours=int(zone_hours or 0), minutes=int(zone_minutes or 0))
    if offset >= dt.timedelta(hours=24):  # DateTime.parse ignores an offset it cannot hold
        offset = dt.timedelta(0)
    return (moment - (-offset if sign == "-" else offset)).replace(tzinfo=dt.UTC)


def _ruby_integer(digits: str) -> int:
    """Ruby's Integer() on text the integer patterns accepted (no `_` or `,` left in it)."""
    body = digits.strip(_RUBY_WHITESPACE)
    sign = -1 if body.startswith("-") else 1
    body = body.lstrip("+-")
    prefix = body[:2].lower()
    if prefix in ("0x", "0b"):
        return sign * int(body[2:], 16 if prefix == "0x" else 2)
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body, 8)
    return sign * int(body)


def _ruby_float(text: str) -> float:
    """Ruby's Float(): one `_` only between digits, a digit after any `.`; else ArgumentError."""
    if not _RUBY_FLOAT.match(text):
        raise SafeYamlError("ArgumentError", f'invalid value for Float(): "{text}"')
    return float(text.strip(_RUBY_WHITESPACE).replace("_", ""))


def _base_60(text: str) -> float:
    """parse/sexagesimal.rb: the parts from the right, times 1, 60, 3600...; always a Float,
    and negated when the text starts with `-` (so `-1:30` is 30.0)."""
    before, _, after = text.partition(".")
    whole: float = 0
    multiplier = 1
    for part in reversed(before.split(":")):
        whole += _ruby_float(part) * multiplier
        multiplier *= 60
    if after:
        whole += _ruby_float("." + after)
    return -whole if text.startswith("-") else float(whole)


def _decode64(text: str) -> str:
    """Ruby's lenient Base64.decode64, read back as UTF-8 (invalid bytes replaced)."""
    import base64  # here: only a `!binary` scalar needs it
    import binascii

    alphabet = re.sub(r"[^A-Za-z0-9+/]", "", text.split("=", 1)[0])
    try:
        raw = base64.b64decode(alphabet + "=" * (-len(alphabet) % 4))
    except binascii.Error:  # a lone trailing character: Ruby drops it
        raw = base64.b64decode(alphabet[:-1] + "=" * (-len(alphabet[:-1]) % 4))
    return raw.decode("utf-8", "replace")


# --- what Jekyll re-reads -------------------------------------------------------------------


def ruby_to_s(value: JsonValue) -> str:
    """Ruby's `to_s` of a loaded value: what Jekyll's merge_date! hands to Time.parse."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _ruby_float_text(value)
    if isinstance(value, JekyllDate):
        return _ruby_time_text(value.value)
    return str(value)


def _ruby_float_text(value: float) -> str:
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e16:
        return f"{value:.1f}"
    text = repr(value)
    if "e" not in text:
        return text
    mantissa, exponent = text.split("e")
    mantissa = mantissa if "." in mantissa else mantissa + ".0"
    return f"{mantissa}e{'' if exponent.startswith('-') else '+'}{exponent.lstrip('+')}"


def _ruby_time_text(value: dt.date) -> str:
    if not isinstance(value, dt.datetime):
        return value.isoformat()
    zone = value.strftime("%z") if value.tzinfo is not None else "+0000"
    return value.strftime("%Y-%m-%d %H:%M:%S ") + (zone or "+0000")


# --- a whole document -----------------------------------------------------------------------

EventKind = Literal["scalar", "alias", "mapping", "sequence", "end", "document-end"]


class Event(NamedTuple):
    """One parser event, as libyaml reports it (0-based position of its start).

    `value` is a scalar's text or an alias's anchor name; `quoted` is libyaml's
    `quoted_implicit`: the scalar was written quoted or as a block and has no tag."""

    kind: EventKind
    value: str = ""
    anchor: str | None = None
    tag: str | None = None
    quoted: bool = False
    line: int = 0
    column: int = 0


class SafeLoaded(NamedTuple):
    """What SafeYAML.load returns (`data`; False for a stream with no document), with what it
    read differently from Psych or dropped."""

    data: JsonValue
    problems: tuple[Problem, ...] = ()


class _Hash:
    """A Ruby Hash under construction: keys compared as Ruby compares them (1, "1" and true
    are three keys), in insertion order; `written` are the keys written in it, not merged."""

    __slots__ = ("entries", "written")

    def __init__(self) -> None:
        self.entries: dict[Hashable, tuple[Any, Any]] = {}
        self.written: set[Hashable] = set()


def construct(events: Iterable[Event]) -> SafeLoaded:
    """The first document of `events`, built as psych_handler.rb builds it."""
    builder = _Builder()
    for event in events:
        if event.kind == "document-end":
            break
        builder.take(event)
    return SafeLoaded(builder.finish(), tuple(builder.problems))


class _Builder:
    """psych_handler.rb's state: one pending key for the whole document, not one per mapping,
    so a dropped null key shifts the keys of the mappings around it too."""

    def __init__(self) -> None:
        self.anchors: dict[str, Any] = {}
        self.stack: list[_Hash | list[Any]] = []
        self.current: Any = None
        self.opening: _Hash | list[Any] | None = None  # a collection added before it is read
        self.pending_key: Any = None
        self.pending_event: Event | None = None  # where the pending key was written
        self.begun = False
        self.result: Any = None
        self.problems: list[Problem] = []

    def take(self, event: Event) -> None:
        try:
            self.take_unplaced(event)
        except SafeYamlError as exc:
            if (exc.line, exc.column) != (0, 0):
                raise
            raise SafeYamlError(exc.ruby_class, exc.message, event.line, event.column) from None

    def take_unplaced(self, event: Event) -> None:
        if event.kind == "scalar":
            value = resolve_scalar(event.value, quoted=event.quoted, tag=event.tag)
            if _tag_is_ignored(event, value):
                self.note(IGNORED_TAG, f"SafeYAML ignores the tag {event.tag!r}", event)
            self.add(value, event, event.anchor)
        elif event.kind == "alias":
            self.add(self.aliased(event), event, None)
        elif event.kind in ("mapping", "sequence"):
            self.open(event)
        elif event.kind == "end":
            self.stack.pop()
            self.current = self.stack[-1] if self.stack else None

    def aliased(self, event: Event) -> JsonValue:
        if event.value not in self.anchors:
            self.note(
                UNDEFINED_ALIAS, f"alias *{event.value} has no anchor: SafeYAML reads nil", event
            )
            return None
        value = self.anchors[event.value]
        if type(value) is not str:
            return value
        retyped = safe_yaml_scalar(value)
        if retyped != value or type(retyped) is not str:
            self.note(RETYPED_ALIAS, f"alias *{event.value} is typed again: {retyped!r}", event)
        return retyped

    def open(self, event: Event) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise YamlSyntaxError(
                f"nesting deeper than {MAX_DEPTH} levels", event.line, event.column
            )
        if event.tag is not None and event.tag not in _HARMLESS_TAGS:
            self.note(IGNORED_TAG, f"SafeYAML ignores the tag {event.tag!r}", event)
        container: _Hash | list[Any] = _Hash() if event.kind == "mapping" else []
        self.opening = container
        self.add(container, event, event.anchor)
        self.opening = None
        self.current = container
        self.stack.append(container)

    def add(self, value: Any, event: Event, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = value
        if not self.begun:
            self.begun, self.result, self.current = True, value, value
        elif isinstance(self.current, list):
            self.current.append(value)
        elif isinstance(self.current, _Hash):
            self.add_to_hash(self.current, value, event)
        else:
            raise SafeYamlError(
                "RuntimeError", "Don't know how to add to a String!", event.line, event.column
            )

    def add_to_hash(self, target: _Hash, value: Any, event: Event) -> None:
        if self.pending_key is None:
            if value is None:
                self.note(
                    NULL_KEY,
                    "SafeYAML drops a null key: the value after it becomes a key, and every "
                    "key after it shifts",
                    event,
                )
            self.pending_key, self.pending_event = value, event
            return
        key, self.pending_key = self.pending_key, None
        key_event = self.pending_event or event
        if isinstance(key, str) and key == "<<":
            self.merge(target, value, event)
            return
        identity = _identity(key)
        if identity in target.written:
            shown = ruby_to_s(key) if not isinstance(key, _Hash | list) else "a collection"
            self.note(
                DUPLICATE_KEY, f"key {shown!r} appears twice; Jekyll keeps the last", key_event
            )
        target.written.add(identity)
        target.entries[identity] = (key, value)

    def merge(self, target: _Hash, value: Any, event: Event) -> None:
        if not isinstance(value, _Hash):
            raise SafeYamlError(
                "TypeError",
                f"no implicit conversion of {_ruby_class(value)} into Hash",
                event.line,
                event.column,
            )
        if value is self.opening or any(value is open_hash for open_hash in self.stack):
            self.note(
                INLINE_MERGE,
                "a mapping written after `<<:` is merged before it is read: nothing is merged",
                event,
            )
        if any(
            identity in target.entries and target.entries[identity][1] != entry[1]
            for identity, entry in value.entries.items()
        ):
            self.note(
                MERGE_OVERRIDES, "SafeYAML lets `<<` override the keys written before it", event
            )
        target.entries.update(value.entries)

    def note(self, kind: str, message: str, event: Event) -> None:
        self.problems.append(Problem(kind, message, event.line, event.column))

    def finish(self) -> JsonValue:
        if not self.begun:
            return False
        if _expanded_size(self.result) > MAX_EXPANDED_NODES:
            raise YamlSyntaxError(
                f"aliases expand to more than {MAX_EXPANDED_NODES:,} values (an alias bomb)", 0, 0
            )
        return _plain(self.result, {})


def _tag_is_ignored(event: Event, value: JsonValue) -> bool:
    """A scalar's tag that SafeYAML did not honour: any but binary and `!`, except `!!str` on
    text that stays the same text."""
    if event.tag is None or event.tag == "!" or event.tag in _BINARY_TAGS:
        return False
    stays_text = type(value) is str and value == event.value
    return not (event.tag == "tag:yaml.org,2002:str" and stays_text)


def _identity(key: Any) -> Hashable:
    if isinstance(key, JekyllDate):
        return ("date", key.value)
    if isinstance(key, float) and math.isnan(key):
        return ("object", id(key))  # Ruby: NaN.eql?(NaN) is false
    if isinstance(key, str | bool | int | float):
        return (type(key).__name__, key)
    return ("object", id(key))


def _ruby_class(value: Any) -> str:
    if value is None:
        return "nil"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return "Array"
    if isinstance(value, JekyllDate):
        return "Time" if isinstance(value.value, dt.datetime) else "Date"
    return {int: "Integer", float: "Float"}.get(type(value), "String")


def _expanded_size(root: Any) -> int:
    """How many values `root` holds once every alias is copied out; past the limit on a cycle."""
    sizes: dict[int, int] = {}
    open_ids: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        value, children_done = stack.pop()
        children = _children(value)
        if not children or id(value) in sizes:
            continue
        if children_done:
            open_ids.discard(id(value))
            sizes[id(value)] = 1 + sum(sizes.get(id(child), 1) for child in children)
            if sizes[id(value)] > MAX_EXPANDED_NODES:
                return sizes[id(value)]
            continue
        if id(value) in open_ids:
            return MAX_EXPANDED_NODES + 1  # a value that contains itself
        open_ids.add(id(value))
        stack.append((value, True))
        stack.extend((child, False) for child in children if id(child) not in sizes)
    return sizes.get(id(root), 1)


def _children(value: Any) -> list[Any]:
    if isinstance(value, list):
        return value
    if isinstance(value, _Hash):
        return [part for pair in value.entries.values() for part in pair]
    return []


def _plain(value: Any, built: dict[int, Any]) -> JsonValue:
    """`value` as pagemgr's data: string keys, shared values kept shared."""
    if not isinstance(value, list | _Hash):
        return value
    if id(value) in built:
        return built[id(value)]
    if isinstance(value, list):
        items: list[JsonValue] = []
        built[id(value)] = items
        items.extend(_plain(item, built) for item in value)
        return items
    mapping: dict[str, JsonValue] = {}
    built[id(value)] = mapping
    for key, item in value.entries.values():
        mapping[_key_text(key, built)] = _plain(item, built)
    return mapping


def _key_text(key: Any, built: dict[int, Any]) -> str:
    if isinstance(key, str):
        return str(key)
    if isinstance(key, list | _Hash):
        return str(_plain(key, built))
    return ruby_to_s(key)
