"""Per-file checks: read, split, parse as Jekyll does, validate, and say where each problem is.

The checker never prints and never decides an exit code; it returns findings as data.
"""

from __future__ import annotations

import os
import stat
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pagemgr.check import schema_walk, yaml_problems
from pagemgr.check.findings import Finding, Severity
from pagemgr.check.index import site_index
from pagemgr.check.index.records import DataFacts, DocRecord
from pagemgr.check.rules import severity_of
from pagemgr.check.schemas import SchemaSet
from pagemgr.check.templates import (
    HIDDEN,
    PublicationListing,
    TemplateFacts,
    Unreadable,
    site_templates,
)
from pagemgr.check.templates import verdicts as template_verdicts
from pagemgr.site.dates import filename_date
from pagemgr.site.document import parse_document
from pagemgr.site.model import Site, SiteFile
from pagemgr.yaml import pitfalls as yaml_pitfalls
from pagemgr.yaml import yamlio

# Above this size a data file that no schema or rule reads is only parsed, not built: its node
# graph would take some fifty times its size in memory.
LARGE_DATA = 4 * 1024 * 1024


@dataclass
class FileReport:
    """What checking one file gave: its findings, and its data for site-wide rules."""

    item: SiteFile
    findings: list[Finding] = field(default_factory=list)
    data: Any = None
    has_front_matter: bool = False
    record: DocRecord | None = None  # what the site index keeps of a document
    suppressed: frozenset[str] = frozenset()  # rules named in `# pagemgr: ignore[...]`
    facts: DataFacts | None = None  # what the site index keeps of a data file


class Deferred(Exception):
    """Raised instead of explaining a document that is not valid, when `Checker.defer_invalid`
    asks to leave that to another process (the one that has jsonschema loaded)."""


def explainer_loaded() -> bool:
    """Whether this process has jsonschema, which says why a document is not valid."""
    return "jsonschema" in sys.modules


class Checker:
    defer_invalid = False
    deferred = 0  # documents this process left to another one

    def __init__(
        self,
        site: Site,
        schemas: SchemaSet,
        overlay: Mapping[str, str] | None = None,
        use_cache: bool = True,
    ) -> None:
        """`overlay` maps site-relative paths to text that replaces what is on disk."""
        self.site = site
        self.schemas = schemas
        self.overlay = overlay or {}
        self.use_cache = use_cache
        self._templates: TemplateFacts | Unreadable | None = None
        self._keys_read: dict[str, tuple[str, ...]] = {}  # per collection, from the templates

    @property
    def templates(self) -> TemplateFacts | Unreadable:
        """What the site's own templates read (issue 16), or why they could not be read: then
        the rules keep the schema's answers."""
        if self._templates is None:
            self._templates = site_templates(self.site, self.use_cache)
        return self._templates

    def facts_for(self, item: SiteFile) -> TemplateFacts | None:
        """The template facts, when they can judge documents of `item`'s collection."""
        facts = self.templates
        if item.kind != "document" or not isinstance(facts, TemplateFacts):
            return None
        return facts if template_verdicts.covers(facts, item.collection) else None

    def keys_read(self, facts: TemplateFacts, collection: str) -> tuple[str, ...]:
        """Every key some template of the site reads for documents of `collection`."""
        if collection not in self._keys_read:
            self._keys_read[collection] = template_verdicts.keys_read(facts, collection)
        return self._keys_read[collection]

    def check(self, item: SiteFile) -> FileReport:
        report = FileReport(item)
        if item.kind == "outside-link":
            report.findings.append(
                _finding(
                    item,
                    1,
                    1,
                    "outside-symlink",
                    "this symlink points outside the site, "
                    "so pagemgr does not follow it (GitHub Pages does not either)",
                    "copy the file into the site instead of linking to it",
                )
            )
            return report
        text = self._read(item, report)
        if text is None:
            return report
        _FileCheck(self, item, report, text).run()
        return report

    def _read(self, item: SiteFile, report: FileReport) -> str | None:
        if item.rel in self.overlay:
            return self.overlay[item.rel]
        if item.kind == "config" and self.site.config_text is not None:
            return self.site.config_text
        try:
            raw = _read_regular_file(item.location)
            if raw is None:
                report.findings.append(
                    _finding(
                        item,
                        1,
                        1,
                        "unreadable",
                        "this is not a regular file (a folder, "
                        "a pipe or a device), so Jekyll cannot read it",
                        "replace it with an ordinary file, or remove it",
                    )
                )
                return None
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            report.findings.append(
                _finding(
                    item,
                    1,
                    1,
                    "unreadable",
                    f"cannot read this file: {reason}",
                    "check that it is a regular file you may read",
                )
            )
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw.count(b"\n", 0, exc.start) + 1
            column = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
            report.findings.append(
                _finding(
                    item,
                    line,
                    column,
                    "encoding",
                    f"this file is not UTF-8 (byte 0x{raw[exc.start]:02x})",
                    "save it as UTF-8 in your editor; Jekyll reads every file as UTF-8",
                )
            )
            return None


