"""`pagemgr import orcid|openalex|dblp ID`: a researcher's publication list into the site.

Data flow: the source's works (fresh lists; details and Crossref through the cache unless
--update or --no-cache) -> left out by --since / --type -> the same paper merged (the published
version wins) -> completed from Crossref by DOI -> each one a draft through `add`'s code
(values, category, citation, body) -> matched against the site (DOI, arXiv id, source id,
title): left, or refreshed with --update where `pagemgr_wrote` says a value is still pagemgr's
-> new files in the collection's conventions, checked, written without replacing any -> the
table (--dry-run) or one line per file and the summary.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from pagemgr.add import conventions, drafting, importing, newdoc, refresh
from pagemgr.add import fields as schema_fields
from pagemgr.add.conventions import Conventions, Existing
from pagemgr.add.http import Fetcher, FetchError, polite_agent
from pagemgr.add.importing import Imported, Sourced
from pagemgr.errors import PagemgrError, UsageError
from pagemgr.site.model import Site, find_site_root, load_site
from pagemgr.yaml import yamlio

SOURCES = ("orcid", "openalex", "dblp")
SOURCE_NAMES = {"orcid": "ORCID", "openalex": "OpenAlex", "dblp": "DBLP"}
DATACITE_ARXIV = "10.48550/"  # arXiv's DOIs are DataCite's: Crossref does not know them
PROGRESS_FROM = 5  # works: a shorter list needs no progress line
LABEL = "publications"
_EMAIL = re.compile(r"[^@\s<>()]+@[^@\s<>()]+\.[^@\s<>()]+\Z")


@dataclass
class ImportRequest:
    source: str  # one of SOURCES
    ident: str
    dry_run: bool = False
    since: int | None = None
    types: tuple[str, ...] = ()
    update: bool = False
    mailto: str | None = None
    me: str | None = None
    timeout: float = 10.0
    no_cache: bool = False
    site_path: Path | None = None


@dataclass(frozen=True)
class Row:
    action: str  # added | updated | left | skipped
    name: str
    file: str = ""
    why: str = ""


@dataclass
class Report:
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


def import_works(req: ImportRequest) -> int:
    site = load_site(find_site_root(req.site_path, Path.cwd()))
    drafting.require_collection(site, LABEL)
    mapping = importing.category_map(site.pagemgr_settings, site.publication_categories)
    mailto = _mailto(req, site)
    report = Report()
    works = _chosen(_fetch(req, mailto), req, report)
    _complete_from_crossref(works, req, mailto, report)
    conv = conventions.learn(site, LABEL)
    areq = drafting.Request(label=LABEL, fields={}, me=req.me, update=req.update)
    found = importing.on_site(conv.existing)
    planned: set[str] = set()
    for item in works:
        report.notes.extend(item.work.notes)
        try:
            report.rows.append(_one(item, mapping, site, conv, areq, found, planned, req))
        except PagemgrError as exc:
            report.rows.append(Row("skipped", item.name, why=str(exc)))
    _print(report, req)
    return 0


def _mailto(req: ImportRequest, site: Site) -> str | None:
    """--mailto, else the site author's email: the address the APIs may write to."""
    if req.mailto is not None:
        if not _EMAIL.match(req.mailto):
            raise UsageError(f"--mailto {req.mailto!r} is not an email address")
        return req.mailto
    author = site.config.get("author")
    email = author.get("email") if isinstance(author, dict) else None
    return email.strip() if isinstance(email, str) and _EMAIL.match(email.strip()) else None


def _chosen(sourced: Sourced, req: ImportRequest, report: Report) -> list[Imported]:
    """One work per paper, without those --since and --type leave out; the rest reported."""
    report.rows.extend(Row("skipped", s.name, why=s.reason) for s in sourced.skipped)
    merged, same = importing.merge_duplicates(sourced.works)
    report.rows.extend(Row("left", s.name, why=s.reason) for s in same)
    works = []
    for item in merged:
        why = importing.left_out(item, req.since, req.types)
        if why is None:
            works.append(item)
        else:
            report.rows.append(Row("left", item.name, why=why))
    return works


# --- reading the source -------------------------------------------------------------------------


