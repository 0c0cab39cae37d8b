"""Site-wide rules end to end: options, settings, suppressions, output formats, URL computation."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urljoin

import pytest
from jsonschema import Draft7Validator

from conftest import EXAMPLES, REPO, make_site, require_jekyll, run_cli
from pagemgr.check.findings import CheckResult, Finding
from pagemgr.check.reporters import github_line
from pagemgr.check.rules import RULES
from pagemgr.site import urls

SARIF_SCHEMA = Path(__file__).with_name("data") / "sarif-2.1.0-trimmed.schema.json"


def rules_found(*args: str | Path) -> tuple[int, list[str]]:
    result = run_cli("check", *args, "--format", "json")
    return result.exit_code, sorted(f["rule"] for f in result.json()["findings"])


def test_select_and_ignore(tmp_path: Path) -> None:
    site = make_site(tmp_path, EXAMPLES / "negative" / "redirect-collision")
    assert rules_found("--site", site) == (1, ["redirect-collision"] * 2)
    assert rules_found("--site", site, "--ignore", "redirect-collision") == (0, [])
    assert rules_found("--site", site, "--select", "date-mismatch,unknown-key") == (0, [])


@pytest.mark.parametrize("option", ["--select", "--ignore"])
def test_unknown_rule_is_a_usage_error(tmp_path: Path, option: str) -> None:
    result = run_cli("check", "--site", make_site(tmp_path), option, "no-such-rule")
    assert result.exit_code == 2 and "no-such-rule" in result.stderr


def test_config_severity_override_and_ignore(tmp_path: Path) -> None:
    site = make_site(tmp_path, EXAMPLES / "negative" / "date-mismatch")
    config = site / "_config.yml"
    config.write_text(config.read_text() + "pagemgr:\n  severity:\n    date-mismatch: error\n")
    assert rules_found("--site", site) == (1, ["date-mismatch"])
    config.write_text(config.read_text() + "  ignore: ['_publications/2021-*']\n")
    assert rules_found("--site", site) == (0, [])


def test_config_severity_with_unknown_rule_is_a_usage_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(config.read_text() + "pagemgr:\n  severity:\n    no-such-rule: 'off'\n")
    result = run_cli("check", "--site", site)
    assert result.exit_code == 2 and "no-such-rule" in result.stderr


def test_checking_one_file_keeps_the_whole_site_as_context(tmp_path: Path) -> None:
    site = make_site(tmp_path, EXAMPLES / "negative" / "output-collision")
    result = run_cli("check", "--site", site, "--format", "json", site / "_pages" / "paper.md")
    found = [(f["rule"], f["path"]) for f in result.json()["findings"]]
    assert found == [("output-collision", "_pages/paper.md")]
    assert "_publications/2020-01-01-paper.md" in result.json()["findings"][0]["message"]


def test_github_format_escapes_data_and_properties() -> None:
    finding = Finding("a,b:c.md", 3, 4, "error", "broken-link", "50% done\r\nnext", "a hint")
    line = github_line(CheckResult(), finding)
    assert line == (
        "::error file=a%2Cb%3Ac.md,line=3,col=4,title=broken-link::"
        "50%25 done%0D%0Anext%0Ahint: a hint"
    )


def test_github_format_on_the_bundled_site(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    result = run_cli("check", "--format", "github")
    assert result.exit_code == 0  # warnings only: its own layouts guard what it lacks (issue 16)
    assert any(
        line.startswith("::warning file=site/_pages/about.md,line=14,col=9,title=broken-link::")
        and "mailto:2598536686@qq.com" in line
        for line in result.stdout.splitlines()
    )


def test_sarif_output_validates_against_the_schema(tmp_path: Path) -> None:
    site = make_site(tmp_path, EXAMPLES / "negative" / "unpublished-linked")
    result = run_cli("check", "--site", site, "--format", "sarif")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    Draft7Validator(json.loads(SARIF_SCHEMA.read_text())).validate(document)
    run = document["runs"][0]
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == list(RULES)
    assert {r["ruleId"] for r in run["results"]} == {"unpublished-linked"}
    assert all(
        r["locations"][0]["physicalLocation"]["region"]["startLine"] >= 1 for r in run["results"]
    )


def test_every_rule_has_a_docs_section_with_examples() -> None:
    text = (REPO / "docs" / "rules.md").read_text()
    sections = dict(re.findall(r"^## (\S+)\n(.*?)(?=^## |\Z)", text, re.M | re.S))
    assert set(sections) == set(RULES)
    for rule_id, body in sections.items():
        assert f"**{RULES[rule_id].severity}**" in body
        assert "Bad:" in body and "Good:" in body


@pytest.mark.parametrize(
    ("template", "rel", "expected"),
    [
        ("/:collection/:path/", "foo.md", "/publications/foo/"),
        ("/:collection/:path:output_ext", "sub/foo.md", "/publications/sub/foo.html"),
        (urls.style_template("date"), "2021-03-04-hi.md", "/news/2021/03/04/hi.html"),
        (urls.style_template("pretty"), "2021-03-04-hi.md", "/news/2021/03/04/hi/"),
        (urls.style_template("ordinal"), "2021-03-04-hi.md", "/news/2021/063/hi.html"),
        (urls.style_template("none"), "2021-03-04-hi.md", "/news/hi.html"),
        ("/:categories/:title/", "2021-03-04-Hi There.md", "/news/Hi-There/"),
    ],
)
def test_document_urls(template: str, rel: str, expected: str) -> None:
    label = "publications" if ":collection" in template else "posts"
    assert urls.document_url(template, label, rel, dt.date(2021, 3, 4), ["News"]) == expected


@pytest.mark.parametrize(
    ("rel", "permalink", "style", "url", "dest"),
    [
        ("_pages/about.md", "/", "date", "/", "index.html"),
        ("_pages/cv.md", "/cv/", "date", "/cv/", "cv/index.html"),
        ("_pages/talkmap.html", "/talkmap.html", "date", "/talkmap.html", "talkmap.html"),
        ("_pages/x.md", "/publication/x", "date", "/publication/x", "publication/x.html"),
        ("_pages/notes.md", None, "date", "/_pages/notes.html", "_pages/notes.html"),
        (
            "_pages/notes.md",
            None,
            "/:categories/:title/",
            "/_pages/notes/",
            "_pages/notes/index.html",
        ),
        ("docs/index.md", None, "date", "/docs/", "docs/index.html"),
    ],
)
def test_page_urls(rel: str, permalink: str | None, style: str, url: str, dest: str) -> None:
    assert urls.page_url(rel, permalink, style) == url
    assert urls.destination(url) == dest


def test_unknown_placeholder_is_reported_not_crashed(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2021-x.md").write_text(
        "---\ntitle: X\ncollection: publications\ncategory: manuscripts\ndate: 2021-01-01\n"
        "venue: J\npermalink: /:nosuch/x/\n---\n"
    )
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.exit_code == 1
    assert [(f["rule"], f["path"], f["line"]) for f in result.json()["findings"]] == [
        ("bad-permalink", "_publications/2021-x.md", 7)
    ]


def test_unknown_placeholder_in_a_collection_pattern_is_reported_once(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(
        config.read_text().replace(
            "  talks:\n    output: true\n    permalink: /:collection/:path/\n",
            "  talks:\n    output: true\n    permalink: /:collection/:nosuch/\n",
        )
    )
    (site / "_talks").mkdir()
    for day in (1, 2):
        (site / "_talks" / f"2021-01-0{day}-t.md").write_text(
            f'---\ntitle: "T{day}"\ndate: 2021-01-0{day}\n---\n'
        )
    result = run_cli("check", "--site", site, "--format", "json")
    found = [(f["rule"], f["path"]) for f in result.json()["findings"]]
    assert found == [("bad-permalink", "_config.yml")]


def test_unquoted_off_in_the_severity_block_means_off(tmp_path: Path) -> None:
    from conftest import make_site, run_cli

    site = make_site(tmp_path)
    (site / "_publications" / "2021-x.md").write_text(
        '---\ntitle: "X"\ncategory: manuscripts\ndate: 2021-01-01\nvenue: J\nvenu: J\n---\n'
    )
    config = site / "_config.yml"
    config.write_text(config.read_text() + "pagemgr:\n  severity: {unknown-key: off}\n")
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.exit_code == 0, result.stderr
    assert result.json()["findings"] == []


@pytest.mark.parametrize(
    ("option", "typo", "guess"),
    [("--select", "date-missmatch", "date-mismatch"), ("--ignore", "brokenlink", "broken-link")],
)
def test_a_mistyped_rule_id_gets_a_did_you_mean(
    tmp_path: Path, option: str, typo: str, guess: str
) -> None:
    result = run_cli("check", "--site", make_site(tmp_path), option, typo)
    assert result.exit_code == 2
    assert f"unknown rule {typo} (did you mean '{guess}'?)" in result.stderr


def test_a_mistyped_rule_in_the_severity_block_gets_a_did_you_mean(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(config.read_text() + "pagemgr:\n  severity:\n    unknown-keys: 'off'\n")
    result = run_cli("check", "--site", site)
    assert result.exit_code == 2 and "did you mean 'unknown-key'?" in result.stderr


POSTS = {
    "2012-08-14-blog-post-1": "/posts/2012/08/blog-post-1/",
    "2013-08-14-blog-post-2": "/posts/2013/08/blog-post-2/",
    "2014-08-14-blog-post-3": "/posts/2014/08/blog-post-3/",
    "2199-01-01-future-post": "/posts/2012/08/blog-post-1/",  # copied from the first
}


def test_a_post_permalink_hint_does_not_repeat_the_date(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_posts").mkdir()
    for stem, permalink in POSTS.items():
        (site / "_posts" / f"{stem}.md").write_text(
            f'---\ntitle: "{stem}"\npermalink: {permalink}\n---\n'
        )
    result = run_cli("check", "--site", site, "--format", "json", "--select", "permalink-drift")
    [drift] = result.json()["findings"]
    assert drift["path"] == "_posts/2199-01-01-future-post.md"
    assert drift["hint"] == "permalink: /posts/2199/01/future-post/"


def paper_with(site: Path, paperurl: str) -> Path:
    path = site / "_publications" / "2021-01-01-relative.md"
    path.write_text(
        '---\ntitle: "Relative"\ncollection: publications\ncategory: manuscripts\n'
        f"permalink: /publication/relative/\ndate: 2021-01-01\nvenue: J\npaperurl: {paperurl}\n"
        "---\n"
    )
    (site / "files").mkdir(exist_ok=True)
    (site / "files" / "x.pdf").write_bytes(b"%PDF-1.4\n")
    return path


def test_a_relative_paperurl_is_a_broken_file_link(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    paper_with(site, "files/x.pdf")
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.exit_code == 1
    [found] = result.json()["findings"]
    assert (found["rule"], found["path"], found["line"]) == (
        "broken-file-link",
        "_publications/2021-01-01-relative.md",
        8,
    )
    assert "/publication/relative/files/x.pdf" in found["message"]
    assert "paperurl: /files/x.pdf" in found["hint"]
    paper_with(site, "/files/x.pdf")
    assert run_cli("check", "--site", site).exit_code == 0


def test_a_relative_paperurl_resolves_against_the_page_in_the_built_site(tmp_path: Path) -> None:
    """The layout writes paperurl into href as it is, so the browser resolves it against the
    publication's own URL: the built site has nothing there, while /files/x.pdf exists."""
    jekyll = require_jekyll()
    source = tmp_path / "site"
    shutil.copytree(REPO / "site", source, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    paper_with(source, "files/x.pdf")
    dest = tmp_path / "out"
    subprocess.run(
        [jekyll, "build", "-s", str(source), "-d", str(dest)],
        cwd=source,
        env=dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true"),
        capture_output=True,
        check=True,
        timeout=120,
    )
    page = (dest / "publication" / "relative" / "index.html").read_text(encoding="utf-8")
    assert '<a href="files/x.pdf">Download Paper</a>' in page
    resolved = urljoin("/publication/relative/", "files/x.pdf")
    assert resolved == "/publication/relative/files/x.pdf"
    assert not (dest / resolved.lstrip("/")).exists()
    assert (dest / "files" / "x.pdf").is_file()
    result = run_cli("check", "--site", source, "--format", "json", "--select", "broken-file-link")
    assert [(f["path"], f["message"]) for f in result.json()["findings"]] == [
        (
            "_publications/2021-01-01-relative.md",
            "paperurl is files/x.pdf, a URL relative to this page, so the link leads to "
            "/publication/relative/files/x.pdf, which this site does not contain",
        )
    ]
