"""Dates as Jekyll reads them: YAML dates, or strings that Ruby's Time.parse accepts."""

from __future__ import annotations

import datetime as dt
import re

from pagemgr.yaml.yamlio import JekyllDate

_ISO = re.compile(
    r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
    r"\s*(?:Z|[-+]\d{2}:?\d{2}|[A-Z]{3})?)?\s*\Z"
)
_SLASHED = re.compile(r"\s*(\d{1,4})/(\d{1,2})/(\d{1,4})\s*\Z")
MONTHS = {
    name: number
    for number, names in enumerate(
        (
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ),
        start=1,
    )
    for name in names
}
_WORDY = re.compile(
    r"\s*(?:(\d{1,2})\s+([A-Za-z]+)\.?,?\s+(\d{4})|([A-Za-z]+)\.?\s+(\d{1,2}),?\s+(\d{4}))\s*\Z"
)
FILENAME_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})-")


def parse_jekyll_date(value: object) -> dt.date | None:
    """The calendar date Jekyll gives `value`, or None where Jekyll stops with 'Invalid date'."""
    if isinstance(value, JekyllDate):
        return value.value if isinstance(value.value, dt.date) else None
    if not isinstance(value, str):
        return None
    return _from_iso(value) or _from_slashes(value) or _from_words(value)


def is_jekyll_date(value: object) -> bool:
    """The `jekyll-date` format: whether Jekyll's re-read of a loaded `date:` text,
    `Time.parse(value.to_s)`, succeeds (tests/data/safe_yaml/dates.json): `2024-02-30` is 1 March,
    `2024-13-01` stops the build. A format says nothing of other types: an empty date or a bare
    number (which stop the build too) are the schema's `type` to refuse, as `wrong-type`."""
    if isinstance(value, JekyllDate):
        return isinstance(value.value, dt.date)
    return not isinstance(value, str) or parse_jekyll_date(value) is not None


def is_iso(value: object) -> bool:
    return isinstance(value, JekyllDate) or (isinstance(value, str) and bool(_ISO.match(value)))


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _from_iso(text: str) -> dt.date | None:
    match = _ISO.match(text)
    return _rolled(*(int(part) for part in match.groups()[:3])) if match else None


def _rolled(year: int, month: int, day: int) -> dt.date | None:
    """Time.parse's date: a day past the month's end, up to 31, runs into the next month
    (`2024-02-30` is 1 March: dates.json row date-february-30); month 13 is refused."""
    first = _make(year, month, 1)
    if first is None or not 1 <= day <= 31:
        return None
    return first + dt.timedelta(days=day - 1)


def _from_slashes(text: str) -> dt.date | None:
    match = _SLASHED.match(text)
    if not match:
        return None
    first, second, third = (int(part) for part in match.groups())
    if len(match.group(1)) == 4:
        return _make(first, second, third)
    return _make(third, second, first)  # Ruby reads dd/mm/yyyy


def _from_words(text: str) -> dt.date | None:
    match = _WORDY.match(text)
    if not match:
        return None
    day, month_name, year = (
        (match.group(1), match.group(2), match.group(3))
        if match.group(1)
        else (match.group(5), match.group(4), match.group(6))
    )
    month = MONTHS.get(month_name.lower())
    return _make(int(year), month, int(day)) if month else None


def filename_date(stem: str) -> dt.date | None:
    match = FILENAME_DATE.match(stem + "-")
    return _make(*(int(part) for part in match.groups())) if match else None
