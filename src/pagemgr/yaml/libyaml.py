"""libyaml through ruamel.yaml: the full parser behind `yamlio`, imported only when needed.

The only module that configures ruamel.yaml. Parsing uses the C parser (libyaml), which keeps a
mark on every node, so positions cost nothing extra. With Psych's rules (`load_with_libyaml`)
scalars are typed by `psych_scalar`, a port of Psych's ScalarScanner (what `Psych.safe_load` in
Debian's Jekyll applies), not by ruamel's YAML 1.2 rules. With SafeYAML's rules
(`load_with_safe_yaml`) the parser's events go straight to `safe_yaml.construct`, as SafeYAML
hands Psych's parser events to its own handler; the positions come from the same events.
Other modules reach all of this through `yamlio`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any, cast

from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from ruamel.yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from ruamel.yaml.resolver import BaseResolver
from ruamel.yaml.tag import Tag

from pagemgr.errors import UsageError
from pagemgr.yaml.model import (
    MAPPING,
    MAX_DEPTH,
    MAX_EXPANDED_NODES,
    PLAIN_TAG,
    SCALAR,
    SEQUENCE,
    STR_TAG,
    JsonValue,
    Loaded,
    PathPart,
    PositionTree,
    Problem,
    TreeNode,
    YamlSyntaxError,
    too_deep_for_the_parser,
)
from pagemgr.yaml.psych import integer as _integer
from pagemgr.yaml.psych import psych_scalar
from pagemgr.yaml.safe_yaml import Event, EventKind, construct

try:
    from _ruamel_yaml import CParser

    PARSER_NAME = "libyaml (C)"
except ImportError:  # pragma: no cover - only without ruamel.yaml's [oldlibyaml] extra
    CParser = None
    PARSER_NAME = "missing"
MISSING_PARSER = (
    "ruamel.yaml's libyaml extension is not installed; reinstall pagemgr, or run "
    "pip install 'ruamel.yaml[oldlibyaml]'"
)


class _TagResolver(BaseResolver):
    """Leaves plain scalars untyped, so that `psych_scalar` can type them as Psych does."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Tag:
        if kind is ScalarNode:
            return Tag(suffix=PLAIN_TAG if implicit[0] else STR_TAG)
        tag = super().resolve(kind, value, implicit)
        return tag if isinstance(tag, Tag) else Tag(suffix=str(tag))


if CParser is not None:

    class _NodeParser(CParser, _TagResolver):  # type: ignore[misc]
        def __init__(self, text: str) -> None:
            CParser.__init__(self, text)
            _TagResolver.__init__(self, loadumper=self)


# --- composing ------------------------------------------------------------------------------


def compose(text: str) -> Node | None:
    """The node graph of the first YAML document in `text`, with marks; None for empty input."""
    if too_deep_for_the_parser(text):
        raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", 0, 0)
    try:
        if CParser is None:  # pragma: no cover
            raise UsageError(MISSING_PARSER)
        node: Node | None = _NodeParser(text).get_single_node()
        return node
    except MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0], 0, 0) from None


def _syntax_error(exc: MarkedYAMLError) -> YamlSyntaxError:
    mark = exc.problem_mark or exc.context_mark
    message = " ".join(part for part in (exc.context, exc.problem) if part)
    if exc.context and exc.problem and exc.context_mark and exc.problem_mark:
        message = f"{exc.problem} ({exc.context} at line {exc.context_mark.line + 1})"
    line, column = (mark.line, mark.column) if mark else (0, 0)
    return YamlSyntaxError(message or "invalid YAML", line, column)


def scan(text: str) -> None:
    """Parse `text` without building anything: only whether (and where) it is not YAML.

    For large data files that no schema describes: memory stays flat whatever the size.
    """
    try:
        if CParser is None:  # pragma: no cover
            raise UsageError(MISSING_PARSER)
        parser = _NodeParser(text)
        while not isinstance(parser.get_event(), StreamEndEvent):
            pass
    except MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0], 0, 0) from None


