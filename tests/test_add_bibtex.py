"""`pagemgr add publication --bibtex`: LaTeX to Unicode, per-entry errors, encodings, dedupe."""

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


def test_accents_macros_and_braces(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli("add", "publication", "--site", site, "--bibtex", DATA / "accents.bib")
    assert result.exit_code == 0, result.stderr
    path = (
        site
        / "_publications"
        / ("2021-03-01-bruckner-s-etude-of-the-laplace-operator-dna-and-quotes.md")
    )
    data = front(path)
    assert data["title"] == (
        "Brückner's Étude of the Laplace Operator \u2013 DNA and \u201cQuotes\u201d"
    )
    assert data["venue"] == "Journal of Tests & Things"
    assert data["category"] == "manuscripts"
    assert str(data["date"]) == "2021-03-01"
    assert data["paperurl"] == "https://doi.org/10.1234/accents.2021"
    assert data["citation"] == (
        "Müller, Jörg; François, Jean-Luc; World Health Organization (2021). "
        "&quot;Brückner&#x27;s Étude of the Laplace Operator \u2013 DNA and "
        "\u201cQuotes\u201d.&quot; <i>Journal of Tests &amp; Things</i>. 12(3)."
    )
    assert run_cli("check", "--site", site, path).exit_code == 0
    again = run_cli("add", "publication", "--site", site, "--bibtex", DATA / "accents.bib")
    assert again.exit_code == 0
    assert "(same DOI 10.1234/accents.2021); nothing written" in again.stderr


def test_bad_entries_are_reported_by_key_and_the_others_imported(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli("add", "publication", "--site", site, "--bibtex", DATA / "mixed.bib")
    assert result.exit_code == 1
    errors = [line for line in result.stderr.splitlines() if line.startswith("pagemgr: error:")]
    assert errors == [
        "pagemgr: error: notitle2018: mixed.bib: missing title; not added",
        "pagemgr: error: noyear: mixed.bib: missing year; not added",
        "pagemgr: error: journal2019: mixed.bib: another entry above has the same key; this one "
        "was not added (give it its own key)",
        "pagemgr: error: preprint2024: missing --category: no category in publication_category "
        "(_config.yml) fits this preprint; pass --category (it fills every entry that has none)",
    ]
    folder = site / "_publications"
    conf = front(folder / "2020-07-15-a-conference-paper-on-graphs.md")
    assert conf["category"] == "conferences"
    assert conf["venue"] == "Proceedings of the Test Conference"
    assert conf["paperurl"] == "https://example.org/conf2020.pdf"
    journal = front(folder / "2019-10-01-a-journal-article.md")
    assert journal["category"] == "manuscripts"
    assert sorted(p.name for p in folder.iterdir()) == [
        "2019-10-01-a-journal-article.md",
        "2020-01-01-paper.md",
        "2020-07-15-a-conference-paper-on-graphs.md",
    ]


def test_arxiv_entry_with_a_category_flag(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        "add",
        "publication",
        "--site",
        site,
        "--bibtex",
        DATA / "mixed.bib",
        "--category",
        "manuscripts",
        "--dry-run",
    )
    assert "==> _publications/2024-01-01-a-preprint-on-arxiv.md (would be created) <==" in (
        result.stdout
    )
    assert "venue: 'arXiv preprint arXiv:2401.01234'" in result.stdout
    assert "paperurl: 'https://arxiv.org/abs/2401.01234'" in result.stdout
    assert "category: manuscripts" in result.stdout
    assert sorted(p.name for p in (site / "_publications").iterdir()) == ["2020-01-01-paper.md"]


def test_non_utf8_file_is_a_clear_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli("add", "publication", "--site", site, "--bibtex", DATA / "latin1.bib")
    assert result.exit_code == 2
    assert "latin1.bib: not UTF-8 (byte 0xe9 on line 2); save the file as UTF-8" in result.stderr
    assert sorted(p.name for p in (site / "_publications").iterdir()) == ["2020-01-01-paper.md"]


def test_update_from_bibtex_keeps_other_keys_and_body(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    old = site / "_publications" / "old.md"
    wrote = {"venue": "str:Preprint", "date": "date:2020-01-01"}  # as pagemgr recorded them
    record = ", ".join(
        f"{key}: {hashlib.sha256(value.encode()).hexdigest()[:8]}" for key, value in wrote.items()
    )
    old.write_text(
        '---\ntitle: "Bruckner\'s Etude of the Laplace Operator - DNA and Quotes"\n'
        "collection: publications\ncategory: manuscripts\n# my note\nvenue: 'Preprint'\n"
        f"date: 2020-01-01\nslidesurl: /files/s.pdf\npagemgr_wrote: {{{record}}}\n---\n"
        "My own body.\n",
        encoding="utf-8",
    )
    result = run_cli(
        "add", "publication", "--site", site, "--bibtex", DATA / "accents.bib", "--update"
    )
    assert result.exit_code == 0, result.stderr
    text = old.read_text(encoding="utf-8")
    assert "# my note\nvenue: 'Journal of Tests & Things'\ndate: 2021-03-01\n" in text
    assert "slidesurl: /files/s.pdf\n" in text and text.endswith("---\nMy own body.\n")
    assert "paperurl: 'https://doi.org/10.1234/accents.2021'" in text or (
        "paperurl: https://doi.org/10.1234/accents.2021" in text
    )
    assert text.startswith("---\ntitle: \"Bruckner's Etude")
    assert len(list((site / "_publications").iterdir())) == 2


def test_author_names_split_on_and_at_any_whitespace(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    bib = tmp_path / "dblp-style.bib"
    bib.write_text(
        "@article{DBLP:journals/x/SmithJ20,\n"
        "  author       = {Alice Smith and\n                  Bob Jones AND\tCarol White and\n"
        "                  {Barnes and Noble} and others},\n"
        "  title        = {Names on Many Lines},\n"
        "  journal      = {Journal of Examples},\n"
        "  year         = {2020}\n}\n",
        encoding="utf-8",
    )
    result = run_cli("add", "publication", "--site", site, "--bibtex", bib)
    assert result.exit_code == 0, result.stderr
    data = front(site / "_publications" / "2020-01-01-names-on-many-lines.md")
    assert str(data["citation"]).startswith(
        "Smith, Alice; Jones, Bob; White, Carol; Barnes and Noble, et al. (2020)."
    )


def test_category_and_date_flags_only_fill_entries_that_lack_them(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    result = run_cli(
        "add",
        "publication",
        "--site",
        site,
        "--bibtex",
        DATA / "mixed.bib",
        "--category",
        "manuscripts",
        "--date",
        "2024-01-15",
    )
    assert result.exit_code == 1  # the entries mixed.bib cannot give
    folder = site / "_publications"
    conf = front(folder / "2020-07-15-a-conference-paper-on-graphs.md")
    assert (conf["category"], str(conf["date"])) == ("conferences", "2020-07-15")
    journal = front(folder / "2019-10-01-a-journal-article.md")
    assert (journal["category"], str(journal["date"])) == ("manuscripts", "2019-10-01")
    preprint = front(folder / "2024-01-15-a-preprint-on-arxiv.md")  # January 2024: the day
    assert (preprint["category"], str(preprint["date"])) == ("manuscripts", "2024-01-15")
    assert "pagemgr_wrote: {venue: " in (folder / "2024-01-15-a-preprint-on-arxiv.md").read_text()
    record = preprint["pagemgr_wrote"]
    assert isinstance(record, dict) and "date" not in record  # the date is the user's
