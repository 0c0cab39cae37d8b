"""`pagemgr rules [ID]`: every rule id with its severity and summary, or one rule's docs."""

from __future__ import annotations

import re

import pytest

from conftest import REPO, run_cli
from pagemgr.check.rules import RULES


def test_without_an_id_every_rule_is_listed_with_its_severity_and_summary() -> None:
    result = run_cli("rules")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == len(RULES)
    for line, rule in zip(lines, RULES.values(), strict=True):
        assert line.split()[:2] == [rule.id, rule.severity]
        assert line.endswith(rule.summary)


def test_the_columns_line_up() -> None:
    lines = run_cli("rules").stdout.splitlines()
    severities = {
        line.index(rule.severity, len(rule.id))
        for line, rule in zip(lines, RULES.values(), strict=True)
    }
    summaries = {
        line.rindex(rule.summary) for line, rule in zip(lines, RULES.values(), strict=True)
    }
    assert len(severities) == 1 and len(summaries) == 1


@pytest.mark.parametrize("rule_id", ["date-mismatch", "yaml-syntax", "bad-suppression"])
def test_with_an_id_the_rules_section_of_the_docs_is_shown(rule_id: str) -> None:
    result = run_cli("rules", rule_id)
    assert result.exit_code == 0, result.stderr
    docs = (REPO / "docs" / "rules.md").read_text(encoding="utf-8")
    section = re.search(rf"^## {re.escape(rule_id)}\n.*?(?=^## |\Z)", docs, re.M | re.S)
    assert section is not None
    assert result.stdout.strip() == section.group(0).strip()
    assert "Bad:" in result.stdout and "Good:" in result.stdout
    assert f"**{RULES[rule_id].severity}**" in result.stdout


def test_an_unknown_id_is_a_usage_error_with_a_did_you_mean() -> None:
    result = run_cli("rules", "date-missmatch")
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "pagemgr: error: no rule 'date-missmatch' (did you mean 'date-mismatch'?); "
        "`pagemgr rules` lists them all"
    )
    nothing = run_cli("rules", "zzz")
    assert nothing.exit_code == 2 and "did you mean" not in nothing.stderr


def test_help_names_the_command() -> None:
    assert "rules" in run_cli("--help").stdout
    assert "docs/rules.md" in run_cli("rules", "--help").stdout
