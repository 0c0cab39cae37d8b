"""The git layer on real repositories: GitPython for state, the right environment, no leftovers."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from gitrepo import git, isolate_git
from pagemgr.errors import GitError
from pagemgr.publish import git as git_layer


@pytest.fixture
def work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    isolate_git(tmp_path, monkeypatch)
    work = tmp_path / "work"
    work.mkdir()
    git(work, "init", "-q")
    (work / "a.md").write_text("one\n", encoding="utf-8")
    git(work, "add", "a.md")
    git(work, "commit", "-q", "-m", "First")
    (work / "a.md").write_text("two\n", encoding="utf-8")
    git(work, "commit", "-q", "-am", "Second")
    return work


def test_state_comes_from_the_repository(work: Path) -> None:
    first = git(work, "rev-parse", "HEAD~1").strip()
    second = git(work, "rev-parse", "HEAD").strip()
    with git_layer.repository(work) as repo:
        assert repo.root == work and repo.git_dir == work / ".git"
        assert repo.head_commit() == second
        assert repo.current_branch() == "master"
        assert repo.rev("HEAD~1") == first and repo.rev("refs/remotes/origin/master") is None
        assert repo.count_between(first, second) == 1 and repo.count_between(None, second) == 2
        assert repo.files_changed_between(first, second) == ["a.md"]
        assert repo.files_changed_between(None, second) == ["a.md"]
        assert repo.show_file(first, "a.md") == "one\n" and repo.show_file(first, "b") is None
        assert repo.root_commits("HEAD") == {first}
        assert repo.subject(second) == "Second"
        assert repo.read_config()["user.name"] == ["Jane Doe"]  # from GIT_CONFIG_GLOBAL
        assert repo.remote_branch_refs("origin") == []


def test_a_detached_head_has_no_branch(work: Path) -> None:
    git(work, "switch", "-q", "--detach", "HEAD~1")
    with git_layer.repository(work) as repo:
        assert repo.current_branch() is None


def test_leaked_variables_are_out_of_the_environment_while_open_and_back_after(
    work: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    git(decoy, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(decoy / ".git"))
    monkeypatch.setenv("GIT_WORK_TREE", str(decoy))
    monkeypatch.setenv("GIT_INDEX_FILE", str(decoy / ".git" / "next-index-1.lock"))
    monkeypatch.setenv("GIT_OBJECT_DIRECTORY", str(decoy / ".git" / "objects"))
    with git_layer.repository(work) as repo:
        assert "GIT_WORK_TREE" not in os.environ and "GIT_OBJECT_DIRECTORY" not in os.environ
        assert repo.root == work
        seen = repo.run("rev-parse", "--show-toplevel", "--git-dir").stdout.split()
        assert seen == [str(work), str(work / ".git")]
        assert [entry.path for entry in repo.status()] == []
    assert os.environ["GIT_WORK_TREE"] == str(decoy)
    assert os.environ["GIT_INDEX_FILE"].endswith("next-index-1.lock")


def test_a_failing_command_is_one_line_with_gits_reason(work: Path) -> None:
    with git_layer.repository(work) as repo, pytest.raises(GitError) as raised:
        repo.run("rev-parse", "--verify", "no-such-ref")
    assert str(raised.value).startswith("`git rev-parse --verify` failed (exit 128): ")
    assert "\n" not in str(raised.value)


def test_outside_a_repository_is_a_clear_error(tmp_path: Path) -> None:
    with (
        pytest.raises(GitError, match="is not inside a git repository"),
        git_layer.repository(tmp_path),
    ):
        pass


def test_no_cat_file_process_outlives_the_block(work: Path) -> None:
    with git_layer.repository(work) as repo:
        repo.show_file("HEAD", "a.md")  # starts GitPython's persistent `git cat-file`
        children = _children()
        assert any("cat-file" in command for command in children)
    assert not any("cat-file" in command for command in _children())


def test_without_git_on_path_the_error_says_to_install_it(work: Path, tmp_path: Path) -> None:
    code = (
        "from pathlib import Path\nfrom pagemgr.publish import git\n"
        "from pagemgr.errors import GitError\n"
        "try:\n    git.repository(Path('.')).__enter__()\n"
        "except GitError as exc:\n    print(exc)\n"
    )
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=work,
        capture_output=True,
        text=True,
        env={"PATH": str(empty), "HOME": str(tmp_path)},
        check=True,
    )
    assert done.stdout.strip() == git_layer.NO_GIT


def _children() -> list[str]:
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "stat").read_text().split()[3] == str(os.getpid()):
                found.append((entry / "cmdline").read_bytes().replace(b"\0", b" ").decode())
        except OSError:
            continue
    return found
