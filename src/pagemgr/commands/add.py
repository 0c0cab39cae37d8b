"""`pagemgr add KIND`: compose new collection items in the site's conventions, check, write.

Data flow: flags (and BibTeX / Crossref / arXiv works) -> drafts of front-matter values ->
missing required fields prompted for (or one error) -> duplicates matched against the
collection (reported, or refreshed with --update) -> file name and permalink from the
collection's conventions -> text rendered through `render` -> checked as `pagemgr check`
would -> written atomically without ever replacing a file -> optionally committed.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import click

from pagemgr.add import citation, conventions, dedupe, newdoc, slugs
from pagemgr.add import fields as schema_fields
from pagemgr.add.conventions import Conventions, Existing
from pagemgr.add.record import Author, Work, require_arxiv, require_doi
from pagemgr.edit import render
from pagemgr.errors import PagemgrError, UsageError
from pagemgr.site.model import Site, find_site_root, load_site
from pagemgr.yaml import yamlio

MAX_TITLE = 500
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
UPDATE_KEYS = ("venue", "date", "paperurl", "link", "citation")
CATEGORY_GUESSES = {
    "article": ("manuscripts", "journal", "journals", "articles"),
    "inproceedings": ("conferences", "conference", "proceedings"),
    "book": ("books", "book", "chapters"),
    "preprint": ("preprints", "preprint"),
    "thesis": ("theses", "thesis"),
    "report": ("reports", "report"),
}
NOUN = {
    "publications": "publication",
    "talks": "talk",
    "teaching": "teaching entry",
    "portfolio": "portfolio item",
    "posts": "post",
}


@dataclass
class Request:
    label: str
    fields: dict[str, Any]  # schema key -> option value as click gave it (only those given)
    authors: tuple[str, ...] = ()
    bibtex: tuple[Path, ...] = ()
    doi: tuple[str, ...] = ()
    arxiv: tuple[str, ...] = ()
    me: str | None = None
    bold: bool | None = None
    update: bool = False
    crossref_url: str | None = None
    arxiv_url: str | None = None
    timeout: float = 10.0
    no_cache: bool = False
    slug: str | None = None
    body: str | None = None
    dry_run: bool = False
    prompt: bool | None = None
    commit: bool = False
    push: bool = False
    site_path: Path | None = None


@dataclass
class Draft:
    name: str  # how messages name it: the BibTeX key, the DOI, or "the new <kind>"
    values: dict[str, Any]
    work: Work | None = None
    body: str = ""
    incomplete: bool = False


@dataclass
class Outcome:
    written: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


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
    _require_collection(site, req.label)
    conv = conventions.learn(site, req.label)
    flags = typed_fields(req)
    if req.label == "publications":
        _check_category(site, flags.get("category"))
    dois = [require_doi(text) for text in req.doi]
    arxivs = [require_arxiv(text) for text in req.arxiv]
    outcome = Outcome()
    if req.bibtex or dois or arxivs:
        works = _gather(req, dois, arxivs, outcome)
        drafts = [_draft_from_work(work, flags, req, site, conv) for work in works]
        for work in works:
            for note in work.notes:
                click.echo(f"pagemgr: note: {note}", err=True)
    else:
        drafts = [_draft_from_flags(flags, req, site, conv)]
    _complete(drafts, req, site, conv, outcome, single=not (req.bibtex or dois or arxivs))
    index = dedupe.build_index(conv.existing)
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


def _require_collection(site: Site, label: str) -> None:
    """Jekyll skips every file of a collection _config.yml does not declare: refuse to write one."""
    if label not in site.collections:
        raise UsageError(
            f"_config.yml declares no `{label}` collection, so Jekyll would skip the new file; "
            f"add it under `collections:` (academicpages: `{label}: {{output: true, permalink: "
            "/:collection/:path/}`) and run the command again"
        )


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


def parse_date(text: str, option: str = "--date") -> yamlio.JekyllDate:
    stripped = text.strip()
    try:
        if not ISO_DATE.match(stripped):
            raise ValueError
        return yamlio.JekyllDate(dt.date.fromisoformat(stripped))
    except ValueError:
        raise UsageError(
            f"{option} {text!r} is not a date that exists; use YYYY-MM-DD, e.g. 2024-03-15"
        ) from None


def check_title(title: str) -> None:
    if len(title) > MAX_TITLE:
        raise UsageError(
            f"the title is {len(title):,} characters long; at most {MAX_TITLE} "
            "fit a page heading and a file name"
        )
    if not slugs.make_slug(title):
        raise UsageError(f"the title {title!r} has no letters or digits; give a real title")


def _check_category(site: Site, value: Any) -> None:
    categories = site.publication_categories
    if value is None or categories is None or str(value) in categories:
        return
    names = ", ".join(str(name) for name in categories)
    raise UsageError(
        f"category {value!r} is not a key of publication_category in _config.yml, "
        f"so the publications page would hide the paper; use one of: {names}"
    )


def parse_author(text: str) -> Author:
    if "," in text:
        family, _, given = text.partition(",")
        return Author(given.strip(), family.strip())
    words = text.split()
    return Author(" ".join(words[:-1]), words[-1]) if len(words) > 1 else Author("", text.strip())


# --- values from sources ------------------------------------------------------------------------


def _gather(req: Request, dois: list[str], arxivs: list[str], outcome: Outcome) -> list[Work]:
    from pagemgr.add import bibtex, metadata
    from pagemgr.add.http import Fetcher, FetchError

    works: list[Work] = []
    for path in req.bibtex:
        found, skipped = bibtex.read_bibtex(path)
        works.extend(found)
        outcome.problems.extend(f"{s.key}: {path.name}: {s.reason}" for s in skipped)
    fetcher = Fetcher(timeout=req.timeout, use_cache=not req.no_cache)
    single = len(dois) + len(arxivs) == 1 and not req.bibtex
    for doi in dois:
        try:
            works.append(metadata.from_doi(doi, metadata.crossref_url(req.crossref_url), fetcher))
        except FetchError as exc:
            if single:
                raise
            outcome.problems.append(f"{doi}: {exc}")
    for arxiv in arxivs:
        try:
            works.append(metadata.from_arxiv(arxiv, metadata.arxiv_url(req.arxiv_url), fetcher))
        except FetchError as exc:
            if single:
                raise
            outcome.problems.append(f"{arxiv}: {exc}")
    return works


def _draft_from_work(
    work: Work, flags: dict[str, Any], req: Request, site: Site, conv: Conventions
) -> Draft:
    values: dict[str, Any] = {}
    if work.title:
        values["title"] = work.title
    if work.venue:
        values["venue"] = work.venue
    date = work.date()
    if date is not None:
        values["date"] = yamlio.JekyllDate(date)
    link = work.paper_link()
    if link:
        values["paperurl"] = link
    category = _guess_category(site, work.kind)
    if category:
        values["category"] = category
    values.update(flags)
    authors = [parse_author(a) for a in req.authors] or work.authors
    _add_citation(values, authors, work, req, site, conv)
    body = req.body if req.body is not None else _body(work, values)
    return Draft(work.key, values, work, body)


def _draft_from_flags(flags: dict[str, Any], req: Request, site: Site, conv: Conventions) -> Draft:
    values = dict(flags)
    if req.label == "posts" and "date" not in values:
        values["date"] = yamlio.JekyllDate(dt.date.today())
    authors = [parse_author(a) for a in req.authors]
    _add_citation(values, authors, None, req, site, conv)
    return Draft(f"the new {NOUN[req.label]}", values, None, req.body or "")


def _guess_category(site: Site, kind: str) -> str | None:
    categories = site.publication_categories
    if not categories:
        return None
    return next((name for name in CATEGORY_GUESSES.get(kind, ()) if name in categories), None)


def _add_citation(
    values: dict[str, Any],
    authors: list[Author],
    work: Work | None,
    req: Request,
    site: Site,
    conv: Conventions,
) -> None:
    if req.label != "publications" or "citation" in values or not authors:
        return
    if "title" not in values:
        return
    date = values.get("date")
    year = date.value.year if isinstance(date, yamlio.JekyllDate) else None
    author = site.config.get("author")
    owner = author.get("name") if isinstance(author, dict) else None
    me = req.me or (str(owner) if owner else None)
    bold = req.bold if req.bold is not None else conv.bold
    values["citation"] = citation.build(
        authors,
        str(values["title"]),
        values.get("venue"),
        year,
        conv.citation_style,
        me,
        bold,
        work.volume if work else None,
        work.number if work else None,
    )


def _body(work: Work, values: dict[str, Any]) -> str:
    parts = []
    if work.abstract:
        parts.append(work.abstract)
    if work.arxiv and values.get("paperurl") != f"https://arxiv.org/abs/{work.arxiv}":
        parts.append(f"Preprint: [arXiv:{work.arxiv}](https://arxiv.org/abs/{work.arxiv})")
    if work.doi and "doi.org" not in str(values.get("paperurl", "")):
        parts.append(f"DOI: [{work.doi}](https://doi.org/{work.doi})")
    return "\n\n".join(parts)


# --- required fields ----------------------------------------------------------------------------


def required(label: str, site: Site) -> list[str]:
    keys = [str(k) for k in schema_fields.schema(label).get("required", [])]
    if label == "publications" and site.publication_categories and "category" not in keys:
        keys.append("category")
    if "title" not in keys:
        keys.insert(0, "title")
    return keys


def _complete(
    drafts: list[Draft], req: Request, site: Site, conv: Conventions, outcome: Outcome, single: bool
) -> None:
    keys = required(req.label, site)
    can_prompt = req.prompt if req.prompt is not None else sys.stdin.isatty()
    for draft in drafts:
        missing = [key for key in keys if key not in draft.values]
        if missing and can_prompt:
            for key in missing:
                draft.values[key] = _ask(key, req.label, site)
            if req.label == "publications" and req.authors:
                _add_citation(
                    draft.values,
                    [parse_author(a) for a in req.authors],
                    draft.work,
                    req,
                    site,
                    conv,
                )
            missing = []
        if not missing:
            continue
        flags = ", ".join(schema_fields.option_name(key) for key in missing)
        if single:
            raise UsageError(
                f"missing required field{'s' if len(missing) > 1 else ''}: {flags} "
                "(pass them, or run on a terminal to be asked)"
            )
        draft.incomplete = True
        outcome.problems.append(f"{draft.name}: missing {flags}; pass it to apply to every entry")


def _ask(key: str, label: str, site: Site) -> Any:
    spec = schema_fields.schema(label).get("properties", {}).get(key, {})
    click.echo(f"{key}: {spec.get('description', '')}", err=True)
    categories = site.publication_categories
    if key == "category" and label == "publications" and categories:
        return click.prompt(
            "category",
            type=click.Choice([str(c) for c in categories]),
            default=str(next(iter(categories))),
            err=True,
        )
    if schema_fields.field_kind(spec) == "date":
        return click.prompt(
            "date", default=dt.date.today().isoformat(), err=True, value_proc=_prompted_date
        )
    return click.prompt(key, value_proc=_prompted_text(key), err=True)


def _prompted_date(text: str) -> yamlio.JekyllDate:
    try:
        return parse_date(text)
    except UsageError as exc:
        raise click.UsageError(str(exc)) from None


def _prompted_text(key: str) -> Any:
    def proc(text: str) -> str:
        value = text.strip()
        if not value:
            raise click.UsageError(f"{key} cannot be empty")
        if key == "title":
            try:
                check_title(value)
            except UsageError as exc:
                raise click.UsageError(str(exc)) from None
        return value

    return proc


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
        _check_category(site, values.get("category"))
    work = draft.work
    match = _duplicate(req.label, index, values, work)
    if match is not None:
        if req.update:
            _update(site, match, values, req.dry_run, outcome)
        else:
            click.echo(
                f"pagemgr: {draft.name}: already on the site as {match.item.rel} (same "
                f"{match.reason}); nothing written (--update refreshes it)",
                err=True,
            )
        return
    date = values.get("date")
    day = date.value if isinstance(date, yamlio.JekyllDate) else None
    stem, permalink = _place(req, conv, title, day, planned)
    final = dict(values)
    if permalink is not None and "permalink" not in final:
        final["permalink"] = permalink
    if conv.collection_key:
        final["collection"] = req.label
    text = newdoc.compose(conv, final, _liquid_safe(draft.body))
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


def _duplicate(
    label: str, index: dedupe.Index, values: dict[str, Any], work: Work | None
) -> dedupe.Match | None:
    title = str(values["title"])
    doi = work.doi if work else None
    arxiv = work.arxiv if work else None
    if label in ("publications", "portfolio"):
        return index.find(title, doi, arxiv)
    # a talk, course or post may well reuse a title: the same one on the same date is a repeat
    return index.find(
        title, doi, arxiv, lambda item: render.same(item.data.get("date"), values.get("date"))
    )


def _place(
    req: Request, conv: Conventions, title: str, day: dt.date | None, planned: set[str]
) -> tuple[str, str | None]:
    slug = slugs.checked_slug(req.slug) if req.slug else slugs.make_slug(title)
    if not slug:
        raise UsageError(f"the title {title!r} gives an empty file name; pass --slug")
    dated = conv.dated or req.label == "posts"
    if dated:
        slug = f"{(day or dt.date.today()).isoformat()}-{slug}"
    taken = conv.taken() | planned
    used = conv.permalinks()
    stem = slugs.unique_stem(slug, taken)
    permalink = conv.permalink_for(stem, day)
    while permalink is not None and conventions._norm_url(permalink) in used:
        taken.add(stem.casefold())
        stem = slugs.unique_stem(slug, taken)
        permalink = conv.permalink_for(stem, day)
    return stem, permalink


def _liquid_safe(body: str) -> str:
    """Jekyll runs Liquid on the body: text with `{{` or `{%` is shown as written."""
    if "{{" in body or "{%" in body:
        return (
            "{% raw %}\n"
            + body.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}")
            + "\n{% endraw %}"
        )
    return body


# --- --update -----------------------------------------------------------------------------------


def _update(
    site: Site, match: dedupe.Match, values: dict[str, Any], dry_run: bool, outcome: Outcome
) -> None:
    from pagemgr.edit import editing, splice
    from pagemgr.edit.editpath import parse_path

    target = editing.open_target(match.item.path, site.root)
    current = target.data()
    changes = {
        key: values[key]
        for key in UPDATE_KEYS
        if key in values and not render.same(current.get(key), values[key])
    }
    if not changes:
        click.echo(f"pagemgr: {match.item.rel}: already up to date (same {match.reason})", err=True)
        return

    def operation(text: str) -> str:
        for key, value in changes.items():
            text = splice.set_value(text, parse_path(key), value)
        return text

    def expect(data: Any) -> bool:
        return isinstance(data, dict) and all(
            render.same(data.get(k), v) for k, v in changes.items()
        )

    result = editing.edit(target, operation, expect=expect, dry_run=dry_run)
    if dry_run:
        click.echo(result.diff, nl=False)
        return
    outcome.updated.append(match.item.path)
    click.echo(match.item.rel)
    click.echo(
        f"pagemgr: updated {', '.join(changes)} in {match.item.rel} (same {match.reason})", err=True
    )


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
