"""Walking parsed templates to find where each document key is read, and how.

The walk follows the template as Jekyll would render it for one collection at a time, without
data: a variable is bound to what it stands for (a document of a collection, a list of them, a
key of a document, a value known from `_config.yml` or a literal), branches whose condition is
known before the build (`post.collection == 'teaching'`, `include.type == "grid"`,
`site.publication_category`) are followed or skipped as Jekyll would, includes are entered with
their parameters, and every use of a document key is recorded with whether a condition or a
`default` guards it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, NamedTuple, cast

from liquid import BlockNode, ConditionalBlockNode, Node
from liquid.builtin.content import ContentNode
from liquid.builtin.expressions import Filter, FilteredExpression, Literal, Nil
from liquid.builtin.expressions import Path as PathExpression
from liquid.builtin.expressions.logical import (
    BooleanExpression,
    ContainsExpression,
    EqExpression,
    GeExpression,
    GtExpression,
    LeExpression,
    LogicalAndExpression,
    LogicalNotExpression,
    LogicalOrExpression,
    LtExpression,
    NeExpression,
)
from liquid.builtin.expressions.primitive import Blank, Empty
from liquid.builtin.output import OutputNode
from liquid.builtin.tags.assign_tag import AssignNode
from liquid.builtin.tags.capture_tag import CaptureNode
from liquid.builtin.tags.case_tag import CaseNode, MultiExpressionBlockNode
from liquid.builtin.tags.comment_tag import CommentNode
from liquid.builtin.tags.for_tag import BreakNode, ContinueNode, ForNode
from liquid.builtin.tags.if_tag import IfNode
from liquid.builtin.tags.tablerow_tag import TablerowNode
from liquid.builtin.tags.unless_tag import UnlessNode
from liquid.expression import Expression
from liquid.token import Token

from pagemgr.check.templates.facts import UseKind, View
from pagemgr.check.templates.jekyll_liquid import (
    IncludeNode,
    JekyllEnvironment,
    OpaqueNode,
    Source,
)
from pagemgr.check.templates.sources import JEKYLL_SITE_KEYS

# What a document drop answers itself: not front matter keys.
_DROP_FIELDS = frozenset(
    {"url", "id", "path", "relative_path", "content", "output", "next", "previous", "name"}
    | {"dir", "draft"}
)
_SAME_VALUE_FILTERS = frozenset({"default", "first", "last", "size", "strip", "escape"})
_LIST_KEEPING_FILTERS = frozenset({"reverse", "concat", "slice", "compact", "uniq", "sample"})
_KEY_FILTERS = frozenset({"sort", "sort_natural", "map", "group_by", "find", "uniq"})
_ITEM_FILTERS = frozenset({"first", "last", "find", "find_exp"})
_MAX_STATIC_ITEMS = 32
_MAX_INCLUDE_DEPTH = 16


class DocRef(NamedTuple):
    """A document of `collection`, seen on its own page or as a list item."""

    collection: str
    view: View


class DocList(NamedTuple):
    collection: str  # "*": every collection's documents


class Groups(NamedTuple):
    collection: str  # the result of `group_by` on a list of its documents


class Group(NamedTuple):
    collection: str  # one of those groups: `.items` are documents


class KeyValue(NamedTuple):
    doc: DocRef
    path: tuple[str, ...]
    defaulted: bool


class Captured(NamedTuple):
    values: tuple[KeyValue, ...]


class CollectionRef(NamedTuple):
    label: str


class Known(NamedTuple):
    """A value known before the build: a literal, or what `_config.yml` says."""

    value: object


class Params(NamedTuple):
    values: tuple[tuple[str, Value], ...]


class Global(NamedTuple):
    name: str  # "site", "paginator", "collections", "time", "taxonomy"


Value = (
    DocRef
    | DocList
    | Groups
    | Group
    | KeyValue
    | Captured
    | CollectionRef
    | Known
    | Params
    | Global
) | None
NIL = Known(None)
_ALWAYS_TRUE = (DocRef, DocList, CollectionRef, Params, Global, Groups, Group)


class Reached(NamedTuple):
    """A use found by the walk, with the template the walk started from (`root`), from which a
    rendering of the use's line can be made."""

    collection: str
    path: tuple[str, ...]
    kind: UseKind
    view: View
    file: str
    line: int
    root: str


