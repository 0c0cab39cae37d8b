"""Interleaved repetitions of the contenders on one site, and the scale curve."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.contenders import Contender, Context
from benchmarks.generate import broken_documents
from benchmarks.runner import (
    Measurement,
    Series,
    describe_failure,
    ensure_site,
    run_child,
    warm_page_cache,
)

Log = Callable[[str], None]
_DOC_PATH_RE = re.compile(r"_[a-z]+/[^\s\"'\\]+?\.(?:md|html)")


@dataclass
class SuiteResult:
    """The series of every contender that ran on one site, and the ones skipped."""

    n_docs: int
    site: Path
    series: list[Series] = field(default_factory=list)
    contenders: list[Contender] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    audits: list[str] = field(default_factory=list)

    def floor(self) -> Series | None:
        for contender, series in zip(self.contenders, self.series, strict=True):
            if contender.is_floor and series.ok:
                return series
        return None


def select(
    contenders: Sequence[Contender], ctx: Context
) -> tuple[list[Contender], list[tuple[str, str]]]:
    """Split the registry into the runnable contenders and (name, reason) for the skipped."""
    runnable: list[Contender] = []
    skipped: list[tuple[str, str]] = []
    for contender in contenders:
        reason = contender.skip_reason(ctx)
        if reason is None:
            runnable.append(contender)
        else:
            skipped.append((contender.name, reason))
    return runnable, skipped


def _run_into(
    contender: Contender, series: Series, site: Path, ctx: Context, capture: bool = False
) -> Measurement:
    capture = capture or contender.capture_stdout
    measurement = run_child(contender.argv(site), ctx.env, capture)
    problem = describe_failure(measurement, contender.expected_exit)
    if problem is None:
        series.runs.append(measurement)
    else:
        series.failures.append(problem)
    return measurement


def audit(name: str, output: str, n_docs: int) -> str:
    """How many of the site's broken documents ``output`` names, and how many other documents."""
    broken = broken_documents(n_docs)
    named = set(_DOC_PATH_RE.findall(output))
    hits = sum(1 for path in broken if path in named)
    others = len(named - set(broken))
    return (
        f"{name} named {hits} of the {len(broken)} broken documents in its output, "
        f"and {others} other document(s)"
    )


def _warm_up(result: SuiteResult, ctx: Context, log: Log) -> None:
    """One untimed run each (stdout audited where asked); a failure here ends the contender."""
    for contender, series in zip(result.contenders, result.series, strict=True):
        log(f"  warm-up: {contender.name}")
        measurement = _run_into(contender, series, result.site, ctx, contender.audit_output)
        if contender.audit_output and not series.failures:
            result.audits.append(audit(contender.name, measurement.stdout, result.n_docs))
        series.runs.clear()


def _rotation(items: int, rep: int) -> list[int]:
    """Start each repetition at a different contender so no one always runs first."""
    return [(rep + offset) % items for offset in range(items)]


def run_suite(
    contenders: Sequence[Contender], n_docs: int, repeat: int, ctx: Context, log: Log
) -> SuiteResult:
    """Generate (or reuse) the site, warm up, then run ``repeat`` interleaved rounds."""
    site, fresh = ensure_site(n_docs)
    log(f"site: {site} ({'generated' if fresh else 'cached'}, {n_docs} documents)")
    warm_page_cache(site)
    runnable, skipped = select(contenders, ctx)
    result = SuiteResult(n_docs, site, [Series(c.name) for c in runnable], runnable, skipped)
    _warm_up(result, ctx, log)
    for rep in range(repeat):
        for i in _rotation(len(runnable), rep):
            contender, series = runnable[i], result.series[i]
            if series.failures:
                continue
            log(f"  round {rep + 1}/{repeat}: {contender.name}")
            _run_into(contender, series, site, ctx)
    return result


def run_scale(
    contenders: Sequence[Contender], sizes: Sequence[int], repeat: int, ctx: Context, log: Log
) -> list[SuiteResult]:
    """The floor and pagemgr at each size: time and peak RSS."""
    chosen = [c for c in contenders if c.in_scale]
    return [run_suite(chosen, n, repeat, ctx, log) for n in sizes]
