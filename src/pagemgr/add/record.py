"""What a source (BibTeX entry, Crossref work, arXiv entry) says about one work."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
import urllib.parse
from dataclasses import dataclass, field

from pagemgr.errors import UsageError

_DOI = re.compile(r"10\.\d{4,9}/[^\s\"'<>]+\Z")
_DOI_PREFIX = re.compile(r"\A(?:https?://(?:dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)
_ARXIV_NEW = re.compile(r"(\d{4}\.\d{4,5})(v\d+)?\Z")
_ARXIV_OLD = re.compile(r"([a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})(v\d+)?\Z")
_ARXIV_PREFIX = re.compile(
    r"\A(?:arxiv:\s*|https?://(?:www\.|export\.)?arxiv\.org/(?:abs|pdf)/)", re.IGNORECASE
)
DOI_IN_TEXT = re.compile(r"\b(10\.\d{4,9}/[^\s\"'<>\])]+)")
ARXIV_IN_TEXT = re.compile(
    r"arxiv(?:\.org/(?:abs|pdf)/|:\s*)(\d{4}\.\d{4,5}|[a-z][a-z.-]*(?:\.[A-Z]{2})?/\d{7})",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Author:
    given: str
    family: str  # a corporate author is all family: "World Health Organization"

    @property
    def full(self) -> str:
        return f"{self.given} {self.family}".strip()


@dataclass
class Work:
    """One work as a source describes it; every field is optional until checked."""

    key: str  # the BibTeX key, DOI or arXiv id, for messages
    kind: str = "article"  # article | inproceedings | book | thesis | preprint | other
    title: str | None = None
    authors: list[Author] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None
    month: int | None = None
    day: int | None = None
    doi: str | None = None
    arxiv: str | None = None
    url: str | None = None
    abstract: str | None = None
    volume: str | None = None
    number: str | None = None
    pages: str | None = None
    notes: list[str] = field(default_factory=list)  # what was guessed, to tell the user

    def date(self) -> dt.date | None:
        if self.year is None:
            return None
        try:
            return dt.date(self.year, self.month or 1, self.day or 1)
        except ValueError:
            return None

    def date_precision(self) -> int:
        """How much of the date the source gives: 3 the day, 2 the month, 1 the year, 0 none."""
        if self.date() is None:
            return 0
        return 1 if self.month is None else 2 if self.day is None else 3

    def paper_link(self) -> str | None:
        if self.url:
            return self.url
        if self.doi:
            return doi_url(self.doi)
        if self.arxiv:
            return f"https://arxiv.org/abs/{self.arxiv}"
        return None


def parse_doi(text: str) -> str | None:
    """The bare DOI in `text` (also from a doi.org link or `doi:`), or None."""
    bare = _DOI_PREFIX.sub("", text.strip())
    return bare if _DOI.match(bare) else None  # case-insensitive, but shown as registered


def doi_url(doi: str) -> str:
    """The doi.org link, the DOI's case kept; `#`, `?` and `%` escaped as doi.org asks."""
    return "https://doi.org/" + urllib.parse.quote(doi, safe="/:;()[]<>!$&'*+,=@~")


def require_doi(text: str) -> str:
    doi = parse_doi(text)
    if doi is None:
        raise UsageError(
            f"--doi {text!r} is not a DOI; a DOI looks like 10.1145/3182622 (or a doi.org link)"
        )
    return doi


def parse_arxiv(text: str) -> str | None:
    """The arXiv id without its version, e.g. 2401.01234 or hep-th/9901001, or None."""
    bare = _ARXIV_PREFIX.sub("", text.strip()).removesuffix(".pdf")
    match = _ARXIV_NEW.match(bare) or _ARXIV_OLD.match(bare)
    return match.group(1) if match else None


def require_arxiv(text: str) -> str:
    found = parse_arxiv(text)
    if found is None:
        raise UsageError(
            f"--arxiv {text!r} is not an arXiv id; it looks like 2401.01234 or hep-th/9901001"
        )
    return found


def normalise_title(text: str) -> str:
    """A title reduced for comparison: no LaTeX, accents, case, punctuation or extra spaces."""
    import html

    from pagemgr.add.latex import plain_title

    plain = plain_title(html.unescape(text))
    decomposed = unicodedata.normalize("NFKD", plain)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", "", kept.casefold())
