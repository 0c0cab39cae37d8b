"""Psych's YAML 1.1 scalar rules: what Jekyll's `Psych.safe_load` makes of a plain scalar.

A port of Psych's ScalarScanner, with no YAML parser attached: both loaders (the fast path in
quickyaml and the libyaml one in yamlio) type plain scalars with `psych_scalar`.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any

JsonValue = Any


class JekyllDate(str):
    """A YAML date or timestamp, carried as its ISO string so JSON Schema sees a string."""

    __slots__ = ("value",)
    value: dt.date

    def __new__(cls, value: dt.date) -> JekyllDate:
        obj = super().__new__(cls, value.isoformat())
        obj.value = value
        return obj


_ALPHA_ETC = r"(?:[^\W\d_]|[_ \t\r\n\f\v!@#$%^&*(){}<>|/\\~;=])"
_STRINGY = re.compile(rf"[^\d.:\-]?{_ALPHA_ETC}")  # one such character is enough
_TIME = re.compile(
    r"-?\d{4}-\d{1,2}-\d{1,2}(?:[Tt]|\s+)\d{1,2}:\d\d:\d\d(?:\.\d*)?"
    r"(?:\s*(?:Z|[-+]\d{1,2}:?(?:\d\d)?))?\Z"
)
_TIME_PARTS = re.compile(
    r"(-?\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt]|\s+)(\d{1,2}):(\d\d):(\d\d)(?:\.(\d*))?"
    r"(?:\s*(Z|[-+]\d{1,2}):?(\d\d)?)?\Z"
)
_DATE = re.compile(r"\d{4}-(?:1[012]|0\d|\d)-(?:[12]\d|3[01]|0\d|\d)\Z")
_SEXAGESIMAL_INT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\Z")
_SEXAGESIMAL_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*\Z")
_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?\Z")
_INTEGER = re.compile(
    r"(?:[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)"
    r"|[-+]?0x[0-9a-fA-F_,]+)\Z"
)


def psych_scalar(text: str) -> JsonValue:
    """The value Psych gives a plain (unquoted) scalar; a `:symbol` raises ValueError."""
    if not text:
        return None
    if "\n" in text or _STRINGY.match(text):
        return _word(text)
    if _TIME.match(text):
        parsed = _parse_time(text)
        return text if parsed is None else JekyllDate(parsed)
    if _DATE.match(text):
        year, month, day = (int(part) for part in text.split("-"))
        try:
            return JekyllDate(dt.date(year, month, day))
        except ValueError:
            return text
    return _number(text)


def _word(text: str) -> JsonValue:
    if len(text) > 5 or text[0] not in "ytonfYTONF~":
        return text
    lowered = text.lower()
    if text == "~" or lowered == "null":
        return None
    if lowered in ("yes", "true", "on"):
        return True
    if lowered in ("no", "false", "off"):
        return False
    return text


def _number(text: str) -> JsonValue:
    lowered = text.lower()
    if lowered in (".inf", "+.inf"):
        return math.inf
    if lowered == "-.inf":
        return -math.inf
    if lowered == ".nan":
        return math.nan
    if text.startswith(":") and len(text) > 1:
        raise ValueError(f"{text!r} is a Ruby symbol, which Jekyll's safe YAML loader refuses")
    if _SEXAGESIMAL_INT.match(text):
        return _sexagesimal(text, int)
    if _SEXAGESIMAL_FLOAT.match(text):
        return _sexagesimal(text, float)
    if _FLOAT.match(text):
        if text in (".", "+.", "-."):
            return text
        return float(text.replace(",", "").replace("_", "").rstrip(".") or "0")
    if _INTEGER.match(text):
        return integer(text.replace(",", "").replace("_", ""))
    return text


def _sexagesimal(text: str, kind: type[int] | type[float]) -> JsonValue:
    parts = text.split(":")
    total: float = 0
    for index, part in enumerate(parts):
        total += _ruby_number(part, kind) * 60 ** abs(index - 2)
    return kind(total)


def _ruby_number(text: str, kind: type[int] | type[float]) -> float:
    match = re.match(r"[-+]?[0-9_]*\.?[0-9_]*", text)
    digits = (match.group(0) if match else "").replace("_", "")
    try:
        return kind(digits) if kind is int else float(digits)
    except ValueError:
        return 0


def integer(text: str) -> int:
    sign = -1 if text.startswith("-") else 1
    body = text.lstrip("+-")
    if body.startswith("0b"):
        return sign * int(body[2:] or "0", 2)
    if body.startswith("0x"):
        return sign * int(body[2:] or "0", 16)
    if len(body) > 1 and body.startswith("0"):
        return sign * int(body, 8)
    return sign * int(body)


def _parse_time(text: str) -> dt.datetime | None:
    match = _TIME_PARTS.match(text)
    if match is None:
        return None
    year, month, day, hour, minute, second, fraction, zone, zone_minutes = match.groups()
    micro = int((fraction or "0")[:6].ljust(6, "0"))
    tz: dt.tzinfo | None = None
    if zone == "Z":
        tz = dt.UTC
    elif zone:
        offset = dt.timedelta(hours=abs(int(zone)), minutes=int(zone_minutes or 0))
        tz = dt.timezone(-offset if zone.startswith("-") else offset)
    try:
        return dt.datetime(
            int(year), int(month), int(day), int(hour), int(minute), int(second), micro, tz
        )
    except ValueError:
        return None
