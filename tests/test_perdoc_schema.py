"""The per-document shortcuts (schema nodes made once, parsed URL templates, one pass over the
front matter's keys, exact-type checks) answer as the plain readings they replace."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from conftest import REPO
from pagemgr.check import fastschema, schema_walk
from pagemgr.check.index import site_index
from pagemgr.check.schemas import _format_checker
from pagemgr.site import urls
from pagemgr.yaml import yamlio

SCHEMAS = sorted((REPO / "schemas").glob("*.schema.json"))


def reference_unknown(root: Any, data: Any) -> list[tuple[list[Any], Any]]:
    def walk(sub: Any, data: Any, path: list[Any], depth: int) -> Iterator[tuple[list[Any], Any]]:
        if depth > 8:
            return
        if isinstance(data, dict):
            known = schema_walk.known_keys(sub)
            for key, value in data.items():
                if known is not None and key not in known:
                    yield path, key
                    continue
                yield from walk(schema_walk.child(root, sub, key), value, [*path, key], depth + 1)
        elif isinstance(data, list) and isinstance(sub.get("items"), dict):
            items = schema_walk.resolve(root, sub["items"])
            for index, value in enumerate(data):
                yield from walk(items, value, [*path, index], depth + 1)

    return list(walk(schema_walk.resolve(root, root), data, [], 0))


SHAPED = {
    "type": "object",
    "properties": {
        "a": {"$ref": "#/$defs/node"},
        "list": {"type": "array", "items": {"$ref": "#/$defs/node"}},
        "free": {"additionalProperties": {"properties": {"x": {}}}},
        "pat": {"patternProperties": {"^p": {"properties": {"y": {}}}}, "properties": {"q": {}}},
        "self": {"$ref": "#"},
    },
    "$defs": {
        "node": {
            "properties": {
                "name": {},
                "children": {"type": "array", "items": {"$ref": "#/$defs/node"}},
            }
        },
    },
}

keys = st.sampled_from(
    [
        "a",
        "list",
        "free",
        "pat",
        "self",
        "name",
        "children",
        "x",
        "y",
        "q",
        "p1",
        "title",
        "url",
        "venue",
        "zz",
        "date",
        "tags",
    ]
)
documents = st.recursive(
    st.one_of(st.none(), st.integers(-2, 2), st.text(max_size=3)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=12,
)


@pytest.mark.parametrize("path", [*SCHEMAS, None], ids=[*(p.stem for p in SCHEMAS), "shaped"])
@settings(max_examples=200, deadline=None)
@given(data=documents)
def test_unknown_keys_agree_with_a_plain_walk(path: Path | None, data: Any) -> None:
    root = SHAPED if path is None else json.loads(path.read_text())
    for _ in range(2):  # the second time from the nodes made the first time
        assert list(schema_walk.unknown_keys(root, data)) == reference_unknown(root, data)


def test_unknown_keys_of_a_new_schema_object_are_its_own() -> None:
    data = {"a": 1, "b": 2}
    assert list(schema_walk.unknown_keys({"properties": {"a": {}}}, data)) == [([], "b")]
    assert list(schema_walk.unknown_keys({"properties": {"b": {}}}, data)) == [([], "a")]


def reference_document_url(
    template: str,
    collection: str,
    rel: str,
    date: dt.date,
    categories: list[str],
    slug: str | None,
    permalink: str | None,
) -> str:
    import os

    stem = os.path.splitext(rel)[0]
    base = os.path.basename(stem)
    source = slug if slug is not None else urls.document_slug(base)
    values = {
        "collection": collection,
        "path": "/" + stem.rstrip("."),
        "name": urls.slugify(base),
        "title": urls.slugify(source, True, True) or urls.slugify(base, True, True),
        "slug": urls.slugify(source) or urls.slugify(base),
        "categories": "/".join(dict.fromkeys(c.lower() for c in categories)),
        "slugified_categories": "/".join(dict.fromkeys(urls.slugify(c) for c in categories)),
        "output_ext": urls.HTML_EXT,
        **urls.date_values(date),
    }
    return urls.sanitize(urls.fill(permalink or template, values))


placeholders = st.sampled_from(
    [
        ":collection",
        ":path",
        ":name",
        ":title",
        ":slug",
        ":categories",
        ":slugified_categories",
        ":output_ext",
        ":year",
        ":month",
        ":day",
        ":i_day",
        ":short_month",
        ":long_day",
        ":y_day",
        ":week",
        ":w_year",
        ":short_year",
        ":title_",
        ":year_x",
        ":nope",
        ":",
        "/",
        "-",
        "x",
        "..",
        "//",
        "./",
        "%",
        " ",
        "é",
    ]
)


@settings(max_examples=1000, deadline=None)
@given(
    st.lists(placeholders, max_size=8).map("".join),
    st.one_of(st.none(), st.lists(placeholders, max_size=6).map("".join)),
    st.sampled_from(["2021-03-04-Hi There.md", "sub/x..md", "Ünïcode.md", "a b/c#d.md"]),
    st.lists(st.sampled_from(["News", "news", "C++", "", "Über"]), max_size=3),
    st.one_of(st.none(), st.sampled_from(["", "My Slug", "ü"])),
    st.dates(),
)
def test_document_urls_agree_with_filling_every_value(
    template: str,
    permalink: str | None,
    rel: str,
    categories: list[str],
    slug: str | None,
    date: dt.date,
) -> None:
    args = (template, "posts", rel, date, categories, slug, permalink)
    try:
        expected = reference_document_url(*args)
    except urls.TemplateError as exc:
        with pytest.raises(urls.TemplateError, match=str(exc).replace("'", ".")):
            urls.document_url(*args)
        return
    assert urls.document_url(*args) == expected
    names_categories = {"categories", "slugified_categories"} & urls.document_placeholders(
        permalink or template
    )
    if not names_categories:
        assert urls.document_url(template, "posts", rel, date, [], slug, permalink) == expected


@pytest.mark.parametrize(
    "text",
    [
        "title: a\ndate: 2020-01-01\ntitle: b\n",
        "base: &b\n  layout: x\n<<: *b\npermalink: /p/\n",
        "<<: {title: t, date: 2020-01-01}\n",
        "? [complex]\n: 1\ntitle: t\n",
        "title: x\n'date': 2020-02-02\n\"layout\": single\n",
    ],
)
def test_key_positions_are_those_of_locate_key(text: str) -> None:
    loaded = yamlio.load(text)
    assert isinstance(loaded.data, dict)
    present = [key for key in site_index.POSITION_KEYS if key in loaded.data]
    expected = {}
    for key in present:
        line, column = yamlio.locate_key(loaded.node, [], key)
        expected[key] = (line + 1, column + 1)
    assert site_index._key_positions(loaded.node, present) == expected
    assert list(site_index._key_positions(loaded.node, present)) == present


VALUES = [
    True,
    False,
    0,
    1,
    -3,
    1.0,
    2.5,
    float("inf"),
    "",
    "x",
    "2021-01-01",
    None,
    [],
    [1],
    {},
    {"a": 1},
    yamlio.JekyllDate(dt.date(2021, 1, 1)),
    yamlio.JekyllDate(dt.datetime(2021, 1, 1, 10, 0)),
]
TYPES = ["string", "integer", "number", "boolean", "null", "array", "object"]


@pytest.mark.parametrize(
    "schema",
    [
        *({"type": name} for name in TYPES),
        {"type": ["integer", "string"]},
        {"type": ["number", "null"]},
        {"type": ["boolean", "array"]},
        {"enum": ["x", 1, True, None, "2021-01-01"]},
        {"enum": [1.0, [1], {"a": 1}]},
        {"enum": ["", "x"]},
        {"const": "x"},
        {"required": ["a"]},
        {"required": []},
        {"items": {"type": "integer"}},
        {"type": "string", "format": "jekyll-date", "minLength": 1},
        {"anyOf": [{"type": "string"}, {"type": "integer"}]},
        {"properties": {"a": {"type": "integer"}}, "additionalProperties": {"type": "boolean"}},
    ],
)
def test_predicate_agrees_with_jsonschema_on_edge_values(schema: dict[str, Any]) -> None:
    checker = _format_checker()
    predicate = fastschema.compile_predicate(schema, checker.conforms)
    assert predicate is not None
    validator = Draft202012Validator(schema, format_checker=checker)
    for value in VALUES:
        assert predicate(value) == validator.is_valid(value), value
        assert predicate({"a": value}) == validator.is_valid({"a": value}), value
