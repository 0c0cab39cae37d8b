"""Site-wide rules: they read the site index, never a file, and return findings as data.

One module per family of rules; `run` calls each family once with a shared `Context`, whose
lookups are dicts keyed by output file, so every rule stays linear in the size of the site.
"""

from __future__ import annotations

from pagemgr.findings import Finding
from pagemgr.schemas import SchemaSet
from pagemgr.site_index import SiteIndex
from pagemgr.site_rules import build, content, data, identity, links, outputs
from pagemgr.site_rules.context import Context

FAMILIES = (outputs, identity, content, links, build, data)


def run(
    index: SiteIndex, schemas: SchemaSet, selected: frozenset[str] | None = None
) -> list[Finding]:
    """Findings of every family; with `selected`, only those about the selected files (the
    lookups still cover the whole site, so a clash with an unselected file is found)."""
    context = Context.of(index, schemas, selected)
    found: list[Finding] = []
    for family in FAMILIES:
        found.extend(family.check(context))
    return found
