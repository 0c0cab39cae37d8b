"""Property tests: set then get returns the value; bytes outside the edited line never change."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli

# YAML 1.1 reads these plain words as booleans or null, so Jekyll never sees them as text keys.
YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
KEYS = st.from_regex(r"[a-z][a-z_]{0,8}", fullmatch=True).filter(
    lambda key: key not in YAML11_WORDS
)
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ufeff\x85"),
    max_size=30,
)
STYLES = st.sampled_from(["plain", "single", "double"])
NEWLINES = st.sampled_from(["\n", "\r\n"])
COMMENTS = st.sampled_from(["", "   # note", "\t# tab note"])


def _quoted(value: str, style: str) -> str:
    if style == "single":
        return "'" + value.replace("'", "''") + "'"
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


@st.composite
def front_matters(draw: st.DrawFn) -> tuple[str, list[str], str]:
    keys = draw(st.lists(KEYS, min_size=1, max_size=6, unique=True))
    newline = draw(NEWLINES)
    lines = ["---"]
    for key in keys:
        style = draw(STYLES)
        word = draw(st.from_regex(r"[A-Za-z][A-Za-z ]{0,12}[a-z]", fullmatch=True))
        value = word if style == "plain" else _quoted(word, style)
        comment = draw(COMMENTS) if style != "plain" else ""
        lines.append(f"{key}: {value}{comment}{draw(st.sampled_from(['', '  ']))}")
        if draw(st.booleans()):
            lines.append("")
        if draw(st.booleans()):
            lines.append(f"# about the next key{draw(st.sampled_from(['', ' ']))}")
    lines.append("---")
    body = draw(st.sampled_from(["", "Body.", "text\n---\nmore: x"]))
    return newline.join(lines) + newline + body, keys, newline


SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SETTINGS
@given(doc=front_matters(), pick=st.integers(min_value=0), value=TEXT)
def test_set_then_get_changes_only_that_line(
    tmp_path: Path, doc: tuple[str, list[str], str], pick: int, value: str
) -> None:
    text, keys, newline = doc
    key = keys[pick % len(keys)]
    path = tmp_path / "page.md"
    path.write_bytes(text.encode("utf-8"))
    result = run_cli("set", path, key, "--", value)
    assert result.exit_code == 0, result.stderr
    assert run_cli("get", path, key).stdout == value + "\n"
    after = path.read_bytes().decode("utf-8")
    old_lines, new_lines = text.split(newline), after.split(newline)
    assert len(old_lines) == len(new_lines)
    changed = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
    assert len(changed) <= 1
    if changed:
        old, new = old_lines[changed[0]], new_lines[changed[0]]
        assert old.startswith(f"{key}:") and new.startswith(f"{key}:")
        for tail in ("   # note", "\t# tab note"):
            assert (tail in old) == (tail in new)


@SETTINGS
@given(doc=front_matters(), pick=st.integers(min_value=0))
def test_noop_set_leaves_file_identical(
    tmp_path: Path, doc: tuple[str, list[str], str], pick: int
) -> None:
    text, keys, _ = doc
    key = keys[pick % len(keys)]
    path = tmp_path / "page.md"
    path.write_bytes(text.encode("utf-8"))
    current = run_cli("get", path, key).stdout[:-1]
    assert run_cli("set", path, key, "--", current).exit_code == 0
    assert path.read_bytes() == text.encode("utf-8")


@SETTINGS
@given(doc=front_matters(), pick=st.integers(min_value=0))
def test_unset_removes_exactly_one_line(
    tmp_path: Path, doc: tuple[str, list[str], str], pick: int
) -> None:
    text, keys, newline = doc
    key = keys[pick % len(keys)]
    path = tmp_path / "page.md"
    path.write_bytes(text.encode("utf-8"))
    assert run_cli("unset", path, key).exit_code == 0
    after = path.read_bytes().decode("utf-8")
    lines = text.split(newline)
    gone = [line for line in lines if line.startswith(f"{key}:")]
    assert len(gone) == 1
    lines.remove(gone[0])
    assert after == newline.join(lines)


@pytest.mark.parametrize("value", ["", " ", "#", "- x", "? y", "|", "'", '"', "[a]", "{b}", "a\nb"])
def test_awkward_values_round_trip(tmp_path: Path, value: str) -> None:
    path = tmp_path / "page.md"
    path.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    assert run_cli("set", path, "title", "--", value).exit_code == 0
    assert run_cli("get", path, "title").stdout == value + "\n"