def load_with_libyaml(text: str) -> Loaded:
    """The node graph libyaml composes, typed as Psych does."""
    node = compose(text)
    if node is None:
        return Loaded(data=None, node=None)
    constructor = _Constructor()
    data = constructor.construct(node, 0)
    if constructor.shared and constructor.expanded_size(node) > MAX_EXPANDED_NODES:
        raise YamlSyntaxError(
            f"aliases expand to more than {MAX_EXPANDED_NODES:,} values (an alias bomb)",
            node.start_mark.line,
            node.start_mark.column,
        )
    return Loaded(data=data, node=node, problems=constructor.problems)


# --- SafeYAML's reading: events, not nodes --------------------------------------------------

_EVENT_KINDS: dict[type, EventKind] = {
    ScalarEvent: "scalar",
    AliasEvent: "alias",
    MappingStartEvent: "mapping",
    SequenceStartEvent: "sequence",
    MappingEndEvent: "end",
    SequenceEndEvent: "end",
    DocumentEndEvent: "document-end",
}


def events(text: str) -> Iterator[Event]:
    """libyaml's parser events for `text` as `safe_yaml.Event`s, read lazily: what follows the
    first document is parsed only if the caller reads on (SafeYAML returns at its end)."""
    if too_deep_for_the_parser(text):
        raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", 0, 0)
    if CParser is None:  # pragma: no cover
        raise UsageError(MISSING_PARSER)
    parser = CParser(text)
    try:
        while True:
            event = parser.get_event()
            kind = _EVENT_KINDS.get(type(event))
            if kind is not None:
                yield _event(kind, event)
            elif isinstance(event, StreamEndEvent):
                return
    except MarkedYAMLError as exc:
        raise _syntax_error(exc) from None
    except YAMLError as exc:
        raise YamlSyntaxError(str(exc).splitlines()[0], 0, 0) from None


def _event(kind: EventKind, event: Any) -> Event:
    mark = event.start_mark
    if kind == "scalar":
        quoted = bool(event.implicit[1])
        return Event(kind, event.value, event.anchor, event.tag, quoted, mark.line, mark.column)
    if kind == "alias":
        return Event(kind, event.anchor, line=mark.line, column=mark.column)
    if kind in ("mapping", "sequence"):
        return Event(kind, "", event.anchor, event.tag, line=mark.line, column=mark.column)
    return Event(kind, line=mark.line, column=mark.column)


def load_with_safe_yaml(text: str) -> Loaded:
    """`text` as SafeYAML 1.0.5 loads it, with a PositionTree built from the same events (not
    the composer, which refuses an undefined alias that SafeYAML reads as nil).

    Raises YamlSyntaxError where the parser does, and safe_yaml.SafeYamlError where SafeYAML
    raises though the parser did not (`<<: [*a]`, `1_.5`)."""
    positions = _EventPositions()
    try:
        loaded = construct(positions.watch(events(text)))
    except ValueError as exc:  # Python's int() refuses numbers of thousands of digits
        raise YamlSyntaxError(f"a value pagemgr cannot read: {exc}", 0, 0) from None
    if positions.root is None:
        return Loaded(data=None, node=None)
    return Loaded(loaded.data, PositionTree(positions.root), loaded.problems)


class _EventPositions:
    """The marks of the nodes the events describe, as `position_tree` keeps them for a composed
    graph: an alias is its anchored node; an undefined alias, an empty scalar where it stands."""

    def __init__(self) -> None:
        self.root: TreeNode | None = None
        self.anchors: dict[str, TreeNode] = {}
        self.open: list[tuple[int, int, int, str | None, list[TreeNode]]] = []

    def watch(self, stream: Iterable[Event]) -> Iterator[Event]:
        for event in stream:
            self.take(event)
            yield event

    def take(self, event: Event) -> None:
        if event.kind == "scalar":
            self.add((event.line, event.column, SCALAR, event.value), event.anchor)
        elif event.kind == "alias":
            here: TreeNode = (event.line, event.column, SCALAR, "")
            self.add(self.anchors.get(event.value, here), None)
        elif event.kind in ("mapping", "sequence"):
            kind = MAPPING if event.kind == "mapping" else SEQUENCE
            self.open.append((event.line, event.column, kind, event.anchor, []))
        elif event.kind == "end" and self.open:
            line, column, kind, anchor, children = self.open.pop()
            items: tuple[Any, ...] = tuple(children)
            if kind == MAPPING:
                items = tuple(zip(children[::2], children[1::2], strict=False))
            self.add((line, column, kind, items), anchor)

    def add(self, node: TreeNode, anchor: str | None) -> None:
        if anchor is not None:
            self.anchors[anchor] = node
        if self.open:
            self.open[-1][4].append(node)
        elif self.root is None:
            self.root = node


