"""One negative case per rule and positive cases that must stay clean, as folders of files."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, make_site, run_cli

NEGATIVE = sorted(p for p in (EXAMPLES / "negative").iterdir() if p.is_dir())
POSITIVE = sorted(p for p in (EXAMPLES / "positive").iterdir() if p.is_dir())


def findings_of(site: Path, *options: str) -> tuple[int, set[str]]:
    result = run_cli("check", "--site", site, "--format", "json", *options)
    found = {
        f"{f['severity']} {f['rule']} {f['path']}:{f['line']}:{f['column']}"
        for f in result.json()["findings"]
    }
    return result.exit_code, found


def test_base_site_is_clean(tmp_path: Path) -> None:
    assert findings_of(make_site(tmp_path)) == (0, set())


# With the cache the site index is kept in memory; without it, on disk (SQLite).
STORES = pytest.mark.parametrize("options", [(), ("--no-cache",)], ids=["memory", "on-disk"])


@STORES
@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_negative_case_reports_exactly_its_findings(
    case: Path, tmp_path: Path, options: tuple[str, ...]
) -> None:
    expected = set((case / "expected.txt").read_text().splitlines()) - {""}
    exit_code, found = findings_of(make_site(tmp_path, case), *options)
    assert found == expected
    assert {line.split()[1] for line in expected} == {case.name}
    assert exit_code == (1 if any(line.startswith("error") for line in expected) else 0)


@STORES
@pytest.mark.parametrize("case", POSITIVE, ids=[p.name for p in POSITIVE])
def test_positive_case_has_no_findings(
    case: Path, tmp_path: Path, options: tuple[str, ...]
) -> None:
    assert findings_of(make_site(tmp_path, case), *options) == (0, set())


def test_both_index_stores_say_the_same_word_for_word(tmp_path: Path) -> None:
    for case in NEGATIVE:
        site = make_site(tmp_path / case.name, case)
        on_disk = run_cli("check", "--site", site, "--format", "json", "--no-cache")
        in_memory = run_cli("check", "--site", site, "--format", "json")
        assert on_disk.json() == in_memory.json(), case.name


def test_every_rule_has_a_negative_case_or_a_dedicated_test() -> None:
    from pagemgr.check.rules import RULES

    dedicated = {"outside-symlink", "unreadable", "internal-error", "schema"}
    assert set(RULES) - dedicated <= {p.name for p in NEGATIVE}


@pytest.mark.parametrize("case", NEGATIVE, ids=[p.name for p in NEGATIVE])
def test_checking_one_file_reports_what_the_whole_site_check_says_of_it(
    case: Path, tmp_path: Path
) -> None:
    """A hook or `check FILE` runs site-wide rules for a selection only: it must agree with a
    full check about each named file, whichever rule found the problem."""
    site = make_site(tmp_path, case)
    expected = set((case / "expected.txt").read_text().splitlines()) - {""}
    named = {line.split()[2].rsplit(":", 2)[0] for line in expected}
    for path in sorted(named):
        if not (site / path).is_file():
            continue
        result = run_cli("check", "--site", site, "--format", "json", "--hook", site / path)
        found = {
            f"{f['severity']} {f['rule']} {f['path']}:{f['line']}:{f['column']}"
            for f in result.json()["findings"]
        }
        assert found == {line for line in expected if line.split()[2].startswith(path + ":")}
