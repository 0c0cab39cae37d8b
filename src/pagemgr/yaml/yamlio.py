"""YAML as Jekyll reads it: each builder's rules, positions for every value, no surprises.

What the rest of pagemgr calls. `load` reads the flat front matter nearly every file has with
the fast path (`quickyaml`); anything else goes to libyaml (`libyaml`, the only module that
configures ruamel.yaml), imported on first need so that a run that never needs it never pays
for it. `rules` says whose rules type the values: "psych" (Debian's Jekyll 4.3, the default
here) or "safe_yaml" (SafeYAML 1.0.5: GitHub Pages' Jekyll 3.10 and upstream Jekyll); with
"safe_yaml", `load` may also raise `SafeYamlError`, where SafeYAML itself raises. Every result
carries positions: a node graph, the fast path's `Positions`, or a `PositionTree` (a cached
_config.yml, or SafeYAML's reading); `locate`, `locate_key` and `start_of` take any of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pagemgr.yaml import quickyaml
from pagemgr.yaml.model import (  # the vocabulary, for every caller of the facade
    MAPPING as MAPPING,
)
from pagemgr.yaml.model import (
    MAX_DEPTH as MAX_DEPTH,
)
from pagemgr.yaml.model import (
    MAX_EXPANDED_NODES as MAX_EXPANDED_NODES,
)
from pagemgr.yaml.model import (
    PLAIN_TAG as PLAIN_TAG,
)
from pagemgr.yaml.model import (
    PRESCAN_LIMIT,
)
from pagemgr.yaml.model import (
    SCALAR as SCALAR,
)
from pagemgr.yaml.model import (
    SEQUENCE as SEQUENCE,
)
from pagemgr.yaml.model import (
    STR_TAG as STR_TAG,
)
from pagemgr.yaml.model import (
    JsonValue as JsonValue,
)
from pagemgr.yaml.model import (
    Loaded as Loaded,
)
from pagemgr.yaml.model import (
    Mark as Mark,
)
from pagemgr.yaml.model import (
    PathPart as PathPart,
)
from pagemgr.yaml.model import (
    PositionTree as PositionTree,
)
from pagemgr.yaml.model import (
    Problem as Problem,
)
from pagemgr.yaml.model import (
    Rules as Rules,
)
from pagemgr.yaml.model import (
    TreeNode as TreeNode,
)
from pagemgr.yaml.model import (
    YamlSyntaxError as YamlSyntaxError,
)
from pagemgr.yaml.model import (
    too_deep_for_the_parser as too_deep_for_the_parser,
)
from pagemgr.yaml.psych import JekyllDate as JekyllDate
from pagemgr.yaml.psych import psych_scalar as psych_scalar
from pagemgr.yaml.safe_yaml import SafeYamlError as SafeYamlError
from pagemgr.yaml.safe_yaml import safe_yaml_scalar as safe_yaml_scalar

if TYPE_CHECKING:
    from types import ModuleType

    from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

    YamlNode = Node
    YamlScalar = ScalarNode
    YamlMapping = MappingNode
    YamlSequence = SequenceNode

Positions = quickyaml.Positions  # where things are, from the fast path (no node graph)


def _libyaml() -> ModuleType:
    from pagemgr.yaml import libyaml

    return libyaml


# --- reading --------------------------------------------------------------------------------


_SCALAR_RULES = {"psych": psych_scalar, "safe_yaml": safe_yaml_scalar}


def load(text: str, rules: Rules = "psych") -> Loaded:
    """Read `text` as a Jekyll reading with `rules` would; raise YamlSyntaxError when it cannot
    (and SafeYamlError where SafeYAML raises, with "safe_yaml").

    The common flat front matter takes the fast path, which gives the same data and positions
    without building a node graph (see quickyaml)."""
    if len(text) <= PRESCAN_LIMIT or not too_deep_for_the_parser(text):
        other = psych_scalar if rules == "safe_yaml" else None
        quick = quickyaml.quick_load(text, scalar=_SCALAR_RULES[rules], other=other)
        if quick is not None:
            return Loaded(data=quick[0], node=quick[1], psych_alike=not quick[1].read_otherwise)
    if rules == "safe_yaml":
        return load_with_safe_yaml(text)
    return load_with_libyaml(text)


def load_with_libyaml(text: str) -> Loaded:
    """`load` without the fast path: the node graph libyaml composes, typed as Psych does."""
    loaded: Loaded = _libyaml().load_with_libyaml(text)
    return loaded


def load_with_safe_yaml(text: str) -> Loaded:
    """`load(text, "safe_yaml")` without the fast path: libyaml's events built as SafeYAML
    builds them, with a PositionTree for positions."""
    loaded: Loaded = _libyaml().load_with_safe_yaml(text)
    return loaded


def load_without_fast_path(text: str, rules: Rules = "psych") -> Loaded:
    """The full parser's reading under `rules`: what the fast path is held to."""
    return load_with_safe_yaml(text) if rules == "safe_yaml" else load_with_libyaml(text)


def portable(loaded: Loaded) -> Loaded:
    """`loaded` with its node graph replaced by a PositionTree, ready to be pickled."""
    if loaded.node is None or isinstance(loaded.node, Positions | PositionTree):
        return loaded
    return Loaded(loaded.data, _libyaml().position_tree(loaded.node), loaded.problems)


def compose(text: str) -> YamlNode | None:
    """The node graph of the first YAML document in `text`, with marks; None for empty input."""
    node: YamlNode | None = _libyaml().compose(text)
    return node


def scan(text: str) -> None:
    """Parse `text` without building anything: only whether (and where) it is not YAML."""
    _libyaml().scan(text)


# --- positions ------------------------------------------------------------------------------


def start_of(node: Any) -> Mark:
    """0-based (line, column) where the document's root node starts."""
    if node is None:
        return (0, 0)
    if isinstance(node, Positions):
        return node.start
    if isinstance(node, PositionTree):
        return (node.root[0], node.root[1])
    return (node.start_mark.line, node.start_mark.column)


def locate(node: Any, path: Sequence[PathPart]) -> Mark:
    """0-based (line, column) of the value at `path`, or of the deepest node that exists."""
    if node is None:
        return (0, 0)
    if isinstance(node, Positions | PositionTree):
        return node.locate(path)
    mark: Mark = _libyaml().locate_node(node, path)
    return mark


def locate_key(node: Any, path: Sequence[PathPart], key: str) -> Mark:
    """0-based (line, column) of `key` itself inside the mapping at `path`."""
    if node is None:
        return (0, 0)
    if isinstance(node, Positions | PositionTree):
        return node.locate_key(path, key)
    mark: Mark = _libyaml().locate_key_node(node, path, key)
    return mark


# --- for editors ----------------------------------------------------------------------------
# Editors splice text into the original; they need node kinds and marks, never a dumper.


def is_scalar(node: object) -> bool:
    return bool(_libyaml().is_scalar(node))


def is_mapping(node: object) -> bool:
    return bool(_libyaml().is_mapping(node))


def is_sequence(node: object) -> bool:
    return bool(_libyaml().is_sequence(node))


def is_plain(node: object) -> bool:
    """A plain (unquoted) scalar, typed by Psych's rules."""
    return bool(_libyaml().is_plain(node))


_NODE_CLASSES = ("YamlNode", "YamlScalar", "YamlMapping", "YamlSequence", "PARSER_NAME")


def __getattr__(name: str) -> Any:
    """The node classes, for editors, without importing ruamel before they are asked for."""
    if name in _NODE_CLASSES:
        return getattr(_libyaml(), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
