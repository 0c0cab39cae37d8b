"""The template analysis (pagemgr.check.templates) held to what Jekyll really builds.

Each example under tests/examples/templates/ is a small site with its own layouts, includes and
list pages; each claim the analysis makes about it is checked against the HTML Debian's jekyll
builds from it (skipped without jekyll, failed with PAGEMGR_REQUIRE_JEKYLL=1).
"""

from __future__ import annotations

import datetime as dt
import html
import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import EXAMPLES, REPO, SHARED, require_jekyll
from pagemgr.check.templates import HIDDEN, TemplateFacts, Unreadable, site_templates
from pagemgr.site.model import load_site

TEMPLATES = EXAMPLES / "templates"
CORPUS = SHARED / "corpus"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@dataclass
class Built:
    returncode: int
    log: str
    dest: Path

    def text(self, rel: str) -> str:
        """The visible text of a built page, tags removed and whitespace collapsed."""
        return visible((self.dest / rel).read_text(encoding="utf-8"))

    def html(self, rel: str) -> str:
        return (self.dest / rel).read_text(encoding="utf-8")


def visible(markup: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", markup)).split())


def jekyll_build(site: Path, dest: Path) -> Built:
    jekyll = require_jekyll()
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    done = subprocess.run(
        [jekyll, "build", "-d", str(dest)],
        cwd=site,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    return Built(done.returncode, ANSI.sub("", done.stdout + done.stderr), dest)


def copied(name: str, tmp: Path) -> Path:
    site = tmp / name
    shutil.copytree(TEMPLATES / name, site)
    return site


def facts_of(site: Path) -> TemplateFacts | Unreadable:
    return site_templates(load_site(site, cached=False), use_cache=False)


def readable(site: Path) -> TemplateFacts:
    facts = facts_of(site)
    assert isinstance(facts, TemplateFacts), facts
    return facts


def heading_before(markup: str, title: str) -> str | None:
    """The last <h2> before the first place `title` shows in the built page."""
    at = markup.find(title)
    assert at >= 0, f"{title!r} is not on the page"
    headings = [visible(m.group(1)) for m in re.finditer(r"<h2[^>]*>(.*?)</h2>", markup[:at])]
    return headings[-1] if headings else None


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[object, Built]]:
    """Each example's analysis and its Jekyll build, made once for the module."""
    made: dict[str, tuple[object, Built]] = {}
    for folder in sorted(TEMPLATES.iterdir()):
        tmp = tmp_path_factory.mktemp(folder.name)
        site = copied(folder.name, tmp)
        made[folder.name] = (facts_of(site), jekyll_build(site, tmp / "_built"))
    return made


def built(example: dict[str, tuple[object, Built]], name: str) -> tuple[TemplateFacts, Built]:
    facts, build = example[name]
    assert isinstance(facts, TemplateFacts), facts
    assert build.returncode == 0, build.log
    return facts, build


# --- a bare venue, a list without a fallback loop (the academicpages way) ------------------------


def test_a_bare_venue_shows_the_gap_the_built_list_shows(example: dict) -> None:
    facts, build = built(example, "bare-no-fallback")
    use = facts.reads("publications", "venue")
    assert use is not None
    assert (use.kind, use.view, use.file) == ("bare", "list", "_includes/archive-single.html")
    year = dt.date.today().year
    assert use.shown == f"Published in , {year}"  # undated: Jekyll dates it with the build time
    listed = build.text("publications/index.html")
    assert f"An Undated Book Without Venue {use.shown}" in listed
    assert "A Conference Paper Without Venue Published in , 2020" in listed


def test_a_bare_venue_on_the_paper_s_own_page(example: dict) -> None:
    facts, build = built(example, "bare-no-fallback")
    page_uses = [u for u in facts.uses("publications", "venue") if u.view == "page"]
    assert [(u.kind, u.file, u.line) for u in page_uses] == [
        ("bare", "_layouts/single.html", 7),
        ("bare", "_layouts/single.html", 9),  # `!= "Working Paper"` lets a missing venue by
        ("guarded", "_layouts/single.html", 9),  # the test itself
    ]
    assert facts.shown_without("publications", "venue", view="page") == "Published in"
    page = build.html("publications/no-venue/index.html")
    assert '<p class="venue">Published in <i></i></p>' in page
    assert '<p class="status">Appeared in <i></i></p>' in page


def test_without_a_fallback_loop_an_unlisted_or_missing_category_is_hidden(example: dict) -> None:
    facts, build = built(example, "bare-no-fallback")
    assert facts.publication_heading("posters") is HIDDEN
    assert facts.publication_heading(None) is HIDDEN
    listed = build.html("publications/index.html")
    assert "A Poster Nobody Listed" not in listed
    assert "A Paper Without Category" not in listed
    for category, title in (
        ("conferences", "A Conference Paper Without Venue"),
        ("manuscripts", "A Journal Article"),
        ("books", "An Undated Book Without Venue"),
    ):
        assert facts.publication_heading(category) == heading_before(listed, title)
    assert facts.reads("publications", "category").kind == "filtered"


def test_jekyll_fills_a_missing_title_and_date(example: dict) -> None:
    facts, build = built(example, "bare-no-fallback")
    assert facts.filled_by_jekyll("publications", "title")
    assert facts.filled_by_jekyll("publications", "date")
    assert not facts.filled_by_jekyll("pages", "title")
    title = facts.reads("publications", "title")
    assert title is not None and title.kind == "bare" and title.shown is None
    assert "Untitled Paper Published in Journal of Names , 2016" in build.text(
        "publications/index.html"
    )


def test_a_key_printed_through_capture_is_bare(example: dict) -> None:
    facts, build = built(example, "bare-no-fallback")
    use = facts.reads("talks", "location")
    assert use is not None and use.kind == "bare"
    assert use.file == "_includes/archive-single-talk.html"
    assert use.shown == "Talk at"
    assert "A Talk Without Location Talk at" in build.text("talks/index.html")


def test_branches_for_other_collections_and_include_types_are_not_followed(example: dict) -> None:
    facts, _ = built(example, "bare-no-fallback")
    assert "type" not in facts.keys_read("publications")  # only the teaching branch prints it
    assert "header" not in facts.keys_read("publications")  # only `include.type == "grid"`
    assert facts.reads("talks", "type").kind == "guarded"  # `| default: "Talk"`


# --- guarded uses, a list with a fallback loop (the bundled site's way) --------------------------


def test_a_guarded_venue_prints_no_gap(example: dict) -> None:
    facts, build = built(example, "guarded-with-fallback")
    assert {u.kind for u in facts.uses("publications", "venue")} == {"guarded"}
    assert facts.shown_without("publications", "venue") is None
    listed = build.text("publications/index.html")
    assert "A Conference Paper Without Venue Other Publications" in listed
    assert "Published in ," not in listed
    assert "Published in" not in build.text("publications/no-venue/index.html")


def test_a_fallback_loop_lists_unlisted_and_missing_categories(example: dict) -> None:
    facts, build = built(example, "guarded-with-fallback")
    listed = build.html("publications/index.html")
    assert facts.publication_heading("posters") == "Other Publications"
    assert heading_before(listed, "A Poster Nobody Listed") == "Other Publications"
    assert facts.publication_heading(None) == "Other Publications"
    assert heading_before(listed, "A Paper Without Category") == "Other Publications"
    assert facts.publication_heading("books") == heading_before(listed, "A Paper In A Book")


def test_a_plugin_tag_does_not_stop_the_analysis(example: dict) -> None:
    facts, build = built(example, "guarded-with-fallback")
    assert "feed_meta" in facts.unknown_tags
    assert 'type="application/atom+xml"' in build.html("publications/index.html")


def test_include_parameters_are_followed(example: dict) -> None:
    facts, _ = built(example, "guarded-with-fallback")
    dates = {(u.file, u.view) for u in facts.uses("publications", "date")}
    assert ("_includes/pub-date.html", "list") in dates  # include.item.date, item=post
    assert ("_includes/pub-date.html", "page") in dates  # include.item.date, item=page


# --- a fork that renamed keys in its layouts -----------------------------------------------------


def test_keys_a_fork_s_layouts_read_are_known(example: dict) -> None:
    facts, build = built(example, "renamed-keys")
    assert {"pubsource", "codeurl"} <= facts.keys_read("publications")
    assert facts.reads("publications", "pubsource").kind == "filtered"
    assert facts.reads("publications", "codeurl").kind == "guarded"
    listed = build.html("publications/index.html")
    assert "A Paper Without Pubsource" not in listed
    assert 'href="https://example.org/code"' in listed


def test_when_another_key_decides_the_list_the_category_does_not_hide(example: dict) -> None:
    facts, build = built(example, "renamed-keys")
    assert facts.publications is not None and not isinstance(facts.publications, Unreadable)
    assert facts.publications.depends_on == ("pubsource",)
    assert facts.publication_heading("posters") == "Journal Articles"  # pubsource: journal
    listed = build.html("publications/index.html")
    assert heading_before(listed, "A Proceedings Paper") == "Conference Papers"


def test_a_markdown_list_page_s_headings_are_read(example: dict) -> None:
    facts, build = built(example, "renamed-keys")
    assert facts.publication_heading(None) == heading_before(
        build.html("publications/index.html"), "A Journal Paper With Code"
    )


def test_a_bare_use_in_an_empty_element(example: dict) -> None:
    facts, build = built(example, "renamed-keys")
    use = facts.reads("publications", "venue")
    assert use is not None and use.kind == "bare" and use.shown == ""
    assert '<p class="venue"></p>' in build.html("publications/index.html")


# --- sites whose templates cannot be read --------------------------------------------------------


def test_layouts_from_a_remote_theme_are_unreadable(example: dict) -> None:
    facts, build = example["remote-theme"]
    assert isinstance(facts, Unreadable)
    assert "academicpages/academicpages.github.io" in facts.reason
    assert "Layout 'single' requested in _publications/paper.md does not exist" in build.log


def test_an_include_liquid_cannot_parse_is_unreadable(example: dict) -> None:
    facts, build = example["syntax-error"]
    assert isinstance(facts, Unreadable)
    assert facts.reason.startswith("_includes/archive-single.html: '{% if %}' is never closed")
    assert build.returncode != 0
    assert "'if' tag was never closed" in build.log


# --- the bundled site ----------------------------------------------------------------------------


def test_the_bundled_site_guards_venue_and_date_and_lists_every_paper(tmp_path: Path) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "site", site)
    facts = readable(site)
    for key in ("venue", "date"):
        assert {u.kind for u in facts.uses("publications", key)} == {"guarded"}, key
    assert facts.publication_heading(None) == "Other Publications"
    assert facts.publication_heading("posters") == "Other Publications"
    build = jekyll_build(site, tmp_path / "_built")
    assert build.returncode == 0, build.log
    listed = build.text("publications/index.html")
    assert "Interpretability Analysis of Pre-trained" in listed
    assert "GenesisScene" in listed
    assert "Published in ," not in listed


