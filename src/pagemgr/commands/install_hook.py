"""`pagemgr install-hook`: add pagemgr to the site repository's pre-commit configuration."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import click

from pagemgr.commands.init_ci import repository_root
from pagemgr.edit import editing, splice
from pagemgr.edit.editpath import parse_path
from pagemgr.edit.render import block_lines
from pagemgr.errors import PagemgrError
from pagemgr.publish import hook_config
from pagemgr.site.model import find_site_root


def install_hook(
    site_path: Path | None, url: str | None, rev: str | None, run_install: bool, dry_run: bool
) -> int:
    site_root = find_site_root(site_path, Path.cwd())
    repo_root = repository_root(site_root)
    prefix = site_root.relative_to(repo_root).as_posix().removeprefix(".")
    entry = (
        hook_config.remote_repo_entry(url, rev or "main", prefix)
        if url
        else hook_config.local_repo_entry(prefix)
    )
    config = repo_root / hook_config.CONFIG_NAME
    if not config.exists():
        text = "repos:\n" + "\n".join(block_lines([entry], 2)) + "\n"
        if dry_run:
            click.echo(text, nl=False)
        else:
            _create(config, text)
            click.echo(f"wrote {config}", err=True)
    elif not _add_entry(config, entry, dry_run):
        click.echo(f"{config} already runs {hook_config.HOOK_ID}; nothing to change", err=True)
        return 0
    if not dry_run and run_install:
        _activate(repo_root)
    return 0


def _add_entry(config: Path, entry: dict[str, object], dry_run: bool) -> bool:
    target = editing.read_target(config, None, None)
    if hook_config.has_hook(target.data()):
        return False
    repos = target.data().get("repos") if isinstance(target.data(), dict) else None
    if repos is not None and not isinstance(repos, list):
        raise PagemgrError(f"{config}: 'repos' is not a list; fix it by hand first")
    path = parse_path("repos")
    outcome = editing.edit(
        target, lambda region: splice.append(region, path, entry), dry_run=dry_run
    )
    if dry_run:
        click.echo(outcome.diff, nl=False)
    else:
        click.echo(f"added {hook_config.HOOK_ID} to {config}", err=True)
    return True


def _create(config: Path, text: str) -> None:
    with open(config, "x", encoding="utf-8", newline="\n") as handle:
        handle.write(text)


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
