"""What a missing key, a publication's category and an unknown key mean on this site, decided
from its own templates' facts (issue 16). Plain functions over `TemplateFacts`: no Liquid here.

A `Verdict` is the severity and the words of a finding, or None when the site shows nothing
wrong. The checker asks only for documents of collections the analysis covers; everything else
(data files, nested keys, sites whose templates could not be read) keeps the schema's answer.
"""

from __future__ import annotations

import re
from typing import Literal, NamedTuple

from pagemgr.check.templates.facts import HIDDEN, Heading, PublicationListing, TemplateFacts, Use

Severity = Literal["error", "warning"]
_DATED_NAME = re.compile(r"^(\d{2,4}-\d{1,2}-\d{1,2})-(.*)$")  # Jekyll's DATE_FILENAME_MATCHER


class Verdict(NamedTuple):
    severity: Severity
    explanation: str  # what this site shows, with the template's file:line


class Document(NamedTuple):
    """What the verdicts need of one document: its collection, its `layout:` (None: the
    collection's default; "" for an explicit null), its top-level keys and its file's stem."""

    collection: str
    layout: str | None
    keys: frozenset[str]
    stem: str


def covers(facts: TemplateFacts, collection: str | None) -> bool:
    """Whether the analysis walked the templates for documents of `collection`."""
    return collection is not None and (
        collection in facts.default_layouts or collection in facts.list_uses
    )


# --- missing-key ---------------------------------------------------------------------------------


def missing_key(facts: TemplateFacts, doc: Document, key: str) -> Verdict | None:
    """Error where the site prints the key bare or filters on it; a warning where a guard skips
    it, or where Jekyll fills it in and the site prints what Jekyll made; nothing where no
    template reads it, or Jekyll's value is what the author would write (a file name's date)."""
    use = facts.reads(doc.collection, key, doc.layout)
    if use is None:
        return None
    if facts.filled_by_jekyll(doc.collection, key):
        return _filled(use, doc, key)
    if use.kind == "filtered":
        return Verdict("error", f"without it {_view(use)} at {use.where} leaves this document out")
    if use.kind == "bare":
        return Verdict("error", _gap(facts, use, doc))
    return Verdict("warning", f"the site shows this document without it ({use.where} skips it)")


def _filled(use: Use, doc: Document, key: str) -> Verdict | None:
    if use.kind == "guarded":
        return None
    dated = _DATED_NAME.match(doc.stem)
    does = "filters on it" if use.kind == "filtered" else "prints it"
    if key == "date":
        if dated is not None:
            return None  # Jekyll takes the date in the file name
        return Verdict(
            "warning",
            f"without it Jekyll dates the document with the time of each build, and "
            f"{_view(use)} {does} ({use.where})",
        )
    slug = dated.group(2) if dated is not None else doc.stem
    title = " ".join(part.capitalize() for part in slug.split("-"))
    return Verdict(
        "warning",
        f'without it Jekyll titles the document "{title}" from its file name, and '
        f"{_view(use)} {does} ({use.where})",
    )


def _gap(facts: TemplateFacts, use: Use, doc: Document) -> str:
    if use.attribute:
        return f"without it {_view(use)} writes an empty {use.attribute}= at {use.where}"
    if use.shown is None:
        return f"without it {_view(use)} prints nothing in its place ({use.where})"
    if not use.shown:
        return f"without it {_view(use)} prints an empty element ({use.where})"
    others = _others_on_line(facts, use, doc)
    if not others:
        return f'without it {_view(use)} reads "{use.shown}" ({use.where})'
    return (
        f"without it {_view(use)} leaves a gap at {use.where} "
        f'(without {" and ".join(others)} as well, it reads "{use.shown}")'
    )


def _others_on_line(facts: TemplateFacts, use: Use, doc: Document) -> list[str]:
    """The other keys printed on the line of `use` that this document has: `shown` was
    rendered without them (the date: undated, so the build time)."""
    keys = {
        other.key
        for other in facts.uses(doc.collection, layout=doc.layout)
        if (other.file, other.line) == (use.file, use.line) and other.key != use.key
    }
    has_date = "date" in doc.keys or _DATED_NAME.match(doc.stem) is not None
    return sorted(key for key in keys if key in doc.keys or (key == "date" and has_date))


def _view(use: Use) -> str:
    return "the list" if use.view == "list" else "its page"


# --- unlisted-category ---------------------------------------------------------------------------


class CategoryVerdict(NamedTuple):
    severity: Severity
    message: str
    shown_under: Heading


def category(listing: PublicationListing, value: str | None, configured: bool) -> CategoryVerdict:
    """What the publications page does with a paper whose category is `value` (None: none)
    and not one publication_category lists (`configured`: the site has that setting): hidden
    (an error), else under which heading it appears (a warning)."""
    heading = listing.heading(value)
    if not value:
        what = "no 'category'"
    elif configured:
        what = f"category '{value}' is not in _config.yml publication_category"
    else:
        what = f"category '{value}' is not one {listing.page} names"
    if heading is not HIDDEN:
        under = _under(listing, value)
        return CategoryVerdict(
            "warning", f"{what}: {listing.page} lists this paper {under}", heading
        )
    if listing.depends_on:
        keys = ", ".join(listing.depends_on)
        return CategoryVerdict(
            "warning",
            f"{what}: {listing.page} does not list this paper by its category "
            f"(whether it lists it depends on {keys} too)",
            heading,
        )
    return CategoryVerdict("error", f"{what}, so {listing.page} does not show this paper", heading)


def _under(listing: PublicationListing, value: str | None) -> str:
    """Under which heading the paper appears; when that heading shows only beside papers of
    listed categories (the bundled site's "Other Publications"), said so."""
    heading, alone = listing.heading(value), listing.heading_alone(value)
    where = f"under '{heading}'" if heading else "without a heading"
    if alone == heading or alone is HIDDEN:
        return where
    return f"last, {where} when papers of listed categories come before it"


def shown_categories(listing: PublicationListing) -> list[str]:
    """The categories the page lists under a heading of their own."""
    return [
        str(name)
        for name, heading in listing.headings.items()
        if name is not None and heading is not HIDDEN
    ]


# --- unknown-key ---------------------------------------------------------------------------------


def keys_read(facts: TemplateFacts, collection: str) -> tuple[str, ...]:
    """Every key some template of the site reads for a document of `collection`."""
    return tuple(sorted(facts.keys_read(collection, any_layout=True)))
