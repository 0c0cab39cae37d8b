"""Where the site index keeps its records: a private SQLite database that lasts one run.

A site of 50,000 documents would hold 60 MB of records in memory. Here they are written, a batch
at a time, to a temporary database whose page cache is small and which SQLite spills to a file
it deletes on close, so memory stays the same whatever the size of the site. Each record is one
row: the few columns the site-wide rules look things up by, and the whole record marshalled.
Indexes are built on first use, so a run whose rules ask nothing of a column pays nothing for it.

Only this module imports sqlite3.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import marshal
import sqlite3
from collections.abc import Iterable, Iterator
from typing import Any

from pagemgr.check.index.records import DocRecord, Link
from pagemgr.errors import UsageError

_BATCH = 512
_CACHE_KIB = 2048
_SCHEMA = """
CREATE TABLE docs (id INTEGER PRIMARY KEY, collection TEXT, stem TEXT, dest TEXT,
                   hidden_dest TEXT, body BLOB);
CREATE TABLE statics (dest TEXT PRIMARY KEY, rel TEXT) WITHOUT ROWID;
CREATE TABLE redirects (dest TEXT UNIQUE, doc INTEGER, line INTEGER, col INTEGER);
CREATE TABLE links (doc INTEGER, target TEXT, line INTEGER, col INTEGER, key TEXT);
CREATE TABLE paper_keys (key TEXT, doc INTEGER);
"""
_INDEXES = {
    "dest": "CREATE INDEX docs_dest ON docs (dest)",
    "hidden": "CREATE INDEX docs_hidden ON docs (hidden_dest)",
    "stem": "CREATE INDEX docs_stem ON docs (collection, stem)",
    "paper_keys": "CREATE INDEX paper_keys_key ON paper_keys (key)",
}
_DATE_FIELD = DocRecord._fields.index("date")
_REDIRECTS_FIELD = DocRecord._fields.index("redirects")
_LINKS_FIELD = DocRecord._fields.index("links")


@contextlib.contextmanager
def _storage() -> Iterator[None]:
    """SQLite's errors (no room for the temporary file, say) as one line the user can act on."""
    try:
        yield
    except sqlite3.Error as exc:
        import tempfile

        raise UsageError(
            f"cannot keep the site index in a temporary file ({exc}); free some space in "
            f"{tempfile.gettempdir()}, set TMPDIR to a folder with room, or check without "
            "--no-cache"
        ) from None


def encode(record: DocRecord) -> bytes:
    """The record as marshal writes it: a plain tuple, its date a day number."""
    fields: list[Any] = list(record)
    if record.date is not None:
        fields[_DATE_FIELD] = record.date.toordinal()
    if record.links:
        fields[_LINKS_FIELD] = tuple(map(tuple, record.links))
    return marshal.dumps(tuple(fields))


def decode(body: bytes) -> DocRecord:
    fields = list(marshal.loads(body))
    if fields[_DATE_FIELD] is not None:
        fields[_DATE_FIELD] = dt.date.fromordinal(fields[_DATE_FIELD])
    if fields[_LINKS_FIELD]:
        fields[_LINKS_FIELD] = tuple(Link._make(link) for link in fields[_LINKS_FIELD])
    return DocRecord._make(fields)


