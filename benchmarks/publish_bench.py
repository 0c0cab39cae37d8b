"""``python -m benchmarks.publish_bench``: `pagemgr publish` of one changed file vs plain git.

In a generated repository with 10,000 site files pushed to a bare remote, each round changes one
file and publishes it three ways, interleaved so that caches and disk state are shared:

* git: ``git add FILE && git commit -m ... && git push`` in one shell;
* pagemgr: ``python -m pagemgr publish`` as a new process (what a user runs; includes the
  interpreter start, the imports, the validation of the changed file, status, commit and push);
* pagemgr in-process: the publish command function called again in this process (imports
  already done), which isolates pagemgr's own per-run work; its validation step is timed
  separately, since checking one file with the whole site as context reads every site file.

Prints the medians and the ratios to git; the target is pagemgr within 2x. Standard library
only (plus pagemgr, the thing measured). Exit status 0, or 1 when a publish failed.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.runner import compile_pagemgr

CONFIG = """title: "Benchmark Site"
name: "Jane Doe"
url: https://janedoe.github.io
baseurl: ""
author:
  name: "Jane Doe"
publication_category:
  manuscripts:
    title: 'Journal Articles'
collections:
  publications:
    output: true
    permalink: /:collection/:path/
"""
PUBLICATION = """---
title: "Paper {n}"
collection: publications
category: manuscripts
permalink: /publication/paper-{n}
date: 2020-01-01
venue: 'Journal {n}'
---
Body of paper {n}.
"""
TARGET = 2.0


def run(cwd: Path, *args: str) -> None:
    subprocess.run(args, cwd=cwd, check=True, stdout=subprocess.DEVNULL)


def make_repo(base: Path, files: int) -> Path:
    site = base / "site"
    (site / "_publications").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    for n in range(files - 1):
        path = site / "_publications" / f"paper-{n}.md"
        path.write_text(PUBLICATION.format(n=n), encoding="utf-8")
    run(site, "git", "init", "-q", "-b", "master")
    run(site, "git", "add", "-A")
    run(site, "git", "commit", "-q", "-m", "Generated site")
    run(base, "git", "init", "-q", "--bare", "-b", "master", "remote.git")
    run(site, "git", "remote", "add", "origin", str(base / "remote.git"))
    run(site, "git", "push", "-q", "-u", "origin", "master")
    return site


def touch(site: Path, n: int, round_: int) -> str:
    rel = f"_publications/paper-{n}.md"
    with (site / rel).open("a", encoding="utf-8") as handle:
        handle.write(f"Edited in round {round_}.\n")
    return rel


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def plain_git(site: Path, rel: str) -> None:
    command = f"git add {rel} && git commit -q -m 'Update paper' && git push -q"
    subprocess.run(["sh", "-c", command], cwd=site, check=True, stdout=subprocess.DEVNULL)


def pagemgr_process(site: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "pagemgr", "publish", "--site", str(site)],
        check=True,
        stdout=subprocess.DEVNULL,
    )


VALIDATION: list[float] = []


def pagemgr_in_process(site: Path) -> None:
    from pagemgr.commands import publish as command

    validate = command.validate

    def timed_validate(*args: Any) -> Any:
        started = time.perf_counter()
        try:
            return validate(*args)
        finally:
            VALIDATION.append(time.perf_counter() - started)

    vars(command)["validate"] = timed_validate
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            code = command.publish(site)
    finally:
        vars(command)["validate"] = validate
    if code != 0:
        raise SystemExit(f"publish returned {code}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.publish_bench")
    parser.add_argument("--files", type=int, default=10_000, help="site files (default 10000)")
    parser.add_argument("--rounds", type=int, default=7, help="rounds (default 7)")
    options = parser.parse_args(argv)
    compile_pagemgr()
    with tempfile.TemporaryDirectory(prefix="pagemgr-publish-bench-") as tmp:
        base = Path(tmp)
        gitconfig = base / "gitconfig"
        gitconfig.write_text("[user]\n\tname = Bench\n\temail = bench@example.com\n")
        os.environ.update(GIT_CONFIG_GLOBAL=str(gitconfig), GIT_CONFIG_NOSYSTEM="1")
        print(f"generating {options.files} site files ...", flush=True)
        site = make_repo(base, options.files)
        times: dict[str, list[float]] = {"git": [], "pagemgr": [], "pagemgr in-process": []}
        try:
            for round_ in range(options.rounds):
                rel = touch(site, 3 * round_, round_)
                times["git"].append(timed(functools.partial(plain_git, site, rel)))
                touch(site, 3 * round_ + 1, round_)
                times["pagemgr"].append(timed(functools.partial(pagemgr_process, site)))
                touch(site, 3 * round_ + 2, round_)
                times["pagemgr in-process"].append(
                    timed(functools.partial(pagemgr_in_process, site))
                )
        except subprocess.CalledProcessError as exc:
            print(f"a publish failed: {exc}", file=sys.stderr)
            return 1
    base_ms = statistics.median(times["git"]) * 1000
    print(
        f"\none changed file in a repository of {options.files} site files, "
        f"{options.rounds} rounds, median wall time:"
    )
    for name, values in times.items():
        ms = statistics.median(values) * 1000
        ratio = ms / base_ms
        verdict = (
            ""
            if name == "git"
            else f"  {ratio:.2f}x git  "
            + ("(within 2x)" if ratio <= TARGET else "(MISSES the 2x target)")
        )
        print(f"  {name:<20} {ms:7.1f} ms{verdict}")
    check_ms = statistics.median(VALIDATION) * 1000
    rest = statistics.median(times["pagemgr in-process"]) * 1000 - check_ms
    print(
        f"  of which validation (the changed file, the whole site read as context): "
        f"{check_ms:.1f} ms;\n  the rest (status, commit, push): {rest:.1f} ms = "
        f"{rest / base_ms:.2f}x git"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
