"""`pagemgr install-hook`: add pagemgr to the site repository's pre-commit configuration."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import click

from pagemgr.commands.init_ci import repository_root
from pagemgr.edit import editing, splice
from pagemgr.edit.editpath import parse_path
from pagemgr.edit.render import block_lines
from pagemgr.errors import PagemgrError, UsageError
from pagemgr.publish import hook_config, provenance
from pagemgr.site.model import find_site_root

SYSTEM_HINT = ", or --system to run the pagemgr on PATH (every git client must find it there)"


def install_hook(
    site_path: Path | None,
    source_url: str | None,
    rev: str | None,
    system: bool,
    run_install: bool,
    dry_run: bool,
) -> int:
    site_root = find_site_root(site_path, Path.cwd())
    repo_root = repository_root(site_root)
    prefix = site_root.relative_to(repo_root).as_posix().removeprefix(".")
    config = repo_root / hook_config.CONFIG_NAME
    target = editing.read_target(config, None, None) if config.exists() else None
    running = hook_config.repo_running_hook(target.data()) if target else None
    if running is not None:
        click.echo(_already_running(config, running, system), err=True)
        return 0
    entry = _entry(source_url, rev, system, prefix)
    if target is None:
        _create(config, entry, dry_run)
    else:
        _append(target, entry, dry_run)
    if not dry_run and run_install:
        _activate(repo_root)
    return 0


def _entry(source_url: str | None, rev: str | None, system: bool, prefix: str) -> dict[str, Any]:
    if system:
        if source_url or rev:
            raise UsageError("--system runs the pagemgr on PATH; it takes no --source or --rev")
        return hook_config.system_entry(prefix)
    source = provenance.pinned(source_url, rev, provenance.this_installation(), SYSTEM_HINT)
    return hook_config.repository_entry(source, prefix)


def _already_running(config: Path, running: str, system: bool) -> str:
    said = f"{config} already runs {hook_config.HOOK_ID} (repo: {running}); nothing to change"
    if running == "local" and not system:
        said += (
            "; a `language: system` hook needs pagemgr on PATH for every git client: delete "
            "that entry and run install-hook again to let pre-commit install pagemgr itself"
        )
    return said


def _create(config: Path, entry: dict[str, Any], dry_run: bool) -> None:
    text = "repos:\n" + "\n".join(block_lines([entry], 2)) + "\n"
    if dry_run:
        click.echo(text, nl=False)
        return
    with open(config, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)
    click.echo(f"wrote {config}", err=True)


def _append(target: editing.Target, entry: dict[str, Any], dry_run: bool) -> None:
    data = target.data()
    repos = data.get("repos") if isinstance(data, dict) else None
    if repos is not None and not isinstance(repos, list):
        raise PagemgrError(f"{target.path}: 'repos' is not a list; fix it by hand first")
    path = parse_path("repos")
    outcome = editing.edit(
        target, lambda region: splice.append(region, path, entry), dry_run=dry_run
    )
    if dry_run:
        click.echo(outcome.diff, nl=False)
    else:
        click.echo(f"added {hook_config.HOOK_ID} to {target.path}", err=True)


def _activate(repo_root: Path) -> None:
    pre_commit = shutil.which("pre-commit")
    if pre_commit is None:
        click.echo("next: pip install pre-commit && pre-commit install", err=True)
        return
    done = subprocess.run(
        [pre_commit, "install"], cwd=repo_root, capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        reason = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["failed"]
        raise PagemgrError(f"pre-commit install failed: {reason[0]}; the configuration is written")
    click.echo("pre-commit install: the hook now runs on every git commit", err=True)
