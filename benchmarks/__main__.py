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

from benchmarks import peers, report
from benchmarks.contenders import CONTENDERS, STARTUP, make_context
from benchmarks.suite import SuiteResult, run_scale, run_startup, run_suite

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
        description="Benchmark `pagemgr check` against a libyaml-only floor and its peers "
        "(check-jsonschema, remark-lint-frontmatter-schema, a python-frontmatter + jsonschema "
        "loop) on a generated site; start-up; the scale curve. See benchmarks/README.md.",
    )
    parser.add_argument("--docs", type=_positive, default=10_000, help="documents (10000)")
    parser.add_argument("--repeat", type=_positive, default=3, help="timed rounds (3)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="same as --docs 1000 --repeat 1 --startup-repeat 5 --no-scale",
    )
    parser.add_argument(
        "--peers",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="install (once, into benchmarks/.peers/) and run the peers (default: on)",
    )
    parser.add_argument(
        "--startup",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="measure start-up: pagemgr --help/--version beside python -c 'import click' (on)",
    )
    parser.add_argument("--startup-repeat", type=_positive, default=20, help="start-up rounds (20)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="results file")
    parser.add_argument(
        "--scale",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="also run the floor and pagemgr at each --scale-sizes size (time, peak RSS; on)",
    )
    parser.add_argument(
        "--scale-sizes",
        type=_sizes,
        default=_sizes(DEFAULT_SCALE),
        help=f"sizes for --scale ({DEFAULT_SCALE})",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.docs, args.repeat, args.startup_repeat, args.scale = 1000, 1, 5, False
    return args


def _log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def _failed(results: Sequence[SuiteResult]) -> bool:
    return any(series.failures for result in results for series in result.series)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks", *(sys.argv[1:] if argv is None else argv)])
    status = peers.install_all(_log) if args.peers else None
    ctx = make_context(status)
    if ctx.pagemgr.problem:
        _log(f"note: {ctx.pagemgr.problem}; pagemgr's contenders are skipped")
    startup = run_startup(STARTUP, args.startup_repeat, ctx, _log) if args.startup else None
    result = run_suite(CONTENDERS, args.docs, args.repeat, ctx, _log)
    scale = run_scale(CONTENDERS, args.scale_sizes, args.repeat, ctx, _log) if args.scale else []
    print(report.summary_text(result, args.repeat))
    if startup is not None:
        print(report.startup_table(startup))
    if scale:
        print(report.scale_table(scale))
        print("\n".join(report.scale_analysis(scale)))
    text = report.results_markdown(result, args.repeat, ctx, command, scale, startup)
    args.out.write_text(text)
    print(f"written: {args.out}")
    runs = [result, *scale, *([startup] if startup else [])]
    return 1 if _failed(runs) else 0


if __name__ == "__main__":
    sys.exit(main())
