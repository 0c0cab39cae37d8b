"""`pagemgr publish` over the network: git daemon and smart HTTP with basic auth, on 127.0.0.1."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from conftest import run_cli
from gitrepo import add_publication, committed_files, git, head, hook, isolate_git, new_repo
from gitservers import GitDaemon, GitHttpServer

TOKEN = "s3cret-token-XYZ"
WRONG = "wrong-token-ABC"


@pytest.fixture(autouse=True)
def _git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_git(tmp_path, monkeypatch)


@pytest.fixture
def served(tmp_path: Path) -> Path:
    """A folder of bare repositories, with site.git holding the example site."""
    root = tmp_path / "served"
    root.mkdir()
    work, _ = new_repo(tmp_path / "seed")
    git(root, "init", "-q", "--bare", "site.git")
    git(root / "site.git", "config", "http.receivepack", "true")
    git(work, "push", "-q", str(root / "site.git"), "master")
    return root


@pytest.fixture
def daemon(served: Path) -> Iterator[GitDaemon]:
    server = GitDaemon(served).start()
    yield server
    server.stop()


@pytest.fixture
def http(served: Path) -> Iterator[GitHttpServer]:
    server = GitHttpServer(served, "bot", TOKEN).start()
    yield server
    server.stop()


def clone(tmp_path: Path, url: str) -> Path:
    work = tmp_path / "work"
    git(tmp_path, "clone", "-q", url, str(work))
    return work


def test_push_over_git_daemon_and_recover_after_it_stops(
    tmp_path: Path,
    daemon: GitDaemon,
    served: Path,
) -> None:
    work = clone(tmp_path, daemon.url("site.git"))
    add_publication(work, "2021-new", "Over the daemon")
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 0, result.stderr
    assert head(served / "site.git") == head(work)

    daemon.stop()
    add_publication(work, "2021-later", "While it is down")
    started = time.monotonic()
    result = run_cli("publish", "--site", work)
    assert time.monotonic() - started < 10
    assert result.exit_code == 4
    assert "could not reach origin" in result.stderr and "is kept" in result.stderr
    mine = head(work)
    assert committed_files(work) == ["_publications/2021-later.md"]

    daemon.start()
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 0, result.stderr
    assert "Pushed 1 commit" in result.stdout
    assert head(served / "site.git") == mine


def test_pre_receive_rejection_over_git_daemon(
    tmp_path: Path,
    daemon: GitDaemon,
    served: Path,
) -> None:
    work = clone(tmp_path, daemon.url("site.git"))
    hook(
        served / "site.git",
        "pre-receive",
        'echo "GH006: Protected branch update failed." >&2\nexit 1\n',
        bare=True,
    )
    add_publication(work, "2021-new", "Blocked")
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 4
    assert "GH006: Protected branch update failed." in result.stderr
    assert head(work) != head(served / "site.git")


def test_http_with_the_right_token_pushes_and_never_prints_it(
    tmp_path: Path,
    http: GitHttpServer,
    served: Path,
) -> None:
    work = clone(tmp_path, http.url("site.git", "bot", TOKEN))
    add_publication(work, "2021-new", "Over HTTP")
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 0, result.stderr
    assert head(served / "site.git") == head(work)
    assert TOKEN not in result.stdout + result.stderr
    assert f"http://***@127.0.0.1:{http.port}/site.git" in result.stdout


@pytest.mark.parametrize("credentials", ["wrong", "none"])
def test_http_auth_failure_is_fast_clear_and_masked(
    tmp_path: Path,
    http: GitHttpServer,
    served: Path,
    credentials: str,
) -> None:
    work = clone(tmp_path, http.url("site.git", "bot", TOKEN))
    url = http.url("site.git", "bot", WRONG) if credentials == "wrong" else http.url("site.git")
    git(work, "remote", "set-url", "origin", url)
    add_publication(work, "2021-new", "Refused")
    before = head(served / "site.git")
    started = time.monotonic()
    result = run_cli("publish", "--site", work)
    assert time.monotonic() - started < 10
    assert result.exit_code == 4
    message = result.stderr
    assert len(message.strip().splitlines()) == 1
    assert "refused the push: no valid credentials" in message
    assert "credential helper" in message
    assert "is kept" in message
    assert TOKEN not in message + result.stdout and WRONG not in message + result.stdout
    assert head(served / "site.git") == before
    assert committed_files(work) == ["_publications/2021-new.md"]
    # with the token in place, the waiting commit goes out
    git(work, "remote", "set-url", "origin", http.url("site.git", "bot", TOKEN))
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 0, result.stderr
    assert head(served / "site.git") == head(work)


def test_http_credential_helper_is_used(
    tmp_path: Path,
    http: GitHttpServer,
    served: Path,
) -> None:
    work = clone(tmp_path, http.url("site.git", "bot", TOKEN))
    git(work, "remote", "set-url", "origin", http.url("site.git"))
    git(
        work,
        "config",
        "credential.helper",
        f"!f() {{ echo username=bot; echo password={TOKEN}; }}; f",
    )
    add_publication(work, "2021-new", "Helper")
    result = run_cli("publish", "--site", work)
    assert result.exit_code == 0, result.stderr
    assert head(served / "site.git") == head(work)
