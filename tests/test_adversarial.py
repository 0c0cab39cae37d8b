"""Bad input never gives a traceback: a finding, bounded time and memory, or a clear error."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from conftest import make_site, run_cli

BOMB = "".join(
    f"{name}: &{name} [{', '.join([f'*{prev}'] * 10 if prev else ['x'] * 10)}]\n"
    for prev, name in zip(["", *"abcdefgh"], "abcdefghi", strict=True)
)


def findings(site: Path) -> list[tuple[str, str]]:
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.exit_code in (0, 1), result.stderr
    return [(f["rule"], f["path"]) for f in result.json()["findings"]]


def _measured_check(site: Path) -> tuple[float, int, int]:
    """Run `pagemgr check` in a child and return (seconds, peak RSS in MiB, exit code)."""
    script = textwrap.dedent(
        f"""
        import resource, subprocess, sys, time
        start = time.perf_counter()
        code = subprocess.call([sys.executable, "-m", "pagemgr", "check", "--site", {str(site)!r}],
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.perf_counter() - start
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024
        print(took, peak, code)
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=60
    )
    took, peak, code = out.stdout.split()
    return float(took), int(peak), int(code)


def test_alias_bomb_is_refused_fast_and_small(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_data" / "bomb.yml").write_text(BOMB)
    (site / "_publications" / "2021-bomb.md").write_text("---\n" + BOMB + "title: x\n---\n")
    took, peak_mib, code = _measured_check(site)
    assert code == 1
    assert took < 5 and peak_mib < 100
    assert sorted(findings(site)) == [
        ("yaml-too-complex", "_data/bomb.yml"),
        ("yaml-too-complex", "_publications/2021-bomb.md"),
    ]


def test_legitimate_anchors_still_work(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_data" / "ui-text.yml").write_text(
        "en: &DEFAULT_EN\n  page: Page\nen-US:\n  <<: *DEFAULT_EN\nen-GB:\n  <<: *DEFAULT_EN\n"
    )
    assert findings(site) == []


def test_deep_nesting_is_a_finding_not_a_crash(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_data" / "deep.yml").write_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    (site / "_data" / "deeper.yml").write_text("a: " + "[" * 200_000 + "]" * 200_000 + "\n")
    (site / "_data" / "blocks.yml").write_text(
        "a:\n" + "".join(" " * i + "- \n" for i in range(300))
    )
    took, _, code = _measured_check(site)
    assert code == 1 and took < 20
    assert sorted(findings(site)) == [
        ("yaml-too-complex", "_data/blocks.yml"),
        ("yaml-too-complex", "_data/deep.yml"),
        ("yaml-too-complex", "_data/deeper.yml"),
    ]


def test_ten_megabyte_line(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    long = "x" * 10_000_000
    (site / "_publications" / "2021-long.md").write_text(
        f'---\ntitle: "{long}"\ncategory: manuscripts\ndate: 2021-01-01\nvenue: J\n---\n{long}\n'
    )
    assert findings(site) == []
    result = run_cli("check", "--site", site)
    assert len(result.stdout) < 10_000


def test_binary_and_nul_bytes(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2021-bin.md").write_bytes(b"---\ntitle: \x00\x01\n---\n")
    (site / "_publications" / "2021-png.md").write_bytes(bytes(range(256)) * 4)
    assert sorted(findings(site)) == [
        ("encoding", "_publications/2021-png.md"),
        ("yaml-syntax", "_publications/2021-bin.md"),
    ]


def test_front_matter_that_is_a_scalar(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_publications" / "2021-scalar.md").write_text("---\njust words\n---\n")
    assert findings(site) == [("not-a-mapping", "_publications/2021-scalar.md")]


def test_symlink_outside_the_site_is_not_followed(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: [unclosed\n---\n")
    os.symlink(secret, site / "_publications" / "2021-link.md")
    os.symlink(tmp_path, site / "_publications" / "folder-link")
    assert sorted(findings(site)) == [
        ("outside-symlink", "_publications/2021-link.md"),
        ("outside-symlink", "_publications/folder-link"),
    ]


def test_dangling_symlink_inside_the_site(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    os.symlink(site / "_publications" / "gone.md", site / "_publications" / "2021-gone.md")
    assert findings(site) == [("unreadable", "_publications/2021-gone.md")]


def test_config_that_does_not_parse_is_a_finding(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_config.yml").write_text("title: [unclosed\n")
    assert ("yaml-syntax", "_config.yml") in findings(site)


def test_config_that_is_a_list(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    (site / "_config.yml").write_text("- a\n- b\n")
    assert ("not-a-mapping", "_config.yml") in findings(site)
