"""The site index: one small record per file, built during the per-file pass, for site-wide rules.

A record keeps what the cross-file rules need (output URL, redirects, date, permalink, links...)
and the 1-based positions of the keys it came from, taken while the file's YAML node is alive.
Nothing here reads a file: the checker hands over what it has already read and parsed.
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import struct
from bisect import bisect_right
from collections.abc import Iterator
from itertools import chain, repeat
from operator import attrgetter
from typing import Any

from pagemgr.check.index.records import (
    POSITION_KEYS,
    DataFacts,
    DocRecord,
    Link,
    NavItem,
    Pos,
    Store,
)
from pagemgr.site import urls
from pagemgr.site.dates import parse_jekyll_date
from pagemgr.site.model import Site, SiteFile, classify
from pagemgr.yaml import yamlio

FILE_URL_KEYS = ("paperurl", "slidesurl", "bibtexurl")
SUPPRESSION = re.compile(r"#\s*pagemgr:\s*ignore\[([^\]]*)\]")

_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_FENCE_MARKS = ("```", "~~~")
_CODE_SPAN = re.compile(r"(`+)[^`].*?\1|`+")
_MD_LINK = re.compile(r"\]\(\s*<?([^)\s>]+)")
_MD_REFERENCE = re.compile(r"^ {0,3}\[(?!\^)[^\]]+\]:\s*<?([^\s>]+)")
_HTML_LINK = re.compile(r"""\b(?:href|src)\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
# Each link pattern with the text no match of it can lack.
_MARKED_PATTERNS = (("](", _MD_LINK), ("]:", _MD_REFERENCE), ("=", _HTML_LINK))
_LINK_MARKS = tuple(mark for mark, _ in _MARKED_PATTERNS)
_LINK_MARK_FIRSTS = tuple(dict.fromkeys(mark[0] for mark in _LINK_MARKS))
_WEB_LINKS = ("](http://", "](https://")
# The line breaks of str.splitlines besides "\n" and "\r\n".
_ASCII_BREAKS = ("\r", "\v", "\f", "\x1c", "\x1d", "\x1e")
_OTHER_BREAKS = (*_ASCII_BREAKS, "\x85", "\u2028", "\u2029")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_BASE_LIQUID = re.compile(
    r"\A(?:\{\{\s*(?:base_path|site\.baseurl|site\.url|site\.github\.url)\s*\}\})+"
)


class _Draft:
    """A DocRecord while `record_of` fills it in. Its class attributes hold DocRecord's
    defaults, so a new draft sets only what differs."""

    rel: str
    collection: str
    stem: str
    has_front_matter: bool
    readable: bool
    title: str | None
    date: dt.date | None
    date_raw: bool
    permalink: str | None
    category: str | None
    collection_value: str | None
    published: bool
    layout: str | None
    has_layout_key: bool
    has_excerpt: bool
    redirects: tuple[tuple[str, int, int], ...]
    links: tuple[Link, ...]
    positions: dict[str, Pos]
    url: str | None
    dest: str | None
    hidden: str
    url_error: str | None

    def __init__(
        self, rel: str, collection: str, stem: str, has_front_matter: bool, readable: bool
    ) -> None:
        self.rel, self.collection, self.stem = rel, collection, stem
        self.has_front_matter, self.readable = has_front_matter, readable
        self.positions = {}

    def done(self) -> DocRecord:
        fields = list(_RECORD_FIELDS(self))
        positions = self.positions
        fields[_POSITIONS_FIELD] = (
            _ALL_POSITIONS.pack(
                *chain.from_iterable(map(positions.get, POSITION_KEYS, repeat(_ABSENT)))
            )
            if positions
            else b""
        )
        return DocRecord._make(fields)


for _name, _default in DocRecord._field_defaults.items():
    setattr(_Draft, _name, _default)
_POSITIONS_FIELD = DocRecord._fields.index("positions")
_RECORD_FIELDS = attrgetter(*DocRecord._fields)
_ABSENT = (0, 0)
_ALL_POSITIONS = struct.Struct(f"={2 * len(POSITION_KEYS)}I")


def open_store(on_disk: bool) -> Store:
    """An empty store: on disk (memory stays the same whatever the size of the site), or in
    memory for a run that holds every record anyway (one with the check cache)."""
    if on_disk:
        from pagemgr.check.index.sqlite_store import (
            RecordStore,  # sqlite3, only for a run that needs it
        )

        return RecordStore()
    from pagemgr.check.index.memory_store import MemoryStore

    return MemoryStore()


