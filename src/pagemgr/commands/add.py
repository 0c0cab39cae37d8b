"""`pagemgr add KIND`: compose new collection items in the site's conventions, check, write.

Data flow: flags (and BibTeX / Crossref / arXiv works) -> drafts of front-matter values, each
value owned by the user (a flag, an answer), a source, or a default -> missing required and
recommended fields asked for on a terminal (or one error) -> the citation -> duplicates matched
against the collection (reported, or refreshed with --update where pagemgr's record says the
value is still its own) -> file name and permalink from the collection's conventions -> text
rendered through `render` -> checked as `pagemgr check` would -> written atomically without
ever replacing a file -> optionally committed.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import click

from pagemgr.add import conventions, dedupe, newdoc, prompts, refresh
from pagemgr.add import fields as schema_fields
from pagemgr.add.conventions import Conventions, Existing
from pagemgr.add.drafting import (
    KIND_NOUNS,
    NOUN,
    Draft,
    Outcome,
    Request,
    check_category,
    check_title,
    draft_from_work,
    find_duplicate,
    liquid_safe,
    parse_author,
    parse_date,
    place,
    require_collection,
    required,
    set_citation,
    update_existing,
)
from pagemgr.add.record import Author, Work, require_arxiv, require_doi
from pagemgr.errors import PagemgrError, UsageError
from pagemgr.site.model import Site, find_site_root, load_site
from pagemgr.yaml import yamlio


def request_from(label: str, kwargs: dict[str, Any]) -> Request:
    keys = {key.replace("-", "_"): key for key in schema_fields.fields(label)}
    given = {
        keys[name[len("field__") :]]: value
        for name, value in kwargs.items()
        if name.startswith("field__") and value is not None and value != ()
    }
    rest = {name: value for name, value in kwargs.items() if not name.startswith("field__")}
    return Request(label=label, fields=given, **rest)


def add(req: Request) -> int:
    site = load_site(find_site_root(req.site_path, Path.cwd()))
    require_collection(site, req.label)
    conv = conventions.learn(site, req.label)
    flags = typed_fields(req)
    if req.label == "publications":
        check_category(site, flags.get("category"))
    dois = [require_doi(text) for text in req.doi]
    arxivs = [require_arxiv(text) for text in req.arxiv]
    outcome = Outcome()
    if req.bibtex or dois or arxivs:
        found = _gather(req, dois, arxivs, outcome)
        fill = bool(req.bibtex) or len(found) > 1  # flags fill gaps, never override every entry
        drafts = [draft_from_work(work, origin, flags, req, site, fill) for work, origin in found]
        for draft in drafts:
            for note in draft.work.notes if draft.work else ():
                click.echo(f"pagemgr: note: {note}", err=True)
    else:
        drafts = [_draft_from_flags(flags, req)]
    index = dedupe.build_index(conv.existing)
    single = not (req.bibtex or dois or arxivs)
    new = [draft for draft in drafts if not _on_site(draft, req.label, index)]
    _complete(new, req, site, outcome, single)
    for draft in drafts:
        if not draft.incomplete:
            set_citation(draft, req, site, conv)
    planned: set[str] = set()
    for draft in drafts:
        if draft.incomplete:
            continue
        try:
            _add_one(draft, req, site, conv, index, planned, outcome)
        except PagemgrError as exc:
            if len(drafts) == 1:
                raise
            outcome.problems.append(f"{draft.name}: {exc}")
    for problem in outcome.problems:
        click.echo(f"pagemgr: error: {problem}", err=True)
    if (req.commit or req.push) and not req.dry_run:
        _commit(site, outcome, req.push)
    return 1 if outcome.problems else 0


# --- values from flags ------------------------------------------------------------------------


def typed_fields(req: Request) -> dict[str, Any]:
    kinds = schema_fields.fields(req.label)
    typed: dict[str, Any] = {}
    for key, value in req.fields.items():
        option = schema_fields.option_name(key)
        kind = kinds[key]
        if kind == "bool":
            typed[key] = bool(value)
        elif kind == "list":
            typed[key] = [str(item) for item in value]
        elif kind == "json":
            try:
                typed[key] = json.loads(value)
            except ValueError as exc:
                raise UsageError(f"{option} {value!r} is not JSON: {exc}") from None
        elif kind == "date":
            typed[key] = parse_date(str(value), option)
        else:
            text = str(value).strip()
            if not text:
                raise UsageError(f"{option} is empty")
            typed[key] = text
    if "title" in typed:
        check_title(typed["title"])
    return typed


# --- values from sources ------------------------------------------------------------------------


def _gather(
    req: Request, dois: list[str], arxivs: list[str], outcome: Outcome
) -> list[tuple[Work, str]]:
    """Each work the sources give, with where it was read."""
    from pagemgr.add import bibtex, metadata
    from pagemgr.add.http import Fetcher, FetchError

    found: list[tuple[Work, str]] = []
    for path in req.bibtex:
        works, skipped = bibtex.read_bibtex(path)
        found.extend((work, path.name) for work in works)
        outcome.problems.extend(f"{s.key}: {path.name}: {s.reason}" for s in skipped)
    fetcher = Fetcher(timeout=req.timeout, use_cache=not req.no_cache)
    single = len(dois) + len(arxivs) == 1 and not req.bibtex
    for doi in dois:
        try:
            base = metadata.crossref_url(req.crossref_url)
            found.append((metadata.from_doi(doi, base, fetcher), "Crossref"))
        except FetchError as exc:
            if single:
                raise
            outcome.problems.append(f"{doi}: {exc}")
    for arxiv in arxivs:
        try:
            found.append(
                (metadata.from_arxiv(arxiv, metadata.arxiv_url(req.arxiv_url), fetcher), "arXiv")
            )
        except FetchError as exc:
            if single:
                raise
            outcome.problems.append(f"{arxiv}: {exc}")
    return found


def _draft_from_flags(flags: dict[str, Any], req: Request) -> Draft:
    draft = Draft(f"the new {NOUN[req.label]}", {})
    for key, value in flags.items():
        draft.give(key, value, "user")
    if req.label == "posts" and "date" not in draft.values:
        draft.give("date", yamlio.JekyllDate(dt.date.today()), "default")
    draft.authors = [parse_author(a) for a in req.authors]
    draft.body = req.body or ""
    return draft


# --- the citation -------------------------------------------------------------------------------


# --- required and recommended fields ------------------------------------------------------------


def _complete(
    drafts: list[Draft], req: Request, site: Site, outcome: Outcome, single: bool
) -> None:
    """Ask for what each draft lacks on a terminal; otherwise mark it incomplete (or, for the one
    item of a command without sources, raise one error listing every missing flag)."""
    keys = required(req.label, site)
    can_prompt = req.prompt if req.prompt is not None else prompts.stdin_is_terminal()
    asker = prompts.Asker.on_terminal() if can_prompt else None
    for draft in drafts:
        missing = [key for key in keys if key not in draft.values]
        if asker is not None:
            optional = _recommended_missing(draft, req.label) if len(drafts) == 1 else []
            if missing or optional:
                _ask_for(asker, draft, missing, optional, req.label, site)
            continue
        if not missing:
            continue
        flags = ", ".join(schema_fields.option_name(key) for key in missing)
        if single:
            raise UsageError(
                f"missing required field{'s' if len(missing) > 1 else ''}: {flags} "
                "(pass them, or run on a terminal to be asked)"
            )
        draft.incomplete = True
        outcome.problems.append(f"{draft.name}: missing {_missing_text(missing, draft)}")


def _on_site(draft: Draft, label: str, index: dedupe.Index) -> bool:
    """Already on the site: reported or refreshed, so nothing needs asking."""
    if "title" not in draft.values:
        return False
    return find_duplicate(label, index, draft.values, draft.work) is not None


def _missing_text(missing: list[str], draft: Draft) -> str:
    if missing == ["category"] and draft.work is not None:
        noun = KIND_NOUNS.get(draft.work.kind, "entry")
        return (
            f"--category: no category in publication_category (_config.yml) fits this {noun}; "
            "pass --category (it fills every entry that has none)"
        )
    flags = ", ".join(schema_fields.option_name(key) for key in missing)
    return f"{flags}; pass it to fill every entry that lacks it"


def _recommended_missing(draft: Draft, label: str) -> list[str]:
    wanted = []
    for key in schema_fields.RECOMMENDED[label]:
        if key == "authors":
            if not draft.authors and "citation" not in draft.values:
                wanted.append(key)
        elif key not in draft.values:
            wanted.append(key)
    return wanted


def _ask_for(
    asker: prompts.Asker,
    draft: Draft,
    missing: list[str],
    optional: list[str],
    label: str,
    site: Site,
) -> None:
    if draft.work is not None:
        title = draft.values.get("title")
        shown = f': "{title}"' if title else ""
        origin = f" in {draft.origin}" if draft.origin else ""
        asker.say(f"pagemgr: {draft.name}{origin}{shown}")
    for key in missing:
        draft.give(key, _ask(asker, key, label, site, optional=False), "user")
    for key in optional:
        if key == "authors":
            draft.authors = _ask_authors(asker)
            continue
        answer = _ask(asker, key, label, site, optional=True)
        if answer is not None:
            draft.give(key, answer, "user")


def _ask(asker: prompts.Asker, key: str, label: str, site: Site, optional: bool) -> Any:
    spec = schema_fields.schema(label).get("properties", {}).get(key, {})
    skip = " (Enter skips it)" if optional else ""
    asker.say(f"{key}: {spec.get('description', '')}{skip}")
    categories = site.publication_categories
    if key == "category" and label == "publications" and categories:
        names = [str(c) for c in categories]
        return asker.choose("category", names, names[0])
    if schema_fields.field_kind(spec) == "date":
        today = dt.date.today().isoformat()
        return asker.ask("date", parse_date, default=today, optional=optional)
    return asker.ask(key, _text_reader(key), optional=optional)


def _ask_authors(asker: prompts.Asker) -> list[Author]:
    asker.say(
        "authors: the authors in order, separated by ';' (Jane Doe; Roe, Richard), for the "
        "citation (Enter skips it)"
    )
    answer = asker.ask("authors", str, optional=True)
    return [parse_author(name) for name in (answer or "").split(";") if name.strip()]


def _text_reader(key: str) -> Callable[[str], str]:
    def read(text: str) -> str:
        if key == "title":
            check_title(text)
        return text

    return read


# --- one item -----------------------------------------------------------------------------------


def _add_one(
    draft: Draft,
    req: Request,
    site: Site,
    conv: Conventions,
    index: dedupe.Index,
    planned: set[str],
    outcome: Outcome,
) -> None:
    values = draft.values
    title = str(values["title"])
    check_title(title)
    if req.label == "publications":
        check_category(site, values.get("category"))
    work = draft.work
    match = find_duplicate(req.label, index, values, work)
    if match is not None:
        if req.update:
            update_existing(site, match, draft, req, conv, outcome)
        else:
            click.echo(
                f"pagemgr: {draft.name}: already on the site as {match.item.rel} (same "
                f"{match.reason}); nothing written (--update refreshes it)",
                err=True,
            )
        return
    date = values.get("date")
    day = date.value if isinstance(date, yamlio.JekyllDate) else None
    stem, permalink = place(req, conv, title, day, planned)
    final = dict(values)
    if permalink is not None and "permalink" not in final:
        final["permalink"] = permalink
    if conv.collection_key:
        final["collection"] = req.label
    if req.label == "publications":
        pagemgrs = {k for k in refresh.REFRESHABLE if draft.owner(k) == "source"}
        record = refresh.record_for(final, pagemgrs)
        if record:
            final[schema_fields.RECORD_KEY] = record
    text = newdoc.compose(conv, final, liquid_safe(draft.body))
    rel = f"{site.rel(conv.folder)}/{stem}{conv.extension}"
    errors = newdoc.errors_in(site, rel, req.label, text)
    if errors:
        detail = "; ".join(f"{e.message} [{e.rule}]" for e in errors)
        raise PagemgrError(f"{rel} would not pass pagemgr check: {detail}; nothing was written")
    planned.add(stem.casefold())
    path = conv.folder / f"{stem}{conv.extension}"
    item = Existing(path, rel, text, final)
    index.add(item, title, work.doi if work else None, work.arxiv if work else None)
    if req.dry_run:
        click.echo(f"==> {rel} (would be created) <==")
        click.echo(text, nl=False)
        return
    newdoc.write_new(path, text)
    outcome.written.append(path)
    click.echo(rel)
    click.echo(f"pagemgr: added {rel}", err=True)


# --- --update -----------------------------------------------------------------------------------


# --- --commit -----------------------------------------------------------------------------------


def _commit(site: Site, outcome: Outcome, push: bool) -> None:
    paths = outcome.written + outcome.updated
    if not paths:
        return
    from pagemgr.publish.commit_message import describe, message_for
    from pagemgr.publish.transaction import commit_files, report

    described = [
        describe(site, "add", site.rel(p), p.read_text(encoding="utf-8")) for p in outcome.written
    ] + [
        describe(site, "update", site.rel(p), p.read_text(encoding="utf-8"))
        for p in outcome.updated
    ]
    published = commit_files(site, paths, message_for(described), push)
    for line in report(published):
        click.echo(f"pagemgr: {line}", err=True)
