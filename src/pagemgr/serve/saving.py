"""Saving a form: only the changed values are spliced in, the body replaced, the result gated as
`pagemgr set` gates an edit, shown as a diff, and written in one atomic write."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any, NamedTuple

from pagemgr.check.findings import Finding
from pagemgr.check.pipeline import check_edit, run_checks
from pagemgr.edit import atomic, editing, editpath, render
from pagemgr.edit.editing import Target
from pagemgr.errors import PagemgrError
from pagemgr.site.model import load_site


class Change(NamedTuple):
    path: str
    widget: str
    value: Any
    op: str = "set"  # or "append" (a new list item: a mapping of texts) or "remove" (an item)


class Saved(NamedTuple):
    diff: str
    written: bool
    errors: list[Finding]  # added by the edit: it was refused
    warnings: list[Finding]  # added by the edit: shown, not refusing
    version: str


class ChangedOnDisk(PagemgrError):
    """The file is no longer what the page opened."""


def version_of(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()


def body_of(target: Target) -> str:
    """The body after the closing '---' line, as the page edits it."""
    closing, _, body = target.suffix.partition("\n")
    return body if closing.strip() in ("---", "...") else target.suffix


def save(
    target: Target,
    version: str,
    changes: list[Change],
    body: str | None,
    *,
    force: bool = False,
    dry_run: bool = False,
) -> Saved:
    if version_of(target.raw) != version:
        raise ChangedOnDisk(f"{target.shown} changed on disk since it was opened; reload it")
    return write_checked(target, edited_target(target, changes, body), force, dry_run)


def write_checked(target: Target, edited: Target, force: bool, dry_run: bool) -> Saved:
    """The gate, the diff, then (unless refused or a dry run) the atomic write."""
    version = version_of(target.raw)
    if edited.text == target.text:
        return Saved("", False, [], [], version)
    errors, warnings = added_findings(target, edited)
    diff = editing.unified_diff(target, edited)
    if dry_run or (errors and not force):
        return Saved(diff, False, errors, warnings, version)
    data = edited.text.encode("utf-8")
    try:
        atomic.write_atomic(target.path, data, target.raw)
    except atomic.LostUpdateError as exc:
        raise ChangedOnDisk(str(exc)) from None
    return Saved(diff, True, errors, warnings, version_of(data))


def edited_target(target: Target, changes: list[Change], body: str | None) -> Target:
    region = target.region
    data = target.data()
    module = editing.module_for(target)
    checks = []
    for change in (change for change in changes if change.op == "set"):
        parts = editing.required_path(change.path)
        value = typed(target, parts, change)
        if _holds(data, parts, value):
            continue
        region = module.set_value(region, parts, editing.value_for(target, value))
        checks.append(editing.holds(parts, value))
    region = _list_edits(target, region, changes)
    edited = dataclasses.replace(target, region=region, suffix=_suffix(target, body))
    new_data = edited.data()
    if not all(check(new_data) for check in checks):
        raise PagemgrError(
            f"{target.shown}: pagemgr could not make this edit without changing other values; "
            "nothing was written"
        )
    return edited


def _list_edits(target: Target, region: str, changes: list[Change]) -> str:
    """Items removed (the last first, so that indexes hold), then items appended."""
    module = editing.module_for(target)
    removed = [editing.required_path(c.path) for c in changes if c.op == "remove"]
    for parts in sorted(removed, key=lambda parts: [str(part).zfill(9) for part in parts])[::-1]:
        if not isinstance(parts[-1], int):
            raise PagemgrError(f"{editpath.format_path(parts)}: only a list item can be removed")
        region = module.remove(region, parts)
    for change in (c for c in changes if c.op == "append"):
        parts = editpath.parse_path(change.path)
        if not isinstance(change.value, dict):
            raise PagemgrError(f"{change.path}: a new item is a mapping of its fields")
        item = {
            str(key): typed(target, (*parts, 0, str(key)), Change("", "text", text))
            for key, text in change.value.items()
            if str(text).strip()
        }
        if item:
            region = module.append(region, parts, editing.value_for(target, item))
    return region


def typed(target: Target, parts: editpath.EditPath, change: Change) -> Any:
    if change.widget == "checkbox":
        return bool(change.value)
    if change.widget == "json":
        try:
            return json.loads(str(change.value))
        except json.JSONDecodeError as exc:
            raise PagemgrError(f"{change.path}: not valid JSON ({exc.msg})") from None
    if change.widget == "list":
        return [str(item) for item in change.value or ()]
    return editing.typed_as_schema_says(target, parts, str(change.value))


def _holds(data: Any, parts: editpath.EditPath, value: Any) -> bool:
    try:
        current = editpath.lookup(data, parts)
    except PagemgrError:
        return False
    return render.same(current, value) and type(current) is type(value)


def _suffix(target: Target, body: str | None) -> str:
    old_body = body_of(target)
    if body is None or target.kind != "document" or body == old_body.replace("\r\n", "\n"):
        return target.suffix
    if "\r\n" in old_body or "\r\n" in target.suffix[: len(target.suffix) - len(old_body)]:
        body = body.replace("\r\n", "\n").replace("\n", "\r\n")
    return target.suffix[: len(target.suffix) - len(old_body)] + body


def added_findings(before: Target, after: Target) -> tuple[list[Finding], list[Finding]]:
    """The errors and warnings the edit adds anywhere in the site (the gate of `pagemgr set`)."""
    site, item = before.site, before.item
    if site is None or item is None or item.kind == "static":
        return [], []
    if item.kind == "config":
        edited_site = load_site(site.root, config_text=after.text)
        old = run_checks(site, site.files(), complete=True).findings
        new = run_checks(
            edited_site, edited_site.files(), complete=True, overlay={item.rel: after.text}
        ).findings
    else:
        old, new = check_edit(site, item, after.text)
    added = editing.added_findings(old, new)
    return (
        [f for f in added if f.severity == "error"],
        [f for f in added if f.severity == "warning"],
    )
