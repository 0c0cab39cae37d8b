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
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click

from pagemgr.add import citation, conventions, dedupe, newdoc, prompts, refresh, slugs
from pagemgr.add import fields as schema_fields
from pagemgr.add.categories import category_for
from pagemgr.add.conventions import Conventions, Existing
from pagemgr.add.record import Author, Work, require_arxiv, require_doi
from pagemgr.edit import render
from pagemgr.errors import PagemgrError, UsageError
from pagemgr.site.model import Site, find_site_root, load_site
from pagemgr.yaml import yamlio

MAX_TITLE = 500
ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
NOUN = {
    "publications": "publication",
    "talks": "talk",
    "teaching": "teaching entry",
    "portfolio": "portfolio item",
    "posts": "post",
}
KIND_NOUNS = {
    "article": "journal article",
    "inproceedings": "conference paper",
    "book": "book",
    "thesis": "thesis",
    "preprint": "preprint",
    "report": "report",
}
# who gives a value: "user" (a flag that overrides, an answer), "source" (BibTeX, Crossref,
# arXiv, or pagemgr's own citation: recorded, and refreshed while unchanged), "default" (a guess
# or a flag that only fills what a source lacks)
Owner = Literal["user", "source", "default"]


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
    origin: str = ""  # where the work was read: "refs.bib", "Crossref", "arXiv"
    authors: list[Author] = field(default_factory=list)
    owners: dict[str, Owner] = field(default_factory=dict)
    date_precision: int = 3  # how much of values["date"] is known: 3 day, 2 month, 1 year

    def owner(self, key: str) -> Owner:
        return self.owners.get(key, "default")

    def give(self, key: str, value: Any, owner: Owner) -> None:
        self.values[key] = value
        self.owners[key] = owner


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
        found = _gather(req, dois, arxivs, outcome)
        fill = bool(req.bibtex) or len(found) > 1  # flags fill gaps, never override every entry
        drafts = [_draft_from_work(work, origin, flags, req, site, fill) for work, origin in found]
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
            _set_citation(draft, req, site, conv)
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


def _draft_from_work(
    work: Work, origin: str, flags: dict[str, Any], req: Request, site: Site, fill: bool
) -> Draft:
    """The work's values; flags override them (`fill`: only fill what the work lacks)."""
    draft = Draft(work.key, {}, work, origin=origin, date_precision=work.date_precision())
    date = work.date()
    link = work.paper_link()
    for key, value in (
        ("title", work.title),
        ("venue", work.venue),
        ("date", yamlio.JekyllDate(date) if date else None),
        ("paperurl", link),
    ):
        if value:
            draft.give(key, value, "source")
    if req.label == "publications":
        category = category_for(work.kind, site.publication_categories)
        if category:
            draft.give("category", category, "default")
    for key, value in flags.items():
        if not fill:
            draft.give(key, value, "user")
        elif key not in draft.values or (key == "date" and _refines(draft, value)):
            draft.give(key, value, "default")
    if draft.owner("date") != "source":
        draft.date_precision = 3
    draft.authors = [parse_author(a) for a in req.authors] or work.authors
    draft.body = req.body if req.body is not None else _body(work, draft.values)
    return draft


def _refines(draft: Draft, given: yamlio.JekyllDate) -> bool:
    """Whether a --date given for many entries fills in this one's: it knows only the year (or
    the month) and the date agrees with it."""
    work = draft.work
    if work is None or work.year is None:
        return True
    if draft.date_precision >= 3 or given.value.year != work.year:
        return False
    return work.month is None or given.value.month == work.month


def _draft_from_flags(flags: dict[str, Any], req: Request) -> Draft:
    draft = Draft(f"the new {NOUN[req.label]}", {})
    for key, value in flags.items():
        draft.give(key, value, "user")
    if req.label == "posts" and "date" not in draft.values:
        draft.give("date", yamlio.JekyllDate(dt.date.today()), "default")
    draft.authors = [parse_author(a) for a in req.authors]
    draft.body = req.body or ""
    return draft


def _body(work: Work, values: dict[str, Any]) -> str:
    from pagemgr.add.record import doi_url

    parts = []
    if work.abstract:
        parts.append(work.abstract)
    if work.arxiv and values.get("paperurl") != f"https://arxiv.org/abs/{work.arxiv}":
        parts.append(f"Preprint: [arXiv:{work.arxiv}](https://arxiv.org/abs/{work.arxiv})")
    if work.doi and "doi.org" not in str(values.get("paperurl", "")):
        parts.append(f"DOI: [{work.doi}]({doi_url(work.doi)})")
    return "\n\n".join(parts)


# --- the citation -------------------------------------------------------------------------------


def _set_citation(draft: Draft, req: Request, site: Site, conv: Conventions) -> None:
    if req.label != "publications" or "citation" in draft.values:
        return
    text = _citation(draft.values, draft.authors, draft.work, req, site, conv)
    if text is not None:
        draft.give("citation", text, "source")


