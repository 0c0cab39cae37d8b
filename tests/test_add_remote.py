"""`--doi` and `--arxiv` against a local server shaped like Crossref and arXiv."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar
from urllib.parse import parse_qs, unquote, urlparse

import pytest

from conftest import make_site, run_cli

CROSSREF_WORK = {
    "status": "ok",
    "message": {
        "DOI": "10.1234/good",
        "type": "journal-article",
        "title": ["Deep <i>Learning</i> for Référendums"],
        "container-title": ["Journal of Good Results"],
        "author": [
            {"given": "Jane", "family": "Doe"},
            {"given": "Ann", "family": "Smith"},
            {"name": "The Consortium"},
        ],
        "published-print": {"date-parts": [[2022, 6, 15]]},
        "volume": "7",
        "issue": "2",
        "abstract": "<jats:p>We show {{ things }}.</jats:p>",
    },
}
ARXIV_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:arxiv="http://arxiv.org/schemas/atom">
  <entry>
    <id>http://arxiv.org/abs/2401.01234v2</id>
    <published>2024-01-03T18:00:00Z</published>
    <title>A Preprint
      About Things</title>
    <summary>  An abstract.  </summary>
    <author><name>Jane Doe</name></author>
    <author><name>Bob Roe</name></author>
  </entry>
</feed>"""
EMPTY_FEED = """<?xml version="1.0" encoding="UTF-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"></feed>"""


class Handler(BaseHTTPRequestHandler):
    hits: ClassVar[dict[str, int]] = {}

    def log_message(self, *args: object) -> None:
        pass

    def send(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self) -> None:
        url = urlparse(self.path)
        Handler.hits[self.path] = Handler.hits.get(self.path, 0) + 1
        if url.path.startswith("/works/"):
            self.crossref(unquote(url.path[len("/works/") :]))
        elif url.path == "/query":
            self.arxiv(parse_qs(url.query)["id_list"][0])
        else:
            self.send(404, b"no")

    def crossref(self, doi: str) -> None:
        if doi == "10.1234/good":
            self.send(200, json.dumps(CROSSREF_WORK).encode())
        elif doi == "10.1234/busy":
            if Handler.hits[self.path] == 1:
                self.send(429, b"slow down", {"Retry-After": "1"})
            else:
                work = json.loads(json.dumps(CROSSREF_WORK))
                work["message"]["DOI"] = doi
                work["message"]["title"] = ["Busy Paper"]
                self.send(200, json.dumps(work).encode())
        elif doi == "10.1234/unavailable":
            self.send(503, b"down", {"Retry-After": "3600"})
        elif doi == "10.1234/slow":
            time.sleep(1.5)
            self.send(200, json.dumps(CROSSREF_WORK).encode())
        elif doi == "10.1234/broken":
            self.send(200, b'{"message": {"title": [')
        else:
            self.send(404, b"Resource not found.")

    def arxiv(self, arxiv_id: str) -> None:
        if arxiv_id == "2401.01234":
            self.send(200, ARXIV_FEED.encode())
        elif arxiv_id == "2401.00001":
            self.send(200, b"<feed><entry>")
        else:
            self.send(200, EMPTY_FEED.encode())


class QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) is expected


@pytest.fixture
def server() -> Iterator[str]:
    Handler.hits = {}
    httpd = QuietServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)


def add(site: Path, base: str, *args: str) -> tuple[int, str, str]:
    result = run_cli(
        "add", "publication", "--site", site, "--crossref-url", base, "--arxiv-url", base, *args
    )
    return result.exit_code, result.stdout, result.stderr


def names(site: Path) -> list[str]:
    return sorted(p.name for p in (site / "_publications").iterdir())


