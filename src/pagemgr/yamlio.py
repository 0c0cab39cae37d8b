"""YAML as Jekyll reads it: Psych's YAML 1.1 rules, positions for every value, no surprises.

What the rest of pagemgr calls. `load` reads the flat front matter nearly every file has with
the fast path (`quickyaml`); anything else goes to libyaml (`libyaml`, the only module that
configures ruamel.yaml), imported on first need so that a run that never needs it never pays
for it. Every result carries positions: a node graph, the fast path's `Positions`, or a
`PositionTree` (a cached _config.yml); `locate`, `locate_key` and `start_of` take any of them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from pagemgr import quickyaml
from pagemgr.psych import JekyllDate as JekyllDate
from pagemgr.psych import psych_scalar as psych_scalar

if TYPE_CHECKING:
    from types import ModuleType

    from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

    YamlNode = Node
    YamlScalar = ScalarNode
    YamlMapping = MappingNode
    YamlSequence = SequenceNode

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 100_000
_PRESCAN_LIMIT = 5_000

STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAG = "!pagemgr/plain"

JsonValue = Any
PathPart = str | int
Mark = tuple[int, int]


class YamlSyntaxError(Exception):
    """The text is not YAML that Jekyll can read; line and column are 0-based."""

    def __init__(self, message: str, line: int, column: int) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass(frozen=True, slots=True)
class Problem:
    """Something legal in YAML that Jekyll handles silently or refuses; 0-based position."""

    kind: str  # duplicate-key | unsafe-tag | symbol
    message: str
    line: int
    column: int


Positions = quickyaml.Positions  # where things are, from the fast path (no node graph)

# A node of a PositionTree: (line, column, kind, scalar text or children).
SCALAR, SEQUENCE, MAPPING = 0, 1, 2
TreeNode = tuple[int, int, int, Any]


class PositionTree:
    """The marks of a composed document without its node graph: picklable, and read without
    ruamel. Answers exactly as the node graph it came from (see `libyaml.position_tree`)."""

    __slots__ = ("root",)

    def __init__(self, root: TreeNode) -> None:
        self.root = root

    def locate(self, path: Sequence[PathPart]) -> Mark:
        current = self.root
        for part in path:
            child = _tree_child(current, part)
            if child is None:
                break
            current = child
        return (current[0], current[1])

    def locate_key(self, path: Sequence[PathPart], key: str) -> Mark:
        current: TreeNode | None = self.root
        for part in path:
            current = _tree_child(current, part) if current is not None else None
        if current is not None and current[2] == MAPPING:
            for key_node, _ in reversed(current[3]):
                if key_node[2] == SCALAR and key_node[3] == key:
                    return (key_node[0], key_node[1])
        return self.locate(path)


def _tree_child(node: TreeNode, part: PathPart) -> TreeNode | None:
    if node[2] == MAPPING:
        for key_node, value_node in reversed(node[3]):
            if key_node[2] != SCALAR:
                continue
            if key_node[3] == str(part):
                found_value: TreeNode = value_node
                return found_value
            if key_node[3] == "<<":
                found = _tree_child(value_node, part)
                if found is not None:
                    return found
        return None
    if node[2] == SEQUENCE and isinstance(part, int) and 0 <= part < len(node[3]):
        child: TreeNode = node[3][part]
        return child
    return None


class Loaded(NamedTuple):
    data: JsonValue
    node: Any  # a node graph, Positions, a PositionTree or None: for `locate` and friends
    problems: Sequence[Problem] = ()


def too_deep_for_the_parser(text: str) -> bool:
    """libyaml's composer recurses in C: refuse absurd nesting before it can overflow the stack."""
    if text.count("[") + text.count("{") > _PRESCAN_LIMIT:
        depth = 0
        for char in text:
            if char in "[{":
                depth += 1
                if depth > _PRESCAN_LIMIT:
                    return True
            elif char in "]}":
                depth -= 1
    if len(text) > _PRESCAN_LIMIT:
        for line in text.splitlines():
            if len(line) - len(line.lstrip(" \t-?:")) > _PRESCAN_LIMIT:
                return True
    return False


def _libyaml() -> ModuleType:
    from pagemgr import libyaml

    return libyaml


# --- reading --------------------------------------------------------------------------------


def load(text: str) -> Loaded:
    """Compose and construct `text` as Jekyll would; raise YamlSyntaxError when it cannot.

    The common flat front matter takes the fast path, which gives the same data and positions
    without building a node graph (see quickyaml)."""
    if len(text) <= _PRESCAN_LIMIT or not too_deep_for_the_parser(text):
        quick = quickyaml.quick_load(text)
        if quick is not None:
            return Loaded(data=quick[0], node=quick[1])
    return load_with_libyaml(text)


def load_with_libyaml(text: str) -> Loaded:
    """`load` without the fast path: the node graph libyaml composes, typed as Psych does."""
    loaded: Loaded = _libyaml().load_with_libyaml(text)
    return loaded


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
