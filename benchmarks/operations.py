"""The everyday operations on the 10,000-document site, each beside its yardstick in one run.

Usage: ``python -m benchmarks.operations [--docs N] [--rounds K]`` from the repository root.

* all site-wide rules vs the per-file checks alone (`check` vs `check --per-file`), one core,
  both from an empty cache;
* a pre-commit hook run on one changed file: warm cache vs `pagemgr --version`; cold cache vs a
  full `check --no-cache`;
* `pagemgr set` of one value (warm cache) vs `pagemgr --version`, and the size of its diff beside
  what python-frontmatter's load/dump gives for the same change.

Rounds are interleaved; the figures are medians of wall time, interpreter start-up included.
"""

from __future__ import annotations

import argparse
import difflib
import os
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.runner import WORK_DIR, compile_pagemgr, ensure_site

PAGEMGR = [sys.executable, "-m", "pagemgr"]
Action = Callable[[int], None]


def quiet(argv: list[str], env: dict[str, str], ok: tuple[int, ...] = (0, 1)) -> None:
    done = subprocess.run(
        argv, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, check=False
    )
    if done.returncode not in ok:
        raise SystemExit(f"{' '.join(argv[2:6])}...: exit {done.returncode}: {done.stderr[-300:]}")


def median_ms(
    action: Action,
    rounds: int,
    results: dict[str, list[float]],
    name: str,
    before: Action | None = None,
) -> None:
    for number in range(rounds):
        if before is not None:
            before(number)
        start = time.perf_counter()
        action(number)
        results.setdefault(name, []).append((time.perf_counter() - start) * 1000)


def diff_lines(before: str, after: str) -> int:
    return sum(
        1
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    )


def frontmatter_diff(path: Path, key: str, value: str) -> str:
    """Diff lines of python-frontmatter's load/dump for the same change, or why it is missing."""
    peers = Path(__file__).with_name(".peers") / "cjs" / "bin" / "python"
    python = str(peers) if peers.exists() else sys.executable
    script = (
        "import sys, frontmatter\n"
        "post = frontmatter.load(sys.argv[1])\n"
        "post[sys.argv[2]] = sys.argv[3]\n"
        "sys.stdout.write(frontmatter.dumps(post) + '\\n')\n"
    )
    done = subprocess.run(
        [python, "-c", script, str(path), key, value], capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        return f"not measured (python-frontmatter: {done.stderr.strip().splitlines()[-1:]})"
    return str(diff_lines(path.read_text(encoding="utf-8"), done.stdout))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.operations")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--out", default=str(Path(__file__).with_name("OPERATIONS.md")))
    args = parser.parse_args(argv)
    source, _ = ensure_site(args.docs)
    compile_pagemgr()
    site = WORK_DIR / f"ops-site-{args.docs}"
    if not site.exists():
        shutil.copytree(source, site)
    cache = WORK_DIR / "ops-cache"
    env = {**os.environ, "PAGEMGR_CACHE_DIR": str(cache)}
    pubs = sorted((site / "_publications").glob("*.md"))
    target = next(p for p in pubs if "venue:" in p.read_text(encoding="utf-8"))
    original = target.read_text(encoding="utf-8")
    results: dict[str, list[float]] = {}

    def touch(number: int) -> None:
        target.write_text(original + " " * (number % 2 + 1), encoding="utf-8")

    def fresh_cache(_: int) -> None:
        shutil.rmtree(cache, ignore_errors=True)

    check = [*PAGEMGR, "check", "--site", str(site), "--format", "json", "--jobs", "1"]
    quiet(check, env)  # warm the cache and the page cache
    for _ in range(args.rounds):
        median_ms(lambda _n: quiet([*PAGEMGR, "--version"], env, (0,)), 1, results, "version")
        median_ms(lambda _n: quiet(check, env), 1, results, "check, all rules", before=fresh_cache)
        median_ms(
            lambda _n: quiet([*check, "--per-file"], env),
            1,
            results,
            "check --per-file",
            before=fresh_cache,
        )
        median_ms(
            lambda _n: quiet([*check, "--hook", str(target)], env),
            1,
            results,
            "hook, one changed file, warm cache",
            before=touch,
        )
        median_ms(
            lambda _n: quiet([*check, "--hook", str(target)], env),
            1,
            results,
            "hook, one changed file, cold cache",
            before=fresh_cache,
        )
        quiet(check, env)
        median_ms(
            lambda n: quiet(
                [*PAGEMGR, "set", str(target), "venue", f"New Venue {n % 2}"], env, (0,)
            ),
            1,
            results,
            "set one value, warm cache",
            before=touch,
        )
    target.write_text(original, encoding="utf-8")
    median = {name: statistics.median(values) for name, values in results.items()}
    lines = ["| operation | median ms | yardstick | ratio | target |", "|---|---|---|---|---|"]
    pairs = [
        ("check, all rules", "check --per-file", 1.5),
        ("hook, one changed file, warm cache", "version", 3.0),
        ("hook, one changed file, cold cache", "check, all rules", 1.0),
        ("set one value, warm cache", "version", None),
    ]
    for name, yardstick, goal in pairs:
        ratio = median[name] / median[yardstick]
        verdict = "" if goal is None else ("PASS" if ratio <= goal else "MISS") + f" (<= {goal}x)"
        lines.append(
            f"| {name} | {median[name]:.0f} | {yardstick} {median[yardstick]:.0f} ms "
            f"| {ratio:.2f}x | {verdict} |"
        )
    shutil.copy(target, WORK_DIR / "ops-before.md")
    quiet([*PAGEMGR, "set", str(target), "venue", "A Brand New Venue"], env, (0,))
    ours = diff_lines(original, target.read_text(encoding="utf-8"))
    target.write_text(original, encoding="utf-8")
    theirs = frontmatter_diff(target, "venue", "A Brand New Venue")
    report = "\n".join(
        [
            "# Everyday operations",
            "",
            f"Generated by `python -m benchmarks.operations` ({args.docs:,} documents, "
            f"{args.rounds} interleaved rounds, one core for checks; medians, start-up included).",
            "",
            *lines,
            "",
            f"Diff lines for one changed venue: `pagemgr set` {ours}, python-frontmatter load/dump "
            f"{theirs}.",
            "",
        ]
    )
    print(report)
    Path(args.out).write_text(report, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
