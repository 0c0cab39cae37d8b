"""Checks on the bundled JSON Schemas in schemas/ themselves.

Every schema must be valid draft 2020-12, document each property (description and
examples), have examples that satisfy their own subschema, and accept/reject a few
hand-written instances the way the validator relies on.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from jsonschema import Draft202012Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parent.parent / "schemas"
SCHEMA_FILES = sorted(SCHEMA_DIR.glob("*.schema.json"))
EXPECTED = {
    "publication",
    "talk",
    "teaching",
    "portfolio",
    "post",
    "page",
    "config",
    "navigation",
    "cv",
    "authors",
}

# Keywords whose value is a single subschema / a dict of subschemas / a list of subschemas.
_SUB_ONE = (
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)
_SUB_MAP = ("properties", "patternProperties", "$defs", "dependentSchemas")
_SUB_LIST = ("allOf", "anyOf", "oneOf", "prefixItems")


def _is_jekyll_date(value: object) -> bool:
    """Simple stand-in for the tool's jekyll-date format: ISO date or datetime."""
    if not isinstance(value, str):
        return True
    try:
        dt.date.fromisoformat(value)
        return True
    except ValueError:
        pass
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True


def _format_checker() -> FormatChecker:
    checker = FormatChecker()
    checker.checks("jekyll-date")(_is_jekyll_date)
    return checker


FORMAT_CHECKER = _format_checker()


