"""Output collisions: two sources written to one file, or a redirect stub over a real page."""

from __future__ import annotations

from collections.abc import Iterator

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord
from pagemgr.check.site_rules.context import Context, FamilyRules, finding, where


class Rules(FamilyRules):
    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.sees_records = context.selected is not None  # else the store answers it all
        self.selected_dests: dict[str, None] = {}  # with a selection: where its pages go

    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if wanted and record.dest is not None:
            self.selected_dests[record.dest] = None

    def finish(self) -> Iterator[Finding]:
        yield from self._collisions()
        yield from self._redirects()

    def _collisions(self) -> Iterator[Finding]:
        store = self.context.store
        dests = store.shared_dests() if self.context.selected is None else self.selected_dests
        for dest in dests:
            records = [record for _, record in store.at_dest(dest)]
            static = store.static_at(dest)
            if len(records) < 2 and static is None:
                continue
            names = [where(record, _key_of(record)) for record in records]
            if static is not None:
                names.append(static)
            for record, name in zip(records, names, strict=False):
                others = ", ".join(other for other in names if other != name)
                yield finding(
                    record.rel,
                    record.at(_key_of(record)),
                    "output-collision",
                    f"this page is written to {dest} (URL {record.url}), and so is {others}; "
                    "Jekyll prints a Conflict warning and the file written last wins",
                    "give each file its own `permalink:`",
                )

    def _redirects(self) -> Iterator[Finding]:
        store = self.context.store
        for dest, number, line, column in store.redirects():
            owners = store.at_dest(dest)
            static = store.static_at(dest)
            if not owners and static is None:
                continue
            record = store.record(number)
            names = [where(owner, _key_of(owner)) for _, owner in owners] + (
                [static] if static else []
            )
            self_target = any(owner == number for owner, _ in owners)
            message = (
                f"redirect_from entry writes a redirect stub to {dest}, over "
                + ("this page itself" if self_target else ", ".join(names))
                + "; Jekyll gives no warning and the real page is lost"
            )
            yield finding(
                record.rel,
                (line, column),
                "redirect-collision",
                message,
                "remove this redirect_from entry, or move the other page",
            )
            for other, owner in owners:
                if other != number:
                    yield finding(
                        owner.rel,
                        owner.at(_key_of(owner)),
                        "redirect-collision",
                        f"this page ({owner.url}) is overwritten by a redirect_from entry in "
                        f"{record.rel}:{line}:{column}",
                        "remove that redirect_from entry, or give this page another permalink",
                    )


def _key_of(record: DocRecord) -> str:
    return "permalink" if record.has("permalink") else ""
