"""File-name slugs: transliterated, bounded, safe, and unique within a folder."""

from __future__ import annotations

from collections.abc import Container

from pagemgr.errors import UsageError

MAX_SLUG = 80


def make_slug(text: str, max_length: int = MAX_SLUG) -> str:
    """`text` as a lower-case ASCII slug ("Référendum" -> "referendum"); '' when nothing is left."""
    from slugify import slugify

    slug: str = slugify(text, max_length=max_length, word_boundary=True, save_order=True)
    if not slug and text.strip():
        slug = slugify(text, max_length=max_length)
    return slug.strip("-")


def checked_slug(text: str, max_length: int = MAX_SLUG) -> str:
    """A slug given on the command line: re-slugified, so no separator or '..' survives."""
    slug = make_slug(text, max_length)
    if not slug:
        raise UsageError(f"--slug {text!r} has no letters or digits to make a file name from")
    return slug


def unique_stem(stem: str, taken: Container[str]) -> str:
    """`stem`, or `stem-2`, `stem-3`, ... : the first not in `taken` (compared case-folded)."""
    candidate, number = stem, 1
    while candidate.casefold() in taken:
        number += 1
        candidate = f"{stem}-{number}"
    return candidate
