"""YAML problems as findings: the rule of each problem kind, its hint, and the builder it is about.

Psych's reading (Debian's Jekyll 4.3) reports `symbol`, `unsafe-tag` and `duplicate-key`;
SafeYAML's (GitHub Pages' Jekyll 3.10, upstream Jekyll) reports `duplicate-key` and what it reads
differently from Psych or drops (pagemgr.yaml.safe_yaml), and raises where Psych does not. A
finding about something only one builder does names that builder (docs/yaml-builders.md).
"""

from __future__ import annotations

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
