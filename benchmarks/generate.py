"""Write a deterministic academicpages-style Jekyll site for the benchmarks.

Layout of the generated documents (``index`` runs from 0 to ``n_docs - 1``):

* The collection comes from ``index % 20``: 14 of 20 go to ``_publications/`` (70 %),
  3 to ``_talks/`` (15 %), 1 to ``_teaching/`` (5 %) and 2 to ``_posts/`` (10 %).
* Every file stem ends in ``-<index>`` (at least five digits), so stems and permalinks are unique.
* Every 100th document (``index % 100 == 0``, always a publication) is broken, cycling through
  :data:`BROKEN_KINDS`. Each broken file carries exactly one defect:

  ``missing-venue``  no ``venue`` key;
  ``unknown-key``    an extra key ``venu`` next to a correct ``venue``;
  ``bad-date``       ``date: 2009-13-45`` (month 13, day 45);
  ``yaml-syntax``    the title's double quote is never closed;
  ``bad-category``   ``category: preprints``, which is not in ``publication_category``.

* Style traits are drawn per document from ``random.Random`` seeded with (seed, index), so a
  document is the same whatever ``n_docs`` is: about 5 % CRLF files, 10 % with ``# comments``,
  5 % unicode titles, double-quoted / single-quoted (with ``''``) / plain values, flow and block
  tags, and a body of about 2 KB.

Bump :data:`GENERATOR_VERSION` when the output changes; the runner also hashes this file.
"""

from __future__ import annotations

import datetime as dt
import functools
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

GENERATOR_VERSION = 2

COLLECTION_CYCLE: tuple[str, ...] = (
    ("publications",) * 14 + ("talks",) * 3 + ("teaching",) + ("posts",) * 2
)
COLLECTION_DIRS: dict[str, str] = {
    "publications": "_publications",
    "talks": "_talks",
    "teaching": "_teaching",
    "posts": "_posts",
}
BROKEN_EVERY = 100
BROKEN_KINDS: tuple[str, ...] = (
    "missing-venue",
    "unknown-key",
    "bad-date",
    "yaml-syntax",
    "bad-category",
)
CATEGORIES: tuple[str, ...] = ("books", "manuscripts", "conferences")
BAD_CATEGORY = "preprints"
BAD_DATE = "2009-13-45"
SITE_URL = "https://jdoe.github.io"
# Paper, slide and BibTeX links point off-site, so that no local file is expected for them.
FILES_URL = "https://files.example.org/jdoe"
LAYOUTS: tuple[str, ...] = ("default", "single", "talk", "archive")