def _fetch(req: ImportRequest, mailto: str | None) -> Sourced:
    from pagemgr.add import dblp, openalex, orcid

    agent = polite_agent(mailto) if mailto else Fetcher().user_agent
    lists = Fetcher(timeout=req.timeout, use_cache=False, user_agent=agent, keep=False)
    details = Fetcher(
        timeout=req.timeout, use_cache=not (req.no_cache or req.update), user_agent=agent
    )
    progress = _progress_line(SOURCE_NAMES[req.source])
    try:
        if req.source == "orcid":
            iid = orcid.require_orcid(req.ident)
            return orcid.works(iid, orcid.orcid_url(), lists, details, progress)
        if req.source == "openalex":
            base = openalex.openalex_url()
            author = openalex.author_id(req.ident, base, lists, mailto)
            return openalex.works(author, base, lists, mailto, progress)
        pid = dblp.require_pid(req.ident)
        return dblp.works(pid, dblp.dblp_url(), lists, progress)
    finally:
        progress(0, 0)


def _progress_line(source: str) -> Callable[[int, int], None]:
    """A line on a terminal's stderr counting the works read; nothing when it is not one."""
    shown = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if not shown:
            return
        if total == 0:  # finished: clear the line
            click.echo("\r\x1b[K", nl=False, err=True)
        elif total >= PROGRESS_FROM:
            click.echo(f"\rpagemgr: reading {source}: {done}/{total} works", nl=False, err=True)

    return progress


def _complete_from_crossref(
    works: list[Imported], req: ImportRequest, mailto: str | None, report: Report
) -> None:
    from pagemgr.add import metadata

    agent = polite_agent(mailto) if mailto else Fetcher().user_agent
    fetcher = Fetcher(
        timeout=req.timeout, use_cache=not (req.no_cache or req.update), user_agent=agent
    )
    base = metadata.crossref_url(None)
    progress = _progress_line("Crossref")
    wanted = [
        item for item in works if _crossref_may_know(item.work.doi) and importing.lacks(item.work)
    ]
    for number, item in enumerate(wanted, 1):
        progress(number, len(wanted))
        doi = item.work.doi
        assert doi is not None
        try:
            importing.complete(item.work, metadata.from_doi(doi, base, fetcher))
        except FetchError as exc:
            report.notes.append(f"{item.name}: not completed from Crossref: {exc}")
    progress(0, 0)


def _crossref_may_know(doi: str | None) -> bool:
    return doi is not None and not doi.startswith(DATACITE_ARXIV)


# --- one work -----------------------------------------------------------------------------------


def _one(
    item: Imported,
    mapping: dict[str, str],
    site: Site,
    conv: Conventions,
    areq: drafting.Request,
    found: importing.OnSite,
    planned: set[str],
    req: ImportRequest,
) -> Row:
    if item.work.kind == "other" and not {item.source_type, "other"} & set(mapping):
        raise UsageError(
            f"its type {item.source_type or '(none)'!r} is not one pagemgr imports by itself; map "
            f"it in _config.yml (pagemgr: {importing.SETTING}: {{{item.source_type}: CATEGORY}})"
        )
    draft = _draft(item, mapping, site, conv, areq)
    match = found.find(item)
    if match is not None:
        return _refresh(item, draft, match, site, conv, areq, req)
    _require_fields(item, draft, site)
    rel, existing = _create(item, draft, site, conv, planned, req.dry_run)
    found.add(existing, item)
    if not req.dry_run:
        click.echo(rel)
    return Row("added", item.name, rel)


def _draft(
    item: Imported,
    mapping: dict[str, str],
    site: Site,
    conv: Conventions,
    areq: drafting.Request,
) -> drafting.Draft:
    draft = drafting.draft_from_work(item.work, item.work.key, {}, areq, site, True)
    category = importing.category_of(item, mapping, site.publication_categories)
    if category is not None:
        draft.give("category", category, "default")
    extra = [f"Preprint: <{url}>" for url in item.extra_urls]
    draft.body = "\n\n".join(part for part in (draft.body, *extra) if part)
    drafting.set_citation(draft, areq, site, conv)
    return draft


