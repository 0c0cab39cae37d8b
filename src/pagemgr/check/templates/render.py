"""Rendering a site's own templates with made-up documents, to see what Jekyll would show.

Two questions are answered this way rather than by reading the templates: under which heading
the publications page lists a paper of a given category (or whether it lists it at all), and
what the line of a bare use reads when the key is missing. Each made-up document carries what
Jekyll gives every document (a title from its file name, the build time as its date when it
has none, its collection, slug and URL) and nothing else but the values asked for.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from typing import Any, NamedTuple

from liquid.exceptions import LiquidError

from pagemgr.check.templates.facts import HIDDEN, Heading, PublicationListing, Unreadable
from pagemgr.check.templates.jekyll_liquid import JekyllEnvironment, TemplateError
from pagemgr.check.templates.sources import front_matter
from pagemgr.check.templates.walk import Reached, SiteModel

MARKER = "pagemgrmissingvalue"
UNLISTED = "pagemgr-unlisted-category"
_PROBE = "pagemgrprobe"
_BLOCK = re.compile(
    r"</?(?:p|div|h[1-6]|li|ul|ol|dl|dt|dd|tr|td|th|table|section|article|header|footer|main"
    r"|aside|nav|blockquote|pre|figure|figcaption|br|hr|form)\b[^>]*>",
    re.IGNORECASE,
)
_HTML_HEADING = re.compile(r"<h([1-6])\b[^>]*>(.*?)</h\1\s*>", re.IGNORECASE | re.DOTALL)
_MARKDOWN_HEADING = re.compile(r"^ {0,3}#{1,6}[ \t]+(.+?)[ \t#]*$", re.MULTILINE)
_TAG = re.compile(r"<[^>]*>")
_ATTRIBUTE = re.compile(r"([\w:-]+)\s*=\s*[\"']?[^\"'<>]*$")
_LONGEST_PHRASE = 200


class Shown(NamedTuple):
    text: str
    attribute: str | None


class Renderer:
    def __init__(self, env: JekyllEnvironment, model: SiteModel) -> None:
        self.env = env
        self.model = model
        self.build_time = dt.datetime.now().replace(microsecond=0)

    def document(self, collection: str, slug: str, values: Mapping[str, object]) -> dict[str, Any]:
        """A document as Jekyll's drop shows it, with only `values` from its front matter."""
        made: dict[str, Any] = {
            "title": slug.replace("-", " ").title(),
            "slug": slug,
            "url": f"/{collection}/{slug}/",
            "id": f"/{collection}/{slug}",
            "excerpt": "",
            "categories": [],
            "tags": [],
        }
        if collection != "pages":
            made |= {"collection": collection, "date": self.build_time}
        made.update(values)
        return made

    def site(self, documents: Mapping[str, list[dict[str, Any]]]) -> dict[str, Any]:
        drop: dict[str, Any] = dict(self.model.config)
        for label in self.model.labels:
            drop[label] = documents.get(label, [])
        drop["collections"] = [
            {
                "label": label,
                "docs": drop[label],
                "output": self.model.outputs.get(label, False),
                "relative_directory": self.model.folders.get(label, ""),
            }
            for label in self.model.labels
        ]
        drop["documents"] = [doc for label in self.model.labels for doc in drop[label]]
        drop["pages"] = drop["html_pages"] = documents.get("pages", [])
        drop |= {"time": self.build_time, "data": {}, "categories": {}, "tags": {}}
        drop.setdefault("baseurl", "")
        return drop

    def render(self, rel: str, page: Mapping[str, Any], site: Mapping[str, Any]) -> str:
        """The output of the template at `rel` (its front matter as `layout`, as a layout
        sees it); raises TemplateError or LiquidError."""
        source, template = self.env.template(rel)
        layout = front_matter(source.front_matter)
        return template.render(site=site, page=page, layout=layout, content="", paginator=None)

    def list_page(self, rel: str) -> dict[str, Any]:
        source, _ = self.env.template(rel)
        data = front_matter(source.front_matter)
        return {"url": str(data.get("permalink") or "/"), "path": rel, **data}

    # --- the line of a bare use -----------------------------------------------------------

    def shown_without(self, reached: Reached, values: Mapping[str, object]) -> Shown | None:
        """The visible text of the line where `reached` prints, for a document without the
        key; None when the rendering does not reach it."""
        probe = self.document(reached.collection, "sample", {**values, reached.path[0]: MARKER})
        try:
            if reached.view == "page":
                output = self.render(reached.root, probe, self.site({}))
            else:
                site = self.site({reached.collection: [probe]})
                output = self.render(reached.root, self.list_page(reached.root), site)
        except (LiquidError, TemplateError):
            return None
        return _line_around(output)

    # --- the publications page ------------------------------------------------------------

    def publications(
        self, rel: str, categories: list[str], values: Mapping[str, object]
    ) -> PublicationListing | Unreadable:
        """Render the page with one probe paper per category, one without a category and one
        with a category nothing names; find each probe under the headings of the output."""
        probes: list[str | None] = [None, *categories, UNLISTED]
        papers = []
        for number, category in enumerate(probes):
            own = {"title": _probe_token(number)}
            if category is not None:
                own["category"] = category
            papers.append(self.document("publications", f"probe-{number}", {**values, **own}))
        try:
            output = self.render(rel, self.list_page(rel), self.site({"publications": papers}))
            alone = {
                category: self._heading_alone(rel, paper, number)
                for number, (category, paper) in enumerate(zip(probes, papers, strict=True))
            }
        except (LiquidError, TemplateError) as error:
            return Unreadable(f"{rel} could not be rendered to see what it lists: {error}")
        headings = _headings(output)
        found = {category: _heading_of(output, headings, n) for n, category in enumerate(probes)}
        unlisted, unlisted_alone = found.pop(UNLISTED), alone.pop(UNLISTED)
        return PublicationListing(
            rel, found, unlisted, tuple(sorted(values)), alone, unlisted_alone
        )

    def _heading_alone(self, rel: str, paper: dict[str, Any], number: int) -> Heading:
        output = self.render(rel, self.list_page(rel), self.site({"publications": [paper]}))
        return _heading_of(output, _headings(output), number)


