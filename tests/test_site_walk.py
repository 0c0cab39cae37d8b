"""The walk's view of each file is the one `classify` gives for that path alone."""

from __future__ import annotations

import itertools
import os
from pathlib import Path

from conftest import EXAMPLES, REPO, make_site
from pagemgr.site import _extension, classify, load_site


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
