"""What a site's templates were found to do with each collection's front matter.

Plain immutable data, kept in the cache between runs: nothing here imports a Liquid parser.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Literal, NamedTuple

UseKind = Literal["bare", "guarded", "filtered"]
View = Literal["page", "list"]

# What Jekyll gives a collection's document that lacks them: a title from its file name, the
# build time (a post: the date in its file name) as its date. A page gets neither.
FILLED_BY_JEKYLL = frozenset({"title", "date"})

# The more a missing key costs, the earlier: a filter decides whether the document is listed at
# all, a bare use prints an empty gap, a guarded one is skipped or given a default.
_COST: dict[UseKind, int] = {"filtered": 0, "bare": 1, "guarded": 2}


class Use(NamedTuple):
    """One place where a template reads a document's front matter key.

    `kind`: "bare" (printed as it is: a missing key leaves a gap), "guarded" (tested by `if`,
    `unless`, `elsif`, or given `| default:`, or only assigned), "filtered" (decides whether the
    document is listed: `where`, or a comparison such as `post.category == ...` on a list item).
    `view`: "page" (the document's own page, through its layout chain) or "list" (a page or
    layout that loops over the collection). For a bare use, `shown` is the visible text of the
    line it prints on, rendered for a document without the key and without the line's other
    keys (`"Published in , 2026"`: Jekyll dates an undated document with the build time), and
    `attribute` names the HTML attribute the value goes into, if it does (`href`). Keys Jekyll
    fills in (FILLED_BY_JEKYLL, for a collection's documents) have no `shown`.
    """

    collection: str
    key: str
    path: tuple[str, ...]
    kind: UseKind
    view: View
    file: str
    line: int
    shown: str | None = None
    attribute: str | None = None

    @property
    def where(self) -> str:
        return f"{self.file}:{self.line}"


class Hidden(Enum):
    HIDDEN = "hidden"


HIDDEN = Hidden.HIDDEN
# Where a publication appears on the publications page: under that heading, without one
# (None), or nowhere (HIDDEN).
Heading = str | None | Literal[Hidden.HIDDEN]


class PublicationListing(NamedTuple):
    """The publications page, rendered for one probe publication per category. When the page
    also compares other keys with values (`depends_on`, e.g. a fork's `pubsource`), each probe
    had the first value compared with: whether a paper shows then depends on those keys too."""

    page: str  # the page's site-relative path
    headings: Mapping[str | None, Heading]  # per category probed; None: no category at all
    unlisted: Heading  # a category neither _config.yml nor the page's templates name
    depends_on: tuple[str, ...] = ()
    # The same, each probe rendered as the only paper: where a heading shows only when other
    # papers do (the bundled site's "Other Publications"), the two differ.
    alone: Mapping[str | None, Heading] | None = None
    unlisted_alone: Heading = None

    def heading(self, category: str | None) -> Heading:
        return self.headings.get(category, self.unlisted) if category else self.headings[None]

    def heading_alone(self, category: str | None) -> Heading:
        """Where a paper of `category` is listed when it is the only paper."""
        if self.alone is None:
            return self.heading(category)
        return self.alone.get(category, self.unlisted_alone) if category else self.alone[None]


class Unreadable(NamedTuple):
    """The site's templates could not be read; `reason` says why, in one sentence."""

    reason: str


@dataclass(frozen=True)
class TemplateFacts:
    """Per collection, every place the site's templates read a front matter key.

    `list_uses[collection]`: uses by the pages and layouts that loop over the collection.
    `page_uses[(collection, layout)]`: uses by the layout chain starting at `layout`, for a
    document of the collection (only for collections whose documents get a page).
    `default_layouts[collection]`: the layout `_config.yml` `defaults:` gives its documents.
    """

    list_uses: Mapping[str, tuple[Use, ...]]
    page_uses: Mapping[tuple[str, str], tuple[Use, ...]]
    default_layouts: Mapping[str, str | None]
    publications: PublicationListing | Unreadable | None  # None: the site has no such page
    unknown_tags: tuple[str, ...]
    templates: tuple[str, ...]

    def uses(self, collection: str, key: str | None = None, layout: str | None = None) -> list[Use]:
        """The uses of `key` (or of every key) for a document of `collection` whose `layout:`
        is `layout` (None: the collection's default), most costly first."""
        layout = layout if layout is not None else self.default_layouts.get(collection)
        found = [*self.list_uses.get(collection, ())]
        if layout is not None:
            found += self.page_uses.get((collection, layout), ())
        chosen = [use for use in found if key is None or use.key == key]
        return sorted(chosen, key=lambda use: (_COST[use.kind], use.view, use.file, use.line))

    def reads(self, collection: str, key: str, layout: str | None = None) -> Use | None:
        """The most costly use of `key` for such a document, or None when no template reads it."""
        found = self.uses(collection, key, layout)
        return found[0] if found else None

    def keys_read(
        self, collection: str, layout: str | None = None, any_layout: bool = False
    ) -> frozenset[str]:
        """Every key the lists and the layout chain (`layout`, None: the collection's default)
        read for a document of `collection`; with `any_layout`, whatever its layout."""
        keys = {use.key for use in self.uses(collection, layout=layout)}
        if any_layout:
            for (label, _), uses in self.page_uses.items():
                if label == collection:
                    keys.update(use.key for use in uses)
        return frozenset(keys)

    @staticmethod
    def filled_by_jekyll(collection: str, key: str) -> bool:
        """Whether Jekyll gives a document of `collection` this key when it has none."""
        return collection != "pages" and key in FILLED_BY_JEKYLL

    def shown_without(
        self, collection: str, key: str, layout: str | None = None, view: View | None = None
    ) -> str | None:
        """What the site shows, on the line of a bare use, for a document without `key`."""
        for use in self.uses(collection, key, layout):
            if use.kind == "bare" and use.shown is not None and view in (None, use.view):
                return use.shown
        return None

    def publication_heading(self, category: str | None) -> Heading:
        """Under which heading the publications page lists a paper of `category` (None: without
        a category); HIDDEN when its loops never show it. Raises LookupError when the site has
        no publications page, or it could not be rendered (`publications` says why)."""
        if not isinstance(self.publications, PublicationListing):
            raise LookupError(
                self.publications.reason if self.publications else "no publications page"
            )
        return self.publications.heading(category)
