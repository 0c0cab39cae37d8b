"""What a check finds, as data: reporters print it, the command decides the exit code."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Finding:
    path: str  # relative to the site root, posix
    line: int  # 1-based
    column: int  # 1-based
    severity: Severity
    rule: str
    message: str
    hint: str = ""
    source: str = ""  # the text of the line, for reporters that quote it

    def __reduce__(self) -> tuple[type[Finding], tuple[Any, ...]]:
        return (
            Finding,
            (
                self.path,
                self.line,
                self.column,
                self.severity,
                self.rule,
                self.message,
                self.hint,
                self.source,
            ),
        )

    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.path, self.line, self.column, self.rule)


@dataclass
class CheckResult:
    files_checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    root: Path | None = None  # the site's folder, for reporters that name files from the repo
    # Why the rules that follow the site's own templates fell back to the schema's answers: the
    # templates could not be read (issue 16). None: they were read, or nobody asked.
    templates_unreadable: str | None = None
    # The builder the site was read as (site.builder), and why pagemgr assumed it.
    builder: str | None = None
    builder_reason: str | None = None

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f.severity == "error")

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.severity == "warning")

    def sorted_findings(self) -> list[Finding]:
        return sorted(self.findings, key=Finding.sort_key)


def not_in(
    findings: Iterable[Finding],
    before: Iterable[Finding],
    identity: Callable[[Finding], Hashable],
) -> list[Finding]:
    """The findings that `before` has no match for, each match used once; what makes two
    findings the same is `identity` (an edit moves lines, so positions seldom count)."""
    seen = Counter(identity(f) for f in before)
    added = []
    for finding in findings:
        key = identity(finding)
        if seen[key]:
            seen[key] -= 1
        else:
            added.append(finding)
    return added
