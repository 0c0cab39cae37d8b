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
from collections.abc import Callable, Iterable, Iterator, Mapping
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
    return re.sub(r"/{2,}", "/", result)


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


def date_values(date: dt.date) -> dict[str, str]:
    iso = date.isocalendar()
    return {
        "year": f"{date.year:04d}", "month": f"{date.month:02d}", "day": f"{date.day:02d}",
        "hour": "00", "minute": "00", "second": "00",
        "i_day": str(date.day), "i_month": str(date.month),
        "short_month": date.strftime("%b"), "long_month": date.strftime("%B"),
        "short_year": date.strftime("%y"), "w_year": str(iso[0]), "week": f"{iso[1]:02d}",
        "w_day": str(iso[2]), "short_day": date.strftime("%a"), "long_day": date.strftime("%A"),
        "y_day": f"{date.timetuple().tm_yday:03d}",
    }


DATE_NAMES = (
    "year", "month", "day", "hour", "minute", "second", "i_day", "i_month", "short_month",
    "long_month", "short_year", "w_year", "week", "w_day", "short_day", "long_day", "y_day",
)


def _date_value(date: dt.date, name: str) -> Callable[[], str]:
    return lambda: date_values(date)[name]


class _LazyValues(Mapping[str, str]):
    """Placeholder values computed only when the permalink names them."""

    def __init__(self, factories: dict[str, Callable[[], str]]) -> None:
        self.factories = factories
        self.done: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        if key not in self.done:
            self.done[key] = self.factories[key]()
        return self.done[key]

    def __contains__(self, key: object) -> bool:
        return key in self.factories

    def __iter__(self) -> Iterator[str]:
        return iter(self.factories)

    def __len__(self) -> int:
        return len(self.factories)


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
    stem, _ = os.path.splitext(rel_in_collection)
    base = os.path.basename(stem)
    slug_source = slug if slug is not None else document_slug(base)
    cats: list[str] = []
    for category in categories:
        lowered = category.lower()
        if lowered not in cats:
            cats.append(lowered)
    values = _LazyValues({
        "collection": lambda: collection,
        "path": lambda: "/" + stem.rstrip("."),
        "name": lambda: slugify(base),
        "title": lambda: slugify(slug_source, pretty=True, cased=True) or slugify(base, True, True),
        "slug": lambda: slugify(slug_source) or slugify(base),
        "categories": lambda: "/".join(cats),
        "slugified_categories": lambda: "/".join(dict.fromkeys(slugify(c) for c in categories)),
        "output_ext": lambda: HTML_EXT,
        **{name: _date_value(date, name) for name in DATE_NAMES},
    })
    return sanitize(fill(permalink or template, values))


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
    values = {"path": "/" + folder if folder else "", "basename": basename,
              "output_ext": output_ext}
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
