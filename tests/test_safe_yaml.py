"""SafeYAML 1.0.5 (GitHub Pages' Jekyll 3.10) beside Psych (Debian's Jekyll 4.3), row by row.

The expectations are data (tests/data/safe_yaml/), each row naming the source line it comes
from: the safe_yaml column is written from the gem's source (no package of it is installable
here) and held against `pagemgr.yaml.safe_yaml`; the psych column is held against real Ruby,
as tests/test_yaml_semantics.py does, and against pagemgr's Psych reading. The docs table
(docs/yaml-builders.md) lists exactly these rows.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from _ruamel_yaml import CParser  # libyaml's parser, as pagemgr.yaml.libyaml uses it

from pagemgr.errors import UsageError
from pagemgr.site import builder
from pagemgr.yaml import safe_yaml, yamlio
from pagemgr.yaml.psych import JekyllDate

DATA = Path(__file__).with_name("data") / "safe_yaml"
TABLE = Path(__file__).resolve().parents[1] / "docs" / "yaml-builders.md"


def _rows(name: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = json.loads((DATA / f"{name}.json").read_text())["rows"]
    return rows


SCALARS = _rows("scalars")
DOCUMENTS = _rows("documents")
DATES = _rows("dates")


def _ids(rows: list[dict[str, Any]]) -> list[str]:
    return [row["id"] for row in rows]


# --- reading with SafeYAML's rules ----------------------------------------------------------

_EVENT_KINDS: dict[str, safe_yaml.EventKind] = {
    "ScalarEvent": "scalar",
    "AliasEvent": "alias",
    "MappingStartEvent": "mapping",
    "SequenceStartEvent": "sequence",
    "MappingEndEvent": "end",
    "SequenceEndEvent": "end",
    "DocumentEndEvent": "document-end",
}


def events_of(text: str) -> Iterator[safe_yaml.Event]:
    """libyaml's events as `safe_yaml.Event`s (what the wiring will do inside libyaml.py)."""
    parser = CParser(text)
    while True:
        event = parser.get_event()
        name = type(event).__name__
        if name == "StreamEndEvent":
            return
        kind = _EVENT_KINDS.get(name)
        if kind is None:
            continue
        scalar = name == "ScalarEvent"
        yield safe_yaml.Event(
            kind,
            value=event.value if scalar else (event.anchor if kind == "alias" else ""),
            anchor=None if kind in ("alias", "end", "document-end") else event.anchor,
            tag=event.tag if kind in ("scalar", "mapping", "sequence") else None,
            quoted=bool(event.implicit[1]) if scalar else False,
            line=event.start_mark.line,
            column=event.start_mark.column,
        )


def safe_load(text: str) -> safe_yaml.SafeLoaded:
    return safe_yaml.construct(events_of(text))


