"""YAML as Jekyll (Psych, YAML 1.1) reads it, on libyaml; the same as Ruby where Ruby is here."""

from __future__ import annotations

import json
import math
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import SHARED
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

# Read off Ruby 3.1 / Psych 4.0 with Psych.safe_load(permitted_classes: [Date, Time]).
PSYCH_TABLE: list[tuple[str, Any]] = [
    ("yes", True),
    ("Yes", True),
    ("YES", True),
    ("yEs", True),
    ("y", "y"),
    ("n", "n"),
    ("on", True),
    ("off", False),
    ("ON", True),
    ("No", False),
    ("tRue", True),
    ("null", None),
    ("Null", None),
    ("NULL", None),
    ("~", None),
    ("010", 8),
    ("09", "09"),
    ("0x1F", 31),
    ("0b101", 5),
    ("1_000", 1000),
    ("1,000", 1000),
    ("1.5", 1.5),
    ("1.", 1.0),
    (".5", 0.5),
    ("1e3", "1e3"),
    ("1.5e3", "1.5e3"),
    ("1.5e+3", 1500.0),
    ("12:30", 45000),
    ("1:2:3", 3723),
    ("2009-10-01", "2009-10-01"),
    ("2009-13-45", "2009-13-45"),
    ("2009-02-30", "2009-02-30"),
    ("2009-1-5", "2009-01-05"),
    ("foo:bar", "foo:bar"),
    ("+12", 12),
    ("-0", 0),
    ("0o10", "0o10"),
    ("1__0", "1__0"),
    ("2009-10-01T10:00:00Z", "2009-10-01T10:00:00+00:00"),
    ("2009-10-01 10:00:00 +0100", "2009-10-01T10:00:00+01:00"),
]


@pytest.mark.parametrize(("plain", "expected"), PSYCH_TABLE)
def test_plain_scalars_are_typed_as_psych_types_them(plain: str, expected: Any) -> None:
    value = yamlio.psych_scalar(plain)
    assert value == expected
    assert type(value) is type(expected) or isinstance(value, yamlio.JekyllDate)


def test_infinities_and_nan() -> None:
    assert yamlio.psych_scalar(".inf") == math.inf
    assert yamlio.psych_scalar("-.Inf") == -math.inf
    assert math.isnan(yamlio.psych_scalar(".nan"))


def test_dates_are_strings_that_remember_their_date() -> None:
    value = yamlio.load("date: 2009-10-01\n").data["date"]
    assert isinstance(value, yamlio.JekyllDate) and value == "2009-10-01"
    assert value.value.year == 2009


def test_quoted_values_stay_strings() -> None:
    assert yamlio.load("a: 'yes'\nb: \"010\"\nc: '2009-10-01'\n").data == {
        "a": "yes",
        "b": "010",
        "c": "2009-10-01",
    }


def test_duplicate_key_last_wins_and_is_reported() -> None:
    loaded = yamlio.load("a: 1\na: 2\n")
    assert loaded.data == {"a": 2}
    assert [(p.kind, p.line) for p in loaded.problems] == [("duplicate-key", 1)]


def test_merge_keys_and_anchors() -> None:
    text = "en: &EN\n  a: 1\n  b: 2\nen-GB:\n  <<: *EN\n  b: 3\n"
    assert yamlio.load(text).data == {"en": {"a": 1, "b": 2}, "en-GB": {"a": 1, "b": 3}}


def test_tab_after_colon_is_accepted_as_psych_does() -> None:
    assert yamlio.load("title:\t'x'\n").data == {"title": "x"}


def test_syntax_error_has_a_position() -> None:
    with pytest.raises(yamlio.YamlSyntaxError) as caught:
        yamlio.load("a: 1\nb: Journal: 1\n")
    assert (caught.value.line, caught.value.column) == (1, 10)


def test_parses_with_libyaml() -> None:
    import ruamel.yaml.cyaml as cyaml

    assert cyaml.__yaml_lib in ("clib", "clibz")
    from pagemgr.yaml import libyaml

    assert "_ruamel_yaml" in libyaml.CParser.__module__


_PSYCH_DUMP = r"""
require 'psych'; require 'json'; require 'date'
def norm(v)
  case v
  when Hash then v.map { |k, x| [k.to_s, norm(x)] }.to_h
  when Array then v.map { |x| norm(x) }
  when Date, Time then v.iso8601
  when Float then (v.nan? || v.infinite?) ? v.to_s : v
  else v
  end
end
out = {}
ARGV.each do |path|
  text = File.read(path, encoding: 'bom|utf-8')
  m = text.match(/\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)/m)
  yaml = path.end_with?('.md', '.html', '.markdown') ? (m ? m[1] : nil) : text
  next if yaml.nil?
  begin
    out[path] = norm(Psych.safe_load(yaml, permitted_classes: [Date, Time], aliases: true))
  rescue StandardError => e
    out[path] = { '__error__' => e.class.to_s }
  end
end
puts JSON.generate(out)
"""


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, float) and (math.isnan(value) or math.isinf(value)):
        return {math.inf: "Infinity", -math.inf: "-Infinity"}.get(value, "NaN")
    return value


def test_same_data_as_ruby_psych_on_real_sites() -> None:
    corpus = SHARED / "corpus"
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (apt-get install jekyll brings it)")
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent: the real-site corpus is not part of a plain clone")
    files = sorted(
        str(p) for p in corpus.rglob("*") if p.suffix in (".md", ".yml", ".html", ".json")
    )
    ruby = subprocess.run(
        ["ruby", "-e", _PSYCH_DUMP, *files], capture_output=True, text=True, check=True
    )
    expected: dict[str, Any] = json.loads(ruby.stdout)
    assert len(expected) > 100
    for path, want in expected.items():
        text = Path(path).read_text(encoding="utf-8-sig")
        if path.endswith((".md", ".html", ".markdown")):
            text = parse_document(text).front_matter
        if isinstance(want, dict) and "__error__" in want:
            with pytest.raises(yamlio.YamlSyntaxError):
                yamlio.load(text)
            continue
        assert _plain(yamlio.load(text).data) == want, path
