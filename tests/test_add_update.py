"""`add publication --update` refreshes only what pagemgr wrote and nobody edited since (the
`pagemgr_wrote` record in the file), and never with a value that says less."""

from __future__ import annotations

import hashlib
from pathlib import Path

from conftest import make_site, run_cli
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

DATA = Path(__file__).with_name("data") / "bibtex"


def front(path: Path) -> dict[str, object]:
    data = yamlio.load(parse_document(path.read_text(encoding="utf-8")).front_matter).data
    assert isinstance(data, dict)
    return data


def fingerprint(value: object) -> str:
    """The record's fingerprint, computed as the schema describes it."""
    kind = "date" if isinstance(value, yamlio.JekyllDate) else type(value).__name__
    return hashlib.sha256(f"{kind}:{value}".encode()).hexdigest()[:8]


def add(site: Path, *args: str | Path) -> tuple[int, str]:
    result = run_cli("add", "publication", "--site", site, *args)
    return result.exit_code, result.stderr


def only_new(site: Path) -> Path:
    (path,) = [p for p in (site / "_publications").iterdir() if p.name != "2020-01-01-paper.md"]
    return path


def test_a_new_publication_records_what_pagemgr_wrote(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, stderr = add(site, "--bibtex", DATA / "update-preprint.bib", "--category", "manuscripts")
    assert code == 0, stderr
    path = only_new(site)
    data = front(path)
    line = next(x for x in path.read_text().splitlines() if x.startswith("pagemgr_wrote:"))
    assert line.startswith("pagemgr_wrote: {venue: ")  # one line, after the keys it describes
    assert data["pagemgr_wrote"] == {
        key: fingerprint(data[key]) for key in ("venue", "date", "paperurl", "citation")
    }
    check = run_cli("check", "--site", site, path)
    assert check.exit_code == 0 and "pagemgr_wrote" not in check.stdout + check.stderr


def test_update_never_replaces_an_exact_date_by_a_year(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, stderr = add(site, "--bibtex", DATA / "update-exact.bib")
    assert code == 0, stderr
    path = only_new(site)
    before = path.read_text(encoding="utf-8")
    assert "date: 2021-03-15\n" in before
    code, stderr = add(site, "--bibtex", DATA / "update-year.bib", "--update")
    assert code == 0, stderr
    assert path.read_text(encoding="utf-8") == before
    assert "kept date (it is more precise than the source's date)" in stderr


def test_update_keeps_a_venue_edited_by_hand(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, stderr = add(site, "--bibtex", DATA / "update-preprint.bib", "--category", "manuscripts")
    assert code == 0, stderr
    path = only_new(site)
    path.write_text(
        path.read_text().replace(
            "venue: 'arXiv preprint arXiv:2305.01234'", "venue: 'Under review at J. ACM'"
        )
    )
    code, stderr = add(site, "--bibtex", DATA / "update-published.bib", "--update")
    assert code == 0, stderr
    data = front(path)
    assert data["venue"] == "Under review at J. ACM"
    assert "kept venue (it was edited after pagemgr wrote it)" in stderr
    assert str(data["date"]) == "2024-06-01"
    assert data["paperurl"] == "https://doi.org/10.1145/3600001"
    assert data["citation"] == (
        "Doe, Jane; Smith, Ann (2024). &quot;Sparse Flows on Graphs.&quot; "
        "<i>Under review at J. ACM</i>. 71(3), 1\u201342."
    )
    record = data["pagemgr_wrote"]
    assert isinstance(record, dict) and record["venue"] != fingerprint(data["venue"])
    assert {k: record[k] for k in ("date", "paperurl", "citation")} == {
        k: fingerprint(data[k]) for k in ("date", "paperurl", "citation")
    }
    # a value given on the command line is the user's: it replaces, and the record forgets it
    code, stderr = add(
        site,
        "--title",
        "Sparse Flows on Graphs",
        "--venue",
        "J. ACM",
        "--date",
        "2024-06-20",
        "--category",
        "manuscripts",
        "--update",
    )
    assert code == 0, stderr
    data = front(path)
    assert (data["venue"], str(data["date"])) == ("J. ACM", "2024-06-20")
    record = data["pagemgr_wrote"]
    assert isinstance(record, dict) and set(record) == {"paperurl", "citation"}


def test_update_refreshes_what_pagemgr_wrote(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, stderr = add(site, "--bibtex", DATA / "update-preprint.bib", "--category", "manuscripts")
    assert code == 0, stderr
    path = only_new(site)
    path.write_text(path.read_text() + "\nMy notes on the paper.\n")
    code, stderr = add(site, "--bibtex", DATA / "update-published.bib", "--update")
    assert code == 0, stderr
    assert "updated venue, date, paperurl, citation in" in stderr
    data = front(path)
    assert (data["venue"], str(data["date"])) == ("J. ACM", "2024-06-01")
    assert data["pagemgr_wrote"] == {
        key: fingerprint(data[key]) for key in ("venue", "date", "paperurl", "citation")
    }
    text = path.read_text()
    assert text.endswith("\nMy notes on the paper.\n")
    assert sum(line.startswith("pagemgr_wrote: {") for line in text.splitlines()) == 1
    # the published version again: nothing to do; the preprint again: it says less, kept
    code, stderr = add(site, "--bibtex", DATA / "update-published.bib", "--update")
    assert code == 0 and "already up to date" in stderr
    code, stderr = add(site, "--bibtex", DATA / "update-preprint.bib", "--update")
    assert code == 0, stderr
    assert front(path)["venue"] == "J. ACM"
    assert "kept venue (it says more than the source's value)" in stderr


def test_update_of_a_file_pagemgr_did_not_write_only_fills_gaps(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    path = site / "_publications" / "2020-01-01-paper.md"
    code, stderr = add(site, "--bibtex", DATA / "update-legacy.bib", "--update")
    assert code == 0, stderr
    data = front(path)
    assert (data["venue"], str(data["date"])) == ("Journal 1", "2020-01-01")
    assert "kept venue (pagemgr did not write it), date (pagemgr did not write it)" in stderr
    assert data["paperurl"] == "https://doi.org/10.1109/J2.2020.9000001"
    assert data["citation"] == (
        "Doe, Jane; Roe, Richard (2020). &quot;A Paper.&quot; <i>Journal 1</i>. 3(1), 1-10."
    )
    assert data["pagemgr_wrote"] == {
        "paperurl": fingerprint(data["paperurl"]),
        "citation": fingerprint(data["citation"]),
    }
    assert path.read_text().endswith("---\nBody.\n")
    assert run_cli("check", "--site", site, path).exit_code == 0
