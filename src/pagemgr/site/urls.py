"""Output URLs and destinations, computed the way Jekyll 4.3 computes them.

Documents (posts and collection items) fill their collection's URL template (or their own
`permalink:`) from a set of placeholders; pages fill `/:path/:basename...`; redirect stubs are
pages whose permalink is the redirect's source. `destination` turns a URL into the file written
under _site, which is what two sources can collide on.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote, unquote

HTML_EXT = ".html"
STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}
DATE_STEM = re.compile(r"(\d{2,4}-\d{1,2}-\d{1,2})-(.*)\Z")
_PLACEHOLDER = re.compile(r":([a-z_]+)")
_SLASHES = re.compile(r"/{2,}")
_PRETTY_KEEP = set("._~!$&'()+,;=@")
_SAFE_PATH = re.compile(r"[a-zA-Z0-9./-]+\Z")


class TemplateError(ValueError):
    """A permalink names a placeholder Jekyll does not know; the build stops."""


def style_template(style: str) -> str:
    """The posts' URL template for a `permalink:` style name or custom template."""
    return STYLES.get(style, style)


def add_suffix(template: str, style: str) -> str:
    """Jekyll's Utils.add_permalink_suffix: give `template` the ending of `style`."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


_ASCII_DEFAULT = re.compile(r"[^A-Za-z0-9]+")
_ASCII_PRETTY = re.compile(r"[^A-Za-z0-9._~!$&'()+,;=@]+")


def slugify(text: str, pretty: bool = False, cased: bool = False) -> str:
    """Jekyll's Utils.slugify in `default` or `pretty` mode."""
    if text.isascii():
        slug = (_ASCII_PRETTY if pretty else _ASCII_DEFAULT).sub("-", text).strip("-")
        return slug if cased else slug.lower()
    out: list[str] = []
    for char in text:
        category = unicodedata.category(char)
        if category[0] in "LM" or category == "Nd" or (pretty and char in _PRETTY_KEEP):
            out.append(char)
        elif not out or out[-1] != "-" or char == "-":
            out.append("-")
    slug = re.sub(r"-{2,}", "-", "".join(out)).removeprefix("-").removesuffix("-")
    return slug if cased else slug.lower()


def escape_path(value: str) -> str:
    if not value or _SAFE_PATH.match(value):
        return value
    return quote(value, safe="/!$&'()*+,;=:@~-._").replace("#", "%23")


def sanitize(url: str) -> str:
    """Jekyll's URL#sanitize_url: one leading slash, no `..`, no `./`, no `//`."""
    result = ("/" + url).replace("..", "/").replace("./", "")
    return _SLASHES.sub("/", result) if "//" in result else result


def fill(template: str, values: Mapping[str, str]) -> str:
    """Replace every `:name` in `template`; an unknown name is a TemplateError, as in Jekyll."""

    def one(match: re.Match[str]) -> str:
        name = match.group(1)
        for key in (name, name[:-1]) if name.endswith("_") else (name,):
            if key in values:
                return escape_path(values[key]) + name[len(key) :]
        raise TemplateError(f"the permalink names ':{name}', which Jekyll does not know")

    return _PLACEHOLDER.sub(one, template)


def fill_page(template: str, values: Mapping[str, str]) -> str:
    """Pages substitute only their own keys, one after another (URL#generate_url_from_hash)."""
    for key, value in values.items():
        if ":" not in template:
            break
        template = template.replace(":" + key, escape_path(value))
    return template


_DATE_FORMATS: dict[str, Callable[[dt.date], str]] = {
    "year": lambda date: f"{date.year:04d}",
    "month": lambda date: f"{date.month:02d}",
    "day": lambda date: f"{date.day:02d}",
    "hour": lambda _: "00",
    "minute": lambda _: "00",
    "second": lambda _: "00",
    "i_day": lambda date: str(date.day),
    "i_month": lambda date: str(date.month),
    "short_month": lambda date: date.strftime("%b"),
    "long_month": lambda date: date.strftime("%B"),
    "short_year": lambda date: date.strftime("%y"),
    "w_year": lambda date: str(date.isocalendar()[0]),
    "week": lambda date: f"{date.isocalendar()[1]:02d}",
    "w_day": lambda date: str(date.isocalendar()[2]),
    "short_day": lambda date: date.strftime("%a"),
    "long_day": lambda date: date.strftime("%A"),
    "y_day": lambda date: f"{date.timetuple().tm_yday:03d}",
}
DATE_NAMES = tuple(_DATE_FORMATS)


def date_values(date: dt.date) -> dict[str, str]:
    return {name: value_of(date) for name, value_of in _DATE_FORMATS.items()}


@dataclass(frozen=True, slots=True)
class _Document:
    """What a document's placeholder values are made from."""

    collection: str
    stem: str  # the path in the collection without its extension
    base: str  # the file name without its extension
    slug_source: str
    lowered_categories: list[str]
    categories: Iterable[str]
    date: dt.date


