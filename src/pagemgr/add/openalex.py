"""A researcher's works from OpenAlex: `/works?filter=author.id:A…` page by page with the
cursor, an author found by ORCID through `/authors/orcid:…`."""

from __future__ import annotations

import re
import urllib.parse
from collections.abc import Callable
from typing import Any

from pagemgr.add.http import Fetcher, FetchError, base_url, load_json
from pagemgr.add.importing import Imported, Skipped, Sourced, checked, clean_text, split_name
from pagemgr.add.orcid import parse_orcid
from pagemgr.add.record import Work, parse_arxiv, parse_doi
from pagemgr.errors import UsageError

OPENALEX_URL = "https://api.openalex.org"
PER_PAGE = 200  # the most OpenAlex gives in one page
MAX_PAGES = 250  # 50,000 works: more is not one researcher
_AUTHOR = re.compile(r"\A(?:https?://openalex\.org/)?(A\d{4,12})/?\Z", re.IGNORECASE)
KINDS = {
    "article": "article",
    "letter": "article",
    "review": "article",
    "book": "book",
    "book-chapter": "book",
    "dissertation": "thesis",
    "preprint": "preprint",
    "report": "report",
}
_CONFERENCE_TYPES = frozenset({"proceedings-article", "proceedings"})


def openalex_url() -> str:
    return base_url("PAGEMGR_OPENALEX_URL", OPENALEX_URL)


def author_id(text: str, base: str, fetcher: Fetcher, mailto: str | None) -> str:
    """The OpenAlex author id (A…) named by `text`: itself, or an ORCID iD looked up."""
    match = _AUTHOR.match(text.strip())
    if match:
        return match.group(1).upper()
    orcid = parse_orcid(text)
    if orcid is None:
        raise UsageError(f"{text!r} is neither an OpenAlex author id (A5023888391) nor an ORCID iD")
    url = f"{base}/authors/orcid:{orcid}" + _polite(mailto, "?")
    data = load_json(fetcher.get(url, f"ORCID {orcid}"), url, f"ORCID {orcid}")
    found = _AUTHOR.match(str(data.get("id", ""))) if isinstance(data, dict) else None
    if found is None:
        raise FetchError(f"OpenAlex's answer about ORCID {orcid} has no author id")
    return found.group(1).upper()


def _polite(mailto: str | None, joiner: str) -> str:
    return f"{joiner}mailto={urllib.parse.quote(mailto)}" if mailto else ""


def works(
    author: str,
    base: str,
    fetcher: Fetcher,
    mailto: str | None,
    progress: Callable[[int, int], None],
) -> Sourced:
    """Every work of `author`, following `meta.next_cursor` until it runs out."""
    found = Sourced()
    cursor: str | None = "*"
    for _page in range(MAX_PAGES):
        if cursor is None:
            break
        url = (
            f"{base}/works?filter=author.id:{author}&per-page={PER_PAGE}"
            f"&cursor={urllib.parse.quote(cursor, safe='')}" + _polite(mailto, "&")
        )
        results, total, cursor = _page_of(fetcher, url, author)
        for data in results:
            progress(len(found.works) + len(found.skipped) + 1, total)
            _add(found, data)
    return found


def _page_of(fetcher: Fetcher, url: str, author: str) -> tuple[list[Any], int, str | None]:
    what = f"the works of OpenAlex author {author}"
    data = load_json(fetcher.get(url, what), url, what)
    meta = data.get("meta") if isinstance(data, dict) else None
    results = data.get("results") if isinstance(data, dict) else None
    if not isinstance(meta, dict) or not isinstance(results, list):
        raise FetchError(f"the answer about {what} has no 'meta' and 'results'")
    total = meta.get("count")
    cursor = meta.get("next_cursor")
    next_cursor = cursor if isinstance(cursor, str) and cursor and results else None
    return results, total if isinstance(total, int) else len(results), next_cursor


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _add(found: Sourced, data: Any) -> None:
    if not isinstance(data, dict):
        found.skipped.append(Skipped("an OpenAlex result", "it is not a JSON object"))
        return
    ident = _work_id(data)
    try:
        found.works.append(checked(work_from(data, ident)))
    except ValueError as exc:
        found.skipped.append(Skipped(f"OpenAlex {ident or '(no id)'}", str(exc)))