_CORE = "tag:yaml.org,2002:"
_REFUSED_COLLECTION_TAGS = frozenset(_CORE + name for name in ("set", "omap", "pairs"))
_RUBY_TAGS = ("!ruby/", "tag:ruby.yaml.org")


def _tag(node: Node) -> str:
    """The tag as the parser or resolver gave it; `Node.tag` re-decodes it on every access."""
    suffix = node.ctag.suffix if node.ctag is not None else None
    return suffix if isinstance(suffix, str) else ""


def _refused(tag: str) -> str:
    return f"tag {tag!r} is refused by Jekyll's safe YAML loader, so Jekyll cannot read this file"


class _Constructor:
    def __init__(self) -> None:
        self.problems: list[Problem] = []
        self.built: dict[int, JsonValue] = {}
        self.shared = False

    def construct(self, node: Node, depth: int) -> JsonValue:
        if depth > MAX_DEPTH:
            mark = node.start_mark
            raise YamlSyntaxError(f"nesting deeper than {MAX_DEPTH} levels", mark.line, mark.column)
        key = id(node)
        if key in self.built:
            self.shared = True
            return self.built[key]
        if isinstance(node, ScalarNode):
            value = self.scalar(node)
        elif _tag(node) in _REFUSED_COLLECTION_TAGS or _tag(node).startswith(_RUBY_TAGS):
            self.problem("unsafe-tag", _refused(_tag(node)), node)
            value = None
        elif isinstance(node, SequenceNode):
            value = self.built[key] = []
            value.extend(self.construct(item, depth + 1) for item in node.value)
        else:
            value = self.built[key] = {}
            self.fill_mapping(value, cast(MappingNode, node), depth)
        self.built[key] = value
        return value

    def scalar(self, node: ScalarNode) -> JsonValue:
        tag = _tag(node)
        if tag == PLAIN_TAG:
            try:
                return psych_scalar(node.value)
            except ValueError as exc:
                self.problem("symbol", str(exc), node)
                return node.value
        if tag == STR_TAG:
            return node.value
        return self.tagged_scalar(node)

    def tagged_scalar(self, node: ScalarNode) -> JsonValue:
        tag, text = _tag(node), node.value
        core = tag[len(_CORE) :] if tag.startswith(_CORE) else None
        try:
            if core == "int":
                return _integer(text.replace("_", "").replace(",", ""))
            if core == "float":
                return float(text.replace("_", ""))
            if core in ("bool", "null", "timestamp"):
                return psych_scalar(text)
        except ValueError:
            return text
        if tag.startswith(_RUBY_TAGS) or (core is not None and core not in ("str", "binary")):
            self.problem("unsafe-tag", _refused(tag), node)
        return text

    def fill_mapping(self, target: dict[str, JsonValue], node: MappingNode, depth: int) -> None:
        seen: set[str] = set()
        for key_node, value_node in node.value:
            if (
                isinstance(key_node, ScalarNode)
                and key_node.value == "<<"
                and (_tag(key_node) == PLAIN_TAG)
            ):
                self.merge(target, value_node, depth)
                continue
            key = self.key(self.construct(key_node, depth + 1))
            if key in seen:
                self.problem(
                    "duplicate-key",
                    f"key {key!r} appears twice in this mapping; Jekyll silently keeps the last",
                    key_node,
                )
            seen.add(key)
            target[key] = self.construct(value_node, depth + 1)

    def merge(self, target: dict[str, JsonValue], node: Node, depth: int) -> None:
        sources = node.value if isinstance(node, SequenceNode) else [node]
        for source in sources:
            value = self.construct(source, depth + 1)
            if isinstance(value, dict):
                for key, item in value.items():
                    target.setdefault(key, item)

    @staticmethod
    def key(value: JsonValue) -> str:
        if isinstance(value, str):
            return str(value)
        if value is None:
            return ""
        if isinstance(value, bool):
            return "true" if value else "false"
        return str(value)

    def problem(self, kind: str, message: str, node: Node) -> None:
        mark = node.start_mark
        self.problems.append(Problem(kind, message, mark.line, mark.column))

    def expanded_size(self, root: Node) -> int:
        sizes: dict[int, int] = {}
        stack: list[tuple[Node, bool]] = [(root, False)]
        while stack:
            node, children_done = stack.pop()
            if id(node) in sizes:
                continue
            children = _children(node)
            if children_done or not children:
                sizes[id(node)] = 1 + sum(sizes.get(id(child), 1) for child in children)
                if sizes[id(node)] > MAX_EXPANDED_NODES:
                    return sizes[id(node)]
                continue
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
        return sizes[id(root)]


