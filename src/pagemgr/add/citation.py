"""Citations from structured fields, in the site's style, HTML-escaped exactly once."""

from __future__ import annotations

import html
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Literal

from pagemgr.add.record import Author

Style = Literal["academicpages", "pubsfrombib"]
DEFAULT_STYLE: Style = "academicpages"
_YEAR_FIRST = re.compile(r"\(\d{4}\)\.?\s*(?:&quot;|\")")
_QUOTED_THEN_YEAR = re.compile(r"(?:&quot;|\").+(?:&quot;|\").*\b\d{4}\.?\s*$")
_BOLD = re.compile(r"<(?:b|strong)>", re.IGNORECASE)


def learn_style(citations: Iterable[str]) -> tuple[Style, bool]:
    """The style most existing citations follow, and whether they bold a name."""
    votes: Counter[Style] = Counter()
    bold = 0
    for text in citations:
        if _YEAR_FIRST.search(text):
            votes["academicpages"] += 1
        elif _QUOTED_THEN_YEAR.search(text):
            votes["pubsfrombib"] += 1
        if _BOLD.search(text):
            bold += 1
    style = votes.most_common(1)[0][0] if votes else DEFAULT_STYLE
    return style, bold > 0 and bold * 2 >= sum(votes.values())


def build(
    authors: Sequence[Author],
    title: str,
    venue: str | None,
    year: int | None,
    style: Style = DEFAULT_STYLE,
    me: str | None = None,
    bold: bool = False,
    volume: str | None = None,
    number: str | None = None,
    pages: str | None = None,
) -> str:
    """The citation as HTML: every piece of text escaped once, markup added around it."""
    named = [a for a in authors if not is_et_al(a)]
    more = len(named) < len(authors)
    title_part = _closed(title)
    if style == "pubsfrombib":
        names = _with_et_al(", ".join(_name(a.full, a, me, bold) for a in named), more)
        parts = [f"{names}, " if names else "", f"&quot;{_escape(title_part)}&quot;"]
        if venue:
            parts.append(f" {_escape(venue)}")
        if year is not None:
            parts.append(f", {year}" if venue else f" {year}")
        return _closed("".join(parts))
    listed = _with_et_al(
        "; ".join(
            _name(f"{a.family}, {a.given}" if a.given else a.family, a, me, bold) for a in named
        ),
        more,
    )
    head = f"{listed} ({year})." if year is not None else (_closed(listed) if listed else "")
    text = f"{head} &quot;{_escape(title_part)}&quot;".strip()
    if venue:
        text += f" <i>{_escape(venue)}</i>" + ("" if venue.endswith(".") else ".")
    located = _location(volume, number, pages)
    if located:
        text += f" {_escape(located)}."
    return text


def is_et_al(author: Author) -> bool:
    """BibTeX's `and others`, or an author written as "et al."."""
    return not author.given and author.family.casefold().strip(". ") in ("others", "et al")


def _with_et_al(names: str, more: bool) -> str:
    if not more:
        return names
    return f"{names}, et al." if names else "et al."


def _closed(text: str) -> str:
    return text if text.endswith(("?", "!", ".")) else text + "."


def _location(volume: str | None, number: str | None, pages: str | None) -> str:
    """`12(3), 45-67`; `pp. 45-67` without a volume."""
    issue = f"{volume}({number})" if volume and number else volume or ""
    if not pages:
        return issue
    return f"{issue}, {pages}" if issue else f"pp. {pages}"


def _escape(text: str) -> str:
    return html.escape(text, quote=True)


def _name(shown: str, author: Author, me: str | None, bold: bool) -> str:
    escaped = _escape(shown)
    return f"<b>{escaped}</b>" if bold and me and is_me(author, me) else escaped


def _plain(text: str) -> list[str]:
    decomposed = unicodedata.normalize("NFKD", text)
    kept = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\W_]+", " ", kept.casefold()).split()


def is_me(author: Author, me: str) -> bool:
    """Whether `author` is the site owner named `me` ("Jane Doe", "Doe, Jane" or "J. Doe")."""
    if "," in me:
        family_part, _, given_part = me.partition(",")
        mine = _plain(given_part) + _plain(family_part)
    else:
        mine = _plain(me)
    theirs = _plain(author.given) + _plain(author.family)
    if not mine or not theirs:
        return False
    if mine == theirs:
        return True
    if len(mine) < 2 or len(theirs) < 2 or mine[-1] != theirs[-1]:
        return False
    return mine[0][0] == theirs[0][0]
