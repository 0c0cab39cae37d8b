"""Output formats, from a registry: each turns a CheckResult into text on a stream."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TextIO

import click

from pagemgr.findings import CheckResult, Finding

Reporter = Callable[[CheckResult, TextIO, bool], None]
JSON_FORMAT_VERSION = 1


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def summary_line(result: CheckResult) -> str:
    return ", ".join(
        (_plural(result.files_checked, "file"), _plural(result.errors, "error"),
         _plural(result.warnings, "warning"))
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
        lines.append(f"  {' ' * len(gutter)} | {' ' * caret_at}" + click.style("^", fg=severity_color))
    if finding.hint:
        lines.append("  " + click.style("hint:", fg="green") + f" {finding.hint}")
    text = "\n".join(lines)
    return text if color else click.unstyle(text)


def report_text(result: CheckResult, out: TextIO, color: bool) -> None:
    for finding in result.sorted_findings():
        out.write(_text_finding(finding, color) + "\n")
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
    out.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")


REPORTERS: dict[str, Reporter] = {"text": report_text, "json": report_json}
FORMAT_NAMES = tuple(REPORTERS)