# --- the cache -----------------------------------------------------------------------------------


def test_unchanged_templates_are_not_parsed_again(tmp_path: Path) -> None:
    site = copied("guarded-with-fallback", tmp_path)
    code = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from pagemgr.check.templates import site_templates
        from pagemgr.site.model import load_site
        facts = site_templates(load_site(Path(sys.argv[1])))
        print(type(facts).__name__, "liquid" in sys.modules)
        """
    )
    env = dict(os.environ, PAGEMGR_CACHE_DIR=str(tmp_path / "cache"))

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", code, str(site)],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        return done.stdout.strip()

    assert run() == "TemplateFacts True"
    assert run() == "TemplateFacts False"
    include = site / "_includes" / "archive-single.html"
    include.write_text(include.read_text().replace("{%- if post.venue %}", "{%- if true %}"))
    assert run() == "TemplateFacts True"


def test_a_changed_include_changes_the_facts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    site = copied("guarded-with-fallback", tmp_path)
    before = site_templates(load_site(site))
    assert isinstance(before, TemplateFacts)
    assert before.reads("publications", "venue").kind == "guarded"
    include = site / "_includes" / "archive-single.html"
    include.write_text(include.read_text().replace("{%- if post.venue %}", "{%- if true %}"))
    after = site_templates(load_site(site))
    assert isinstance(after, TemplateFacts)
    assert after.reads("publications", "venue").kind == "bare"


# --- how the walk reads Liquid (each construct, on a made-up site) -------------------------------


def small_site(tmp_path: Path, include: str, page: str | None = None) -> TemplateFacts:
    site = tmp_path / "small"
    for folder in ("_layouts", "_includes", "_pages"):
        (site / folder).mkdir(parents=True, exist_ok=True)
    config = {
        "include": ["_pages"],
        "collections": {"publications": {"output": True}, "teaching": {"output": True}},
        "publication_category": {"books": {"title": "Books"}},
    }
    (site / "_config.yml").write_text(json.dumps(config))
    (site / "_layouts" / "default.html").write_text("{{ content }}")
    (site / "_includes" / "item.html").write_text(textwrap.dedent(include))
    listing = page or "{% for post in site.publications %}{% include item.html %}{% endfor %}"
    (site / "_pages" / "publications.html").write_text(f"---\n---\n{listing}\n")
    return readable(site)


def kinds(facts: TemplateFacts, key: str, collection: str = "publications") -> set[str]:
    return {use.kind for use in facts.uses(collection, key)}


@pytest.mark.parametrize(
    ("include", "key", "expected"),
    [
        ("{{ post.venue }}", "venue", {"bare"}),
        ("{{ post.venue | default: 'n/a' }}", "venue", {"guarded"}),
        ("{% if post.venue %}{{ post.venue }}{% endif %}", "venue", {"guarded"}),
        ("{% unless post.venue %}-{% else %}{{ post.venue }}{% endunless %}", "venue", {"guarded"}),
        ("{% if post.a %}{% elsif post.venue %}{{ post.venue }}{% endif %}", "venue", {"guarded"}),
        ("{% assign v = post.venue | upcase %}<p>{{ v }}</p>", "venue", {"bare", "guarded"}),
        (
            "<h3>{{ post.title }}</h3>"
            "{% if post.venue != 'Draft' %}<i>{{ post.venue }}</i>{% endif %}",
            "venue",
            {"guarded", "bare"},
        ),
        (
            "<h3>{{ post.title }}</h3>"
            "{% if post.venue and post.venue != 'x' %}{{ post.venue }}{% endif %}",
            "venue",
            {"guarded"},
        ),
        ("{% if post.category == 'books' %}x{% endif %}", "category", {"filtered"}),
        (
            "<h3>{{ post.title }}</h3>{% if post.category == 'books' %}x{% endif %}",
            "category",
            {"guarded"},
        ),
        (
            "{% if post.category == 'books' %}{% continue %}{% endif %}{{ post.title }}",
            "category",
            {"filtered"},
        ),
        ("{% if post.category == nil %}x{% endif %}", "category", {"guarded"}),
        ("{% if post.collection == 'teaching' %}{{ post.type }}{% endif %}", "type", set()),
        ("{% if false and post.venue %}{{ post.venue }}{% endif %}", "venue", set()),
        (
            "{% case post.collection %}{% when 'teaching' %}{{ post.type }}{% endcase %}",
            "type",
            set(),
        ),
        ("{% include inner.html item=post %}", "venue", {"bare"}),
        ("{% highlight ruby %}{{ post.venue }}{% endhighlight %}", "venue", {"bare"}),
    ],
)
def test_how_each_construct_reads_a_key(
    tmp_path: Path, include: str, key: str, expected: set[str]
) -> None:
    (tmp_path / "small" / "_includes").mkdir(parents=True)
    (tmp_path / "small" / "_includes" / "inner.html").write_text("{{ include.item.venue }}")
    assert kinds(small_site(tmp_path, include), key) == expected


def test_where_filters_and_sorts_read_keys(tmp_path: Path) -> None:
    page = (
        '{% assign pubs = site.publications | where: "featured", true | sort: "year" %}'
        "{% for post in pubs %}{% include item.html %}{% endfor %}"
    )
    facts = small_site(tmp_path, "{{ post.title }}", page)
    assert kinds(facts, "featured") == {"filtered"}
    assert kinds(facts, "year") == {"guarded"}


def test_a_loop_over_every_collection_reads_each(tmp_path: Path) -> None:
    page = (
        "{% for collection in site.collections %}{% for post in collection.docs %}"
        "{% include item.html %}{% endfor %}{% endfor %}"
    )
    facts = small_site(
        tmp_path, "{% if post.collection == 'teaching' %}{{ post.type }}{% endif %}", page
    )
    assert kinds(facts, "type", "teaching") == {"bare"}
    assert kinds(facts, "type", "publications") == set()


def test_a_stray_end_tag_is_a_syntax_error(tmp_path: Path) -> None:
    site = tmp_path / "small"
    (site / "_layouts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: x\n")
    (site / "_layouts" / "default.html").write_text("<p>\n{% endif %}\n")
    facts = facts_of(site)
    assert isinstance(facts, Unreadable)
    assert facts.reason.startswith("_layouts/default.html:2: unexpected tag 'endif'")


# --- the corpus ----------------------------------------------------------------------------------

CORPUS_SITES = sorted(p for p in CORPUS.iterdir() if p.is_dir()) if CORPUS.is_dir() else []


def require_corpus() -> None:
    if not CORPUS_SITES:
        pytest.skip(f"the corpus of real sites is not at {CORPUS}")


@pytest.mark.parametrize("name", [p.name for p in CORPUS_SITES] or ["(none)"])
def test_corpus_sites_are_read_without_error(name: str) -> None:
    require_corpus()
    facts = facts_of(CORPUS / name)
    # The corpus keeps content only: no site there has its layouts, so each says so.
    assert isinstance(facts, Unreadable)
    assert facts.reason == "the site has no _layouts/ folder and names no theme"


STAND_IN = {
    "_layouts/default.html": "<html><body>{{ content }}</body></html>\n",
    "_layouts/archive.html": "---\nlayout: default\n---\n{{ content }}\n",
    "_layouts/single.html": "---\nlayout: default\n---\n<h1>{{ page.title }}</h1>\n",
    "_includes/base_path": "",
    "_includes/archive-single.html": '<h3 class="item">{{ post.title }}</h3>\n',
}


@pytest.mark.parametrize("name", [p.name for p in CORPUS_SITES] or ["(none)"])
def test_corpus_publications_pages_hide_what_the_build_hides(name: str, tmp_path: Path) -> None:
    """The corpus's own publications page, with stand-in layouts and a stand-in item include
    (the corpus has none), and papers of every configured category, an unlisted one and none."""
    require_corpus()
    real = load_site(CORPUS / name, cached=False)
    site = tmp_path / name
    (site / "_pages").mkdir(parents=True)
    (site / "_publications").mkdir()
    for page in (CORPUS / name / "_pages").glob("publications.*"):
        shutil.copy(page, site / "_pages" / page.name)
    for rel, text in STAND_IN.items():
        (site / rel).parent.mkdir(exist_ok=True)
        (site / rel).write_text(text)
    categories = [str(key) for key in real.publication_categories or {}]
    config = {
        "title": name,
        "include": ["_pages"],
        "collections": {"publications": {"output": True, "permalink": "/:collection/:path/"}},
        "defaults": [
            {"scope": {"path": "", "type": "publications"}, "values": {"layout": "single"}},
            {"scope": {"path": "", "type": "pages"}, "values": {"layout": "archive"}},
        ],
    }
    if real.publication_categories:
        config["publication_category"] = real.publication_categories
    (site / "_config.yml").write_text(json.dumps(config))
    papers = {f"Pagemgr Probe {c.title()}": c for c in categories}
    papers |= {"Pagemgr Probe Unlisted": "pagemgr-posters", "Pagemgr Probe None": None}
    for number, (title, category) in enumerate(papers.items()):
        line = f"category: {category}\n" if category else ""
        (site / "_publications" / f"p{number}.md").write_text(f"---\ntitle: {title}\n{line}---\n")
    facts = readable(site)
    build = jekyll_build(site, tmp_path / "_built")
    assert build.returncode == 0, build.log
    listed = build.html("publications/index.html")
    for title, category in papers.items():
        heading = facts.publication_heading(category)
        if heading is HIDDEN:
            assert title not in listed, (title, category)
        else:
            assert heading == heading_before(listed, title), (title, category)
