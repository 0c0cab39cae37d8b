"""`pagemgr import orcid|openalex|dblp` against a local server answering as ORCID v3.0, OpenAlex,
DBLP and Crossref document it: paging, 429, timeouts and malformed answers included."""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from conftest import make_site, run_cli
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

DATA = Path(__file__).with_name("data") / "import"
ORCID = "0000-0002-1825-0097"
AUTHOR = "A5023888391"
PID = "12/3456"


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}
    agents: ClassVar[list[str]] = []
    modes: ClassVar[set[str]] = set()

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_file(self, name: str) -> None:
        self.send(200, (DATA / name).read_bytes())

    def do_GET(self) -> None:
        url = urlparse(self.path)
        Handler.hits[url.path] = Handler.hits.get(url.path, 0) + 1
        Handler.agents.append(self.headers.get("User-Agent", ""))
        service, _, rest = url.path.lstrip("/").partition("/")
        route = {
            "orcid": self.orcid,
            "openalex": self.openalex,
            "dblp": self.dblp,
            "crossref": self.crossref,
        }.get(service)
        if route is None:
            self.send(404, b"no")
        else:
            route(unquote(rest), parse_qs(url.query))

    def orcid(self, path: str, query: dict[str, list[str]]) -> None:
        if "application/json" not in self.headers.get("Accept", ""):
            self.send(406, b"ORCID answers XML unless asked for JSON")
        elif path == f"v3.0/{ORCID}/works":
            if "slow-list" in Handler.modes:
                time.sleep(1)
            self.send_file("orcid-works.json")
        elif path == f"v3.0/{ORCID}/work/1005":
            self.send(200, b'{"put-code": 1005, "title": {"title": {"va')
        elif path == f"v3.0/{ORCID}/work/1003" and "slow-work" in Handler.modes:
            time.sleep(1)
            self.send_file("orcid-work-1003.json")
        elif (
            path.startswith(f"v3.0/{ORCID}/work/")
            and (DATA / f"orcid-work-{path.rsplit('/', 1)[-1]}.json").is_file()
        ):
            self.send_file(f"orcid-work-{path.rsplit('/', 1)[-1]}.json")
        else:
            self.send(404, b'{"response-code": 404}')

    def openalex(self, path: str, query: dict[str, list[str]]) -> None:
        if path == f"authors/orcid:{ORCID}":
            self.send_file("openalex-author.json")
            return
        if path != "works" or query.get("filter") != [f"author.id:{AUTHOR}"]:
            self.send(404, b'{"error": "not found"}')
            return
        if "broken-list" in Handler.modes:
            self.send(200, b'{"meta": {"count": 3}, "results": [')
            return
        cursor = query["cursor"][0]
        page = {"*": 1, "IlsxNjA5MzcyODAwMDAwXSI=": 2, "IlsxNTAwMDAwMDAwMDAwXSI=": 3}[cursor]
        key = f"openalex-page-{page}"
        Handler.hits[key] = Handler.hits.get(key, 0) + 1
        if "busy" in Handler.modes and page == 1 and Handler.hits[key] == 1:
            self.send(429, b'{"error": "rate limited"}', {"Retry-After": "1"})
            return
        data = json.loads((DATA / f"openalex-page-{page}.json").read_text())
        if "renamed" in Handler.modes:
            for work in data["results"]:
                if work.get("primary_location", {}).get("source"):
                    work["primary_location"]["source"]["display_name"] += " (Renamed)"
        if "huge-abstract" in Handler.modes and page == 2:
            words = {f"w{n}": [n] for n in range(400_000)}  # ~5 MB of JSON
            data["results"][1]["abstract_inverted_index"] = words
        data["mailto"] = query.get("mailto", [""])[0]
        self.send(200, json.dumps(data).encode())

    def dblp(self, path: str, query: dict[str, list[str]]) -> None:
        if path == f"pid/{PID}.xml":
            if "flaky" in Handler.modes and Handler.hits[f"/dblp/{path}"] == 1:
                self.send(502, b"<html>Bad Gateway</html>")
            elif "broken-list" in Handler.modes:
                self.send(200, b"<dblpperson><r><article>")
            else:
                self.send_file("dblp-person.xml")
        else:
            self.send(404, b"<html>not found</html>")

    def crossref(self, path: str, query: dict[str, list[str]]) -> None:
        if path == "works/10.1234/jacm.2024":
            self.send_file("crossref-jacm.json")
        else:
            self.send(404, b"Resource not found.")


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout tests) is expected


