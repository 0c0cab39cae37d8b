"""New YAML text for a value, as every Jekyll will read it back.

Every candidate rendering is checked by parsing it again with `yamlio` under both builders'
rules, Psych's (Debian's Jekyll 4.3) and SafeYAML's (GitHub Pages' Jekyll 3.10): a candidate is
taken only when both read the very value given, so a string never turns into a boolean, number,
date or null on either (`10:30`, `-010`, `1.`, `2024-5-1` and `:foo` are quoted), and a value
never breaks the surrounding YAML.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any, Literal

from pagemgr.yaml import yamlio

Style = Literal["plain", "single", "double"]
STYLES: tuple[Style, ...] = ("plain", "single", "double")
_NOT_FIRST = set("*&!%@`|>'\"[]{},#?:-~")
_RISKY_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null", "~"})
_NEEDS_ESCAPE = re.compile(r"[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029\ufeff\\\"]")
_ESCAPES = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\\": "\\\\", '"': '\\"', "\x00": "\\0"}


def same(a: Any, b: Any) -> bool:
    """Equal values of the same kind, as Jekyll sees them (a date is not its string)."""
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return type(a) is type(b) and bool(a == b)


def double_quoted(text: str) -> str:
    def escape(match: re.Match[str]) -> str:
        char = match.group(0)
        return _ESCAPES.get(char) or (
            f"\\x{ord(char):02x}" if ord(char) < 0x100 else f"\\u{ord(char):04x}"
        )

    return '"' + _NEEDS_ESCAPE.sub(escape, text) + '"'


def single_quoted(text: str) -> str | None:
    if any(not c.isprintable() for c in text):
        return None
    return "'" + text.replace("'", "''") + "'"


def plain(text: str) -> str | None:
    if not text or text != text.strip() or text[0] in _NOT_FIRST or text.lower() in _RISKY_WORDS:
        return None
    if ": " in text or " #" in text or text.endswith(":") or "\t" in text:
        return None
    if any(not c.isprintable() for c in text):
        return None
    return text


_BOTH_RULES: tuple[yamlio.Rules, ...] = ("psych", "safe_yaml")


def _reads_back(rendered: str, value: Any, flow: bool, key: bool) -> bool:
    """Whether both builders read `rendered` as `value`, without a problem on either."""
    if key:
        probe = f"{{{rendered}: x}}" if flow else f"{rendered}: x\n"
    else:
        probe = f"[{rendered}]" if flow else f"k: {rendered}\n"
    return all(_reads_back_under(rules, probe, value, key, flow) for rules in _BOTH_RULES)


def _reads_back_under(rules: yamlio.Rules, probe: str, value: Any, key: bool, flow: bool) -> bool:
    try:
        loaded = yamlio.load(probe, rules)
    except (yamlio.YamlSyntaxError, yamlio.SafeYamlError, ValueError, RecursionError):
        return False
    if loaded.problems:
        return False
    data = loaded.data
    if key:
        return isinstance(data, dict) and list(data) == [value]
    got = (
        data[0]
        if flow and isinstance(data, list) and data
        else (data.get("k") if isinstance(data, dict) else None)
    )
    return same(got, value)


def render_str(text: str, prefer: Style = "plain", flow: bool = False, key: bool = False) -> str:
    """`text` as a YAML string, in the preferred style when that style can carry it."""
    order = [prefer, *(style for style in STYLES if style != prefer)]
    for style in order:
        candidate = {"plain": plain, "single": single_quoted, "double": double_quoted}[style](text)
        if (
            candidate is not None
            and "\n" not in candidate
            and _reads_back(candidate, text, flow, key)
        ):
            return candidate
    return double_quoted(text)


def render_scalar(value: Any, prefer: Style = "plain", flow: bool = False) -> str:
    if isinstance(value, yamlio.JekyllDate):
        return value.value.isoformat(sep=" ") if isinstance(value.value, dt.datetime) else value
    if isinstance(value, str):
        return render_str(value, prefer, flow)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    raise TypeError(f"not a scalar: {type(value).__name__}")


def _float(value: float) -> str:
    if math.isnan(value):
        return ".nan"
    if math.isinf(value):
        return ".inf" if value > 0 else "-.inf"
    text = repr(value)
    mantissa, _, exponent = text.partition("e")
    if "." not in mantissa:
        mantissa += ".0"
    if exponent and exponent[0] not in "+-":
        exponent = "+" + exponent
    return mantissa + (f"e{exponent}" if exponent else "")


def render_flow(value: Any, prefer: Style = "plain") -> str:
    if isinstance(value, dict):
        items = (
            f"{render_str(str(k), prefer, True, True)}: {render_flow(v, prefer)}"
            for k, v in value.items()
        )
        return "{" + ", ".join(items) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(render_flow(item, prefer) for item in value) + "]"
    return render_scalar(value, prefer, flow=True)


def block_lines(
    value: Any, column: int, mapping_indent: int = 2, seq_offset: int = 2, prefer: Style = "plain"
) -> list[str]:
    """A non-empty mapping or list as block lines starting at `column`, without line ends."""
    pad = " " * column
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            head = pad + render_str(str(key), prefer, key=True) + ":"
            if _is_block(item):
                child = column + (seq_offset if isinstance(item, list) else mapping_indent)
                lines.append(head)
                lines.extend(block_lines(item, child, mapping_indent, seq_offset, prefer))
            else:
                lines.append(head + " " + inline(item, prefer))
        return lines
    for item in value:
        if _is_block(item):
            sub = block_lines(item, column + 2, mapping_indent, seq_offset, prefer)
            lines.append(pad + "- " + sub[0][column + 2 :])
            lines.extend(sub[1:])
        else:
            lines.append(pad + "- " + inline(item, prefer))
    return lines


def inline(value: Any, prefer: Style = "plain") -> str:
    """A value that fits after `key: ` or `- ` on one line: a scalar, `{}` or `[]`."""
    if isinstance(value, dict | list):
        return render_flow(value, prefer)
    return render_scalar(value, prefer)


def _is_block(value: Any) -> bool:
    return isinstance(value, dict | list) and bool(value)
