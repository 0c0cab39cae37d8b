"""Build the bundled example site (site/) with the real Jekyll and check its output.

The build runs on a copy of site/ in a temporary directory, so nothing is
written into the repository.  Without a `jekyll` executable the build tests are
skipped, unless PAGEMGR_REQUIRE_JEKYLL=1 is set, in which case they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import require_jekyll, run_cli
from test_templates import heading_before, visible

REPO_ROOT = Path(__file__).resolve().parents[1]
_QUOTED = re.compile(r'reads "([^"]*)"')
_UNDER = re.compile(r"under '([^']*)'")
_LINK = re.compile(r"leads to (\S+), which this site does not have")
SITE_DIR = REPO_ROOT / "site"
SEED_ABOUT = Path(__file__).parents[1].parent / "shared" / "seed" / "about.md"

ANSI_RE = re.compile(r"\x1b\[[0-9;]*m")
BAD_STDERR_RE = re.compile(r"Conflict|Build Warning|Error")

PUBLICATIONS: dict[str, str] = {
    "interpretability-analysis-pretrained-cnns-medical-diagnosis": (
        "Interpretability Analysis of Pre-trained Convolutional Neural Networks "
        "for Medical Diagnosis"
    ),
    "genesisscene": (
        "GenesisScene: Procedural Content Generation Guided by Large Vision LanguageModels"
    ),
}
PAPER_URL = "https://ieeexplore.ieee.org/document/10104339"
EN_DASH = "\u2013"
WORK_COMPANIES: tuple[str, ...] = (
    "Microsoft Research Asia",
    "Tencent",
    "ByteDance",
    "SenseTime",
)


class BuildResult:
    def __init__(self, returncode: int, stdout: str, stderr: str, dest: Path) -> None:
        self.returncode = returncode
        self.stdout = stdout
        self.stderr = stderr
        self.dest = dest

    def read(self, rel: str) -> str:
        path = self.dest / rel
        assert path.is_file(), f"{rel} was not generated; files: {sorted(self._files())}"
        return path.read_text(encoding="utf-8")

    def _files(self) -> list[str]:
        return [p.relative_to(self.dest).as_posix() for p in self.dest.rglob("*") if p.is_file()]


@pytest.fixture(scope="module")
def build(tmp_path_factory: pytest.TempPathFactory) -> BuildResult:
    jekyll = require_jekyll()
    tmp = tmp_path_factory.mktemp("jekyll_site")
    src = tmp / "site"
    dest = tmp / "out"
    shutil.copytree(SITE_DIR, src, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    proc = subprocess.run(
        [jekyll, "build", "--strict_front_matter", "-d", str(dest)],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return BuildResult(proc.returncode, proc.stdout, ANSI_RE.sub("", proc.stderr), dest)


def test_about_page_is_byte_identical_to_seed() -> None:
    if not SEED_ABOUT.is_file():
        pytest.skip(f"seed about page not found at {SEED_ABOUT}")
    assert (SITE_DIR / "_pages" / "about.md").read_bytes() == SEED_ABOUT.read_bytes()


def test_site_dir_has_no_build_output() -> None:
    assert not (SITE_DIR / "_site").exists()
    assert not (SITE_DIR / ".jekyll-cache").exists()


def test_build_succeeds_cleanly(build: BuildResult) -> None:
    assert build.returncode == 0, f"stdout:\n{build.stdout}\nstderr:\n{build.stderr}"
    bad = [line for line in build.stderr.splitlines() if BAD_STDERR_RE.search(line)]
    assert not bad, "jekyll reported problems on stderr:\n" + "\n".join(bad)


def test_index_is_about_page(build: BuildResult) -> None:
    html = build.read("index.html")
    assert "Wentao`s Page" in html
    assert "The Hong Kong Polytechnic University" in html
    assert "Microsoft Research Asia" in html
    # masthead links from _data/navigation.yml
    assert 'href="/publications/"' in html
    assert 'href="/cv/"' in html
    # author sidebar from site.author
    assert "mailto:2598536686@qq.com" in html
    assert "https://github.com/NONGFUYULANG" in html


@pytest.mark.parametrize("rel", ["about/index.html", "about.html"])
def test_about_redirects(build: BuildResult, rel: str) -> None:
    html = build.read(rel)
    assert "Redirecting" in html
    assert 'http-equiv="refresh"' in html
    assert "https://nongfuyulang.github.io/" in html


@pytest.mark.parametrize("stem", sorted(PUBLICATIONS))
def test_publication_pages(build: BuildResult, stem: str) -> None:
    html = build.read(f"publication/{stem}.html")
    assert PUBLICATIONS[stem] in html
    # no date was given for either paper, so none may be shown
    assert "Published" not in html
    if stem.startswith("interpretability"):
        assert PAPER_URL in html


def test_publications_list(build: BuildResult) -> None:
    html = build.read("publications/index.html")
    for stem, title in PUBLICATIONS.items():
        assert title in html
        assert f'href="/publication/{stem}"' in html
    assert PAPER_URL in html


def test_cv_page(build: BuildResult) -> None:
    html = build.read("cv/index.html")
    for company in WORK_COMPANIES:
        assert company in html
    assert "Large Model Application Research" in html
    assert f"2024-09 {EN_DASH} Present" in html
    assert f"2023-03 {EN_DASH} 2023-07" in html
    assert "The Hong Kong Polytechnic University" in html
    for title in PUBLICATIONS.values():
        assert title in html


def test_plugin_outputs(build: BuildResult) -> None:
    sitemap = build.read("sitemap.xml")
    for stem in PUBLICATIONS:
        assert f"https://nongfuyulang.github.io/publication/{stem}<" in sitemap
    assert build.read("feed.xml").startswith("<?xml")
    assert "/about.html" in build.read("redirects.json")
    assert (build.dest / "404.html").is_file()


# --- pagemgr's findings on site/, each held to what its own build shows (issue 16) --------------


def bundled_findings() -> list[dict[str, object]]:
    result = run_cli("check", "--site", SITE_DIR, "--format", "json", "--no-cache")
    assert "templates_unreadable" not in result.json(), "site/'s templates must be read"
    findings: list[dict[str, object]] = result.json()["findings"]
    return findings


def paper_of(finding: dict[str, object]) -> str:
    """The title of the publication a finding is about."""
    stem = Path(str(finding["path"])).stem
    assert str(finding["path"]).startswith("_publications/") and stem in PUBLICATIONS, finding
    return PUBLICATIONS[stem]


def confirm_missing_key(build: BuildResult, finding: dict[str, object]) -> None:
    stem = Path(str(finding["path"])).stem
    page = visible(build.read(f"publication/{stem}.html"))
    listed = visible(build.read("publications/index.html"))
    quoted = _QUOTED.search(str(finding["hint"]))
    if quoted:  # the hint quotes what the site shows
        assert quoted.group(1) in page or quoted.group(1) in listed, finding
    elif "'venue'" in str(finding["message"]):  # "the site shows this document without it"
        assert finding["severity"] == "warning" and "without it" in str(finding["hint"])
        assert "Published in" not in page and "Published in" not in listed
    else:
        pytest.fail(f"no check against the build for {finding}")


def confirm_category(build: BuildResult, finding: dict[str, object]) -> None:
    listed = build.read("publications/index.html")
    title = paper_of(finding)
    under = _UNDER.search(str(finding["message"]))
    if "does not show this paper" in str(finding["message"]):
        assert title not in listed, finding
    else:
        assert under and finding["severity"] == "warning", finding
        assert title in listed, finding
        shown_under = heading_before(listed, title)
        if "when papers of listed categories come before it" in str(finding["message"]):
            assert shown_under in (under.group(1), None), finding
        else:
            assert shown_under == under.group(1), finding


def confirm_broken_link(build: BuildResult, finding: dict[str, object]) -> None:
    target = _LINK.search(str(finding["message"]))
    assert target, finding
    rel = target.group(1).strip("/")
    assert not (build.dest / rel).exists() and not (build.dest / rel / "index.html").exists()


CONFIRM = {
    "missing-key": confirm_missing_key,
    "unlisted-category": confirm_category,
    "broken-link": confirm_broken_link,
}


def test_no_finding_on_the_bundled_site_is_contradicted_by_its_build(build: BuildResult) -> None:
    assert build.returncode == 0, build.stderr
    findings = bundled_findings()
    assert findings, "site/ has known faults to report"
    assert not [f for f in findings if f["severity"] == "error"]
    for finding in findings:
        confirm = CONFIRM.get(str(finding["rule"]))
        if confirm is None:
            pytest.fail(f"no check against the build for rule {finding['rule']}: {finding}")
        confirm(build, finding)


def test_other_publications_shows_only_beside_categorized_papers(build: BuildResult) -> None:
    """The analysis renders the page with each probe alone too: on site/, whose papers have no
    category, "Other Publications" is not printed, as the build shows."""
    from pagemgr.check.templates import PublicationListing, site_templates
    from pagemgr.site.model import load_site

    facts = site_templates(load_site(SITE_DIR, cached=False), use_cache=False)
    listing = getattr(facts, "publications", None)
    assert isinstance(listing, PublicationListing)
    assert listing.heading(None) == "Other Publications"
    assert listing.heading_alone(None) is None
    listed = build.read("publications/index.html")
    for title in PUBLICATIONS.values():
        assert heading_before(listed, title) is None
