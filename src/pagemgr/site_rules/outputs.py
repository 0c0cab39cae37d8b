"""Output collisions: two sources written to one file, or a redirect stub over a real page."""

from __future__ import annotations

from collections.abc import Iterator

from pagemgr.findings import Finding
from pagemgr.site_index import DocRecord
from pagemgr.site_rules.context import Context, finding, where


def check(context: Context) -> Iterator[Finding]:
    yield from _collisions(context)
    yield from _redirects(context)


def _key_of(record: DocRecord) -> str:
    return "permalink" if record.has("permalink") else ""


def _collisions(context: Context) -> Iterator[Finding]:
    dests = context.by_dest if context.selected is None else dict.fromkeys(
        record.dest for record in context.wanted_docs() if record.dest is not None)
    for dest in dests:
        records = context.by_dest[dest]
        static = context.index.statics.get(dest)
        if len(records) < 2 and static is None:
            continue
        names = [where(record, _key_of(record)) for record in records]
        if static is not None:
            names.append(static)
        for record, name in zip(records, names, strict=False):
            others = ", ".join(other for other in names if other != name)
            yield finding(
                record.rel, record.at(_key_of(record)), "output-collision",
                f"this page is written to {dest} (URL {record.url}), and so is {others}; "
                "Jekyll prints a Conflict warning and the file written last wins",
                "give each file its own `permalink:`",
            )


def _redirects(context: Context) -> Iterator[Finding]:
    if not context.redirects:
        return
    for dest, (record, line, column) in context.redirects.items():
        owners = [*context.by_dest.get(dest, ())]
        static = context.index.statics.get(dest)
        if not owners and static is None:
            continue
        names = [where(owner, _key_of(owner)) for owner in owners] + ([static] if static else [])
        self_target = any(owner is record for owner in owners)
        message = (
            f"redirect_from entry writes a redirect stub to {dest}, over "
            + ("this page itself" if self_target else ", ".join(names))
            + "; Jekyll gives no warning and the real page is lost"
        )
        yield finding(record.rel, (line, column), "redirect-collision", message,
                      "remove this redirect_from entry, or move the other page")
        for owner in owners:
            if owner is not record:
                yield finding(
                    owner.rel, owner.at(_key_of(owner)), "redirect-collision",
                    f"this page ({owner.url}) is overwritten by a redirect_from entry in "
                    f"{record.rel}:{line}:{column}",
                    "remove that redirect_from entry, or give this page another permalink",
                )
