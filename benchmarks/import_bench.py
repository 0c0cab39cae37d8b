"""``python -m benchmarks.import_bench``: `pagemgr import openalex` of 300 works, served locally.

A local HTTP server answers as OpenAlex does (`/works?filter=author.id:…`, 200 works a page,
`meta.next_cursor`), with 300 works of one author: journal articles and conference papers with
authors, dates, pages and abstracts, so nothing needs Crossref. Each round imports them into a
fresh copy of a small academicpages site with `python -m pagemgr import` as a new process (what
a user runs), then fetches the same pages with urllib alone: that is the network time, taken
off the import's. Prints the medians; the target is under 5 s. A second import into the same
site (all 300 found on the site, nothing written) is timed too.

Standard library only (plus pagemgr, the thing measured). Exit status 0, or 1 when an import
failed or missed the target.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar
from urllib.parse import parse_qs, urlparse

WORKS = 300
PER_PAGE = 200
TARGET = 5.0
AUTHOR = "A5023888391"
CONFIG = """title: "Benchmark Site"
name: "Jane Doe"
url: https://janedoe.github.io
baseurl: ""
author:
  name: "Jane Doe"
  email: "jane@example.org"
publication_category:
  manuscripts:
    title: 'Journal Articles'
  conferences:
    title: 'Conference Papers'
collections:
  publications:
    output: true
    permalink: /:collection/:path/
"""
EXISTING = """---
title: "An Existing Paper"
collection: publications
category: manuscripts
permalink: /publication/2020-01-01-existing
date: 2020-01-01
venue: 'Journal 1'
---
Body.
"""


def openalex_work(n: int) -> dict[str, Any]:
    conference = n % 3 == 0
    words = f"We study problem {n} and show that it can be solved in linear time".split()
    return {
        "id": f"https://openalex.org/W{10_000 + n}",
        "doi": f"https://doi.org/10.5555/bench.{n}",
        "title": f"Results on Problem {n}: A Study of Graphs",
        "display_name": f"Results on Problem {n}: A Study of Graphs",
        "publication_year": 2000 + n % 25,
        "publication_date": f"{2000 + n % 25}-{1 + n % 12:02d}-{1 + n % 28:02d}",
        "type": "article",
        "type_crossref": "proceedings-article" if conference else "journal-article",
        "primary_location": {
            "landing_page_url": f"https://doi.org/10.5555/bench.{n}",
            "source": {
                "id": f"https://openalex.org/S{n % 40}",
                "display_name": f"{'Conference' if conference else 'Journal'} {n % 40}",
                "type": "conference" if conference else "journal",
            },
        },
        "authorships": [
            {"author_position": "first", "author": {"display_name": "Jane Doe"}},
            {"author_position": "last", "author": {"display_name": f"Co Author{n}"}},
        ],
        "biblio": {"volume": str(n % 50), "issue": "2", "first_page": "1", "last_page": "20"},
        "abstract_inverted_index": {word: [i] for i, word in enumerate(words)},
    }


class Handler(BaseHTTPRequestHandler):
    pages: ClassVar[dict[str, bytes]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def do_GET(self) -> None:
        query = parse_qs(urlparse(self.path).query)
        body = Handler.pages.get(query.get("cursor", [""])[0], b"{}")
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def build_pages() -> dict[str, bytes]:
    works = [openalex_work(n) for n in range(WORKS)]
    chunks = [works[i : i + PER_PAGE] for i in range(0, WORKS, PER_PAGE)]
    cursors = ["*"] + [f"c{i}" for i in range(1, len(chunks) + 1)]
    pages = {}
    for index, cursor in enumerate(cursors):
        results = chunks[index] if index < len(chunks) else []
        following = cursors[index + 1] if index + 1 < len(cursors) else None
        meta = {"count": WORKS, "per_page": PER_PAGE, "next_cursor": following}
        pages[cursor] = json.dumps({"meta": meta, "results": results}).encode()
    return pages


def make_site(folder: Path) -> Path:
    site = folder / "site"
    (site / "_publications").mkdir(parents=True)
    (site / "_config.yml").write_text(CONFIG, encoding="utf-8")
    (site / "_publications" / "2020-01-01-existing.md").write_text(EXISTING, encoding="utf-8")
    return site


def network_time(base: str) -> float:
    """The same requests the import makes, with nothing else done."""
    started = time.perf_counter()
    for cursor in ["*", *(f"c{i}" for i in range(1, len(Handler.pages)))]:
        url = f"{base}/works?filter=author.id:{AUTHOR}&per-page={PER_PAGE}&cursor={cursor}"
        with urllib.request.urlopen(url, timeout=10) as response:
            json.loads(response.read())
    return time.perf_counter() - started


def run_import(site: Path, env: dict[str, str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    command = [sys.executable, "-m", "pagemgr", "import", "openalex", AUTHOR, "--site", str(site)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    return time.perf_counter() - started, done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    Handler.pages = build_pages()
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    first, again, network = [], [], []
    try:
        with tempfile.TemporaryDirectory(prefix="pagemgr-import-bench-") as scratch:
            env = dict(os.environ, PAGEMGR_OPENALEX_URL=base, XDG_CACHE_HOME=f"{scratch}/cache")
            for round_number in range(args.rounds):
                folder = Path(scratch) / f"round-{round_number}"
                site = make_site(folder)
                took, done = run_import(site, env)
                written = len(done.stdout.splitlines())
                if done.returncode != 0 or written != WORKS:
                    print(f"import failed ({written} written):\n{done.stderr}", file=sys.stderr)
                    return 1
                took_again, done = run_import(site, env)
                if done.returncode != 0 or done.stdout:
                    print(f"the second import changed files:\n{done.stderr}", file=sys.stderr)
                    return 1
                network.append(network_time(base))
                first.append(took)
                again.append(took_again)
                shutil.rmtree(folder)
    finally:
        server.shutdown()
        server.server_close()
    net = statistics.median(network)
    result = statistics.median(first) - net
    print(f"import of {WORKS} works (median of {args.rounds}, new process each):")
    print(
        f"  wall {statistics.median(first):.2f} s, network {net:.3f} s, without it {result:.2f} s"
    )
    print(f"  second import (all on the site): {statistics.median(again) - net:.2f} s")
    print(f"  target: under {TARGET:.0f} s: {'met' if result < TARGET else 'MISSED'}")
    return 0 if result < TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
