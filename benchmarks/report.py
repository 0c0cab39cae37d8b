"""The machine description and the Markdown tables printed and written to RESULTS.md."""

from __future__ import annotations

import datetime as dt
import importlib
import itertools
import os
import platform
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import generate
from benchmarks.contenders import CONTENDERS, Context
from benchmarks.runner import REPO_ROOT, Series, parse_json_line
from benchmarks.suite import SuiteResult

RESULTS_HEADER = (
    "contender",
    "median s",
    "min s",
    "max s",
    "docs/s",
    "peak RSS MiB",
    "x floor",
    "x pagemgr",
)
PEER_GOAL = 3.0
LINEAR_TOLERANCE = 0.25
FLAT_MEMORY = 1.5


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


def series_row(
    series: Series, n_docs: int, floor: Series | None, reference: Series | None = None
) -> tuple[str, ...]:
    if not series.ok:
        return (series.name, "FAILED", "", "", "", "", "", "")
    return (
        series.name,
        f"{series.median():.3f}",
        f"{series.minimum():.3f}",
        f"{series.maximum():.3f}",
        f"{n_docs / series.median():,.0f}" if n_docs else "",
        f"{series.peak_rss_mib():.0f}",
        _ratio(series, floor),
        _ratio(series, reference),
    )


def reference(result: SuiteResult) -> tuple[str, Series] | None:
    """pagemgr's main series (the contender with a target ratio), when it succeeded."""
    for contender, series in zip(result.contenders, result.series, strict=True):
        if contender.target_ratio is not None and series.ok:
            return contender.name, series
    return None


def results_table(result: SuiteResult) -> str:
    floor = result.floor()
    ref = reference(result)
    rows = [series_row(s, result.n_docs, floor, ref[1] if ref else None) for s in result.series]
    return markdown_table(RESULTS_HEADER, rows)


def peer_verdicts(result: SuiteResult) -> list[str]:
    """PASS/MISS per peer: pagemgr at least PEER_GOAL times faster (peer median / pagemgr's)."""
    ref = reference(result)
    lines: list[str] = []
    for contender, series in zip(result.contenders, result.series, strict=True):
        if not contender.is_peer:
            continue
        if ref is None:
            lines.append(f"goal: pagemgr {PEER_GOAL:g}x faster than {contender.name}: NOT MEASURED")
            continue
        name, mine = ref
        goal = f"goal: {name} at least {PEER_GOAL:g}x faster than {contender.name}"
        if not series.ok:
            lines.append(f"{goal}: NOT MEASURED ({contender.name} failed)")
            continue
        speedup = series.median() / mine.median()
        verdict = "PASS" if speedup >= PEER_GOAL else "MISS"
        lines.append(f"{goal}: {verdict} (pagemgr is {speedup:.2f}x faster)")
    lines += [
        f"goal: pagemgr {PEER_GOAL:g}x faster than {name}: NOT MEASURED (skipped: {why})"
        for name, why in result.skipped
        if _is_peer_name(result, name)
    ]
    return lines


def _is_peer_name(result: SuiteResult, name: str) -> bool:
    return any(c.name == name and c.is_peer for c in CONTENDERS)


def found_table(result: SuiteResult) -> str:
    """What every audited tool reported: the broken documents it named, per defect kind."""
    if not result.found:
        return ""
    kinds = next(iter(result.found.values())).totals
    header = ("tool", "broken named", *(f"{k} ({n})" for k, n in kinds.items()), "others named")
    rows = [
        (name, f"{a.named}/{a.broken}", *(str(a.hits.get(k, 0)) for k in kinds), str(a.others))
        for name, a in result.found.items()
    ]
    return markdown_table(header, rows)


