"""A researcher's works from the ORCID public API v3.0: `/{iD}/works` lists them (grouped,
the preferred version first), `/{iD}/work/{put-code}` gives each one with its contributors."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from pagemgr.add.http import Fetcher, FetchError, base_url, load_json
from pagemgr.add.importing import Imported, Skipped, Sourced, checked, clean_text, split_name
from pagemgr.add.record import Work, parse_arxiv, parse_doi
from pagemgr.errors import UsageError

ORCID_URL = "https://pub.orcid.org/v3.0"
_ORCID = re.compile(r"\A(?:https?://(?:www\.)?orcid\.org/)?(\d{4}-\d{4}-\d{4}-\d{3}[\dX])/?\Z")
_CREDIT_ROLES = "http://credit.niso.org/contributor-roles/"  # ORCID's newer role names
KINDS = {
    "journal-article": "article",
    "magazine-article": "article",
    "review": "article",
    "conference-paper": "inproceedings",
    "conference-proceedings": "inproceedings",
    "book": "book",
    "book-chapter": "book",
    "edited-book": "book",
    "dissertation-thesis": "thesis",
    "dissertation": "thesis",
    "preprint": "preprint",
    "working-paper": "preprint",
    "report": "report",
}


def orcid_url() -> str:
    return base_url("PAGEMGR_ORCID_URL", ORCID_URL)


def parse_orcid(text: str) -> str | None:
    """The bare iD (also from an orcid.org link) when its check digit is right, else None."""
    match = _ORCID.match(text.strip())
    if match is None or not _check_digit_ok(match.group(1)):
        return None
    return match.group(1)


def require_orcid(text: str) -> str:
    found = parse_orcid(text)
    if found is None:
        raise UsageError(
            f"{text!r} is not an ORCID iD; it looks like 0000-0002-1825-0097 (its last "
            "character is a check digit)"
        )
    return found


def _check_digit_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


def works(
    orcid: str, base: str, lists: Fetcher, details: Fetcher, progress: Callable[[int, int], None]
) -> Sourced:
    """Every work on the ORCID record: the list fresh (`lists`), each work's details through
    `details` (which may cache); a work whose details fail is read from its summary."""
    url = f"{base}/{orcid}/works"
    data = load_json(lists.get(url, f"the works of ORCID {orcid}"), url, f"ORCID {orcid}")
    groups = data.get("group") if isinstance(data, dict) else None
    if not isinstance(groups, list):
        raise FetchError(f"the answer about ORCID {orcid}'s works has no 'group' list")
    found = Sourced()
    for number, group in enumerate(groups, 1):
        progress(number, len(groups))
        summary = _preferred(group)
        if summary is None:
            found.skipped.append(Skipped(f"ORCID group {number}", "it holds no work summary"))
            continue
        try:
            found.works.append(checked(_work(orcid, summary, base, details)))
        except ValueError as exc:
            found.skipped.append(Skipped(_summary_name(orcid, summary), str(exc)))
    return found


def _preferred(group: Any) -> dict[str, Any] | None:
    summaries = group.get("work-summary") if isinstance(group, dict) else None
    if not isinstance(summaries, list):
        return None
    return next((s for s in summaries if isinstance(s, dict)), None)


def _summary_name(orcid: str, summary: dict[str, Any]) -> str:
    return f"ORCID {orcid}/work/{summary.get('put-code', '?')}"


def _work(orcid: str, summary: dict[str, Any], base: str, details: Fetcher) -> Imported:
    put_code = summary.get("put-code")
    if not isinstance(put_code, int | str) or not str(put_code).isdigit():
        raise ValueError("its summary has no put-code")
    url = f"{base}/{orcid}/work/{put_code}"
    notes = []
    try:
        full = load_json(details.get(url, f"ORCID work {put_code}"), url, f"work {put_code}")
        if not isinstance(full, dict):
            raise FetchError("the answer is not a JSON object")
    except FetchError as exc:
        notes.append(
            f"ORCID work {put_code}: its details could not be read ({exc}); used its summary"
        )
        full = summary
    item = work_from(full, orcid, str(put_code))
    item.work.notes.extend(notes)
    return item


def work_from(data: dict[str, Any], orcid: str, put_code: str) -> Imported:
    """A work from an ORCID `work` (or `work-summary`) object."""
    source_type = str(data.get("type") or "")
    work = Work(key=f"ORCID {orcid}/work/{put_code}", kind=KINDS.get(source_type, "other"))
    title = _value(data.get("title"), "title")
    subtitle = _value(data.get("title"), "subtitle")
    work.title = clean_text(title, limit=10_000)
    if work.title and subtitle and clean_text(subtitle):
        work.title = f"{work.title}: {clean_text(subtitle)}"
    work.venue = clean_text(_value(data, "journal-title"))
    _read_date(work, data.get("publication-date"))
    for kind, value in _external_ids(data):
        if kind == "doi" and work.doi is None:
            work.doi = parse_doi(value)
        elif kind == "arxiv" and work.arxiv is None:
            work.arxiv = parse_arxiv(value)
    url = clean_text(_value(data, "url"))
    work.url = url if url and url.startswith(("http://", "https://")) and not work.doi else None
    work.authors = [split_name(name) for name in _contributors(data)]
    work.abstract = clean_text(data.get("short-description"), limit=10**9)
    if work.kind == "preprint" and work.venue is None and work.arxiv:
        work.venue = f"arXiv preprint arXiv:{work.arxiv}"
    return Imported(work, source_type, {"orcid": f"{orcid}/work/{put_code}"})


def _value(data: Any, key: str) -> Any:
    """ORCID wraps most values: `{"journal-title": {"value": "..."}}`."""
    inner = data.get(key) if isinstance(data, dict) else None
    return inner.get("value") if isinstance(inner, dict) else None


def _read_date(work: Work, date: Any) -> None:
    parts = [_value(date, key) for key in ("year", "month", "day")]
    numbers = []
    for part in parts:
        if not (isinstance(part, str) and part.isdigit()):
            break
        numbers.append(int(part))
    if numbers and 1000 <= numbers[0] <= 9999:
        work.year = numbers[0]
        work.month = numbers[1] if len(numbers) > 1 and 1 <= numbers[1] <= 12 else None
        work.day = numbers[2] if len(numbers) > 2 and work.month else None


def _external_ids(data: dict[str, Any]) -> list[tuple[str, str]]:
    outer = data.get("external-ids")
    items = outer.get("external-id") if isinstance(outer, dict) else None
    found = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict) or item.get("external-id-relationship") not in (None, "self"):
            continue
        kind, value = item.get("external-id-type"), item.get("external-id-value")
        if isinstance(kind, str) and isinstance(value, str):
            found.append((kind.casefold(), value))
    return found


def _contributors(data: dict[str, Any]) -> list[str]:
    outer = data.get("contributors")
    items = outer.get("contributor") if isinstance(outer, dict) else None
    names = []
    for item in items if isinstance(items, list) else []:
        if not isinstance(item, dict):
            continue
        attributes = item.get("contributor-attributes")
        role = attributes.get("contributor-role") if isinstance(attributes, dict) else None
        name = clean_text(_value(item, "credit-name"), limit=300)
        if name and (role in (None, "author") or str(role).startswith(_CREDIT_ROLES)):
            names.append(name)
    return names
