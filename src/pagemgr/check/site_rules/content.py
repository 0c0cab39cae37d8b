"""Invisible content: documents Jekyll reads but never shows."""

from __future__ import annotations

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord
from pagemgr.check.site_rules.context import FamilyRules, finding


class Rules(FamilyRules):
    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if not wanted or record.collection in ("pages", "drafts"):
            return
        if not record.has_front_matter:
            found.append(
                finding(
                    record.rel,
                    (1, 1),
                    "no-front-matter",
                    f"this file has no front matter, so Jekyll copies it as a plain file instead "
                    f"of rendering it, and it is not in site.{record.collection}",
                    'start the file with a front matter block: ---, title: "...", ---',
                )
            )
        elif record.hidden == "future" and record.date is not None:
            found.append(
                finding(
                    record.rel,
                    record.at("date"),
                    "future-date",
                    f"date: {record.date.isoformat()} is in the future and _config.yml does not "
                    "set `future: true`, so Jekyll leaves this page out until that day",
                    "fix the date, or set `future: true` in _config.yml",
                )
            )
