"""Name the YAML mistake behind a syntax error, when it is one GitHub Pages users keep making.

Given the line a YAML error points at, say in plain words what is wrong and how to quote it;
None when the error is something else (then the generic yaml-syntax finding stands).
"""

from __future__ import annotations

import re

_KEY = r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[^\s:#'\"][^:#]*?):[ \t]+"
_LEADING = re.compile(_KEY + r"(?P<char>[@`%])")
_COLON = re.compile(_KEY + r"(?P<value>[^\s'\"\[{|>&*!].*?:(?:[ \t]|$).*)$")


def explain(lines: list[str], line: int) -> tuple[str, str] | None:
    """(message, hint) for the 0-based `line` of a YAML error, or None."""
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    indent = text[: len(text) - len(text.lstrip(" \t"))]
    if "\t" in indent:
        return (
            "a tab is used for indentation; YAML allows only spaces there",
            "replace the tab at the start of the line with spaces",
        )
    match = _LEADING.match(text)
    if match:
        char = match.group("char")
        return (
            f"the value of '{match.group('key')}' starts with '{char}', which YAML reserves, "
            "so the file cannot be read",
            f'quote the value: {match.group("key")}: "{text[match.start("char") :].strip()}"',
        )
    match = _COLON.match(text)
    if match:
        value = match.group("value").strip().replace('"', '\\"')
        return (
            f"the value of '{match.group('key')}' contains ': ' without quotes, which YAML "
            "reads as a second key",
            f'quote the value: {match.group("key")}: "{value}"',
        )
    return None
