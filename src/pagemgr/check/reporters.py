"""Output formats, from a registry: each turns a CheckResult into text on a stream."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

import click

from pagemgr import __version__
from pagemgr.check.findings import CheckResult, Finding
from pagemgr.check.rules import BUILDER_DEPENDENT, RULES

Reporter = Callable[[CheckResult, TextIO, bool], None]
JSON_FORMAT_VERSION = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    return ", ".join(
        (
            _plural(result.files_checked, "file"),
            _plural(result.errors, "error"),
            _plural(result.warnings, "warning"),
        )
    )


def _text_finding(finding: Finding, color: bool) -> str:
    severity_color = "red" if finding.severity == "error" else "yellow"
    head = (
        click.style(f"{finding.path}:{finding.line}:{finding.column}", bold=True)
        + ": "
        + click.style(finding.severity, fg=severity_color, bold=True)
        + f": {finding.message} "
        + click.style(f"[{finding.rule}]", fg="cyan")
    )
    lines = [head]
    if finding.source:
        gutter = str(finding.line)
        source = finding.source.replace("\t", " ")
        lines.append(f"  {gutter} | {source}")
        caret_at = min(finding.column - 1, len(source))
        lines.append(
            f"  {' ' * len(gutter)} | {' ' * caret_at}" + click.style("^", fg=severity_color)
        )
    if finding.hint:
        lines.append("  " + click.style("hint:", fg="green") + f" {finding.hint}")
    text = "\n".join(lines)
    return text if color else click.unstyle(text)


TEMPLATE_DEPENDENT = frozenset({"missing-key", "unknown-key", "unlisted-category"})


def fallback_line(result: CheckResult) -> str | None:
    """The one line that says the rules could not follow the site's own templates, when a
    finding depends on them."""
    if result.templates_unreadable is None or not any(
        f.rule in TEMPLATE_DEPENDENT for f in result.findings
    ):
        return None
    return (
        f"info: {result.templates_unreadable}, so missing-key, unknown-key and "
        "unlisted-category follow the academicpages template"
    )


def builder_line(result: CheckResult) -> str | None:
    """The one line that says which builder the site was read as, when a finding depends on it."""
    if result.builder is None or not any(f.rule in BUILDER_DEPENDENT for f in result.findings):
        return None
    return f"info: read as the {result.builder} builder reads it ({result.builder_reason})"


def report_text(result: CheckResult, out: TextIO, color: bool) -> None:
    for finding in result.sorted_findings():
        out.write(_text_finding(finding, color) + "\n")
    for note in (builder_line(result), fallback_line(result)):
        if note is not None:
            out.write((click.style(note, fg="blue") if color else note) + "\n")
    out.write(summary_line(result) + "\n")


def finding_as_dict(finding: Finding) -> dict[str, object]:
    return {
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "severity": finding.severity,
        "rule": finding.rule,
        "message": finding.message,
        "hint": finding.hint,
    }


def report_json(result: CheckResult, out: TextIO, color: bool) -> None:
    document = {
        "version": JSON_FORMAT_VERSION,
        "summary": {
            "files": result.files_checked,
            "errors": result.errors,
            "warnings": result.warnings,
        },
        "findings": [finding_as_dict(f) for f in result.sorted_findings()],
    }
    if result.templates_unreadable is not None:
        document["templates_unreadable"] = result.templates_unreadable
    if result.builder is not None:
        document["builder"] = {"name": result.builder, "reason": result.builder_reason}
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


def repo_path(result: CheckResult, path: str) -> str:
    """`path` (relative to the site) relative to the working folder, as CI tools expect it."""
    if result.root is None:
        return path
    full = result.root / path
    try:
        return full.relative_to(Path.cwd()).as_posix()
    except ValueError:
        return os.path.relpath(full) if os.path.isabs(full) else path


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def github_line(result: CheckResult, finding: Finding) -> str:
    """One GitHub Actions workflow command that annotates the finding's line."""
    properties = ",".join(
        (
            f"file={_escape_property(repo_path(result, finding.path))}",
            f"line={finding.line}",
            f"col={finding.column}",
            f"title={_escape_property(finding.rule)}",
        )
    )
    message = finding.message + (f"\nhint: {finding.hint}" if finding.hint else "")
    return f"::{finding.severity} {properties}::{_escape_data(message)}"


def report_github(result: CheckResult, out: TextIO, color: bool) -> None:
    for finding in result.sorted_findings():
        out.write(github_line(result, finding) + "\n")
    for note in (builder_line(result), fallback_line(result)):
        if note is not None:  # a notice on the run, not on a line
            out.write(f"::notice::{_escape_data(note.removeprefix('info: '))}\n")
    out.write(summary_line(result) + "\n")


SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def _run_properties(result: CheckResult) -> dict[str, object]:
    """The builder the site was read as, and why the rules that follow the site's templates
    could not (when they could not), in the run's property bag (SARIF 2.1.0 3.8)."""
    bag: dict[str, object] = {}
    if result.builder is not None:
        bag.update(builder=result.builder, builderReason=result.builder_reason)
    if result.templates_unreadable is not None:
        bag["templatesUnreadable"] = result.templates_unreadable
    return {"properties": bag} if bag else {}


def sarif_document(result: CheckResult) -> dict[str, object]:
    """The findings as a SARIF 2.1.0 log, with one rule entry per rule id pagemgr has."""
    ids = list(RULES)
    rules = [
        {
            "id": rule.id,
            "name": rule.id,
            "shortDescription": {"text": rule.summary},
            "defaultConfiguration": {"level": rule.severity},
        }
        for rule in RULES.values()
    ]
    results = []
    for finding in result.sorted_findings():
        text = finding.message + (f" (hint: {finding.hint})" if finding.hint else "")
        results.append(
            {
                "ruleId": finding.rule,
                "ruleIndex": ids.index(finding.rule) if finding.rule in RULES else -1,
                "level": finding.severity,
                "message": {"text": text},
                "locations": [
                    {
                        "physicalLocation": {
                            "artifactLocation": {"uri": repo_path(result, finding.path)},
                            "region": {"startLine": finding.line, "startColumn": finding.column},
                        }
                    }
                ],
            }
        )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "pagemgr",
                        "version": __version__,
                        "rules": rules,
                    }
                },
                "columnKind": "unicodeCodePoints",
                "results": results,
                **_run_properties(result),
            }
        ],
    }


def report_sarif(result: CheckResult, out: TextIO, color: bool) -> None:
    out.write(json.dumps(sarif_document(result), indent=2, ensure_ascii=False) + "\n")


REPORTERS: dict[str, Reporter] = {
    "text": report_text,
    "json": report_json,
    "github": report_github,
    "sarif": report_sarif,
}
FORMAT_NAMES = tuple(REPORTERS)
