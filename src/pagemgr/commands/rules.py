"""`pagemgr rules [ID]`: every rule with its default severity and summary, or one rule's docs."""

from __future__ import annotations

import click

from pagemgr.check.rules import RULES, documentation


def rules(rule_id: str | None) -> int:
    if rule_id is None:
        click.echo("\n".join(_listing()))
    else:
        click.echo(documentation(rule_id), nl=False)
    return 0


def _listing() -> list[str]:
    width = max(len(rule_id) for rule_id in RULES)
    return [f"{rule.id:<{width}}  {rule.severity:<7}  {rule.summary}" for rule in RULES.values()]
