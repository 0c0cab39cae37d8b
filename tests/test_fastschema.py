"""The compiled predicate agrees with jsonschema on every schema, on generated and real data."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import REPO, SHARED
from pagemgr.check import fastschema
from pagemgr.check.schemas import _format_checker
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))


def pair(path: Path) -> tuple[Any, Any]:
    schema = json.loads(path.read_text())
    checker = _format_checker()
    predicate = fastschema.compile_predicate(schema, checker.conforms)
    assert predicate is not None, f"{path.name} uses a keyword the compiler does not know"
    return predicate, Draft202012Validator(schema, format_checker=checker)


def example_instance(schema: dict[str, Any]) -> dict[str, Any]:
    properties = schema.get("properties", {})
    return {
        name: sub["examples"][0]
        for name, sub in properties.items()
        if isinstance(sub, dict) and sub.get("examples")
    }


scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.floats(allow_nan=False),
    st.sampled_from(["", " ", "x", "2021-02-30", "2021-05-01", "/p", "p", "Present", "yes"]),
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["title", "url", "name", "children", "x"]), inner, max_size=3
        )
    ),
    max_leaves=6,
)


@pytest.mark.parametrize("path", SCHEMAS, ids=[p.stem for p in SCHEMAS])
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_agrees_on_mutated_examples(path: Path, data: st.DataObject) -> None:
    predicate, validator = pair(path)
    schema = json.loads(path.read_text())
    instance = example_instance(schema)
    for _ in range(data.draw(st.integers(0, 3))):
        keys = sorted(instance) or ["title"]
        key = data.draw(st.sampled_from(keys))
        if data.draw(st.booleans()):
            instance.pop(key, None)
        else:
            instance[key] = data.draw(values)
    assert predicate(instance) == validator.is_valid(instance)


def test_agrees_on_every_real_file() -> None:
    corpus = SHARED / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent: the real-site corpus is not part of a plain clone")
    checked = 0
    for path in SCHEMAS:
        predicate, validator = pair(path)
        for file in corpus.rglob("*.md"):
            text = parse_document(file.read_text(encoding="utf-8-sig")).front_matter
            try:
                data = yamlio.load(text).data
            except yamlio.YamlSyntaxError:
                continue
            assert predicate(data) == validator.is_valid(data), (path.name, file)
            checked += 1
    assert checked > 500


@pytest.mark.parametrize(
    "value",
    [
        "2021-05-01",
        "14/10/2022",
        "2009-13-45",
        "",
        "https://x.org/a b",
        "/files/p.pdf",
        "not a uri \\\\",
        "a@b",
        3,
        None,
        "2021-02-30",
    ],
)
@pytest.mark.parametrize(
    "name", ["jekyll-date", "uri-reference", "iso8601", "email", "date", "uri", "uuid"]
)
def test_native_format_answers_match_jsonschema(name: str, value: object) -> None:
    from pagemgr.check.schemas import conforms, format_check

    expected = _format_checker().conforms(value, name)
    assert conforms(value, name) == expected
    check = format_check(name)  # made once per schema keyword
    assert (True if check is None else check(value)) == expected
