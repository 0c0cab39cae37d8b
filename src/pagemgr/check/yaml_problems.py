"""YAML problems as findings: the rule of each problem kind, its hint, and the builder it is about.

Psych's reading (Debian's Jekyll 4.3) reports `symbol`, `unsafe-tag` and `duplicate-key`;
SafeYAML's (GitHub Pages' Jekyll 3.10, upstream Jekyll) reports `duplicate-key` and what it reads
differently from Psych or drops (pagemgr.yaml.safe_yaml), and raises where Psych does not. A
finding about something only one builder does names that builder (docs/yaml-builders.md).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from pagemgr.site.builder import (
    Builder,
    Outcome,
    load_error_outcome,
)
from pagemgr.site.model import Site, SiteFile
from pagemgr.yaml import safe_yaml, yamlio

BUILDER_NAMES: dict[Builder, str] = {
    "github-pages": f"GitHub Pages (Jekyll 3.10, SafeYAML {safe_yaml.SAFE_YAML_VERSION})",
    "jekyll": f"upstream Jekyll (SafeYAML {safe_yaml.SAFE_YAML_VERSION})",
    "debian-psych": "Debian's Jekyll 4.3 (Psych)",
}

# problem kind -> (rule id, hint)
_RULES: dict[str, tuple[str, str]] = {
    "duplicate-key": (
        "duplicate-key",
        "remove one of the two; Jekyll uses the last one silently",
    ),
    "unsafe-tag": ("unsafe-tag", "remove the tag and write a plain value"),
    "symbol": ("ruby-symbol", "quote the value: 'like this'"),
    safe_yaml.NULL_KEY: (
        "null-key",
        "give the key a name, or quote it ('null': ...); the keys after it are read shifted",
    ),
    safe_yaml.UNDEFINED_ALIAS: (
        "undefined-alias",
        "define the anchor (&name) before the alias, or write the value itself",
    ),
    safe_yaml.RETYPED_ALIAS: (
        "retyped-alias",
        "write the quoted value itself instead of the alias",
    ),
    safe_yaml.INLINE_MERGE: (
        "inline-merge",
        "define the mapping with an anchor (&name) elsewhere and merge it with <<: *name",
    ),
    safe_yaml.MERGE_OVERRIDES: (
        "merge-overrides",
        "put `<<:` first in the mapping, so that the keys written after it win everywhere",
    ),
    safe_yaml.IGNORED_TAG: (
        "ignored-tag",
        "remove the tag and quote the value if it must stay text: '2024'",
    ),
}
_SAFE_YAML_ONLY = frozenset(
    {
        safe_yaml.NULL_KEY,
        safe_yaml.UNDEFINED_ALIAS,
        safe_yaml.RETYPED_ALIAS,
        safe_yaml.INLINE_MERGE,
        safe_yaml.MERGE_OVERRIDES,
        safe_yaml.IGNORED_TAG,
    }
)
_OUTCOMES: dict[Outcome, str] = {
    "front-matter-dropped": "Jekyll builds this page without its front matter",
    "build-fails": "the build stops",
    "config-ignored": "Jekyll ignores _config.yml and builds with its defaults",
}


def problem_finding(problem: yamlio.Problem, builder: Builder) -> tuple[str, str, str]:
    """The rule, message and hint of a YAML problem, read under `builder`'s rules."""
    rule, hint = _RULES[problem.kind]
    message = problem.message
    if problem.kind in _SAFE_YAML_ONLY:
        message = f"{message} [{BUILDER_NAMES[builder]}]"
    return rule, message, hint