def encoded(value: Any) -> Any:
    """A loaded value in the data files' encoding (see their "encoding")."""
    if isinstance(value, JekyllDate):
        moment = value.value
        if not isinstance(moment, dt.datetime):
            return {"date": moment.isoformat()}
        utc = moment.astimezone(dt.UTC) if moment.tzinfo else moment
        return {"time": utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")}
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return {"float": "nan" if math.isnan(value) else ("inf" if value > 0 else "-inf")}
    if isinstance(value, dict):
        return {key: encoded(item) for key, item in value.items()}
    if isinstance(value, list):
        return [encoded(item) for item in value]
    return value


def outcome(read: Callable[[], Any]) -> Any:
    try:
        return encoded(read())
    except safe_yaml.SafeYamlError as exc:
        return {"error": exc.ruby_class}


def same(actual: Any, expected: Any) -> None:
    """Equal with types and key order: 630.0 is not 630, True is not 1."""
    assert json.dumps(actual) == json.dumps(expected)


@pytest.mark.parametrize("row", SCALARS, ids=_ids(SCALARS))
def test_a_plain_scalar_is_what_safe_yaml_source_says(row: dict[str, Any]) -> None:
    same(outcome(lambda: safe_yaml.safe_yaml_scalar(row["plain"])), row["safe_yaml"])


@pytest.mark.parametrize("row", SCALARS, ids=_ids(SCALARS))
def test_the_same_scalar_in_a_front_matter(row: dict[str, Any]) -> None:
    value = outcome(lambda: safe_load(f"value: {row['plain']}\n").data["value"])
    same(value, row["safe_yaml"])


@pytest.mark.parametrize("row", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_a_front_matter_is_what_safe_yaml_source_says(row: dict[str, Any]) -> None:
    try:
        loaded = safe_load(row["yaml"])
    except safe_yaml.SafeYamlError as exc:
        same({"error": exc.ruby_class}, row["safe_yaml"])
        return
    same(encoded(loaded.data), row["safe_yaml"])
    assert [problem.kind for problem in loaded.problems] == row["safe_yaml_problems"]


# --- the same rows through pagemgr's reading (yamlio.load with rules="safe_yaml") ----------


def test_libyaml_events_are_the_events_read_here() -> None:
    from pagemgr.yaml import libyaml

    for row in DOCUMENTS:
        assert list(libyaml.events(row["yaml"])) == list(events_of(row["yaml"])), row["id"]


@pytest.mark.parametrize("row", SCALARS, ids=_ids(SCALARS))
def test_pagemgr_reads_a_plain_scalar_as_safe_yaml(row: dict[str, Any]) -> None:
    value = outcome(lambda: yamlio.load(f"value: {row['plain']}\n", "safe_yaml").data["value"])
    same(value, row["safe_yaml"])


@pytest.mark.parametrize("row", DOCUMENTS, ids=_ids(DOCUMENTS))
def test_pagemgr_reads_a_front_matter_as_safe_yaml(row: dict[str, Any]) -> None:
    try:
        loaded = yamlio.load(row["yaml"], "safe_yaml")
    except safe_yaml.SafeYamlError as exc:
        same({"error": exc.ruby_class}, row["safe_yaml"])
        return
    same(encoded(loaded.data), row["safe_yaml"])
    assert [problem.kind for problem in loaded.problems] == row["safe_yaml_problems"]


def test_safe_yaml_positions_come_from_the_events() -> None:
    text = "a: &v x\nb: *v\nc: *nope\nd:\n  - 1\n  - k: 2\n"
    loaded = yamlio.load(text, "safe_yaml")
    assert loaded.data == {"a": "x", "b": "x", "c": None, "d": [1, {"k": 2}]}
    assert yamlio.locate(loaded.node, ["b"]) == (0, 3)  # an alias is its anchored node
    assert yamlio.locate(loaded.node, ["c"]) == (2, 3)
    assert yamlio.locate(loaded.node, ["d", 1, "k"]) == (5, 7)
    assert yamlio.locate_key(loaded.node, ["d", 1], "k") == (5, 4)
    assert yamlio.start_of(loaded.node) == (0, 0)
    composed = yamlio.load("a: &v x\nb: *v\nd:\n  - 1\n  - k: 2\n")
    assert yamlio.locate(composed.node, ["d", 1, "k"]) == (4, 7)


def test_no_document_loads_as_nothing_under_either_rules() -> None:
    for rules in ("psych", "safe_yaml"):
        assert yamlio.load("", rules) == yamlio.Loaded(None, None)
        assert yamlio.load("# only a comment\n", rules).data is None


def test_only_the_first_document_is_read_as_safe_yaml_returns_at_its_end() -> None:
    assert yamlio.load("a: 1\n---\nb: [\n", "safe_yaml").data == {"a": 1}


def test_a_load_error_has_the_position_of_its_value() -> None:
    with pytest.raises(safe_yaml.SafeYamlError) as caught:
        safe_load("a: 1\nb:\n  <<: [1]\n")
    assert (caught.value.ruby_class, caught.value.line, caught.value.column) == ("TypeError", 2, 6)
    with pytest.raises(safe_yaml.SafeYamlError) as caught:
        safe_load("a: 1\nb: 1_.5\n")
    assert (caught.value.ruby_class, caught.value.line, caught.value.column) == (
        "ArgumentError",
        1,
        3,
    )


def test_a_tagged_scalar_is_guessed_and_a_block_is_not() -> None:
    assert safe_yaml.resolve_scalar("2024", tag="tag:yaml.org,2002:str") == 2024
    assert safe_yaml.resolve_scalar("2024", quoted=True) == "2024"
    assert safe_yaml.resolve_scalar("aGk=", quoted=True, tag="!binary") == "hi"


def test_no_document_is_false_and_an_empty_one_is_nil() -> None:
    assert safe_yaml.construct([]).data is False
    assert safe_load("---\n").data is None


def test_an_alias_bomb_is_refused_as_the_psych_reading_refuses_it() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]" for i in range(1, 6)]
    with pytest.raises(yamlio.YamlSyntaxError):
        safe_load("\n".join(lines) + "\n")


def test_nesting_past_the_limit_is_refused() -> None:
    with pytest.raises(yamlio.YamlSyntaxError):
        safe_load("a: " + "[" * 70 + "]" * 70 + "\n")


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (630.0, "630.0"),
        (1e20, "1.0e+20"),
        (1e-05, "1.0e-05"),
        (0.1, "0.1"),
        (1e16, "1.0e+16"),
        (None, ""),
        (True, "true"),
        (37800, "37800"),
        (JekyllDate(dt.date(2024, 5, 1)), "2024-05-01"),
    ],
)
def test_ruby_to_s(value: Any, text: str) -> None:
    assert safe_yaml.ruby_to_s(value) == text


