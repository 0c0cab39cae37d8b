"""Where pagemgr came from, read from what pip recorded (PEP 610), and what the hook and workflow
pin: the recorded git commit, overridden part by part, never a guess."""

from __future__ import annotations

import json

import pytest

from pagemgr.errors import UsageError
from pagemgr.publish.provenance import Installation, Source, installation_from, pinned

COMMIT = "9b6b7170c0ffee00000000000000000000000001"
FROM_GIT = json.dumps(
    {
        "url": "https://git.example.org/pagemgr.git",
        "vcs_info": {"vcs": "git", "commit_id": COMMIT, "requested_revision": "v0.1.0"},
    }
)
EDITABLE = json.dumps({"url": "file:///src/pagemgr", "dir_info": {"editable": True}})


def test_a_git_install_pins_its_repository_at_the_exact_commit() -> None:
    source = pinned(None, None, installation_from(FROM_GIT))
    assert source == Source("https://git.example.org/pagemgr.git", COMMIT)
    assert source.requirement == f"pagemgr @ git+https://git.example.org/pagemgr.git@{COMMIT}"
    assert not source.is_on_this_machine


def test_options_override_each_part() -> None:
    installed = installation_from(FROM_GIT)
    assert pinned(None, "v0.2.0", installed).rev == "v0.2.0"
    assert pinned("ssh://git@mirror/pagemgr", None, installed) == Source(
        "ssh://git@mirror/pagemgr", COMMIT
    )


@pytest.mark.parametrize(
    ("recorded", "described"),
    [
        (EDITABLE, "an editable install of file:///src/pagemgr"),
        (json.dumps({"url": "file:///src/pagemgr", "dir_info": {}}), "the folder"),
        (json.dumps({"url": "https://x/p.whl", "archive_info": {}}), "archive https://x/p.whl"),
        (None, "package index"),
        (json.dumps({"url": "https://x/p", "vcs_info": {"vcs": "hg", "commit_id": "1"}}), "hg"),
        (FROM_GIT[:-1] + ', "subdirectory": "tools"}', "subfolder"),
        ("{not json", "unreadable"),
    ],
)
def test_an_install_with_no_git_commit_is_refused_naming_the_options(
    recorded: str | None, described: str
) -> None:
    with pytest.raises(UsageError) as refused:
        pinned(None, None, installation_from(recorded), otherwise=", or --system")
    message = str(refused.value)
    assert described in message and "\n" not in message
    assert "pass --source URL and --rev TAG_OR_COMMIT" in message
    assert message.endswith(", or --system")


def test_only_the_missing_option_is_asked_for() -> None:
    editable = installation_from(EDITABLE)
    with pytest.raises(UsageError, match=r"pass --rev TAG_OR_COMMIT to say"):
        pinned("https://git.example.org/pagemgr.git", None, editable)
    with pytest.raises(UsageError, match=r"pass --source URL to say"):
        pinned(None, "v0.1.0", editable)
    assert pinned("https://x/p.git", "v1", editable) == Source("https://x/p.git", "v1")


@pytest.mark.parametrize(
    "url", ["https://jane:s3cret@git.example.org/p.git", "https://ghp_token@github.com/x/p.git"]
)
def test_a_url_with_credentials_is_refused_without_repeating_them(url: str) -> None:
    with pytest.raises(UsageError) as refused:
        pinned(url, "v1", Installation("an editable install"))
    assert "credentials" in str(refused.value)
    assert "s3cret" not in str(refused.value) and "ghp_" not in str(refused.value)


def test_an_ssh_url_with_the_git_user_is_fine() -> None:
    source = pinned("ssh://git@github.com/x/pagemgr.git", "v1", Installation("an index install"))
    assert source.requirement == "pagemgr @ git+ssh://git@github.com/x/pagemgr.git@v1"


def test_a_file_url_is_known_to_be_on_this_machine() -> None:
    assert Source("file:///home/jane/pagemgr", "v1").is_on_this_machine
    assert Source("/home/jane/pagemgr", "v1").is_on_this_machine
