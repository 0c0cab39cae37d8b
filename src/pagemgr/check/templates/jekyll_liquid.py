"""Liquid as Jekyll speaks it, on python-liquid: the tags Jekyll adds, its filters as far as the
visible text goes, and one parsed template per file.

Jekyll's `include` takes an unquoted file name and `key=value` parameters, which python-liquid's
Shopify `include` cannot parse; it is replaced by a tag that parses the markup with Jekyll's own
expressions. A tag neither knows (`seo`, `feed_meta`, `highlight`, a plugin's) becomes an
`OpaqueNode` that renders nothing, so one plugin tag does not make a site unreadable; a stray
`endif` or `else` still is the syntax error it is to Jekyll.
"""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from collections.abc import Callable, Iterable, Mapping
from io import StringIO
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO, cast

from liquid import BoundTemplate, Environment, Mode, Node, RenderContext, Tag, TokenStream
from liquid.builtin.expressions import Path as PathExpression
from liquid.builtin.expressions import StringLiteral
from liquid.exceptions import LiquidError, LiquidSyntaxError
from liquid.token import TOKEN_EXPRESSION, TOKEN_ILLEGAL, TOKEN_TAG, Token

if TYPE_CHECKING:
    from liquid.expression import Expression

from pagemgr.site.document import parse_document

# Jekyll's IncludeTag::VALID_SYNTAX and VARIABLE_SYNTAX.
_PARAMETER = re.compile(
    r"""([\w-]+)\s*=\s*(?:"([^"\\]*(?:\\.[^"\\]*)*)"|'([^'\\]*(?:\\.[^'\\]*)*)'|([\w.-]+))"""
)
_PARAMETERS = re.compile(rf"\A\s*(?:{_PARAMETER.pattern}(?=\s|\Z)\s*)*\Z")
_VARIABLE_NAME = re.compile(
    r"(?P<variable>[^{]*(\{\{\s*[\w\-.]+\s*(\|.*)?\}\}[^\s{}]*)+)(?P<params>.*)", re.DOTALL
)
_UNCLOSED = re.compile(r"expected tag end(\w+), found end of expression")
# Names that are syntax errors outside their block, to Ruby's Liquid as to python-liquid.
_STRAY = frozenset(
    {"else", "elsif", "when", "endif", "endunless", "endfor", "endcase", "endcapture"}
    | {"endcomment", "endraw", "endtablerow", "endifchanged", ""}
)


class TemplateError(Exception):
    """A template Jekyll could not use: a syntax error, or a file an include names is missing."""

    def __init__(self, file: str, line: int | None, message: str) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file = file
        self.line = line
        self.message = message


class Source:
    """One template file: its site-relative path, its Liquid text (the front matter cut off, as
    Jekyll does) and the line of the file where that text starts."""

    __slots__ = ("first_line", "front_matter", "liquid", "rel")

    def __init__(self, rel: str, text: str, included: bool = False) -> None:
        document = parse_document(text)
        has_front_matter = document.jekyll_sees_front_matter and not included
        self.rel = rel
        self.liquid = document.body if has_front_matter else text
        self.first_line = document.closing_line + 2 if has_front_matter else 1
        self.front_matter = document.front_matter if has_front_matter else ""

    def line_of(self, token: Token) -> int:
        return self.first_line + token.source.count("\n", 0, token.start_index)


class JekyllEnvironment(Environment):
    """An environment whose templates are the files of one site, each parsed once."""

    def __init__(self, root: Path) -> None:
        super().__init__(tolerance=Mode.STRICT, strict_filters=False)
        self.root = root
        self.parsed: dict[str, tuple[Source, BoundTemplate]] = {}
        for tag in (IncludeTag, IncludeRelativeTag, IncludeCachedTag, OpaqueTag):
            self.add_tag(tag)
        for name, function in JEKYLL_FILTERS.items():
            self.add_filter(name, function)

    def template(self, rel: str, included: bool = False) -> tuple[Source, BoundTemplate]:
        """The file at `rel` (site-relative), parsed; TemplateError when missing or invalid.
        An `included` file is read whole, front matter and all, as Jekyll's include reads it."""
        known = self.parsed.get(rel)
        if known is not None:
            return known
        path = self.root / rel
        try:
            text = path.read_bytes().decode("utf-8").removeprefix("\ufeff")
        except (OSError, UnicodeDecodeError) as error:
            raise TemplateError(rel, 1, f"cannot be read ({error.__class__.__name__})") from None
        source = Source(rel, text, included)
        try:
            template = self.from_string(source.liquid, name=path.name, path=rel)
        except LiquidError as error:
            token = error.token
            line = source.line_of(token) if token is not None and token.start_index >= 0 else None
            raise TemplateError(rel, line, _message(error)) from None
        self.parsed[rel] = (source, template)
        return source, template

    def include_path(self, name: str, relative_to: str | None) -> str:
        """The site-relative path of the file `{% include name %}` (or `include_relative`, from
        the template at `relative_to`) renders."""
        if relative_to is None:
            return f"_includes/{name}"
        folder = relative_to.rpartition("/")[0]
        return f"{folder}/{name}" if folder else name


