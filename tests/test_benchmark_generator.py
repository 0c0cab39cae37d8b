"""The benchmark site generator: counts, defined defects, variety, parseability, uniqueness."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.floor import document_files, split_front_matter
from benchmarks.generate import (
    BAD_CATEGORY,
    BAD_DATE,
    BROKEN_KINDS,
    CATEGORIES,
    broken_documents,
    generate_site,
)
from ruamel.yaml.cyaml import CSafeLoader

COLLECTIONS = ("_publications", "_talks", "_teaching", "_posts")
DATED_STEM = re.compile(r"^(\d{4}-\d{2}-\d{2})-")


def _front_matter(path: Path) -> str:
    front = split_front_matter(path.read_bytes().decode("utf-8"))
    assert front is not None, path
    return front


def _load(text: str) -> object:
    return CSafeLoader(text).get_single_data()


def _docs(site: Path) -> dict[str, Path]:
    return {
        f"{folder}/{path.name}": path
        for folder in COLLECTIONS
        for path in (site / folder).iterdir()
    }


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "site"
    generate_site(root, 200)
    return root


@pytest.fixture(scope="module")
def big_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "site"
    generate_site(root, 1000)
    return root


def test_site_files_exist(site: Path) -> None:
    for name in ("_config.yml", "_data/navigation.yml"):
        assert isinstance(_load((site / name).read_text(encoding="utf-8")), dict), name
    about = _load(_front_matter(site / "_pages" / "about.md"))
    assert isinstance(about, dict) and about["permalink"] == "/"
    publications = _load(_front_matter(site / "_pages" / "publications.html"))
    assert isinstance(publications, dict) and publications["permalink"] == "/publications/"
    for layout in ("default", "single", "talk", "archive"):
        assert (site / "_layouts" / f"{layout}.html").is_file(), layout


def test_config_shape(site: Path) -> None:
    config = _load((site / "_config.yml").read_text(encoding="utf-8"))
    assert isinstance(config, dict)
    assert set(config["publication_category"]) == set(CATEGORIES)
    assert {"title", "url", "author"} <= set(config)
    assert "_pages" in config["include"]
    for name in ("publications", "talks", "teaching", "portfolio"):
        assert config["collections"][name]["output"] is True


def test_counts_per_collection(site: Path) -> None:
    counts = {folder: len(list((site / folder).iterdir())) for folder in COLLECTIONS}
    expected = {"_publications": 140, "_talks": 30, "_teaching": 10, "_posts": 20}
    assert counts == expected


def test_posts_are_named_by_date(site: Path) -> None:
    for path in (site / "_posts").iterdir():
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}-[a-z0-9-]+\.md", path.name), path.name


def test_broken_set_is_every_hundredth(site: Path) -> None:
    broken = broken_documents(200)
    assert list(broken.values()) == ["missing-venue", "unknown-key"]
    assert all(path.startswith("_publications/") for path in broken)
    assert set(broken) <= set(_docs(site))


def test_every_kind_appears_in_equal_numbers(big_site: Path) -> None:
    broken = broken_documents(1000)
    assert len(broken) == 10
    assert Counter(broken.values()) == dict.fromkeys(BROKEN_KINDS, 2)
    assert set(broken) <= set(_docs(big_site))


def _check_defect(kind: str, front: str) -> None:
    if kind == "yaml-syntax":
        with pytest.raises(Exception, match="quoted scalar"):
            _load(front)
        return
    if kind == "bad-date":
        assert f"\ndate: {BAD_DATE}" in f"\n{front}"
        with pytest.raises(ValueError):
            _load(front)
        return
    data = _load(front)
    assert isinstance(data, dict)
    checks = {
        "missing-venue": "venue" not in data and "venu" not in data,
        "unknown-key": "venu" in data and "venue" in data,
        "bad-category": data.get("category") == BAD_CATEGORY,
    }
    assert checks[kind], (kind, data)


def test_broken_files_have_their_defect(big_site: Path) -> None:
    for relative, kind in broken_documents(1000).items():
        _check_defect(kind, _front_matter(big_site / relative))


def _check_good(relative: str, data: object) -> None:
    assert isinstance(data, dict), relative
    assert isinstance(data["title"], str) and data["title"]
    assert isinstance(data["date"], dt.date)
    dated = DATED_STEM.match(relative.split("/", 1)[1])
    if dated:
        assert data["date"].isoformat() == dated.group(1), relative
    else:
        assert relative.startswith("_teaching/")
        assert relative.split("/", 1)[1][:4] == str(data["date"].year)
    if relative.startswith("_publications/"):
        assert data["category"] in CATEGORIES
        assert isinstance(data["venue"], str)
        assert "venu" not in data


def test_good_front_matters_parse(big_site: Path) -> None:
    broken = broken_documents(1000)
    for relative, path in _docs(big_site).items():
        if relative not in broken:
            _check_good(relative, _load(_front_matter(path)))


def test_permalinks_unique_and_match_stems(big_site: Path) -> None:
    broken = broken_documents(1000)
    permalinks: list[str] = []
    for relative, path in _docs(big_site).items():
        if broken.get(relative) in ("yaml-syntax", "bad-date"):
            continue
        data = _load(_front_matter(path))
        assert isinstance(data, dict)
        permalinks.append(data["permalink"])
        if relative.startswith("_publications/"):
            assert data["permalink"] == f"/publication/{path.stem}"
    assert len(permalinks) == len(set(permalinks))


def _share(fronts: list[str], pattern: str) -> int:
    return sum(1 for front in fronts if re.search(pattern, front, re.MULTILINE))


def test_variety(big_site: Path) -> None:
    raw = [path.read_bytes() for path in _docs(big_site).values()]
    fronts = [split_front_matter(data.decode("utf-8")) or "" for data in raw]
    assert 20 <= sum(b"\r\n" in data for data in raw) <= 90  # about 5 % CRLF
    assert 50 <= _share(fronts, r"^#|  # ") <= 160  # about 10 % with comments
    assert 20 <= _share(fronts, r"^title: .*([\u4e00-\u9fff]|[éèüñó])") <= 90  # about 5 %
    assert _share(fronts, r'^title: "') > 0
    assert _share(fronts, r"^title: '.*''") > 0
    assert _share(fronts, r"^title: [A-Z]") > 0
    assert _share(fronts, r"^tags: \[") > 0
    assert _share(fronts, r"^tags:\r?\n  - ") > 0


def test_bodies_are_about_two_kilobytes(site: Path) -> None:
    sizes = [len(path.read_bytes()) for path in _docs(site).values()]
    assert 1800 <= sum(sizes) / len(sizes) <= 3500


def test_floor_finds_every_document(site: Path) -> None:
    assert sum(1 for _ in document_files(site)) == 202


def test_deterministic(tmp_path: Path, site: Path) -> None:
    again = tmp_path / "again"
    generate_site(again, 200)
    for relative, path in _docs(site).items():
        assert (again / relative).read_bytes() == path.read_bytes(), relative


def test_every_piece_the_pieces_benchmark_takes_out_is_still_in_the_source() -> None:
    """`python -m benchmarks.pieces` patches the source; a patch whose text has moved would stop
    the benchmark, so it is caught here first."""
    from benchmarks.pieces import VARIANTS
    from benchmarks.runner import REPO_ROOT

    for name, (_, patches) in VARIANTS.items():
        for rel, old, _ in patches:
            text = (REPO_ROOT / "src" / rel).read_text(encoding="utf-8")
            assert text.count(old) >= 1, f"{name}: {rel} no longer contains {old!r}"