class SiteModel(NamedTuple):
    labels: tuple[str, ...]  # collections with documents, posts included
    outputs: dict[str, bool]
    folders: dict[str, str]
    config: dict[str, Any]


class Walker:
    """Walks templates for one site; `compared` and `unknown_tags` accumulate over walks."""

    def __init__(self, env: JekyllEnvironment, model: SiteModel) -> None:
        self.env = env
        self.model = model
        self.reached: set[Reached] = set()
        # Literals a list item's key is compared with: (collection, key) -> values.
        self.compared: dict[tuple[str, str], set[str]] = {}
        self.unknown_tags: set[str] = set()
        self.scope: dict[str, Value] = {}
        self.guards: list[tuple[DocRef, tuple[str, ...]]] = []
        # Keys taken as missing while asking whether a document without them reaches a branch.
        self.assumed_missing: list[tuple[DocRef, tuple[str, ...]]] = []
        # Conditions that are all a list item renders: the loop body's or its include's only
        # output (by id: a parsed template is kept, and so are its nodes).
        self.whole_item: set[int] = set()
        self.captures: list[list[KeyValue]] = []
        self.sources: list[Source] = []
        self.root = ""
        self.keep_page_view = True

    def walk_layout(self, collection: str, rel: str) -> set[Reached]:
        """The uses in the layout at `rel` (and its includes), rendering a document of
        `collection`."""
        return self._start(rel, {"page": DocRef(collection, "page")}, keep_page_view=True)

    def walk_page(self, rel: str) -> set[Reached]:
        """The uses in a page that may list documents; its own `page.X` reads are left out."""
        return self._start(rel, {"page": DocRef("pages", "page")}, keep_page_view=False)

    def _start(self, rel: str, scope: dict[str, Value], keep_page_view: bool) -> set[Reached]:
        source, template = self.env.template(rel)
        self.scope, self.guards, self.captures = dict(scope), [], []
        self.root, self.keep_page_view = rel, keep_page_view
        self.sources = [source]
        self.reached = set()
        self.visit_all(template.nodes)
        return self.reached

    # --- nodes ----------------------------------------------------------------------------

    def visit_all(self, nodes: Iterable[Node]) -> None:
        for node in nodes:
            self.visit(node)

    def visit(self, node: Node) -> None:
        for kind in type(node).__mro__:
            handler = _HANDLERS.get(kind)
            if handler is not None:
                handler(self, node)
                return
        for expression in node.expressions():
            self.read_all(expression, node.token)
        self.visit_children(node)

    def visit_children(self, node: Node) -> None:
        self.visit_all(node.children(cast(Any, None), include_partials=False))

    def skip(self, node: Node) -> None:
        pass

    def output_node(self, node: OutputNode) -> None:
        self.output(node.expression, node.token)

    def if_node(self, node: IfNode) -> None:
        branches = [(node.condition, node.consequence, False)]
        branches += [(alt.expression, alt.block, False) for alt in node.alternatives]
        self.conditional(branches, node.default, id(node) in self.whole_item)

    def unless_node(self, node: UnlessNode) -> None:
        branches = [(node.condition, node.consequence, True)]
        branches += [(alt.expression, alt.block, False) for alt in node.alternatives]
        self.conditional(branches, node.default, id(node) in self.whole_item)

    def assign_node(self, node: AssignNode) -> None:
        self.assign(str(node.name), node.expression, node.token)

    def capture_node(self, node: CaptureNode) -> None:
        self.capture(str(node.name), node.block)

    def opaque_node(self, node: OpaqueNode) -> None:
        self.unknown_tags.add(node.token.value)

    def output(self, expression: Expression, token: Token) -> None:
        if not isinstance(expression, FilteredExpression):
            self.read_all(expression, token)
            return
        filters = expression.filters or []
        self.filtered(expression, token)  # for the keys a list filter reads
        defaulted = any(f.name == "default" for f in filters)
        self.printed(self.value_of(expression.left), defaulted, token)
        for index, used in enumerate(filters):
            guarded = any(f.name == "default" for f in filters[index:])
            for argument in used.args:
                self.printed(self.value_of(argument.value), guarded, token)
        self.read_indexes(expression.left, token)

    def printed(self, value: Value, defaulted: bool, token: Token) -> None:
        values = value.values if isinstance(value, Captured) else (value,)
        for item in values:
            if not isinstance(item, KeyValue):
                continue
            if self.captures:
                self.captures[-1].append(item._replace(defaulted=defaulted or item.defaulted))
                self.record(item, "guarded", token)
            elif defaulted or item.defaulted or self.is_guarded(item):
                self.record(item, "guarded", token)
            else:
                self.record(item, "bare", token)

    def conditional(
        self,
        branches: Sequence[tuple[Expression, BlockNode, bool]],
        otherwise: BlockNode | None,
        whole_item: bool,
    ) -> None:
        """An if/elsif/else (or unless, `negated`) chain: branches known false are skipped, one
        known true ends the chain. A key a condition tests guards the branches a document
        without it cannot reach: `{% if post.venue %}` guards its block, `{% unless post.venue
        %}` its else, `{% if post.venue != "x" %}` nothing. A list item's key decides whether
        the item is listed (is filtered on) when a branch skips the item (`continue`, `break`),
        or when it is compared with a value by a condition that is all the item renders."""
        tested: list[tuple[Expression, bool]] = []
        for condition, block, negated in branches:
            truth = self.truth(condition)
            if truth is not None and negated:
                truth = not truth
            if truth is False:
                continue
            self.record_condition(condition, block, whole_item)
            tested.append((condition, negated))
            self.visit_guarded(block, tested, last_taken=True)
            if truth is True:
                return
        if otherwise is not None:
            self.visit_guarded(otherwise, tested, last_taken=False)

    def visit_guarded(
        self, block: BlockNode, tested: list[tuple[Expression, bool]], last_taken: bool
    ) -> None:
        """Visit a branch reached when every condition in `tested` was not taken, except the
        last when `last_taken`; with the keys a document must have to get there guarded."""
        keys = {
            item: None for condition, _ in tested for item, _ in self.condition_reads(condition)
        }
        guards = [
            (item.doc, item.path)
            for item in keys
            if self.unreachable_without(item, tested, last_taken)
        ]
        self.guards += guards
        try:
            self.visit_all(block.nodes)
        finally:
            del self.guards[len(self.guards) - len(guards) :]

    def unreachable_without(
        self, item: KeyValue, tested: list[tuple[Expression, bool]], last_taken: bool
    ) -> bool:
        *before, (last, last_negated) = tested
        self.assumed_missing.append((item.doc, item.path))
        try:
            if any(self.taken(condition, negated) is True for condition, negated in before):
                return True
            taken = self.taken(last, last_negated)
            return taken is False if last_taken else taken is True
        finally:
            self.assumed_missing.pop()

    def taken(self, condition: Expression, negated: bool) -> bool | None:
        truth = self.truth(condition)
        return truth if truth is None or not negated else not truth

    def record_condition(self, condition: Expression, block: BlockNode, whole_item: bool) -> None:
        exits = _exits_loop(block.nodes)
        for item, compared in self.condition_reads(condition):
            deciding = exits or (compared and whole_item)
            kind: UseKind = "filtered" if item.doc.view == "list" and deciding else "guarded"
            self.record(item, kind, condition.token)

    def case(self, node: CaseNode) -> None:
        """A `case`: the `when` blocks a document without the key never reaches are guarded
        by it; `else` is not."""
        subject = self.value_of(node.expression)
        keys = _key_values(subject)
        deciding = id(node) in self.whole_item
        for item in keys:
            kind: UseKind = "filtered" if item.doc.view == "list" and deciding else "guarded"
            self.record(item, kind, node.token)
        for block in node.blocks:
            if not isinstance(block, MultiExpressionBlockNode):
                self.visit_all(block.nodes)
            elif not self.never_matches(subject, block.expression):
                guards = [(item.doc, item.path) for item in keys]
                self.guards += guards
                try:
                    self.visit_all(block.block.nodes)
                finally:
                    del self.guards[len(self.guards) - len(guards) :]

    def never_matches(self, subject: Value, when: Expression) -> bool:
        options = [self.value_of(option) for option in getattr(when, "expressions", [])]
        if not isinstance(subject, Known) or not all(isinstance(o, Known) for o in options):
            return False
        return all(cast(Known, option).value != subject.value for option in options)

    def loop(self, node: ForNode | TablerowNode) -> None:
        loop = node.expression
        self.read_indexes(loop.iterable, node.token)
        source = self.value_of(loop.iterable)
        for item in _key_values(source):
            self.record(item, "guarded", node.token)
        name = str(loop.identifier)
        saved = self.scope.get(name)
        sole = _sole_output(node.block.nodes)
        for item_value in self.items_of(source):
            if sole is not None and isinstance(item_value, DocRef):
                self.whole_item.add(id(sole))
            self.scope[name] = item_value
            self.visit_all(node.block.nodes)
        self.scope[name] = saved
        default = getattr(node, "default", None)
        if isinstance(default, BlockNode):
            self.visit_all(default.nodes)

    def items_of(self, source: Value) -> list[Value]:
        if isinstance(source, DocList):
            labels = self.model.labels if source.collection == "*" else (source.collection,)
            return [DocRef(label, "list") for label in labels]
        if isinstance(source, Global) and source.name == "collections":
            return [CollectionRef(label) for label in self.model.labels]
        if isinstance(source, Groups):
            return [Group(source.collection)]
        if isinstance(source, KeyValue):
            return [source._replace(defaulted=True)]
        if isinstance(source, Known) and isinstance(source.value, (dict, list, tuple)):
            items = source.value.items() if isinstance(source.value, dict) else source.value
            listed: list[Value] = [Known(item) for item in list(items)[: _MAX_STATIC_ITEMS + 1]]
            return listed if 0 < len(listed) <= _MAX_STATIC_ITEMS else [None]
        return [None]

    def assign(self, name: str, expression: Expression, token: Token) -> None:
        value = (
            self.filtered(expression, token)
            if isinstance(expression, FilteredExpression)
            else self.value_of(expression)
        )
        for item in self.key_values_in(expression):
            self.record(item, "guarded", token)
        self.scope[name] = value

    def capture(self, name: str, block: BlockNode) -> None:
        self.captures.append([])
        try:
            self.visit_all(block.nodes)
        finally:
            captured = self.captures.pop()
        self.scope[name] = Captured(tuple(captured))

    def include(self, node: IncludeNode) -> None:
        if node.name is None or len(self.sources) > _MAX_INCLUDE_DEPTH:
            return  # a file name made at build time: its content cannot be known here
        here = self.sources[-1].rel if node.relative else None
        rel = self.env.include_path(node.name, here)
        if any(source.rel == rel for source in self.sources[1:]):
            return
        parameters = Params(tuple((key, self.value_of(value)) for key, value in node.parameters))
        source, template = self.env.template(rel, True)
        sole = _sole_output(template.nodes)
        if sole is not None and id(node) in self.whole_item:
            self.whole_item.add(id(sole))
        saved = self.scope.get("include")
        self.scope["include"] = parameters
        self.sources.append(source)
        try:
            self.visit_all(template.nodes)
        finally:
            self.sources.pop()
            self.scope["include"] = saved

    # --- values ---------------------------------------------------------------------------

    def filtered(self, expression: FilteredExpression, token: Token) -> Value:
        value = self.value_of(expression.left)
        for used in expression.filters or []:
            value = self.apply_filter(value, used, token)
        return value

    def apply_filter(self, value: Value, used: Filter, token: Token) -> Value:
        if isinstance(value, DocList):
            return self.list_filter(value, used, token)
        if isinstance(value, KeyValue):
            return value._replace(defaulted=True) if used.name == "default" else value
        if isinstance(value, Known) and value.value is None and used.name == "default":
            return self.value_of(used.args[0].value) if used.args else None
        return None

    def list_filter(self, value: DocList, used: Filter, token: Token) -> Value:
        arguments = [self.value_of(argument.value) for argument in used.args]
        names = [str(a.value) for a in arguments if isinstance(a, Known) and a.value is not None]
        if used.name == "where" and names:
            self.record_list_key(value.collection, names[0], "filtered", token)
        elif used.name == "where_exp" and len(names) >= 2:
            variable = re.escape(names[0])
            for key in re.findall(rf"\b{variable}\.([\w-]+)", names[1]):
                self.record_list_key(value.collection, key, "filtered", token)
        elif used.name in _KEY_FILTERS and names:
            self.record_list_key(value.collection, names[0], "guarded", token)
        if used.name == "group_by":
            return Groups(value.collection)
        if used.name in _ITEM_FILTERS:
            return DocRef(value.collection, "list")
        if used.name in ("where", "where_exp", "sort", "sort_natural", *_LIST_KEEPING_FILTERS):
            return value
        return None

    def record_list_key(self, collection: str, key: str, kind: UseKind, token: Token) -> None:
        labels = self.model.labels if collection == "*" else (collection,)
        for label in labels:
            self.record(KeyValue(DocRef(label, "list"), (key,), False), kind, token)

    def value_of(self, expression: Expression | None) -> Value:
        if isinstance(expression, PathExpression):
            return self.path_value(expression)
        if isinstance(expression, Literal):
            return Known(expression.value)
        if isinstance(expression, Nil):
            return NIL
        if isinstance(expression, FilteredExpression) and not expression.filters:
            return self.value_of(expression.left)
        return None

    def path_value(self, expression: PathExpression) -> Value:
        head, *rest = expression.path
        value = self.head_value(head)
        for segment in rest:
            if isinstance(segment, PathExpression):
                inner = self.path_value(segment)
                known = inner.value if isinstance(inner, Known) else None
                if not isinstance(known, (str, int)):
                    return None
                segment = known
            value = self.member(value, segment)
        if isinstance(value, KeyValue) and self.is_assumed_missing(value):
            return NIL
        return value

    def is_assumed_missing(self, item: KeyValue) -> bool:
        return any(
            doc == item.doc and item.path[: len(path)] == path for doc, path in self.assumed_missing
        )

    def head_value(self, head: object) -> Value:
        if isinstance(head, PathExpression):
            return None
        name = str(head)
        if name in self.scope:
            return self.scope[name]
        if name in ("site", "paginator"):
            return Global(name)
        if name == "include":
            return Params(())
        return None

    def member(self, value: Value, segment: str | int) -> Value:
        if isinstance(value, DocRef):
            return self.document_member(value, segment)
        if isinstance(value, KeyValue):
            return (
                value if isinstance(segment, int) else value._replace(path=(*value.path, segment))
            )
        if isinstance(value, DocList):
            if segment in ("first", "last") or isinstance(segment, int):
                return DocRef(value.collection, "list")
            return None
        if isinstance(value, CollectionRef):
            return self.collection_member(value, segment)
        if isinstance(value, Group):
            return DocList(value.collection) if segment == "items" else None
        if isinstance(value, Params):
            return dict(value.values).get(str(segment), NIL)
        if isinstance(value, Global):
            return self.global_member(value, segment)
        if isinstance(value, Known):
            return _known_member(value.value, segment)
        return None

    def document_member(self, doc: DocRef, segment: str | int) -> Value:
        if not isinstance(segment, str):
            return None
        if segment == "collection":
            return Known(None if doc.collection == "pages" else doc.collection)
        if segment in _DROP_FIELDS:
            return None
        return KeyValue(doc, (segment,), False)

    def collection_member(self, collection: CollectionRef, segment: str | int) -> Value:
        if segment == "label":
            return Known(collection.label)
        if segment == "docs":
            return DocList(collection.label)
        if segment == "output":
            return Known(self.model.outputs.get(collection.label, False))
        if segment == "relative_directory":
            return Known(self.model.folders.get(collection.label))
        return None

    def global_member(self, value: Global, segment: str | int) -> Value:
        if value.name == "paginator":
            return DocList("posts") if segment == "posts" else None
        if value.name == "taxonomy":
            return DocList("posts")
        if value.name != "site" or not isinstance(segment, str):
            return None
        if segment in self.model.labels:
            return DocList(segment)
        if segment in ("collections", "time"):
            return Global(segment)
        if segment in ("categories", "tags"):
            return Global("taxonomy")
        if segment == "documents":
            return DocList("*")
        if segment in ("pages", "html_pages"):
            return DocList("pages")
        if segment == "related_posts":
            return DocList("posts")
        if segment in self.model.config:
            return Known(self.model.config[segment])
        return None if segment in JEKYLL_SITE_KEYS else NIL

    # --- conditions -----------------------------------------------------------------------

    def truth(self, expression: Expression) -> bool | None:
        """True or False when the condition's value is known before the build, else None."""
        if isinstance(expression, BooleanExpression):
            return self.truth(expression.expression)
        if isinstance(expression, LogicalNotExpression):
            inner = self.truth(expression.right)
            return None if inner is None else not inner
        if isinstance(expression, (LogicalAndExpression, LogicalOrExpression)):
            left, right = self.truth(expression.left), self.truth(expression.right)
            return (
                _and(left, right)
                if isinstance(expression, LogicalAndExpression)
                else _or(left, right)
            )
        if isinstance(expression, (EqExpression, NeExpression)):
            return self.equality(expression)
        value = self.value_of(expression)
        if isinstance(value, Known):
            return value.value is not None and value.value is not False
        return True if isinstance(value, _ALWAYS_TRUE) else None

    def equality(self, expression: EqExpression | NeExpression) -> bool | None:
        left, right = self.value_of(expression.left), self.value_of(expression.right)
        if not isinstance(left, Known) or not isinstance(right, Known):
            return None
        same = _liquid_equal(left.value, right.value)
        return same if isinstance(expression, EqExpression) else not same

    def condition_reads(self, expression: Expression) -> Iterator[tuple[KeyValue, bool]]:
        """Each document key the condition reads, and whether it is compared with a value (a
        literal, a loop variable, an include parameter), not just tested or compared with
        nil, empty, blank or `site.time`."""
        if isinstance(expression, BooleanExpression):
            yield from self.condition_reads(expression.expression)
        elif isinstance(expression, LogicalNotExpression):
            yield from self.condition_reads(expression.right)
        elif isinstance(expression, (LogicalAndExpression, LogicalOrExpression)):
            yield from self.condition_reads(expression.left)
            yield from self.condition_reads(expression.right)
        elif isinstance(expression, _COMPARISONS):
            left, right = expression.left, expression.right
            for side, other in ((left, right), (right, left)):
                compared = self.is_a_value(other)
                for item in self.key_values_in(side):
                    self.note_compared(item, other)
                    yield item, compared
        else:
            for item in self.key_values_in(expression):
                yield item, False

    def is_a_value(self, expression: Expression) -> bool:
        if isinstance(expression, (Nil, Empty, Blank)):
            return False
        value = self.value_of(expression)
        return value != NIL and value != Global("time")

    def note_compared(self, item: KeyValue, other: Expression) -> None:
        value = self.value_of(other)
        if item.doc.view == "list" and isinstance(value, Known) and isinstance(value.value, str):
            key = (item.doc.collection, item.path[0])
            self.compared.setdefault(key, set()).add(value.value)

    def key_values_in(self, expression: Expression) -> list[KeyValue]:
        """Every document key the expression reads: its value, its filters' arguments and the
        keys used as indexes inside paths."""
        found = [*_key_values(self.value_of(expression))]
        if isinstance(expression, FilteredExpression):
            found += _key_values(self.value_of(expression.left))
            for used in expression.filters or []:
                for argument in used.args:
                    found += self.key_values_in(argument.value)
        found += self.index_reads(expression)
        return list(dict.fromkeys(found))

    def index_reads(self, expression: Expression) -> list[KeyValue]:
        found: list[KeyValue] = []
        paths = [expression] if isinstance(expression, PathExpression) else []
        if isinstance(expression, FilteredExpression) and isinstance(
            expression.left, PathExpression
        ):
            paths.append(expression.left)
        for path in paths:
            for segment in path.path:
                if isinstance(segment, PathExpression):
                    found += _key_values(self.path_value(segment))
                    found += self.index_reads(segment)
        return found

    def read_indexes(self, expression: Expression, token: Token) -> None:
        for item in self.index_reads(expression):
            self.record(item, "guarded", token)

    def read_all(self, expression: Expression, token: Token) -> None:
        for item in self.key_values_in(expression):
            self.record(item, "guarded", token)
        for child in expression.children():
            self.read_all(child, token)

    # --- records --------------------------------------------------------------------------

    def is_guarded(self, item: KeyValue) -> bool:
        return any(doc == item.doc and item.path[: len(path)] == path for doc, path in self.guards)

    def record(self, item: KeyValue, kind: UseKind, token: Token) -> None:
        if item.doc.view == "page" and not self.keep_page_view:
            return
        source = self.sources[-1]
        doc = item.doc
        line = source.line_of(token)
        self.reached.add(
            Reached(doc.collection, item.path, kind, doc.view, source.rel, line, self.root)
        )


