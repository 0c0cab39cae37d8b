"""What the site index keeps of each file: small immutable records, and the store they go to.

A `DocRecord` is a plain named tuple (thousands load from the check cache in milliseconds); a
`Store` is where the index keeps them, in memory or on disk, with the lookups the site-wide
rules ask for. Nothing here reads a file or knows how a record was made.
"""

from __future__ import annotations

import datetime as dt
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, NamedTuple, Protocol

from pagemgr.site.model import pickled_as_tuple

Pos = tuple[int, int]  # 1-based line, column
POSITION_KEYS = (
    "permalink",
    "date",
    "layout",
    "collection",
    "category",
    "excerpt",
    "published",
    "title",
    "redirect_from",
)


class Link(NamedTuple):
    """A link to a page of this site: a body link ("" key) or a front matter URL key."""

    target: str
    line: int
    column: int
    key: str = ""

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)


class DocRecord(NamedTuple):
    """What the site index keeps of a document: a plain tuple, so that thousands of them load
    from the check cache in a few milliseconds."""

    rel: str
    collection: str  # "posts", "drafts", "pages" or a collection label
    stem: str  # the file name without its extension
    has_front_matter: bool
    readable: bool  # the front matter parsed into key: value pairs
    title: str | None = None
    date: dt.date | None = None
    date_raw: bool = False  # a `date:` key is present
    permalink: str | None = None
    category: str | None = None
    collection_value: str | None = None
    published: bool = True
    layout: str | None = None
    has_layout_key: bool = False
    has_excerpt: bool = False
    redirects: tuple[tuple[str, int, int], ...] = ()
    links: tuple[Link, ...] = ()
    # Line and column of each POSITION_KEYS entry (0, 0 if absent) as unsigned 32-bit numbers:
    # one bytes object loads from the cache much faster than a tuple of 18 numbers.
    positions: bytes = b""
    url: str | None = None  # the URL it has, or would have if it were published
    dest: str | None = None  # the file under _site; None when Jekyll writes none
    hidden: str = ""  # why a page with a URL is not written: "unpublished" or "future"
    url_error: str | None = None

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)

    def at(self, key: str) -> Pos:
        """Where `key` is (1-based), or (1, 1) when the front matter has no such key."""
        if not self.has(key):
            return (1, 1)
        line, column = _PAIR.unpack_from(self.positions, _POSITION_INDEX[key] * _PAIR.size)
        return line, column

    def has(self, key: str) -> bool:
        """Whether the front matter has `key` (one of POSITION_KEYS)."""
        offset = _POSITION_INDEX.get(key, len(self.positions)) * _PAIR.size
        return offset < len(self.positions) and _PAIR.unpack_from(self.positions, offset)[0] != 0


_POSITION_INDEX = {key: number for number, key in enumerate(POSITION_KEYS)}
_PAIR = struct.Struct("=II")


@dataclass(frozen=True, slots=True)
class NavItem:
    title: str
    url: str
    line: int
    column: int
    group: str  # which list it is in, e.g. "main" or "main[2].children"


class Store(Protocol):
    """Where the index keeps its records: `memory_store.MemoryStore`, or on disk
    `sqlite_store.RecordStore`. Records are numbered from 1 in the order they were added."""

    def close(self) -> None: ...
    def add(
        self, record: DocRecord, hidden_dest: str | None, encoded: bytes | None = None
    ) -> int: ...
    def add_static(self, dest: str, rel: str, replace: bool) -> None: ...
    def add_redirect(self, dest: str, doc: int, line: int, column: int) -> None: ...
    def add_links(self, doc: int, links: Iterable[Link]) -> None: ...
    def add_paper_key(self, key: str, doc: int) -> None: ...
    def record(self, doc: int) -> DocRecord: ...
    def at_dest(self, dest: str) -> list[tuple[int, DocRecord]]: ...
    def shared_dests(self) -> Iterator[str]: ...
    def static_at(self, dest: str) -> str | None: ...
    def served(self, dest: str) -> bool: ...
    def first_hidden(self, dest: str) -> DocRecord | None: ...
    def last_named(self, collection: str, stem: str) -> DocRecord | None: ...
    def records_of(self, collection: str) -> Iterator[DocRecord]: ...
    def top_folders(self) -> set[str]: ...
    def redirects(self) -> Iterator[tuple[str, int, int, int]]: ...
    def links(self) -> Iterator[tuple[int, Link]]: ...
    def papers_by_key(self) -> Iterator[tuple[str, int]]: ...
    def has_paper_key(self, key: str) -> bool: ...


@dataclass(frozen=True, slots=True)
class DataFacts:
    """The few facts of a data file that site-wide rules need (None: not this kind of file)."""

    navigation: tuple[NavItem, ...] | None = None
    cv_publications: tuple[tuple[str, int, int], ...] | None = None
    locales: frozenset[str] | None = None
