"""Corpus tests: real academicpages sites (../shared/corpus), copied to tmp_path before editing.

For every document and YAML data file, each top-level scalar key is set to a new value (exactly one
line must change) and set back (the original bytes must come back). Exclusions, counted and
explained: values spread over several lines (block scalars, multi-line plain text), duplicate keys
and aliases; and for the exact restore, values whose original spelling is not the one pagemgr writes
for that value in that quoting style (`\\u00e9` escapes, `yes` for true, `~` for null, trailing
spaces inside quotes, `2020-1-2`). Those still get their value back, just not their old spelling.
"""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import SHARED, run_cli

from pagemgr.edit import render, splice
from pagemgr.edit.editing import read_target
from pagemgr.site.model import load_site
from pagemgr.yaml import yamlio

CORPUS = SHARED / "corpus"
SITES = sorted(p.name for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def _new_value(value: Any) -> Any:
    if isinstance(value, yamlio.JekyllDate):
        return yamlio.JekyllDate(dt.date(2001, 2, 3))
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, float):
        return value + 1.5
    return "Changed by pagemgr"


def _exact(region: str, node: Any, value: Any) -> bool:
    span = region[splice.Yaml(region).value_start(node) : node.end_mark.index]
    style = {"'": "single", '"': "double"}.get(node.style or "", "plain")
    if value is None:
        return span == ""
    try:
        return render.render_scalar(value, style) == span  # type: ignore[arg-type]
    except TypeError:
        return False


@pytest.fixture(scope="module", params=SITES or ["(none)"])
def corpus_site(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not SITES:
        pytest.skip(f"no corpus at {CORPUS}: these tests need ../shared/corpus (not in a clone)")
    target = tmp_path_factory.mktemp("corpus") / request.param
    shutil.copytree(CORPUS / request.param, target)
    return target


def test_set_and_restore_every_top_level_scalar(corpus_site: Path) -> None:
    site = load_site(corpus_site)
    counts = {"keys": 0, "multi-line": 0, "not-exact": 0, "skipped-other": 0}
    for item in site.files():
        if item.kind not in ("document", "data", "config") or item.rel.endswith(".json"):
            continue
        try:
            target = read_target(item.path, site, item)
            loaded = yamlio.load(target.region)
        except Exception:
            continue
        if not isinstance(loaded.data, dict) or not hasattr(loaded.node, "value"):
            continue
        seen: set[str] = set()
        for key_node, node in loaded.node.value:
            key = key_node.value
            if key in seen or key == "<<" or node.start_mark.index < key_node.end_mark.index:
                counts["skipped-other"] += 1
                continue
            seen.add(key)
            if not yamlio.is_scalar(node):
                continue
            region = target.region
            span = region[node.start_mark.index : node.end_mark.index]
            if "\n" in span.strip() or node.style in ("|", ">"):
                counts["multi-line"] += 1
                continue
            counts["keys"] += 1
            old = loaded.data[key]
            new_region = splice.set_value(region, (key,), _new_value(old))
            old_lines, new_lines = region.splitlines(True), new_region.splitlines(True)
            assert len(old_lines) == len(new_lines), (item.rel, key)
            diff = [i for i, (a, b) in enumerate(zip(old_lines, new_lines, strict=True)) if a != b]
            assert len(diff) == 1, (item.rel, key, diff)
            back = splice.set_value(new_region, (key,), old)
            assert render.same(yamlio.load(back).data[key], old), (item.rel, key)
            if _exact(region, node, old):
                assert back == region, (item.rel, key)
            else:
                counts["not-exact"] += 1
    assert counts["keys"] > 50, counts
    assert counts["not-exact"] < counts["keys"] / 5, counts


def test_cli_set_and_restore_one_key_per_file(
    corpus_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus_site)
    site = load_site(corpus_site)
    done = 0
    for item in site.files():
        if item.kind != "document" or not item.rel.startswith("_publications/"):
            continue
        try:
            data = read_target(item.path, site, item).data()
        except Exception:
            continue
        title = data.get("title") if isinstance(data, dict) else None
        if not isinstance(title, str) or "\n" in title:
            continue
        before = item.path.read_bytes()
        assert run_cli("set", item.rel, "title", "--force", "--", "A new title").exit_code == 0
        assert run_cli("get", item.rel, "title").stdout == "A new title\n"
        assert run_cli("set", item.rel, "title", "--force", "--", title).exit_code == 0
        assert run_cli("get", item.rel, "title").stdout == title + "\n"
        if item.path.read_bytes() != before:
            after = item.path.read_bytes().decode().splitlines()
            old = before.decode().splitlines()
            assert sum(a != b for a, b in zip(old, after, strict=True)) == 1
        done += 1
    assert done or not any(corpus_site.glob("_publications/*"))
