"""Removing a list item removes exactly that item's lines: comments between, before and after
items (commented-out menu entries above all) stay where they were."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.conftest import run_cli

from pagemgr.edit import splice
from pagemgr.yaml import yamlio

CORPUS_TEMPLATE = (
    Path(__file__).resolve().parents[2] / "shared" / "corpus" / ("academicpages-template")
)

MENU = """\
main:
  - title: "Publications"
    url: /publications/
  # - title: "Talks"
  #   url: /talks/
  - title: "CV"
    url: /cv/
  - title: "Blog"   # the posts
    url: /year-archive/
"""


def load(text: str) -> object:
    """What Jekyll reads (the same as Psych; ruamel's pure loader refuses `value\t# note`)."""
    return yamlio.load(text).data


def test_a_commented_out_item_above_is_kept(tmp_path: Path) -> None:
    new = splice.remove(MENU, ["main", 1])
    assert new == MENU.replace('  - title: "CV"\n    url: /cv/\n', "")
    assert load(new) == {
        "main": [
            {"title": "Publications", "url": "/publications/"},
            {"title": "Blog", "url": "/year-archive/"},
        ]
    }


def test_an_item_takes_its_own_trailing_comment_with_it() -> None:
    new = splice.remove(MENU, ["main", 2])
    assert "the posts" not in new and '# - title: "Talks"' in new
    assert new == MENU.replace('  - title: "Blog"   # the posts\n    url: /year-archive/\n', "")


def test_the_first_item_under_an_anchor_and_a_comment() -> None:
    text = "main: &nav\n  # - title: old\n  - title: A\n    url: /a/\n  - title: B\n    url: /b/\n"
    assert splice.remove(text, ["main", 0]) == (
        "main: &nav\n  # - title: old\n  - title: B\n    url: /b/\n"
    )


@pytest.mark.parametrize(
    ("text", "index", "expected"),
    [
        ("tags: [a, # first\n  b, c]\n", 0, "tags: [ # first\n  b, c]\n"),
        ("tags: [a, b, c]  # three\n", 1, "tags: [a, c]  # three\n"),
        ("tags: [a, b, c]\n", -1, "tags: [a, b]\n"),
    ],
)
def test_flow_lists_keep_their_comments(text: str, index: int, expected: str) -> None:
    new = splice.remove(text, ["tags", index])
    assert new == expected
    assert load(new) == {"tags": [item for n, item in enumerate(["a", "b", "c"]) if n != index % 3]}


def test_the_templates_menu_keeps_its_commented_json_cv(tmp_path: Path) -> None:
    if not CORPUS_TEMPLATE.is_dir():
        pytest.skip(f"{CORPUS_TEMPLATE} is absent (the academicpages template from the corpus)")
    site = tmp_path / "site"
    site.mkdir()
    (site / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (site / "_data").mkdir()
    menu = (CORPUS_TEMPLATE / "_data" / "navigation.yml").read_text(encoding="utf-8")
    (site / "_data" / "navigation.yml").write_text(menu, encoding="utf-8")
    result = run_cli(
        "remove", site / "_data" / "navigation.yml", "main[-1]", "--force", "--site", site
    )
    assert result.exit_code == 0, result.stderr
    after = (site / "_data" / "navigation.yml").read_text(encoding="utf-8")
    assert '  # - title: "CV"\n  #   url: /cv-json/\n' in after
    assert "Guide" not in after and "/markdown/" not in after
    assert after == menu.replace('  - title: "Guide"\n    url: /markdown/\n', "")


# --- properties ---------------------------------------------------------------------------------

YAML11_WORDS = frozenset({"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
WORDS = st.from_regex(r"[A-Za-z][A-Za-z ]{0,10}[a-z]", fullmatch=True).filter(
    lambda word: word.lower() not in YAML11_WORDS  # plain words YAML 1.1 reads as not text
)
COMMENT_LINES = st.sampled_from(
    ["  # - title: Old", "  #   url: /old/", "# about the menu", "", "    # indented note"]
)
TRAILING = st.sampled_from(["", "  # note", "\t# tab"])


@st.composite
def menus(draw: st.DrawFn) -> tuple[str, list[dict[str, str]], list[list[str]]]:
    """A block list of menu items with comment lines between them; for each item, its lines."""
    items = draw(st.lists(WORDS, min_size=2, max_size=6))
    lines = ["main:"]
    owned: list[list[str]] = []
    for number, title in enumerate(items):
        lines.extend(draw(st.lists(COMMENT_LINES, max_size=2)))
        own = [f"  - title: {title}{draw(TRAILING)}", f"    url: /p{number}/{draw(TRAILING)}"]
        lines.extend(own)
        owned.append(own)
    lines.extend(draw(st.lists(COMMENT_LINES, max_size=2)))
    text = "\n".join(lines) + "\n"
    return text, [{"title": t, "url": f"/p{n}/"} for n, t in enumerate(items)], owned


@settings(max_examples=150, deadline=None)
@given(menu=menus(), pick=st.integers(min_value=-6, max_value=5))
def test_removing_any_item_removes_exactly_its_lines(
    menu: tuple[str, list[dict[str, str]], list[list[str]]], pick: int
) -> None:
    text, items, owned = menu
    index = pick % len(items)
    new = splice.remove(text, ["main", pick if -len(items) <= pick < len(items) else index])
    expected_lines = text.splitlines()
    start = next(n for n in range(len(expected_lines)) if expected_lines[n : n + 2] == owned[index])
    del expected_lines[start : start + 2]
    assert new.splitlines() == expected_lines
    assert load(new) == {"main": items[:index] + items[index + 1 :]}
