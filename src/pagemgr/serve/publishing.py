"""The publish panel: what `pagemgr publish` would commit, each file's diff against HEAD, the
message it would use, and where it would push (the URL masked)."""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Any

from pagemgr.errors import PagemgrError
from pagemgr.publish import transaction
from pagemgr.publish.git import mask
from pagemgr.site.model import Site, load_site


def panel(root: Path) -> dict[str, Any]:
    site = load_site(root)
    try:
        with transaction.opened(site) as repo:
            return _panel(site, repo)
    except PagemgrError as exc:
        return {"changes": [], "message": "", "target": "", "problem": str(exc)}


def _panel(site: Site, repo: transaction.Repo) -> dict[str, Any]:
    plan = transaction.plan_changes(site, repo)
    before = transaction.texts_at(site, repo, repo.head, [c.rel for c in plan.changes])
    changes = [
        {"path": c.rel, "action": c.action, "diff": _diff(c.rel, before.get(c.rel), site)}
        for c in plan.changes
    ]
    message = transaction.commit_message(site, repo, plan.changes) if plan.changes else ""
    try:
        target = transaction.push_target(repo, None, None)
        where = f"{target.remote}/{target.branch} ({mask(target.url)})"
    except PagemgrError as exc:
        where = str(exc)
    left_out = [f"{item.path}: {item.why}" for item in plan.left_out]
    return {"changes": changes, "message": message, "target": where, "left_out": left_out}


def _diff(rel: str, old: str | None, site: Site) -> str:
    try:
        new = (site.root / rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        new = ""
    lines = difflib.unified_diff(
        (old or "").splitlines(keepends=True),
        new.splitlines(keepends=True),
        fromfile=f"a/{rel}" if old is not None else "/dev/null",
        tofile=f"b/{rel}",
    )
    return "".join(line if line.endswith("\n") else line + "\n" for line in lines)
