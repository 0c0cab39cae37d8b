"""The pure parts of publishing: masking, push output, remote URLs, commit messages."""

from __future__ import annotations

import pytest

from pagemgr.publish import git
from pagemgr.publish.commit_message import Described, message_for
from pagemgr.publish.transaction import github_repo


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("https://bot:s3cret@github.com/a/b.git", "https://***@github.com/a/b.git"),
        (
            "fatal: unable to access 'https://ghp_abc123@github.com/a/b/'",
            "fatal: unable to access 'https://***@github.com/a/b/'",
        ),
        (
            "http://x-access-token:tok@127.0.0.1:8080/r.git and ssh://git@host/r",
            "http://***@127.0.0.1:8080/r.git and ssh://***@host/r",
        ),
        ("Authorization: Basic Ym90OnMzY3JldA==", "Authorization: Basic ***"),
        ("git@github.com:jane/jane.github.io.git", "git@github.com:jane/jane.github.io.git"),
    ],
)
def test_mask(text: str, masked: str) -> None:
    assert git.mask(text) == masked


def test_clean_env_drops_hook_leftovers_and_disables_prompts() -> None:
    env = git.clean_env(
        {
            "GIT_DIR": "/x/.git",
            "GIT_INDEX_FILE": "/x/.git/next-index.lock",
            "GIT_WORK_TREE": "/x",
            "GIT_PREFIX": "a/",
            "GIT_CONFIG_GLOBAL": "/g",
            "GIT_AUTHOR_NAME": "J",
            "SSH_ASKPASS": "/bin/askpass",
            "PATH": "/bin",
        }
    )
    assert "GIT_DIR" not in env and "GIT_INDEX_FILE" not in env and "GIT_WORK_TREE" not in env
    assert "GIT_PREFIX" not in env and "SSH_ASKPASS" not in env
    assert env["GIT_CONFIG_GLOBAL"] == "/g" and env["GIT_AUTHOR_NAME"] == "J"
    assert env["GIT_TERMINAL_PROMPT"] == "0" and env["GIT_ASKPASS"] == ""


def _ran(code: int, out: str, err: str = "") -> git.Ran:
    return git.Ran(("push",), code, out, err)


def test_read_push_outcomes() -> None:
    ok = git.read_push(_ran(0, "To r\n \trefs/heads/master:refs/heads/master\tab1..cd2\nDone\n"))
    assert ok == git.PushResult("ok", "ab1..cd2")
    same = git.read_push(_ran(0, "To r\n=\trefs/heads/master:refs/heads/master\t[up to date]\n"))
    assert same.status == "up-to-date"
    nff = git.read_push(
        _ran(1, "To r\n!\trefs/heads/master:refs/heads/master\t[rejected] (fetch first)\nDone\n")
    )
    assert nff.status == "non-fast-forward"
    hooked = git.read_push(
        _ran(
            1,
            "To r\n!\trefs/heads/master:refs/heads/master\t[remote rejected] "
            "(pre-receive hook declined)\nDone\n",
            "remote: GH006: Protected branch update failed.        \nerror: failed to push\n",
        )
    )
    assert hooked == git.PushResult(
        "rejected", "pre-receive hook declined", ("GH006: Protected branch update failed.",)
    )
    auth = git.read_push(_ran(128, "", "fatal: Authentication failed for 'http://h/r.git/'\n"))
    assert auth.status == "auth"
    down = git.read_push(
        _ran(128, "", "fatal: unable to access 'https://u:p@h/r/': Could not resolve host: h\n")
    )
    assert down == git.PushResult(
        "unreachable", "unable to access 'https://***@h/r/': Could not resolve host: h"
    )


@pytest.mark.parametrize(
    ("url", "found"),
    [
        ("https://github.com/jane/jane.github.io.git", ("jane", "jane.github.io")),
        ("https://tok@github.com/jane/site/", ("jane", "site")),
        (
            "git@github.com:academicpages/academicpages.github.io.git",
            ("academicpages", "academicpages.github.io"),
        ),
        ("ssh://git@github.com:22/jane/site.git", ("jane", "site")),
        ("https://gitlab.com/jane/site.git", None),
        ("/srv/git/site.git", None),
    ],
)
def test_github_repo(url: str, found: tuple[str, str] | None) -> None:
    assert github_repo(url) == found


def _d(
    action: str, rel: str, noun: tuple[str, str], named: bool = False, title: str | None = None
) -> Described:
    return Described(action, rel, noun, named, title)  # type: ignore[arg-type]


PUB = ("publication", "publications")


def test_message_for_one_and_many() -> None:
    assert message_for([_d("add", "_publications/a.md", PUB, title="Deep")]) == (
        "Add publication: Deep"
    )
    assert message_for([_d("update", "_config.yml", ("site configuration",) * 2, True)]) == (
        "Update site configuration"
    )
    nav = _d("update", "_data/navigation.yml", ("navigation", "navigation"), True)
    many = [nav] + [_d("update", f"_publications/{n}.md", PUB, title=str(n)) for n in range(3)]
    assert message_for(many).splitlines()[0] == "Update navigation and 3 publications"
    mixed = [
        _d("add", "_talks/t.md", ("talk", "talks"), title="T"),
        _d("remove", "_posts/p.md", ("post", "posts"), title="P"),
        nav,
    ]
    assert message_for(mixed) == (
        "Add 1 talk; update navigation; remove 1 post\n\n"
        "- added _talks/t.md\n- removed _posts/p.md\n- updated _data/navigation.yml\n"
    )