# --- the psych column, against real Ruby and against pagemgr's Psych reading -----------------

_RUBY = r"""
require 'psych'; require 'json'; require 'date'; require 'time'
def norm(v)
  case v
  when Hash then v.map { |k, x| [k.to_s, norm(x)] }.to_h
  when Array then v.map { |x| norm(x) }
  when Time then { 'time' => v.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ') }
  when DateTime then { 'time' => v.to_time.utc.strftime('%Y-%m-%dT%H:%M:%S.%6NZ') }
  when Date then { 'date' => v.iso8601 }
  when Float then v.finite? ? v : { 'float' => v.nan? ? 'nan' : (v > 0 ? 'inf' : '-inf') }
  else v
  end
end
def load(text)
  norm(Psych.safe_load(text, permitted_classes: [Date, Time], aliases: true))
rescue StandardError => e
  { 'error' => e.class.to_s }
end
def reread(text)
  t = Time.parse(text).utc
  t.to_date == Time.now.utc.to_date ? { 'build-day' => true } : { 'time' => t.iso8601 }
rescue ArgumentError
  { 'error' => 'InvalidDateError' }
end
input = JSON.parse($stdin.read)
out = {
  'loads' => input['loads'].map { |text| load(text) },
  'dates' => input['dates'].map do |text|
    value = Psych.safe_load(text, permitted_classes: [Date, Time])['date']
    { 'to_s' => value.to_s, 'outcome' => reread(value.to_s) }
  end,
  'rereads' => input['rereads'].map { |text| reread(text) },
}
puts JSON.generate(out)
"""


@cache
def ruby_answers() -> dict[str, Any]:
    if shutil.which("ruby") is None:
        if os.environ.get("PAGEMGR_REQUIRE_JEKYLL") == "1":
            pytest.fail("ruby is not installed and PAGEMGR_REQUIRE_JEKYLL=1 is set")
        pytest.skip("ruby is not installed (apt-get install jekyll brings it)")
    loads = [f"value: {row['plain']}\n" for row in SCALARS] + [row["yaml"] for row in DOCUMENTS]
    request = {
        "loads": loads,
        "dates": [row["yaml"] for row in DATES],
        "rereads": [row["safe_yaml_to_s"] for row in DATES],
    }
    ruby = subprocess.run(
        ["ruby", "-e", _RUBY],
        input=json.dumps(request),
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, "TZ": "UTC"},
    )
    answers: dict[str, Any] = json.loads(ruby.stdout)
    return answers


def _psych_rows() -> list[tuple[str, str, Any]]:
    scalars = [(row["id"], f"value: {row['plain']}\n", _scalar_psych(row)) for row in SCALARS]
    return scalars + [(row["id"], row["yaml"], row["psych"]) for row in DOCUMENTS]


def _scalar_psych(row: dict[str, Any]) -> Any:
    expected = row["psych"]
    return expected if isinstance(expected, dict) and "error" in expected else {"value": expected}


PSYCH_ROWS = _psych_rows()


@pytest.mark.parametrize(
    ("index", "text", "expected"),
    [(index, text, expected) for index, (_, text, expected) in enumerate(PSYCH_ROWS)],
    ids=[row_id for row_id, _, _ in PSYCH_ROWS],
)
def test_the_psych_column_is_what_ruby_psych_gives(index: int, text: str, expected: Any) -> None:
    same(ruby_answers()["loads"][index], expected)


# Where pagemgr's Psych reading (libyaml.py) still differs from Psych; the wiring fixes them.
PSYCH_READING_GAPS = {
    "key-then-merge": "libyaml.merge keeps the keys written before `<<`; Psych's merge! does not",
    "binary-tag": "libyaml.tagged_scalar returns !!binary text undecoded",
}


