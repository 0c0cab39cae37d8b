"""Which findings a run keeps, and at what severity: --select/--ignore, the `pagemgr:` block of
_config.yml (`severity:`, `ignore:`), and `# pagemgr: ignore[RULE]` comments in a file.
"""

from __future__ import annotations

import dataclasses
import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from pagemgr.check.findings import Finding, Severity
from pagemgr.check.rules import RULES, closest, severity_of, suggestion
from pagemgr.errors import UsageError
from pagemgr.site.model import Site

LEVELS = ("error", "warning", "off")


@dataclass(frozen=True)
class Settings:
    select: frozenset[str] | None = None  # None: every rule
    ignore: frozenset[str] = frozenset()
    severity: Mapping[str, str] = field(default_factory=dict)
    paths: tuple[str, ...] = ()  # glob patterns of files whose findings are dropped

    def keeps(self, rule: str) -> bool:
        if rule in self.ignore or self.severity.get(rule) == "off":
            return False
        return self.select is None or rule in self.select

    def apply(
        self, findings: Iterable[Finding], suppressions: Mapping[str, frozenset[str]]
    ) -> list[Finding]:
        kept: list[Finding] = []
        for finding in [*findings, *unknown_suppressions(suppressions)]:
            if not self.keeps(finding.rule) or finding.rule in suppressions.get(finding.path, ()):
                continue
            if any(fnmatch.fnmatchcase(finding.path, pattern) for pattern in self.paths):
                continue
            level = self.severity.get(finding.rule)
            if level in ("error", "warning") and level != finding.severity:
                severity: Severity = "error" if level == "error" else "warning"
                finding = dataclasses.replace(finding, severity=severity)
            kept.append(finding)
        return kept


def rule_ids(values: Iterable[str], option: str) -> frozenset[str]:
    """Rule ids from repeated and/or comma-separated option values; unknown ids are an error."""
    ids = {part.strip() for value in values for part in value.split(",") if part.strip()}
    unknown = sorted(ids - set(RULES))
    if unknown:
        named = ", ".join(name + suggestion(name) for name in unknown)
        raise UsageError(f"{option}: unknown rule {named}; `pagemgr rules` lists them all")
    return frozenset(ids)


def load(site: Site, select: Iterable[str] = (), ignore: Iterable[str] = ()) -> Settings:
    block = site.pagemgr_settings
    severity = block.get("severity") or {}
    if not isinstance(severity, dict):
        raise UsageError("_config.yml: pagemgr.severity must map rule ids to error, warning or off")
    # YAML 1.1 (what Jekyll reads) turns an unquoted `off` into false: take it as meant.
    severity = {rule: "off" if level is False else level for rule, level in severity.items()}
    for rule, level in severity.items():
        if str(rule) not in RULES:
            raise UsageError(
                f"_config.yml: pagemgr.severity names unknown rule '{rule}'{suggestion(str(rule))}"
            )
        if level not in LEVELS:
            raise UsageError(
                f"_config.yml: pagemgr.severity.{rule} is {level!r}; use error, warning or off"
            )
    patterns = block.get("ignore") or []
    if not isinstance(patterns, list):
        raise UsageError("_config.yml: pagemgr.ignore must be a list of glob patterns")
    selected = rule_ids(select, "--select")
    return Settings(
        select=selected or None,
        ignore=rule_ids(ignore, "--ignore"),
        severity={str(k): str(v) for k, v in severity.items()},
        paths=tuple(str(p).strip("/") for p in patterns if p),
    )


def unknown_suppressions(suppressions: Mapping[str, frozenset[str]]) -> list[Finding]:
    found = []
    for path, names in suppressions.items():
        for name in sorted(names - set(RULES)):
            found.append(
                Finding(
                    path,
                    1,
                    1,
                    severity_of("bad-suppression"),
                    "bad-suppression",
                    f"`# pagemgr: ignore[{name}]` names no rule pagemgr has",
                    _suppression_hint(name),
                )
            )
    return found


def _suppression_hint(name: str) -> str:
    guess = closest(name)
    return f"did you mean '{guess}'?" if guess else "`pagemgr rules` lists the ids"
