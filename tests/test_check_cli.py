"""`pagemgr check` through the real command line: formats, exit codes, site discovery."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import REPO, make_site, run_cli


def broken_site(tmp_path: Path) -> Path:
    site = make_site(tmp_path)
    (site / "_publications" / "2021-x.md").write_text(
        '---\ntitle: "X"\ncategory: manuscripts\nvenu: J\n---\n'
    )
    return site


def test_text_format_quotes_the_line_with_a_caret_and_a_summary(tmp_path: Path) -> None:
    result = run_cli("check", "--site", broken_site(tmp_path))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0] == (
        "_publications/2021-x.md:1:1: error: missing required key 'date' [missing-key]"
    )
    assert lines[1:3] == ["  1 | ---", "    | ^"]
    assert lines[3].startswith("  hint: add `date: ")
    assert (
        "_publications/2021-x.md:4:1: warning: unknown key 'venu' (did you mean 'venue'?)"
        " [unknown-key]" in lines
    )
    assert "  4 | venu: J" in lines
    assert lines[-1] == "5 files, 2 errors, 1 warning"
    assert "\x1b[" not in result.stdout


def test_json_format_is_stable(tmp_path: Path) -> None:
    result = run_cli("check", "--site", broken_site(tmp_path), "--format", "json")
    document = json.loads(result.stdout)
    assert document["version"] == 1
    assert document["summary"] == {"files": 5, "errors": 2, "warnings": 1}
    assert document["findings"][0] == {
        "path": "_publications/2021-x.md",
        "line": 1,
        "column": 1,
        "severity": "error",
        "rule": "missing-key",
        "message": "missing required key 'date'",
        "hint": document["findings"][0]["hint"],
    }
    assert [f["rule"] for f in document["findings"]] == [
        "missing-key",
        "missing-key",
        "unknown-key",
    ]


def test_warnings_pass_unless_strict(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2020-01-01-paper.md").write_text(
        (site / "_publications" / "2020-01-01-paper.md")
        .read_text()
        .replace("---\nBody", "venu: x\n---\nBody")
    )
    assert run_cli("check", "--site", site).exit_code == 0
    assert run_cli("check", "--site", site, "--strict").exit_code == 1


def test_paths_limit_the_check_to_those_files(tmp_path: Path) -> None:
    site = broken_site(tmp_path)
    clean = run_cli("check", "--site", site, site / "_publications" / "2020-01-01-paper.md")
    assert clean.exit_code == 0 and clean.stdout.splitlines()[-1] == "1 file, 0 errors, 0 warnings"
    folder = run_cli("check", "--site", site, site / "_publications")
    assert folder.exit_code == 1 and folder.stdout.splitlines()[-1].startswith("2 files")


def test_usage_errors_exit_2_with_one_line(tmp_path: Path) -> None:
    missing = run_cli("check", "--site", tmp_path)
    assert missing.exit_code == 2
    assert missing.stderr.strip() == (
        f"pagemgr: error: {tmp_path}: no _config.yml there; is this a Jekyll site?"
    )
    site = make_site(tmp_path)
    outside = run_cli("check", "--site", site, tmp_path)
    assert outside.exit_code == 2 and "is not inside the site" in outside.stderr
    nothing = run_cli("check", "--site", site, site / "nope.md")
    assert nothing.exit_code == 2 and "no such file" in nothing.stderr
    assert run_cli("check", "--format", "xml").exit_code == 2


def test_schema_override_from_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_schemas").mkdir()
    (site / "_schemas" / "pub.json").write_text(
        json.dumps(
            {"type": "object", "required": ["doi"], "properties": {"doi": {"type": "string"}}}
        )
    )
    config = site / "_config.yml"
    config.write_text(
        config.read_text() + "pagemgr:\n  schemas:\n    publications: _schemas/pub.json\n"
    )
    result = run_cli("check", "--site", site, "--format", "json")
    rules = {(f["rule"], f["message"]) for f in result.json()["findings"]}
    assert ("missing-key", "missing required key 'doi'") in rules
    config.write_text(config.read_text().replace("_schemas/pub.json", "_schemas/none.json"))
    broken = run_cli("check", "--site", site)
    assert broken.exit_code == 2 and "pagemgr.schemas.publications" in broken.stderr


def test_site_is_found_upward_from_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path)
    monkeypatch.chdir(site / "_publications")
    assert run_cli("check").stdout.splitlines()[-1] == "4 files, 0 errors, 0 warnings"
    monkeypatch.chdir(tmp_path)
    assert run_cli("check").exit_code == 0  # ./site from a repository's root


def test_bundled_site_reports_what_its_page_does_not_give(monkeypatch: pytest.MonkeyPatch) -> None:
    """Its own layouts guard venue and date and list uncategorized papers under "Other
    Publications" (issue 16): warnings that say so, no error (tests/test_site_jekyll.py holds
    each one to the built site)."""
    monkeypatch.chdir(REPO)
    result = run_cli("check", "--format", "json")
    assert result.exit_code == 0
    found = {(f["severity"], f["rule"], f["path"], f["message"]) for f in result.json()["findings"]}
    for stem in ("genesisscene", "interpretability-analysis-pretrained-cnns-medical-diagnosis"):
        path = f"_publications/{stem}.md"
        assert ("warning", "missing-key", path, "missing required key 'venue'") in found
        assert not any(f[1] == "missing-key" and "'date'" in f[3] for f in found)
        listed = "no 'category': _pages/publications.html lists this paper last, under 'Other "
        category = [f[3] for f in found if f[:3] == ("warning", "unlisted-category", path)]
        assert len(category) == 1 and category[0].startswith(listed)
    assert not any(f[2] in ("_config.yml", "_data/cv.json", "_data/navigation.yml") for f in found)


def test_every_corpus_site_checks_without_crashing(tmp_path: Path) -> None:
    corpus = REPO.parent / "shared" / "corpus"
    if not corpus.is_dir():
        pytest.skip(f"{corpus} is absent: the real-site corpus is not part of a plain clone")
    for site in sorted(p for p in corpus.iterdir() if p.is_dir()):
        copy = tmp_path / site.name
        shutil.copytree(site, copy, symlinks=True)
        result = run_cli("check", "--site", copy, "--format", "json")
        assert result.exit_code in (0, 1), (site.name, result.stderr)
        assert result.json()["summary"]["files"] > 10


def test_jobs_give_the_same_findings_as_one_process(tmp_path: Path) -> None:
    site = broken_site(tmp_path)
    for number in range(60):
        body = "venu: J\n" if number % 7 == 0 else "venue: J\n"
        (site / "_publications" / f"2021-01-01-p{number}.md").write_text(
            f'---\ntitle: "P{number}"\ncategory: manuscripts\ndate: 2021-01-01\n{body}---\n'
        )
    one = run_cli("check", "--site", site, "--format", "json", "--no-cache", "--jobs", "1")
    two = run_cli("check", "--site", site, "--format", "json", "--no-cache", "--jobs", "2")
    assert one.exit_code == two.exit_code == 1
    assert one.json() == two.json()
    assert one.json()["summary"]["warnings"] >= 9


def test_a_reader_that_goes_away_is_not_an_internal_error(tmp_path: Path) -> None:
    import subprocess
    import sys

    site = broken_site(tmp_path)
    for number in range(300):
        (site / "_publications" / f"2021-x{number}.md").write_text('---\ntitle: "X"\n---\n')
    done = subprocess.run(
        f"'{sys.executable}' -m pagemgr check --site '{site}' | head -1; exit ${{PIPESTATUS[0]}}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 141
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr


def test_site_wide_findings_quote_their_line_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO)
    lines = run_cli("check").stdout.splitlines()
    at = lines.index(
        "_pages/about.md:14:9: warning: link to 2598536686@qq.com leads to /2598536686@qq.com, "
        "which this site does not have (a 404) [broken-link]"
    )
    assert lines[at + 1].startswith("  14 | [Email](2598536686@qq.com)")
    assert lines[at + 2] == "     |         ^"
    assert lines[at + 3] == "  hint: write [text](mailto:2598536686@qq.com) for an e-mail address"


def test_workers_mixing_cached_and_changed_files_keep_the_site_order(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files stream through the workers while the cache answers for the unchanged ones: the
    findings (which name the first of two colliding files) must not depend on that."""
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    site = broken_site(tmp_path)
    papers = []
    for number in range(900):
        link = "/publication/same" if number % 97 == 0 else f"/publication/p{number}"
        paper = site / "_publications" / f"2021-01-01-p{number:03}.md"
        paper.write_text(
            f'---\ntitle: "P{number}"\ncategory: manuscripts\ndate: 2021-01-01\n'
            f"venue: J\npermalink: {link}\n---\n"
        )
        papers.append(paper)
    expected = run_cli("check", "--site", site, "--format", "json", "--no-cache", "--jobs", "1")
    run_cli("check", "--site", site, "--format", "json", "--jobs", "2")  # fills the cache
    for paper in papers[::2]:  # every other file changes: half the answers come from the cache
        paper.write_text(paper.read_text() + "\n")
    mixed = run_cli("check", "--site", site, "--format", "json", "--jobs", "2")
    assert mixed.exit_code == expected.exit_code == 1
    assert mixed.json() == expected.json()
    assert any(f["rule"] == "output-collision" for f in mixed.json()["findings"])


