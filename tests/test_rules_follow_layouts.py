"""The rules that follow a site's own layouts (issue 16), each held to what Jekyll builds.

Each folder under tests/examples/layouts/ is a small site with its own layouts, includes and
publications page (or, for the fallback, none); `expected.txt` lists its findings. Every claim a
finding makes (what the list reads without a key, under which heading a paper appears, that a
paper is not shown, that a key a layout reads shows on the page) is checked against the HTML
Debian's jekyll builds from the same folder (skipped without jekyll, failed with
PAGEMGR_REQUIRE_JEKYLL=1).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, run_cli
from test_templates import Built, heading_before, jekyll_build, visible

LAYOUTS = EXAMPLES / "layouts"
CASES = sorted(p.name for p in LAYOUTS.iterdir() if p.is_dir())
_QUOTED = re.compile(r'reads "([^"]*)"')
_UNDER = re.compile(r"under '([^']*)'")


@dataclass
class Case:
    site: Path
    report: dict[str, Any]
    exit_code: int
    build: Built

    def findings(self, rule: str, path: str | None = None) -> list[dict[str, Any]]:
        return [
            f
            for f in self.report["findings"]
            if f["rule"] == rule and (path is None or f["path"] == path)
        ]

    def listed(self) -> str:
        return self.build.html("publications/index.html")


def copy_case(name: str, tmp: Path) -> Path:
    site = tmp / name
    shutil.copytree(LAYOUTS / name, site, ignore=shutil.ignore_patterns("expected.txt"))
    return site


@pytest.fixture(scope="module")
def cases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Case]:
    """Each example checked (without the check cache; template facts are kept in tmp) and
    built."""
    made = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path_factory.mktemp("cache")))
        for name in CASES:
            tmp = tmp_path_factory.mktemp(name)
            site = copy_case(name, tmp)
            result = run_cli("check", "--site", site, "--format", "json", "--no-cache")
            build = jekyll_build(site, tmp / "_built")
            made[name] = Case(site, result.json(), result.exit_code, build)
    return made


def title_of(case: Case, rel: str) -> str:
    match = re.search(r'^title: "(.*)"$', (case.site / rel).read_text(), re.MULTILINE)
    assert match, rel
    return match.group(1)


def item_text(case: Case, title: str) -> str:
    """The visible text of the list item that shows `title` on the built publications page."""
    for item in re.findall(r'<div class="item">(.*?)</div>', case.listed(), re.DOTALL):
        if title in item:
            return visible(item)
    raise AssertionError(f"{title!r} is not listed")


@pytest.mark.parametrize("name", CASES)
def test_each_example_reports_exactly_its_findings(cases: dict[str, Case], name: str) -> None:
    case = cases[name]
    expected = set((LAYOUTS / name / "expected.txt").read_text().splitlines()) - {""}
    found = {
        f"{f['severity']} {f['rule']} {f['path']}:{f['line']}:{f['column']}"
        for f in case.report["findings"]
    }
    assert found == expected
    assert case.exit_code == (1 if any(line.startswith("error") for line in expected) else 0)


# --- missing-key -------------------------------------------------------------------------------


def test_a_bare_venue_is_an_error_whose_hint_quotes_the_built_list(cases: dict[str, Case]) -> None:
    case = cases["missing-key-bare"]
    assert case.build.returncode == 0, case.build.log
    venue = case.findings("missing-key", "_publications/undated-no-venue.md")
    venue = [f for f in venue if "'venue'" in f["message"]]
    assert [f["severity"] for f in venue] == ["error"]
    quoted = _QUOTED.search(venue[0]["hint"])
    assert quoted and "_includes/archive-single.html:3" in venue[0]["hint"]
    assert quoted.group(1) == f"Published in , {dt.date.today().year}"
    assert item_text(case, "An Undated Paper Without Venue").endswith(quoted.group(1))


def test_a_dated_paper_s_gap_is_not_quoted_as_the_undated_line(cases: dict[str, Case]) -> None:
    case = cases["missing-key-bare"]
    (venue,) = case.findings("missing-key", "_publications/dated-no-venue.md")
    assert venue["severity"] == "error"
    assert "leaves a gap" in venue["hint"] and "without date as well" in venue["hint"]
    assert item_text(case, "A Dated Paper Without Venue").endswith("Published in , 2019")


def test_keys_jekyll_fills_are_warnings_that_say_what_jekyll_made(cases: dict[str, Case]) -> None:
    case = cases["missing-key-bare"]
    (title,) = case.findings("missing-key", "_publications/untitled-paper.md")
    assert title["severity"] == "warning" and '"Untitled Paper"' in title["hint"]
    assert "Untitled Paper Published in Journal of Titles , 2016" in visible(case.listed())
    (date,) = [
        f
        for f in case.findings("missing-key", "_publications/undated-no-venue.md")
        if "'date'" in f["message"]
    ]
    assert date["severity"] == "warning" and "time of each build" in date["hint"]
    assert str(dt.date.today().year) in item_text(case, "An Undated Paper Without Venue")


def test_a_date_in_the_file_name_is_the_date_jekyll_uses(cases: dict[str, Case]) -> None:
    case = cases["missing-key-bare"]
    assert case.findings("missing-key", "_publications/2021-03-04-named-date.md") == []
    assert item_text(case, "A Paper Dated By Its Name").endswith("Journal of Names , 2021")


def test_a_guarded_venue_is_a_warning_and_the_site_shows_no_gap(cases: dict[str, Case]) -> None:
    case = cases["missing-key-guarded"]
    assert case.build.returncode == 0, case.build.log
    (venue,) = case.findings("missing-key")
    assert (venue["path"], venue["severity"]) == ("_publications/no-venue.md", "warning")
    assert "_includes/archive-single.html:3 skips it" in venue["hint"]
    assert "Published in" not in item_text(case, "A Preprint Without Venue")
    assert "Published in" not in case.build.text("publications/no-venue/index.html")
    assert "Published in Journal of Dates" in item_text(case, "An Undated Paper")


# --- unlisted-category -------------------------------------------------------------------------


def test_without_a_fallback_loop_an_unlisted_paper_is_an_error_and_hidden(
    cases: dict[str, Case],
) -> None:
    case = cases["unlisted-category-no-fallback"]
    assert case.build.returncode == 0, case.build.log
    found = case.findings("unlisted-category")
    assert {f["path"] for f in found} == {
        "_publications/poster.md",
        "_publications/uncategorized.md",
    }
    for finding in found:
        assert finding["severity"] == "error"
        assert "does not show this paper" in finding["message"]
        assert title_of(case, finding["path"]) not in case.listed()
    assert "A Listed Paper" in case.listed()


def test_with_a_fallback_loop_the_warning_names_the_heading_it_shows_under(
    cases: dict[str, Case],
) -> None:
    case = cases["unlisted-category-fallback"]
    assert case.build.returncode == 0, case.build.log
    found = case.findings("unlisted-category")
    assert len(found) == 2
    for finding in found:
        assert finding["severity"] == "warning"
        under = _UNDER.search(finding["message"])
        assert under, finding["message"]
        assert heading_before(case.listed(), title_of(case, finding["path"])) == under.group(1)


# --- unknown-key -------------------------------------------------------------------------------


def test_keys_a_layout_reads_are_known_and_suggested(cases: dict[str, Case]) -> None:
    case = cases["unknown-key-read-by-layout"]
    assert case.build.returncode == 0, case.build.log
    assert case.findings("unknown-key", "_publications/with-code.md") == []
    shown = item_text(case, "A Paper With Code")
    assert "journal" in shown and 'href="https://example.org/code"' in case.listed()
    (typo,) = case.findings("unknown-key", "_publications/misspelt.md")
    assert "did you mean 'codeurl'?" in typo["message"]
    assert "https://example.org/typo" not in case.listed()


# --- a site whose templates cannot be read -----------------------------------------------------


def test_unreadable_templates_keep_the_schema_s_answers_and_say_so_once(
    cases: dict[str, Case],
) -> None:
    case = cases["fallback-remote-theme"]
    assert "Layout 'single' requested in _publications/no-venue.md does not exist" in (
        case.build.log
    )
    reason = case.report["templates_unreadable"]
    assert "academicpages/academicpages.github.io" in reason
    (venue,) = case.findings("missing-key")
    assert venue["severity"] == "error" and "Published in , 1900" in venue["hint"]
    (category,) = case.findings("unlisted-category")
    assert category["severity"] == "error"
    text = run_cli("check", "--site", case.site, "--no-cache").stdout.splitlines()
    notes = [line for line in text if line.startswith("info: ")]
    assert notes == [
        f"info: {reason}, so missing-key, unknown-key and unlisted-category follow the "
        "academicpages template"
    ]
    assert text[-1].endswith("2 errors, 1 warning")
    github = run_cli("check", "--site", case.site, "--no-cache", "--format", "github").stdout
    assert notes[0].replace("info: ", "::notice::", 1) in github.splitlines()
    sarif = run_cli("check", "--site", case.site, "--no-cache", "--format", "sarif").json()
    assert sarif["runs"][0]["properties"]["templatesUnreadable"] == reason


def test_the_hook_judging_a_config_change_says_so_too(
    cases: dict[str, Case], tmp_path: Path
) -> None:
    """A commit of _config.yml is judged against the previous version (check.baseline): the
    findings it keeps still say that the templates could not be read."""
    site = copy_case("fallback-remote-theme", tmp_path)
    paper = site / "_publications" / "no-venue.md"
    text = run_cli("check", "--hook", site / "_config.yml", paper).stdout.splitlines()
    reason = cases["fallback-remote-theme"].report["templates_unreadable"]
    assert any(line.startswith("_publications/no-venue.md") for line in text)
    assert f"info: {reason}, so missing-key, unknown-key and unlisted-category follow the " in (
        "\n".join(text)
    )


def test_a_site_whose_templates_are_read_has_no_note(cases: dict[str, Case]) -> None:
    assert "templates_unreadable" not in cases["missing-key-guarded"].report
    text = run_cli("check", "--site", cases["missing-key-guarded"].site, "--no-cache").stdout
    assert "info:" not in text


# --- permalink drift between two files ---------------------------------------------------------


def test_permalink_drift_with_two_files_is_reported(cases: dict[str, Case]) -> None:
    case = cases["permalink-drift-two-files"]
    assert case.build.returncode == 0, case.build.log
    (drift,) = case.findings("permalink-drift")
    assert drift["path"] == "_teaching/2015-spring-teaching-2.md"
    assert "the only other file in _teaching follows its file name" in drift["message"]
    assert drift["hint"] == "permalink: /teaching/2015-spring-teaching-2"
    assert "Teaching experience 2" in case.build.text("teaching/2015-spring-teaching-1.html")
    assert not (case.build.dest / "teaching" / "2015-spring-teaching-2.html").exists()


# --- the caches --------------------------------------------------------------------------------


def test_a_changed_layout_invalidates_the_cached_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    site = copy_case("missing-key-guarded", tmp_path)

    def venue_severity() -> list[str]:
        report = run_cli("check", "--site", site, "--format", "json").json()
        return [f["severity"] for f in report["findings"] if f["rule"] == "missing-key"]

    assert venue_severity() == ["warning"]
    assert venue_severity() == ["warning"]  # from the cache
    include = site / "_includes" / "archive-single.html"
    include.write_text(include.read_text().replace("{%- if post.venue %}", "{%- if true %}"))
    assert venue_severity() == ["error"]


def test_a_changed_layout_settles_the_cached_results_again_without_reading_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check cache keeps each file's questions, not the verdicts: after a layout changes,
    the papers are answered from the cache and only the verdicts change."""
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    site = copy_case("missing-key-guarded", tmp_path)
    paper = site / "_publications" / "no-venue.md"
    long_ago = dt.datetime(2020, 1, 1).timestamp()
    os.utime(paper, (long_ago, long_ago))

    def rules() -> list[tuple[str, str]]:
        report = run_cli("check", "--site", site, "--format", "json").json()
        return [(f["rule"], f["severity"]) for f in report["findings"]]

    assert rules() == [("missing-key", "warning")]
    # The same size, time and inode: only a run that reads the paper again sees the new key.
    text = paper.read_text()
    paper.write_text(text.replace("title:", "titel:", 1))
    os.utime(paper, (long_ago, long_ago))
    include = site / "_includes" / "archive-single.html"
    include.write_text(include.read_text().replace("{%- if post.venue %}", "{%- if true %}"))
    assert rules() == [("missing-key", "error")]  # the verdict follows the new include
    os.utime(paper)  # now it is read again, and its unknown key shows
    assert ("unknown-key", "warning") in rules()


def test_a_warm_run_does_not_parse_the_templates_again(tmp_path: Path) -> None:
    site = copy_case("missing-key-bare", tmp_path)
    env = dict(os.environ, PAGEMGR_CACHE_DIR=str(tmp_path / "cache"))

    def imports_liquid() -> bool:
        done = subprocess.run(
            [sys.executable, "-X", "importtime", "-m", "pagemgr", "check", "--site", str(site)],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr[-2000:]
        return re.search(r"\|\s+liquid\b", done.stderr) is not None

    assert imports_liquid()  # cold: the analysis runs
    assert not imports_liquid()  # warm: the facts come from the cache
