"""`pagemgr serve`'s routes without a browser: forms from the schemas, saves through the splice
editor and the gate, conflicts, the publish panel, and a light `--help`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import make_site
from tests.serve_client import Client, flatten, serving

from pagemgr.edit import atomic

PAPER = "_publications/2020-01-01-paper.md"
CRLF = "_publications/2021-05-05-crlf.md"
CRLF_TEXT = (
    "---\r\ntitle:   'Windows paper'   # keep me\r\ncollection: publications\r\n"
    "category: manuscripts\r\npermalink: /publication/2021-05-05-crlf\r\ndate: 2021-05-05\r\n"
    'venue: "Old Venue"\r\nmy_own_key: {a: 1}\r\n---\r\nBody line one.\r\nline two.\r\n'
)
TEAM = "- name: Ada\n  role: lead  # the boss\n- name: Bob\n  role: dev\n"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = make_site(tmp_path)
    (root / CRLF).write_bytes(CRLF_TEXT.encode())
    (root / "_data" / "team.yml").write_text(TEAM, encoding="utf-8")
    return root


@pytest.fixture
def client(site: Path) -> Iterator[Client]:
    with serving(site) as running:
        yield running


def fields(client: Client, rel: str) -> dict[str, Any]:
    return {field["path"]: field for field in flatten(client.file(rel)["fields"])}


def test_the_form_follows_the_schema(client: Client) -> None:
    form = fields(client, PAPER)
    assert form["category"]["widget"] == "select"
    assert form["category"]["options"] == ["manuscripts", "conferences"]
    assert form["date"]["widget"] == "date" and form["date"]["value"] == "2020-01-01"
    assert form["venue"]["required"] and form["venue"]["help"]
    assert form["title"]["help"].startswith("Title shown on the page")
    assert form["published"]["widget"] == "checkbox" and "value" in form["published"]
    assert form["tags"]["widget"] in ("list", "text")


def test_unknown_keys_are_shown_and_kept(client: Client, site: Path) -> None:
    form = fields(client, CRLF)
    assert form["my_own_key"]["known"] is False
    assert form["my_own_key.a"]["value"] == 1
    assert client.save(CRLF, {"venue": "New Venue"}).status == 200
    assert b"my_own_key: {a: 1}\r\n" in (site / CRLF).read_bytes()


def test_saving_changes_only_the_value_and_keeps_crlf(client: Client, site: Path) -> None:
    answer = client.save(CRLF, {"venue": "New Venue", "title": "Windows paper"})
    assert answer.status == 200, answer.body
    expected = CRLF_TEXT.replace('venue: "Old Venue"', 'venue: "New Venue"')
    assert (site / CRLF).read_bytes() == expected.encode()


def test_the_body_and_front_matter_are_one_write(client: Client, site: Path) -> None:
    answer = client.save(CRLF, {"venue": "V2"}, body="Body line one.\nchanged.\n")
    assert answer.status == 200, answer.body
    text = (site / CRLF).read_bytes().decode()
    assert text.endswith(
        'venue: "V2"\r\nmy_own_key: {a: 1}\r\n---\r\nBody line one.\r\nchanged.\r\n'
    )


def test_a_dry_run_shows_the_diff_and_writes_nothing(client: Client, site: Path) -> None:
    before = (site / PAPER).read_bytes()
    answer = client.save(PAPER, {"venue": "Journal 2"}, dry_run=True)
    assert answer.status == 200
    assert "-venue: 'Journal 1'\n+venue: 'Journal 2'\n" in answer.json()["diff"]
    assert not answer.json()["written"]
    assert (site / PAPER).read_bytes() == before


def test_a_date_and_a_flag_keep_their_types(client: Client, site: Path) -> None:
    assert client.save(PAPER, {"date": "2020-02-02", "published": True}).status == 200
    text = (site / PAPER).read_text(encoding="utf-8")
    assert "date: 2020-02-02\n" in text and "published: true\n" in text


def test_an_edit_adding_an_error_is_refused_with_the_findings(client: Client, site: Path) -> None:
    other = site / "_publications" / "2021-01-01-other.md"
    other.write_text(
        (site / PAPER).read_text(encoding="utf-8").replace("2020-01-01-paper", "2021-other"),
        encoding="utf-8",
    )
    before = other.read_bytes()
    rel = "_publications/2021-01-01-other.md"
    answer = client.save(rel, {"permalink": "/publication/2020-01-01-paper"})
    assert answer.status == 422
    assert {f["rule"] for f in answer.json()["errors"]} == {"output-collision"}
    assert other.read_bytes() == before
    forced = client.save(rel, {"permalink": "/publication/2020-01-01-paper"}, force=True)
    assert forced.status == 200 and forced.json()["written"]


def test_a_file_changed_since_it_was_opened_is_not_overwritten(client: Client, site: Path) -> None:
    opened = client.file(PAPER)
    theirs = (site / PAPER).read_text(encoding="utf-8").replace("Body.", "Theirs.")
    (site / PAPER).write_text(theirs, encoding="utf-8")
    change = [{"path": "venue", "widget": "text", "value": "Mine"}]
    payload = {"path": PAPER, "version": opened["version"], "changes": change}
    answer = client.post("/api/save", payload)
    assert answer.status == 409 and "changed on disk" in answer.json()["conflict"]
    assert (site / PAPER).read_text(encoding="utf-8") == theirs


def test_a_writer_racing_the_save_is_detected(
    client: Client, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = atomic.write_atomic
    theirs = b"---\ntitle: theirs\nvenue: v\ndate: 2020-01-01\n---\n"

    def racing(path: Path, data: bytes, expected: bytes) -> None:
        path.write_bytes(theirs)  # another writer, between the read and the write
        real(path, data, expected)

    monkeypatch.setattr(atomic, "write_atomic", racing)
    assert client.save(PAPER, {"venue": "Mine"}).status == 409
    assert (site / PAPER).read_bytes() == theirs


def test_a_top_level_list_is_a_form_of_items(client: Client, site: Path) -> None:
    form = fields(client, "_data/team.yml")
    assert form["[1].name"]["value"] == "Bob"
    answer = client.save("_data/team.yml", {"[0].role": "chief"})
    assert answer.status == 200, answer.body
    assert (site / "_data/team.yml").read_text(encoding="utf-8") == TEAM.replace(
        "role: lead", "role: chief"
    )


def test_the_config_shows_its_author_block(client: Client, site: Path) -> None:
    form = fields(client, "_config.yml")
    assert form["author.github"]["value"] == "janedoe"
    assert all(path.startswith("author.") for path in form), list(form)
    assert client.save("_config.yml", {"author.github": "jdoe"}).status == 200
    assert "  github: jdoe\n" in (site / "_config.yml").read_text(encoding="utf-8")


def test_findings_sit_beside_their_field(client: Client, site: Path) -> None:
    text = (site / PAPER).read_text(encoding="utf-8").replace("manuscripts", "posters")
    (site / PAPER).write_text(text, encoding="utf-8")
    found = client.file(PAPER)["findings"]
    assert any(f["field"] == "category" and "posters" in f["message"] for f in found)


def test_the_overview_counts_findings(client: Client, site: Path) -> None:
    (site / "_publications" / "2022-01-01-x.md").write_text("---\ntitle: x\n---\n", "utf-8")
    sections = {s["label"]: s for s in client.get("/api/overview").json()["sections"]}
    entries = {e["path"]: e for e in sections["publications"]["entries"]}
    assert entries["_publications/2022-01-01-x.md"]["errors"] >= 1
    assert entries[PAPER]["errors"] == 0 and entries[PAPER]["title"] == "A Paper"
    assert "_config.yml" in {e["path"] for e in sections["data and settings"]["entries"]}


def test_no_credential_reaches_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.gitrepo import git, isolate_git, new_repo

    isolate_git(tmp_path, monkeypatch)
    work, root = new_repo(tmp_path)
    git(work, "remote", "add", "origin", "https://jane:s3cr3t-token@example.invalid/site.git")
    (root / PAPER).write_text("---\ntitle: x\nvenue: y\ndate: 2020-01-01\n---\n", "utf-8")
    with serving(root) as client:
        panel = client.get("/api/publish")
        every = [panel, client.get("/api/overview"), client.get(f"/api/file?path={PAPER}")]
        assert all(b"s3cr3t" not in answer.body for answer in every)
        assert PAPER in {change["path"] for change in panel.json()["changes"]}


def test_requests_are_served_one_change_at_a_time(client: Client, site: Path) -> None:
    opened = client.file(PAPER)
    answers: list[int] = []

    def save(venue: str) -> None:
        change = [{"path": "venue", "widget": "text", "value": venue}]
        payload = {"path": PAPER, "version": opened["version"], "changes": change}
        answers.append(client.post("/api/save", payload).status)

    threads = [threading.Thread(target=save, args=(f"V{n}",)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers) == [200, 409, 409, 409]


def test_help_and_check_do_not_import_the_server() -> None:
    code = (
        "import sys\nfrom pagemgr.cli import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith(('pagemgr.serve', "
        "'http.server', 'pagemgr.commands.serve')))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import json\n" + code], capture_output=True, text=True, check=True
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []


def test_a_fix_is_offered_and_applied_through_the_gate(client: Client, site: Path) -> None:
    text = (site / PAPER).read_text(encoding="utf-8")
    (site / PAPER).write_text(text.replace("collection: publications", "collection: x"), "utf-8")
    opened = client.file(PAPER)
    offer = next(o for o in opened["fixes"] if o["id"] == "collection-folder")
    assert offer["field"] == "collection"
    request = {"path": PAPER, "version": opened["version"], "fix": offer["id"]}
    assert client.post("/api/fix", {**request, "dry_run": True}).json()["diff"]
    assert client.post("/api/fix", request).status == 200
    assert (site / PAPER).read_text(encoding="utf-8") == text


def test_the_command_prints_its_address_and_stops_on_ctrl_c(site: Path, tmp_path: Path) -> None:
    import re
    import signal
    import urllib.request

    env = {**os.environ, "PAGEMGR_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "pagemgr", "serve", "--no-open", "--site", str(site)]
    process = subprocess.Popen(command, stderr=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stderr is not None
        line = process.stderr.readline()
        url = re.search(r"http://127\.0\.0\.1:\d+/\?token=\S+", line)
        assert url, line
        with urllib.request.urlopen(url.group(0), timeout=30) as answer:
            assert b"pagemgr" in answer.read()
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_list_items_are_added_and_removed(client: Client, site: Path) -> None:
    opened = client.file("_data/team.yml")
    assert opened["fields"][0]["item_keys"] == ["name", "role"]
    changes = [
        {"op": "remove", "path": "[0]", "widget": "text", "value": None},
        {"op": "append", "path": ".", "widget": "text", "value": {"name": "Cy", "role": ""}},
    ]
    payload = {"path": "_data/team.yml", "version": opened["version"], "changes": changes}
    assert client.post("/api/save", payload).status == 200
    assert (site / "_data/team.yml").read_text(encoding="utf-8") == (
        "- name: Bob\n  role: dev\n- name: Cy\n"
    )


def test_a_publication_is_added_from_the_form(client: Client, site: Path) -> None:
    fields = {"title": "Form Paper", "venue": "Journal F", "date": "2024-05-06"}
    request = {"fields": {**fields, "category": "manuscripts"}, "authors": "Jane Doe\n"}
    answer = client.post("/api/add", request)
    assert answer.status == 200, answer.body
    (added,) = answer.json()["added"]
    text = (site / added).read_text(encoding="utf-8")
    assert "venue: 'Journal F'" in text and "date: 2024-05-06" in text
    missing = client.post("/api/add", {"fields": {"title": "No venue"}})
    assert missing.status == 422 and missing.json()["added"] == []


def test_a_rejected_push_is_told_in_words(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.gitrepo import add_bare_remote, git, isolate_git, new_repo

    isolate_git(tmp_path, monkeypatch)
    work, root = new_repo(tmp_path)
    bare = add_bare_remote(work, tmp_path / "remote.git")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare), str(other))
    (other / "notes.txt").write_text("theirs\n", encoding="utf-8")
    git(other, "add", "notes.txt")
    git(other, "commit", "-q", "-m", "Their change")
    git(other, "push", "-q")
    text = (root / PAPER).read_text(encoding="utf-8").replace("Journal 1", "Journal 7")
    (root / PAPER).write_text(text, encoding="utf-8")
    with serving(root) as client:
        answer = client.post("/api/publish", {"message": "Update the venue"})
        assert answer.status == 422
        words = " ".join(answer.json()["lines"])
        assert "has commits you do not have" in words and "is kept" in words, words
        assert git(work, "log", "-1", "--format=%s").strip() == "Update the venue"
        again = client.post("/api/publish", {"rebase": True})
    assert again.status == 200 and "Pushed 1 commit" in " ".join(again.json()["lines"])
    assert "Journal 7" in git(bare, "show", f"master:{PAPER}")
    assert "theirs" in git(bare, "show", "master:notes.txt")


def test_a_port_in_use_is_one_line(site: Path) -> None:
    from tests.conftest import run_cli

    with serving(site) as client:
        result = run_cli("serve", "--no-open", "--site", site, "--port", str(client.port))
    assert result.exit_code == 2
    assert f"cannot listen on 127.0.0.1:{client.port}" in result.stderr


def test_a_json_data_file_is_edited_in_place(client: Client, site: Path) -> None:
    cv = '{\n  "basics": {"name": "Jane", "label": "PhD"},\n  "work": [{"name": "Uni"}]\n}\n'
    (site / "_data" / "cv.json").write_text(cv, encoding="utf-8")
    form = fields(client, "_data/cv.json")
    assert form["basics.name"]["value"] == "Jane" and form["work[0].name"]["value"] == "Uni"
    answer = client.save("_data/cv.json", {"basics.label": "Professor"})
    assert answer.status == 200, answer.body
    assert (site / "_data" / "cv.json").read_text(encoding="utf-8") == cv.replace(
        '"PhD"', '"Professor"'
    )


def test_a_finding_in_a_menu_sits_beside_its_item(client: Client, site: Path) -> None:
    menu = 'main:\n  - title: "About"\n    url: /\n  - title: Lost\n    url: /nowhere/\n'
    (site / "_data" / "navigation.yml").write_text(menu, encoding="utf-8")
    found = client.file("_data/navigation.yml")["findings"]
    assert [f["field"] for f in found if f["rule"] == "broken-nav-link"] == ["main[1].url"]


def test_an_unreachable_remote_is_told_in_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.gitrepo import git, isolate_git, new_repo

    isolate_git(tmp_path, monkeypatch)
    work, root = new_repo(tmp_path)
    git(work, "remote", "add", "origin", str(tmp_path / "gone.git"))
    text = (root / PAPER).read_text(encoding="utf-8").replace("Journal 1", "Journal 8")
    (root / PAPER).write_text(text, encoding="utf-8")
    with serving(root) as client:
        answer = client.post("/api/publish", {})
    assert answer.status == 422
    words = " ".join(answer.json()["lines"])
    assert "kept" in words and "gone.git" in words, words
