"""`add publication --bibtex` on BibTeX as Google Scholar, DBLP, ACM, IEEE Xplore, arXiv and
Zotero export it: LaTeX to Unicode (math kept for MathJax), names split as BibTeX splits them,
categories from entry types, citations with pages and "et al.", DOIs in their own case."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from conftest import REPO, make_site, run_cli
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

DATA = Path(__file__).with_name("data") / "bibtex"
# publication_category as the academicpages template has it, and as CoburgGraphicsLab retitled it
TEMPLATE_CATEGORIES = (
    "publication_category:\n  books:\n    title: 'Books'\n  manuscripts:\n"
    "    title: 'Journal Articles'\n  conferences:\n    title: 'Conference Papers'\n"
)
COBURG_CATEGORIES = (
    "publication_category:\n  books:\n    title: 'Thesis'\n  manuscripts:\n"
    "    title: 'Peer-Reviewed Articles'\n  conferences:\n    title: 'Conference Papers'\n"
)


def site_with(tmp_path: Path, categories: str | None = None) -> Path:
    site = make_site(tmp_path)
    if categories is not None:
        config = site / "_config.yml"
        text = config.read_text(encoding="utf-8")
        start = text.index("publication_category:")
        end = text.index("collections:")
        config.write_text(text[:start] + categories + text[end:], encoding="utf-8")
    return site


def added(site: Path) -> dict[str, dict[str, object]]:
    """Front matter of each publication but the base site's own, by title."""
    found = {}
    for path in sorted((site / "_publications").iterdir()):
        if path.name == "2020-01-01-paper.md":
            continue
        data = yamlio.load(parse_document(path.read_text(encoding="utf-8")).front_matter).data
        assert isinstance(data, dict)
        found[str(data["title"])] = {**data, "_body": parse_document(path.read_text()).body}
    return found


def add_bibtex(site: Path, name: str, *args: str) -> tuple[int, str]:
    result = run_cli("add", "publication", "--site", site, "--bibtex", DATA / name, *args)
    return result.exit_code, result.stderr


def errors(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("pagemgr: error:")]


