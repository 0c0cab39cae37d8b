"""A file as the page edits it: its form, body, findings beside their fields, and saving it."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from pagemgr.check.findings import Finding
from pagemgr.check.pipeline import run_checks
from pagemgr.edit import editing
from pagemgr.edit.editing import Target
from pagemgr.serve import fixing, forms, positions, saving
from pagemgr.serve.security import Refused, resolve_inside
from pagemgr.site.model import Site, classify, load_site

EDITABLE = ("document", "data", "config")
CONFIG_BLOCK = ("author",)


def open_target(root: Path, rel: str) -> Target:
    path, rel = resolve_inside(root, rel)
    site = load_site(root)
    item = classify(site, rel)
    if item is None or item.kind not in EDITABLE or not path.is_file():
        raise Refused(404, f"{rel}: not a document, data file or _config.yml of the site")
    return editing.read_target(path, site, item)


def file_view(root: Path, rel: str) -> dict[str, Any]:
    target = open_target(root, rel)
    assert target.site is not None and target.item is not None
    data = target.data()
    schema = editing.schema_of(target)
    if target.item.kind == "config":
        block = data.get(CONFIG_BLOCK[0]) if isinstance(data, dict) else None
        fields = forms.fields_of(schema, block or {}, {}, CONFIG_BLOCK)
    else:
        fields = forms.fields_of(schema, data, enums_of(target.site, target))
    lines = positions.field_lines(target, fields)
    return {
        "path": target.item.rel,
        "kind": target.kind,
        "version": saving.version_of(target.raw),
        "fields": fields,
        "body": saving.body_of(target) if target.kind == "document" else None,
        "findings": findings_of(target, lines),
        "fixes": [
            fixing.as_json(offer, positions.field_at(lines, offer["line"]))
            for offer in fixing.offers(target)
        ],
    }


def enums_of(site: Site, target: Target) -> dict[str, list[str]]:
    categories = site.publication_categories
    if target.item is not None and target.item.collection == "publications" and categories:
        return {"category": [str(key) for key in categories]}
    return {}


def findings_of(target: Target, lines: positions.Lines) -> list[dict[str, Any]]:
    assert target.site is not None and target.item is not None
    found = run_checks(target.site, [target.item]).findings
    return [
        as_json(finding, positions.field_at(lines, finding.line))
        for finding in sorted(found, key=Finding.sort_key)
        if finding.path == target.item.rel
    ]


def as_json(finding: Finding, field: str = "") -> dict[str, Any]:
    shown = dataclasses.asdict(finding)
    shown["field"] = field
    return shown


def fix_file(root: Path, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    target = open_target(root, str(request.get("path", "")))
    version, fix_id = str(request.get("version", "")), str(request.get("fix", ""))
    try:
        saved = fixing.apply_fix(target, version, fix_id, bool(request.get("dry_run")))
    except saving.ChangedOnDisk as exc:
        return 409, {"conflict": str(exc)}
    return _answer(saved, request)


def save_file(root: Path, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    target = open_target(root, str(request.get("path", "")))
    changes = [
        saving.Change(
            str(change["path"]),
            str(change.get("widget", "text")),
            change.get("value"),
            str(change.get("op", "set")),
        )
        for change in request.get("changes") or ()
    ]
    body = request.get("body")
    try:
        saved = saving.save(
            target,
            str(request.get("version", "")),
            changes,
            body if isinstance(body, str) else None,
            force=bool(request.get("force")),
            dry_run=bool(request.get("dry_run")),
        )
    except saving.ChangedOnDisk as exc:
        return 409, {"conflict": str(exc)}
    return _answer(saved, request)


def _answer(saved: saving.Saved, request: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    answer = {
        "diff": saved.diff,
        "written": saved.written,
        "errors": [as_json(f) for f in saved.errors],
        "warnings": [as_json(f) for f in saved.warnings],
        "version": saved.version,
    }
    refused = bool(saved.errors) and not request.get("force") and not request.get("dry_run")
    return (422 if refused else 200), answer
