"""`pagemgr fix`: each mechanical fix, through the lossless editor; exit 1 when a file changed."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.conftest import make_site, run_cli


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_site(tmp_path)
    monkeypatch.chdir(root)
    return root


def write(site: Path, rel: str, text: str) -> Path:
    path = site / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


PAPER = '---\ntitle: "A"\ncollection: publications\ncategory: manuscripts\ndate: 2020-01-01\n'


@pytest.mark.parametrize(
    ("rel", "before", "after", "rule"),
    [
        (
            "_publications/p.md",
            PAPER + "venue: Proc. of X: the conference # 3\n---\nB\n",
            PAPER + 'venue: "Proc. of X: the conference" # 3\n---\nB\n',
            "quote-broken-value",
        ),
        (
            "_publications/p.md",
            PAPER + "venue: yes\n---\nB\n",
            PAPER + "venue: 'yes'\n---\nB\n",
            "quote-typed-value",
        ),
        (
            "_publications/p.md",
            PAPER.replace("collection: publications", "collection: talks") + "---\n",
            PAPER + "---\n",
            "collection-folder",
        ),
        (
            "_publications/p.md",
            PAPER.replace("date: 2020-01-01", 'date: "March 5, 2020"') + "---\n",
            PAPER.replace("date: 2020-01-01", "date: 2020-03-05") + "---\n",
            "iso-date",
        ),
        (
            "_publications/p.md",
            PAPER + "citation: 'O&amp;apos;Neil &amp;amp; B'\n---\n",
            PAPER + "citation: 'O&apos;Neil &amp; B'\n---\n",
            "double-escaped-entity",
        ),
        (
            "_pages/cv.md",
            "---\ntitle: CV\npermalink: /cv/\nexcerpt: x\n# keep me\n---\nBody\n",
            "---\ntitle: CV\npermalink: /cv/\n# keep me\n---\nBody\n",
            "page-excerpt",
        ),
    ],
)
def test_each_fix(site: Path, rel: str, before: str, after: str, rule: str) -> None:
    path = write(site, rel, before)
    result = run_cli("fix", rel)
    assert result.exit_code == 1, result.stderr
    assert rule in result.stdout
    assert path.read_text(encoding="utf-8") == after
    again = run_cli("fix", rel)
    assert again.exit_code == 0
    assert path.read_text(encoding="utf-8") == after


def test_ambiguous_date_is_left_alone(site: Path) -> None:
    text = PAPER.replace("date: 2020-01-01", "date: 03/04/2020") + "---\n"
    path = write(site, "_publications/p.md", text)
    assert run_cli("fix", "_publications/p.md").exit_code == 0
    assert path.read_text() == text


def test_unambiguous_slashed_date_is_rewritten(site: Path) -> None:
    text = PAPER.replace("date: 2020-01-01", "date: 23/04/2020") + "---\n"
    path = write(site, "_publications/p.md", text)
    assert run_cli("fix", "_publications/p.md").exit_code == 1
    assert "date: 2020-04-23\n" in path.read_text()


def test_entities_in_json_data(site: Path) -> None:
    path = write(site, "_data/cv.json", '{\n  "a": "x &amp;quot;y&amp;quot;",\n  "b": 1\n}\n')
    assert run_cli("fix", "_data/cv.json").exit_code == 1
    assert path.read_text() == '{\n  "a": "x &quot;y&quot;",\n  "b": 1\n}\n'


def test_dry_run_shows_diff_and_writes_nothing(site: Path) -> None:
    path = write(site, "_pages/cv.md", "---\ntitle: CV\nexcerpt: x\n---\n")
    result = run_cli("fix", "--dry-run")
    assert result.exit_code == 1
    assert "-excerpt: x\n" in result.stdout
    assert path.read_text() == "---\ntitle: CV\nexcerpt: x\n---\n"


def test_clean_site_exits_zero_and_changes_nothing(site: Path) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run_cli("fix")
    assert result.exit_code == 0
    assert "Nothing to fix" in result.stdout
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_nothing_to_fix_in_named_files_says_so(site: Path) -> None:
    result = run_cli("fix", "--dry-run", "_publications/2020-01-01-paper.md")
    assert result.exit_code == 0
    assert result.stdout == "Nothing to fix\n"


@pytest.mark.parametrize(
    ("line", "fixed"),
    [
        ("venue: A: B  # note", 'venue: "A: B"  # note'),
        ("venue: A: B\t# note: more", 'venue: "A: B"\t# note: more'),
        ("venue: C#: the language # ok", 'venue: "C#: the language" # ok'),
    ],
)
def test_a_quoting_fix_keeps_a_trailing_comment_outside_the_value(
    site: Path, line: str, fixed: str
) -> None:
    path = write(site, "_publications/p.md", PAPER + line + "\n---\nB\n")
    assert run_cli("fix", "_publications/p.md").exit_code == 1
    assert path.read_text(encoding="utf-8") == PAPER + fixed + "\n---\nB\n"
    value = fixed.split('"')[1]
    assert run_cli("get", "_publications/p.md", "venue").stdout == value + "\n"
