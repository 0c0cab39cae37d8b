"""`pagemgr publish`: validate, commit exactly the site files that changed, push so Pages rebuilds.

Exit status: 0 published (or nothing to publish), 1 refused because the change has errors,
2 usage or configuration error, 4 git refused or failed (nothing was lost; see the message).
"""

from __future__ import annotations

import posixpath
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import NamedTuple
from urllib.parse import unquote, urljoin

import click

from pagemgr.check.baseline import ChangeCheck, check_change, earlier_line
from pagemgr.check.checker import Checker
from pagemgr.check.engine.reading import Reading
from pagemgr.check.file_result import FileResult
from pagemgr.check.index.records import DocRecord
from pagemgr.check.index.site_index import local_target, static_destination
from pagemgr.check.pipeline import schema_set
from pagemgr.check.reporters import report_text, summary_line
from pagemgr.errors import UsageError
from pagemgr.publish import transaction as publishing
from pagemgr.publish.git import mask
from pagemgr.publish.transaction import Plan, RemoteNews, Repo, Scope, Target
from pagemgr.site.model import Site, SiteFile, find_site_root, load_site
from pagemgr.site.urls import served_candidates

EXIT_OK = 0
EXIT_INVALID = 1
SHOWN = 5  # left-out files listed by name before "and N more"
LEFT_OUT = {
    "not-content": "changed in the site folder but not site content, left as they were",
    "draft": "new drafts, never committed while untracked",
    "unlinked": "new, outside _pages, the collections and _data, and no page links to them; "
    "`pagemgr publish PATH` commits one",
    "not-template": "new in a theme folder but not a template, stylesheet or script; "
    "`pagemgr publish PATH` commits one",
}
REFUSED = {
    "draft": "is a new draft, and pagemgr never commits drafts; move it to _posts to publish "
    "it, or `git add` it to keep it in the repository",
    "not-content": "is not site content (Jekyll does not read it); commit it with git",
}


class Request(NamedTuple):
    message: str | None
    push: bool
    dry_run: bool
    remote: str | None
    branch: str | None
    rebase: bool
    yes: bool
    scope: Scope | None  # the named paths; None: every change in the site


def publish(
    site_path: Path | None,
    message: str | None = None,
    push: bool = True,
    dry_run: bool = False,
    remote: str | None = None,
    branch: str | None = None,
    rebase: bool = False,
    yes: bool = False,
    paths: Sequence[Path] = (),
) -> int:
    site = load_site(find_site_root(site_path, Path.cwd()))
    scope = publishing.named_scope(site, paths, Path.cwd()) if paths else None
    request = Request(message, push, dry_run, remote, branch, rebase, yes, scope)
    with publishing.opened(site) as repo:
        return _publish(site, repo, request)


def _publish(site: Site, repo: Repo, request: Request) -> int:
    plan = planned(site, repo, request.scope)
    target = publishing.push_target(repo, request.remote, request.branch) if request.push else None
    news = publishing.fetch_remote(repo, target) if target and request.dry_run else None
    tip = news.tip if news is not None else publishing.remote_tip(repo, target)
    waiting = publishing.unpushed(repo, tip) if target is not None else 0
    notes = unchanged_lines(plan)
    if not plan.changes and not waiting:
        nothing = nothing_line(target, request.scope is not None)
        remote = remote_lines(target, news, request.rebase)
        _echo_lines([*notes, nothing, *remote, *left_out_lines(plan)])
        return EXIT_OK
    checked = validate(site, repo, plan, tip if waiting else None)
    if checked.result.errors:
        return refuse(checked)
    notes.extend(checked_lines(checked))
    text = request.message or (
        publishing.commit_message(site, repo, plan.changes) if plan.changes else ""
    )
    if request.dry_run:
        _echo_lines([*notes, *dry_run_lines(repo, plan, text, target, waiting, news, request)])
        return EXIT_OK
    if target is not None:
        publishing.check_template(repo, target, request.yes)
    published = publishing.commit_and_push(site, repo, plan.changes, text, target, request.rebase)
    _echo_lines([*notes, *publishing.report(published), *left_out_lines(plan)])
    return EXIT_OK


