"""A Jekyll document: front matter split from the body exactly as Jekyll splits it.

The original text is kept whole; offsets point into it, so an editor can splice a change into
the front matter and leave every other byte as it was.
"""

from __future__ import annotations

import re
from typing import NamedTuple

BOM = "\ufeff"

# Jekyll's YAML_FRONT_MATTER_REGEXP, with Ruby's ASCII-only \s spelled out, is
#   \A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)   (multi-line, dot matches newline)
# Its lazy middle makes it the earliest closing line after the opener: matched here in two steps,
# which the regex engine does without trying the closer at every character.
_WS = r"[ \t\r\n\f\v]"
_OPENER = re.compile(rf"---{_WS}*\n")
_CLOSER = re.compile(rf"^(?:---|\.\.\.){_WS}*$\n?", re.MULTILINE)
# Utils.has_yaml_header?: what decides whether Jekyll treats a file as a document at all.
# It reads raw bytes, so a byte-order mark in front of `---` hides the front matter.
YAML_HEADER = re.compile(rf"\A---{_WS}*\r?\n")


class Document(NamedTuple):
    """A text file, maybe with front matter. `text` excludes a leading BOM (see `bom`)."""

    text: str
    bom: bool
    front_matter_end: int  # offset just past the closing delimiter line; 0 without front matter
    yaml_end: int  # offset where the YAML (opener line included) ends: the closing delimiter

    @property
    def has_front_matter(self) -> bool:
        return self.front_matter_end > 0

    @property
    def front_matter(self) -> str:
        """The YAML Jekyll parses: from the opening `---` up to the closing delimiter."""
        return self.text[: self.yaml_end]

    @property
    def body(self) -> str:
        return self.text[self.front_matter_end :]

    @property
    def jekyll_sees_front_matter(self) -> bool:
        """False when a BOM stands before `---`: Jekyll then copies the file as a static file."""
        return self.has_front_matter and not self.bom

    @property
    def closing_line(self) -> int:
        """0-based line of the closing delimiter."""
        return self.text.count("\n", 0, self.yaml_end)


def parse_document(text: str) -> Document:
    bom = text.startswith(BOM)
    if bom:
        text = text[1:]
    opener = _OPENER.match(text) if text.startswith("---") else None
    closer = _CLOSER.search(text, opener.end()) if opener is not None else None
    if closer is None:
        return Document(text=text, bom=bom, front_matter_end=0, yaml_end=0)
    return Document(text=text, bom=bom, front_matter_end=closer.end(), yaml_end=closer.start())


def has_yaml_header(text: str) -> bool:
    return YAML_HEADER.match(text) is not None
