"""LaTeX in BibTeX fields to plain Unicode text."""

from __future__ import annotations

import html
import re

_SIMPLE_MATH = re.compile(r"\$([^$\\]{1,40})\$")
_COMMAND_LEFT = re.compile(r"\\(?:emph|textit|textbf|textsc|textrm|texttt|mathrm|mathit|text)\s*")
_TAGS = re.compile(r"<[^>]{1,200}>")


def latex_to_text(text: str) -> str:
    """`{\\"u}` -> ü, `--` -> en dash, braces removed, whitespace collapsed."""
    from bibtexparser.latexenc import latex_to_unicode

    value = _COMMAND_LEFT.sub("", text).replace("``", "\u201c").replace("''", "\u201d")
    value = latex_to_unicode(value)
    value = value.replace("---", "\u2014").replace("--", "\u2013")
    value = value.replace("\\&", "&").replace("\\%", "%").replace("\\_", "_").replace("\\$", "$")
    value = value.replace("~", " ")
    value = value.replace("{", "").replace("}", "")
    value = _SIMPLE_MATH.sub(r"\1", value)
    return " ".join(value.split())


def html_to_text(text: str) -> str:
    """Crossref titles and abstracts may carry <i>, <sub> or JATS tags: keep only the text."""
    return " ".join(html.unescape(_TAGS.sub("", text)).split())
