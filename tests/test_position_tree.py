"""A cached _config.yml keeps its positions as a PositionTree: it must answer as the node graph."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from conftest import REPO, SHARED
from pagemgr.yaml import libyaml, yamlio

TEXTS = [
    "title: x\nauthor:\n  name: A\n  links: [a, b]\n",
    "base: &b\n  layout: single\n  share: true\nother:\n  <<: *b\n  layout: archive\n",
    "defaults:\n  - scope: {path: '', type: pages}\n    values: {layout: single}\n"
    "  - scope:\n      path: _posts\n    values:\n      layout: post\n",
    "a: 1\na: 2\nb:\n  - - x\n    - y\n  - {c: d}\n",
    "'quoted key': 1\n? complex\n: 2\n1: number key\n",
]


def paths(value: Any, here: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield here
    if isinstance(value, dict):
        for key, item in value.items():
            yield from paths(item, (*here, key))
        yield (*here, "missing-key")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            yield from paths(item, (*here, number))
        yield (*here, len(value))


def configs() -> list[str]:
    found = [(REPO / "site" / "_config.yml").read_text(encoding="utf-8")]
    corpus = SHARED / "corpus"
    if corpus.is_dir():
        found += [p.read_text(encoding="utf-8") for p in sorted(corpus.glob("*/_config.yml"))]
    return found


@pytest.mark.parametrize("text", TEXTS + configs())
def test_the_tree_answers_as_the_node_graph(text: str) -> None:
    loaded = yamlio.load_with_libyaml(text)
    tree = yamlio.portable(loaded).node
    assert isinstance(tree, yamlio.PositionTree)
    assert yamlio.start_of(tree) == yamlio.start_of(loaded.node)
    compared = 0
    for path in paths(loaded.data):
        assert tree.locate(list(path)) == libyaml.locate_node(loaded.node, list(path)), path
        for key in ("layout", "name", "a", "missing-key", "<<"):
            assert tree.locate_key(list(path), key) == libyaml.locate_key_node(
                loaded.node, list(path), key
            ), (path, key)
        compared += 1
    assert compared > 3


def test_the_tree_survives_pickling(tmp_path: Path) -> None:
    import pickle

    loaded = yamlio.portable(yamlio.load_with_libyaml(TEXTS[1]))
    again = pickle.loads(pickle.dumps(loaded))
    assert again.node.locate(["other", "share"]) == loaded.node.locate(["other", "share"])