@pytest.fixture
def server(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    Handler.hits, Handler.agents, Handler.modes = {}, [], set()
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    base = f"http://127.0.0.1:{httpd.server_address[1]}"
    monkeypatch.setenv("PAGEMGR_ORCID_URL", f"{base}/orcid/v3.0")
    monkeypatch.setenv("PAGEMGR_OPENALEX_URL", f"{base}/openalex")
    monkeypatch.setenv("PAGEMGR_DBLP_URL", f"{base}/dblp")
    monkeypatch.setenv("PAGEMGR_CROSSREF_URL", f"{base}/crossref")
    try:
        yield base
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def run_import(site: Path, *args: str) -> tuple[int, str, str]:
    result = run_cli("import", *args, "--site", site)
    return result.exit_code, result.stdout, result.stderr


def front(path: Path) -> dict[str, object]:
    data = yamlio.load(parse_document(path.read_text(encoding="utf-8")).front_matter).data
    assert isinstance(data, dict)
    return data


def snapshot(site: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((site / "_publications").iterdir())}


def written(site: Path, out: str) -> list[Path]:
    return [site / line for line in out.splitlines() if line]


def check_clean(site: Path, paths: list[Path], *, allowed: str = "") -> None:
    """No error and no warning on any of `paths` (but the rule `allowed`)."""
    args = ("--ignore", allowed) if allowed else ()
    result = run_cli("check", "--site", site, *args, *paths)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert "0 errors, 0 warnings" in result.stdout, result.stdout


def test_orcid_import_merges_completes_and_skips_with_reasons(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    code, out, err = run_import(site, "orcid", f"https://orcid.org/{ORCID}")
    assert code == 0, err
    paths = written(site, out)
    assert sorted(p.name for p in paths) == [
        "2019-03-02-a-paper-whose-details-are-broken.md",
        "2021-05-01-fast-graphs-trees.md",
        "2024-06-01-sparse-flows-on-graphs.md",
    ]
    check_clean(site, paths)
    journal = front(site / "_publications" / "2024-06-01-sparse-flows-on-graphs.md")
    assert journal["category"] == "manuscripts"
    assert journal["venue"] == "Journal of the ACM"
    assert str(journal["date"]) == "2024-06-01", "Crossref's full date beats ORCID's year"
    assert journal["citation"] == (
        "Doe, Jane; Smith, Ann (2024). &quot;Sparse Flows on Graphs.&quot; "
        "<i>Journal of the ACM</i>. 71(3), 1-42."
    )
    record = journal["pagemgr_wrote"]
    assert isinstance(record, dict) and record["orcid"] == f"{ORCID}/work/1001"
    text = (site / "_publications" / "2024-06-01-sparse-flows-on-graphs.md").read_text()
    assert "[arXiv:2301.00001](https://arxiv.org/abs/2301.00001)" in text, "the preprint's link"
    conference = front(site / "_publications" / "2021-05-01-fast-graphs-trees.md")
    assert (conference["title"], conference["category"]) == ("Fast Graphs & Trees", "conferences")
    assert "ORCID work 1005: its details could not be read" in err
    assert "not completed from Crossref" in err and "10.1234/missing (404)" in err
    assert "skipped ORCID 0000-0002-1825-0097/work/1006: the source gives no title" in err
    assert (
        "'data-set' is not one pagemgr imports by itself; map it in _config.yml (pagemgr: " in err
    )
    assert "import_categories: {data-set: CATEGORY})" in err
    assert "'xyz-thing'" in err
    assert err.strip().endswith("3 added, 0 updated, 1 left, 3 skipped")
    assert all("mailto:" in agent for agent in Handler.agents)
    before = snapshot(site)
    code, out, err = run_import(site, "orcid", ORCID)
    assert code == 0 and out == "", err
    assert snapshot(site) == before, "a second import changes nothing"
    assert err.strip().endswith("0 added, 0 updated, 4 left, 3 skipped")


def test_openalex_follows_the_cursor_and_waits_out_a_429(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    Handler.modes = {"busy", "huge-abstract"}
    started = time.monotonic()
    code, out, err = run_import(site, "openalex", AUTHOR, "--mailto", "jane@example.org")
    assert code == 0, err
    assert time.monotonic() - started >= 1.0, "Retry-After: 1 was honoured"
    assert (Handler.hits["openalex-page-1"], Handler.hits["openalex-page-2"]) == (2, 1)
    assert Handler.hits["openalex-page-3"] == 1, "paged until next_cursor ran out"
    assert all("mailto:jane@example.org" in agent for agent in Handler.agents)
    paths = written(site, out)
    assert sorted(p.name for p in paths) == [
        "2015-03-01-an-old-paper.md",
        "2021-05-20-fast-graphs-trees.md",
        "2024-06-01-sparse-flows-on-graphs.md",
    ]
    check_clean(site, paths)
    old = (site / "_publications" / "2015-03-01-an-old-paper.md").read_text()
    assert len(old) < 5000 and "w399999" not in old
    assert "OpenAlex W1005: abstract of 3,088,889 characters left out (at most 20,000)" in err
    cache = Path(os.environ["XDG_CACHE_HOME"]) / "pagemgr" / "http"
    assert not list(cache.glob("*.body")), "lists are not cached: they are stale tomorrow"
    assert "skipped OpenAlex (no id): it has no OpenAlex work id" in err
    assert "'paratext'" in err
    conference = front(site / "_publications" / "2021-05-20-fast-graphs-trees.md")
    assert conference["category"] == "conferences"
    record = front(site / "_publications" / "2024-06-01-sparse-flows-on-graphs.md")["pagemgr_wrote"]
    assert isinstance(record, dict) and record["openalex"] == "W1001"


def test_openalex_by_orcid_and_dry_run_table(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    before = snapshot(site)
    code, out, err = run_import(site, "openalex", ORCID, "--dry-run", "--since", "2020")
    assert code == 0, err
    assert snapshot(site) == before, "--dry-run writes nothing"
    lines = out.splitlines()
    actions = [line.split()[0] for line in lines]
    assert actions == ["added", "added", "left", "left", "skipped", "skipped"]
    assert "OpenAlex W1002 'Sparse flows on graphs': the same paper as OpenAlex W1001" in out
    assert "_publications/2024-06-01-sparse-flows-on-graphs.md" in lines[0]
    assert "2015 is before --since 2020" in out
    assert "2 would be added" in err
    code, out, err = run_import(site, "openalex", AUTHOR, "--dry-run", "--type", "conference")
    assert code == 0, err
    assert [line.split()[0] for line in out.splitlines()].count("added") == 1
    assert "fast-graphs-trees" in out and "not --type conference" in out


def test_dblp_names_titles_and_preprints(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    Handler.modes = {"flaky"}
    code, out, err = run_import(site, "dblp", f"https://dblp.org/pid/{PID}.html")
    assert code == 0, err
    assert Handler.hits[f"/dblp/pid/{PID}.xml"] == 2, "a 502 is asked again after a pause"
    paths = written(site, out)
    assert sorted(p.name for p in paths) == [
        "2021-01-01-fast-graphs-trees.md",
        "2024-06-01-sparse-flows-on-graphs.md",
    ]
    check_clean(site, paths)
    journal = front(site / "_publications" / "2024-06-01-sparse-flows-on-graphs.md")
    assert journal["venue"] == "J. ACM", "DBLP's venue kept; Crossref only completes"
    assert journal["citation"] == (
        "Doe, Jane; Smith, Ann (2024). &quot;Sparse Flows on Graphs.&quot; <i>J. ACM</i>. "
        "71(3), 1-42."
    )
    record = journal["pagemgr_wrote"]
    assert isinstance(record, dict) and record["dblp"] == "journals/jacm/DoeS24"
    text = paths[0].read_text() + paths[1].read_text()
    assert "Doe, Jane; Roe, Bob (2021)" in text and " 0001" not in text and " 0002" not in text
    assert "'proceedings'" in err and "skipped DBLP journals/x/Empty20" in err
    before = snapshot(site)
    code, out, err = run_import(site, "dblp", PID)
    assert (code, out) == (0, "") and snapshot(site) == before


def test_update_refreshes_only_what_pagemgr_wrote(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    code, out, err = run_import(site, "openalex", AUTHOR)
    assert code == 0, err
    edited = site / "_publications" / "2015-03-01-an-old-paper.md"
    edited.write_text(edited.read_text().replace("venue: 'Old Journal'", "venue: 'My Venue'"))
    Handler.modes = {"renamed"}
    code, out, err = run_import(site, "openalex", AUTHOR, "--dry-run")
    assert code == 0, err
    assert "--update would refresh venue, citation" in out
    code, out, err = run_import(site, "openalex", AUTHOR, "--update")
    assert code == 0, err
    journal = front(site / "_publications" / "2024-06-01-sparse-flows-on-graphs.md")
    assert journal["venue"] == "Journal of the ACM (Renamed)"
    assert "(Renamed)" in str(journal["citation"])
    assert front(edited)["venue"] == "My Venue"
    assert "kept venue (it was edited after pagemgr wrote it)" in err
    check_clean(site, written(site, out))
    before = snapshot(site)
    code, out, err = run_import(site, "openalex", AUTHOR, "--update")
    assert code == 0 and out == "" and snapshot(site) == before


def test_a_slow_work_falls_back_to_its_summary(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    Handler.modes = {"slow-work"}
    code, out, err = run_import(site, "orcid", ORCID, "--timeout", "0.2")
    assert code == 0, err
    assert "ORCID work 1003: its details could not be read" in err
    assert "no answer within 0.2s" in err
    assert "_publications/2021-05-01-fast-graphs-trees.md" in out


@pytest.mark.parametrize(
    ("modes", "args", "message"),
    [
        ({"slow-list"}, ("orcid", ORCID, "--timeout", "0.2"), "after 3 tries (no answer within"),
        ({"broken-list"}, ("openalex", AUTHOR), "that is not valid JSON"),
        ({"broken-list"}, ("dblp", PID), "DBLP's answer about person 12/3456 is not valid XML"),
        (set(), ("dblp", "99/9999"), "does not know DBLP person 99/9999 (404)"),
    ],
)
def test_a_source_that_fails_is_one_line(
    tmp_path: Path, server: str, modes: set[str], args: tuple[str, ...], message: str
) -> None:
    site = make_site(tmp_path)
    Handler.modes = modes
    before = snapshot(site)
    code, _, err = run_import(site, *args)
    assert code == 1, err
    assert message in err and len(err.strip().splitlines()) == 1, err
    assert snapshot(site) == before


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("orcid", "0000-0002-1825-0098"), "is not an ORCID iD"),
        (("openalex", "W123"), "neither an OpenAlex author id"),
        (("dblp", "../etc/passwd"), "is not a DBLP person id"),
        (("orcid", ORCID, "--mailto", "me\r\nX-Evil: 1"), "is not an email address"),
    ],
)
def test_bad_ids_are_usage_errors(tmp_path: Path, args: tuple[str, ...], message: str) -> None:
    code, _, err = run_import(make_site(tmp_path), *args)
    assert code == 2 and message in err, err


def test_the_site_maps_types_to_categories(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    config = site / "_config.yml"
    config.write_text(
        config.read_text() + "pagemgr:\n  import_categories:\n"
        "    xyz-thing: manuscripts\n    conference: manuscripts\n"
    )
    code, out, err = run_import(site, "orcid", ORCID)
    assert code == 0, err
    assert "_publications/2017-01-01-a-thing-of-unknown-type.md" in out
    assert front(site / "_publications" / "2021-05-01-fast-graphs-trees.md")["category"] == (
        "manuscripts"
    )
    check = run_cli("check", "--site", site, config)
    assert check.exit_code == 0 and "import_categories" not in check.stdout, check.stdout
    config.write_text(config.read_text().replace("xyz-thing: manuscripts", "xyz-thing: nothing"))
    code, _, err = run_import(site, "orcid", ORCID)
    assert code == 2 and "names 'nothing', not a key of publication_category" in err


TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "academicpages-template"
THEME = Path(__file__).resolve().parents[1] / "site"  # the layouts the corpus copy lacks
NO_GEMS = "plugins: [jekyll-feed, jekyll-sitemap]\nwhitelist: []\n"  # what Debian packages


def test_import_into_the_template_builds_and_is_listed(tmp_path: Path, server: str) -> None:
    import re
    import shutil
    import subprocess

    from conftest import require_jekyll

    if not TEMPLATE.is_dir():
        pytest.skip(f"the academicpages template is not at {TEMPLATE}")
    site = tmp_path / "site"
    shutil.copytree(TEMPLATE, site)
    for folder in ("_layouts", "_includes", "_pages"):
        shutil.rmtree(site / folder, ignore_errors=True)
        shutil.copytree(THEME / folder, site / folder)
    code, out, err = run_import(site, "openalex", AUTHOR)
    assert code == 0, err
    paths = written(site, out)
    assert len(paths) == 3 and all("mailto:none@example.org" in a for a in Handler.agents)
    check_clean(site, paths, allowed="cv-json-stale")  # the template's _data/cv.json is stale
    before = snapshot(site)
    code, out, err = run_import(site, "openalex", AUTHOR)
    assert (code, out) == (0, "") and snapshot(site) == before, err
    jekyll = require_jekyll()
    (tmp_path / "no-gems.yml").write_text(NO_GEMS)
    build = subprocess.run(
        [
            jekyll,
            "build",
            "-d",
            str(tmp_path / "out"),
            "--config",
            f"_config.yml,{tmp_path}/no-gems.yml",
        ],
        cwd=site,
        capture_output=True,
        text=True,
        timeout=180,
        env=dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true"),
    )
    assert build.returncode == 0, build.stdout + build.stderr
    assert not any(p.stem in build.stderr for p in paths), build.stderr
    listing = (tmp_path / "out" / "publications" / "index.html").read_text("utf-8")
    headings = {
        h: listing.index(f"<h2>{h}</h2>") for h in ("Journal Articles", "Conference Papers")
    }
    for path in paths:
        category = front(path)["category"]
        heading = headings["Conference Papers" if category == "conferences" else "Journal Articles"]
        link = listing.index(f'href="/publication/{path.stem}"')
        following = [i for i in headings.values() if i > heading]
        assert heading < link < min(following, default=len(listing)), path.name
    page = (tmp_path / "out" / "publication" / "2021-05-20-fast-graphs-trees.html").read_text()
    assert "Fast Graphs &amp; Trees" in page and "&amp;amp;" not in page
    assert not re.search(r"<i>Fast</i>", page)


@pytest.mark.parametrize("name", ["CoburgGraphicsLab", "Jiahuan-Pei"])
def test_import_into_a_corpus_site_follows_its_conventions(
    tmp_path: Path, server: str, name: str
) -> None:
    import shutil

    corpus = TEMPLATE.parent / name
    if not corpus.is_dir():
        pytest.skip(f"the corpus site {name} is not at {corpus}")
    site = tmp_path / "site"
    shutil.copytree(corpus, site)
    code, out, err = run_import(site, "openalex", AUTHOR)
    assert code == 0, err
    paths = written(site, out)
    assert len(paths) == 3, err
    check_clean(site, paths, allowed="cv-json-stale")
    existing = [p for p in (site / "_publications").iterdir() if p not in paths]
    crlf = sum(b"\r\n" in p.read_bytes() for p in existing) * 3 >= 2 * len(existing)
    assert all((b"\r\n" in p.read_bytes()) == crlf for p in paths)
    before = snapshot(site)
    code, out, err = run_import(site, "openalex", AUTHOR)
    assert (code, out) == (0, "") and snapshot(site) == before, err


def test_a_terminal_sees_a_progress_line(tmp_path: Path, server: str) -> None:
    import pty
    import subprocess
    import sys

    site = make_site(tmp_path)
    leader, follower = pty.openpty()
    with subprocess.Popen(
        [sys.executable, "-m", "pagemgr", "import", "openalex", AUTHOR, "--site", site],
        stdout=subprocess.PIPE,
        stderr=follower,
    ) as process:
        os.close(follower)
        shown = b""
        while True:
            try:
                chunk = os.read(leader, 4096)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            shown += chunk
        assert process.wait(60) == 0, shown
    os.close(leader)
    assert b"\rpagemgr: reading OpenAlex: 6/6 works" in shown
    assert b"3 added, 0 updated, 1 left, 2 skipped" in shown


def test_the_published_version_wins_and_keeps_the_preprints_link() -> None:
    from pagemgr.add.importing import Imported, merge_duplicates
    from pagemgr.add.record import Work

    preprint = Imported(
        Work("b", kind="preprint", title="Sparse flows.", doi="10.1101/2020.01.01.1"), "preprint"
    )
    published = Imported(
        Work("a", kind="article", title="Sparse Flows", doi="10.1/pub", venue="J"), "article"
    )
    kept, merged = merge_duplicates([preprint, published])
    assert kept == [published] and [m.name for m in merged] == [preprint.name]
    assert published.extra_urls == ["https://doi.org/10.1101/2020.01.01.1"]
    assert published.work.doi == "10.1/pub"
