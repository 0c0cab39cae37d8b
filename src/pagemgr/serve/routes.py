"""The JSON routes: what each address answers, as (status, payload)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pagemgr.serve import editor, listing, publishing
from pagemgr.serve.security import Refused
from pagemgr.site.model import load_site


def get(root: Path, path: str, query: dict[str, str]) -> tuple[int, Any]:
    if path == "/api/overview":
        return 200, {"site": root.name, "sections": listing.overview(load_site(root))}
    if path == "/api/file":
        return 200, editor.file_view(root, query.get("path", ""))
    if path == "/api/new":
        categories = load_site(root).publication_categories or {}
        return 200, {"categories": [str(key) for key in categories]}
    if path == "/api/publish":
        return 200, publishing.panel(root)
    raise Refused(404, "no such address")


def post(root: Path, path: str, request: dict[str, Any]) -> tuple[int, Any]:
    if path == "/api/save":
        return editor.save_file(root, request)
    if path == "/api/fix":
        return editor.fix_file(root, request)
    raise Refused(404, "no such address")