def check_passes(site: Path) -> None:
    result = run_cli("check", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "pagemgr_wrote" not in result.stdout + result.stderr


def test_google_scholar(tmp_path: Path) -> None:
    site = site_with(tmp_path, TEMPLATE_CATEGORIES)
    code, stderr = add_bibtex(site, "scholar.bib")
    assert code == 1
    assert errors(stderr) == [
        "pagemgr: error: devlin2018bert: missing --category: no category in "
        "publication_category (_config.yml) fits this preprint; pass --category (it fills "
        "every entry that has none)"
    ]
    pubs = added(site)
    lam = pubs["The $\\lambda$-calculus in Newton's method: Über $\\sqrt{n}$ steps"]
    assert lam["venue"] == "J. Mach. Learn. Res."
    assert lam["category"] == "manuscripts"
    assert str(lam["date"]) == "2021-01-01"
    assert lam["citation"] == (
        "Müller, Jörg; François, René; Kaiser, Łukasz, et al. (2021). &quot;The "
        "$\\lambda$-calculus in Newton&#x27;s method: Über $\\sqrt{n}$ steps.&quot; "
        "<i>J. Mach. Learn. Res.</i> 22(4), 101\u2013135."
    )
    omega = pubs["$\\omega$-regular games with ∞ memory"]
    assert omega["category"] == "conferences"
    assert str(omega["citation"]).endswith("(LICS)</i>. pp. 1\u201313."), omega["citation"]
    book = pubs["The TeXbook"]
    assert (book["category"], book["venue"]) == ("books", "Addison-Wesley")
    check_passes(site)


def test_dblp(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    code, stderr = add_bibtex(site, "dblp.bib", "--category", "manuscripts")
    assert code == 0, stderr
    pubs = added(site)
    pami = pubs["Typesetting LaTeX Proofs with Bold Vectors $\\mathbf{x}$"]
    assert pami["venue"] == "IEEE Trans. Pattern Anal. Mach. Intell."
    assert pami["paperurl"] == "https://doi.org/10.1109/TPAMI.2020.3008413"
    assert pami["citation"] == (
        "Zhang, Wei; Müller, Jürgen; Dupont, Éric (2021). &quot;Typesetting LaTeX Proofs with "
        "Bold Vectors $\\mathbf{x}$.&quot; <i>IEEE Trans. Pattern Anal. Mach. Intell.</i> "
        "43(7), 2345\u20132360."
    )
    bert = pubs["BERT: Pre-training of Deep Bidirectional Transformers for Language Understanding"]
    assert bert["venue"] == "arXiv preprint arXiv:1810.04805"
    assert bert["category"] == "manuscripts"  # from --category: no category fits a preprint
    assert bert["paperurl"] == "http://arxiv.org/abs/1810.04805"
    assert str(bert["citation"]).startswith("Devlin, Jacob; Chang, Ming-Wei; Lee, Kenton; ")
    assert "abs/1810.04805" not in str(bert["citation"])
    nips = pubs["Attention is All you Need"]
    assert nips["category"] == "conferences"  # its own type wins over --category
    assert str(nips["venue"]).endswith("December 4-9, 2017, Long Beach, CA, USA")
    assert str(nips["citation"]).startswith(
        "Vaswani, Ashish; Shazeer, Noam; Parmar, Niki; Uszkoreit, Jakob; Jones, Llion; "
        "Gomez, Aidan N.; Kaiser, Lukasz; Polosukhin, Illia (2017)."
    )
    assert str(nips["citation"]).endswith("pp. 5998\u20136008.")
    data = pubs["Data for the $\\omega$-Benchmark"]
    assert data["venue"] == "https://zenodo.org/record/4567890"
    check_passes(site)


def test_acm(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    code, stderr = add_bibtex(site, "acm.bib")
    assert code == 0, stderr
    pubs = added(site)
    cacm = pubs["ImageNet classification with deep convolutional neural networks"]
    assert (cacm["venue"], str(cacm["date"])) == ("Commun. ACM", "2017-05-01")
    assert cacm["category"] == "manuscripts"
    assert cacm["paperurl"] == "https://doi.org/10.1145/3065386"
    assert str(cacm["citation"]).endswith("<i>Commun. ACM</i>. 60(6), 84\u201390.")
    assert "error rates of 37.5% and 17.0%." in str(cacm["_body"])
    ccs = pubs["Deep Learning with Differential Privacy"]
    assert ccs["category"] == "conferences"
    assert "McMahan, H. Brendan;" in str(ccs["citation"])
    assert str(ccs["citation"]).endswith("Security</i>. pp. 308\u2013318.")
    check_passes(site)


def test_ieee_xplore(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    code, stderr = add_bibtex(site, "ieee.bib")
    assert code == 0, stderr
    pubs = added(site)
    cvpr = pubs["Deep Residual Learning for Image Recognition"]
    assert cvpr["category"] == "conferences"
    assert cvpr["venue"] == "2016 IEEE Conference on Computer Vision and Pattern Recognition (CVPR)"
    assert cvpr["paperurl"] == "https://doi.org/10.1109/CVPR.2016.90"
    assert str(cvpr["citation"]).endswith("(CVPR)</i>. pp. 770-778.")
    pami = pubs["Learning $\\lambda$-Returns & Discounts for Control"]
    assert str(pami["date"]) == "2021-07-01"
    assert pami["paperurl"] == "https://doi.org/10.1109/TPAMI.2020.3008413"
    assert str(pami["citation"]).startswith("Zhang, Wei; Müller, Jörg (2021). ")
    check_passes(site)


def test_arxiv_export(tmp_path: Path) -> None:
    site = site_with(tmp_path)
    code, stderr = add_bibtex(site, "arxiv.bib", "--category", "manuscripts")
    assert code == 0, stderr
    pub = added(site)["On the $\\omega$-Limit of Gradient Flows"]
    assert pub["venue"] == "arXiv preprint arXiv:2401.01234"
    assert pub["paperurl"] == "https://arxiv.org/abs/2401.01234"
    assert str(pub["date"]) == "2024-01-01"
    assert pub["citation"] == (
        "Doe, Jane; Smith, Ann; Roe, Bob (2024). &quot;On the $\\omega$-Limit of Gradient "
        "Flows.&quot; <i>arXiv preprint arXiv:2401.01234</i>."
    )
    check_passes(site)


def test_zotero(tmp_path: Path) -> None:
    site = site_with(tmp_path, COBURG_CATEGORIES)
    code, stderr = add_bibtex(site, "zotero.bib")
    assert code == 1
    assert [line.split(":")[2].strip() for line in errors(stderr)] == ["smith_preprint_2024"]
    pubs = added(site)
    etude = pubs["Étude of the Laplace operator on Über-graphs"]
    assert etude["venue"] == "Journal of Tests & Things"
    assert etude["category"] == "manuscripts"  # 'Peer-Reviewed Articles'
    assert str(etude["date"]) == "2021-03-01"
    assert etude["paperurl"] == "https://example.org/articles/etude"
    body = str(etude["_body"])
    assert "weights in $[0, \\infty)$." in body
    assert "DOI: [10.1234/JTT.2021.012](https://doi.org/10.1234/JTT.2021.012)" in body
    assert str(etude["citation"]).endswith(
        "<i>Journal of Tests &amp; Things</i>. 12(3), 45\u201367."
    )
    thesis = pubs["Rendering the Unrenderable"]
    assert thesis["category"] == "books"  # the site calls its books category 'Thesis'
    assert (thesis["venue"], str(thesis["date"])) == ("Hochschule Coburg", "2020-09-01")
    check_passes(site)


def test_latex_is_read_only_when_bibtex_is(tmp_path: Path) -> None:
    site = site_with(tmp_path)

    def imported(*args: str) -> str:
        command = [sys.executable, "-X", "importtime", "-m", "pagemgr", "add", "publication"]
        result = subprocess.run(
            [*command, "--site", str(site), "--dry-run", *args],
            capture_output=True,
            text=True,
            cwd=REPO,
            stdin=subprocess.DEVNULL,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        return result.stderr

    flags = ("--title", "T", "--venue", "V", "--date", "2024-01-02", "--category", "manuscripts")
    assert "pylatexenc" not in imported(*flags)
    assert "pylatexenc" in imported(
        "--bibtex", str(DATA / "arxiv.bib"), "--category", "manuscripts"
    )