_TOPICS = (
    "Graph Neural Networks",
    "Sparse Linear Solvers",
    "Bayesian Inference",
    "Coral Reef Ecology",
    "Medieval Trade Routes",
    "Protein Folding",
    "Urban Heat Islands",
    "Quantum Error Correction",
    "Labour Economics",
    "Reinforcement Learning",
    "Glacier Dynamics",
    "Language Acquisition",
)
_FORMS = (
    "A Study of",
    "Revisiting",
    "Scalable Methods for",
    "Notes on",
    "Towards Robust",
    "An Empirical Analysis of",
    "Fast Algorithms for",
    "Rethinking",
)
_UNICODE_TITLES = (
    "基于深度学习的图像分割方法研究",
    "Étude des systèmes dynamiques non linéaires",
    "Über die Stabilität großer Netzwerke",
    "Análisis de la señal en redes móviles",
    "城市热岛效应的时空演变",
    "Modèles réduits pour l'écoulement à surface libre",
)
_VENUES = (
    "Journal of Applied Computation",
    "Proceedings of the Workshop on Data",
    "Annals of Ecology",
    "Transactions on Learning Systems",
    "Review of Economic Studies",
    "Physical Review Letters",
)
_UNIVERSITIES = (
    "UC San Francisco, Department of Testing",
    "University of Oslo, Institute of Informatics",
    "ETH Zürich, D-INFK",
    "Tsinghua University, Department of Automation",
    "University of Toronto, Faculty of Music",
    "Sorbonne Université, LIP6",
)
_LOCATIONS = (
    "San Francisco, CA, USA",
    "Oslo, Norway",
    "Zürich, Switzerland",
    "Beijing, China",
    "Toronto, ON, Canada",
    "Paris, France",
)
_TALK_TYPES = ("Talk", "Tutorial", "Conference proceedings talk")
_TEACHING_TYPES = ("Undergraduate course", "Graduate course", "Workshop")
_TAGS = (
    "machine learning",
    "graphs",
    "ecology",
    "numerics",
    "history",
    "open science",
    "statistics",
    "teaching",
    "software",
    "reproducibility",
)
_WORDS = (
    "the",
    "model",
    "data",
    "results",
    "method",
    "analysis",
    "we",
    "show",
    "that",
    "under",
    "a",
    "robust",
    "simple",
    "approach",
    "for",
    "network",
    "sample",
    "error",
    "bound",
    "convergence",
    "estimate",
    "large",
    "small",
    "study",
    "figure",
    "table",
    "section",
    "experiment",
    "baseline",
    "proposed",
    "general",
    "case",
    "theory",
    "practice",
    "signal",
    "noise",
    "structure",
    "time",
    "space",
    "effect",
    "measure",
    "random",
    "variable",
    "process",
    "system",
    "design",
    "evaluation",
    "performance",
)


@dataclass(frozen=True)
class Traits:
    """Per-document style choices, drawn from the document's own random stream."""

    crlf: bool
    comments: bool
    unicode_title: bool
    title_style: str  # "double" | "single" | "plain"
    tags: str  # "none" | "flow" | "block"
    escaped_excerpt: bool
    rule_in_body: bool


@dataclass(frozen=True)
class Doc:
    """Everything needed to render one document."""

    index: int
    collection: str
    broken: str | None
    date: dt.date
    traits: Traits
    rng: random.Random

    @property
    def number(self) -> str:
        return f"{self.index:05d}"


def collection_for(index: int) -> str:
    """The collection of document ``index`` (70/15/5/10 % over every 20 documents)."""
    return COLLECTION_CYCLE[index % len(COLLECTION_CYCLE)]