@pytest.mark.parametrize(
    ("row_id", "text", "expected"),
    [
        pytest.param(
            *row,
            marks=pytest.mark.xfail(reason=PSYCH_READING_GAPS[row[0]], strict=True)
            if row[0] in PSYCH_READING_GAPS
            else (),
        )
        for row in PSYCH_ROWS
    ],
    ids=[row_id for row_id, _, _ in PSYCH_ROWS],
)
def test_pagemgr_reads_the_psych_column_as_psych(row_id: str, text: str, expected: Any) -> None:
    if isinstance(expected, dict) and "error" in expected:
        try:
            loaded = yamlio.load(text)
        except yamlio.YamlSyntaxError:
            return
        kinds = {problem.kind for problem in loaded.problems}
        assert kinds & {"symbol", "unsafe-tag"}, row_id
        return
    same(encoded(yamlio.load(text).data), expected)


# --- `date:` as Jekyll re-reads it ----------------------------------------------------------


@pytest.mark.parametrize("row", DATES, ids=_ids(DATES))
def test_date_text_handed_to_time_parse(row: dict[str, Any]) -> None:
    safe = safe_load(row["yaml"]).data["date"]
    psych = yamlio.load(row["yaml"]).data["date"]
    assert safe_yaml.ruby_to_s(safe) == row["safe_yaml_to_s"]
    assert safe_yaml.ruby_to_s(psych) == row["psych_to_s"]


@pytest.mark.parametrize("row", DATES, ids=_ids(DATES))
def test_pagemgr_accepts_a_date_exactly_where_time_parse_does(row: dict[str, Any]) -> None:
    """The jekyll-date format on text and dates; other values are the schema type's to refuse
    (the bundled schemas type `date` as text, so `date: 2023` is a wrong-type)."""
    from pagemgr.site.dates import is_jekyll_date

    for rules in ("safe_yaml", "psych"):
        value = yamlio.load(row["yaml"], rules).data["date"]
        fails = "error" in row[f"{rules}_outcome"]
        if isinstance(value, str | JekyllDate):
            assert is_jekyll_date(value) is not fails, (rules, value)
        else:
            assert fails or isinstance(value, float), (rules, value)


@pytest.mark.parametrize("index", range(len(DATES)), ids=_ids(DATES))
def test_what_time_parse_makes_of_it_in_ruby(index: int) -> None:
    row = DATES[index]
    answers = ruby_answers()
    assert answers["dates"][index] == {"to_s": row["psych_to_s"], "outcome": row["psych_outcome"]}
    same(answers["rereads"][index], row["safe_yaml_outcome"])


# --- the table in the docs ------------------------------------------------------------------


def test_the_docs_table_has_exactly_the_data_rows() -> None:
    """Each data row is one table row, between the `<!-- rows -->` markers of the page."""
    text = TABLE.read_text()
    tables = text.split("<!-- rows -->")[1:]
    lines = [line for table in tables for line in table.split("<!-- /rows -->")[0].splitlines()]
    listed = [match.group(1) for line in lines if (match := _ROW_ID.match(line))]
    assert sorted(listed) == sorted(_ids(SCALARS) + _ids(DOCUMENTS) + _ids(DATES))


_ROW_ID = re.compile(r"\| `([a-z0-9-]+)` \|")


@pytest.mark.parametrize("row", SCALARS + DOCUMENTS, ids=_ids(SCALARS + DOCUMENTS))
def test_every_expectation_names_its_source(row: dict[str, Any]) -> None:
    for column in ("safe_yaml", "psych", "yaml12"):
        source = row[f"{column}_source"]
        assert source.startswith(("SY ", "PS ", "SPEC ")), source
        assert any(char.isdigit() for char in source), source


# --- the builder ----------------------------------------------------------------------------


