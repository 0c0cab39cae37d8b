"""`pagemgr publish`: validate, commit exactly the site files that changed, push so Pages rebuilds.

Exit status: 0 published (or nothing to publish), 1 refused because the site has errors,
2 usage or configuration error, 4 git refused or failed (nothing was lost; see the message).
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pagemgr.check.findings import CheckResult
from pagemgr.check.pipeline import run_checks
from pagemgr.check.reporters import report_text, summary_line
from pagemgr.publish import transaction as publishing
from pagemgr.publish.git import mask
from pagemgr.publish.transaction import Plan, Repo, Target
from pagemgr.site.model import Site, find_site_root, load_site

EXIT_OK = 0
EXIT_INVALID = 1
SHOWN = 5  # left-out files listed by name before "and N more"


def publish(
    site_path: Path | None,
    message: str | None = None,
    push: bool = True,
    dry_run: bool = False,
    remote: str | None = None,
    branch: str | None = None,
    rebase: bool = False,
    yes: bool = False,
) -> int:
    site = load_site(find_site_root(site_path, Path.cwd()))
    with publishing.opened(site) as repo:
        return _publish(site, repo, message, push, dry_run, remote, branch, rebase, yes)


def _publish(
    site: Site,
    repo: Repo,
    message: str | None,
    push: bool,
    dry_run: bool,
    remote: str | None,
    branch: str | None,
    rebase: bool,
    yes: bool,
) -> int:
    plan = publishing.plan_changes(site, repo)
    target = publishing.push_target(repo, remote, branch) if push else None
    waiting = publishing.unpushed(repo, target) if target is not None else 0
    result = validate(site, repo, plan, target, waiting)
    if result.errors:
        report_text(result, sys.stdout, sys.stdout.isatty())
        click.echo(
            f"pagemgr: refusing to publish: {summary_line(result)}; fix the errors above "
            "and run `pagemgr publish` again (nothing was committed)",
            err=True,
        )
        return EXIT_INVALID
    if result.warnings:
        click.echo(f"Checked: {summary_line(result)} (see `pagemgr check`)")
    if not plan.changes and not waiting:
        also = ", and the remote has every commit" if target else ""
        _echo_lines(
            [
                f"Nothing to publish: no site file changed since the last commit{also}",
                *left_out_lines(plan),
            ]
        )
        return EXIT_OK
    text = message or (publishing.commit_message(site, repo, plan.changes) if plan.changes else "")
    if dry_run:
        _echo_lines(dry_run_lines(repo, plan, text, target, waiting))
        return EXIT_OK
    if target is not None:
        publishing.check_template(repo, target, yes)
    published = publishing.commit_and_push(site, repo, plan.changes, text, target, rebase)
    _echo_lines([*publishing.report(published), *left_out_lines(plan)])
    return EXIT_OK


def validate(
    site: Site, repo: Repo, plan: Plan, target: Target | None, waiting: int
) -> CheckResult:
    """Check the changed site files and those in unpushed commits; all when _config changed."""
    rels = [c.rel for c in plan.changes if c.action != "remove"]
    if target is not None and waiting:
        rels += publishing.unpushed_files(repo, target)
    items = publishing.files_to_check(site, rels)
    return run_checks(site, site.files() if items is None else items)


def dry_run_lines(
    repo: Repo, plan: Plan, message: str, target: Target | None, waiting: int
) -> list[str]:
    marks = {"add": "A", "update": "M", "remove": "D"}
    lines = []
    if plan.changes:
        lines.append(
            f"Would commit {len(plan.changes)} file{'' if len(plan.changes) == 1 else 's'}:"
        )
        lines.extend(f"  {marks[c.action]} {c.path}" for c in plan.changes)
        lines.append("with the message:")
        lines.extend(f"  {line}" if line else "" for line in message.rstrip("\n").splitlines())
    if target is not None:
        where = f"{target.remote}/{target.branch} ({mask(target.url)})"
        count = waiting + (1 if plan.changes else 0)
        lines.append(f"Would push {count} commit{'' if count == 1 else 's'} to {where}")
        warning = publishing.template_warning(repo, target)
        if warning:
            lines.append(f"Warning: {warning}; publishing will need --yes")
    lines.extend(left_out_lines(plan))
    lines.append("Dry run: nothing was changed")
    return lines


def left_out_lines(plan: Plan) -> list[str]:
    lines = []
    if plan.left_out:
        lines.append(
            "Left out (changed in the site folder but not site content, left as they "
            f"were): {_names(plan.left_out)}"
        )
    if plan.staged_elsewhere:
        lines.append(
            "Left staged and not committed (you staged them; not site files): "
            f"{_names(plan.staged_elsewhere)}"
        )
    if plan.others:
        lines.append(
            f"{plan.others} other changed file{'' if plan.others == 1 else 's'} "
            "outside the site left as they were"
        )
    return lines


def _names(paths: tuple[str, ...]) -> str:
    shown = ", ".join(paths[:SHOWN])
    return shown if len(paths) <= SHOWN else f"{shown} and {len(paths) - SHOWN} more"


def _echo_lines(lines: list[str]) -> None:
    for line in lines:
        click.echo(line)