def broken_kind(index: int) -> str | None:
    """The defect of document ``index``, or None: every 100th document, cycling the kinds."""
    if index % BROKEN_EVERY:
        return None
    return BROKEN_KINDS[(index // BROKEN_EVERY) % len(BROKEN_KINDS)]


def document_path(index: int, seed: int = 0) -> str:
    """The site-relative path of document ``index``, e.g. ``_talks/2012-03-01-talk-00014.md``."""
    doc = _make_doc(index, seed)
    return f"{COLLECTION_DIRS[doc.collection]}/{_stem(doc)}.md"


def broken_documents(n_docs: int, seed: int = 0) -> dict[str, str]:
    """Site-relative path -> defect kind, for every broken document of an ``n_docs`` site."""
    return {
        document_path(index, seed): kind
        for index in range(0, n_docs, BROKEN_EVERY)
        if (kind := broken_kind(index)) is not None
    }


def generate_site(root: Path, n_docs: int, seed: int = 0) -> None:
    """Write the site under ``root`` (which should be empty or absent)."""
    for sub in ("_data", "_layouts", "_pages", *COLLECTION_DIRS.values()):
        (root / sub).mkdir(parents=True, exist_ok=True)
    for layout in LAYOUTS:
        _write(root / "_layouts" / f"{layout}.html", _layout_html(layout))
    _write(root / "_config.yml", _config_yml())
    _write(root / "_data" / "navigation.yml", _navigation_yml())
    _write(root / "_pages" / "about.md", _about_md())
    _write(root / "_pages" / "publications.html", _publications_html())
    paragraphs = _paragraphs(seed)
    for index in range(n_docs):
        doc = _make_doc(index, seed)
        path = root / COLLECTION_DIRS[doc.collection] / f"{_stem(doc)}.md"
        _write(path, _render(doc, paragraphs), crlf=doc.traits.crlf)


def _write(path: Path, text: str, crlf: bool = False) -> None:
    if crlf:
        text = text.replace("\n", "\r\n")
    path.write_bytes(text.encode("utf-8"))


# --- per-document choices -------------------------------------------------------------------


def _make_doc(index: int, seed: int) -> Doc:
    rng = random.Random(seed * 1_000_003 + index)
    collection = collection_for(index)
    date = _draw_date(rng)
    if collection == "teaching":
        date = dt.date(date.year, 1 if index % 2 else 9, 1)
    return Doc(index, collection, broken_kind(index), date, _draw_traits(rng), rng)


def _draw_date(rng: random.Random) -> dt.date:
    return dt.date(rng.randint(2000, 2025), rng.randint(1, 12), rng.randint(1, 28))


def _draw_traits(rng: random.Random) -> Traits:
    style_roll = rng.random()
    tags_roll = rng.random()
    return Traits(
        crlf=rng.random() < 0.05,
        comments=rng.random() < 0.10,
        unicode_title=rng.random() < 0.05,
        title_style="double" if style_roll < 0.6 else "single" if style_roll < 0.85 else "plain",
        tags="none" if tags_roll < 0.6 else "flow" if tags_roll < 0.8 else "block",
        escaped_excerpt=rng.random() < 0.2,
        rule_in_body=rng.random() < 0.1,
    )


def _stem(doc: Doc) -> str:
    day = doc.date.isoformat()
    if doc.collection == "publications":
        return f"{day}-paper-title-number-{doc.number}"
    if doc.collection == "talks":
        return f"{day}-talk-{doc.number}"
    if doc.collection == "teaching":
        season = "spring" if doc.date.month == 1 else "fall"
        return f"{doc.date.year}-{season}-teaching-{doc.number}"
    return f"{day}-blog-post-{doc.number}"


# --- scalar rendering -----------------------------------------------------------------------


def _dq(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _sq(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _title_text(doc: Doc) -> str:
    if doc.traits.unicode_title:
        return f"{doc.rng.choice(_UNICODE_TITLES)} {doc.number}"
    topic = doc.rng.choice(_TOPICS)
    if doc.traits.title_style == "single":
        return f"A Practitioner's Guide to {topic} {doc.number}"
    return f"{doc.rng.choice(_FORMS)} {topic} {doc.number}"


def _title_line(doc: Doc) -> str:
    text = _title_text(doc)
    if doc.broken == "yaml-syntax":
        return f'title: "Unclosed quote in {text}'
    if doc.traits.unicode_title or doc.traits.title_style == "double":
        return f"title: {_dq(text)}"
    if doc.traits.title_style == "single":
        return f"title: {_sq(text)}"
    return f"title: {text}"


def _date_line(doc: Doc) -> str:
    value = BAD_DATE if doc.broken == "bad-date" else doc.date.isoformat()
    comment = "  # same as the file name" if doc.traits.comments else ""
    return f"date: {value}{comment}"


def _tag_lines(doc: Doc) -> list[str]:
    if doc.traits.tags == "none":
        return []
    tags = doc.rng.sample(_TAGS, 2 + doc.index % 2)
    if doc.traits.tags == "flow":
        return [f"tags: [{', '.join(tags)}]"]
    return ["tags:", *(f"  - {tag}" for tag in tags)]


def _comment_lines(doc: Doc) -> list[str]:
    if not doc.traits.comments:
        return []
    return [f"# entry {doc.number}, imported from the CV spreadsheet"]


# --- front matter per collection ------------------------------------------------------------


def _publication_lines(doc: Doc) -> list[str]:
    stem = _stem(doc)
    venue = doc.rng.choice(_VENUES)
    category = BAD_CATEGORY if doc.broken == "bad-category" else doc.rng.choice(CATEGORIES)
    excerpt = "This paper's main result" if doc.traits.escaped_excerpt else "This paper is about"
    lines = [
        _title_line(doc),
        "collection: publications",
        f"category: {category}",
        f"permalink: /publication/{stem}",
        *_comment_lines(doc),
        f"excerpt: {_sq(excerpt + ' the number ' + doc.number + '.')}",
        _date_line(doc),
    ]
    if doc.broken != "missing-venue":
        lines.append(f"venue: {_sq(venue)}")
    if doc.broken == "unknown-key":
        lines.append(f"venu: {_sq(venue)}")
    return lines + _publication_links(doc, venue)


def _publication_links(doc: Doc, venue: str) -> list[str]:
    files = FILES_URL
    lines = [f"paperurl: {_sq(f'{files}/paper{doc.number}.pdf')}"]
    if doc.index % 2:
        lines.append(f"slidesurl: {_sq(f'{files}/slides{doc.number}.pdf')}")
    if doc.index % 3:
        lines.append(f"bibtexurl: {_sq(f'{files}/bibtex{doc.number}.bib')}")
    citation = (
        f"Doe, Jane and Roe, Richard. ({doc.date.year}). &quot;Paper {doc.number}.&quot; "
        f"<i>{venue}</i>. {doc.index % 40 + 1}({doc.index % 4 + 1})."
    )
    return [*lines, f"citation: {_sq(citation)}", *_tag_lines(doc)]


def _event_lines(doc: Doc, kind: str, permalink: str) -> list[str]:
    return [
        _title_line(doc),
        f"collection: {doc.collection}",
        f"type: {_dq(kind)}",
        f"permalink: {permalink}",
        *_comment_lines(doc),
        f"venue: {_dq(doc.rng.choice(_UNIVERSITIES))}",
        _date_line(doc),
        f"location: {_dq(doc.rng.choice(_LOCATIONS))}",
        *_tag_lines(doc),
    ]


def _talk_lines(doc: Doc) -> list[str]:
    return _event_lines(doc, doc.rng.choice(_TALK_TYPES), f"/talks/{_stem(doc)}")


def _teaching_lines(doc: Doc) -> list[str]:
    return _event_lines(doc, doc.rng.choice(_TEACHING_TYPES), f"/teaching/{_stem(doc)}")


def _post_lines(doc: Doc) -> list[str]:
    slug = f"blog-post-{doc.number}"
    permalink = f"/posts/{doc.date.year:04d}/{doc.date.month:02d}/{slug}/"
    return [
        _title_line(doc),
        _date_line(doc),
        f"permalink: {permalink}",
        *_comment_lines(doc),
        *_tag_lines(doc),
    ]


_FRONT_MATTER: dict[str, Callable[[Doc], list[str]]] = {
    "publications": _publication_lines,
    "talks": _talk_lines,
    "teaching": _teaching_lines,
    "posts": _post_lines,
}


def _render(doc: Doc, paragraphs: tuple[str, ...]) -> str:
    front = "\n".join(_FRONT_MATTER[doc.collection](doc))
    return f"---\n{front}\n---\n{_body(doc, paragraphs)}"


# --- bodies ---------------------------------------------------------------------------------


@functools.lru_cache(maxsize=4)
def _paragraphs(seed: int) -> tuple[str, ...]:
    rng = random.Random(seed)
    return tuple(_paragraph(rng) for _ in range(64))


def _paragraph(rng: random.Random) -> str:
    sentences: list[str] = []
    while sum(len(s) + 1 for s in sentences) < 420:
        words = rng.choices(_WORDS, k=rng.randint(8, 16))
        if rng.random() < 0.2:
            words[2] = f"**{words[2]}**"
        sentences.append(" ".join(words).capitalize() + ".")
    return " ".join(sentences)


def _body(doc: Doc, paragraphs: tuple[str, ...]) -> str:
    chosen = doc.rng.sample(paragraphs, 4)
    intro = f"\nThis is entry {doc.number}. See [the PDF]({FILES_URL}/{doc.number}.pdf)."
    parts = [intro, *chosen]
    if doc.traits.rule_in_body:
        parts.insert(3, "---")
    parts.append("- first point\n- second point\n- third point")
    return "\n\n".join(parts) + "\n"


# --- site-level files -----------------------------------------------------------------------


def _config_yml() -> str:
    collections = "".join(
        f"  {name}:\n    output: true\n    permalink: /:collection/:path/\n"
        for name in ("teaching", "publications", "portfolio", "talks")
    )
    categories = "".join(
        f"  {key}:\n    title: '{title}'\n"
        for key, title in zip(
            CATEGORIES, ("Books", "Journal Articles", "Conference Papers"), strict=True
        )
    )
    return (
        'locale: "en-US"\n'
        'title: "Jane Doe / Research"\n'
        'name: &name "Jane Doe"\n'
        'description: &description "Personal academic site"\n'
        f"url: {SITE_URL} # the base hostname and protocol\n"
        'baseurl: ""\n'
        'repository: "jdoe/jdoe.github.io"\n'
        "include:\n  - _pages\n"
        "author:\n"
        '  avatar: "profile.png"\n'
        "  name: *name\n"
        '  bio: "Researcher in applied computation"\n'
        '  location: "Earth"\n'
        '  email: "jane@example.org"\n'
        '  github: "jdoe"\n'
        '  googlescholar: "https://scholar.google.com/citations?user=XXXX"\n'
        '  orcid: "https://orcid.org/0000-0002-1825-0097"\n'
        f"publication_category:\n{categories}"
        "future: true\n"
        "markdown: kramdown\n"
        f"collections:\n{collections}"
        f"defaults:\n{_defaults_yml()}"
        "plugins:\n  - jekyll-feed\n  - jekyll-sitemap\n"
    )


def _defaults_yml() -> str:
    layouts = {"posts": "single", "pages": "single", "publications": "single"}
    layouts |= {"teaching": "single", "portfolio": "single", "talks": "talk"}
    return "".join(
        f'  - scope:\n      path: ""\n      type: {kind}\n'
        f"    values:\n      layout: {layout}\n      author_profile: true\n"
        for kind, layout in layouts.items()
    )


def _layout_html(name: str) -> str:
    if name == "default":
        return "<!doctype html>\n<html><body>{{ content }}</body></html>\n"
    return f'---\nlayout: default\n---\n<article class="{name}">{{{{ content }}}}</article>\n'


def _navigation_yml() -> str:
    return (
        "# main links\n"
        "main:\n"
        '  - title: "Publications"\n'
        "    url: /publications/\n"
        '  - title: "About"\n'
        "    url: /\n"
    )


def _about_md() -> str:
    return (
        "---\n"
        "permalink: /\n"
        'title: "About me"\n'
        "author_profile: true\n"
        "redirect_from:\n"
        "  - /about/\n"
        "  - /about.html\n"
        "---\n\n"
        "I am a researcher. This site was generated for benchmarking.\n"
    )


def _publications_html() -> str:
    return (
        "---\n"
        "layout: archive\n"
        'title: "Publications"\n'
        "permalink: /publications/\n"
        "author_profile: true\n"
        "---\n\n"
        "{% include base_path %}\n"
        "{% for category in site.publication_category %}\n"
        "  <h2>{{ category[1].title }}</h2>\n"
        "  {% for post in site.publications reversed %}\n"
        "    {% if post.category == category[0] %}{% include archive-single.html %}{% endif %}\n"
        "  {% endfor %}\n"
        "{% endfor %}\n"
    )
