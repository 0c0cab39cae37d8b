"""`pagemgr serve` turns away what is not its own page: another Host, no token, another origin,
paths out of the site. Each refusal writes nothing."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import make_site
from tests.serve_client import Client, serving

PAPER = "_publications/2020-01-01-paper.md"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    return make_site(tmp_path)


@pytest.fixture
def client(site: Path) -> Iterator[Client]:
    with serving(site) as running:
        yield running


def snapshot(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def save_payload(client: Client) -> dict[str, object]:
    version = client.file(PAPER)["version"]
    changes = [{"path": "venue", "widget": "text", "value": "Changed"}]
    return {"path": PAPER, "version": version, "changes": changes}


def test_binds_loopback_only(client: Client) -> None:
    assert client.running.server.server_address[0] == "127.0.0.1"
    assert client.running.url.startswith(f"http://127.0.0.1:{client.port}/?token=")
    if client.running.loopback6 is not None:
        assert client.running.loopback6.server_address[0] == "::1"


def test_ipv6_loopback_has_the_same_guard(client: Client) -> None:
    import http.client

    if client.running.loopback6 is None:
        pytest.skip("no IPv6 loopback on this machine")

    def status(host: str) -> int:
        connection = http.client.HTTPConnection("::1", client.port, timeout=30)
        try:
            headers = {"Host": host, "X-Pagemgr-Token": client.running.guard.token}
            connection.request("GET", "/api/overview", headers=headers)
            return connection.getresponse().status
        finally:
            connection.close()

    assert status(f"[::1]:{client.port}") == 200
    assert status(f"evil.example:{client.port}") == 421


@pytest.mark.parametrize("host", ["evil.example:{port}", "127.0.0.1:1", "", "attacker.test"])
def test_a_wrong_host_is_refused_and_nothing_written(client: Client, site: Path, host: str) -> None:
    before = snapshot(site)
    payload = save_payload(client)
    wrong = {"Host": host.format(port=client.port)}
    assert client.get(f"/?token={client.running.guard.token}", headers=wrong).status == 421
    assert client.get(f"/api/file?path={PAPER}", headers=wrong).status == 421
    assert client.post("/api/save", payload, headers=wrong).status == 421
    assert snapshot(site) == before


def test_localhost_is_its_own_name(client: Client) -> None:
    assert client.get("/api/overview", headers={"Host": f"localhost:{client.port}"}).status == 200


def test_without_the_token_nothing_is_answered_or_written(client: Client, site: Path) -> None:
    before = snapshot(site)
    payload = save_payload(client)
    assert client.get("/", token=False).status == 403
    assert client.get("/?token=wrong", token=False).status == 403
    assert client.get("/api/overview", token=False).status == 403
    assert client.get("/api/overview", token=False, headers={"X-Pagemgr-Token": "x"}).status == 403
    answer = client.request(
        "POST",
        "/api/save",
        json.dumps(payload).encode(),
        {"Content-Type": "application/json", "Origin": client.origin},
        token=False,
    )
    assert answer.status == 403
    assert snapshot(site) == before


@pytest.mark.parametrize(
    "origin",
    ["http://evil.example", "null", "http://127.0.0.1:1", "https://127.0.0.1:{port}", None],
)
def test_a_cross_origin_change_is_refused(client: Client, site: Path, origin: str | None) -> None:
    before = snapshot(site)
    payload = json.dumps(save_payload(client)).encode()
    headers = {"Content-Type": "application/json"}
    if origin is not None:
        headers["Origin"] = origin.format(port=client.port)
    assert client.request("POST", "/api/save", payload, headers).status == 403
    assert snapshot(site) == before


def test_a_form_post_is_refused(client: Client, site: Path) -> None:
    before = snapshot(site)
    headers = {"Content-Type": "text/plain", "Origin": client.origin}
    body = json.dumps(save_payload(client)).encode()
    assert client.request("POST", "/api/save", body, headers).status == 415
    assert snapshot(site) == before


def test_no_cors(client: Client) -> None:
    answer = client.get("/api/overview", headers={"Origin": "http://evil.example"})
    assert not any(name.lower().startswith("access-control") for name in answer.headers)
    assert client.request("OPTIONS", "/api/save").status == 405
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]


@pytest.mark.parametrize(
    "rel",
    [
        "../outside.md",
        "_publications/../../outside.md",
        "/etc/passwd",
        "_site/index.html",
        ".git/config",
        "_publications/.git/x.md",
        "_publications\\..\\..\\outside.md",
    ],
)
def test_paths_out_of_the_site_are_refused(client: Client, site: Path, rel: str) -> None:
    outside = site.parent / "outside.md"
    outside.write_text("---\ntitle: x\n---\n", encoding="utf-8")
    (site / "_site").mkdir()
    (site / "_site" / "index.html").write_text("built", encoding="utf-8")
    before = snapshot(site.parent)
    assert client.get(f"/api/file?path={rel}").status in (400, 403)
    changes = [{"path": "title", "widget": "text", "value": "y"}]
    answer = client.post("/api/save", {"path": rel, "version": "", "changes": changes})
    assert answer.status in (400, 403)
    assert snapshot(site.parent) == before


def test_a_symlink_out_of_the_site_is_refused(client: Client, site: Path) -> None:
    outside = site.parent / "secret"
    outside.mkdir()
    (outside / "paper.md").write_text("---\ntitle: x\nvenue: v\n---\n", encoding="utf-8")
    os.symlink(outside / "paper.md", site / "_publications" / "link.md")
    os.symlink(outside, site / "_publications" / "folder")
    before = snapshot(site.parent)
    for rel in ("_publications/link.md", "_publications/folder/paper.md"):
        assert client.get(f"/api/file?path={rel}").status == 403
        changes = [{"path": "venue", "widget": "text", "value": "w"}]
        assert client.post("/api/save", {"path": rel, "version": "", "changes": changes}).status
        assert snapshot(site.parent) == before


def test_static_files_are_only_the_pages_own(client: Client) -> None:
    assert client.get("/static/app.js", token=False).status == 200
    for name in ("../server.py", "..%2Fserver.py", "server.py", ".hidden.js"):
        assert client.get(f"/static/{name}", token=False).status == 404


def test_a_huge_or_negative_body_is_refused(client: Client, site: Path) -> None:
    before = snapshot(site)
    for length in ("-1", "999999999", "x"):
        headers = {"Content-Type": "application/json", "Origin": client.origin}
        answer = client.request("POST", "/api/save", b"{}", {**headers, "Content-Length": length})
        assert answer.status in (400, 413)
    assert snapshot(site) == before
