"""Which of the site's publication categories a work belongs in, from the kind of work it is.

academicpages lists publications under the keys of `publication_category` in _config.yml
(upstream: books 'Books', manuscripts 'Journal Articles', conferences 'Conference Papers'). A
category means what its title says, or its key when it has no title; upstream's untitled
`manuscripts` holds journal articles.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

# the words (prefixes) that name each kind of work in a category's title or key
WORDS = {
    "article": ("journal", "article", "periodical", "magazine"),
    "inproceedings": ("conference", "proceeding", "workshop", "symposi"),
    "book": ("book", "chapter", "monograph"),
    "thesis": ("thesis", "theses", "dissertation"),
    "preprint": ("preprint", "arxiv", "working", "unpublished", "submitted", "manuscript"),
    "report": ("report", "technical"),
}
UNTITLED_KEYS = {"article": ("manuscripts",)}  # upstream's meaning of a key with no title


def category_for(kind: str, categories: Mapping[str, Any] | None) -> str | None:
    """The first category, in the site's order, whose title (or key) names `kind`; else None."""
    if not categories:
        return None
    prefixes = WORDS.get(kind, ())
    for key, spec in categories.items():
        title = spec.get("title") if isinstance(spec, dict) else None
        if not title and str(key) in UNTITLED_KEYS.get(kind, ()):
            return str(key)
        words = re.findall(r"[^\W\d_]+", str(title or key).casefold())
        if any(word.startswith(prefixes) for word in words):
            return str(key)
    return None
