"""How a collection's existing files are written: file names, permalinks, key order, quoting.

Each convention is taken from the existing files when they agree (two thirds or more), and
from academicpages' upstream template otherwise.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pagemgr.add import citation
from pagemgr.edit.render import Style
from pagemgr.site.dates import filename_date, parse_jekyll_date
from pagemgr.site.document import parse_document
from pagemgr.site.model import Site
from pagemgr.yaml import yamlio

AGREE = 2 / 3
_D: Style = "double"
_S: Style = "single"


@dataclass(frozen=True)
class Upstream:
    dated: bool
    permalink: str | None
    order: tuple[str, ...]
    styles: dict[str, Style]
    collection_key: bool


UPSTREAM: dict[str, Upstream] = {
    "publications": Upstream(
        True,
        "/publication/{stem}",
        (
            "title",
            "collection",
            "category",
            "permalink",
            "excerpt",
            "date",
            "venue",
            "slidesurl",
            "paperurl",
            "bibtexurl",
            "citation",
        ),
        {
            "title": _D,
            "excerpt": _S,
            "venue": _S,
            "slidesurl": _S,
            "paperurl": _S,
            "bibtexurl": _S,
            "citation": _S,
        },
        True,
    ),
    "talks": Upstream(
        True,
        "/talks/{stem}",
        ("title", "collection", "type", "permalink", "venue", "date", "location"),
        {"title": _D, "type": _D, "venue": _D, "location": _D},
        True,
    ),
    "teaching": Upstream(
        False,
        "/teaching/{stem}",
        ("title", "collection", "type", "permalink", "venue", "date", "location"),
        {"title": _D, "type": _D, "venue": _D, "location": _D},
        True,
    ),
    "portfolio": Upstream(
        False, None, ("title", "excerpt", "collection"), {"title": _D, "excerpt": _D}, True
    ),
    "posts": Upstream(
        True,
        "/posts/{year}/{month}/{slug}/",
        ("title", "date", "permalink", "tags"),
        {"title": _S},
        False,
    ),
}
_DATED = re.compile(r"\d{4}-\d{2}-\d{2}-(.+)\Z")


@dataclass
class Existing:
    """One file already in the collection, as far as `add` needs it."""

    path: Path
    rel: str
    text: str
    data: dict[str, Any]


@dataclass
class Conventions:
    label: str
    folder: Path
    dated: bool
    extension: str
    permalink: str | None  # a template with {stem} {slug} {year} {month} {day}; None: no key
    order: list[str]
    styles: dict[str, Style]
    collection_key: bool
    newline: str
    citation_style: citation.Style
    bold: bool
    existing: list[Existing] = field(default_factory=list)
    learned: list[str] = field(default_factory=list)  # what came from the site, for --dry-run

    def permalink_for(self, stem: str, date: dt.date | None) -> str | None:
        if self.permalink is None:
            return None
        match = _DATED.match(stem)
        slug = match.group(1) if match else stem
        day = date or dt.date.today()
        return self.permalink.format(
            stem=stem,
            slug=slug,
            year=f"{day.year:04d}",
            month=f"{day.month:02d}",
            day=f"{day.day:02d}",
        )

    def taken(self) -> set[str]:
        names = set()
        if self.folder.is_dir():
            names = {p.stem.casefold() for p in self.folder.iterdir()}
        return names | {Path(e.rel).stem.casefold() for e in self.existing}

    def permalinks(self) -> set[str]:
        return {
            _norm_url(str(e.data["permalink"]))
            for e in self.existing
            if isinstance(e.data.get("permalink"), str)
        }


def learn(site: Site, label: str) -> Conventions:
    upstream = UPSTREAM[label]
    collection = site.collections.get(label)
    folder = site.root / (collection.folder if collection else f"_{label}")
    existing = list(_read_existing(site, label))
    conv = Conventions(
        label=label,
        folder=folder,
        dated=upstream.dated,
        extension=".md",
        permalink=upstream.permalink,
        order=list(upstream.order),
        styles=dict(upstream.styles),
        collection_key=upstream.collection_key,
        newline="\n",
        citation_style=citation.DEFAULT_STYLE,
        bold=False,
        existing=existing,
    )
    if not existing:
        return conv
    stems = [Path(e.rel).stem for e in existing]
    dated = sum(1 for stem in stems if _DATED.match(stem))
    if label != "posts":
        if dated >= AGREE * len(stems):
            conv.dated = True
        elif len(stems) - dated >= AGREE * len(stems):
            conv.dated = False
    extensions = Counter(Path(e.rel).suffix for e in existing)
    conv.extension = _agreed(extensions, len(existing)) or ".md"
    _learn_permalink(conv, existing)
    _learn_order(conv, existing)
    _learn_styles(conv, existing)
    with_key = sum(1 for e in existing if "collection" in e.data)
    if with_key >= AGREE * len(existing):
        conv.collection_key = label != "posts"
    elif len(existing) - with_key >= AGREE * len(existing):
        conv.collection_key = False
    crlf = sum(1 for e in existing if "\r\n" in e.text)
    conv.newline = "\r\n" if crlf >= AGREE * len(existing) else "\n"
    citations = [
        str(e.data["citation"]) for e in existing if isinstance(e.data.get("citation"), str)
    ]
    if citations:
        conv.citation_style, conv.bold = citation.learn_style(citations)
    return conv


def _read_existing(site: Site, label: str) -> list[Existing]:
    found = []
    for item in site.files():
        if item.kind != "document" or item.collection != label:
            continue
        try:
            text = item.path.read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            continue
        document = parse_document(text)
        data: Any = {}
        if document.has_front_matter:
            try:
                data = yamlio.load(document.front_matter).data
            except (yamlio.YamlSyntaxError, ValueError, RecursionError):
                data = {}
        found.append(Existing(item.path, item.rel, text, data if isinstance(data, dict) else {}))
    return found


def _agreed(counts: Counter[Any], total: int) -> Any:
    if not counts:
        return None
    value, count = counts.most_common(1)[0]
    return value if count >= AGREE * total else None


def _date_of(item: Existing) -> dt.date | None:
    return parse_jekyll_date(item.data.get("date")) or filename_date(Path(item.rel).stem)


def permalink_template(permalink: str, stem: str, date: dt.date | None) -> str | None:
    """`/publication/2020-01-01-x` for stem `2020-01-01-x` -> `/publication/{stem}`."""
    match = _DATED.match(stem)
    slug = match.group(1) if match else stem
    value = permalink.replace("{", "{{").replace("}", "}}")
    segments = value.split("/")
    named = False
    for index, segment in enumerate(segments):
        base, dot, ext = (
            segment.partition(".") if "." in segment and segment != stem else (segment, "", "")
        )
        if base == stem:
            segments[index] = "{stem}" + dot + ext
            named = True
        elif base == slug:
            segments[index] = "{slug}" + dot + ext
            named = True
        elif date is not None and segment == f"{date.year:04d}":
            segments[index] = "{year}"
        elif date is not None and segment == f"{date.month:02d}" and "{year}" in segments:
            segments[index] = "{month}"
        elif date is not None and segment == f"{date.day:02d}" and "{month}" in segments:
            segments[index] = "{day}"
    return "/".join(segments) if named else None


def _learn_permalink(conv: Conventions, existing: list[Existing]) -> None:
    templates: Counter[str] = Counter()
    for item in existing:
        permalink = item.data.get("permalink")
        if not isinstance(permalink, str):
            templates[""] += 1  # no permalink: the collection's default applies
            continue
        template = permalink_template(permalink, Path(item.rel).stem, _date_of(item))
        templates["?" if template is None else template] += 1
    agreed = _agreed(templates, len(existing))
    if agreed is None or agreed == "?":
        return
    conv.permalink = agreed or None
    conv.learned.append(f"permalink {agreed or '(none, the collection default)'}")


def _learn_order(conv: Conventions, existing: list[Existing]) -> None:
    positions: dict[str, list[float]] = defaultdict(list)
    for item in existing:
        keys = list(item.data)
        for index, key in enumerate(keys):
            positions[str(key)].append(index / max(1, len(keys) - 1))
    learned = sorted(positions, key=lambda k: sum(positions[k]) / len(positions[k]))
    order = list(learned)
    for index, key in enumerate(conv.order):
        if key in order:
            continue
        before = [k for k in conv.order[:index] if k in order]
        order.insert(order.index(before[-1]) + 1 if before else 0, key)
    conv.order = order


def _learn_styles(conv: Conventions, existing: list[Existing]) -> None:
    votes: dict[str, Counter[Style]] = defaultdict(Counter)
    for item in existing:
        document = parse_document(item.text)
        try:
            node = yamlio.compose(document.front_matter) if document.has_front_matter else None
        except yamlio.YamlSyntaxError:
            continue
        for key_node, value_node in getattr(node, "value", None) or []:
            style = getattr(value_node, "style", None)
            if not isinstance(getattr(value_node, "value", None), str):
                continue
            name: Style = "double" if style == '"' else "single" if style == "'" else "plain"
            votes[str(key_node.value)][name] += 1
    for key, counter in votes.items():
        style, count = counter.most_common(1)[0]
        if count >= AGREE * sum(counter.values()):
            conv.styles[key] = style


def _norm_url(url: str) -> str:
    return url.strip().rstrip("/").removesuffix(".html").casefold() or "/"