# Opening without blocking: a pipe with no writer must not hang the run; it is refused below.
_OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)


def _read_regular_file(location: str) -> bytes | None:
    """The bytes of the file, or None when it is not a regular file (a folder, a pipe...)."""
    fd = os.open(location, _OPEN_FLAGS)
    try:
        status = os.fstat(fd)
        if not stat.S_ISREG(status.st_mode):
            return None
        raw = os.read(fd, status.st_size + 1)
        if len(raw) == status.st_size:
            return raw
        parts = [raw]  # it changed since fstat, or is too big for one read: read on to its end
        while part := os.read(fd, 1 << 20):
            parts.append(part)
        return b"".join(parts)
    finally:
        os.close(fd)


class _FileCheck:
    def __init__(self, checker: Checker, item: SiteFile, report: FileReport, text: str) -> None:
        self.checker = checker
        self.item = item
        self.report = report
        self.text = text
        self.lines: list[str] | None = None
        self.node: Any = None
        self.opener = (0, 0)
        self.body_start = 0

    def run(self) -> None:
        if self.item.kind == "document":
            self.run_document()
        elif self.item.kind in ("data", "config"):
            self.run_data()
        self.index_hook()

    def index_hook(self) -> None:
        """Keep what the site index needs while the YAML node is still alive."""
        report, site = self.report, self.checker.site
        head = self.text[: self.body_start] if self.item.kind == "document" else self.text
        report.suppressed = site_index.suppressed_rules(head)
        report.record = site_index.record_of(
            site,
            self.item,
            report.has_front_matter,
            report.data,
            self.node,
            self.text,
            self.body_start,
        )
        if self.item.kind == "data":
            report.facts = site_index.data_facts(self.item, report.data, self.node)

    def run_document(self) -> None:
        document = parse_document(self.text)
        if not document.has_front_matter:  # its opener is Jekyll's has_yaml_header?
            return
        self.text = document.text
        self.body_start = document.front_matter_end
        self.report.has_front_matter = True
        if document.bom:
            self.add(
                0,
                0,
                "bom-front-matter",
                "the file starts with a byte-order mark, so Jekyll does not see its front "
                "matter and copies it as a static file",
                "save the file as UTF-8 without BOM",
            )
        loaded = self.load(document.front_matter)
        if loaded is None:
            return
        data = {} if loaded.data is None else loaded.data
        if not isinstance(data, dict):
            self.add(
                1,
                0,
                "not-a-mapping",
                f"front matter is a {_kind(data)}, but Jekyll needs key: value pairs",
                "write one `key: value` per line between the --- lines",
            )
            return
        self.validate(data)

    def run_data(self) -> None:
        text = self.text.removeprefix("\ufeff")
        self.text = text
        if self.item.kind == "config" and self.checker.site.config_error is not None:
            self.report_syntax(self.checker.site.config_error)
            return
        load_error = self.checker.site.config_load_error
        if self.item.kind == "config" and load_error is not None:
            found = yaml_problems.load_error_finding(load_error, self.checker.site, self.item)
            self.add(load_error.line, load_error.column, *found)
            return
        if len(text) > LARGE_DATA and self.item.kind == "data" and not self.described():
            self.scan_only(text)
            return
        loaded = self.load(text)
        if loaded is None:
            return
        if self.item.kind == "config" and not isinstance(loaded.data, dict | None):
            self.add(
                0,
                0,
                "not-a-mapping",
                "_config.yml must be a mapping of settings",
                "write one `key: value` per line",
            )
            return
        self.validate({} if loaded.data is None and self.item.kind == "config" else loaded.data)

    def described(self) -> bool:
        """Whether a schema or a site-wide rule reads this data file's values."""
        key = self.item.schema_key
        return self.checker.schemas.schema_for(key) is not None or key in site_index.FACT_FILES

    def scan_only(self, text: str) -> None:
        """A large data file nothing reads the values of: check that Jekyll can parse it."""
        try:
            yamlio.scan(text)
        except yamlio.YamlSyntaxError as exc:
            self.report_syntax(exc)

    def load(self, text: str) -> yamlio.Loaded | None:
        loaded: yamlio.Loaded | None
        if self.item.kind == "config" and self.checker.site.config_loaded is not None:
            loaded = self.checker.site.config_loaded
        else:
            try:
                loaded = yamlio.load(text, self.checker.site.yaml_rules)
            except yamlio.YamlSyntaxError as exc:
                self.report_syntax(exc)
                return None
            except yamlio.SafeYamlError as exc:
                found = yaml_problems.load_error_finding(exc, self.checker.site, self.item)
                self.add(exc.line, exc.column, *found)
                return None
        self.node = loaded.node
        if loaded.node is not None:
            self.opener = yamlio.start_of(loaded.node)
        builder = self.checker.site.builder.builder
        for problem in loaded.problems:
            found = yaml_problems.problem_finding(problem, builder)
            self.add(problem.line, problem.column, *found)
        if self.item.kind != "config":
            rules = self.checker.site.yaml_rules
            for (line, column), rule, message, hint in yaml_problems.builder_differences(
                text, loaded, rules, builder
            ):
                self.add(line, column, rule, message, hint)
        return loaded

    def report_syntax(self, exc: yamlio.YamlSyntaxError) -> None:
        too_complex = "nesting deeper" in exc.message or "alias bomb" in exc.message
        pitfall = None if too_complex else yaml_pitfalls.explain(self.text.splitlines(), exc.line)
        if pitfall is not None:
            self.add(exc.line, exc.column, "yaml-pitfall", *pitfall)
            return
        self.add(
            exc.line,
            exc.column,
            "yaml-too-complex" if too_complex else "yaml-syntax",
            exc.message if too_complex else f"YAML error: {exc.message}",
            "Jekyll would drop this file or stop the build; quote values that contain ': ', "
            "' #', or start with a special character",
        )

    def validate(self, data: Any) -> None:
        schemas = self.checker.schemas
        key = self.item.schema_key
        self.report.data = data
        schema = schemas.schema_for(key)
        if schema is not None:
            seen: set[tuple[Any, ...]] = set()
            valid = schemas.predicate_for(key)
            if valid is None or not valid(data):
                if valid is not None and self.checker.defer_invalid and not explainer_loaded():
                    raise Deferred
                for error in schemas.validator_for(key).iter_errors(data):
                    self.schema_error(schema, error, seen)
            for path, unknown in schema_walk.unknown_keys(schema, data):
                self.unknown_key(schema, path, unknown)
        if self.item.collection == "publications" and isinstance(data, dict):
            self.check_category(data)

    def schema_error(self, schema: dict[str, Any], error: Any, seen: set[tuple[Any, ...]]) -> None:
        if error.context:
            from jsonschema.exceptions import best_match

            error = best_match(error.context)
        path = list(error.absolute_path)
        if error.validator == "required":
            instance = error.instance if isinstance(error.instance, dict) else {}
            for name in error.validator_value:
                if name in instance or (tuple(path), name) in seen:
                    continue
                seen.add((tuple(path), name))
                self.missing_key(schema, path, name)
            return
        rule, message = _describe(error, path)
        sub = schema_walk.at(schema, path)
        line, column = yamlio.locate(self.node, path)
        self.add(line, column, rule, message, _hint(sub))

    def missing_key(self, schema: dict[str, Any], path: list[Any], name: str) -> None:
        sub = schema_walk.at(schema, [*path, name])
        example = self.named_date(path, name) or schema_walk.example_of(sub)
        where = " in " + _dotted(path) if path else ""
        hint = f"add `{name}: {example}`" if example else f"add `{name}:`"
        if sub.get("description"):
            hint += f" ({sub['description']})"
        line, column = yamlio.locate(self.node, path) if path else self.opener_position()
        message = f"missing required key '{name}'{where}"
        facts = None if path else self.checker.facts_for(self.item)
        if facts is None:
            self.add(line, column, "missing-key", message, hint)
            return
        verdict = template_verdicts.missing_key(facts, self.document(), name)
        if verdict is not None:
            base = f"add `{name}: {example}`" if example else f"add `{name}:`"
            hint = f"{base}; {verdict.explanation}"
            self.add(line, column, "missing-key", message, hint, verdict.severity)

    def document(self) -> template_verdicts.Document:
        """What the template verdicts need of this document."""
        data = self.report.data if isinstance(self.report.data, dict) else {}
        layout = data.get("layout") if "layout" in data else None
        return template_verdicts.Document(
            str(self.item.collection),
            None if "layout" not in data else (str(layout) if layout is not None else ""),
            frozenset(str(key) for key in data),
            os.path.splitext(os.path.basename(self.item.rel))[0],
        )

    def named_date(self, path: list[Any], name: str) -> str:
        """For a document's missing `date`, the date its file name gives, if any."""
        if path or name != "date" or self.item.kind != "document":
            return ""
        named = filename_date(os.path.splitext(os.path.basename(self.item.rel))[0])
        return named.isoformat() if named is not None else ""

    def opener_position(self) -> tuple[int, int]:
        return (0, 0) if self.item.kind == "document" else self.opener

    def unknown_key(self, schema: dict[str, Any], path: list[Any], key: str) -> None:
        known = schema_walk.known_keys(schema_walk.at(schema, path)) or ()
        facts = None if path else self.checker.facts_for(self.item)
        read = self.checker.keys_read(facts, str(self.item.collection)) if facts else ()
        if str(key) in read:
            return  # a template of this site reads it
        guess = schema_walk.did_you_mean(str(key), read) or schema_walk.did_you_mean(
            str(key), known
        )
        where = f" in {_dotted(path)}" if path else ""
        message = f"unknown key '{key}'{where}"
        own = (
            "a key of your own is fine; no template of this site reads it, so it shows nowhere"
            if facts
            else "a key of your own is fine; the site's layouts will ignore it unless they use it"
        )
        hint = f"did you mean '{guess}'?" if guess else own
        line, column = yamlio.locate_key(self.node, path, str(key))
        self.add(
            line,
            column,
            "unknown-key",
            message + (f" (did you mean '{guess}'?)" if guess else ""),
            hint,
        )

    def check_category(self, data: dict[str, Any]) -> None:
        categories = self.checker.site.publication_categories
        value = data.get("category")
        facts = self.checker.facts_for(self.item)
        if facts is not None and not isinstance(facts.publications, Unreadable):
            if value is None or categories is None or str(value) not in categories:
                self.category_on_page(facts, categories, value)
            return
        if categories is None:
            return
        if value is not None and str(value) in categories:
            return
        names = ", ".join(str(name) for name in categories)
        if value is None:
            line, column = self.opener_position()
            self.add(
                line,
                column,
                "unlisted-category",
                "no 'category': the publications page lists only the categories in "
                "_config.yml publication_category, so this paper is not shown",
                f"add `category: {next(iter(categories))}` (one of: {names})",
            )
        else:
            line, column = yamlio.locate(self.node, ["category"])
            self.add(
                line,
                column,
                "unlisted-category",
                f"category '{value}' is not in _config.yml publication_category, so the "
                "publications page does not show this paper",
                f"use one of: {names}, or add '{value}' to publication_category",
            )

    def category_on_page(
        self, facts: TemplateFacts, categories: dict[str, Any] | None, value: Any
    ) -> None:
        """The category as the site's own publications page treats it (none: nothing to say)."""
        listing = facts.publications
        if not isinstance(listing, PublicationListing):
            return
        category = None if value is None else str(value)
        verdict = template_verdicts.category(listing, category, categories is not None)
        if categories is None and verdict.shown_under is not HIDDEN:
            return  # without publication_category, only a page that hides it is a fault
        names = [str(name) for name in categories] if categories else []
        names = names or template_verdicts.shown_categories(listing)
        if category is None:
            line, column = self.opener_position()
            hint = f"add `category: {names[0]}` (one of: {', '.join(names)})" if names else ""
        else:
            line, column = yamlio.locate(self.node, ["category"])
            listed = f"use one of: {', '.join(names)}" if names else ""
            added = f"add '{category}' to publication_category" if categories is not None else ""
            hint = ", or ".join(part for part in (listed, added) if part)
        if category is None and verdict.shown_under is not HIDDEN:
            hint = hint and hint + " to list it under that category's heading"
        self.add(line, column, "unlisted-category", verdict.message, hint, verdict.severity)

    def add(
        self,
        line: int,
        column: int,
        rule: str,
        message: str,
        hint: str,
        severity: Severity | None = None,
    ) -> None:
        if self.lines is None:
            self.lines = self.text.splitlines()
        source = self.lines[line] if 0 <= line < len(self.lines) else ""
        self.report.findings.append(
            Finding(
                self.item.rel,
                line + 1,
                column + 1,
                severity or severity_of(rule),
                rule,
                message,
                hint,
                source[:400],
            )
        )