def _children(node: Node) -> Sequence[Node]:
    if isinstance(node, SequenceNode):
        return list(node.value)
    if isinstance(node, MappingNode):
        return [part for pair in node.value for part in pair]
    return ()


# --- positions ------------------------------------------------------------------------------


def locate_node(node: Node, path: Sequence[PathPart]) -> tuple[int, int]:
    """0-based (line, column) of the value at `path`, or of the deepest node that exists."""
    current = node
    for part in path:
        child = _child(current, part)
        if child is None:
            break
        current = child
    return (current.start_mark.line, current.start_mark.column)


def locate_key_node(node: Node, path: Sequence[PathPart], key: str) -> tuple[int, int]:
    """0-based (line, column) of `key` itself inside the mapping at `path`."""
    current: Node | None = node
    for part in path:
        current = _child(current, part) if current is not None else None
    if isinstance(current, MappingNode):
        for key_node, _ in reversed(current.value):
            if isinstance(key_node, ScalarNode) and key_node.value == key:
                return (key_node.start_mark.line, key_node.start_mark.column)
    return locate_node(node, path)


def position_tree(node: Node) -> PositionTree:
    """The marks of `node`'s graph without the graph: what a cached _config.yml keeps."""
    built: dict[int, TreeNode] = {}

    def convert(each: Node) -> TreeNode:
        if id(each) not in built:
            mark = each.start_mark
            if isinstance(each, MappingNode):
                pairs = tuple((convert(key), convert(value)) for key, value in each.value)
                built[id(each)] = (mark.line, mark.column, MAPPING, pairs)
            elif isinstance(each, SequenceNode):
                items = tuple(convert(item) for item in each.value)
                built[id(each)] = (mark.line, mark.column, SEQUENCE, items)
            else:
                built[id(each)] = (mark.line, mark.column, SCALAR, str(each.value))
        return built[id(each)]

    return PositionTree(convert(node))


def _child(node: Node, part: PathPart) -> Node | None:
    if isinstance(node, MappingNode):
        for key_node, value_node in reversed(node.value):
            if isinstance(key_node, ScalarNode) and key_node.value == str(part):
                found_value: Node = value_node
                return found_value
            if isinstance(key_node, ScalarNode) and key_node.value == "<<":
                found = _child(value_node, part)
                if found is not None:
                    return found
        return None
    if isinstance(node, SequenceNode) and isinstance(part, int) and 0 <= part < len(node.value):
        child: Node = node.value[part]
        return child
    return None


# --- for editors ----------------------------------------------------------------------------
# Editors splice text into the original; they need the node types and marks, never a dumper.
# These names let other modules test node kinds without importing ruamel themselves.

YamlNode = Node
YamlScalar = ScalarNode
YamlMapping = MappingNode
YamlSequence = SequenceNode


def is_scalar(node: object) -> bool:
    return isinstance(node, ScalarNode)


def is_mapping(node: object) -> bool:
    return isinstance(node, MappingNode)


def is_sequence(node: object) -> bool:
    return isinstance(node, SequenceNode)


def is_plain(node: Node) -> bool:
    """A plain (unquoted) scalar, typed by Psych's rules."""
    return isinstance(node, ScalarNode) and node.tag == PLAIN_TAG