def planned(site: Site, repo: Repo, scope: Scope | None) -> Plan:
    """What to commit and what to leave out, new files that only a link makes public decided;
    UsageError for a named path that cannot be published."""
    plan = publishing.plan_changes(site, repo, scope)
    for rel, why in plan.refused:
        raise UsageError(f"{rel} {REFUSED[why]}")
    for rel in plan.unmatched:
        if not (site.root / rel).exists():
            raise UsageError(f"{rel}: no such file or folder in the site, and no change to it")
    if plan.unlinked:
        plan = publishing.with_links(plan, linked_files(site, plan))
    return plan


def validate(site: Site, repo: Repo, plan: Plan, pushed_from: str | None) -> ChangeCheck:
    """Check the commit (and the unpushed commits since `pushed_from`, the remote's tip):
    refused for the errors of the files it changes and for those it adds elsewhere, checked
    against the version before (HEAD, or the remote's tip when there are unpushed commits)."""
    rels = [c.rel for c in plan.changes]
    base = repo.head
    if pushed_from is not None:
        rels += publishing.unpushed_files(repo, pushed_from)
        base = pushed_from
    committed = publishing.committed_version(site, repo, plan)
    return check_change(
        site, frozenset(rels), committed, lambda: publishing.texts_at(site, repo, base, rels)
    )


def refuse(checked: ChangeCheck) -> int:
    report_text(checked.result, sys.stdout, sys.stdout.isatty())
    _echo_lines(_earlier(checked))
    click.echo(
        f"pagemgr: refusing to publish: {summary_line(checked.result)}; fix the errors above "
        "and run `pagemgr publish` again (nothing was committed)",
        err=True,
    )
    return EXIT_INVALID


def checked_lines(checked: ChangeCheck) -> list[str]:
    lines = []
    if checked.result.warnings:
        lines.append(f"Checked: {summary_line(checked.result)} (see `pagemgr check`)")
    return [*lines, *_earlier(checked)]


def _earlier(checked: ChangeCheck) -> list[str]:
    return [earlier_line(checked.earlier)] if checked.earlier else []


# --- new files that a link makes public ---------------------------------------------------------


def linked_files(site: Site, plan: Plan) -> set[str]:
    """The new files among `plan.unlinked` that a page of the site links to (a body link, a
    front matter URL key such as paperurl, a menu item), directly or through another of them;
    the links are those the site index records, read through the check cache. A new file left
    out of the commit links to nothing."""
    ignored = {c.rel for c in plan.held_back if c.untracked}
    links = _Links(site, {c.rel for c in plan.unlinked})
    schemas = schema_set(site)
    reading = Reading(site, schemas, use_cache=True)
    for item, result, _ in reading.results(Checker(site, schemas), site.files(), {}, 0):
        if item.rel not in ignored:
            links.add(item, result)
    reading.finish(whole_walk=True)
    return links.reached()


