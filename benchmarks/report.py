"""The machine description and the Markdown tables printed and written to RESULTS.md."""

from __future__ import annotations

import datetime as dt
import importlib
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import generate
from benchmarks.contenders import Context
from benchmarks.runner import REPO_ROOT, Series, parse_json_line
from benchmarks.suite import SuiteResult

RESULTS_HEADER = ("contender", "median s", "min s", "max s", "docs/s", "peak RSS MiB", "x floor")


def cpu_model() -> str:
    try:
        text = Path("/proc/cpuinfo").read_text()
    except OSError:
        return platform.processor() or "unknown"
    for line in text.splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def memory_total() -> str:
    try:
        first = Path("/proc/meminfo").read_text().splitlines()[0]
    except (OSError, IndexError):
        return "unknown"
    kib = int(first.split()[1])
    return f"{kib / 1024 / 1024:.1f} GiB"


def ruamel_description() -> str:
    try:
        ruamel = importlib.import_module("ruamel.yaml")
        cyaml = importlib.import_module("ruamel.yaml.cyaml")
    except ImportError as exc:
        return f"not importable ({exc})"
    lib = getattr(cyaml, "__yaml_lib", "none")
    return f"{ruamel.__version__}, `ruamel.yaml.cyaml.__yaml_lib` = {lib}"


def pyyaml_description() -> str:
    try:
        yaml = importlib.import_module("yaml")
    except ImportError:
        return "not installed"
    return f"{yaml.__version__}, with libyaml: {getattr(yaml, '__with_libyaml__', False)}"


def git_revision() -> str:
    try:
        out = subprocess.run(
            ["git", "-C", str(REPO_ROOT), "describe", "--always", "--dirty"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return out.stdout.strip()


def machine_rows(ctx: Context) -> list[tuple[str, str]]:
    cores = os.cpu_count() or 0
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cores
    return [
        ("CPU", cpu_model()),
        ("cores", f"{cores} ({usable} usable by this process)"),
        ("memory", memory_total()),
        ("OS", platform.platform()),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
        ("interpreter", sys.executable),
        ("ruamel.yaml", ruamel_description()),
        ("PyYAML", pyyaml_description()),
        ("pagemgr", ctx.pagemgr.origin or (ctx.pagemgr.problem or "unknown")),
        ("repository", git_revision()),
    ]


def markdown_table(header: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)


def _ratio(series: Series, floor: Series | None) -> str:
    if floor is None:
        return "n/a"
    return f"{series.median() / floor.median():.2f}"


def series_row(series: Series, n_docs: int, floor: Series | None) -> tuple[str, ...]:
    if not series.ok:
        return (series.name, "FAILED", "", "", "", "", "")
    return (
        series.name,
        f"{series.median():.3f}",
        f"{series.minimum():.3f}",
        f"{series.maximum():.3f}",
        f"{n_docs / series.median():,.0f}",
        f"{series.peak_rss_mib():.0f}",
        _ratio(series, floor),
    )


def results_table(result: SuiteResult) -> str:
    floor = result.floor()
    rows = [series_row(s, result.n_docs, floor) for s in result.series]
    return markdown_table(RESULTS_HEADER, rows)


def verdicts(result: SuiteResult) -> list[str]:
    """PASS/MISS lines for every contender with a target ratio to the floor."""
    floor = result.floor()
    lines: list[str] = []
    for contender, series in zip(result.contenders, result.series, strict=True):
        if contender.target_ratio is None:
            continue
        goal = f"target: {contender.name} within {contender.target_ratio:g}x of the floor"
        if floor is None or not series.ok:
            lines.append(f"{goal}: NOT MEASURED (floor or contender failed)")
            continue
        ratio = series.median() / floor.median()
        verdict = "PASS" if ratio <= contender.target_ratio else "MISS"
        lines.append(f"{goal}: {verdict} (ratio {ratio:.2f})")
    return lines


def problems(result: SuiteResult) -> list[str]:
    """Output audits, skipped contenders and failures, one line each."""
    lines = [f"check: {line}" for line in result.audits]
    lines += [f"skipped: {name}: {reason}" for name, reason in result.skipped]
    for series in result.series:
        lines += [f"FAILURE: {series.name}: {failure}" for failure in series.failures]
    return lines


def floor_counts(result: SuiteResult) -> str:
    """What the floor saw in its last run (a check that it read the whole site)."""
    floor = result.floor()
    if floor is None:
        return "floor: no successful run"
    counts = parse_json_line(floor.runs[-1].stdout)
    shown = ", ".join(f"{k} {v}" for k, v in counts.items() if k != "loader")
    return f"floor read: {shown} (loader: {counts.get('loader', '?')})"


def site_description(n_docs: int) -> str:
    broken = len(range(0, n_docs, generate.BROKEN_EVERY))
    return (
        f"{n_docs:,} generated documents (generator v{generate.GENERATOR_VERSION}, seed 0), "
        f"plus `_pages/about.md` and `_pages/publications.html`; {broken} broken documents "
        f"cycling through {', '.join(generate.BROKEN_KINDS)}"
    )


def contender_notes(result: SuiteResult) -> str:
    lines = [f"- **{c.name}**: {c.notes}" for c in result.contenders]
    lines += [f"- **{name}**: skipped ({reason})" for name, reason in result.skipped]
    return "\n".join(lines)


def scale_table(results: list[SuiteResult]) -> str:
    header = ("documents", "contender", "median s", "docs/s", "peak RSS MiB", "x floor")
    rows: list[tuple[str, ...]] = []
    for result in results:
        floor = result.floor()
        for series in result.series:
            full = series_row(series, result.n_docs, floor)
            rows.append((f"{result.n_docs:,}", full[0], full[1], full[4], full[5], full[6]))
    return markdown_table(header, rows)


def summary_text(result: SuiteResult, repeat: int) -> str:
    """The part printed to the terminal: the table, the verdicts and any problems."""
    parts = [
        f"{result.n_docs:,} documents, {repeat} interleaved repetition(s) after one warm-up",
        results_table(result),
        floor_counts(result),
        *verdicts(result),
        *problems(result),
    ]
    return "\n".join(parts)


def results_markdown(
    result: SuiteResult, repeat: int, ctx: Context, command: str, scale: list[SuiteResult]
) -> str:
    machine = markdown_table(("", ""), machine_rows(ctx))
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    sections = [
        "# pagemgr benchmark results",
        f"Generated by `{command}` on {now}. Regenerate with the same command; "
        "absolute times are this machine's, the ratios are what carry over.",
        f"Site: {site_description(result.n_docs)}.",
        "## Machine",
        machine,
        "## Results",
        "Wall time per run, interpreter start-up included. Peak RSS is the child's own "
        "`ru_maxrss` from `os.wait4`, taken by a small launcher process (`benchmarks/launch.py`) "
        "so that the runner's memory does not leak into it; values under about 10 MiB are the "
        "launcher's floor. `x floor` = median / floor median. Each round runs every contender "
        "once, starting at a different one; one untimed warm-up round comes first.",
        results_table(result),
        floor_counts(result),
        "\n".join(f"- {line}" for line in verdicts(result) + problems(result)) or "- no problems",
        "## Contenders",
        contender_notes(result),
    ]
    if scale:
        sections += ["## Scale curve", scale_table(scale)]
        sections += ["\n".join(f"- {line}" for r in scale for line in problems(r)) or ""]
    return "\n\n".join(s for s in sections if s) + "\n"
