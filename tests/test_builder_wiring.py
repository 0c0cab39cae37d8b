"""`pagemgr check` reads each site with its builder's YAML rules, and says which it assumed.

The default builder is GitHub Pages' (SafeYAML 1.0.5); `pagemgr: {builder: debian-psych}` in
_config.yml (or a workflow and Gemfile, see site.builder) changes it. docs/yaml-builders.md has
the rows these findings come from.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import make_site, run_cli
from pagemgr.check.engine.cache import fingerprint
from pagemgr.site.model import load_site

PSYCH = "\npagemgr:\n  builder: debian-psych\n"
OWN_WORKFLOW = "jobs:\n  build:\n    steps:\n      - run: bundle exec jekyll build\n"


def publication(site: Path, extra: str) -> None:
    (site / "_publications" / "2021-x.md").write_text(
        "---\ntitle: X\ncollection: publications\ncategory: manuscripts\ndate: 2021-05-01\n"
        f"venue: J\n{extra}---\nBody.\n"
    )


def check(site: Path, *options: str) -> dict[str, Any]:
    document: dict[str, Any] = run_cli("check", "--site", site, "--format", "json", *options).json()
    return document


def rules_of(document: dict[str, Any]) -> list[str]:
    return [finding["rule"] for finding in document["findings"]]


def use_psych(site: Path) -> None:
    config = site / "_config.yml"
    config.write_text(config.read_text() + PSYCH)


def test_a_symbol_is_text_on_github_pages_and_refused_by_debian_psych(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    publication(site, "excerpt: :wave\n")
    pages = check(site)
    assert rules_of(pages) == []
    assert pages["builder"]["name"] == "github-pages"
    use_psych(site)
    psych = check(site)
    assert rules_of(psych) == ["ruby-symbol"]
    assert psych["builder"] == {
        "name": "debian-psych",
        "reason": "pagemgr: builder: debian-psych in _config.yml",
    }


def test_the_cache_follows_a_change_of_builder(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    publication(site, "excerpt: :wave\n")
    assert rules_of(check(site)) == []
    use_psych(site)
    assert rules_of(check(site)) == ["ruby-symbol"]
    pages = load_site(site)
    (site / ".github" / "workflows").mkdir(parents=True)
    (site / ".github" / "workflows" / "site.yml").write_text(OWN_WORKFLOW)
    config = site / "_config.yml"
    config.write_text(config.read_text().replace(PSYCH, "\n"))
    jekyll = load_site(site)
    assert (pages.builder.builder, jekyll.builder.builder) == ("debian-psych", "jekyll")
    assert fingerprint(jekyll, []) != fingerprint(pages, [])
    assert check(site)["builder"]["name"] == "jekyll"


def test_what_safe_yaml_reads_differently_is_named_with_the_builder(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    publication(site, "header:\n  <<: {teaser: a.png}\n")
    found = check(site)["findings"]
    assert [f["rule"] for f in found] == ["inline-merge"]
    assert "[GitHub Pages (Jekyll 3.10, SafeYAML 1.0.5)]" in found[0]["message"]
    use_psych(site)
    assert rules_of(check(site)) == []


def test_the_text_report_says_the_builder_once_when_it_matters(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    publication(site, "header: !ruby/object:Header\n  teaser: a.png\nexcerpt: *nope\n")
    text = run_cli("check", "--site", site).stdout
    lines = [line for line in text.splitlines() if line.startswith("info: read as")]
    assert lines == [
        "info: read as the github-pages builder reads it "
        "(no workflow builds Jekyll: GitHub Pages' builder)"
    ]
    publication(site, "")
    assert "info: read as" not in run_cli("check", "--site", site).stdout


def test_sarif_carries_the_builder(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    import json

    log = json.loads(run_cli("check", "--site", site, "--format", "sarif").stdout)
    assert log["runs"][0]["properties"]["builder"] == "github-pages"


def test_a_data_file_safe_yaml_raises_on_stops_the_build(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_data" / "numbers.yml").write_text("a: 1\nb: 1_.5\n")
    found = check(site)["findings"]
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [("yaml-load-error", 2, 4)]
    assert found[0]["message"].endswith("the build stops")
    use_psych(site)
    assert rules_of(check(site)) == []


def test_a_page_safe_yaml_raises_on_loses_its_front_matter(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    publication(site, "base: &b {teaser: a.png}\nheader:\n  <<: [*b]\n")
    found = check(site)["findings"]
    assert [f["rule"] for f in found] == ["yaml-load-error"]
    assert "TypeError" in found[0]["message"]
    assert found[0]["message"].endswith("Jekyll builds this page without its front matter")


def test_a_config_that_only_psych_reads_is_read_when_the_site_says_debian_psych(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(config.read_text() + "ratio: 1_.5\n" + PSYCH)
    loaded = load_site(site)
    assert loaded.config_error is None
    assert loaded.config["ratio"] == 1.5
    config.write_text(config.read_text().replace(PSYCH, "\n"))
    refused = load_site(site, cached=False)
    assert refused.config_load_error is not None and refused.config == {}
    found = [f for f in check(site)["findings"] if f["path"] == "_config.yml"]
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [("yaml-load-error", 22, 8)]
    assert found[0]["message"].endswith("Jekyll ignores _config.yml and builds with its defaults")


def test_plugins_the_pages_builder_skips_are_reported_only_for_that_builder(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(config.read_text() + "plugins:\n  - jekyll-scholar\n")
    (site / "_plugins").mkdir()
    (site / "_plugins" / "cite.rb").write_text("# a local plugin\n")
    on_pages = check(site)
    assert rules_of(on_pages).count("unsupported-plugin") == 2
    assert on_pages["builder"]["name"] == "github-pages"
    workflows = site / ".github" / "workflows"
    workflows.mkdir(parents=True)
    (workflows / "build.yml").write_text(OWN_WORKFLOW)
    own = check(site)
    assert own["builder"]["name"] == "jekyll" and "unsupported-plugin" not in rules_of(own)


def test_a_value_the_builders_read_differently_is_named_with_both_readings(
    tmp_path: Path,
) -> None:
    site = make_site(tmp_path)
    (site / "_data" / "talk.yml").write_text(
        "start: 10:30\nroom: -010\nday: 2024-5-1\nplain: 2024-05-01\ntitle: Opening\n"
    )
    found = [f for f in check(site)["findings"] if f["rule"] == "builder-difference"]
    assert [(f["line"], f["column"]) for f in found] == [(1, 8), (2, 7), (3, 6)]
    assert "float 630.0 on GitHub Pages" in found[0]["message"]
    assert "int 37800 on Debian's Jekyll 4.3 (Psych)" in found[0]["message"]
    assert "the text '-010'" in found[1]["message"] and "int -8" in found[1]["message"]
    use_psych(site)
    assert "builder-difference" not in rules_of(check(site))
