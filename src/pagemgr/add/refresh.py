"""What pagemgr wrote into a document, so that a refresh replaces only what nobody changed since.

The record is one front matter key, `pagemgr_wrote`: a flow mapping of each key pagemgr filled
from a source (BibTeX, Crossref, arXiv; any later importer too) to a fingerprint of the value it
wrote, e.g. `pagemgr_wrote: {venue: 3f1c9a0e, date: 52b7d401, citation: 9e0d4c2a}`. A value
that still has its fingerprint is pagemgr's to refresh; any other value is the user's and stays.
A refresh never replaces a value by one that says less: a full date by a bare year, a venue by
part of it, a published version by a preprint.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pagemgr.add.fields import RECORD_KEY
from pagemgr.edit import render
from pagemgr.site.dates import parse_jekyll_date
from pagemgr.yaml import yamlio

REFRESHABLE = ("venue", "date", "paperurl", "link", "citation")
_PREPRINT = re.compile(r"arxiv|biorxiv|medrxiv|ssrn|preprint|\bcorr\b", re.IGNORECASE)
_ET_AL = re.compile(r"\bet\s+al\b\.?|\bothers\b", re.IGNORECASE)


def fingerprint(value: Any) -> str:
    """Eight hex digits of SHA-256 over the value as Jekyll reads it: its kind and its text."""
    if isinstance(value, yamlio.JekyllDate):
        text = f"date:{value.value.isoformat()}"
    else:
        text = f"{type(value).__name__}:{value}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:8]


def record_of(data: Mapping[str, Any]) -> dict[str, str]:
    """The record in a document's front matter; {} when there is none (or it is not a mapping)."""
    raw = data.get(RECORD_KEY)
    if not isinstance(raw, dict):
        return {}
    return {str(key): str(value) for key, value in raw.items() if isinstance(value, str)}


def record_for(values: Mapping[str, Any], keys: set[str]) -> dict[str, str]:
    """The record of a new document: the refreshable `keys` pagemgr filled, in `values`' order."""
    return {key: fingerprint(value) for key, value in values.items() if key in keys}


@dataclass(frozen=True)
class Decision:
    write: bool
    kept_because: str | None = None  # why a different value stays, for the message


WRITE = Decision(True)
UNCHANGED = Decision(False)


def decide(
    current: Mapping[str, Any], key: str, new: Any, *, owner: str, precision: int = 3
) -> Decision:
    """Whether a refresh writes `new` over `current[key]`.

    `owner` is who gives `new`: "user" (a flag or an answer: it wins), "source" (pagemgr's,
    refreshed only over its own unchanged value) or "default" (a value that only fills a gap).
    `precision` is how much of a new date the source knows (see `date_precision`).
    """
    old = current.get(key)
    if old is None or old == "":
        return WRITE
    if render.same(old, new):
        return UNCHANGED
    if owner == "user":
        return WRITE
    if owner != "source":
        return Decision(False, "it is set already")
    record = record_of(current)
    if key not in record:
        return Decision(False, "pagemgr did not write it")
    if record[key] != fingerprint(old):
        return Decision(False, "it was edited after pagemgr wrote it")
    if isinstance(new, yamlio.JekyllDate):
        if date_precision(old) > precision:
            return Decision(False, "it is more precise than the source's date")
    elif isinstance(old, str) and isinstance(new, str) and says_less(old, new):
        return Decision(False, "it says more than the source's value")
    return WRITE


def date_precision(value: Any) -> int:
    """How precise a date in a file looks: pagemgr and pubsFromBib write a bare year as
    YYYY-01-01 and a month as YYYY-MM-01, so those count as year and month only."""
    day = parse_jekyll_date(value)
    if day is None:
        return 0
    if isinstance(day, dt.datetime) or day.day != 1:
        return 3
    return 2 if day.month != 1 else 1


def says_less(old: str, new: str) -> bool:
    """`new` tells nothing `old` does not: its words are all in `old`, in order (a shorter venue,
    a citation cut to "et al."), or it is a preprint where `old` is not."""
    if _PREPRINT.search(new) and not _PREPRINT.search(old):
        return True
    old_words, new_words = _words(old), _words(new)
    if len(new_words) >= len(old_words):
        return False
    remaining = iter(old_words)
    return all(word in remaining for word in new_words)


def _words(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", _ET_AL.sub(" ", text))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.findall(r"\w+", kept.casefold())
