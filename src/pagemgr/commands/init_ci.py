"""`pagemgr init-ci`: write the GitHub Actions workflow that checks the site on every push."""

from __future__ import annotations

import os
from pathlib import Path

import click

from pagemgr.errors import PagemgrError
from pagemgr.publish import provenance
from pagemgr.publish.workflow import WORKFLOW_PATH, render_workflow
from pagemgr.site.model import find_site_root


def repository_root(start: Path) -> Path:
    """The nearest folder upward holding `.git`, else `start` itself."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return start


def init_ci(site_path: Path | None, source_url: str | None, rev: str | None, force: bool) -> int:
    site_root = find_site_root(site_path, Path.cwd())
    source = provenance.pinned(source_url, rev, provenance.this_installation())
    repo_root = repository_root(site_root)
    site_rel = site_root.relative_to(repo_root).as_posix()
    text = render_workflow("" if site_rel == "." else site_rel, source)
    target = repo_root / WORKFLOW_PATH
    if target.exists():
        if target.read_text(encoding="utf-8", errors="replace") == text:
            click.echo(f"{target} is already up to date")
            return 0
        if not force:
            raise PagemgrError(
                f"{target} exists and differs; pass --force to replace it (your version is kept "
                "otherwise)"
            )
    target.parent.mkdir(parents=True, exist_ok=True)
    _write_atomically(target, text)
    click.echo(f"wrote {target}: installs {source.requirement}")
    if source.is_on_this_machine:
        click.echo(
            f"warning: {source.url} is on this machine, where a GitHub runner cannot reach it; "
            "pass --source with the repository's public URL",
            err=True,
        )
    return 0


def _write_atomically(target: Path, text: str) -> None:
    temporary = target.with_name(f".{target.name}.pagemgr-tmp")
    with open(temporary, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, target)
