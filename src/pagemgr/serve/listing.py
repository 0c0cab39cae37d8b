"""What the page lists: each collection's documents with their findings counted, the data files
and `_config.yml`."""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from typing import Any, TypedDict

from pagemgr.check.findings import Finding
from pagemgr.check.pipeline import run_checks
from pagemgr.site.document import parse_document
from pagemgr.site.model import Site, SiteFile
from pagemgr.yaml import yamlio


class Entry(TypedDict):
    path: str
    title: str
    date: str
    errors: int
    warnings: int


class Section(TypedDict):
    label: str
    kind: str  # "collection" or "data"
    entries: list[Entry]


def overview(site: Site) -> list[Section]:
    """Collections first (in the order of `_config.yml`, posts and pages last), then data files
    and the configuration."""
    items = list(site.files())
    counts = finding_counts(run_checks(site, items, complete=True).findings)
    grouped: dict[str, list[Entry]] = defaultdict(list)
    data: list[Entry] = []
    for item in items:
        if item.kind == "document" and item.collection is not None:
            grouped[item.collection].append(_entry(item, counts, True))
        elif item.kind in ("data", "config"):
            data.append(_entry(item, counts, False))
    order = [*site.collections, "posts", "pages"]
    labels = [label for label in order if label in grouped]
    labels += sorted(label for label in grouped if label not in order)
    sections = [Section(label=label, kind="collection", entries=grouped[label]) for label in labels]
    sections.append(Section(label="data and settings", kind="data", entries=data))
    return sections


def finding_counts(findings: list[Finding]) -> dict[str, Counter[str]]:
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for finding in findings:
        counts[finding.path][finding.severity] += 1
    return counts


def _entry(item: SiteFile, counts: dict[str, Counter[str]], read: bool) -> Entry:
    title, date = _title_and_date(item) if read else ("", "")
    count = counts.get(item.rel, Counter())
    return Entry(
        path=item.rel,
        title=title,
        date=date,
        errors=count["error"],
        warnings=count["warning"],
    )


# (size, mtime, inode) -> (title, date) of each document read by this server process: a list
# shown again reads only the files changed since.
_SEEN: dict[str, tuple[tuple[int, int, int], tuple[str, str]]] = {}


def _title_and_date(item: SiteFile) -> tuple[str, str]:
    try:
        info = os.stat(item.location)
    except OSError:
        return "", ""
    stamp = (info.st_size, info.st_mtime_ns, info.st_ino)
    seen = _SEEN.get(item.location)
    if seen is not None and seen[0] == stamp:
        return seen[1]
    data = _front_matter(item)
    found = (str(data.get("title") or ""), str(data.get("date") or ""))
    _SEEN[item.location] = (stamp, found)
    return found


def _front_matter(item: SiteFile) -> dict[str, Any]:
    try:
        with open(item.location, encoding="utf-8") as handle:
            document = parse_document(handle.read())
        loaded = yamlio.load(document.front_matter).data if document.has_front_matter else None
    except (OSError, UnicodeDecodeError, yamlio.YamlSyntaxError):
        return {}
    return loaded if isinstance(loaded, dict) else {}
