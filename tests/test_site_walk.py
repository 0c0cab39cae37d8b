"""The walk's view of each file is the one `classify` gives for that path alone."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from conftest import EXAMPLES, REPO, make_site
from pagemgr.check.index.site_index import SiteIndex
from pagemgr.site.model import _extension, classify, load_site


def test_extension_is_what_splitext_gives_for_every_short_name() -> None:
    names = ["".join(chars) for n in range(1, 8) for chars in itertools.product("a./", repeat=n)]
    assert [_extension(name) for name in names] == [os.path.splitext(name)[1] for name in names]


def _sites(tmp_path: Path) -> list[Path]:
    examples = sorted(p for p in (EXAMPLES / "negative").iterdir() if p.is_dir())
    made = [make_site(tmp_path / example.name, example) for example in examples]
    return [REPO / "site", *made]


def test_every_walked_file_is_classified_alike(tmp_path: Path) -> None:
    for root in _sites(tmp_path):
        site = load_site(root, cached=False)
        walked = list(site.files())
        assert walked, root
        for item in walked:
            if item.kind == "outside-link":
                continue
            assert classify(site, item.rel) == item, (root, item.rel)


def test_the_streamed_walk_gives_what_the_cached_walk_gives(tmp_path: Path) -> None:
    """Without a cache the walk streams each folder from its sorted names; with one it keeps
    `FolderScan`s. Both give the same files, in the same order."""
    roots = _sites(tmp_path)
    extra = make_site(tmp_path / "links")
    (extra / "_publications" / "deeper" / "more").mkdir(parents=True)
    for name in ("b.md", "a.md", "A.md", "a.md~", "_hidden.md", ".dot.md", "a b.md"):
        (extra / "_publications" / "deeper" / name).write_text("---\ntitle: x\n---\n")
    (extra / "_publications" / "deeper" / "more" / "c.md").write_text("---\ntitle: y\n---\n")
    (extra / "_publications" / "out").symlink_to(tmp_path, target_is_directory=True)
    (extra / "_publications" / "loop").symlink_to(extra / "_publications")
    (extra / "files").mkdir(exist_ok=True)
    (extra / "files" / "paper.pdf").write_bytes(b"%PDF")
    for root in [*roots, extra]:
        streamed = list(load_site(root, cached=False).files())
        kept = load_site(root, cached=False)
        kept.folder_scans = {}
        assert list(kept.files()) == streamed, root
        assert kept.folder_scans, root  # the listings were kept for the cache


def test_the_index_knows_a_file_exactly_when_the_walk_finds_it(tmp_path: Path) -> None:
    """Links to source files are judged by `SiteIndex.has_source`, which asks the file system
    and `classify` instead of keeping every walked path."""
    for root in _sites(tmp_path):
        site = load_site(root, cached=False)
        walked = {item.rel for item in site.files() if item.kind != "outside-link"}
        index = SiteIndex(site, on_disk=False)
        paths = {
            "",
            ".",
            "..",
            "../x",
            "/etc/passwd",
            "_posts/../_config.yml",
            "./_config.yml",
            "_config.yml/",
        }
        for folder, folders, files in os.walk(root):
            for name in [*folders, *files]:
                paths.add(Path(folder, name).relative_to(root).as_posix())
        for rel in sorted(paths):
            assert index.has_source(rel) == (rel in walked), (root, rel)