_HANDLERS: dict[type, Callable[[Walker, Any], None]] = {
    ContentNode: Walker.skip,
    CommentNode: Walker.skip,
    BreakNode: Walker.skip,
    ContinueNode: Walker.skip,
    OutputNode: Walker.output_node,
    IfNode: Walker.if_node,
    UnlessNode: Walker.unless_node,
    CaseNode: Walker.case,
    ForNode: Walker.loop,
    TablerowNode: Walker.loop,
    AssignNode: Walker.assign_node,
    CaptureNode: Walker.capture_node,
    IncludeNode: Walker.include,
    OpaqueNode: Walker.opaque_node,
    BlockNode: Walker.visit_children,
    ConditionalBlockNode: Walker.visit_children,
}

_COMPARISONS = (
    EqExpression,
    NeExpression,
    LtExpression,
    GtExpression,
    LeExpression,
    GeExpression,
    ContainsExpression,
)


def _key_values(value: Value) -> list[KeyValue]:
    if isinstance(value, KeyValue):
        return [value]
    if isinstance(value, Captured):
        return list(value.values)
    return []


def _known_member(value: object, segment: str | int) -> Value:
    if isinstance(value, dict):
        if isinstance(segment, str) and segment in value:
            return Known(value[segment])
        return None if segment in ("size", "first", "last") else NIL
    if isinstance(value, (list, tuple)):
        if isinstance(segment, int):
            return Known(value[segment]) if -len(value) <= segment < len(value) else NIL
        if segment == "size":
            return Known(len(value))
        if segment in ("first", "last") and value:
            return Known(value[0] if segment == "first" else value[-1])
    if isinstance(value, str) and segment == "size":
        return Known(len(value))
    return None