def _load(name: str) -> dict[str, Any]:
    data = json.loads((SCHEMA_DIR / f"{name}.schema.json").read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def _validator(schema: dict[str, Any]) -> Draft202012Validator:
    return Draft202012Validator(schema, format_checker=FORMAT_CHECKER)


def _subschemas(node: Any, path: str = "#") -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every (json-pointer-ish path, subschema) in the schema tree, root included."""
    if not isinstance(node, dict):
        return
    yield path, node
    for key in _SUB_ONE:
        if isinstance(node.get(key), dict):
            yield from _subschemas(node[key], f"{path}/{key}")
    for key in _SUB_MAP:
        children = node.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                yield from _subschemas(child, f"{path}/{key}/{name}")
    for key in _SUB_LIST:
        children = node.get(key)
        if isinstance(children, list):
            for i, child in enumerate(children):
                yield from _subschemas(child, f"{path}/{key}/{i}")


def _properties(schema: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield every property subschema, at any depth (including those inside $defs)."""
    for path, node in _subschemas(schema):
        props = node.get("properties")
        if isinstance(props, dict):
            for name, sub in props.items():
                yield f"{path}/properties/{name}", sub


def _ids() -> list[str]:
    return [p.name for p in SCHEMA_FILES]


# ---------------------------------------------------------------------------
# Structure of every schema file
# ---------------------------------------------------------------------------


def test_all_expected_schemas_exist() -> None:
    names = {p.name.removesuffix(".schema.json") for p in SCHEMA_FILES}
    assert names >= EXPECTED, f"missing: {sorted(EXPECTED - names)}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=_ids())
def test_schema_is_valid_draft_2020_12(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    assert isinstance(schema, dict)
    assert schema.get("$schema") == "https://json-schema.org/draft/2020-12/schema"
    assert "$id" not in schema, "schemas must not set $id"
    Draft202012Validator.check_schema(schema)
    assert isinstance(schema.get("title"), str) and schema["title"]
    assert isinstance(schema.get("description"), str) and schema["description"]


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=_ids())
def test_no_closed_objects_and_only_local_refs(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    for where, node in _subschemas(schema):
        assert node.get("additionalProperties") is not False, f"{where}: closed object"
        ref = node.get("$ref")
        if ref is not None:
            assert isinstance(ref, str) and ref.startswith("#/$defs/"), f"{where}: {ref}"
            name = ref.removeprefix("#/$defs/")
            assert name in schema.get("$defs", {}), f"{where}: dangling {ref}"


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=_ids())
def test_every_property_is_documented(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    problems: list[str] = []
    for where, sub in _properties(schema):
        if not isinstance(sub.get("description"), str) or not sub["description"].strip():
            problems.append(f"{where}: no description")
        examples = sub.get("examples")
        if not isinstance(examples, list) or not examples:
            problems.append(f"{where}: no examples")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("path", SCHEMA_FILES, ids=_ids())
def test_examples_validate_against_their_own_subschema(path: Path) -> None:
    schema = json.loads(path.read_text(encoding="utf-8"))
    defs = schema.get("$defs", {})
    problems: list[str] = []
    for where, sub in _subschemas(schema):
        examples = sub.get("examples")
        if not isinstance(examples, list):
            continue
        standalone = dict(sub)
        if defs:
            standalone["$defs"] = defs  # so local "#/$defs/..." refs resolve
        validator = _validator(standalone)
        for example in examples:
            for error in validator.iter_errors(example):
                problems.append(f"{where}: example {example!r}: {error.message}")
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------
# Property lists the validator relies on (did-you-mean, unknown-key warnings)
# ---------------------------------------------------------------------------

COMMON_FRONT_MATTER = {
    "layout",
    "published",
    "permalink",
    "redirect_from",
    "tags",
    "categories",
    "header",
    "excerpt",
    "sidebar",
    "author_profile",
    "share",
    "comments",
    "related",
    "read_time",
    "toc",
    "classes",
}

AUTHOR_KEYS = {
    "avatar",
    "name",
    "pronouns",
    "bio",
    "location",
    "employer",
    "uri",
    "email",
    "academia",
    "arxiv",
    "googlescholar",
    "inspire-hep",
    "impactstory",
    "orcid",
    "semantic",
    "ssrn",
    "pubmed",
    "researchgate",
    "scopus",
    "zotero",
    "bitbucket",
    "codepen",
    "dribbble",
    "github",
    "kaggle",
    "stackoverflow",
    "artstation",
    "bluesky",
    "facebook",
    "flickr",
    "foursquare",
    "goodreads",
    "google_plus",
    "keybase",
    "instagram",
    "lastfm",
    "linkedin",
    "mastodon",
    "medium",
    "pinterest",
    "soundcloud",
    "steam",
    "telegram",
    "tumblr",
    "twitter",
    "vine",
    "weibo",
    "wikipedia",
    "xing",
    "youtube",
    "zhihu",
}

CONFIG_KEYS = {
    "locale",
    "site_theme",
    "title",
    "title_separator",
    "name",
    "description",
    "url",
    "baseurl",
    "repository",
    "author",
    "publication_category",
    "teaser",
    "breadcrumbs",
    "words_per_minute",
    "future",
    "read_more",
    "talkmap_link",
    "comments",
    "staticman",
    "atom_feed",
    "google_site_verification",
    "bing_site_verification",
    "alexa_site_verification",
    "yandex_site_verification",
    "twitter",
    "facebook",
    "og_image",
    "og_description",
    "social",
    "analytics",
    "include",
    "exclude",
    "keep_files",
    "encoding",
    "markdown_ext",
    "markdown",
    "highlighter",
    "lsi",
    "excerpt_separator",
    "incremental",
    "kramdown",
    "collections",
    "defaults",
    "sass",
    "permalink",
    "timezone",
    "plugins",
    "gems",
    "whitelist",
    "category_archive",
    "tag_archive",
    "compress_html",
    "paginate",
    "paginate_path",
    "theme",
    "remote_theme",
    "pagemgr",
}


@pytest.mark.parametrize(
    ("name", "keys"),
    [
        (
            "publication",
            {
                "title",
                "collection",
                "category",
                "date",
                "venue",
                "slidesurl",
                "paperurl",
                "bibtexurl",
                "citation",
                "link",
            },
        ),
        (
            "talk",
            {
                "title",
                "collection",
                "type",
                "talk_type",
                "date",
                "venue",
                "location",
                "slidesurl",
                "link",
            },
        ),
        ("teaching", {"title", "collection", "type", "date", "venue", "location"}),
        ("portfolio", {"title", "collection", "date"}),
        ("post", {"title", "date"}),
        ("page", {"title", "modified", "sitemap"}),
    ],
)
def test_front_matter_property_lists(name: str, keys: set[str]) -> None:
    props = set(_load(name)["properties"])
    missing = (keys | COMMON_FRONT_MATTER) - props
    assert not missing, f"{name} lacks {sorted(missing)}"


def test_config_lists_every_template_key() -> None:
    schema = _load("config")
    assert set(schema["properties"]) >= CONFIG_KEYS
    assert set(schema["properties"]["author"]["properties"]) >= AUTHOR_KEYS
    assert schema["required"] == ["title"]


def test_page_excerpt_is_marked_as_harmful() -> None:
    excerpt = _load("page")["properties"]["excerpt"]
    assert excerpt.get("deprecated") is True
    assert "2024" in excerpt["description"]


# ---------------------------------------------------------------------------
# Positive / negative instances
# ---------------------------------------------------------------------------

PUBLICATION: dict[str, Any] = {
    "title": "Paper Title Number 1",
    "collection": "publications",
    "category": "manuscripts",
    "permalink": "/publication/2009-10-01-paper-title-number-1",
    "excerpt": "This paper is about the number 1.",
    "date": "2009-10-01",
    "venue": "Journal 1",
    "slidesurl": None,
    "paperurl": "https://academicpages.github.io/files/paper1.pdf",
    "bibtexurl": "/files/bibtex1.bib",
    "citation": None,
    "some_custom_key": {"anything": [1, 2]},
}

CONFIG: dict[str, Any] = {
    "locale": "en-US",
    "site_theme": "default",
    "title": "Your Name / Site Title",
    "url": "https://academicpages.github.io",
    "baseurl": "",
    "author": {
        "name": "Your Sidebar Name",
        "github": None,
        "stackoverflow": None,
        "googlescholar": "https://scholar.google.com/citations?user=PS_CX0AAAAAJ",
    },
    "publication_category": {
        "books": {"title": "Books"},
        "manuscripts": {"title": "Journal Articles"},
    },
    "teaser": None,
    "comments": {"provider": None, "disqus": {"shortname": None}},
    "analytics": {"provider": "false", "google": {"tracking_id": None}},
    "collections": {"publications": {"output": True, "permalink": "/:collection/:path/"}},
    "defaults": [
        {"scope": {"path": "", "type": "posts"}, "values": {"layout": "single", "comment": True}}
    ],
    "plugins": ["jekyll-feed", "jemoji"],
    "pagemgr": {
        "schemas": {"publications": "schemas/pub.json"},
        "ignore": ["_drafts/**"],
        "severity": {"unknown-key": "off"},
    },
}


def _with(base: dict[str, Any], **changes: Any) -> dict[str, Any]:
    out = copy.deepcopy(base)
    out.update(changes)
    return out


def _without(base: dict[str, Any], *keys: str) -> dict[str, Any]:
    out = copy.deepcopy(base)
    for key in keys:
        out.pop(key, None)
    return out


VALID: list[tuple[str, Any]] = [
    ("publication", PUBLICATION),
    ("publication", _with(PUBLICATION, title=2019)),
    ("publication", _with(PUBLICATION, date="2009-10-01T10:00:00+01:00")),
    ("publication", _without(PUBLICATION, "collection", "category", "permalink")),
    (
        "talk",
        {
            "title": "Talk 1",
            "collection": "talks",
            "type": "Talk",
            "permalink": "/talks/2012-03-01-talk-1",
            "venue": None,
            "location": None,
            "date": "2012-03-01",
        },
    ),
    (
        "teaching",
        {
            "title": "Teaching 1",
            "collection": "teaching",
            "type": "Undergraduate course",
            "date": "2014-01-01",
            "venue": "University 1",
            "location": "City, Country",
        },
    ),
    ("portfolio", {"title": "Portfolio item number 1", "collection": "portfolio", "excerpt": None}),
    ("post", {}),
    (
        "post",
        {
            "title": "Blog Post number 1",
            "date": "2012-08-14",
            "permalink": "/posts/2012/08/blog-post-1/",
            "tags": ["cool posts"],
        },
    ),
    (
        "post",
        {
            "layout": "single",
            "title": "Draft",
            "header": {"teaser": "a.jpg"},
            "categories": ["Jekyll"],
            "tags": "edge case",
        },
    ),
    ("page", {"title": "Page Not Found", "sitemap": False, "permalink": "/404.html"}),
    (
        "page",
        {
            "title": "",
            "permalink": "/",
            "author_profile": True,
            "redirect_from": ["/about/", "/about.html"],
        },
    ),
    ("page", {"title": "Terms", "modified": "2016-06-06", "redirect_from": "/terms.html"}),
    ("page", {"title": "Old page", "excerpt": "About me"}),
    ("config", CONFIG),
    ("config", {"title": "Minimal"}),
    ("config", _with(CONFIG, collections=["publications", "talks"], gems=["jekyll-feed"])),
    ("config", _with(CONFIG, author={"stackoverflow": 1, "bluesky": "me.bsky.social"})),
    ("config", _with(CONFIG, baseurl="/blog", site_theme=None)),
    (
        "navigation",
        {
            "main": [
                {"title": "Publications", "url": "/publications/"},
                {"title": "GitHub", "url": "https://github.com/x"},
            ]
        },
    ),
    (
        "navigation",
        {
            "main": [],
            "docs": [
                {
                    "title": "Getting Started",
                    "children": [{"title": "Quick-Start", "url": "/docs/quick-start/"}],
                }
            ],
        },
    ),
    ("cv", {}),
    (
        "cv",
        {
            "basics": {"name": "A", "location": {"city": "Earth"}, "profiles": []},
            "education": [
                {"institution": "U", "startDate": "", "endDate": "2018", "gpa": None, "courses": []}
            ],
            "work": [{"company": "C", "startDate": "2019-09", "endDate": "Present"}],
            "publications": [{"name": "P", "releaseDate": "2009-10-01"}],
            "portfolio": [{"name": "I", "date": "", "url": ""}],
        },
    ),
    ("authors", {}),
    (
        "authors",
        {
            "Name Name": {
                "name": "Name Name",
                "uri": "https://name.com",
                "twitter": None,
                "google_plus": "Name",
            }
        },
    ),
]

INVALID: list[tuple[str, Any, str]] = [
    ("publication", _without(PUBLICATION, "date"), "missing date"),
    ("publication", _without(PUBLICATION, "venue"), "missing venue"),
    ("publication", _without(PUBLICATION, "title"), "missing title"),
    ("publication", _with(PUBLICATION, venue=""), "empty venue"),
    ("publication", _with(PUBLICATION, venue=None), "null venue"),
    ("publication", _with(PUBLICATION, title=""), "empty title"),
    ("publication", _with(PUBLICATION, collection="manuscripts"), "wrong collection"),
    ("publication", _with(PUBLICATION, date="14/10/2022"), "non-ISO date"),
    ("publication", _with(PUBLICATION, date=2009), "numeric date"),
    ("publication", _with(PUBLICATION, permalink="publication/x"), "permalink without /"),
    ("publication", _with(PUBLICATION, category=None), "null category"),
    ("publication", _with(PUBLICATION, paperurl=["a"]), "list as url"),
    ("publication", ["not", "a", "mapping"], "not an object"),
    ("talk", {"title": "Talk 1"}, "talk without date"),
    ("talk", {"title": "Talk 1", "date": "2012-03-01", "collection": "talk"}, "collection"),
    ("teaching", {"date": "2014-01-01"}, "teaching without title"),
    ("portfolio", {"excerpt": "x"}, "portfolio without title"),
    ("portfolio", {"title": "x", "collection": "publications"}, "wrong collection"),
    ("post", {"date": "not a date"}, "bad post date"),
    ("post", {"published": "no"}, "published as string"),
    ("page", {"permalink": "/x/"}, "page without title"),
    ("page", {"title": "x", "redirect_from": [1]}, "numeric redirect"),
    ("page", {"title": "x", "sitemap": "false"}, "sitemap as string"),
    ("config", {}, "config without title"),
    ("config", _with(CONFIG, site_theme="dark"), "unknown theme"),
    ("config", _with(CONFIG, publication_category={"books": {}}), "category without title"),
    ("config", _with(CONFIG, plugins="jekyll-feed"), "plugins as string"),
    ("config", _with(CONFIG, defaults=[{"scope": {"path": ""}}]), "default without values"),
    ("config", _with(CONFIG, pagemgr={"severity": {"x": "fatal"}}), "bad severity"),
    ("config", _with(CONFIG, author={"github": ["a"]}), "list as author field"),
    ("config", _with(CONFIG, baseurl="/"), "baseurl with trailing slash"),
    ("navigation", {"main": [{"title": "Publications"}]}, "item with only title"),
    ("navigation", {"main": [{"url": "/publications/"}]}, "item without title"),
    ("navigation", {"main": {"title": "x", "url": "/x/"}}, "main not a list"),
    ("navigation", {"docs": [{"title": "G", "children": [{"title": "no url"}]}]}, "child"),
    ("cv", {"work": [{"startDate": "Sept 2019"}]}, "free-text cv date"),
    ("cv", {"education": [{"startDate": "Present"}]}, "Present as start date"),
    ("cv", {"skills": {"name": "x"}}, "section not a list"),
    ("cv", [], "cv not an object"),
    ("authors", {"Name": "just a string"}, "author entry not a mapping"),
    ("authors", {"Name": {"twitter": ["a"]}}, "list as twitter"),
]


@pytest.mark.parametrize(
    ("name", "instance"), VALID, ids=[f"{n}-{i}" for i, (n, _) in enumerate(VALID)]
)
def test_valid_instances(name: str, instance: Any) -> None:
    errors = [e.message for e in _validator(_load(name)).iter_errors(instance)]
    assert not errors, errors


@pytest.mark.parametrize(
    ("name", "instance", "why"), INVALID, ids=[f"{n}-{w}" for n, _, w in INVALID]
)
def test_invalid_instances(name: str, instance: Any, why: str) -> None:
    errors = list(_validator(_load(name)).iter_errors(instance))
    assert errors, f"{name} schema accepted an instance with {why}"
