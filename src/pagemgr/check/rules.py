"""Every rule pagemgr reports: a stable id, its default severity and one line of what it means.

docs/rules.md documents each id with a bad and a good example; a test keeps the two in step. The
docs ship inside the wheel as pagemgr/docs/, so `pagemgr rules ID` can show a rule's section.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from pagemgr.check.findings import Severity
from pagemgr.check.schemas import packaged_dir
from pagemgr.errors import PagemgrError, UsageError


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    severity: Severity
    summary: str


_RULES = (
    Rule("yaml-syntax", "error", "front matter or data file is not YAML that Jekyll can read"),
    Rule("yaml-too-complex", "error", "nesting or alias expansion beyond what a site needs"),
    Rule("duplicate-key", "warning", "a key appears twice; Jekyll silently keeps the last"),
    Rule("unsafe-tag", "error", "a YAML tag Jekyll's safe loader refuses"),
    Rule("ruby-symbol", "error", "a plain value starting with ':' that Jekyll refuses"),
    # What SafeYAML 1.0.5 (GitHub Pages' Jekyll 3.10, upstream Jekyll) reads unlike Psych.
    Rule("yaml-load-error", "error", "YAML that parses, but that the builder's loader raises on"),
    Rule("null-key", "error", "a null key, which SafeYAML drops: every key after it shifts"),
    Rule("undefined-alias", "warning", "an alias with no anchor: nil on SafeYAML, Psych refuses"),
    Rule("retyped-alias", "warning", "an alias of quoted text, which SafeYAML types again"),
    Rule("inline-merge", "warning", "`<<:` followed by an inline mapping: SafeYAML merges nothing"),
    Rule("merge-overrides", "warning", "`<<:` after keys it overrides on SafeYAML, not on Psych"),
    Rule("ignored-tag", "warning", "a tag SafeYAML ignores: `!!str 2024` is still a number"),
    Rule("builder-difference", "warning", "a value the two builders read differently: `10:30`"),
    Rule("not-a-mapping", "error", "front matter or config is a list or a scalar, not key: value"),
    Rule("encoding", "error", "the file is not UTF-8"),
    Rule("bom-front-matter", "error", "a byte-order mark before '---' hides the front matter"),
    Rule("missing-key", "error", "a key the layouts need is missing"),
    Rule("wrong-type", "error", "a value of the wrong type"),
    Rule("bad-value", "error", "a value outside the allowed set"),
    Rule("bad-format", "error", "a value that does not have the required form"),
    Rule("empty-value", "error", "a required text is empty"),
    Rule("invalid-date", "error", "a date Jekyll cannot parse; the build stops"),
    Rule("schema", "error", "a value the schema does not allow"),
    Rule("unknown-key", "warning", "a key the schema does not know (maybe misspelt)"),
    Rule("unlisted-category", "error", "a publication whose category the publications page skips"),
    Rule("outside-symlink", "warning", "a symlink pointing outside the site; not followed"),
    Rule("unreadable", "error", "the file cannot be read"),
    Rule("internal-error", "error", "pagemgr failed on this file; a crash log was written"),
    # Site-wide rules (pagemgr.site_rules), and YAML that GitHub Pages users keep tripping on.
    Rule("yaml-pitfall", "error", "an unquoted ': ', a leading @ ` % or a tab that breaks YAML"),
    Rule("output-collision", "error", "two sources are written to the same output file"),
    Rule("redirect-collision", "error", "a redirect_from entry overwrites a real page"),
    Rule("date-mismatch", "warning", "date: differs from the date in the file name"),
    Rule(
        "permalink-drift",
        "warning",
        "a permalink that does not follow its file name, unlike its neighbours (copy-paste)",
    ),
    Rule("collection-mismatch", "warning", "collection: names another collection than the folder"),
    Rule("bad-permalink", "error", "a permalink placeholder Jekyll does not know; the build stops"),
    Rule("post-filename", "error", "a post not named YYYY-MM-DD-slug; Jekyll ignores it"),
    Rule("undeclared-collection", "error", "an _folder of documents that is not a collection"),
    Rule("no-front-matter", "error", "a collection document without front matter is not rendered"),
    Rule("future-date", "warning", "a future date while `future: false` hides the page"),
    Rule("unpublished-linked", "error", "the menu links to a page with `published: false`"),
    Rule("broken-nav-link", "error", "a menu url that nothing on the site produces"),
    Rule("broken-file-link", "error", "paperurl, slidesurl or bibtexurl names a missing file"),
    Rule("broken-link", "warning", "a link in a page body to a site page or file that is missing"),
    Rule("page-excerpt", "warning", "excerpt: in a page, which broke GitHub Pages builds"),
    Rule("missing-layout", "error", "a layout that neither _layouts/ nor the theme provides"),
    Rule("unsupported-plugin", "warning", "a plugin GitHub Pages' classic build does not run"),
    Rule("unknown-locale", "warning", "locale is not a key of _data/ui-text.yml"),
    Rule("duplicate-nav-item", "warning", "the same link twice in one menu"),
    Rule("cv-json-stale", "warning", "_data/cv.json publications out of step with _publications/"),
    Rule("bad-suppression", "warning", "a `# pagemgr: ignore[...]` comment names an unknown rule"),
)

RULES: dict[str, Rule] = {rule.id: rule for rule in _RULES}
# Rules whose verdict depends on the builder (docs/yaml-builders.md): a report with one of them
# says which builder pagemgr assumed.
BUILDER_DEPENDENT = frozenset(
    {
        "yaml-load-error",
        "null-key",
        "undefined-alias",
        "retyped-alias",
        "inline-merge",
        "merge-overrides",
        "ignored-tag",
        "builder-difference",
        "ruby-symbol",
        "unsafe-tag",
        "unsupported-plugin",
    }
)


def severity_of(rule_id: str) -> Severity:
    return RULES[rule_id].severity


def closest(name: str) -> str | None:
    """The rule id `name` is most likely a misspelling of, if any."""
    from pagemgr.check.schema_walk import did_you_mean

    return did_you_mean(name, tuple(RULES))


def suggestion(name: str) -> str:
    """' (did you mean 'ID'?)' for a mistyped rule id, or ''."""
    guess = closest(name)
    return f" (did you mean '{guess}'?)" if guess else ""


def docs_dir() -> Path:
    """docs/ inside the installed package, or at the top of a source checkout."""
    return packaged_dir("docs")


def documentation(rule_id: str) -> str:
    """The section of docs/rules.md about `rule_id`: what it means, a bad and a good example."""
    if rule_id not in RULES:
        raise UsageError(
            f"no rule '{rule_id}'{suggestion(rule_id)}; `pagemgr rules` lists them all"
        )
    path = docs_dir() / "rules.md"
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PagemgrError(
            f"{path}: cannot read the rules' documentation: {exc.strerror}"
        ) from None
    found = re.search(rf"^## {re.escape(rule_id)}\n.*?(?=^## |\Z)", text, re.M | re.S)
    if found is None:
        raise PagemgrError(f"{path} has no section '## {rule_id}'")
    return found.group(0).rstrip() + "\n"