def _require_fields(item: Imported, draft: drafting.Draft, site: Site) -> None:
    missing = [key for key in drafting.required(LABEL, site) if key not in draft.values]
    if "category" in missing:
        name = importing.TYPE_NAMES.get(item.work.kind, item.source_type or "other")
        raise UsageError(
            f"no category in publication_category fits its type {item.source_type!r}; map it "
            f"in _config.yml (pagemgr: {importing.SETTING}: {{{name}: CATEGORY}})"
        )
    if missing:
        raise UsageError(f"the source gives no {', '.join(missing)}")
    drafting.check_title(str(draft.values["title"]))


def _create(
    item: Imported,
    draft: drafting.Draft,
    site: Site,
    conv: Conventions,
    planned: set[str],
    dry_run: bool,
) -> tuple[str, Existing]:
    """The new file's text in the collection's conventions, checked, then written."""
    values = draft.values
    date = values.get("date")
    day = date.value if isinstance(date, yamlio.JekyllDate) else None
    areq = drafting.Request(label=LABEL, fields={})
    stem, permalink = drafting.place(areq, conv, str(values["title"]), day, planned)
    final = dict(values)
    if permalink is not None:
        final.setdefault("permalink", permalink)
    if conv.collection_key:
        final["collection"] = LABEL
    pagemgrs = {key for key in refresh.REFRESHABLE if draft.owner(key) == "source"}
    final[schema_fields.RECORD_KEY] = refresh.record_for(final, pagemgrs) | item.ids
    text = newdoc.compose(conv, final, drafting.liquid_safe(draft.body))
    rel = f"{site.rel(conv.folder)}/{stem}{conv.extension}"
    errors = newdoc.errors_in(site, rel, LABEL, text)
    if errors:
        detail = "; ".join(f"{e.message} [{e.rule}]" for e in errors)
        raise UsageError(f"{rel} would not pass pagemgr check: {detail}")
    planned.add(stem.casefold())
    path = conv.folder / f"{stem}{conv.extension}"
    if not dry_run:
        newdoc.write_new(path, text)
    return rel, Existing(path, rel, text, final)


def _refresh(
    item: Imported,
    draft: drafting.Draft,
    match: Any,
    site: Site,
    conv: Conventions,
    areq: drafting.Request,
    req: ImportRequest,
) -> Row:
    rel = match.item.rel
    same = f"same {match.reason}"
    current = match.item.data
    plan = drafting.plan_refresh(current, draft, areq, site, conv)
    kept = f"; kept {', '.join(plan.kept)}" if plan.kept else ""
    if not plan.changes:
        return Row("left", item.name, rel, f"on the site ({same}), up to date{kept}")
    changed = ", ".join(plan.changes)
    if not req.update:
        return Row(
            "left", item.name, rel, f"on the site ({same}); --update would refresh {changed}"
        )
    if not req.dry_run:  # add's refresh: the lossless edit, the gate; it names the file
        drafting.update_existing(site, match, draft, areq, conv, drafting.Outcome())
    return Row("updated", item.name, rel, f"{changed} ({same}){kept}")


# --- the report ---------------------------------------------------------------------------------


def _print(report: Report, req: ImportRequest) -> None:
    for note in report.notes:
        click.echo(f"pagemgr: note: {note}", err=True)
    if req.dry_run:
        _table(report.rows)
    else:
        for row in report.rows:
            if row.action == "skipped":
                click.echo(f"pagemgr: skipped {row.name}: {row.why}", err=True)
    verb = "would be " if req.dry_run else ""
    counts = ", ".join(
        f"{report.count(action)} {verb if action in ('added', 'updated') else ''}{action}"
        for action in ("added", "updated", "left", "skipped")
    )
    click.echo(f"pagemgr: {SOURCE_NAMES[req.source]} {req.ident}: {counts}", err=True)


def _table(rows: list[Row]) -> None:
    order = {"added": 0, "updated": 1, "left": 2, "skipped": 3}
    width = max((len(row.file) for row in rows), default=1)
    for row in sorted(rows, key=lambda r: order.get(r.action, 4)):
        click.echo(f"{row.action:<8} {row.file or '-':<{width}}  {row.name}: {row.why or 'new'}")
