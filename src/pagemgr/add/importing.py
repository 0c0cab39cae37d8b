"""A researcher's works from a source (ORCID, OpenAlex, DBLP), made ready for the site.

Each source gives `Imported` works and `Skipped` ones (with why). This module filters them
(`--since`, `--type`), merges the ones that are the same paper (a preprint and its published
version: the published one wins, the preprint's link stays as an extra URL), completes what a
source lacks from Crossref by DOI, chooses each one's category, and finds the file already on
the site that holds it (by DOI, arXiv id, source id or normalised title).

The sources speak plain HTTP through `http` (timeout, bounded retries honouring Retry-After,
the cache), not pyalex or habanero: each would bring requests or httpx (habanero also tqdm,
PyYAML, packaging) for three GETs and a cursor loop, a second retry and cache policy to keep in
line with `http`'s, and neither covers ORCID or DBLP.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from pagemgr.add import dedupe, refresh
from pagemgr.add.categories import category_for
from pagemgr.add.conventions import Existing
from pagemgr.add.latex import html_to_text
from pagemgr.add.record import Author, Work, normalise_title
from pagemgr.errors import UsageError

# the --type names, and the kinds of `Work` they select
TYPES = {"journal": "article", "conference": "inproceedings", "preprint": "preprint"}
# a kind's name in `pagemgr: import_categories:` (the --type names, and the other kinds)
TYPE_NAMES = {kind: name for name, kind in TYPES.items()} | {
    "book": "book",
    "thesis": "thesis",
    "report": "report",
}
SETTING = "import_categories"  # in _config.yml's pagemgr: block
ID_KEYS = ("openalex", "dblp", "orcid")  # the source ids kept in the pagemgr_wrote record
MAX_ABSTRACT = 20_000  # characters; a longer one is left out (a body, not a book)
MAX_TITLE = 500
MAX_FIELD = 2_000
_SPACE = re.compile(r"\s+")


@dataclass
class Imported:
    """One work as a source gives it, with the ids that name it there."""

    work: Work
    source_type: str  # the type in the source's words: "journal-article", "inproceedings"
    ids: dict[str, str] = field(default_factory=dict)  # "openalex": "W2741809807"
    extra_urls: list[str] = field(default_factory=list)  # links of merged versions

    @property
    def name(self) -> str:
        title = self.work.title or "(untitled)"
        shown = title if len(title) <= 60 else title[:57] + "..."
        return f"{self.work.key} {shown!r}"


@dataclass(frozen=True)
class Skipped:
    name: str
    reason: str


@dataclass
class Sourced:
    """What one source answered: the works it gave and the ones it could not."""

    works: list[Imported] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


# --- reading a source's fields ------------------------------------------------------------------


def clean_text(value: object, limit: int = MAX_FIELD) -> str | None:
    """A source's title, venue or name as plain text (HTML dropped, spaces collapsed), or None
    when it is missing, not text, or absurdly long."""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        return None
    text = html_to_text(str(value)) if "<" in str(value) or "&" in str(value) else str(value)
    text = _SPACE.sub(" ", text).strip()
    if not text or len(text) > limit:
        return None
    return text


def checked(item: Imported) -> Imported:
    """`item`, or ValueError saying why it cannot become a publication."""
    work = item.work
    if work.title is None:
        raise ValueError("the source gives no title")
    if len(work.title) > MAX_TITLE:
        raise ValueError(f"the title is {len(work.title):,} characters long")
    if work.abstract and len(work.abstract) > MAX_ABSTRACT:
        work.notes.append(
            f"{work.key}: abstract of {len(work.abstract):,} characters left out "
            f"(at most {MAX_ABSTRACT:,})"
        )
        work.abstract = None
    return item


def split_name(name: str) -> Author:
    words = name.split()
    if len(words) < 2:
        return Author("", name.strip())
    return Author(" ".join(words[:-1]), words[-1])


# --- --since, --type ----------------------------------------------------------------------------


def left_out(item: Imported, since: int | None, types: Sequence[str]) -> str | None:
    """Why `--since` or `--type` leaves the work out, or None."""
    work = item.work
    if since is not None:
        if work.year is None:
            return f"no year (--since {since})"
        if work.year < since:
            return f"{work.year} is before --since {since}"
    if types and work.kind not in {TYPES[name] for name in types}:
        return f"a {TYPE_NAMES.get(work.kind, work.kind)}, not --type {'/'.join(types)}"
    return None


# --- the same paper twice ------------------------------------------------------------------------


def merge_duplicates(items: Sequence[Imported]) -> tuple[list[Imported], list[Skipped]]:
    """One work per paper: works sharing a DOI, arXiv id, source id or normalised title are one,
    the published version first (it wins), the others' links kept as extra URLs; and a line for
    each work merged into another."""
    groups: list[list[Imported]] = []
    seen: dict[str, int] = {}
    for item in items:
        keys = identity_keys(item)
        found = sorted({seen[key] for key in keys if key in seen})
        if not found:
            groups.append([item])
            number = len(groups) - 1
        else:
            number = found[0]
            for other in found[1:]:  # this work joins groups that were apart until now
                groups[number].extend(groups[other])
                groups[other] = []
                seen.update({k: number for k, v in seen.items() if v == other})
            groups[number].append(item)
        seen.update({key: number for key in keys})
    kept: list[Imported] = []
    merged: list[Skipped] = []
    for group in groups:
        if group:
            best = _merged(group)
            kept.append(best)
            merged.extend(
                Skipped(other.name, f"the same paper as {best.name}")
                for other in group
                if other is not best
            )
    return kept, merged


def identity_keys(item: Imported) -> set[str]:
    work = item.work
    keys = {f"{source}:{value}" for source, value in item.ids.items()}
    if work.doi:
        keys.add("doi:" + work.doi.casefold())
    if work.arxiv:
        keys.add("arxiv:" + work.arxiv.casefold())
    if work.title and normalise_title(work.title):
        keys.add("title:" + normalise_title(work.title))
    return keys


def _merged(group: list[Imported]) -> Imported:
    ranked = sorted(group, key=lambda item: item.work.kind == "preprint")  # stable: published first
    best = ranked[0]
    for other in ranked[1:]:
        _fill_from(best, other)
    return best


def _fill_from(best: Imported, other: Imported) -> None:
    work, more = best.work, other.work
    for name in ("venue", "doi", "url", "abstract", "volume", "number", "pages", "year"):
        if getattr(work, name) is None and getattr(more, name) is not None:
            setattr(work, name, getattr(more, name))
    if work.arxiv is None and more.arxiv is not None:
        work.arxiv = more.arxiv  # the body links the preprint on arXiv
    elif more.kind == "preprint" and work.kind != "preprint":
        link = more.paper_link()
        if link and link != work.paper_link() and link not in best.extra_urls:
            best.extra_urls.append(link)
    if not work.authors:
        work.authors = list(more.authors)
    for key, value in other.ids.items():
        best.ids.setdefault(key, value)
    best.extra_urls.extend(u for u in other.extra_urls if u not in best.extra_urls)


# --- completing from Crossref -------------------------------------------------------------------


def lacks(work: Work) -> bool:
    """Whether Crossref could add to what the source gave."""
    return not work.authors or work.venue is None or work.month is None or work.pages is None


def complete(work: Work, crossref: Work) -> None:
    """Fill what `work` lacks from Crossref's record of the same DOI; keep what it has, except a
    date Crossref knows more precisely in the same year."""
    for name in ("title", "venue", "volume", "number", "pages", "abstract"):
        if getattr(work, name) is None and getattr(crossref, name) is not None:
            setattr(work, name, getattr(crossref, name))
    if not work.authors:
        work.authors = list(crossref.authors)
    same_year = work.year is None or work.year == crossref.year
    if same_year and crossref.date_precision() > work.date_precision():
        work.year, work.month, work.day = crossref.year, crossref.month, crossref.day


# --- categories ---------------------------------------------------------------------------------


def category_map(
    settings: Mapping[str, Any], categories: Mapping[str, Any] | None
) -> dict[str, str]:
    """`pagemgr: import_categories:` of _config.yml: a type (journal, conference, preprint, book,
    thesis, report, other, or a source's own type name) -> a key of publication_category."""
    raw = settings.get(SETTING)
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise UsageError(f"pagemgr: {SETTING}: in _config.yml must map a work type to a category")
    known = {str(key) for key in categories or {}}
    mapping = {str(key): str(value) for key, value in raw.items()}
    wrong = sorted(value for value in mapping.values() if known and value not in known)
    if wrong:
        raise UsageError(
            f"pagemgr: {SETTING}: in _config.yml names {', '.join(map(repr, wrong))}, not a key "
            f"of publication_category ({', '.join(sorted(known))})"
        )
    return mapping


def category_of(
    item: Imported, mapping: Mapping[str, str], categories: Mapping[str, Any] | None
) -> str | None:
    """The site's category for the work: the site's mapping of its source type or its kind,
    else the category whose title names its kind (as `add` chooses)."""
    kind = item.work.kind
    for name in (item.source_type, TYPE_NAMES.get(kind, "other")):
        if name in mapping:
            return mapping[name]
    return category_for(kind, categories)


# --- what the site has --------------------------------------------------------------------------


@dataclass
class OnSite:
    """The publications already on the site, found by DOI, arXiv id, title or source id."""

    index: dedupe.Index
    ids: dict[str, Existing]

    def find(self, item: Imported) -> dedupe.Match | None:
        for source, value in item.ids.items():
            existing = self.ids.get(f"{source}:{value}")
            if existing is not None:
                return dedupe.Match(existing, f"{_SOURCE_NAMES[source]} id {value}")
        work = item.work
        return self.index.find(work.title, work.doi, work.arxiv)

    def add(self, existing: Existing, item: Imported) -> None:
        work = item.work
        self.index.add(existing, work.title, work.doi, work.arxiv)
        for source, value in item.ids.items():
            self.ids.setdefault(f"{source}:{value}", existing)


_SOURCE_NAMES = {"openalex": "OpenAlex", "dblp": "DBLP", "orcid": "ORCID"}


def on_site(existing: Iterable[Existing]) -> OnSite:
    items = list(existing)
    ids: dict[str, Existing] = {}
    for item in items:
        record = refresh.record_of(item.data)
        for source in ID_KEYS:
            if source in record:
                ids.setdefault(f"{source}:{record[source]}", item)
    return OnSite(dedupe.build_index(items), ids)