def load_error_finding(
    exc: safe_yaml.SafeYamlError, site: Site, item: SiteFile
) -> tuple[str, str, str]:
    """The rule, message and hint of a file SafeYAML raises on though it parses."""
    strict = site.config.get("strict_front_matter") is True
    outcome = load_error_outcome(item.kind, item.collection, exc.ruby_class, strict)
    message = (
        f"{BUILDER_NAMES[site.builder.builder]} cannot load this YAML ({exc.ruby_class}: "
        f"{exc.message}): {_OUTCOMES[outcome]}"
    )
    hint = (
        "merge one mapping per `<<:` (<<: *a), not a list"
        if exc.ruby_class == "TypeError"
        else "write the number plainly (1.5) or quote it"
    )
    return "yaml-load-error", message, hint


# What SafeYAML reads as a number, or as text that looks like one (`-010`, `2024-5-1`, `:foo`),
# may read otherwise on Psych (docs/yaml-builders.md); only such a document is read again.
_NUMBER_LIKE_START = frozenset("0123456789+-.:")
_LONGEST_NUMBER_LIKE = 40
_MOST_DIFFERENCES = 3


def builder_differences(
    text: str, loaded: yamlio.Loaded, rules: yamlio.Rules, builder: Builder
) -> Iterator[tuple[tuple[int, int], str, str, str]]:
    """Where Psych reads a value of `text` differently: (0-based line and column,
    rule, message, hint), at most a few; nothing when the other builder cannot read it at all.
    Only for a site read with SafeYAML's rules: what pagemgr shows beside them is Psych's reading,
    the one Debian's Jekyll (and a reader who expects YAML to mean what it says) gives."""
    if rules != "safe_yaml" or loaded.psych_alike:
        return
    if not _may_differ(loaded.data) or any(p.kind != "duplicate-key" for p in loaded.problems):
        return  # nothing that reads differently, or a problem already says what does
    try:
        other = yamlio.load(text, "psych")
    except (yamlio.YamlSyntaxError, yamlio.SafeYamlError):
        return
    other_name = BUILDER_NAMES["debian-psych"]
    for number, (path, ours, theirs) in enumerate(_differing(loaded.data, other.data, ())):
        if number == _MOST_DIFFERENCES:
            return
        where = ".".join(str(part) for part in path) or "the document"
        message = (
            f"`{where}` reads as {_shown(ours)} on {BUILDER_NAMES[builder]} but as "
            f"{_shown(theirs)} on {other_name}"
        )
        hint = "quote the value ('like this') if it is text, so every builder reads it alike"
        yield yamlio.locate(loaded.node, path), "builder-difference", message, hint


def _may_differ(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_may_differ(item) for item in value.values())
    if isinstance(value, list):
        return any(_may_differ(item) for item in value)
    if isinstance(value, yamlio.JekyllDate):
        return False  # a date both builders read alike (unpadded ones stay text on SafeYAML)
    if isinstance(value, str):
        return 0 < len(value) <= _LONGEST_NUMBER_LIKE and value[0] in _NUMBER_LIKE_START
    return isinstance(value, int | float) and not isinstance(value, bool)


def _differing(
    ours: Any, theirs: Any, path: tuple[str | int, ...]
) -> Iterator[tuple[Sequence[str | int], Any, Any]]:
    if isinstance(ours, dict) and isinstance(theirs, dict) and list(ours) == list(theirs):
        for key in ours:
            yield from _differing(ours[key], theirs[key], (*path, str(key)))
    elif isinstance(ours, list) and isinstance(theirs, list) and len(ours) == len(theirs):
        for index, (mine, other) in enumerate(zip(ours, theirs, strict=True)):
            yield from _differing(mine, other, (*path, index))
    elif type(ours) is not type(theirs) or not _same(ours, theirs):
        yield path, ours, theirs


def _same(ours: Any, theirs: Any) -> bool:
    return bool(ours == theirs) or (ours != ours and theirs != theirs)  # NaN reads as NaN


def _shown(value: Any) -> str:
    if isinstance(value, str):
        return f"the text {value!r}"
    if value is None:
        return "nothing (nil)"
    if isinstance(value, dict | list):
        return f"a {'mapping' if isinstance(value, dict) else 'list'} of {len(value)}"
    return f"{type(value).__name__} {value!r}"
