"""PATH syntax for get/set/unset/append/remove: `author.github`, `main[2].url`, `"a.b".c`, `[0]`."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence

from pagemgr.errors import PagemgrError, UsageError

PathPart = str | int
EditPath = tuple[PathPart, ...]

_BARE = re.compile(r"[^.\[\]\"']+")
_INDEX = re.compile(r"\[\s*(-?\d+)\s*\]")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"|\'((?:[^\']|\'\')*)\'')


class PathError(PagemgrError):
    """A PATH that does not lead to a value in the file."""


def parse_path(text: str) -> EditPath:
    """Split a PATH into keys (str) and list indices (int)."""
    if text.strip() == ".":
        return ()  # the whole file: a top-level list or mapping
    parts: list[PathPart] = []
    pos, need_key = 0, True
    while pos < len(text):
        index = _INDEX.match(text, pos)
        if index:
            parts.append(int(index.group(1)))
            pos, need_key = index.end(), False
            continue
        if not need_key:
            if text[pos] != ".":
                raise UsageError(f"PATH {text!r}: expected '.' or '[' at character {pos + 1}")
            pos, need_key = pos + 1, True
            if pos == len(text):
                break
        quoted = _QUOTED.match(text, pos)
        bare = _BARE.match(text, pos)
        if quoted:
            double, single = quoted.groups()
            key = _unescape(double) if double is not None else single.replace("''", "'")
            parts.append(key)
            pos = quoted.end()
        elif bare:
            parts.append(bare.group(0))
            pos = bare.end()
        else:
            raise UsageError(f"PATH {text!r}: expected a key at character {pos + 1}")
        need_key = False
    if not parts or need_key:
        raise UsageError(f"PATH {text!r} is empty or ends with '.'; write e.g. author.github")
    return tuple(parts)


def _unescape(body: str) -> str:
    return re.sub(r"\\(.)", r"\1", body)


def format_path(parts: Sequence[PathPart]) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
            continue
        key = part if _BARE.fullmatch(part) and part.strip() == part else _quote(part)
        out += f".{key}" if out else key
    return out or "(top level)"


def _quote(key: str) -> str:
    return '"' + key.replace("\\", "\\\\").replace('"', '\\"') + '"'


def missing_key(parts: Sequence[PathPart], depth: int, keys: Iterable[str]) -> PathError:
    """The error for a key that is not there, with the closest existing keys."""
    known = [str(key) for key in keys]
    wanted = str(parts[depth])
    where = format_path(parts[:depth])
    close = difflib.get_close_matches(wanted, known, n=3, cutoff=0.6)
    hint = f"; did you mean {', '.join(repr(c) for c in close)}?" if close else ""
    if not close and known:
        shown = ", ".join(known[:8]) + (", ..." if len(known) > 8 else "")
        hint = f"; keys there: {shown}"
    place = "the top level" if depth == 0 else where
    return PathError(f"{format_path(parts)}: no key {wanted!r} in {place}{hint}")


def bad_index(parts: Sequence[PathPart], depth: int, length: int) -> PathError:
    where = format_path(parts[:depth]) if depth else "the top-level list"
    return PathError(
        f"{format_path(parts)}: index {parts[depth]} is out of range ({where} has {length} "
        f"item{'' if length == 1 else 's'})"
    )


def wrong_kind(parts: Sequence[PathPart], depth: int, kind: str) -> PathError:
    where = format_path(parts[:depth]) if depth else "the top level"
    part = parts[depth]
    if isinstance(part, int):
        need = f"{where} is {kind}, not a list; use {where}.KEY"
    elif kind == "a list":
        need = f"{where} is a list, not a mapping; use {where}[N].{format_path([part])}"
    else:
        need = f"{where} is {kind}, so it has no key {part!r}"
    return PathError(f"{format_path(parts)}: {need}")


def lookup(data: object, parts: Sequence[PathPart]) -> object:
    """The value at `parts` in loaded data, or a PathError naming the part that is missing."""
    current = data
    for depth, part in enumerate(parts):
        if isinstance(current, dict):
            if isinstance(part, int):
                raise wrong_kind(parts, depth, "a mapping")
            if part not in current:
                raise missing_key(parts, depth, current)
            current = current[part]
        elif isinstance(current, list):
            if not isinstance(part, int):
                raise wrong_kind(parts, depth, "a list")
            if not -len(current) <= part < len(current):
                raise bad_index(parts, depth, len(current))
            current = current[part]
        elif current is None and isinstance(part, str):
            raise missing_key(parts, depth, [])
        else:
            raise wrong_kind(parts, depth, f"a single value ({current!r})")
    return current
