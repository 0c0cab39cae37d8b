"""`pagemgr publish` against real repositories and a bare remote by path."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import run_cli
from gitrepo import (
    TALK,
    add_bare_remote,
    add_publication,
    committed_files,
    git,
    head,
    hook,
    isolate_git,
    new_repo,
    snapshot,
    write,
)

PROTECT_MASTER = """while read old new ref; do
  if [ "$ref" = refs/heads/master ]; then
    echo "GH006: Protected branch update failed for $ref." >&2
    echo "error: Changes must be made through a pull request." >&2
    exit 1
  fi
done
exit 0
"""


@pytest.fixture(autouse=True)
def _git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_git(tmp_path, monkeypatch)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(work tree, site, bare remote): the site at the repo root, pushed to a bare repo."""
    work, site = new_repo(tmp_path)
    bare = add_bare_remote(work, tmp_path / "remote.git")
    return work, site, bare


def test_publishes_a_new_publication_with_a_message_that_names_it(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, bare = repo
    add_publication(site, "2021-new", "Deep Things")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stderr
    assert git(work, "log", "-1", "--format=%s").strip() == "Add publication: Deep Things"
    assert committed_files(work) == ["_publications/2021-new.md"]
    assert head(bare) == head(work)
    short = git(work, "rev-parse", "--short", "HEAD").strip()
    assert result.stdout.splitlines()[:3] == [
        f"Committed {short} Add publication: Deep Things",
        "  A _publications/2021-new.md",
        f"Pushed 1 commit to origin/master ({bare})",
    ]
    assert git(work, "status", "--porcelain") == ""


def test_messages_for_an_updated_talk_and_for_many_changes(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    write(site / "_talks" / "t.md", TALK.format(slug="t", title="On Things"))
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "talk")
    write(site / "_talks" / "t.md", TALK.format(slug="t", title="On Things") + "More.\n")
    assert run_cli("publish", "--site", site).exit_code == 0
    assert git(work, "log", "-1", "--format=%s").strip() == "Update talk: On Things"

    nav = site / "_data" / "navigation.yml"
    nav.write_text(nav.read_text() + '  - title: "Home"\n    url: /\n')
    for n in range(3):
        add_publication(site, f"2021-p{n}", f"Paper {n}")
    assert run_cli("publish", "--site", site).exit_code == 0
    assert git(work, "log", "-1", "--format=%s").strip() == (
        "Add 3 publications; update navigation"
    )
    for n in range(3):
        (site / "_publications" / f"2021-p{n}.md").write_text(
            (site / "_publications" / f"2021-p{n}.md").read_text() + "Edited.\n"
        )
    nav.write_text(nav.read_text() + '  - title: "About"\n    url: /\n')
    assert run_cli("publish", "--site", site).exit_code == 0
    assert git(work, "log", "-1", "--format=%s").strip() == "Update navigation and 3 publications"
    (site / "_talks" / "t.md").unlink()
    assert run_cli("publish", "--site", site, "-m", "Drop the old talk").exit_code == 0
    assert git(work, "log", "-1", "--format=%s").strip() == "Drop the old talk"


def test_removed_publication_is_named_by_its_old_title(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    (site / "_publications" / "2020-01-01-paper.md").unlink()
    assert run_cli("publish", "--site", site).exit_code == 0
    assert git(work, "log", "-1", "--format=%s").strip() == "Remove publication: A Paper"


def test_errors_refuse_to_publish_and_change_nothing(repo: tuple[Path, Path, Path]) -> None:
    work, site, bare = repo
    write(
        site / "_publications" / "bad.md",
        '---\ntitle: "No date"\ncollection: publications\n'
        "category: manuscripts\npermalink: /publication/bad\n---\nx\n",
    )
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 1
    assert "_publications/bad.md" in result.stdout
    assert "refusing to publish" in result.stderr
    assert snapshot(work) == before
    assert head(bare) == head(work)


def test_only_site_files_are_committed_and_everything_else_stays_as_it_was(
    tmp_path: Path,
) -> None:
    work, site = new_repo(tmp_path, subfolder=True)
    add_bare_remote(work, tmp_path / "remote.git")
    (work / "README.md").write_text("# half-finished edit\n")  # modified, unstaged
    write(work / "draft-notes.txt", "untracked\n")  # untracked outside the site
    write(work / "scripts" / "new.py", "x = 1\n")
    git(work, "add", "scripts/new.py")  # staged by the user, outside the site
    (work / "scripts" / "tool.py").write_text("print('staged')\n")
    git(work, "add", "scripts/tool.py")
    (work / "scripts" / "tool.py").write_text("print('staged, then edited again')\n")
    write(site / "_site" / "index.html", "<built>")  # build output, not ignored
    write(site / ".jekyll-cache" / "x", "cache")
    write(site / ".sass-cache" / "y", "cache")
    write(site / ".notes.md", "dotfile: Jekyll ignores it")
    # site changes: a new publication, a staged edit, a deletion
    add_publication(site, "2021-new", "New")
    about = site / "_pages" / "about.md"
    about.write_text(about.read_text() + "More about me.\n")
    git(work, "add", "site/_pages/about.md")
    (site / "_data" / "navigation.yml").unlink()

    outside_before = {k: v for k, v in snapshot(work).items() if not k.startswith("site/")}
    status_before = [
        line
        for line in git(work, "status", "--porcelain").splitlines()
        if not line[3:].startswith("site/")
    ]
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stderr

    assert committed_files(work) == [
        "site/_data/navigation.yml",
        "site/_pages/about.md",
        "site/_publications/2021-new.md",
    ]
    after = snapshot(work)
    assert {k: v for k, v in after.items() if not k.startswith(("site/", "<"))} == {
        k: v for k, v in outside_before.items() if not k.startswith("<")
    }
    assert [
        line
        for line in git(work, "status", "--porcelain").splitlines()
        if not line[3:].startswith("site/")
    ] == status_before
    assert git(work, "diff", "--cached", "--name-only").split() == [
        "scripts/new.py",
        "scripts/tool.py",
    ]
    assert git(work, "show", ":scripts/tool.py") == "print('staged')\n"
    site_status = [
        line
        for line in git(work, "status", "--porcelain", "--untracked-files=all").splitlines()
        if line[3:].startswith("site/")
    ]
    assert sorted(site_status) == [
        "?? site/.jekyll-cache/x",
        "?? site/.notes.md",
        "?? site/.sass-cache/y",
        "?? site/_site/index.html",
    ]
    assert "Left out" in result.stdout and "site/.notes.md" in result.stdout
    assert "Left staged and not committed" in result.stdout
    assert "scripts/new.py, scripts/tool.py" in result.stdout


def test_dry_run_lists_the_commit_and_changes_nothing(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    add_publication(site, "2021-new", "Dry Paper")
    index_before = (work / ".git" / "index").read_bytes()
    before = snapshot(work)
    result = run_cli("publish", "--site", site, "--dry-run")
    assert result.exit_code == 0
    assert result.stdout.splitlines() == [
        "Would commit 1 file:",
        "  A _publications/2021-new.md",
        "with the message:",
        "  Add publication: Dry Paper",
        "Fetched origin/master: it has no commits you do not have",
        f"Would push 1 commit to origin/master ({repo[2]})",
        "Dry run: nothing was changed",
    ]
    assert snapshot(work) == before
    assert (work / ".git" / "index").read_bytes() == index_before


def test_nothing_to_publish(repo: tuple[Path, Path, Path]) -> None:
    result = run_cli("publish", "--site", repo[1])
    assert result.exit_code == 0
    assert result.stdout.startswith("Nothing to publish")


def test_no_push_then_a_later_publish_pushes_the_waiting_commit(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, bare = repo
    old_remote = head(bare)
    add_publication(site, "2021-new", "Later")
    result = run_cli("publish", "--site", site, "--no-push")
    assert result.exit_code == 0
    assert "Pushed" not in result.stdout
    assert head(bare) == old_remote
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stderr
    assert "Pushed 1 commit to origin/master" in result.stdout
    assert head(bare) == head(work)


def test_not_a_repository(tmp_path: Path) -> None:
    from conftest import make_site

    site = make_site(tmp_path)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "is not inside a git repository" in result.stderr


def test_no_commits_yet(tmp_path: Path) -> None:
    from conftest import make_site

    site = make_site(tmp_path)
    git(site, "init", "-q")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "has no commits yet" in result.stderr
    assert git(site, "status", "--porcelain").startswith("??")


def test_detached_head(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    git(work, "checkout", "-q", "--detach")
    add_publication(site, "2021-new", "X")
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "HEAD is detached" in result.stderr
    assert snapshot(work) == before


def test_merge_in_progress(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    paper = site / "_publications" / "2020-01-01-paper.md"
    git(work, "checkout", "-q", "-b", "other")
    paper.write_text(paper.read_text() + "other\n")
    git(work, "commit", "-q", "-am", "other")
    git(work, "checkout", "-q", "master")
    paper.write_text(paper.read_text() + "master\n")
    git(work, "commit", "-q", "-am", "master")
    git(work, "merge", "-q", "other", check=False)
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "a merge is in progress" in result.stderr
    assert snapshot(work) == before


def test_no_remote(tmp_path: Path) -> None:
    work, site = new_repo(tmp_path)
    add_publication(site, "2021-new", "X")
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "no remote to push to" in result.stderr and "--no-push" in result.stderr
    assert snapshot(work) == before
    assert run_cli("publish", "--site", site, "--no-push").exit_code == 0
    assert committed_files(work) == ["_publications/2021-new.md"]


def test_unknown_identity_is_a_clear_error_and_nothing_is_staged(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, site, _ = repo
    (tmp_path / "noid").mkdir()
    isolate_git(tmp_path / "noid", monkeypatch, identity=False)
    add_publication(site, "2021-new", "X")
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "git does not know who you are" in result.stderr
    assert "git config --global user.email" in result.stderr
    assert snapshot(work) == before


def test_pre_receive_rejection_shows_the_reason_and_keeps_the_commit(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, bare = repo
    hook(bare, "pre-receive", PROTECT_MASTER, bare=True)
    remote_before = head(bare)
    add_publication(site, "2021-new", "Blocked")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    message = result.stderr
    assert len(message.strip().splitlines()) == 1
    assert "GH006: Protected branch update failed for refs/heads/master." in message
    assert "pre-receive hook declined" in message
    short = git(work, "rev-parse", "--short", "HEAD").strip()
    assert f"your commit {short} is kept" in message
    assert committed_files(work) == ["_publications/2021-new.md"]
    assert head(bare) == remote_before
    # pushing to another branch works, and that branch becomes the target
    result = run_cli("publish", "--site", site, "--branch", "feature")
    assert result.exit_code == 0, result.stderr
    assert head(bare, "feature") == head(work)


def test_non_fast_forward_without_and_with_rebase(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
) -> None:
    work, site, bare = repo
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare), str(other))
    write(other / "_talks" / "bot.md", TALK.format(slug="bot", title="From the workflow"))
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "talk map bot")
    git(other, "push", "-q")
    (work / "unrelated.txt~").write_text("editor backup\n")
    paper = site / "_publications" / "2020-01-01-paper.md"
    paper.write_text(paper.read_text() + "local edit\n")
    git(work, "add", "_publications/2020-01-01-paper.md")  # staged by the user, site content
    add_publication(site, "2021-new", "Mine")

    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "has commits you do not have" in result.stderr
    assert "pagemgr publish --rebase" in result.stderr
    mine = head(work)
    assert committed_files(work) == [
        "_publications/2020-01-01-paper.md",
        "_publications/2021-new.md",
    ]

    before = {k: v for k, v in snapshot(work).items() if not k.startswith("<")}
    result = run_cli("publish", "--site", site, "--rebase")
    assert result.exit_code == 0, result.stderr
    assert "after replaying it on the remote's new commits" in result.stdout
    assert head(bare) == head(work) != mine
    assert git(work, "log", "--format=%s", "-3").splitlines() == [
        "Add 1 publication; update 1 publication",
        "talk map bot",
        "First commit",
    ]
    after = snapshot(work)
    assert after["_talks/bot.md"]  # the remote's file arrived in the work tree
    assert {k: v for k, v in after.items() if k in before} == before
    assert git(work, "status", "--porcelain") == "?? unrelated.txt~\n"
    assert git(work, "worktree", "list").count("\n") == 1


def test_rebase_conflict_keeps_the_local_commit(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
) -> None:
    work, site, bare = repo
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare), str(other))
    theirs = other / "_publications" / "2020-01-01-paper.md"
    theirs.write_text(theirs.read_text().replace("Body.", "Their body."))
    git(other, "commit", "-q", "-am", "their edit")
    git(other, "push", "-q")
    paper = site / "_publications" / "2020-01-01-paper.md"
    paper.write_text(paper.read_text().replace("Body.", "My body."))
    write(work / "scratch.txt~", "mine\n")
    assert run_cli("publish", "--site", site, "--no-push").exit_code == 0
    mine = head(work)
    before = snapshot(work)
    result = run_cli("publish", "--site", site, "--rebase")
    assert result.exit_code == 4
    assert "cannot be replayed on top" in result.stderr
    assert "your unpushed commits" in result.stderr
    assert head(work) == mine
    assert snapshot(work) == before
    assert git(work, "worktree", "list").count("\n") == 1
    assert head(bare) == head(other)


def test_a_remote_that_disappears_keeps_the_commit_and_a_later_publish_pushes_it(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
) -> None:
    work, site, bare = repo
    moved = tmp_path / "moved.git"
    bare.rename(moved)
    add_publication(site, "2021-new", "Offline")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "could not reach origin" in result.stderr
    assert "is kept" in result.stderr
    mine = head(work)
    assert committed_files(work) == ["_publications/2021-new.md"]
    moved.rename(bare)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stderr
    assert "Pushed 1 commit" in result.stdout
    assert head(bare) == mine


def test_template_remote_needs_yes(repo: tuple[Path, Path, Path]) -> None:
    work, site, bare = repo
    template = "https://github.com/academicpages/academicpages.github.io.git"
    git(work, "remote", "set-url", "origin", template)
    git(work, "config", f"url.{bare}.insteadOf", template)
    add_publication(site, "2021-new", "Mine")
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "is the academicpages template itself" in result.stderr
    assert "--yes" in result.stderr
    assert snapshot(work) == before
    assert "Warning: origin" in run_cli("publish", "--site", site, "--dry-run").stdout
    result = run_cli("publish", "--site", site, "--yes")
    assert result.exit_code == 0, result.stderr
    assert head(bare) == head(work)


def test_an_unrenamed_fork_of_the_template_needs_yes(repo: tuple[Path, Path, Path]) -> None:
    work, site, bare = repo
    fork = "git@github.com:janedoe/academicpages.github.io.git"
    git(work, "remote", "set-url", "origin", fork)
    git(work, "config", f"url.{bare}.insteadOf", fork)
    add_publication(site, "2021-new", "Mine")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "is not a <name>.github.io site" in result.stderr


def test_template_history_through_an_upstream_remote_needs_yes(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, bare = repo
    git(
        work,
        "remote",
        "add",
        "upstream",
        "https://github.com/academicpages/academicpages.github.io",
    )
    git(work, "update-ref", "refs/remotes/upstream/master", "HEAD")
    mine = "https://github.com/janedoe/research-site.git"
    git(work, "remote", "set-url", "origin", mine)
    git(work, "config", f"url.{bare}.insteadOf", mine)
    add_publication(site, "2021-new", "Mine")
    assert run_cli("publish", "--site", site).exit_code == 4
    assert run_cli("publish", "--site", site, "--yes").exit_code == 0


def test_github_remote_prints_the_pages_url(repo: tuple[Path, Path, Path]) -> None:
    work, site, bare = repo
    mine = "https://github.com/janedoe/janedoe.github.io.git"
    git(work, "remote", "set-url", "origin", mine)
    git(work, "config", f"url.{bare}.insteadOf", mine)
    add_publication(site, "2021-new", "Mine")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stderr
    assert f"Pushed 1 commit to origin/master ({mine})" in result.stdout
    assert result.stdout.splitlines()[-1] == (
        "GitHub Pages will rebuild https://janedoe.github.io/ in a minute or two"
    )


def test_leaked_hook_variables_are_ignored(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    work, site, bare = repo
    decoy = tmp_path / "decoy"
    decoy.mkdir()
    git(decoy, "init", "-q")
    monkeypatch.setenv("GIT_DIR", str(decoy / ".git"))
    monkeypatch.setenv("GIT_INDEX_FILE", str(decoy / ".git" / "next-index-1.lock"))
    monkeypatch.setenv("GIT_WORK_TREE", str(decoy))
    add_publication(site, "2021-new", "Hooked")
    result = run_cli("publish", "--site", site)
    monkeypatch.delenv("GIT_DIR")
    monkeypatch.delenv("GIT_INDEX_FILE")
    monkeypatch.delenv("GIT_WORK_TREE")
    assert result.exit_code == 0, result.stderr
    assert committed_files(work) == ["_publications/2021-new.md"]
    assert head(bare) == head(work)


def test_user_hooks_run_once_and_a_hook_that_publishes_again_is_refused(
    repo: tuple[Path, Path, Path],
    tmp_path: Path,
) -> None:
    work, site, _ = repo
    log = tmp_path / "hook.log"
    hook(work, "pre-commit", f'echo ran >> "{log}"\n')
    add_publication(site, "2021-a", "A")
    assert run_cli("publish", "--site", site).exit_code == 0
    assert log.read_text() == "ran\n"

    hook(work, "pre-commit", f'"{sys.executable}" -m pagemgr publish --site "{site}" || exit 1\n')
    add_publication(site, "2021-b", "B")
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 4
    assert "the commit failed, nothing was committed" in result.stderr
    assert snapshot(work) == before


def test_commit_files_commits_exactly_the_given_files(repo: tuple[Path, Path, Path]) -> None:
    from pagemgr.publish.transaction import commit_files, report
    from pagemgr.site.model import load_site

    work, site, bare = repo
    mine = add_publication(site, "2021-mine", "Written by add")
    add_publication(site, "2021-other", "Not mine")
    published = commit_files(load_site(site), [mine], "Add publication: Written by add", True)
    assert committed_files(work) == ["_publications/2021-mine.md"]
    assert head(bare) == head(work)
    assert git(work, "status", "--porcelain") == "?? _publications/2021-other.md\n"
    assert report(published)[0].endswith("Add publication: Written by add")
    again = commit_files(load_site(site), [mine], "unused", False)
    assert again.commit is None


def test_help_does_not_import_git() -> None:
    code = (
        "import sys; from pagemgr.cli import main\n"
        "try: main(['--help'])\nexcept SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m == 'git' or m.startswith(('git.', "
        "'pagemgr.publish'))))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_only_git_module_may_import_gitpython() -> None:
    source = Path(__file__).resolve().parents[1] / "src" / "pagemgr"
    offenders = [
        path.name
        for path in source.rglob("*.py")
        if path.name != "git.py"
        and any(
            line.strip().startswith(("import git", "from git ", "from git."))
            for line in path.read_text(encoding="utf-8").splitlines()
        )
    ]
    assert offenders == []


def test_no_stray_git_processes_remain(repo: tuple[Path, Path, Path]) -> None:
    if not shutil.which("pgrep"):
        pytest.skip("pgrep is not installed")
    _, site, _ = repo
    add_publication(site, "2021-new", "X")
    assert run_cli("publish", "--site", site).exit_code == 0
    done = subprocess.run(
        ["pgrep", "-P", str(__import__("os").getpid()), "git"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.stdout == ""
