"""The fixes of `pagemgr fix` offered beside the fields they change, one button each."""

from __future__ import annotations

import dataclasses
import difflib
from typing import Any, TypedDict

from pagemgr.edit import fixes, jsonedit
from pagemgr.edit.editing import Target
from pagemgr.serve import saving
from pagemgr.yaml import yamlio


class Offer(TypedDict):
    id: str
    summary: str
    line: int  # the first line it changes, 1-based in the file


def offers(target: Target) -> list[Offer]:
    """Each fix that would change the file, taken alone."""
    found = []
    for rule in _rules_for(target):
        fixed = _applied(rule, target)
        if fixed is not None:
            found.append(Offer(id=rule.id, summary=rule.summary, line=_first_change(target, fixed)))
    return found


def apply_fix(target: Target, version: str, fix_id: str, dry_run: bool) -> saving.Saved:
    if saving.version_of(target.raw) != version:
        raise saving.ChangedOnDisk(f"{target.shown} changed on disk since it was opened; reload it")
    rule = next((rule for rule in _rules_for(target) if rule.id == fix_id), None)
    fixed = _applied(rule, target) if rule is not None else None
    if fixed is None:
        return saving.Saved("", False, [], [], version)
    edited = dataclasses.replace(target, region=fixed)
    return saving.write_checked(target, edited, force=False, dry_run=dry_run)


def _rules_for(target: Target) -> list[fixes.FixRule]:
    if target.kind == "json":
        return [rule for rule in fixes.RULES if rule.id == "double-escaped-entity"]
    return list(fixes.RULES)


def _applied(rule: fixes.FixRule, target: Target) -> str | None:
    try:
        fixed = rule.apply(target, target.region)
    except (yamlio.YamlSyntaxError, jsonedit.JsonSyntaxError):
        return None
    return fixed if fixed != target.region else None


def _first_change(target: Target, fixed: str) -> int:
    matcher = difflib.SequenceMatcher(
        None, target.region.splitlines(), fixed.splitlines(), autojunk=False
    )
    for tag, start, _, _, _ in matcher.get_opcodes():
        if tag != "equal":
            return target.prefix.count("\n") + start + 1
    return 1


def as_json(offer: Offer, field: str) -> dict[str, Any]:
    return {**offer, "field": field}