def test_missing_date_hint_gives_the_date_in_the_file_name(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2021-03-04-nodate.md").write_text(
        '---\ntitle: "X"\ncategory: manuscripts\nvenue: J\n'
        "permalink: /publication/2021-03-04-nodate\n---\n"
    )
    (site / "_publications" / "undated.md").write_text(
        '---\ntitle: "Y"\ncategory: manuscripts\nvenue: J\npermalink: /publication/undated\n---\n'
    )
    result = run_cli("check", "--site", site, "--format", "json", "--select", "missing-key")
    hints = {f["path"]: f["hint"] for f in result.json()["findings"]}
    assert hints["_publications/2021-03-04-nodate.md"].startswith("add `date: 2021-03-04`")
    assert "2009-10-01" not in hints["_publications/2021-03-04-nodate.md"]
    schema = json.loads((REPO / "schemas" / "publication.schema.json").read_text())
    example = schema["properties"]["date"]["examples"][0]
    assert hints["_publications/undated.md"].startswith(f"add `date: {example}`")


@pytest.mark.parametrize(
    ("args", "guess"),
    [
        (("chek",), "check"),
        (("add", "publications"), "publication"),
        (("fixx", "--dry-run"), "fix"),
        (("rule",), "rules"),
    ],
)
def test_a_mistyped_command_gets_a_did_you_mean(args: tuple[str, ...], guess: str) -> None:
    result = run_cli(*args)
    assert result.exit_code == 2
    assert f"No such command '{args[-1] if args[0] == 'add' else args[0]}'" in result.stderr
    assert f"did you mean '{guess}'?" in result.stderr


def test_a_command_nothing_resembles_gets_no_guess() -> None:
    result = run_cli("frobnicate")
    assert result.exit_code == 2
    assert "No such command 'frobnicate'" in result.stderr and "did you mean" not in result.stderr
