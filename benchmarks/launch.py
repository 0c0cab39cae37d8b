"""Run one command and report its wall time, peak RSS and exit code as JSON on a given fd.

Usage: ``python -I -S benchmarks/launch.py REPORT_FD COMMAND [ARG ...]``.

Why a launcher: on Linux a child's ``ru_maxrss`` is at least the high-water RSS of the process
that forked it (the kernel carries it over at exec). Measured straight from the benchmark
runner, every child would inherit the runner's peak (which grows with site generation). This
small, fresh process spawns the command with ``os.posix_spawnp``, so the inherited floor is
only its own few MiB, then reads the child's own rusage with ``os.wait4``. The command's stdin,
stdout, stderr, working directory and environment are the launcher's.
"""

from __future__ import annotations

import json
import os
import sys
import time


def run(command: list[str]) -> dict[str, float | int]:
    """Spawn ``command``, wait for it, and return seconds, max_rss_kib and exit_code."""
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    return {
        "seconds": seconds,
        "max_rss_kib": usage.ru_maxrss,
        "exit_code": os.waitstatus_to_exitcode(status),
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    report_fd = int(argv[0])
    os.set_inheritable(report_fd, False)
    try:
        result = run(argv[1:])
    except OSError as exc:
        print(f"launch: cannot run {argv[1]!r}: {exc}", file=sys.stderr)
        result = {"seconds": 0.0, "max_rss_kib": 0, "exit_code": 127}
    with os.fdopen(report_fd, "w") as report:
        report.write(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
