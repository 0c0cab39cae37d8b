"""Works from the Crossref (DOI) and arXiv APIs."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any
from xml.etree import ElementTree

from pagemgr.add.http import Fetcher, FetchError, base_url, forget, load_json
from pagemgr.add.latex import html_to_text
from pagemgr.add.record import Author, Work, parse_arxiv, parse_doi

CROSSREF_URL = "https://api.crossref.org"
ARXIV_URL = "https://export.arxiv.org/api"
ATOM = "{http://www.w3.org/2005/Atom}"
ARXIV_NS = "{http://arxiv.org/schemas/atom}"
CROSSREF_KINDS = {
    "journal-article": "article",
    "proceedings-article": "inproceedings",
    "book": "book",
    "book-chapter": "book",
    "monograph": "book",
    "edited-book": "book",
    "posted-content": "preprint",
    "dissertation": "thesis",
    "report": "report",
}


def crossref_url(option: str | None) -> str:
    return base_url("PAGEMGR_CROSSREF_URL", CROSSREF_URL, option)


def arxiv_url(option: str | None) -> str:
    return base_url("PAGEMGR_ARXIV_URL", ARXIV_URL, option)


def from_doi(doi: str, base: str, fetcher: Fetcher) -> Work:
    # DOIs are case-insensitive: one spelling for the request, so for the cache too
    url = f"{base}/works/{urllib.parse.quote(doi.lower(), safe='')}"
    what = f"DOI {doi}"
    data = load_json(fetcher.get(url, what), url, what)
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, dict):
        forget(url)
        raise FetchError(f"the answer about {what} has no 'message' object; is {base} Crossref?")
    return crossref_work(message, doi)


def crossref_work(message: dict[str, Any], doi: str) -> Work:
    work = Work(key=doi, kind=CROSSREF_KINDS.get(str(message.get("type", "")), "other"))
    work.doi = parse_doi(str(message.get("DOI", doi))) or doi
    work.title = _first_text(message.get("title"))
    subtitle = _first_text(message.get("subtitle"))
    if work.title and subtitle and subtitle.lower() not in work.title.lower():
        work.title = f"{work.title}: {subtitle}"
    work.venue = _first_text(message.get("container-title")) or _first_text(
        message.get("publisher")
    )
    work.authors = [_crossref_author(item) for item in _list(message.get("author"))]
    parts = _date_parts(message)
    if parts:
        work.year = parts[0]
        work.month = parts[1] if len(parts) > 1 else None
        work.day = parts[2] if len(parts) > 2 else None
    if work.month is None and work.year is not None:
        work.notes.append(
            f"{doi}: Crossref gives only the year, dated {work.year}-01-01; pass --date to change"
        )
    work.abstract = html_to_text(str(message["abstract"])) if message.get("abstract") else None
    work.volume = _str(message.get("volume"))
    work.number = _str(message.get("issue"))
    work.pages = _str(message.get("page"))
    return work


def _crossref_author(item: Any) -> Author:
    if not isinstance(item, dict):
        return Author("", str(item))
    if item.get("family"):
        return Author(html_to_text(str(item.get("given", ""))), html_to_text(str(item["family"])))
    return Author("", html_to_text(str(item.get("name", item.get("given", "")))))


def _date_parts(message: dict[str, Any]) -> list[int]:
    for key in ("published-print", "published-online", "published", "issued", "created"):
        value = message.get(key)
        if isinstance(value, dict):
            parts = value.get("date-parts")
            if isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]:
                numbers = [p for p in parts[0] if isinstance(p, int)]
                if numbers and numbers[0] > 0:
                    return numbers
    return []


def _first_text(value: Any) -> str | None:
    if isinstance(value, list):
        value = value[0] if value else None
    if value is None:
        return None
    text = html_to_text(str(value))
    return text or None


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else []


def _str(value: Any) -> str | None:
    return str(value) if value not in (None, "") else None


def from_arxiv(arxiv_id: str, base: str, fetcher: Fetcher) -> Work:
    url = f"{base}/query?id_list={urllib.parse.quote(arxiv_id, safe='/')}&max_results=1"
    what = f"arXiv {arxiv_id}"
    body = fetcher.get(url, what)
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        forget(url)
        raise FetchError(
            f"{urllib.parse.urlparse(url).netloc} sent an answer about {what} that is not valid XML"
        ) from None
    entries = [e for e in root.findall(f"{ATOM}entry") if _arxiv_entry_ok(e)]
    if not entries:
        forget(url)
        raise FetchError(f"arXiv does not know {what}")
    return arxiv_work(entries[0], arxiv_id)


def _arxiv_entry_ok(entry: ElementTree.Element) -> bool:
    title = entry.findtext(f"{ATOM}title") or ""
    return bool(title.strip()) and title.strip() != "Error"


def arxiv_work(entry: ElementTree.Element, arxiv_id: str) -> Work:
    work = Work(key=f"arXiv:{arxiv_id}", kind="preprint")
    work.arxiv = parse_arxiv(entry.findtext(f"{ATOM}id") or "") or arxiv_id
    work.title = " ".join((entry.findtext(f"{ATOM}title") or "").split()) or None
    work.abstract = " ".join((entry.findtext(f"{ATOM}summary") or "").split()) or None
    work.authors = [
        _split_name(a.findtext(f"{ATOM}name") or "") for a in entry.findall(f"{ATOM}author")
    ]
    published = entry.findtext(f"{ATOM}published") or ""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", published)
    if match:
        work.year, work.month, work.day = (int(part) for part in match.groups())
    doi = entry.findtext(f"{ARXIV_NS}doi")
    work.doi = parse_doi(doi) if doi else None
    journal = " ".join((entry.findtext(f"{ARXIV_NS}journal_ref") or "").split())
    if journal:
        work.venue, work.kind = journal, "article"
    else:
        work.venue = f"arXiv preprint arXiv:{work.arxiv}"
    return work


def _split_name(name: str) -> Author:
    words = name.split()
    if len(words) < 2:
        return Author("", name.strip())
    return Author(" ".join(words[:-1]), words[-1])
