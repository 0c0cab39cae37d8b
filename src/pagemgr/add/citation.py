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
) -> str:
    """The citation as HTML: every piece of text escaped once, markup added around it."""
    esc = _escape
    title_part = title if title.endswith(("?", "!", ".")) else title + "."
    if style == "pubsfrombib":
        names = ", ".join(_name(a.full, a, me, bold) for a in authors)
        parts = [f"{names}, " if names else "", f"&quot;{esc(title_part)}&quot;"]
        if venue:
            parts.append(f" {esc(venue)}")
        if year is not None:
            parts.append(f", {year}" if venue else f" {year}")
        return "".join(parts) + "."
    listed = "; ".join(
        _name(f"{a.family}, {a.given}" if a.given else a.family, a, me, bold) for a in authors
    )
    head = f"{listed} ({year})." if year is not None else (f"{listed}." if listed else "")
    text = f"{head} &quot;{esc(title_part)}&quot;".strip()
    if venue:
        text += f" <i>{esc(venue)}</i>."
    if volume:
        text += f" {esc(volume)}" + (f"({esc(number)})" if number else "") + "."
    return text


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
