"""``python -m benchmarks.serve_bench``: `pagemgr serve` on the 10,000-document benchmark site.

Starts the server on 127.0.0.1 in this process and measures, interleaved over the rounds:

* the publications list: ``GET /api/overview`` (every file checked, from the cache after the
  first round, each front matter read for its title and date); with chromium and selenium
  installed, also the page itself in headless chromium until the table is drawn. Goal: < 1 s.
* saving one field: ``POST /api/save`` of one publication's venue (the splice, the site-wide
  gate, the atomic write) beside ``pagemgr set FILE venue VALUE`` as a new process on the same
  file. Goal: the save within 2x of `pagemgr set`.

Prints medians and verdicts. Exit status 0, or 1 when a request failed.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from benchmarks.generate import generate_site
from benchmarks.runner import compile_pagemgr

LIST_GOAL = 1.0
SAVE_RATIO_GOAL = 2.0


def timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


class Api:
    def __init__(self, port: int, token: str) -> None:
        self.port, self.token = port, token

    def call(self, method: str, path: str, payload: Any = None) -> Any:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=300)
        headers = {"X-Pagemgr-Token": self.token}
        body = None
        if payload is not None:
            body = json.dumps(payload).encode()
            headers |= {"Content-Type": "application/json", "Origin": self.origin}
        try:
            connection.request(method, path, body, headers)
            response = connection.getresponse()
            data = json.loads(response.read())
        finally:
            connection.close()
        if response.status != 200:
            raise SystemExit(f"{method} {path}: {response.status} {data}")
        return data

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"


def first_publication(site: Path) -> str:
    return sorted(p.relative_to(site).as_posix() for p in (site / "_publications").glob("*.md"))[0]


def save_one(api: Api, rel: str, venue: str) -> None:
    opened = api.call("GET", f"/api/file?path={rel}")
    change = [{"path": "venue", "widget": "text", "value": venue}]
    api.call("POST", "/api/save", {"path": rel, "version": opened["version"], "changes": change})


def pagemgr_set(site: Path, rel: str, venue: str) -> None:
    subprocess.run(
        [sys.executable, "-m", "pagemgr", "set", str(site / rel), "venue", venue],
        check=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def browser_list(url: str) -> Callable[[], None] | None:
    chromium, driver = shutil.which("chromium"), shutil.which("chromedriver")
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
        from selenium.webdriver.common.by import By
        from selenium.webdriver.support import expected_conditions
        from selenium.webdriver.support.ui import WebDriverWait
    except ImportError:
        return None
    if chromium is None or driver is None:
        return None
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    browser = webdriver.Chrome(service=Service(driver), options=options)
    drawn = (By.CSS_SELECTOR, '[data-section="publications"] tbody tr')

    def load() -> None:
        browser.get("about:blank")
        browser.get(url)
        WebDriverWait(browser, 120).until(expected_conditions.presence_of_element_located(drawn))

    load.quit = browser.quit  # type: ignore[attr-defined]
    return load


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.serve_bench")
    parser.add_argument("--docs", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    options = parser.parse_args(argv)
    compile_pagemgr()
    from pagemgr.serve import server

    with tempfile.TemporaryDirectory() as folder:
        site = Path(folder) / "site"
        generate_site(site, options.docs)
        os.environ["PAGEMGR_CACHE_DIR"] = str(Path(folder) / "cache")
        rel = first_publication(site)
        with server.running(site) as running:
            api = Api(running.guard.port, running.guard.token)
            first = timed(lambda: api.call("GET", "/api/overview"))
            lists = [timed(lambda: api.call("GET", "/api/overview")) for _ in range(options.repeat)]
            load = browser_list(running.url)
            pages = [timed(load) for _ in range(options.repeat)] if load else []
            if load:
                load.quit()  # type: ignore[attr-defined]
            saves, sets = [], []
            for round_ in range(options.repeat):
                saves.append(timed(lambda r=round_: save_one(api, rel, f"Served {r}")))
                sets.append(timed(lambda r=round_: pagemgr_set(site, rel, f"Set {r}")))
    report(options.docs, first, lists, pages, saves, sets)
    return 0


def report(
    docs: int,
    first: float,
    lists: list[float],
    pages: list[float],
    saves: list[float],
    sets: list[float],
) -> None:
    listed = statistics.median(lists)
    print(f"{docs} documents")
    print(f"publications list, first request (cold cache): {first:.3f} s")
    verdict = "MET" if listed < LIST_GOAL else "MISSED"
    print(f"publications list, median (API): {listed:.3f} s (goal < {LIST_GOAL} s: {verdict})")
    if pages:
        page = statistics.median(pages)
        verdict = "MET" if page < LIST_GOAL else "MISSED"
        print(f"publications list, median (chromium, drawn): {page:.3f} s ({verdict})")
    else:
        print("publications list in chromium: skipped (chromium, chromedriver or selenium missing)")
    saved, set_ = statistics.median(saves), statistics.median(sets)
    ratio = saved / set_
    verdict = "MET" if ratio <= SAVE_RATIO_GOAL else "MISSED"
    print(f"save one field: {saved:.3f} s; pagemgr set: {set_:.3f} s; ratio {ratio:.2f}")
    print(f"  (goal <= {SAVE_RATIO_GOAL}x: {verdict})")


if __name__ == "__main__":
    raise SystemExit(main())
