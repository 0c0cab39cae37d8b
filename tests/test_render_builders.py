"""What `set` writes reads back as the value given on every builder.

A rendering is taken only when Psych's rules (Debian's Jekyll 4.3) and SafeYAML's (GitHub Pages'
Jekyll 3.10) both read it as the given value (docs/yaml-builders.md has the rows where they
differ). These strings are the ones YAML 1.1 readers type, or read differently from each other.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pagemgr.edit import render, splice
from pagemgr.yaml import yamlio

RULES: tuple[yamlio.Rules, ...] = ("psych", "safe_yaml")

# Strings the two readers type differently (one of them, at least, does not read text).
DISAGREEING = (
    "10:30", "1:02:03", "-1:30", "-010", "0X1F", "-0b101", "1.", "1,000.5", "+.inf", "1_.5",
    "2024-5-1", ":foo", ":wave", "NuLL", "nUlL",
)  # fmt: skip
SPECIAL = (
    *DISAGREEING,
    "yes", "No", "on", "OFF", "tRuE", "y", "n", "~", "null", "", " ", "010", "0o10", "0x1F",
    "0b101", "1_000", "1,000", "1.5", ".5", "1.5e3", "1.5e+3", "1e3", ".inf", "-.inf", ".NaN",
    "2024-01-15", "2024-02-30", "2024-01-15 10:00:00 +01:00", "2024-1-5 1:02:03", "<<", "=",
    "- x", "? x", "a: b", "a #b", "#x", "&a", "*a", "!tag", "|", ">", "@x", "`x", "%x", "'q'",
    '"q"', "[a]", "{a: b}", "x,y", "a\\b", "tab\tin", "new\nline", "ünï", "😀", "0", "-0",
    "+1", "1_", "_1", "0.", "00", "08", "09:30", "12:60",
)  # fmt: skip


def read_as(rules: yamlio.Rules, text: str) -> Any:
    loaded = yamlio.load(text, rules)
    assert not loaded.problems, (rules, text, loaded.problems)
    return loaded.data


def assert_both_read(text: str, path: list[Any], value: Any) -> None:
    for rules in RULES:
        data = read_as(rules, text)
        for part in path:
            data = data[part]
        assert render.same(data, value), (rules, text, data, value)


@pytest.mark.parametrize("value", SPECIAL)
@pytest.mark.parametrize("prefer", render.STYLES)
def test_a_rendered_value_reads_back_on_both_builders(value: str, prefer: render.Style) -> None:
    rendered = render.render_str(value, prefer)
    assert_both_read(f"k: {rendered}\n", ["k"], value)
    in_flow = render.render_str(value, prefer, flow=True)
    assert_both_read(f"k: [{in_flow}]\n", ["k", 0], value)


# SafeYAML merges under a quoted `<<` too (psych_handler.rb:41): no rendering of it is a key.
KEYS = [text for text in SPECIAL if text and text != "<<"]


@pytest.mark.parametrize("value", KEYS)
def test_a_rendered_key_reads_back_on_both_builders(value: str) -> None:
    for rules in RULES:
        block = read_as(rules, render.render_str(value, key=True) + ": x\n")
        flow = read_as(rules, "{" + render.render_str(value, flow=True, key=True) + ": x}\n")
        assert list(block) == [value] and list(flow) == [value], (rules, value)


@pytest.mark.parametrize("value", DISAGREEING)
def test_what_the_builders_disagree_on_is_quoted(value: str) -> None:
    assert render.render_str(value) != value
    assert render.render_str(value).startswith(("'", '"'))


@pytest.mark.parametrize("value", SPECIAL)
def test_set_writes_a_value_both_builders_read_back(value: str) -> None:
    document = "title: Old\nvenue: 'x'\ntags: [a, b]\n"
    assert_both_read(splice.set_value(document, ("title",), value), ["title"], value)
    assert_both_read(splice.set_value(document, ("tags", 1), value), ["tags", 1], value)
    assert_both_read(splice.set_value(document, ("new",), value), ["new"], value)


@pytest.mark.parametrize(("written", "value"), [("0X1F", "0X1F"), ("2024-5-1", "2024-5-1")])
def test_a_value_that_one_builder_types_is_rewritten_by_set(written: str, value: str) -> None:
    """Psych reads these as the text, SafeYAML does not: `set` to the text must quote it."""
    changed = splice.set_value(f"k: {written}\n", ("k",), value)
    assert changed != f"k: {written}\n"
    assert_both_read(changed, ["k"], value)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789:.-+_,xXbeEoO~ aTZ", max_size=12))
def test_numberlike_text_reads_back_on_both_builders(value: str) -> None:
    assert_both_read(f"k: {render.render_str(value)}\n", ["k"], value)
