"""The record store gives back exactly the records it was given, and answers lookups as a scan
of them would."""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from pathlib import Path

import pytest

from conftest import make_site, run_cli
from pagemgr.check.index import sqlite_store as index_store
from pagemgr.check.index.records import DocRecord, Link, Store
from pagemgr.check.index.site_index import open_store
from pagemgr.check.index.sqlite_store import decode, encode

ON_DISK = pytest.mark.parametrize("on_disk", [True, False], ids=["sqlite", "memory"])


def _record(number: int, dest: str | None) -> DocRecord:
    base = DocRecord(f"_publications/p{number}.md", "publications", f"p{number}", True, True)
    return base._replace(dest=dest, url=None if dest is None else "/" + dest)


def test_a_record_survives_the_store_whole() -> None:
    record = _record(1, "publication/p1.html")._replace(
        title="T",
        date=dt.date(2024, 2, 29),
        date_raw=True,
        permalink="/publication/p1",
        redirects=(("/old/", 4, 3),),
        links=(Link("/files/a.pdf", 7, 2, "paperurl"), Link("../x", 12, 9)),
        positions=bytes(range(72)),
        hidden="",
        url_error=None,
    )
    back = decode(encode(record))
    assert back == record
    assert all(type(link) is Link for link in back.links)
    assert type(back.date) is dt.date


@ON_DISK
def test_lookups_agree_with_a_scan_of_the_records(on_disk: bool) -> None:
    rng = random.Random(7)
    store: Store = open_store(on_disk)
    records: list[DocRecord] = []
    hidden: list[str | None] = []
    for number in range(1, 3001):  # several batches
        dest = rng.choice([None, f"d{rng.randrange(400)}.html"])
        stem = f"s{rng.randrange(300)}"
        record = _record(number, dest)._replace(
            stem=stem, collection=rng.choice(["publications", "talks"])
        )
        shadow = None if dest is not None else rng.choice([None, f"d{rng.randrange(400)}.html"])
        assert store.add(record, shadow) == number
        records.append(record)
        hidden.append(shadow)
    store.add_static("d7.html", "d7.html", replace=True)
    store.add_static("d7.html", "other.html", replace=False)
    store.add_redirect("r.html", 3, 1, 1)
    store.add_redirect("r.html", 4, 2, 2)  # the first redirect to a destination is kept
    for number in (0, 1, 7, 399, 401):
        dest = f"d{number}.html"
        expected = [(n, r) for n, r in enumerate(records, 1) if r.dest == dest]
        assert store.at_dest(dest) == expected
        assert store.served(dest) == (bool(expected) or dest == "d7.html")
        first = next((r for r, h in zip(records, hidden, strict=True) if h == dest), None)
        assert store.first_hidden(dest) == first
    assert store.static_at("d7.html") == "d7.html"
    assert store.served("r.html")
    assert list(store.redirects()) == [("r.html", 3, 1, 1)]
    counts: dict[str, int] = {}
    for record in records:
        if record.dest is not None:
            counts[record.dest] = counts.get(record.dest, 0) + 1
    shared = {dest for dest, count in counts.items() if count > 1} | (
        {"d7.html"} if "d7.html" in counts else set()
    )
    assert set(store.shared_dests()) == shared
    for stem in ("s0", "s5", "s299", "nope"):
        named = [r for r in records if r.collection == "talks" and r.stem == stem]
        assert store.last_named("talks", stem) == (named[-1] if named else None)
    assert list(store.records_of("talks")) == [r for r in records if r.collection == "talks"]
    assert store.top_folders() == set()  # no destination here has a folder
    store.add_static("files/a.pdf", "files/a.pdf", replace=True)
    assert store.top_folders() == {"files"}
    store.close()


@ON_DISK
def test_title_keys(on_disk: bool) -> None:
    store = open_store(on_disk)
    store.add_paper_key("a", 1)
    store.add_paper_key("b", 2)
    store.add_paper_key("a", 3)
    assert list(store.papers_by_key()) == [("a", 3), ("b", 2)]
    assert store.has_paper_key("b") and not store.has_paper_key("c")
    store.close()


def test_a_full_disk_is_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SQLite spills the index to a temporary file; when the disk refuses, the user is told
    what to do, not shown a traceback."""
    real_connect = sqlite3.connect

    class Full:
        def __init__(self, *args: object, **kwargs: object) -> None:
            self.db = real_connect(*args, **kwargs)  # type: ignore[arg-type]

        def __getattr__(self, name: str) -> object:
            return getattr(self.db, name)

        def executemany(self, *args: object) -> None:
            raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(index_store.sqlite3, "connect", Full)
    site = make_site(tmp_path)
    result = run_cli("check", "--site", site, "--no-cache")
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "database or disk is full" in lines[0] and "TMPDIR" in lines[0]
