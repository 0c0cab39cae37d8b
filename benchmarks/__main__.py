"""``python -m benchmarks``: generate the site, run the contenders, write RESULTS.md.

Run from the repository root. Exit status: 0 when every runnable contender succeeded (a MISS
of the target is reported, not an error), 1 when one failed (crash, unexpected exit code),
2 on bad options.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from collections.abc import Sequence
from pathlib import Path

from benchmarks import report
from benchmarks.contenders import CONTENDERS, make_context
from benchmarks.suite import SuiteResult, run_scale, run_suite

DEFAULT_OUT = Path(__file__).resolve().parent / "RESULTS.md"
DEFAULT_SCALE = "1000,10000,50000"


def _sizes(text: str) -> list[int]:
    try:
        sizes = [int(part) for part in text.split(",") if part.strip()]
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"not a comma-separated list of sizes: {text}") from exc
    if not sizes or min(sizes) < 1:
        raise argparse.ArgumentTypeError("sizes must be positive")
    return sizes


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Benchmark `pagemgr check` against a libyaml-only floor on a generated site.",
    )
    parser.add_argument("--docs", type=_positive, default=10_000, help="documents (10000)")
    parser.add_argument("--repeat", type=_positive, default=3, help="timed rounds (3)")
    parser.add_argument("--quick", action="store_true", help="same as --docs 1000 --repeat 1")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file")
    parser.add_argument(
        "--scale",
        action="store_true",
        help="also run the floor and pagemgr at each --scale-sizes size (time, peak RSS)",
    )
    parser.add_argument(
        "--scale-sizes",
        type=_sizes,
        default=_sizes(DEFAULT_SCALE),
        help=f"sizes for --scale ({DEFAULT_SCALE})",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.repeat = 1000, 1
    return args


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _failed(results: Sequence[SuiteResult]) -> bool:
    return any(series.failures for result in results for series in result.series)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    ctx = make_context()
    if ctx.pagemgr.problem:
        _log(f"note: {ctx.pagemgr.problem}; running the floor only")
    result = run_suite(CONTENDERS, args.docs, args.repeat, ctx, _log)
    scale = run_scale(CONTENDERS, args.scale_sizes, args.repeat, ctx, _log) if args.scale else []
    print(report.summary_text(result, args.repeat))
    if scale:
        print(report.scale_table(scale))
    args.out.write_text(report.results_markdown(result, args.repeat, ctx, command, scale))
    print(f"written: {args.out}")
    return 1 if _failed([result, *scale]) else 0


if __name__ == "__main__":
    sys.exit(main())
