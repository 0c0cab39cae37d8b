"""LaTeX in BibTeX fields to plain Unicode text, through pylatexenc.

Text-mode accents and commands become Unicode (`{\\"u}` -> ü, `\\lambda` -> λ, `--` -> en dash);
math stays as written between its dollars, for MathJax; `\\url{x}` is x and `\\LaTeX` is LaTeX;
braces that only protect case disappear. pylatexenc is imported on the first call, so only a
command that reads BibTeX pays for it.
"""

from __future__ import annotations

import functools
import html
import re
from collections.abc import Callable

_TAGS = re.compile(r"<[^>]{1,200}>")
# a comment and a column break in LaTeX, but plain text in the .bib values people write
_BARE_SPECIALS = re.compile(r"(?<!\\)([%&])")
_COMMAND = re.compile(r"\\(?:[A-Za-z]+\*?|.)")
_PAREN_MATH = re.compile(r"\\\((.*?)\\\)|\\\[(.*?)\\\]", re.DOTALL)
_LATEX_MARKS = frozenset("\\{}$-`'~")  # text without any of these reads the same in LaTeX
# (name, argument spec for the parser, text): what pylatexenc's defaults get wrong or lack
_MACROS = (
    ("url", "{", "%(1)s"),
    ("href", "{{", "%(2)s"),
    ("LaTeX", "", "LaTeX"),
    ("LaTeXe", "", "LaTeX2e"),
    ("TeX", "", "TeX"),
    ("BibTeX", "", "BibTeX"),
)


def latex_to_text(text: str) -> str:
    """The text a LaTeX field value shows, whitespace collapsed; `$...$` kept as written."""
    if _LATEX_MARKS.isdisjoint(text):
        return " ".join(text.split())
    source = _BARE_SPECIALS.sub(r"\\\1", text)
    try:
        value = _converter()(source)
    except Exception:  # pylatexenc is tolerant, but a field should never stop an import
        value = _COMMAND.sub("", source).replace("{", "").replace("}", "")
    return " ".join(_PAREN_MATH.sub(_dollars, value).split())


def _dollars(match: re.Match[str]) -> str:
    inline, display = match.group(1), match.group(2)
    return f"${inline}$" if inline is not None else f"$${display}$$"


def plain_title(text: str) -> str:
    """`text` without LaTeX commands and braces, cheaply: for comparing titles, not showing."""
    return _COMMAND.sub("", text).replace("{", "").replace("}", "")


def html_to_text(text: str) -> str:
    """Crossref titles and abstracts may carry <i>, <sub> or JATS tags: keep only the text."""
    return " ".join(html.unescape(_TAGS.sub("", text)).split())


@functools.cache
def _converter() -> Callable[[str], str]:
    import logging

    from pylatexenc import latexwalker, macrospec  # type: ignore[import-untyped]
    from pylatexenc.latex2text import (  # type: ignore[import-untyped]
        LatexNodes2Text,
        MacroTextSpec,
        get_default_latex_context_db,
    )

    logging.getLogger("pylatexenc").setLevel(logging.CRITICAL)  # tolerant parsing talks a lot
    walker_db = latexwalker.get_default_latex_context_db()
    walker_db.add_context_category(
        "pagemgr",
        prepend=True,
        macros=[macrospec.MacroSpec(name, args) for name, args, _ in _MACROS],
    )
    text_db = get_default_latex_context_db()
    text_db.add_context_category(
        "pagemgr",
        prepend=True,
        macros=[MacroTextSpec(name, simplify_repl=repl) for name, _, repl in _MACROS],
    )
    converter = LatexNodes2Text(
        latex_context=text_db, math_mode="verbatim", keep_braced_groups=False
    )

    def convert(text: str) -> str:
        return str(converter.latex_to_text(text, latex_context=walker_db, tolerant_parsing=True))

    return convert
