"""Body links found by offsets agree with a plain line-by-line reading of the body."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator

from hypothesis import given, settings
from hypothesis import strategies as st

from pagemgr.check.index import site_index
from pagemgr.check.index.site_index import body_links, local_target

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1|`+")
_MAY_LINK = re.compile(r"\]\(|\]:|href|src", re.IGNORECASE)
_PATTERNS = (
    re.compile(r"\]\(\s*<?([^)\s>]+)"),
    re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)"),
    re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE),
)


def reference_links(body: str, first_line: int = 0) -> Iterator[tuple[str, int, int]]:
    fenced = False
    for number, line in enumerate(body.splitlines(), start=first_line + 1):
        if _FENCE.match(line):
            fenced = not fenced
            continue
        if fenced or line.startswith(("    ", "\t")) or not _MAY_LINK.search(line):
            continue
        if "`" in line:
            line = _CODE_SPAN.sub(lambda m: " " * len(m.group(0)), line)
        for pattern in _PATTERNS:
            for match in pattern.finditer(line):
                group = 1 if match.group(1) is not None else 2
                target = local_target(match.group(group))
                if target is not None:
                    yield (target, number, match.start(group) + 1)


def found(body: str, first_line: int = 0) -> list[tuple[str, int, int]]:
    return [(link.target, link.line, link.column) for link in body_links(body, first_line)]


PIECES = [
    "\n",
    "\n",
    "\n",
    "\r\n",
    "\r",
    "\x0b",
    "\x0c",
    "\x1c",
    "\x85",
    "\u2028",
    " ",
    "  ",
    "    ",
    "\t",
    "x",
    "é",
    "```",
    "~~~",
    "`",
    "``",
    "[a](/x)",
    "[b]( </y> )",
    "](",
    "]:",
    "]",
    "[",
    "[r]: /ref",
    "[^n]: /note",
    "=",
    'href="/h"',
    "SRC='/s'",
    "\u017frc='/long-s'",
    "hReF = '/m'",
    "src=",
    '"',
    "'",
    "(https://e.org/p)",
    "[c](#top)",
    "[d]({{ base_path }}/p/)",
    "`[e](/code)`",
    "<a href='/f'>",
    "text ",
    "İ",
    "[w](https://e.org/q)",
    "](http://x",
    "](https:",
    "](http",
]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=40), st.integers(0, 5))
def test_agrees_with_a_line_by_line_reading(pieces: list[str], first_line: int) -> None:
    body = "".join(pieces)
    assert found(body, first_line) == list(reference_links(body, first_line))


@settings(max_examples=500, deadline=None)
@given(st.text(max_size=200))
def test_agrees_on_any_text(body: str) -> None:
    assert found(body) == list(reference_links(body))


def test_fences_and_indented_code_hold_no_links() -> None:
    body = (
        "[a](/one)\n"
        "```\n[b](/two)\n~~~\n"
        "   ```python\n[g](/in-fence)\n  ~~~~\n"
        "    [c](/three)\n"
        "\t[d](/four)\n"
        "[e](/five) `[f](/six)` <img src='/seven'>\n"
        "[ref]: /eight\n"
    )
    assert found(body, 3) == [
        ("/one", 4, 5),
        ("/five", 13, 5),
        ("/seven", 13, 34),
        ("/eight", 14, 8),
    ]
    assert found(body, 3) == list(reference_links(body, 3))


def test_crlf_and_other_line_breaks_count_as_splitlines_does() -> None:
    body = "a\r\n[x](/one)\rb\x0b[y](/two)\u2028[z](/three)\n"
    assert found(body) == [("/one", 2, 5), ("/two", 4, 5), ("/three", 5, 5)]


def test_the_line_breaks_are_those_of_splitlines() -> None:
    breaks = {
        chr(code) for code in range(sys.maxunicode + 1) if len(f"a{chr(code)}b".splitlines()) == 2
    }
    assert breaks == {"\n", *site_index._OTHER_BREAKS}
    assert {mark for mark in breaks if mark.isascii()} == {"\n", *site_index._ASCII_BREAKS}


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "HREF='/u'", "x=1", "](http://e.org)"]), max_size=30))
def test_a_document_has_every_link_of_its_body(pieces: list[str]) -> None:
    """What the index keeps of a Markdown document: the body links, whatever their case."""
    body = "".join(pieces)
    draft = site_index._Draft("_pages/a.md", "pages", "a", True, True)
    kept = [
        (link.target, link.line, link.column)
        for link in site_index._links(draft, {}, None, body, 0, "")
    ]
    assert kept == found(body)
