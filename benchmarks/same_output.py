"""Whether pagemgr at another revision reports exactly what this tree reports.

Usage: ``python -m benchmarks.same_output [REV] [--format json] [SITE ...]``

For each site (default: ``site/``, the generated benchmark sites that exist under
``benchmarks/.work/`` and the corpus sites in ``../shared/corpus/``), runs ``pagemgr check
--no-cache`` from this tree and from REV (default ``HEAD``, checked out in a temporary git
worktree and run from its ``src/`` with this interpreter), and compares standard output, standard
error and the exit status byte for byte. Exit status 0 when every site matches, 1 otherwise.
A refactoring that must not change behaviour is checked with it against the revision before.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
CORPUS = REPO_ROOT.parent / "shared" / "corpus"


def default_sites() -> list[Path]:
    sites = [REPO_ROOT / "site"]
    work = REPO_ROOT / "benchmarks" / ".work"
    sites += sorted(p for p in work.glob("site-*") if (p / "_config.yml").is_file())
    if CORPUS.is_dir():
        sites += sorted(p for p in CORPUS.iterdir() if (p / "_config.yml").is_file())
    return sites


def run_check(source: Path, site: Path, output_format: str) -> tuple[int, bytes, bytes]:
    env = {**os.environ, "PYTHONPATH": str(source)}
    env.pop("PAGEMGR_CACHE_DIR", None)
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pagemgr",
            "check",
            "--site",
            str(site),
            "--format",
            output_format,
            "--no-cache",
        ],
        capture_output=True,
        env=env,
        check=False,
        cwd=site,
    )
    return done.returncode, done.stdout, done.stderr


def compare(revision: str, sites: Sequence[Path], output_format: str) -> int:
    differing = 0
    with tempfile.TemporaryDirectory(prefix="pagemgr-same-") as scratch:
        other = Path(scratch) / "tree"
        subprocess.run(
            ["git", "worktree", "add", "--detach", "--quiet", str(other), revision],
            cwd=REPO_ROOT,
            check=True,
        )
        try:
            for site in sites:
                here = run_check(REPO_ROOT / "src", site, output_format)
                there = run_check(other / "src", site, output_format)
                same = here == there
                differing += not same
                print(
                    f"{'same' if same else 'DIFFERENT'}: {site} (exit {here[0]}, "
                    f"{len(here[1])} bytes of output)"
                )
        finally:
            subprocess.run(
                ["git", "worktree", "remove", "--force", str(other)], cwd=REPO_ROOT, check=False
            )
    print(f"{len(sites) - differing} of {len(sites)} sites give byte-identical output")
    return 1 if differing else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("revision", nargs="?", default="HEAD")
    parser.add_argument("--format", default="json", dest="output_format")
    parser.add_argument("sites", nargs="*", type=Path)
    args = parser.parse_args(argv)
    sites = [site.resolve() for site in args.sites if site.is_dir()] or default_sites()
    return compare(args.revision, sites, args.output_format)


if __name__ == "__main__":
    sys.exit(main())