def _finding(item: SiteFile, line: int, column: int, rule: str, message: str, hint: str) -> Finding:
    return Finding(item.rel, line, column, severity_of(rule), rule, message, hint)


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "list"
    if isinstance(value, str):
        return "plain text"
    return type(value).__name__


def _dotted(path: Sequence[Any]) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(top level)"


def _short(value: Any) -> str:
    text = repr(value) if not isinstance(value, str) else "'" + value + "'"
    return text if len(text) <= 60 else text[:57] + "...'"


_TYPE_WORDS = {
    "string": "text",
    "integer": "a whole number",
    "number": "a number",
    "boolean": "true or false",
    "array": "a list",
    "object": "key: value pairs",
    "null": "empty",
}


def _describe(error: Any, path: list[Any]) -> tuple[str, str]:
    name = _dotted(path) if path else "the file"
    value = error.instance
    keyword = error.validator
    if keyword == "type":
        expected = error.validator_value
        types = [str(t) for t in (expected if isinstance(expected, list) else [expected])]
        words = " or ".join(_TYPE_WORDS.get(t, t) for t in types)
        actual = _TYPE_WORDS[_json_type(value)]
        return "wrong-type", f"{name} should be {words}, not {actual} ({_short(value)})"
    if keyword == "enum":
        allowed = ", ".join(str(v) for v in error.validator_value)
        return "bad-value", f"{name} is {_short(value)}; allowed: {allowed}"
    if keyword == "const":
        return "bad-value", f"{name} is {_short(value)}; it must be {error.validator_value!r}"
    if keyword == "format" and error.validator_value == "jekyll-date":
        return "invalid-date", (
            f"{name} {_short(value)} is not a date Jekyll can read; "
            "the build stops with 'Invalid date'"
        )
    if keyword in ("format", "pattern"):
        what = error.validator_value
        return "bad-format", f"{name} {_short(value)} does not have the required form ({what})"
    if keyword == "minLength" and isinstance(value, str) and not value.strip():
        return "empty-value", f"{name} is empty"
    message = error.message if len(error.message) <= 200 else error.message[:197] + "..."
    return "schema", f"{name}: {message}"


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _hint(sub: dict[str, Any]) -> str:
    description = str(sub.get("description", ""))
    example = schema_walk.example_of(sub)
    if description and example:
        return f"{description} (e.g. {example})"
    return description or (f"e.g. {example}" if example else "")
