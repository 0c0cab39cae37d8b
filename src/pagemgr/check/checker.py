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
from pagemgr.check.findings import Finding
from pagemgr.check.index import site_index
from pagemgr.check.index.records import DataFacts, DocRecord
from pagemgr.check.rules import severity_of
from pagemgr.check.schemas import SchemaSet
from pagemgr.check.template_findings import (
    OWN_KEY,
    Asked,
    Question,
    missing_key_hint,
    unknown_key_finding,
)
from pagemgr.check.templates.verdicts import Document
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
    questions: list[Question] = field(default_factory=list)  # findings the templates decide


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
    ) -> None:
        """`overlay` maps site-relative paths to text that replaces what is on disk."""
        self.site = site
        self.schemas = schemas
        self.overlay = overlay or {}
        self.yaml_rules = site.yaml_rules  # asked for every file
        self.builder = site.builder.builder

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
                loaded = yamlio.load(text, self.checker.yaml_rules)
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
        builder = self.checker.builder
        for problem in loaded.problems:
            found = yaml_problems.problem_finding(problem, builder)
            self.add(problem.line, problem.column, *found)
        if self.item.kind != "config":
            rules = self.checker.yaml_rules
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
        hint = missing_key_hint(name, example)
        if sub.get("description"):
            hint += f" ({sub['description']})"
        line, column = yamlio.locate(self.node, path) if path else self.opener_position()
        message = f"missing required key '{name}'{where}"
        draft = self.finding(line, column, "missing-key", message, hint)
        if path or self.item.kind != "document":
            self.report.findings.append(draft)
        else:
            self.ask("missing-key", draft, name, example=example)

    def ask(
        self,
        asked: Asked,
        draft: Finding,
        key: str | None,
        stands: bool = True,
        example: str = "",
        known: tuple[str, ...] = (),
    ) -> None:
        """Leave the finding to the site's templates (see `template_findings`)."""
        question = Question(asked, draft, stands, self.document(), key, example, known)
        self.report.questions.append(question)

    def document(self) -> Document:
        """What the template verdicts need of this document."""
        data = self.report.data if isinstance(self.report.data, dict) else {}
        layout = data.get("layout") if "layout" in data else None
        return Document(
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
        known = tuple(schema_walk.known_keys(schema_walk.at(schema, path)) or ())
        where = f" in {_dotted(path)}" if path else ""
        line, column = yamlio.locate_key(self.node, path, str(key))
        place = self.finding(line, column, "unknown-key", "", "")
        draft = unknown_key_finding(place, str(key), (), known, OWN_KEY, where)
        if path or self.item.kind != "document":
            self.report.findings.append(draft)
        else:
            self.ask("unknown-key", draft, str(key), known=known)

    def check_category(self, data: dict[str, Any]) -> None:
        categories = self.checker.site.publication_categories
        value = data.get("category")
        if categories is not None and value is not None and str(value) in categories:
            return
        names = [str(name) for name in categories] if categories else []
        if value is None:
            line, column = self.opener_position()
            message = (
                "no 'category': the publications page lists only the categories in "
                "_config.yml publication_category, so this paper is not shown"
            )
            hint = f"add `category: {names[0]}` (one of: {', '.join(names)})" if names else ""
        else:
            line, column = yamlio.locate(self.node, ["category"])
            message = (
                f"category '{value}' is not in _config.yml publication_category, so the "
                "publications page does not show this paper"
            )
            hint = f"use one of: {', '.join(names)}, or add '{value}' to publication_category"
        draft = self.finding(line, column, "unlisted-category", message, hint)
        category = None if value is None else str(value)
        self.ask(
            "unlisted-category", draft, category, stands=categories is not None, known=tuple(names)
        )

    def add(self, line: int, column: int, rule: str, message: str, hint: str) -> None:
        self.report.findings.append(self.finding(line, column, rule, message, hint))

    def finding(self, line: int, column: int, rule: str, message: str, hint: str) -> Finding:
        """A finding at 0-based `line` and `column` of this file, quoting that line."""
        if self.lines is None:
            self.lines = self.text.splitlines()
        source = self.lines[line] if 0 <= line < len(self.lines) else ""
        return Finding(
            self.item.rel,
            line + 1,
            column + 1,
            severity_of(rule),
            rule,
            message,
            hint,
            source[:400],
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