class RecordStore:
    """The records of one run, numbered from 1 in the order they were added."""

    def __init__(self) -> None:
        with _storage():
            self._db = sqlite3.connect("", isolation_level=None, check_same_thread=False)
            self._db.execute(f"PRAGMA cache_size = -{_CACHE_KIB}")
            self._db.execute("PRAGMA journal_mode = OFF")
            self._db.execute("PRAGMA synchronous = OFF")
            self._db.executescript(_SCHEMA)
            self._db.execute("BEGIN")
        self._rows: list[tuple[int, str, str, str | None, str | None, bytes]] = []
        self._indexed: set[str] = set()
        self._count = 0

    def close(self) -> None:
        self._db.close()

    # --- writing -----------------------------------------------------------------------------

    def add(self, record: DocRecord, hidden_dest: str | None, encoded: bytes | None = None) -> int:
        """Store `record` (`encoded`: its `encode`, when at hand); returns its number."""
        self._count += 1
        self._rows.append(
            (
                self._count,
                record.collection,
                record.stem,
                record.dest,
                hidden_dest,
                encoded if encoded is not None else encode(record),
            )
        )
        if len(self._rows) >= _BATCH:
            self._flush_rows()
        return self._count

    def add_static(self, dest: str, rel: str, replace: bool) -> None:
        verb = "REPLACE" if replace else "IGNORE"
        self._write(f"INSERT OR {verb} INTO statics VALUES (?, ?)", [(dest, rel)])

    def add_redirect(self, dest: str, doc: int, line: int, column: int) -> None:
        """The first redirect to `dest` is the one kept."""
        self._write(
            "INSERT OR IGNORE INTO redirects VALUES (?, ?, ?, ?)", [(dest, doc, line, column)]
        )

    def add_links(self, doc: int, links: Iterable[Link]) -> None:
        self._write("INSERT INTO links VALUES (?, ?, ?, ?, ?)", [(doc, *link) for link in links])

    def add_paper_key(self, key: str, doc: int) -> None:
        """A publication's title as the CV data file is compared by."""
        self._write("INSERT INTO paper_keys VALUES (?, ?)", [(key, doc)])

    def _flush_rows(self) -> None:
        self._write("INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)", self._rows)
        self._rows.clear()

    def _write(self, sql: str, rows: list[tuple[Any, ...]]) -> None:
        with _storage():
            self._db.executemany(sql, rows)

    def _query(self, indexes: tuple[str, ...], sql: str, *args: Any) -> sqlite3.Cursor:
        """Run `sql` once what was added is written and the `indexes` it (or whatever runs
        while its rows are read) looks things up by exist."""
        if self._rows:
            self._flush_rows()
        with _storage():
            for index in indexes:
                if index not in self._indexed:
                    self._db.execute(_INDEXES[index])
                    self._indexed.add(index)
            return self._db.execute(sql, args)

    # --- reading -----------------------------------------------------------------------------

    def record(self, doc: int) -> DocRecord:
        (body,) = self._query((), "SELECT body FROM docs WHERE id = ?", doc).fetchone()
        return decode(body)

    def at_dest(self, dest: str) -> list[tuple[int, DocRecord]]:
        """The records written to `dest`, in order, with their numbers."""
        rows = self._query(("dest",), "SELECT id, body FROM docs WHERE dest = ? ORDER BY id", dest)
        return [(doc, decode(body)) for doc, body in rows]

    def shared_dests(self) -> Iterator[str]:
        """Destinations two records share, or a record and a static file."""
        rows = self._query(
            ("dest",),
            "SELECT dest FROM docs WHERE dest IS NOT NULL GROUP BY dest HAVING count(*) > 1 "
            "OR dest IN (SELECT dest FROM statics) ORDER BY min(id)",
        )
        return (dest for (dest,) in rows)

    def static_at(self, dest: str) -> str | None:
        row = self._query((), "SELECT rel FROM statics WHERE dest = ?", dest).fetchone()
        return None if row is None else str(row[0])

    def served(self, dest: str) -> bool:
        """Whether a record, a static file or a redirect is written to `dest`."""
        row = self._query(
            ("dest",),
            "SELECT EXISTS (SELECT 1 FROM docs WHERE dest = ?1) "
            "OR EXISTS (SELECT 1 FROM statics WHERE dest = ?1) "
            "OR EXISTS (SELECT 1 FROM redirects WHERE dest = ?1)",
            dest,
        ).fetchone()
        return bool(row[0])

    def first_hidden(self, dest: str) -> DocRecord | None:
        """The first record that would be written to `dest` if it were published."""
        row = self._query(
            ("hidden",), "SELECT body FROM docs WHERE hidden_dest = ? ORDER BY id LIMIT 1", dest
        ).fetchone()
        return None if row is None else decode(row[0])

    def last_named(self, collection: str, stem: str) -> DocRecord | None:
        """The last record of `collection` whose file name (without extension) is `stem`."""
        row = self._query(
            ("stem",),
            "SELECT body FROM docs WHERE collection = ? AND stem = ? ORDER BY id DESC LIMIT 1",
            collection,
            stem,
        ).fetchone()
        return None if row is None else decode(row[0])

    def top_folders(self) -> set[str]:
        """The first path segment of every destination with a folder in it."""
        found: set[str] = set()
        for table in ("docs", "statics", "redirects"):
            rows = self._query(
                (),
                f"SELECT DISTINCT substr(dest, 1, instr(dest, '/') - 1) "
                f"FROM {table} WHERE instr(dest, '/') > 0",
            )
            found.update(top for (top,) in rows)
        return found

    def redirects(self) -> Iterator[tuple[str, int, int, int]]:
        """Each kept redirect: its destination, the number of its record, line and column."""
        rows = self._query(("dest",), "SELECT dest, doc, line, col FROM redirects ORDER BY rowid")
        return ((str(dest), doc, line, col) for dest, doc, line, col in rows)

    def links(self) -> Iterator[tuple[int, Link]]:
        rows = self._query(
            ("dest",), "SELECT doc, target, line, col, key FROM links ORDER BY rowid"
        )
        return ((doc, Link(target, line, col, key)) for doc, target, line, col, key in rows)

    def records_of(self, collection: str) -> Iterator[DocRecord]:
        rows = self._query((), "SELECT body FROM docs WHERE collection = ? ORDER BY id", collection)
        return (decode(body) for (body,) in rows)

    def papers_by_key(self) -> Iterator[tuple[str, int]]:
        """Each title key once, in the order first seen, with the last paper that has it."""
        rows = self._query(
            ("paper_keys",), "SELECT key, max(doc) FROM paper_keys GROUP BY key ORDER BY min(rowid)"
        )
        return ((str(key), doc) for key, doc in rows)

    def has_paper_key(self, key: str) -> bool:
        return (
            self._query(
                ("paper_keys",), "SELECT 1 FROM paper_keys WHERE key = ? LIMIT 1", key
            ).fetchone()
            is not None
        )
