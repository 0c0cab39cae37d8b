"""A new collection item on its way into the site: the request, the draft of its values and who
gave each, the citation, where it goes, and the refresh of one already there.

Shared by `pagemgr add` and `pagemgr import` (the commands own gathering, prompting and
committing); messages about what a step did go to stderr with `click.echo`, as the edit layer's
do.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import click

from pagemgr.add import citation, conventions, dedupe, refresh, slugs
from pagemgr.add import fields as schema_fields
from pagemgr.add.categories import category_for
from pagemgr.add.conventions import Conventions
from pagemgr.add.record import Author, Work
from pagemgr.edit import render
from pagemgr.errors import UsageError
from pagemgr.site.model import Site
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


def require_collection(site: Site, label: str) -> None:
    """Jekyll skips every file of a collection _config.yml does not declare: refuse to write one."""
    if label not in site.collections:
        raise UsageError(
            f"_config.yml declares no `{label}` collection, so Jekyll would skip the new file; "
            f"add it under `collections:` (academicpages: `{label}: {{output: true, permalink: "
            "/:collection/:path/}`) and run the command again"
        )


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


def check_category(site: Site, value: Any) -> None:
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


def draft_from_work(
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


def set_citation(draft: Draft, req: Request, site: Site, conv: Conventions) -> None:
    if req.label != "publications" or "citation" in draft.values:
        return
    text = citation_text(draft.values, draft.authors, draft.work, req, site, conv)
    if text is not None:
        draft.give("citation", text, "source")


def citation_text(
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


def required(label: str, site: Site) -> list[str]:
    return schema_fields.required_keys(label, with_categories=bool(site.publication_categories))


def find_duplicate(
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


def place(
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


def liquid_safe(body: str) -> str:
    """Jekyll runs Liquid on the body: text with `{{` or `{%` is shown as written."""
    if "{{" in body or "{%" in body:
        return (
            "{% raw %}\n"
            + body.replace("{% endraw %}", "{% endraw %}{{ '{% endraw %}' }}{% raw %}")
            + "\n{% endraw %}"
        )
    return body


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


def plan_refresh(
    current: dict[str, Any], draft: Draft, req: Request, site: Site, conv: Conventions
) -> RefreshPlan:
    plan = RefreshPlan()
    for key in refresh.REFRESHABLE:
        if key != "citation" and key in draft.values:
            precision = draft.date_precision if key == "date" else 3
            plan.consider(current, key, draft.values[key], draft.owner(key), precision)
    if draft.owner("citation") == "source":  # pagemgr's: made again from what the file will say
        merged = {**current, **plan.changes}
        text = citation_text(merged, draft.authors, draft.work, req, site, conv)
        if text is not None:
            plan.consider(current, "citation", text, "source", 3)
    elif "citation" in draft.values:
        plan.consider(current, "citation", draft.values["citation"], draft.owner("citation"), 3)
    return plan


def update_existing(
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
    plan = plan_refresh(current, draft, req, site, conv)
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