class SiteIndex:
    """The site as the site-wide rules see it: every record in a `Store`, and the few facts
    that stay small whatever the size of the site."""

    def __init__(self, site: Site, on_disk: bool = True) -> None:
        self.site = site
        self.store = open_store(on_disk)
        self.suppressions: dict[str, frozenset[str]] = {}
        self.navigation: tuple[NavItem, ...] | None = None
        self.cv_publications: tuple[tuple[str, int, int], ...] | None = None
        self.locales: frozenset[str] | None = None
        self.plugins = frozenset(plugin_names(site.config))

    def close(self) -> None:
        self.store.close()

    def add_static(self, item: SiteFile) -> None:
        dest = static_destination(self.site, item)
        if dest is not None:
            self.store.add_static(dest, item.rel, replace=True)
            if dest.endswith((".scss", ".sass")):
                self.store.add_static(dest.rsplit(".", 1)[0] + ".css", item.rel, replace=False)
            elif dest.endswith(".coffee"):
                self.store.add_static(dest.rsplit(".", 1)[0] + ".js", item.rel, replace=False)

    def add(
        self,
        item: SiteFile,
        record: DocRecord | None,
        suppressed: frozenset[str],
        facts: DataFacts | None = None,
        encoded: bytes | None = None,
    ) -> int:
        """Index one file; returns the number of its record (0: it has none)."""
        if suppressed:
            self.suppressions[item.rel] = suppressed
        if facts is not None:
            self.navigation = facts.navigation if facts.navigation is not None else self.navigation
            self.cv_publications = (
                facts.cv_publications if facts.cv_publications is not None else self.cv_publications
            )
            self.locales = facts.locales if facts.locales is not None else self.locales
        if record is None:
            return 0
        hidden = (
            urls.destination(record.url)
            if record.dest is None and record.hidden and record.url is not None
            else None
        )
        number = self.store.add(record, hidden, encoded)
        if "jekyll-redirect-from" in self.plugins and record.dest is not None:
            for entry, line, column in record.redirects:
                dest = urls.destination(urls.sanitize(entry))
                self.store.add_redirect(dest, number, line, column)
        return number

    def has_source(self, rel: str) -> bool:
        """Whether the walk finds a file at `rel` (site-relative): asked of the file system
        and `classify`, which answers for each path as the walk does."""
        if rel.startswith(("../", "/")) or posixpath.normpath(rel) != rel or rel in (".", ".."):
            return False  # the walk gives each file one normal path inside the site
        path = os.path.join(self.site.root, rel)
        return (
            os.path.lexists(path)
            and not os.path.isdir(path)
            and (classify(self.site, rel) is not None)
        )


