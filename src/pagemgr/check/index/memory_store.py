"""The site index's records in memory: the store for runs that hold every record anyway.

A run with the check cache holds each file's cached report, record included, so keeping the
index beside them costs a few pointers per record, and a warm hook run answers in a few
milliseconds what the on-disk store (`index_store`) would spend tens of milliseconds writing.
It answers every lookup exactly as `index_store.RecordStore` does; the tests hold the two to it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pagemgr.check.index.records import DocRecord, Link


class MemoryStore:
    def __init__(self) -> None:
        self.records: list[DocRecord] = []
        self.by_dest: dict[str, int] = {}  # the first record at each destination
        self.also_at: dict[str, list[int]] = {}  # every record at a shared destination
        self.hidden: dict[str, int] = {}
        self.named: dict[tuple[str, str], int] | None = None  # built on the first lookup
        self.statics: dict[str, str] = {}
        self.redirect_of: dict[str, tuple[int, int, int]] = {}
        self.link_rows: list[tuple[int, Link]] = []
        self.paper_keys: dict[str, int] = {}

    def close(self) -> None:
        pass

    def add(self, record: DocRecord, hidden_dest: str | None, encoded: bytes | None = None) -> int:
        self.records.append(record)
        number = len(self.records)
        if record.dest is not None:
            first = self.by_dest.setdefault(record.dest, number)
            if first != number:
                self.also_at.setdefault(record.dest, [first]).append(number)
        if hidden_dest is not None:
            self.hidden.setdefault(hidden_dest, number)
        self.named = None
        return number

    def add_static(self, dest: str, rel: str, replace: bool) -> None:
        if replace:
            self.statics[dest] = rel
        else:
            self.statics.setdefault(dest, rel)

    def add_redirect(self, dest: str, doc: int, line: int, column: int) -> None:
        self.redirect_of.setdefault(dest, (doc, line, column))

    def add_links(self, doc: int, links: Iterable[Link]) -> None:
        self.link_rows.extend((doc, link) for link in links)

    def add_paper_key(self, key: str, doc: int) -> None:
        self.paper_keys[key] = doc  # the last paper of a title; the first seen keeps its place

    def record(self, doc: int) -> DocRecord:
        return self.records[doc - 1]

    def at_dest(self, dest: str) -> list[tuple[int, DocRecord]]:
        first = self.by_dest.get(dest)
        docs = self.also_at.get(dest, [] if first is None else [first])
        return [(doc, self.records[doc - 1]) for doc in docs]

    def shared_dests(self) -> Iterator[str]:
        return (dest for dest in self.by_dest if dest in self.also_at or dest in self.statics)

    def static_at(self, dest: str) -> str | None:
        return self.statics.get(dest)

    def served(self, dest: str) -> bool:
        return dest in self.by_dest or dest in self.statics or dest in self.redirect_of

    def first_hidden(self, dest: str) -> DocRecord | None:
        doc = self.hidden.get(dest)
        return None if doc is None else self.records[doc - 1]

    def last_named(self, collection: str, stem: str) -> DocRecord | None:
        if self.named is None:
            self.named = {
                (record.collection, record.stem): number
                for number, record in enumerate(self.records, 1)
            }
        doc = self.named.get((collection, stem))
        return None if doc is None else self.records[doc - 1]

    def records_of(self, collection: str) -> Iterator[DocRecord]:
        return (record for record in self.records if record.collection == collection)

    def top_folders(self) -> set[str]:
        return {
            dest.split("/", 1)[0]
            for dest in (*self.by_dest, *self.statics, *self.redirect_of)
            if "/" in dest
        }

    def redirects(self) -> Iterator[tuple[str, int, int, int]]:
        return ((dest, *where) for dest, where in self.redirect_of.items())

    def links(self) -> Iterator[tuple[int, Link]]:
        return iter(self.link_rows)

    def papers_by_key(self) -> Iterator[tuple[str, int]]:
        return iter(self.paper_keys.items())

    def has_paper_key(self, key: str) -> bool:
        return key in self.paper_keys
