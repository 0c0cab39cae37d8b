"""Site-wide rules: they read the site index, never a file, and return findings as data.

One module per family of rules, each a `Rules` class: `see` is called with every record as the
run indexes it (the rules about one document run there, and the family keeps what it needs of
the rest), `finish` once at the end, for the rules that need the whole site. Lookups across
files are asked of the index's record store, so no rule holds the site in memory.
"""

from __future__ import annotations

from pagemgr.check.file_result import FileResult
from pagemgr.check.findings import Finding
from pagemgr.check.index.site_index import SiteIndex
from pagemgr.check.schemas import SchemaSet
from pagemgr.check.site_rules import build, content, data, identity, links, outputs
from pagemgr.check.site_rules.context import Context, FamilyRules
from pagemgr.site.model import Site, SiteFile

FAMILIES = (outputs, identity, content, links, build, data)


class SiteRules:
    """The site index of one run, and the site-wide rules applied as it fills (`rules`:
    whether to apply them at all; `on_disk`: see `site_index.open_store`). With `selected`,
    findings are only about the selected files, but every lookup still covers the whole site,
    so a clash with an unselected file is found."""

    def __init__(
        self,
        site: Site,
        schemas: SchemaSet,
        selected: frozenset[str] | None = None,
        rules: bool = True,
        on_disk: bool = True,
    ) -> None:
        self.index = SiteIndex(site, on_disk)
        self.found: list[Finding] = []
        self.selected = selected
        self.families: list[FamilyRules] = []
        self.for_selected: list[FamilyRules] = []  # the families that see (selected) records
        self.for_others: list[FamilyRules] = []  # those that see unselected records too
        if rules:
            context = Context.of(self.index, schemas, selected)
            self.families = [family.Rules(context) for family in FAMILIES]
            self.for_selected = [family for family in self.families if family.sees_records]
            self.for_others = [family for family in self.for_selected if family.every_record]

    def add(self, item: SiteFile, report: FileResult | None, encoded: bytes | None = None) -> None:
        """Index one file (`report` None: a static file) and apply the rules about it;
        `encoded` is its record as the on-disk store keeps it, when already at hand."""
        if report is None:
            self.index.add_static(item)
            return
        number = self.index.add(item, report.record, report.suppressed, report.facts, encoded)
        if number:
            assert report.record is not None
            wanted = self.selected is None or item.rel in self.selected
            for family in self.for_selected if wanted else self.for_others:
                family.see(number, report.record, wanted, self.found)

    def findings(self) -> list[Finding]:
        """Every site-wide finding: those found while indexing, then the site-wide ones."""
        for family in self.families:
            self.found.extend(family.finish())
        return self.found

    def close(self) -> None:
        self.index.close()