def plugin_names(config: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in ("plugins", "gems"):
        value = config.get(key)
        if isinstance(value, list):
            names.extend(str(name) for name in value)
    return names


def static_destination(site: Site, item: SiteFile) -> str | None:
    if item.collection in (None, "pages"):
        return item.rel
    collection = site.collections.get(item.collection or "")
    if collection is None or not collection.output:
        return None
    inner = item.rel[len(collection.folder) + 1 :]
    return f"{collection.label}/{inner}"


def suppressed_rules(text: str) -> frozenset[str]:
    """Rule ids named in `# pagemgr: ignore[RULE, RULE2]` comments of `text`."""
    if "pagemgr:" not in text:
        return frozenset()
    names: set[str] = set()
    for match in SUPPRESSION.finditer(text):
        names.update(part.strip() for part in match.group(1).split(",") if part.strip())
    return frozenset(names)


def record_of(
    site: Site,
    item: SiteFile,
    has_front_matter: bool,
    data: Any,
    node: Any,
    text: str,
    body_start: int,
) -> DocRecord | None:
    """The record of a document; data files feed the index through `data_facts` instead."""
    if item.kind != "document":
        return None
    if item.collection == "pages" and os.path.basename(item.rel).startswith(("_", "~")):
        return None  # Jekyll's EntryFilter skips such files in page folders
    readable = isinstance(data, dict)
    values: dict[str, Any] = data if isinstance(data, dict) else {}
    stem = os.path.splitext(os.path.basename(item.rel))[0]
    record = _Draft(item.rel, item.collection or "pages", stem, has_front_matter, readable)
    if not has_front_matter:
        return record.done()
    present = [key for key in POSITION_KEYS if key in values]
    if present:
        record.positions = _key_positions(node, present)
    _fill(record, values, node)
    if _rendered(site, record):
        first_line = text.count("\n", 0, body_start)
        own = str(site.config.get("url") or "") + str(site.config.get("baseurl") or "")
        record.links = tuple(
            _links(record, values, node, text[body_start:], first_line, own.rstrip("/"))
        )
    _place(site, record, values)
    return record.done()


def _key_positions(node: Any, keys: list[str]) -> dict[str, Pos]:
    """1-based positions of top-level `keys`, as `yamlio.locate_key(node, [], key)` gives them."""
    if node is None:
        return dict.fromkeys(keys, (1, 1))
    if isinstance(node, yamlio.Positions):
        lines = node.key_lines()
        if all(map(lines.__contains__, keys)):
            return {key: (lines[key] + 1, 1) for key in keys}
    if isinstance(node, yamlio.Positions | yamlio.PositionTree):
        located = {key: node.locate_key([], key) for key in keys}
        return {key: (line + 1, column + 1) for key, (line, column) in located.items()}
    found: dict[str, Pos] = {}
    if isinstance(node, yamlio.YamlMapping):
        wanted = frozenset(keys)
        for key_node, _ in node.value:  # the last of duplicate keys wins, as in locate_key
            if isinstance(key_node, yamlio.YamlScalar) and key_node.value in wanted:
                mark = key_node.start_mark
                found[key_node.value] = (mark.line + 1, mark.column + 1)
    start = node.start_mark
    outside = (start.line + 1, start.column + 1)
    return {key: found.get(key, outside) for key in keys}


def _text(value: Any) -> str | None:
    if type(value) is str:
        return value
    if value is None or isinstance(value, dict | list):
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _fill(record: _Draft, values: dict[str, Any], node: Any) -> None:
    record.title = _text(values.get("title"))
    record.date_raw = "date" in values and values["date"] is not None
    record.date = parse_jekyll_date(values["date"]) if record.date_raw else None
    permalink = values.get("permalink")
    record.permalink = _text(permalink) if permalink else None
    record.category = _text(values.get("category"))
    record.collection_value = _text(values.get("collection"))
    record.published = values.get("published") is not False
    record.has_layout_key = "layout" in values
    record.layout = _text(values.get("layout"))
    record.has_excerpt = "excerpt" in values
    redirects = values.get("redirect_from")
    entries = redirects if isinstance(redirects, list) else [redirects] if redirects else []
    found = []
    for index, entry in enumerate(entries):
        if isinstance(entry, str) and entry:
            path: list[Any] = (
                ["redirect_from", index] if isinstance(redirects, list) else ["redirect_from"]
            )
            line, column = yamlio.locate(node, path)
            found.append((entry, line + 1, column + 1))
    record.redirects = tuple(found)


def _rendered(site: Site, record: _Draft) -> bool:
    if record.collection == "pages":
        return True
    collection = site.collections.get(record.collection)
    return collection is not None and collection.output


def _links(
    record: _Draft, values: dict[str, Any], node: Any, body: str, first_line: int, own_url: str
) -> Iterator[Link]:
    for key in FILE_URL_KEYS:
        value = values.get(key)
        if not isinstance(value, str):
            continue
        value = value.strip()
        if own_url and value.startswith(own_url + "/"):
            value = value[len(own_url) :]
        if local_target(value) == value:  # site-relative, or relative to the page's URL
            line, column = yamlio.locate(node, [key])
            yield Link(value, line + 1, column + 1, key)
    if record.rel.endswith(".html") or any(map(body.__contains__, _LINK_MARKS)):
        yield from body_links(body, first_line)


def body_links(body: str, first_line: int = 0) -> Iterator[Link]:
    """Links to site-relative or relative targets in Markdown or HTML, outside code.

    Lines are those of `body.splitlines()`, numbered from `first_line + 1`. A line that opens or
    closes a fence, a line inside a fence and an indented line hold no links.
    """
    unix = body.replace("\r\n", "\n") if "\r" in body else body
    if _only_newlines(unix):
        return _links_by_offset(unix, first_line)
    return _links_by_line(body, first_line)


def _only_newlines(body: str) -> bool:
    return not any(map(body.__contains__, _ASCII_BREAKS if body.isascii() else _OTHER_BREAKS))


def _links_by_line(body: str, first_line: int) -> Iterator[Link]:
    fenced = False
    for number, line in enumerate(body.splitlines(), start=first_line + 1):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and not line.startswith(("    ", "\t")) and _may_link(line):
            yield from _line_links(line, number)


def _links_by_offset(body: str, first_line: int) -> Iterator[Link]:
    """`_links_by_line` for a body whose only line break is "\\n", visiting only the lines
    that may hold a link."""
    marked = _marked_line_starts(body)
    fences = _fence_starts(body) if marked else []
    number, counted = first_line + 1, 0
    for start in marked:
        fences_up_to = bisect_right(fences, start)
        if fences_up_to % 2 or (fences_up_to and fences[fences_up_to - 1] == start):
            continue  # inside a fence (an odd number of fence lines above), or a fence line
        end = body.find("\n", start)
        line = body[start:] if end == -1 else body[start:end]
        if line.startswith(("    ", "\t")):
            continue
        number += body.count("\n", counted, start)
        counted = start
        yield from _line_links(line, number)


def _fence_starts(body: str) -> list[int]:
    """Offsets of the lines that `_FENCE` matches, in order."""
    starts: set[int] = set()
    for mark in _FENCE_MARKS:
        if mark[0] not in body:
            continue
        at = body.find(mark)
        while at != -1:
            start = body.rfind("\n", 0, at) + 1
            if at - start <= 3 and body.startswith(" " * (at - start), start):
                starts.add(start)
            end = body.find("\n", at)
            at = -1 if end == -1 else body.find(mark, end)
    return sorted(starts)


def _marked_line_starts(body: str) -> list[int]:
    """Offsets of the lines holding one of `_LINK_MARKS`, in order; a `](` that opens an
    http(s) address does not count, as its link cannot be local."""
    starts: set[int] = set()
    for first in _LINK_MARK_FIRSTS:
        at = body.find(first)
        while at != -1:
            if not body.startswith(_LINK_MARKS, at) or body.startswith(_WEB_LINKS, at):
                at = body.find(first, at + 1)
                continue
            starts.add(body.rfind("\n", 0, at) + 1)
            end = body.find("\n", at)
            at = -1 if end == -1 else body.find(first, end)
    return sorted(starts)


def _may_link(line: str) -> bool:
    return "](" in line or "]:" in line or "=" in line


def _line_links(line: str, number: int) -> Iterator[Link]:
    if "`" in line:
        line = _CODE_SPAN.sub(_blank, line)
    for mark, pattern in _MARKED_PATTERNS:
        if mark not in line:
            continue
        for match in pattern.finditer(line):
            group = 1 if match.group(1) is not None else 2
            target = local_target(match.group(group))
            if target is not None:
                yield Link(target, number, match.start(group) + 1)


def _blank(match: re.Match[str]) -> str:
    return " " * len(match.group(0))


def local_target(target: str) -> str | None:
    """`target` if it points inside this site (site-relative or relative), else None."""
    target = target.strip()
    if target.startswith(("https://", "http://")):
        return None  # the common case, before the patterns below
    liquid = _BASE_LIQUID.match(target)
    if liquid:
        target = target[liquid.end() :] or "/"
    if (
        not target
        or target.startswith(("#", "//", "?"))
        or _SCHEME.match(target)
        or "{{" in target
        or "{%" in target
    ):
        return None
    return target


def _place(site: Site, record: _Draft, values: dict[str, Any]) -> None:
    """Where Jekyll writes the record's page, or nothing when it writes none."""
    style = str(site.config.get("permalink") or "date")
    permalink = record.permalink if record.readable else None
    try:
        if record.collection == "pages":
            record.url = urls.page_url(record.rel, permalink, style)
        else:
            record.url = _document_url(site, record, values, style, permalink)
    except urls.TemplateError as exc:
        record.url_error = str(exc)
        record.url = None
    if record.url is None:
        return
    if record.url == record.permalink:
        record.url = record.permalink  # one string for both, in memory and in the cache
    if record.collection != "pages" and not record.published:
        record.hidden = "unpublished"
    elif is_future(site, record):
        record.hidden = "future"
    else:
        record.dest = urls.destination(record.url)


_CATEGORY_PLACEHOLDERS = frozenset({"categories", "slugified_categories"})


def _document_url(
    site: Site, record: _Draft, values: dict[str, Any], style: str, permalink: str | None
) -> str | None:
    collection = site.collections.get(record.collection)
    if collection is None or not collection.output or not record.readable:
        return None
    if record.collection == "posts" and post_date(record.stem) is None:
        return None
    if record.collection == "posts":
        template = urls.style_template(collection.permalink or style)
    else:
        template = collection.permalink or urls.add_suffix("/:collection/:path", style)
    date = record.date or post_date(record.stem) or dt.date.today()
    inner = record.rel[len(collection.folder) + 1 :]
    categories = (
        [*_folder_categories(record, collection.folder), *_categories(values)]
        if urls.document_placeholders(permalink or template) & _CATEGORY_PLACEHOLDERS
        else []
    )
    slug = _text(values.get("slug"))
    return urls.document_url(template, collection.label, inner, date, categories, slug, permalink)


def is_future(site: Site, record: _Draft | DocRecord) -> bool:
    """Jekyll's `future: false` (its default, on every builder) hides documents dated after the
    build; any value Ruby finds true shows them (Site.shows_future_posts)."""
    if record.collection == "pages" or site.shows_future_posts:
        return False
    date = record.date or post_date(record.stem)
    return date is not None and date > dt.date.today()


def post_date(stem: str) -> dt.date | None:
    """The date in a `YYYY-MM-DD-slug` file name as Jekyll's DATE_FILENAME_MATCHER reads it."""
    match = urls.DATE_STEM.match(stem)
    if match is None:
        return None
    year, month, day = (int(part) for part in match.group(1).split("-"))
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def _folder_categories(record: _Draft, folder: str) -> list[str]:
    if record.collection != "posts":
        return []
    above = folder.rsplit("/", 1)[0] if "/" in folder else ""
    return [part for part in above.split("/") if part]


def _categories(values: dict[str, Any]) -> list[str]:
    """Document#populate_categories: `categories` plus `category` (or `categories` split)."""
    plural = values.get("categories")
    single = values.get("category")
    out = [str(c) for c in _as_list(plural)]
    if single is not None:
        out.extend(str(c) for c in _as_list(single))
    elif isinstance(plural, str):
        out.extend(plural.split())
    else:
        out.extend(str(c) for c in _as_list(plural))
    return list(dict.fromkeys(c for c in out if c))


def _as_list(value: Any) -> list[Any]:
    if value is None or isinstance(value, dict):
        return []
    return list(value) if isinstance(value, list) else [value]


# --- data files ------------------------------------------------------------------------------


FACT_FILES = frozenset({"_data/navigation", "_data/cv", "_data/ui-text"})


def data_facts(item: SiteFile, data: Any, node: Any) -> DataFacts | None:
    name = os.path.splitext(item.rel)[0]
    if name == "_data/navigation" and isinstance(data, dict):
        items: list[NavItem] = []
        for key, value in data.items():
            _nav_items(items, value, node, [key], str(key))
        return DataFacts(navigation=tuple(items))
    if name == "_data/cv" and isinstance(data, dict) and isinstance(data.get("publications"), list):
        found = []
        for number, entry in enumerate(data["publications"]):
            if isinstance(entry, dict) and isinstance(entry.get("name"), str):
                line, column = yamlio.locate(node, ["publications", number, "name"])
                found.append((entry["name"], line + 1, column + 1))
        return DataFacts(cv_publications=tuple(found))
    if name == "_data/ui-text" and isinstance(data, dict):
        return DataFacts(locales=frozenset(str(key) for key in data))
    return None


def _nav_items(out: list[NavItem], value: Any, node: Any, path: list[Any], group: str) -> None:
    if not isinstance(value, list):
        return
    for number, entry in enumerate(value):
        if not isinstance(entry, dict):
            continue
        here = [*path, number]
        url = entry.get("url")
        if isinstance(url, str):
            line, column = yamlio.locate(node, [*here, "url"])
            out.append(
                NavItem(_text(entry.get("title")) or "", url.strip(), line + 1, column + 1, group)
            )
        if "children" in entry:
            _nav_items(
                out, entry["children"], node, [*here, "children"], f"{group}[{number}].children"
            )