def _message(error: LiquidError) -> str:
    message = str(error.args[0]) if error.args else error.__class__.__name__
    unclosed = _UNCLOSED.match(message)
    return f"'{{% {unclosed[1]} %}}' is never closed" if unclosed else message


class IncludeNode(Node):
    """`{% include file.html key=value %}`: a file under `_includes/` (or beside the template,
    for `include_relative`) rendered with `include.key` set."""

    __slots__ = ("dynamic_name", "name", "parameters", "relative")

    def __init__(
        self,
        token: Token,
        name: str | None,
        dynamic_name: BoundTemplate | None,
        parameters: tuple[tuple[str, Expression], ...],
        relative: bool,
    ) -> None:
        super().__init__(token)
        self.name = name
        self.dynamic_name = dynamic_name
        self.parameters = parameters
        self.relative = relative
        self.blank = False

    def __str__(self) -> str:
        return f"{{% include {self.name or '{{…}}'} %}}"

    def file_name(self, context: RenderContext) -> str:
        if self.name is not None:
            return self.name
        assert self.dynamic_name is not None
        buffer = StringIO()
        self.dynamic_name.render_with_context(context, buffer, partial=True)
        return buffer.getvalue().strip()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        env = cast(JekyllEnvironment, context.env)
        here = str(context.template.path) if self.relative else None
        _, template = env.template(env.include_path(self.file_name(context), here), True)
        values = {name: value.evaluate(context) for name, value in self.parameters}
        with context.extend({"include": values}, template=template):
            template.render_with_context(context, buffer, partial=True)
        return 1


class IncludeTag(Tag):
    name = "include"
    block = False
    relative = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.eat(TOKEN_TAG)
        if stream.current.kind != TOKEN_EXPRESSION:
            raise LiquidSyntaxError(f"{self.name} needs a file name", token=token)
        markup = stream.current.value.strip()
        variable = _VARIABLE_NAME.match(markup)
        if variable:
            name_text, parameters = variable["variable"].strip(), variable["params"].strip()
        else:
            name_text, _, parameters = markup.partition(" ")
        if not _PARAMETERS.match(parameters):
            raise LiquidSyntaxError(f"invalid syntax for the {self.name} tag", token=token)
        dynamic = self.env.from_string(name_text) if variable else None
        return IncludeNode(
            token,
            None if variable else name_text,
            dynamic,
            tuple(_parameters(parameters, stream.current)),
            self.relative,
        )


class IncludeRelativeTag(IncludeTag):
    name = "include_relative"
    relative = True


class IncludeCachedTag(IncludeTag):
    name = "include_cached"  # jekyll-include-cache: an include whose output is reused


def _parameters(markup: str, token: Token) -> Iterable[tuple[str, Expression]]:
    for match in _PARAMETER.finditer(markup):
        key, double, single, variable = match.groups()
        if variable is None:
            text = double if double is not None else single
            quote = '"' if double is not None else "'"
            yield key, StringLiteral(token, text.replace("\\" + quote, quote))
        else:
            parts = [int(part) if part.isdigit() else part for part in variable.split(".")]
            yield key, PathExpression(token, list(parts))


class OpaqueNode(Node):
    """A tag Jekyll or a plugin defines and this analysis does not model: renders nothing."""

    __slots__ = ()

    def render_to_output(self, context: RenderContext, buffer: TextIO) -> int:
        return 0


