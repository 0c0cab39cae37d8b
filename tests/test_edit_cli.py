"""get/set/unset/append/remove through the CLI, on real files: only the asked-for bytes change."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from tests.conftest import make_site, run_cli

PAPER = "_publications/2020-01-01-paper.md"
DATA = """\
# top comment
list:
- a<TRAILING>
- b
nested:
    x: 1   # c1
    y: ~
    # about z
    z: 'q'
flow: [a,b]
fm: {p: 1}
en: &EN
  page: "Page"
de:
  <<: *EN
  other: x
empty:
""".replace("<TRAILING>", "   ")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_site(tmp_path)
    (root / "_data" / "misc.yml").write_text(DATA, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def edit(site: Path, rel: str, *args: str) -> tuple[str, str]:
    before = (site / rel).read_bytes().decode("utf-8")
    result = run_cli(*args[:1], rel, *args[1:])
    assert result.exit_code == 0, result.stderr
    return before, (site / rel).read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("args", "old", "new"),
    [
        (("set", "list[0]", "z"), "- a   \n", "- z   \n"),
        (("set", "nested.z", "yes"), "    z: 'q'\n", "    z: 'yes'\n"),
        (("set", "nested.x", "2", "--type", "int"), "    x: 1   # c1\n", "    x: 2   # c1\n"),
        (("append", "flow", "c"), "flow: [a,b]\n", "flow: [a,b, c]\n"),
        (("set", "fm.q", "2", "--type", "int", "--new"), "fm: {p: 1}\n", "fm: {p: 1, q: 2}\n"),
        (("unset", "nested.y"), "    y: ~\n", ""),
        (("remove", "list[-1]"), "- b\n", ""),
        (("set", "empty", "text: with colon"), "empty:\n", "empty: 'text: with colon'\n"),
    ],
)
def test_yaml_edit_changes_only_its_span(
    site: Path, args: tuple[str, ...], old: str, new: str
) -> None:
    before, after = edit(site, "_data/misc.yml", *args)
    assert before.count(old) == 1
    assert after == before.replace(old, new)


def test_append_follows_sibling_indentation(site: Path) -> None:
    before, after = edit(site, "_data/misc.yml", "append", "list", "c")
    assert after == before.replace("- b\n", "- b\n- c\n")
    before, after = edit(
        site,
        "_data/navigation.yml",
        "append",
        "main",
        "--type",
        "json",
        '{"title": "Paper", "url": "/publication/2020-01-01-paper"}',
    )
    assert after == before + "  - title: Paper\n    url: /publication/2020-01-01-paper\n"


def test_an_edit_that_breaks_the_site_elsewhere_is_refused(site: Path) -> None:
    navigation = site / "_data" / "navigation.yml"
    before = navigation.read_bytes()
    refused = run_cli(
        "append", "_data/navigation.yml", "main", "--type", "json", '{"title": "CV", "url": "/cv/"}'
    )
    assert refused.exit_code == 1
    assert "[broken-nav-link]" in refused.stderr and "nothing was written" in refused.stderr
    assert navigation.read_bytes() == before


def test_an_edit_that_adds_a_warning_says_so_and_is_written(site: Path) -> None:
    result = run_cli("set", "_publications/2020-01-01-paper.md", "venu", "J", "--new")
    assert result.exit_code == 0
    assert "warning: unknown key 'venu' (did you mean 'venue'?) [unknown-key]" in result.stderr


def test_merge_key_override_is_added_to_own_mapping(site: Path) -> None:
    assert run_cli("get", "_data/misc.yml", "de.page").stdout == "Page\n"
    before, after = edit(site, "_data/misc.yml", "set", "de.page", "Seite")
    assert after == before.replace("  other: x\n", "  other: x\n  page: Seite\n")
    assert run_cli("get", "_data/misc.yml", "en.page").stdout == "Page\n"


def test_unset_keeps_comment_of_next_key(site: Path) -> None:
    _, after = edit(site, "_data/misc.yml", "unset", "nested.y")
    assert "    # about z\n    z: 'q'\n" in after


@pytest.mark.parametrize(
    ("value", "rendered"),
    [
        ("yes", "'yes'"),
        ("off", "'off'"),
        ("2019", "'2019'"),
        ("2020-01-02", "'2020-01-02'"),
        ("a: b", "'a: b'"),
        ("a #b", "'a #b'"),
        ("*star", "'*star'"),
        ("@at", "'@at'"),
        ("`tick`", "'`tick`'"),
        (" padded ", "' padded '"),
        ("null", "'null'"),
        ("it's", "'it''s'"),
        ("plain words", "'plain words'"),
    ],
)
def test_strings_are_quoted_when_yaml_11_needs_it(site: Path, value: str, rendered: str) -> None:
    before, after = edit(site, PAPER, "set", "venue", value)
    assert after == before.replace("venue: 'Journal 1'", f"venue: {rendered}")
    assert run_cli("get", PAPER, "venue").stdout == value + "\n"


def test_plain_value_stays_plain_and_double_stays_double(site: Path) -> None:
    before, after = edit(site, PAPER, "set", "category", "conferences")
    assert after == before.replace("category: manuscripts", "category: conferences")
    before, after = edit(site, PAPER, "set", "title", 'A "quoted" title')
    assert after == before.replace('title: "A Paper"', 'title: "A \\"quoted\\" title"')


def test_typed_values(site: Path) -> None:
    before, after = edit(site, PAPER, "set", "date", "2021-03-04", "--type", "date")
    assert after == before.replace("date: 2020-01-01", "date: 2021-03-04")
    _, after = edit(site, PAPER, "set", "flag", "true", "--type", "bool", "--new")
    assert "flag: true\n---" in after
    assert run_cli("get", PAPER, "flag", "--format", "json").stdout == "true\n"


def test_noop_set_leaves_file_identical(site: Path) -> None:
    path = site / PAPER
    mtime = path.stat().st_mtime_ns
    result = run_cli("set", PAPER, "venue", "Journal 1")
    assert result.exit_code == 0
    assert "nothing to change" in result.stderr
    assert path.stat().st_mtime_ns == mtime


def test_crlf_and_bom_are_kept(site: Path) -> None:
    path = site / "_data" / "crlf.yml"
    path.write_bytes('\ufeffa: 1\r\nb: "two"\r\n'.encode())
    assert run_cli("set", path, "b", "three").exit_code == 0
    assert run_cli("set", path, "c.d", "e", "--new").exit_code == 0
    assert path.read_bytes() == '\ufeffa: 1\r\nb: "three"\r\nc:\r\n  d: e\r\n'.encode()


def test_body_is_untouched(site: Path) -> None:
    path = site / PAPER
    path.write_text(path.read_text() + "---\nnot: front matter\n", encoding="utf-8")
    before, after = edit(site, PAPER, "set", "venue", "X")
    assert after.split("---\nBody.")[1] == before.split("---\nBody.")[1]


def test_top_level_list_data_file(site: Path) -> None:
    path = site / "_data" / "people.yml"
    path.write_text("- name: A\n  role: x\n- name: B\n", encoding="utf-8")
    assert run_cli("set", path, "[1].name", "C").exit_code == 0
    assert run_cli("append", path, "", "x").exit_code == 2
    assert run_cli("append", path, ".", "--type", "json", '{"name": "D"}').exit_code == 0
    assert run_cli("remove", path, "[0]").exit_code == 0
    assert path.read_text() == "- name: C\n- name: D\n"
    assert run_cli("remove", path, "[0]").exit_code == 0
    assert run_cli("get", path, "[-1].name").stdout == "D\n"


def test_quoted_key_with_dot(site: Path) -> None:
    path = site / "_data" / "keys.yml"
    path.write_text('"key with.dot":\n  x: 1\n', encoding="utf-8")
    assert run_cli("set", path, '"key with.dot".x', "2", "--type", "int").exit_code == 0
    assert path.read_text() == '"key with.dot":\n  x: 2\n'


def test_json_data_file_keeps_its_style(site: Path) -> None:
    path = site / "_data" / "cv.json"
    text = (
        '{\n    "basics": {"name": "A\\u00e9"},\n    "work": [],\n'
        '    "skills": [\n        "x"\n    ]\n}\n'
    )
    path.write_text(text, encoding="utf-8")
    assert run_cli("set", path, "basics.name", "Bé", "--force").exit_code == 0
    assert run_cli("append", path, "skills", "y", "--force").exit_code == 0
    assert run_cli("unset", path, "work", "--force").exit_code == 0
    assert path.read_text() == (
        '{\n    "basics": {"name": "B\\u00e9"},\n'
        '    "skills": [\n        "x",\n        "y"\n    ]\n}\n'
    )
    assert json.loads(run_cli("get", path, "skills", "--format", "json").stdout) == ["x", "y"]


def test_dry_run_prints_diff_and_writes_nothing(site: Path) -> None:
    before = (site / PAPER).read_bytes()
    result = run_cli("set", PAPER, "venue", "Other", "--dry-run")
    assert result.exit_code == 0
    assert "-venue: 'Journal 1'\n+venue: 'Other'\n" in result.stdout
    assert (site / PAPER).read_bytes() == before


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (
            ("get", "_data/navigation.yml", "mian"),
            1,
            "no key 'mian' in the top level; did you mean 'main'",
        ),
        (("set", "_data/navigation.yml", "main.url", "x"), 1, "main is a list, not a mapping"),
        (
            ("get", "_data/navigation.yml", "main[5]"),
            1,
            "index 5 is out of range (main has 1 item)",
        ),
        (("unset", PAPER, "venu"), 1, "did you mean 'venue'"),
        (("set", PAPER, "a..b", "x"), 2, "PATH"),
        (("set", PAPER, "n", "x", "--type", "int"), 2, "not a valid int"),
    ],
)
def test_bad_input_is_one_line_and_file_untouched(
    site: Path, args: tuple[str, ...], code: int, message: str
) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run_cli(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


def test_unparsable_file_is_refused(site: Path) -> None:
    path = site / "_data" / "broken.yml"
    path.write_text("a: [1, 2\nb: 3\n", encoding="utf-8")
    result = run_cli("set", path, "b", "4")
    assert result.exit_code == 1
    assert "does not parse" in result.stderr
    assert path.read_text() == "a: [1, 2\nb: 3\n"


def test_edit_adding_an_error_is_refused_unless_forced(site: Path) -> None:
    before = (site / PAPER).read_bytes()
    result = run_cli("unset", PAPER, "title")
    assert result.exit_code == 1
    assert "missing required key 'title'" in result.stderr
    assert "nothing was written" in result.stderr
    assert (site / PAPER).read_bytes() == before
    assert run_cli("unset", PAPER, "title", "--force").exit_code == 0
    assert "title:" not in (site / PAPER).read_text()


def test_write_keeps_mode_and_leaves_no_temp_file(site: Path) -> None:
    path = site / PAPER
    os.chmod(path, 0o640)
    assert run_cli("set", PAPER, "venue", "V").exit_code == 0
    assert path.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in path.parent.iterdir()) == ["2020-01-01-paper.md"]


def test_lost_update_is_refused(site: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from pagemgr.edit import atomic

    path = site / PAPER
    real = atomic.write_atomic

    def racing(target: Path, data: bytes, expected: bytes) -> None:
        path.write_text(path.read_text() + "\n", encoding="utf-8")
        real(target, data, expected)

    monkeypatch.setattr(atomic, "write_atomic", racing)
    result = run_cli("set", PAPER, "venue", "V")
    assert result.exit_code == 1
    assert "changed on disk" in result.stderr
    assert "venue: 'Journal 1'" in path.read_text()


def test_null_follows_the_files_spelling(site: Path) -> None:
    before, after = edit(site, PAPER, "set", "venue", "--type", "null", "--force")
    assert after == before.replace("venue: 'Journal 1'", "venue:")
    before, after = edit(site, "_data/misc.yml", "set", "nested.x", "--type", "null")
    assert after == before.replace("    x: 1   # c1\n", "    x: null   # c1\n")


def test_a_key_nothing_knows_is_refused_with_a_did_you_mean(site: Path) -> None:
    before = {p: p.read_bytes() for p in site.rglob("*") if p.is_file()}
    result = run_cli("set", PAPER, "venu", "J")
    assert result.exit_code == 1
    assert "unknown key 'venu'" in result.stderr and "did you mean 'venue'?" in result.stderr
    assert "--new" in result.stderr and "Traceback" not in result.stderr
    assert {p: p.read_bytes() for p in site.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize(
    ("rel", "path", "guess"),
    [
        ("_config.yml", "author.githb", "github"),
        ("_data/navigation.yml", "main[0].titel", "title"),
        ("_data/misc.yml", "nested.q", None),
    ],
)
def test_unknown_keys_are_refused_in_data_files_and_config_too(
    site: Path, rel: str, path: str, guess: str | None
) -> None:
    before = (site / rel).read_bytes()
    result = run_cli("set", rel, path, "x")
    assert result.exit_code == 1
    assert path.rsplit(".", 1)[1] in result.stderr
    assert (f"did you mean '{guess}'?" in result.stderr) == (guess is not None)
    assert (site / rel).read_bytes() == before
    assert run_cli("set", rel, path, "x", "--new", "--force").exit_code == 0


def test_keys_the_schema_or_the_collection_knows_are_added_without_new(site: Path) -> None:
    _, after = edit(site, PAPER, "set", "paperurl", "https://example.org/p.pdf")
    assert "paperurl: https://example.org/p.pdf\n" in after
    other = site / "_publications" / "2021-01-01-other.md"
    other.write_text(
        '---\ntitle: "B"\ncollection: publications\ncategory: manuscripts\n'
        "permalink: /publication/2021-01-01-other\ndate: 2021-01-01\nvenue: J\n"
        "doi: 10.1/x\n---\n"
    )
    _, after = edit(site, PAPER, "set", "doi", "10.1/y")
    assert "doi: 10.1/y\n" in after


def test_new_keys_in_a_list_item_follow_its_siblings(site: Path) -> None:
    path = site / "_data" / "people.yml"
    path.write_text("- name: A\n  role: x\n- name: B\n", encoding="utf-8")
    assert run_cli("set", path, "[1].role", "z").exit_code == 0
    assert path.read_text() == "- name: A\n  role: x\n- name: B\n  role: z\n"
    refused = run_cli("set", path, "[1].rol", "z")
    assert refused.exit_code == 1 and "did you mean 'role'?" in refused.stderr


@pytest.mark.parametrize(
    ("key", "value", "line", "typed"),
    [
        ("date", "2024-12-10", "date: 2024-12-10\n", "2024-12-10"),
        ("author_profile", "true", "author_profile: true\n", True),
        ("published", "no", "published: false\n", False),
        ("tags", '["a", "b"]', "tags:\n  - a\n  - b\n", ["a", "b"]),
        ("venue", "2019", "venue: '2019'\n", "2019"),
        ("title", "2019", 'title: "2019"\n', "2019"),
    ],
)
def test_without_type_the_value_takes_the_type_the_schema_gives(
    site: Path, key: str, value: str, line: str, typed: object
) -> None:
    _, after = edit(site, PAPER, "set", key, value, "--force")
    assert line in after
    assert run_cli("get", PAPER, key, "--format", "json").json() == typed


def test_an_explicit_type_still_wins(site: Path) -> None:
    _, after = edit(site, PAPER, "set", "date", "2024-12-10", "--type", "str", "--force")
    assert "date: '2024-12-10'\n" in after
    _, after = edit(site, PAPER, "set", "author_profile", "true", "--type", "str", "--force")
    assert "author_profile: 'true'\n" in after


@pytest.mark.parametrize("text", ["a: No\n", "a: 2020-01-02\n", "a: 010\n", "a: 1.50\n"])
def test_setting_what_get_prints_changes_nothing_where_no_schema_speaks(
    site: Path, text: str
) -> None:
    path = site / "_data" / "plain.yml"
    path.write_text(text, encoding="utf-8")
    printed = run_cli("get", path, "a").stdout[:-1]
    assert run_cli("set", path, "a", "--", printed).exit_code == 0
    assert path.read_text(encoding="utf-8") == text