def _citation(
    values: dict[str, Any],
    authors: list[Author],
    work: Work | None,
    req: Request,
    site: Site,
    conv: Conventions,
) -> str | None:
    if not authors or values.get("title") is None:
        return None
    date = values.get("date")
    year = date.value.year if isinstance(date, yamlio.JekyllDate) else None
    author = site.config.get("author")
    owner = author.get("name") if isinstance(author, dict) else None
    me = req.me or (str(owner) if owner else None)
    bold = req.bold if req.bold is not None else conv.bold
    venue = values.get("venue")
    return citation.build(
        authors,
        str(values["title"]),
        str(venue) if venue is not None else None,
        year,
        conv.citation_style,
        me,
        bold,
        work.volume if work else None,
        work.number if work else None,
        work.pages if work else None,
    )


# --- required and recommended fields ------------------------------------------------------------


def required(label: str, site: Site) -> list[str]:
    return schema_fields.required_keys(label, with_categories=bool(site.publication_categories))


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
    return _duplicate(label, index, draft.values, draft.work) is not None


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
        _check_category(site, values.get("category"))
    work = draft.work
    match = _duplicate(req.label, index, values, work)
    if match is not None:
        if req.update:
            _update(site, match, draft, req, conv, outcome)
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
    if req.label == "publications":
        pagemgrs = {k for k in refresh.REFRESHABLE if draft.owner(k) == "source"}
        record = refresh.record_for(final, pagemgrs)
        if record:
            final[schema_fields.RECORD_KEY] = record
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


@dataclass
class RefreshPlan:
    """What --update writes into one file, and what it keeps and why."""

    changes: dict[str, Any] = field(default_factory=dict)
    record: dict[str, str | None] = field(default_factory=dict)  # fingerprint; None: forget
    kept: list[str] = field(default_factory=list)

    def consider(
        self, current: dict[str, Any], key: str, value: Any, owner: Owner, precision: int
    ) -> None:
        decision = refresh.decide(current, key, value, owner=owner, precision=precision)
        if decision.write:
            self.changes[key] = value
            self.record[key] = refresh.fingerprint(value) if owner == "source" else None
        elif decision.kept_because:
            self.kept.append(f"{key} ({decision.kept_because})")


def _plan_refresh(
    current: dict[str, Any], draft: Draft, req: Request, site: Site, conv: Conventions
) -> RefreshPlan:
    plan = RefreshPlan()
    for key in refresh.REFRESHABLE:
        if key != "citation" and key in draft.values:
            precision = draft.date_precision if key == "date" else 3
            plan.consider(current, key, draft.values[key], draft.owner(key), precision)
    if draft.owner("citation") == "source":  # pagemgr's: made again from what the file will say
        merged = {**current, **plan.changes}
        text = _citation(merged, draft.authors, draft.work, req, site, conv)
        if text is not None:
            plan.consider(current, "citation", text, "source", 3)
    elif "citation" in draft.values:
        plan.consider(current, "citation", draft.values["citation"], draft.owner("citation"), 3)
    return plan


def _update(
    site: Site,
    match: dedupe.Match,
    draft: Draft,
    req: Request,
    conv: Conventions,
    outcome: Outcome,
) -> None:
    from pagemgr.edit import editing

    rel = match.item.rel
    target = editing.open_target(match.item.path, site.root)
    data = target.data()
    current: dict[str, Any] = data if isinstance(data, dict) else {}
    plan = _plan_refresh(current, draft, req, site, conv)
    if plan.kept:
        click.echo(
            f"pagemgr: {rel}: kept {', '.join(plan.kept)}; `pagemgr set {rel} KEY VALUE` "
            "changes one",
            err=True,
        )
    record = {**refresh.record_of(current)}
    for key, fingerprint in plan.record.items():
        if fingerprint is None:
            record.pop(key, None)
        else:
            record[key] = fingerprint
    if not plan.changes:
        click.echo(f"pagemgr: {rel}: already up to date (same {match.reason})", err=True)
        return

    def operation(text: str) -> str:
        for key, value in plan.changes.items():
            text = _splice_set(text, (key,), value)
        return _write_record(text, current, plan.record, record)

    def expect(edited: Any) -> bool:
        return (
            isinstance(edited, dict)
            and all(render.same(edited.get(k), v) for k, v in plan.changes.items())
            and refresh.record_of(edited) == record
        )

    result = editing.edit(target, operation, expect=expect, dry_run=req.dry_run)
    if req.dry_run:
        click.echo(result.diff, nl=False)
        return
    outcome.updated.append(match.item.path)
    click.echo(rel)
    click.echo(
        f"pagemgr: updated {', '.join(plan.changes)} in {rel} (same {match.reason})", err=True
    )


def _write_record(
    text: str, current: dict[str, Any], updates: dict[str, str | None], record: dict[str, str]
) -> str:
    """The record key after a refresh: one flow mapping, each entry set or removed in place."""
    key = schema_fields.RECORD_KEY
    old = current.get(key)
    if not record:
        return _splice_unset(text, (key,)) if key in current else text
    if not isinstance(old, dict):
        text = _splice_set(text, (key,), {})
        old = {}
    for name, fingerprint in updates.items():
        if fingerprint is not None:
            text = _splice_set(text, (key, name), fingerprint)
        elif name in old:
            text = _splice_unset(text, (key, name))
    return text


def _splice_set(text: str, path: tuple[str, ...], value: Any) -> str:
    from pagemgr.edit import splice

    return splice.set_value(text, path, value)


def _splice_unset(text: str, path: tuple[str, ...]) -> str:
    from pagemgr.edit import splice

    return splice.unset(text, path)


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
