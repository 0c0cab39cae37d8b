"""Data files out of step: duplicate menu items, and a cv.json that lags _publications/."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord
from pagemgr.check.site_rules.context import Context, FamilyRules, finding

NAVIGATION = "_data/navigation.yml"
CV = "_data/cv.json"
_NOT_WORD = re.compile(r"[\W_]+")


class Rules(FamilyRules):
    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.with_cv = "publications" in context.site.collections and _has_cv(context.site.root)
        self.every_record = self.sees_records = self.with_cv

    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if (
            self.with_cv
            and record.collection == "publications"
            and record.title
            and record.dest is not None
        ):
            self.context.store.add_paper_key(_key(record.title), number)

    def finish(self) -> Iterator[Finding]:
        yield from _duplicate_nav(self.context)
        yield from _cv(self.context)


def _has_cv(root: Path) -> bool:
    try:
        return any(os.path.splitext(name)[0] == "cv" for name in os.listdir(root / "_data"))
    except OSError:
        return False


def _duplicate_nav(context: Context) -> Iterator[Finding]:
    seen: dict[tuple[str, str], tuple[int, int]] = {}
    for item in context.index.navigation or ():
        url = item.url.rstrip("/") or "/"
        first = seen.get((item.group, url))
        if first is None:
            seen[(item.group, url)] = (item.line, item.column)
            continue
        yield finding(
            NAVIGATION,
            (item.line, item.column),
            "duplicate-nav-item",
            f"menu item '{item.title}' repeats the link {item.url} of line {first[0]} in the "
            "same menu",
            "remove one of the two items",
        )


def _key(title: str) -> str:
    import html

    return _NOT_WORD.sub(" ", html.unescape(title)).strip().casefold()


def _cv(context: Context) -> Iterator[Finding]:
    listed = context.index.cv_publications
    if listed is None or "publications" not in context.site.collections:
        return
    in_cv = {_key(name): (name, line, column) for name, line, column in listed}
    store = context.store
    for key, number in store.papers_by_key():  # the last paper of each title
        if key not in in_cv:
            record = store.record(number)
            yield finding(
                record.rel,
                record.at("title"),
                "cv-json-stale",
                f"publication '{record.title}' is missing from {CV} publications, so the JSON "
                "CV page does not list it",
                "add it to _data/cv.json, or regenerate it (scripts/update_cv_json.sh)",
            )
    for key, (name, line, column) in in_cv.items():
        if not store.has_paper_key(key):
            yield finding(
                CV,
                (line, column),
                "cv-json-stale",
                f"'{name}' is listed in cv.json publications but no file in _publications/ "
                "has this title",
                "remove it from cv.json, or add the publication",
            )