def _work_id(data: dict[str, Any]) -> str:
    return str(data.get("id") or "").rsplit("/", 1)[-1]


def work_from(data: dict[str, Any], ident: str) -> Imported:
    """A work from an OpenAlex Work object."""
    if not re.fullmatch(r"W\d+", ident):
        raise ValueError("it has no OpenAlex work id")
    source_type = str(data.get("type") or "")
    location = _mapping(data.get("primary_location"))
    source = _mapping(location.get("source"))
    work = Work(key=f"OpenAlex {ident}", kind=_kind(source_type, data, source))
    work.title = clean_text(data.get("title") or data.get("display_name"), limit=10_000)
    work.doi = parse_doi(str(data["doi"])) if isinstance(data.get("doi"), str) else None
    work.arxiv = _arxiv(data)
    work.venue = clean_text(source.get("display_name"))
    if (
        work.kind == "preprint"
        and work.arxiv
        and (work.venue is None or "arxiv" in work.venue.casefold())
    ):
        work.venue = f"arXiv preprint arXiv:{work.arxiv}"
    _read_date(work, data)
    work.authors = [split_name(name) for name in _authors(data)]
    biblio = _mapping(data.get("biblio"))
    work.volume = clean_text(biblio.get("volume"), 50)
    work.number = clean_text(biblio.get("issue"), 50)
    first, last = clean_text(biblio.get("first_page"), 50), clean_text(biblio.get("last_page"), 50)
    work.pages = f"{first}\u2013{last}" if first and last and first != last else first
    landing = location.get("landing_page_url")
    if not work.doi and isinstance(landing, str) and landing.startswith(("http://", "https://")):
        work.url = landing
    work.abstract = abstract_text(data.get("abstract_inverted_index"))
    return Imported(work, source_type, {"openalex": ident})


def _kind(source_type: str, data: dict[str, Any], source: dict[str, Any]) -> str:
    if data.get("type_crossref") in _CONFERENCE_TYPES or source.get("type") == "conference":
        return (
            "inproceedings" if source_type in ("article", "") else KINDS.get(source_type, "other")
        )
    return KINDS.get(source_type, "other")


def _arxiv(data: dict[str, Any]) -> str | None:
    doi = data.get("doi")
    if isinstance(doi, str) and "10.48550/arxiv." in doi.casefold():
        return parse_arxiv(doi.casefold().rsplit("arxiv.", 1)[-1])
    for location in data.get("locations") or []:
        url = location.get("landing_page_url") if isinstance(location, dict) else None
        if isinstance(url, str) and "arxiv.org/abs/" in url:
            return parse_arxiv(url.replace("http://", "https://"))
    return None


def _read_date(work: Work, data: dict[str, Any]) -> None:
    date = data.get("publication_date")
    match = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", date) if isinstance(date, str) else None
    if match:
        work.year, work.month, work.day = (int(part) for part in match.groups())
    elif isinstance(data.get("publication_year"), int):
        work.year = data["publication_year"]


def _authors(data: dict[str, Any]) -> list[str]:
    names = []
    for item in data.get("authorships") or []:
        if not isinstance(item, dict):
            continue
        author = _mapping(item.get("author"))
        name = clean_text(author.get("display_name") or item.get("raw_author_name"), limit=300)
        if name:
            names.append(name)
    return names


def abstract_text(index: Any) -> str | None:
    """The abstract from OpenAlex's inverted index (word -> positions)."""
    if not isinstance(index, dict) or not index:
        return None
    placed: dict[int, str] = {}
    for word, positions in index.items():
        for position in positions if isinstance(positions, list) else []:
            if isinstance(position, int) and position >= 0:
                placed[position] = str(word)
    return " ".join(placed[key] for key in sorted(placed)) or None
