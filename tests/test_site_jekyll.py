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

from conftest import require_jekyll

REPO_ROOT = Path(__file__).resolve().parents[1]
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
