"""The vocabulary of YAML as pagemgr reads it: limits, errors, problems, positions, results.

Shared by the facade (`yamlio`), the fast path and libyaml; imports no YAML library and nothing
of pagemgr's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal, NamedTuple

MAX_DEPTH = 64
MAX_EXPANDED_NODES = 100_000
PRESCAN_LIMIT = 5_000

STR_TAG = "tag:yaml.org,2002:str"
PLAIN_TAG = "!pagemgr/plain"

JsonValue = Any
# Whose rules type the YAML: Psych's (Debian's Jekyll 4.3) or SafeYAML 1.0.5's (GitHub Pages'
# Jekyll 3.10, upstream Jekyll); `site.builder.yaml_rules` says which a site's builder uses.
Rules = Literal["psych", "safe_yaml"]
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

    kind: str  # duplicate-key | unsafe-tag | symbol, or one of safe_yaml's kinds
    message: str
    line: int
    column: int


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
    # True when the loader saw that Psych's rules read every scalar and key alike (only the fast
    # path, reading with SafeYAML's rules, finds that out; False is "not known").
    psych_alike: bool = False


def too_deep_for_the_parser(text: str) -> bool:
    """libyaml's composer recurses in C: refuse absurd nesting before it can overflow the stack."""
    if text.count("[") + text.count("{") > PRESCAN_LIMIT:
        depth = 0
        for char in text:
            if char in "[{":
                depth += 1
                if depth > PRESCAN_LIMIT:
                    return True
            elif char in "]}":
                depth -= 1
    if len(text) > PRESCAN_LIMIT:
        for line in text.splitlines():
            if len(line) - len(line.lstrip(" \t-?:")) > PRESCAN_LIMIT:
                return True
    return False
