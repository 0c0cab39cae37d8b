"""`pagemgr add publication --bibtex`: LaTeX to Unicode, per-entry errors, encodings, dedupe."""

from __future__ import annotations

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
        "pagemgr: error: preprint2024: missing --category; pass it to apply to every entry",
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
    old.write_text(
        '---\ntitle: "Bruckner\'s Etude of the Laplace Operator - DNA and Quotes"\n'
        "collection: publications\ncategory: manuscripts\n# my note\nvenue: 'Preprint'\n"
        "date: 2020-01-01\nslidesurl: /files/s.pdf\n---\nMy own body.\n",
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
