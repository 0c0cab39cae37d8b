"""Interleaved repetitions of the contenders on one site, and the scale curve."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.contenders import Contender, Context
from benchmarks.generate import BROKEN_KINDS, broken_documents
from benchmarks.runner import (
    REPO_ROOT,
    Measurement,
    Series,
    describe_failure,
    ensure_site,
    run_child,
    warm_page_cache,
)

Log = Callable[[str], None]
# A generated document named in a tool's output, as .md (pagemgr, remark, the loop) or as its
# extracted .yml (check-jsonschema): the collection folder and the file stem.
_DOC_NAME_RE = re.compile(r"(_[a-z]+)/([^\s\"'\\/:]+?)\.(?:md|yml)\b")


@dataclass(frozen=True)
class Audit:
    """Which of the site's broken documents a tool named, per defect kind, and other names."""

    hits: dict[str, int]
    totals: dict[str, int]
    others: int

    @property
    def named(self) -> int:
        return sum(self.hits.values())

    @property
    def broken(self) -> int:
        return sum(self.totals.values())

    def per_kind(self) -> str:
        return ", ".join(f"{kind} {self.hits.get(kind, 0)}/{n}" for kind, n in self.totals.items())


@dataclass
class SuiteResult:
    """The series of every contender that ran on one site, and the ones skipped."""

    n_docs: int
    site: Path
    series: list[Series] = field(default_factory=list)
    contenders: list[Contender] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    audits: list[str] = field(default_factory=list)
    found: dict[str, Audit] = field(default_factory=dict)

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
    measurement = run_child(contender.argv(site, ctx), ctx.env, capture)
    problem = describe_failure(measurement, contender.expected_exit)
    if problem is None:
        series.runs.append(measurement)
    else:
        series.failures.append(problem)
    return measurement


def audit_counts(output: str, n_docs: int) -> Audit:
    """Which broken documents ``output`` names (by folder and stem, .md or .yml)."""
    broken = {path.rsplit(".", 1)[0]: kind for path, kind in broken_documents(n_docs).items()}
    named = {f"{folder}/{stem}" for folder, stem in _DOC_NAME_RE.findall(output)}
    totals = {kind: 0 for kind in BROKEN_KINDS}
    hits = {kind: 0 for kind in BROKEN_KINDS}
    for doc, kind in broken.items():
        totals[kind] += 1
        hits[kind] += doc in named
    return Audit(hits, {k: v for k, v in totals.items() if v}, len(named - set(broken)))


def audit(name: str, output: str, n_docs: int) -> str:
    """How many of the site's broken documents ``output`` names, and how many other documents."""
    counts = audit_counts(output, n_docs)
    return (
        f"{name} named {counts.named} of the {counts.broken} broken documents in its output "
        f"({counts.per_kind()}), and {counts.others} other document(s)"
    )


def _warm_up(result: SuiteResult, ctx: Context, log: Log) -> None:
    """One untimed run each (stdout audited where asked); a failure here ends the contender."""
    for contender, series in zip(result.contenders, result.series, strict=True):
        log(f"  warm-up: {contender.name}")
        measurement = _run_into(contender, series, result.site, ctx, contender.audit_output)
        if contender.audit_output and not series.failures:
            output = measurement.stdout + "\n" + measurement.stderr
            result.audits.append(audit(contender.name, output, result.n_docs))
            result.found[contender.name] = audit_counts(output, result.n_docs)
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
    runnable, skipped = select(contenders, ctx)
    runnable, skipped = _prepare(runnable, skipped, site, log)
    warm_page_cache(site)
    result = SuiteResult(n_docs, site, [Series(c.name) for c in runnable], runnable, skipped)
    _warm_up(result, ctx, log)
    _rounds(result, repeat, ctx, log)
    return result


def _prepare(
    runnable: list[Contender], skipped: list[tuple[str, str]], site: Path, log: Log
) -> tuple[list[Contender], list[tuple[str, str]]]:
    """Run each contender's ``prepare`` once per distinct hook; a failure skips it."""
    done: dict[object, str | None] = {}
    kept: list[Contender] = []
    for contender in runnable:
        hook = contender.prepare
        if hook is not None and hook not in done:
            log(f"  preparing inputs for {contender.name}")
            try:
                hook(site)
                done[hook] = None
            except Exception as exc:  # a peer's inputs failing must not end the run
                done[hook] = f"preparing its inputs failed: {type(exc).__name__}: {exc}"
        problem = done.get(hook) if hook is not None else None
        if problem is None:
            kept.append(contender)
        else:
            skipped.append((contender.name, problem))
    return kept, skipped


def _rounds(result: SuiteResult, repeat: int, ctx: Context, log: Log) -> None:
    runnable, site = result.contenders, result.site
    for rep in range(repeat):
        for i in _rotation(len(runnable), rep):
            contender, series = runnable[i], result.series[i]
            if series.failures:
                continue
            log(f"  round {rep + 1}/{repeat}: {contender.name}")
            _run_into(contender, series, site, ctx)


def run_startup(
    contenders: Sequence[Contender], repeat: int, ctx: Context, log: Log
) -> SuiteResult:
    """Start-up commands (no site): one warm-up, then ``repeat`` interleaved rounds."""
    runnable, skipped = select(contenders, ctx)
    result = SuiteResult(0, REPO_ROOT, [Series(c.name) for c in runnable], runnable, skipped)
    log(f"start-up: {len(runnable)} commands, {repeat} rounds")
    _warm_up(result, ctx, log)
    _rounds(result, repeat, ctx, lambda message: None)
    return result


def run_scale(
    contenders: Sequence[Contender], sizes: Sequence[int], repeat: int, ctx: Context, log: Log
) -> list[SuiteResult]:
    """The floor and pagemgr at each size: time and peak RSS."""
    chosen = [c for c in contenders if c.in_scale]
    return [run_suite(chosen, n, repeat, ctx, log) for n in sizes]