def _probe_token(number: int) -> str:
    return f"{_PROBE}{number}x"


def _headings(output: str) -> list[tuple[int, str]]:
    """The headings of the output, by position; not those of the probe papers themselves."""
    found = [(m.start(), _visible(m.group(2))) for m in _HTML_HEADING.finditer(output)]
    found += [(m.start(), _visible(m.group(1))) for m in _MARKDOWN_HEADING.finditer(output)]
    return sorted((at, text) for at, text in found if _PROBE not in text.lower())


def _heading_of(output: str, headings: list[tuple[int, str]], number: int) -> Heading:
    position = output.lower().find(_probe_token(number))
    if position < 0:
        return HIDDEN
    before = [text for start, text in headings if start < position]
    return before[-1] if before else None


def _visible(fragment: str) -> str:
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _line_around(output: str) -> Shown | None:
    lowered = output.lower()
    at = lowered.find(MARKER)
    if at < 0:
        return None
    start = max((m.end() for m in _BLOCK.finditer(output, 0, at)), default=0)
    end = next((m.start() for m in _BLOCK.finditer(output, at)), len(output))
    if end - start > _LONGEST_PHRASE:
        start = max(start, output.rfind("\n", 0, at) + 1)
        newline = output.find("\n", at)
        end = min(end, newline if newline >= 0 else len(output))
    segment = output[start:end]
    offset = at - start
    opened, closed = segment.rfind("<", 0, offset), segment.rfind(">", 0, offset)
    attribute = None
    if opened > closed:
        named = _ATTRIBUTE.search(segment[opened:offset])
        attribute = named.group(1).lower() if named else None
    text = re.sub(MARKER, "", _visible(segment), flags=re.IGNORECASE)
    return Shown(" ".join(text.split()), attribute)