class _Links:
    """Where the site's pages link to, and where the candidate files are served."""

    def __init__(self, site: Site, candidates: set[str]) -> None:
        self.site = site
        self.candidates = candidates
        self.base = str(site.config.get("baseurl") or "").rstrip("/")
        self.served_at: dict[str, str] = {}  # a _site path, or "src:" a source path -> candidate
        self.from_candidate: dict[str, set[str]] = {}
        self.linked: set[str] = set()  # what the other pages link to

    def add(self, item: SiteFile, result: FileResult | None) -> None:
        record = result.record if result is not None else None
        places = {*self._record_places(record), *self._menu_places(result)}
        if item.rel not in self.candidates:
            self.linked.update(places)
            return
        self.from_candidate[item.rel] = places
        self.served_at["src:" + item.rel] = item.rel
        if record is not None and record.has_front_matter:
            dest = record.dest
        else:
            dest = static_destination(self.site, item)  # copied as it is
        if dest is not None:
            self.served_at[dest] = item.rel

    def reached(self) -> set[str]:
        found: set[str] = set()
        todo = [self.served_at[place] for place in self.linked if place in self.served_at]
        while todo:
            rel = todo.pop()
            if rel not in found:
                found.add(rel)
                places = self.from_candidate.get(rel, set())
                todo.extend(self.served_at[place] for place in places if place in self.served_at)
        return found

    def _record_places(self, record: DocRecord | None) -> Iterator[str]:
        if record is None or record.dest is None:
            return
        for link in record.links:
            target = link.target.split("#", 1)[0].split("?", 1)[0]
            if target:
                yield from self._places(record.url or "/", record.rel, target)

    def _menu_places(self, result: FileResult | None) -> Iterator[str]:
        menu = result.facts.navigation if result is not None and result.facts else None
        for entry in menu or ():
            target = local_target(entry.url)
            if target:
                yield from self._places("/", "", target if target.startswith("/") else "/" + target)

    def _places(self, page_url: str, page_rel: str, target: str) -> Iterator[str]:
        """The _site paths a link may be answered with, and the source file it may name."""
        site_relative = target.startswith("/") and not target.startswith("//")
        url = target if site_relative else urljoin(page_url, target)
        if self.base and (url == self.base or url.startswith(self.base + "/")):
            url = url[len(self.base) :] or "/"
        yield from served_candidates(url)
        source = target.lstrip("/") if site_relative else posixpath.join(page_rel, "..", target)
        yield "src:" + unquote(posixpath.normpath(source))


# --- what to say --------------------------------------------------------------------------------


def nothing_line(target: Target | None, named: bool) -> str:
    also = ", and the remote has every commit" if target else ""
    if named:
        return f"Nothing to publish: nothing changed under the named paths{also}"
    return f"Nothing to publish: no site file changed since the last commit{also}"


def unchanged_lines(plan: Plan) -> list[str]:
    named = [rel for rel in plan.unmatched if rel]
    return [f"Not changed since the last commit: {_names(tuple(named))}"] if named else []


def remote_lines(target: Target | None, news: RemoteNews | None, rebase: bool) -> list[str]:
    """What the dry run's fetch found out (nothing without one)."""
    if target is None or news is None:
        return []
    where = f"{target.remote}/{target.branch}"
    if news.problem is not None:
        return [f"Could not fetch {where} ({news.problem}); what follows is as last fetched"]
    if news.tip is None:
        return [
            f"Fetched: {target.remote} has no branch {target.branch} yet; publishing creates it"
        ]
    if not news.behind:
        return [f"Fetched {where}: it has no commits you do not have"]
    count = f"{news.behind} commit{'' if news.behind == 1 else 's'}"
    then = (
        "--rebase would replay yours on top of them"
        if rebase
        else "publishing would commit, then stop before pushing: add --rebase to replay yours "
        "on top"
    )
    return [f"Fetched {where}: it has {count} you do not have; {then}"]


def dry_run_lines(
    repo: Repo,
    plan: Plan,
    message: str,
    target: Target | None,
    waiting: int,
    news: RemoteNews | None,
    request: Request,
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
        lines.extend(remote_lines(target, news, request.rebase))
        if news is None or not news.behind or request.rebase:
            where = f"{target.remote}/{target.branch} ({mask(target.url)})"
            count = waiting + (1 if plan.changes else 0)
            lines.append(f"Would push {count} commit{'' if count == 1 else 's'} to {where}")
        warning = publishing.template_warning(repo, target)
        if warning:
            lines.append(f"Warning: {warning}; publishing will need --yes")
    lines.extend(left_out_lines(plan))
    moved = f" (the fetch moved only {target.tracking})" if target and news and news.moved else ""
    lines.append(f"Dry run: nothing was changed{moved}")
    return lines


def left_out_lines(plan: Plan) -> list[str]:
    lines = []
    for why, explained in LEFT_OUT.items():
        paths = tuple(item.path for item in plan.left_out if item.why == why)
        if paths:
            lines.append(f"Left out ({explained}): {_names(paths)}")
    if plan.not_named:
        lines.append(
            f"{plan.not_named} other changed file{'' if plan.not_named == 1 else 's'} "
            "in the site not named, left as they were"
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