def _site(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


PAGES_WORKFLOW = "jobs:\n  build:\n    steps:\n      - uses: actions/jekyll-build-pages@v1\n"
OWN_WORKFLOW = "jobs:\n  build:\n    steps:\n      - run: bundle exec jekyll build\n"


def test_a_site_without_workflows_is_built_by_github_pages(tmp_path: Path) -> None:
    choice = builder.detect_builder(_site(tmp_path, {"Gemfile": 'gem "jekyll"\n'}), {})
    assert (choice.builder, choice.evidence) == ("github-pages", None)


def test_the_pages_builder_action_means_github_pages(tmp_path: Path) -> None:
    root = _site(tmp_path, {".github/workflows/pages.yml": PAGES_WORKFLOW})
    assert builder.detect_builder(root, {}).builder == "github-pages"


def test_an_own_workflow_without_the_github_pages_gem_means_jekyll(tmp_path: Path) -> None:
    root = _site(
        tmp_path,
        {".github/workflows/site.yml": OWN_WORKFLOW, "Gemfile": 'gem "jekyll", "~> 4.3"\n'},
    )
    choice = builder.detect_builder(root, {})
    assert (choice.builder, choice.evidence) == ("jekyll", ".github/workflows/site.yml")


def test_an_own_workflow_with_the_github_pages_gem_reads_as_github_pages(tmp_path: Path) -> None:
    gemfile = "source 'https://rubygems.org'\ngem 'github-pages', group: :jekyll_plugins\n"
    root = _site(tmp_path, {".github/workflows/site.yml": OWN_WORKFLOW, "Gemfile": gemfile})
    assert builder.detect_builder(root, {}).builder == "github-pages"


def test_a_third_party_jekyll_action_builds_jekyll(tmp_path: Path) -> None:
    workflow = "steps:\n  - uses: helaili/jekyll-action@v2\n"
    root = _site(tmp_path, {".github/workflows/deploy.yaml": workflow})
    assert builder.detect_builder(root, {}).builder == "jekyll"


def test_commented_out_steps_do_not_count(tmp_path: Path) -> None:
    workflow = "steps:\n  # - run: bundle exec jekyll build\n  - run: echo hi\n"
    root = _site(tmp_path, {".github/workflows/site.yml": workflow})
    assert builder.detect_builder(root, {}).builder == "github-pages"


def test_the_setting_wins(tmp_path: Path) -> None:
    root = _site(tmp_path, {".github/workflows/pages.yml": PAGES_WORKFLOW})
    choice = builder.detect_builder(root, {"builder": "debian-psych"})
    assert (choice.builder, choice.evidence) == ("debian-psych", "_config.yml")
    assert builder.yaml_rules(choice.builder) == "psych"
    assert builder.yaml_rules("jekyll") == "safe_yaml"


def test_an_unknown_setting_is_a_usage_error(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="github-pages, jekyll, debian-psych"):
        builder.detect_builder(tmp_path, {"builder": "pages"})


def test_the_pages_builder_forces_safe_mode_and_its_markdown() -> None:
    config = builder.effective_config(
        "github-pages", {"safe": False, "markdown": "redcarpet", "kramdown": {"input": "x"}}
    )
    assert config["safe"] is True
    assert config["markdown"] == "kramdown"
    assert config["kramdown"]["math_engine"] == "mathjax"
    assert config["kramdown"]["input"] == "x"
    assert config["kramdown"]["gfm_quirks"] == "paragraph_end"
    assert config["exclude"][-1] == "CNAME"
    assert config["plugins"][: len(builder.PAGES_DEFAULT_PLUGINS)] == list(
        builder.PAGES_DEFAULT_PLUGINS
    )


def test_future_posts_stay_hidden_unless_the_site_says_future_true() -> None:
    assert builder.shows_future_posts("github-pages", {}) is False
    assert builder.shows_future_posts("github-pages", {"future": None}) is False
    assert builder.shows_future_posts("github-pages", {"future": True}) is True
    assert builder.shows_future_posts("jekyll", {"future": "yes please"}) is True


def test_plugins_the_pages_builder_does_not_run() -> None:
    config = {"gems": ["jekyll-feed", "jekyll-scholar", "jekyll-sitemap", "jekyll-archives"]}
    assert builder.plugins_not_run("github-pages", config) == ["jekyll-scholar", "jekyll-archives"]
    assert builder.plugins_not_run("jekyll", config) == []
    assert (
        "jekyll-remote-theme"
        in builder.effective_config("github-pages", {"remote_theme": "x"})["plugins"]
    )


def test_what_a_load_error_costs() -> None:
    assert builder.load_error_outcome("document", "posts", "TypeError") == "front-matter-dropped"
    assert builder.load_error_outcome("document", "pages", "TypeError", True) == "build-fails"
    assert builder.load_error_outcome("data", None, "ArgumentError") == "build-fails"
    assert builder.load_error_outcome("config", None, "ArgumentError") == "config-ignored"
    assert builder.load_error_outcome("config", None, "TypeError") == "build-fails"
    assert builder.date_is_reread("posts") and not builder.date_is_reread("pages")
