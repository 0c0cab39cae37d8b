"""BibTeX files to Works: every entry is imported or reported by its key, never silently dropped."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from pagemgr.add.latex import latex_to_text
from pagemgr.add.record import Author, Work, parse_arxiv, parse_doi
from pagemgr.errors import UsageError
from pagemgr.site.dates import MONTHS

KINDS = {
    "article": "article",
    "inproceedings": "inproceedings",
    "conference": "inproceedings",
    "proceedings": "inproceedings",
    "book": "book",
    "inbook": "book",
    "incollection": "book",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "unpublished": "preprint",
}
VENUE_FIELDS = (
    "journal",
    "journaltitle",
    "booktitle",
    "publisher",
    "school",
    "institution",
    "organization",
    "howpublished",
)
_DIGITS = re.compile(r"\d+")
_AND = re.compile(r"\s+and\s+", re.IGNORECASE)


@dataclass(frozen=True)
class Skipped:
    key: str
    reason: str


def read_bibtex(path: Path) -> tuple[list[Work], list[Skipped]]:
    """The usable entries of `path`, and the others with the reason each was left out."""
    text = _read_text(path)
    import bibtexparser
    from bibtexparser.bparser import BibTexParser

    parser = BibTexParser(
        common_strings=True, ignore_nonstandard_types=False, interpolate_strings=True
    )
    try:
        database = bibtexparser.loads(text, parser)
    except Exception as exc:  # bibtexparser raises pyparsing errors of several kinds
        raise UsageError(f"{path}: not BibTeX that can be read ({exc})") from None
    if not database.entries:
        raise UsageError(
            f"{path}: no BibTeX entries found (an entry looks like @article{{key, ...}})"
        )
    works: list[Work] = []
    skipped: list[Skipped] = []
    seen: set[str] = set()
    for entry in database.entries:
        key = str(entry.get("ID", "?"))
        if key in seen:
            skipped.append(
                Skipped(
                    key,
                    "another entry above has the same key; this one was "
                    "not added (give it its own key)",
                )
            )
            continue
        seen.add(key)
        work = entry_to_work({k.lower(): str(v) for k, v in entry.items()})
        missing = missing_fields(work)
        if missing:
            skipped.append(Skipped(key, "missing " + ", ".join(missing) + "; not added"))
        else:
            works.append(work)
    return works, skipped


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"{path}: cannot read it ({exc.strerror or exc})") from None
    try:
        return raw.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        raise UsageError(
            f"{path}: not UTF-8 (byte 0x{raw[exc.start]:02x} on line {line}); save the file as "
            "UTF-8 (for example: iconv -f latin1 -t utf-8) and run the command again"
        ) from None


def missing_fields(work: Work) -> list[str]:
    missing = []
    if not work.title:
        missing.append("title")
    if work.year is None:
        missing.append("year")
    if not work.venue:
        missing.append("journal/booktitle/publisher (the venue)")
    return missing


def entry_to_work(entry: dict[str, str]) -> Work:
    kind_name = entry.get("entrytype", "misc").lower()
    work = Work(key=entry.get("id", "?"), kind=KINDS.get(kind_name, "other"))
    work.title = _text(entry.get("title"))
    work.authors = [_author(name) for name in split_names(entry.get("author", ""))]
    work.year = _int(entry.get("year")) or _int(entry.get("date", "")[:4])
    work.month = _month(entry.get("month")) or _int(entry.get("date", "")[5:7])
    work.day = _int(entry.get("day")) or _int(entry.get("date", "")[8:10])
    work.doi = parse_doi(entry.get("doi", "").replace("\\_", "_")) if entry.get("doi") else None
    work.url = entry.get("url", "").strip() or None
    work.arxiv = _arxiv(entry)
    work.abstract = _text(entry.get("abstract"))
    work.volume = _text(entry.get("volume"))
    work.number = _text(entry.get("number") or entry.get("issue"))
    work.pages = _text(entry.get("pages"))
    work.venue = next((_text(entry[name]) for name in VENUE_FIELDS if entry.get(name)), None)
    if work.arxiv and (not work.venue or kind_name == "misc" or is_arxiv_venue(work.venue)):
        work.kind = "preprint"
        if not work.venue or is_arxiv_venue(work.venue):
            work.venue = f"arXiv preprint arXiv:{work.arxiv}"
            work.volume = work.number = None  # DBLP's `volume = {abs/2401.01234}` says it again
    if work.year is not None and work.month is None:
        work.notes.append(f"{work.key}: no month, dated {work.year}-01-01; pass --date to change")
    return work


def is_arxiv_venue(venue: str) -> bool:
    """arXiv as a venue: DBLP's `CoRR`, Scholar's `arXiv preprint arXiv:...`, Zotero's `arXiv`."""
    name = venue.casefold().strip()
    return name == "corr" or name.startswith(("arxiv", "corr "))


def split_names(field: str) -> Iterator[str]:
    """The names of an author field: split, as BibTeX does, on `and` between whitespace (a line
    break too) outside braces, in any case."""
    depth, start = 0, 0
    for index, char in enumerate(field):
        if char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
        elif depth == 0 and char.isspace() and index >= start:
            match = _AND.match(field, index)
            if match:
                if field[start:index].strip():
                    yield field[start:index].strip()
                start = match.end()
    if field[start:].strip():
        yield field[start:].strip()


def _author(name: str) -> Author:
    if name.startswith("{") and name.endswith("}") and name.count("{") == 1:
        return Author("", latex_to_text(name))
    from bibtexparser.customization import splitname

    try:
        parts = splitname(name, strict_mode=False)
    except Exception:  # an odd name is kept whole rather than crashing the import
        return Author("", latex_to_text(name))
    given = latex_to_text(" ".join(parts.get("first", [])))
    family = latex_to_text(" ".join(parts.get("von", []) + parts.get("last", [])))
    junior = latex_to_text(" ".join(parts.get("jr", [])))
    return Author(given, f"{family}, {junior}" if junior else family)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    text = latex_to_text(value)
    return text or None


def _int(value: str | None) -> int | None:
    if not value:
        return None
    match = _DIGITS.search(value)
    return int(match.group(0)) if match else None


def _month(value: str | None) -> int | None:
    if not value:
        return None
    cleaned = value.strip().strip("{}").strip().lower().rstrip(".")
    if cleaned.isdigit():
        number = int(cleaned)
        return number if 1 <= number <= 12 else None
    return MONTHS.get(cleaned) or MONTHS.get(cleaned[:3])


def _arxiv(entry: dict[str, str]) -> str | None:
    prefix = entry.get("archiveprefix", entry.get("eprinttype", "")).lower()
    eprint = entry.get("eprint", "")
    if eprint and prefix in ("arxiv", ""):
        found = parse_arxiv(eprint)
        if found:
            return found
    for name in ("url", "journal", "note", "howpublished"):
        value = entry.get(name, "")
        if "arxiv" in value.lower():
            match = re.search(r"(\d{4}\.\d{4,5})", value)
            if match:
                return match.group(1)
    return None