class OpaqueTag(Tag):
    name = TOKEN_ILLEGAL
    block = False

    def parse(self, stream: TokenStream) -> Node:
        token = stream.current
        if token.value in _STRAY:
            raise LiquidSyntaxError(f"unexpected tag '{token.value}'", token=token)
        if stream.peek.kind == TOKEN_EXPRESSION:
            next(stream)
        return OpaqueNode(token)


def _markdownify(value: object) -> str:
    text = _text(value)
    return f"<p>{text}</p>\n" if text.strip() else ""


def _text(value: object) -> str:
    return "" if value is None else str(value)


def _date(value: object) -> dt.datetime | None:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day)
    return None


def _date_format(pattern: str) -> Callable[[object], str]:
    def formatted(value: object) -> str:
        moment = _date(value)
        return moment.strftime(pattern) if moment is not None else _text(value)

    return formatted


def _slugify(value: object, *_args: object) -> str:
    return re.sub(r"[^a-z0-9]+", "-", _text(value).lower()).strip("-")


def _sentence(value: object, connector: object = "and") -> str:
    items = [_text(item) for item in value] if isinstance(value, list) else [_text(value)]
    if len(items) < 3:
        return f" {connector} ".join(items)
    return f"{', '.join(items[:-1])}, {connector} {items[-1]}"


def _group_by(value: object, key: object) -> list[dict[str, Any]]:
    groups: dict[str, list[object]] = {}
    for item in value if isinstance(value, list) else []:
        found = item.get(str(key)) if isinstance(item, Mapping) else None
        groups.setdefault(_text(found), []).append(item)
    return [{"name": name, "items": items, "size": len(items)} for name, items in groups.items()]


def _where_exp(value: object, variable: object, expression: object, *, context: Any) -> list[Any]:
    """Jekyll's `where_exp`: the items for which the Liquid condition holds."""
    env = cast(JekyllEnvironment, context.env)
    test = env.from_string(f"{{% if {expression} %}}1{{% endif %}}")
    items = value if isinstance(value, list) else []
    return [item for item in items if test.render(**{str(variable): item}) == "1"]


_where_exp.with_context = True  # type: ignore[attr-defined]


def _relative_url(value: object, *, context: Any) -> str:
    site = context.resolve("site")
    base = str(site.get("baseurl") or "") if isinstance(site, Mapping) else ""
    text = _text(value)
    return f"{base.rstrip('/')}/{text.lstrip('/')}" if base else text


_relative_url.with_context = True  # type: ignore[attr-defined]


def _absolute_url(value: object, *, context: Any) -> str:
    site = context.resolve("site")
    url = str(site.get("url") or "") if isinstance(site, Mapping) else ""
    return url.rstrip("/") + _relative_url(value, context=context)


_absolute_url.with_context = True  # type: ignore[attr-defined]

JEKYLL_FILTERS: dict[str, Callable[..., object]] = {
    "markdownify": _markdownify,
    "smartify": _text,
    "relative_url": _relative_url,
    "absolute_url": _absolute_url,
    "date_to_xmlschema": lambda value: (
        moment.isoformat() if (moment := _date(value)) else _text(value)
    ),
    "date_to_rfc822": _date_format("%a, %d %b %Y %H:%M:%S %z"),
    "date_to_string": _date_format("%d %b %Y"),
    "date_to_long_string": _date_format("%d %B %Y"),
    "xml_escape": lambda value: html.escape(_text(value)),
    "cgi_escape": lambda value: _text(value).replace(" ", "+"),
    "uri_escape": lambda value: _text(value).replace(" ", "%20"),
    "slugify": _slugify,
    "jsonify": lambda value: json.dumps(value, default=str),
    "number_of_words": lambda value: len(_text(value).split()),
    "array_to_sentence_string": _sentence,
    "normalize_whitespace": lambda value: " ".join(_text(value).split()),
    "group_by": _group_by,
    "where_exp": _where_exp,
    "to_integer": lambda value: int(value) if isinstance(value, (int, float, str)) else 0,
    "inspect": repr,
    "push": lambda value, item: [*(value if isinstance(value, list) else []), item],
    "unshift": lambda value, item: [item, *(value if isinstance(value, list) else [])],
}