def _and(left: bool | None, right: bool | None) -> bool | None:
    if left is False or right is False:
        return False
    return True if left and right else None


def _or(left: bool | None, right: bool | None) -> bool | None:
    if left or right:
        return True
    return False if left is False and right is False else None


def _liquid_equal(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return left is right
    return left == right


def _sole_output(nodes: Sequence[Node]) -> Node | None:
    """The one node that renders anything among `nodes`, when it is a condition or an include."""
    rendering = [node for node in nodes if not node.blank]
    if len(rendering) == 1 and isinstance(
        rendering[0], (IfNode, UnlessNode, CaseNode, IncludeNode)
    ):
        return rendering[0]
    return None


def _exits_loop(nodes: Iterable[Node]) -> bool:
    """Whether a `continue` or `break` in these nodes ends the enclosing loop's iteration (not
    counting those inside a nested loop)."""
    for node in nodes:
        if isinstance(node, (ContinueNode, BreakNode)):
            return True
        if isinstance(node, (ForNode, TablerowNode, IncludeNode)):
            continue
        if isinstance(node, (BlockNode, ConditionalBlockNode, IfNode, UnlessNode, CaseNode)):
            children = node.children(cast(Any, None), include_partials=False)
            if _exits_loop(children):
                return True
        if isinstance(node, MultiExpressionBlockNode) and _exits_loop(node.block.nodes):
            return True
    return False
