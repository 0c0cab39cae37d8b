"""The front matter split, case by case, against Jekyll's own rules."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pagemgr.site.document import has_yaml_header, parse_document


@pytest.mark.parametrize(
    ("text", "front_matter", "body"),
    [
        ("---\na: 1\n---\nbody\n", "---\na: 1\n", "body\n"),
        ("---\r\na: 1\r\n---\r\nbody\r\n", "---\r\na: 1\r\n", "body\r\n"),
        ("---   \na: 1\n---  \nbody", "---   \na: 1\n", "body"),
        ("---\na: 1\n...\nbody", "---\na: 1\n", "body"),
        ("---\n---\nbody", "---\n", "body"),
        ("---\na: 1\n---", "---\na: 1\n", ""),
        ("---\na: 1\n---\n\n\nbody", "---\na: 1\n", "body"),
        ("---\n\n\na: 1\n---\nx", "---\n\n\na: 1\n", "x"),
    ],
)
def test_split_matches_jekyll(text: str, front_matter: str, body: str) -> None:
    document = parse_document(text)
    assert document.has_front_matter
    assert document.front_matter == front_matter
    assert document.body == body
    assert document.text == text


@pytest.mark.parametrize(
    "text", ["no front matter\n", "---\na: 1\nnever closed\n", "--- a\n---\n", ""]
)
def test_no_front_matter(text: str) -> None:
    document = parse_document(text)
    assert not document.has_front_matter
    assert document.body == text


def test_bom_is_kept_aside_and_hides_front_matter_from_jekyll() -> None:
    document = parse_document("\ufeff---\na: 1\n---\nx")
    assert document.bom and document.has_front_matter
    assert document.front_matter == "---\na: 1\n"
    assert not document.jekyll_sees_front_matter


def test_closing_line_is_counted_in_lines() -> None:
    assert parse_document("---\na: 1\nb: 2\n---\nx").closing_line == 3


def test_yaml_header_needs_the_opener_alone_on_the_first_line() -> None:
    assert has_yaml_header("---\n")
    assert has_yaml_header("---  \r\n")
    assert not has_yaml_header("--- a: 1\n")
    assert not has_yaml_header("\ufeff---\n")


# Jekyll's YAML_FRONT_MATTER_REGEXP as Jekyll writes it (Ruby's \s is ASCII-only): the split
# must give the same front matter and body for any text.
_JEKYLL = re.compile(
    r"\A(---[ \t\r\n\f\v]*\n.*?\n?)^((---|\.\.\.)[ \t\r\n\f\v]*$\n?)", re.MULTILINE | re.DOTALL
)
_PIECES = st.sampled_from(
    ["---", "...", "\n", "\r\n", " ", "\t", "a: 1", "-", ".", "x", "\f", "----", "--- x", "\v"]
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_PIECES, max_size=14).map("".join))
def test_split_agrees_with_jekylls_regex_on_any_text(text: str) -> None:
    document = parse_document(text)
    match = _JEKYLL.match(text)
    assert document.has_front_matter == (match is not None)
    if match is not None:
        assert document.front_matter == match.group(1)
        assert document.body == text[match.end() :]