def agreement(result: SuiteResult) -> str:
    """Whether the audited tools name the same schema-level broken documents."""
    schema_kinds = ("missing-venue", "bad-date", "yaml-syntax")
    found = result.found
    if len(found) < 2:
        return ""
    same = {name: tuple(a.hits.get(k, 0) for k in schema_kinds) for name, a in found.items()}
    wanted = tuple(next(iter(found.values())).totals.get(k, 0) for k in schema_kinds)
    all_full = all(v == wanted for v in same.values())
    clean = all(a.others == 0 for a in found.values())
    verdict = "every tool named all of them" if all_full else "the tools DISAGREE"
    extra = "no tool named a valid document" if clean else "some tool named VALID documents"
    return (
        f"Sanity: the schema-level defects ({', '.join(schema_kinds)}) are what a JSON-Schema "
        f"peer can see; {verdict}; {extra}. `unknown-key` (the schema has no "
        "`additionalProperties: false`) and `bad-category` (the list is in `_config.yml`) are "
        "pagemgr's site rules, outside the peers' reach."
    )


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


def problems(result: SuiteResult, audits: bool = True) -> list[str]:
    """Output audits (unless ``audits`` is false), skipped contenders and failures, one a line."""
    lines = [f"check: {line}" for line in result.audits] if audits else []
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


def startup_table(result: SuiteResult) -> str:
    header = ("command", "median ms", "min ms", "max ms", "peak RSS MiB", "x python", "x click")
    click = next((s for s in result.series if "import click" in s.name and s.ok), None)
    floor = result.floor()
    rows: list[tuple[str, ...]] = []
    for series in result.series:
        if not series.ok:
            rows.append((series.name, "FAILED", "", "", "", "", ""))
            continue
        rows.append(
            (
                series.name,
                f"{series.median() * 1000:.1f}",
                f"{series.minimum() * 1000:.1f}",
                f"{series.maximum() * 1000:.1f}",
                f"{series.peak_rss_mib():.0f}",
                _ratio(series, floor),
                _ratio(series, click),
            )
        )
    return markdown_table(header, rows)


def _series_named(result: SuiteResult, name: str) -> Series | None:
    return next((s for s in result.series if s.name == name and s.ok), None)


def scale_analysis(results: list[SuiteResult]) -> list[str]:
    """Per contender: is time linear in documents, and is peak memory flat?

    Linear: the marginal cost per document (difference of medians over the difference of sizes)
    of each step agrees with that of the first step within LINEAR_TOLERANCE; start-up is not
    a per-document cost, so plain seconds/document would overstate the small sizes. Flat: peak
    RSS at the largest size is at most FLAT_MEMORY times that at the smallest.
    """
    ordered = sorted(results, key=lambda r: r.n_docs)
    if len(ordered) < 2:
        return []
    names = [s.name for s in ordered[0].series]
    lines: list[str] = []
    for name in names:
        points = [(r.n_docs, _series_named(r, name)) for r in ordered]
        good = [(n, s) for n, s in points if s is not None]
        if len(good) < 2:
            lines.append(f"{name}: not enough successful sizes")
            continue
        lines.append(_linear_line(name, good))
        lines.append(_memory_line(name, good))
    return lines


def _linear_line(name: str, points: list[tuple[int, Series]]) -> str:
    steps = [
        ((b.median() - a.median()) / (nb - na) * 1e6, na, nb)
        for (na, a), (nb, b) in itertools.pairwise(points)
    ]
    base = steps[0][0]
    spread = max(abs(cost / base - 1) for cost, _, _ in steps) if base > 0 else float("inf")
    shown = "; ".join(f"{na:,}->{nb:,}: {cost:.0f} us/doc" for cost, na, nb in steps)
    per_doc = ", ".join(f"{n:,}: {s.median() / n * 1e6:.0f}" for n, s in points)
    worst = max((cost for cost, _, _ in steps), default=base)
    if spread <= LINEAR_TOLERANCE:
        verdict = "LINEAR"
    elif worst <= base * (1 + LINEAR_TOLERANCE):
        verdict = "LINEAR OR BETTER (per-document cost falls with size)"
    else:
        verdict = "NOT LINEAR (per-document cost grows with size)"
    return (
        f"time, {name}: {verdict} (marginal cost {shown}; largest deviation {spread:.0%}, "
        f"tolerance {LINEAR_TOLERANCE:.0%}; whole-run us/doc {per_doc})"
    )


