"""A researcher's works from DBLP: `/pid/{pid}.xml`, the person's whole bibliography."""

from __future__ import annotations

import re
from collections.abc import Callable
from xml.etree import ElementTree

from pagemgr.add.http import Fetcher, FetchError, base_url
from pagemgr.add.importing import Imported, Skipped, Sourced, checked, clean_text, split_name
from pagemgr.add.record import Work, parse_arxiv, parse_doi
from pagemgr.errors import UsageError

DBLP_URL = "https://dblp.org"
_PID = re.compile(
    r"\A(?:https?://dblp\.org/pid/)?([a-z0-9]+(?:[/-][A-Za-z0-9-]+)+?)(?:\.html|\.xml)?/?\Z"
)
_HOMONYM = re.compile(r"\s+\d{4}\Z")  # DBLP tells namesakes apart: "Jane Doe 0002"
KINDS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "incollection": "book",
    "book": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
}


def dblp_url() -> str:
    return base_url("PAGEMGR_DBLP_URL", DBLP_URL)


def require_pid(text: str) -> str:
    match = _PID.match(text.strip())
    if match is None or ".." in match.group(1):
        raise UsageError(
            f"{text!r} is not a DBLP person id; it looks like 123/4567 or d/JaneDoe (the part of "
            "https://dblp.org/pid/123/4567.html after /pid/)"
        )
    return match.group(1)


def works(pid: str, base: str, fetcher: Fetcher, progress: Callable[[int, int], None]) -> Sourced:
    url = f"{base}/pid/{pid}.xml"
    body = fetcher.get(url, f"DBLP person {pid}")
    try:
        root = ElementTree.fromstring(body)
    except ElementTree.ParseError:
        raise FetchError(f"DBLP's answer about person {pid} is not valid XML") from None
    if root.tag != "dblpperson":
        raise FetchError(f"DBLP's answer about person {pid} is not a <dblpperson>")
    records = [child for r in root.findall("r") for child in r]
    found = Sourced()
    for number, element in enumerate(records, 1):
        progress(number, len(records))
        key = element.get("key") or f"record {number}"
        try:
            found.works.append(checked(work_from(element)))
        except ValueError as exc:
            found.skipped.append(Skipped(f"DBLP {key}", str(exc)))
    return found


def work_from(element: ElementTree.Element) -> Imported:
    key = element.get("key")
    if not key:
        raise ValueError("it has no DBLP key")
    informal = element.get("publtype") == "informal" or key.startswith("journals/corr/")
    kind = "preprint" if informal else KINDS.get(element.tag, "other")
    work = Work(key=f"DBLP {key}", kind=kind)
    title = element.find("title")
    text = "".join(title.itertext()) if title is not None else ""
    work.title = clean_text(text.rstrip("."), limit=10_000) if text.strip() else None
    work.authors = [
        split_name(_HOMONYM.sub("", "".join(a.itertext()))) for a in element.findall("author")
    ]
    work.venue = clean_text(element.findtext("journal") or element.findtext("booktitle"))
    year = element.findtext("year") or ""
    work.year = int(year) if year.strip().isdigit() else None
    work.volume = clean_text(element.findtext("volume"), 50)
    work.number = clean_text(element.findtext("number"), 50)
    work.pages = clean_text(element.findtext("pages"), 50)
    _read_links(work, [e.text or "" for e in element.findall("ee")])
    if work.arxiv is None and work.volume and work.volume.startswith("abs/"):
        work.arxiv = parse_arxiv(work.volume[len("abs/") :])
    if kind == "preprint":
        work.venue = f"arXiv preprint arXiv:{work.arxiv}" if work.arxiv else work.venue
        work.volume = None
    return Imported(work, element.tag, {"dblp": key})


def _read_links(work: Work, links: list[str]) -> None:
    for link in (text.strip() for text in links):
        doi = parse_doi(link) if "doi.org/" in link else None
        arxiv = parse_arxiv(link) if "arxiv.org/" in link else None
        if doi and work.doi is None:
            work.doi = doi
        elif arxiv and work.arxiv is None:
            work.arxiv = arxiv
        elif work.url is None and link.startswith(("http://", "https://")):
            work.url = link
    if work.doi:
        work.url = None