_DOCUMENT_VALUES: dict[str, Callable[[_Document], str]] = {
    "collection": lambda doc: doc.collection,
    "path": lambda doc: "/" + doc.stem.rstrip("."),
    "name": lambda doc: slugify(doc.base),
    "title": lambda doc: (
        slugify(doc.slug_source, pretty=True, cased=True) or slugify(doc.base, True, True)
    ),
    "slug": lambda doc: slugify(doc.slug_source) or slugify(doc.base),
    "categories": lambda doc: "/".join(doc.lowered_categories),
    "slugified_categories": lambda doc: "/".join(dict.fromkeys(slugify(c) for c in doc.categories)),
    "output_ext": lambda _: HTML_EXT,
}


def _of_date(value_of: Callable[[dt.date], str]) -> Callable[[_Document], str]:
    return lambda doc: value_of(doc.date)


_DOCUMENT_VALUES.update((name, _of_date(value_of)) for name, value_of in _DATE_FORMATS.items())


@dataclass(frozen=True, slots=True)
class _Template:
    """A document URL template cut at its placeholders, as `fill` reads it with the keys of
    `_DOCUMENT_VALUES`: (text before, key, text after the key) for each, then the tail."""

    pieces: tuple[tuple[str, str, str], ...]
    tail: str
    unknown: str | None  # the first placeholder Jekyll does not know
    keys: frozenset[str]


@lru_cache(maxsize=1024)
def _document_template(template: str) -> _Template:
    pieces: list[tuple[str, str, str]] = []
    done = 0
    for match in _PLACEHOLDER.finditer(template):
        name = match.group(1)
        key = _document_key(name)
        if key is None:
            return _Template((), "", name, frozenset())
        pieces.append((template[done : match.start()], key, name[len(key) :]))
        done = match.end()
    return _Template(tuple(pieces), template[done:], None, frozenset(key for _, key, _ in pieces))


def _document_key(name: str) -> str | None:
    for key in (name, name[:-1]) if name.endswith("_") else (name,):
        if key in _DOCUMENT_VALUES:
            return key
    return None


def document_placeholders(template: str) -> frozenset[str]:
    """The placeholder values that filling `template` as a document URL reads."""
    if ":" not in template:
        return frozenset()
    return _document_template(template).keys


def document_slug(stem: str) -> str:
    """The `slug` Jekyll derives from a document's file name (the part after a date prefix)."""
    match = DATE_STEM.match(stem)
    slug = match.group(2) if match else stem
    return slug.rstrip(".")


def document_url(
    template: str,
    collection: str,
    rel_in_collection: str,
    date: dt.date,
    categories: Iterable[str] = (),
    slug: str | None = None,
    permalink: str | None = None,
) -> str:
    """The URL of a post or collection document (Document#url)."""
    text = permalink or template
    cats: list[str] = []
    for category in categories:
        lowered = category.lower()
        if lowered not in cats:
            cats.append(lowered)
    if ":" not in text:
        return sanitize(text)
    parsed = _document_template(text)
    if parsed.unknown is not None:
        raise TemplateError(f"the permalink names ':{parsed.unknown}', which Jekyll does not know")
    stem, _ = os.path.splitext(rel_in_collection)
    base = os.path.basename(stem)
    slug_source = slug if slug is not None else document_slug(base)
    doc = _Document(collection, stem, base, slug_source, cats, categories, date)
    out: list[str] = []
    for before, key, after in parsed.pieces:
        out += (before, escape_path(_DOCUMENT_VALUES[key](doc)), after)
    out.append(parsed.tail)
    return sanitize("".join(out))


def page_url(rel: str, permalink: str | None, style: str, output_ext: str = HTML_EXT) -> str:
    """The URL of a page (Page#url); `rel` is its path from the site root."""
    folder, name = os.path.split(rel)
    basename = os.path.splitext(name)[0]
    if permalink:
        template = permalink
    elif output_ext != HTML_EXT:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = add_suffix("/:path/:basename", style)
    values = {
        "path": "/" + folder if folder else "",
        "basename": basename,
        "output_ext": output_ext,
    }
    return sanitize(fill_page(template, values))


def destination(url: str, output_ext: str = HTML_EXT) -> str:
    """The file under _site that `url` is written to, without a leading slash."""
    path = unquote(url)
    if path.endswith("/"):
        path += "index.html"
    elif not path.endswith(output_ext):
        path += output_ext
    return path.lstrip("/")


def served_candidates(url: str) -> tuple[str, ...]:
    """The files a static host (GitHub Pages) may answer a request for `url` with."""
    path = unquote(url.split("#", 1)[0].split("?", 1)[0]).lstrip("/")
    if path == "" or path.endswith("/"):
        return (path + "index.html",)
    return (path, path + ".html", path + "/index.html")
