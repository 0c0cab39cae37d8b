"""Never twice: find the existing item a new one duplicates, by DOI, arXiv id or title."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from pagemgr.add.conventions import Existing
from pagemgr.add.record import ARXIV_IN_TEXT, DOI_IN_TEXT, normalise_title


@dataclass(frozen=True)
class Match:
    item: Existing
    reason: str  # "DOI 10.1/x", "arXiv 2401.01234", "title"


@dataclass
class Index:
    dois: dict[str, Existing]
    arxivs: dict[str, Existing]
    titles: dict[str, list[Existing]]

    def find(
        self,
        title: str | None,
        doi: str | None,
        arxiv: str | None,
        also: Callable[[Existing], bool] | None = None,
    ) -> Match | None:
        """The item with this DOI or arXiv id, else the first with this title (and `also`)."""
        if doi and doi.casefold() in self.dois:
            return Match(self.dois[doi.casefold()], f"DOI {doi}")
        if arxiv and arxiv.casefold() in self.arxivs:
            return Match(self.arxivs[arxiv.casefold()], f"arXiv {arxiv}")
        key = normalise_title(title) if title else ""
        for item in self.titles.get(key, []) if key else []:
            if also is None or also(item):
                return Match(item, "title")
        return None

    def add(self, item: Existing, title: str | None, doi: str | None, arxiv: str | None) -> None:
        """Record an item written in this run, so one BibTeX file cannot add a paper twice."""
        if doi:
            self.dois.setdefault(doi.casefold(), item)
        if arxiv:
            self.arxivs.setdefault(arxiv.casefold(), item)
        if title and normalise_title(title):
            self.titles.setdefault(normalise_title(title), []).append(item)


def build_index(existing: Sequence[Existing]) -> Index:
    index = Index({}, {}, {})
    for item in existing:
        for match in DOI_IN_TEXT.finditer(item.text):
            index.dois.setdefault(match.group(1).rstrip(".,;").casefold(), item)
        for match in ARXIV_IN_TEXT.finditer(item.text):
            index.arxivs.setdefault(match.group(1).casefold(), item)
        title = item.data.get("title")
        if isinstance(title, str | int | float) and normalise_title(str(title)):
            index.titles.setdefault(normalise_title(str(title)), []).append(item)
    return index