def _memory_line(name: str, points: list[tuple[int, Series]]) -> str:
    (n0, s0), (n1, s1) = points[0], points[-1]
    growth = s1.peak_rss_mib() / s0.peak_rss_mib()
    per_doc = (s1.peak_rss_mib() - s0.peak_rss_mib()) * 1024 / (n1 - n0)
    verdict = "FLAT" if growth <= FLAT_MEMORY else "NOT FLAT"
    sizes = ", ".join(f"{n:,}: {s.peak_rss_mib():.0f}" for n, s in points)
    return (
        f"memory, {name}: {verdict} (peak RSS MiB {sizes}; x{growth:.2f} over "
        f"{n1 / n0:g}x the documents, {per_doc:.2f} KiB per extra document; flat means "
        f"at most x{FLAT_MEMORY:g})"
    )


def peer_inputs(result: SuiteResult) -> str:
    """How many documents of each peer collection the site has (what the peers are given)."""
    from benchmarks.peers import PEER_COLLECTIONS

    counts = {f: sum(1 for _ in (result.site / f).glob("*.md")) for f in PEER_COLLECTIONS}
    if not any(counts.values()):
        return ""
    shown = ", ".join(f"`{f}` {n:,}" for f, n in counts.items())
    return (
        f"The peers are given {sum(counts.values()):,} documents ({shown}); pagemgr checks "
        "those, the two `_pages/` files, `_config.yml` and `_data/navigation.yml`, and runs the "
        "site-wide rules."
    )


def peer_rows(ctx: Context) -> list[tuple[str, str]]:
    status = ctx.peers
    if status.disabled:
        return [("peers", status.disabled)]
    return [(f"peer env `{i.name}`", i.describe()) for i in status.installs.values()]


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
        *peer_verdicts(result),
        *problems(result),
    ]
    return "\n".join(parts)


def results_markdown(
    result: SuiteResult,
    repeat: int,
    ctx: Context,
    command: str,
    scale: list[SuiteResult],
    startup: SuiteResult | None = None,
) -> str:
    machine = markdown_table(("", ""), machine_rows(ctx) + peer_rows(ctx))
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
        "once, starting at a different one; one untimed warm-up round comes first. "
        f"{repeat} timed round(s). `x pagemgr` = median / `pagemgr check` median (a peer's "
        "value is how many times faster pagemgr is).",
        results_table(result),
        floor_counts(result),
        "### Goal: pagemgr at least 3x faster than every peer, and within 3x of the floor",
        "\n".join(f"- {line}" for line in verdicts(result) + peer_verdicts(result))
        or "- nothing to judge",
        "### What each tool found",
        "Documents named in each tool's output (first, untimed run), by the defect the "
        "generator put in them.",
        found_table(result),
        agreement(result),
        peer_inputs(result),
        "\n".join(f"- {line}" for line in problems(result, audits=False)) or "- no problems",
        "## Contenders",
        contender_notes(result),
    ]
    if startup is not None:
        sections += [
            "## Start-up",
            f"Each command run {len(startup.series[0].runs) if startup.series else 0} times "
            "(interleaved, after one warm-up); `x python` = median / `python -c pass`, "
            "`x click` = median / `python -c 'import click'`.",
            startup_table(startup),
            "\n".join(f"- {line}" for line in problems(startup)) or "",
        ]
    if scale:
        sections += ["## Scale curve", scale_table(scale)]
        sections += ["\n".join(f"- {line}" for line in scale_analysis(scale)) or ""]
        sections += ["\n".join(f"- {line}" for r in scale for line in problems(r)) or ""]
    return "\n\n".join(s for s in sections if s) + "\n"