def test_doi_from_crossref(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    code, _, err = add(site, server, "--doi", "https://doi.org/10.1234/GOOD")
    assert code == 0, err
    path = site / "_publications" / "2022-06-15-deep-learning-for-referendums.md"
    text = path.read_text(encoding="utf-8")
    assert 'title: "Deep Learning for Référendums"' in text
    assert "venue: 'Journal of Good Results'" in text
    assert "paperurl: 'https://doi.org/10.1234/good'" in text
    assert (
        "citation: 'Doe, Jane; Smith, Ann; The Consortium (2022). &quot;Deep Learning "
        "for Référendums.&quot; <i>Journal of Good Results</i>. 7(2).'"
    ) in text
    assert "{% raw %}\nWe show {{ things }}.\n{% endraw %}" in text
    assert run_cli("check", "--site", site, path).exit_code == 0
    code, _, err = add(site, server, "--doi", "10.1234/good")
    assert code == 0 and "same DOI 10.1234/good" in err


def test_flags_override_source_and_answers_are_cached(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    code, _, err = add(
        site, server, "--doi", "10.1234/good", "--venue", "Mine", "--dry-run", "--no-bold-me"
    )
    assert code == 0, err
    assert Handler.hits == {"/works/10.1234%2Fgood": 1}
    code, out, err = add(
        site, server, "--doi", "10.1234/good", "--venue", "Mine", "--dry-run", "--no-bold-me"
    )
    assert Handler.hits == {"/works/10.1234%2Fgood": 1}, "the second run reads the cache"
    assert "venue: 'Mine'" in out and "<i>Mine</i>" in out and "<b>" not in out
    assert names(site) == ["2020-01-01-paper.md"]


def test_arxiv(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    code, _, err = add(site, server, "--arxiv", "arXiv:2401.01234v2", "--category", "manuscripts")
    assert code == 0, err
    text = (site / "_publications" / "2024-01-03-a-preprint-about-things.md").read_text()
    assert "venue: 'arXiv preprint arXiv:2401.01234'" in text
    assert "paperurl: 'https://arxiv.org/abs/2401.01234'" in text
    code, _, err = add(site, server, "--arxiv", "2401.01234", "--category", "manuscripts")
    assert code == 0 and "same arXiv 2401.01234" in err


def test_429_with_retry_after_is_retried(tmp_path: Path, server: str) -> None:
    site = make_site(tmp_path)
    started = time.monotonic()
    code, _, err = add(site, server, "--doi", "10.1234/busy")
    assert code == 0, err
    assert time.monotonic() - started >= 1.0
    assert Handler.hits["/works/10.1234%2Fbusy"] == 2
    assert "2022-06-15-busy-paper.md" in names(site)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--doi", "10.1234/missing"), "does not know DOI 10.1234/missing (404)"),
        (("--doi", "10.1234/unavailable"), "asks to wait 3600s"),
        (
            ("--doi", "10.1234/broken"),
            "sent an answer about DOI 10.1234/broken that is not valid JSON",
        ),
        (("--doi", "10.1234/slow", "--timeout", "0.3"), "after 3 tries (no answer within 0.3s)"),
        (("--arxiv", "2401.00001", "--category", "manuscripts"), "that is not valid XML"),
        (
            ("--arxiv", "2401.99999", "--category", "manuscripts"),
            "arXiv does not know arXiv 2401.99999",
        ),
    ],
)
def test_service_failures_are_one_clear_line(
    tmp_path: Path, server: str, args: tuple[str, ...], message: str
) -> None:
    site = make_site(tmp_path)
    code, _, err = add(site, server, *args)
    assert code == 1, err
    assert message in err
    assert len(err.strip().splitlines()) == 1, err
    assert names(site) == ["2020-01-01-paper.md"]


def test_offline_is_a_clear_error(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    code, _, err = add(site, f"http://127.0.0.1:{port}", "--doi", "10.1234/good")
    assert code == 1
    assert err.startswith(f"pagemgr: error: cannot reach 127.0.0.1:{port} for DOI 10.1234/good")
    assert "are you offline?" in err


def test_env_variables_name_the_services(
    tmp_path: Path, server: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site = make_site(tmp_path)
    monkeypatch.setenv("PAGEMGR_CROSSREF_URL", server)
    monkeypatch.setenv("PAGEMGR_ARXIV_URL", server)
    result = run_cli(
        "add",
        "publication",
        "--site",
        site,
        "--doi",
        "10.1234/good",
        "--arxiv",
        "2401.01234",
        "--category",
        "manuscripts",
    )
    assert result.exit_code == 0, result.stderr
    assert len(names(site)) == 3
