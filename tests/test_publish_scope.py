"""What `publish` and the hook take in: new files by what they are, named paths, a dry run that
asks the remote, and errors judged against the version before the change."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import SHARED, run_cli
from gitrepo import (
    add_bare_remote,
    add_publication,
    committed_files,
    git,
    head,
    isolate_git,
    new_repo,
    snapshot,
    write,
)

TEMPLATE = SHARED / "corpus" / "academicpages-template"
PAPER_WITH_FILES = """---
title: "With Files"
collection: publications
category: manuscripts
permalink: /publication/2021-files
date: 2021-01-01
venue: 'Journal 3'
paperurl: '/files/linked.pdf'
slidesurl: 'https://janedoe.github.io/files/own-url.pdf'
---
The [data](/files/data.csv).
"""
EARLIER = (
    r"^\d+ errors were there before this change and are not in what you commit; "
    r"`pagemgr check` lists them$"
)
BIO = 'bio              : "Short biography for the left-hand sidebar"'


@pytest.fixture(autouse=True)
def _git_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    return isolate_git(tmp_path, monkeypatch)


@pytest.fixture
def repo(tmp_path: Path) -> tuple[Path, Path, Path]:
    """(work tree, site, bare remote): the site at the repo root, pushed to a bare repo."""
    work, site = new_repo(tmp_path)
    bare = add_bare_remote(work, tmp_path / "remote.git")
    return work, site, bare


@pytest.fixture
def template(tmp_path: Path) -> tuple[Path, Path]:
    """(site, bare remote): a copy of the academicpages template, committed and pushed."""
    if not TEMPLATE.is_dir():
        pytest.skip(f"the academicpages template copy is not at {TEMPLATE}")
    site = tmp_path / "template"
    shutil.copytree(TEMPLATE, site)
    git(site, "init", "-q")
    git(site, "add", "-A")
    git(site, "commit", "-q", "-m", "The template")
    return site, add_bare_remote(site, tmp_path / "template.git")


def untracked(work: Path) -> list[str]:
    status = git(work, "status", "--porcelain", "--untracked-files=all").splitlines()
    return sorted(line[3:] for line in status if line.startswith("??"))


def line_with(text: str, start: str) -> str:
    return next(line for line in text.splitlines() if line.startswith(start))


# --- new files ----------------------------------------------------------------------------------


def test_new_private_files_stay_out_and_linked_files_go_in(repo: tuple[Path, Path, Path]) -> None:
    work, site, _ = repo
    write(site / "notes" / "todo.txt", "call the bank\n")
    write(site / "notes.md", "---\ntitle: Notes\n---\nMine.\n")  # a page outside _pages
    write(site / "files" / "private.pdf", "%PDF private\n")
    write(site / "_drafts" / "idea.md", "---\ntitle: Idea\n---\nNot yet.\n")
    write(site / "files" / "linked.pdf", "%PDF linked\n")
    write(site / "files" / "own-url.pdf", "%PDF own url\n")
    write(site / "files" / "data.csv", "a,b\n")
    write(site / "images" / "figure.png", "png\n")
    write(
        site / "_posts" / "2024-01-01-hello.md",
        "---\ntitle: Hello\n---\nSee ![a figure](/images/figure.png).\n",
    )
    write(site / "_publications" / "2021-files.md", PAPER_WITH_FILES)
    write(site / "_data" / "extra.yml", "a: 1\n")
    write(site / "_pages" / "new.md", '---\ntitle: "New"\npermalink: /new/\n---\nNew.\n')
    about = site / "_pages" / "about.md"
    about.write_text(about.read_text() + "More about me.\n")

    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == [
        "_data/extra.yml",
        "_pages/about.md",
        "_pages/new.md",
        "_posts/2024-01-01-hello.md",
        "_publications/2021-files.md",
        "files/data.csv",
        "files/linked.pdf",
        "files/own-url.pdf",
        "images/figure.png",
    ]
    assert untracked(work) == [
        "_drafts/idea.md",
        "files/private.pdf",
        "notes.md",
        "notes/todo.txt",
    ]
    assert line_with(result.stdout, "Left out (new drafts").endswith(": _drafts/idea.md")
    unlinked = line_with(result.stdout, "Left out (new, outside _pages")
    assert "no page links to them" in unlinked
    assert unlinked.endswith(": files/private.pdf, notes.md, notes/todo.txt")


def test_a_new_file_linked_only_from_a_left_out_page_stays_out(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, _ = repo
    write(site / "notes.md", "---\ntitle: Notes\n---\n[my secret](/files/secret.pdf)\n")
    write(site / "files" / "secret.pdf", "%PDF\n")
    write(site / "_drafts" / "idea.md", "---\ntitle: Idea\n---\n[x](/files/draft.pdf)\n")
    write(site / "files" / "draft.pdf", "%PDF\n")
    add_publication(site, "2021-new", "New")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == ["_publications/2021-new.md"]
    assert untracked(work) == ["_drafts/idea.md", "files/draft.pdf", "files/secret.pdf", "notes.md"]


def test_tracked_files_and_new_theme_templates_are_committed_other_theme_files_not(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, _ = repo
    write(site / "files" / "cv.pdf", "%PDF old\n")
    write(site / "_includes" / "footer.html", "<footer></footer>\n")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "cv and footer")
    write(site / "files" / "cv.pdf", "%PDF new\n")  # tracked: committed, linked or not
    write(site / "_includes" / "footer.html", "<footer>me</footer>\n")
    write(site / "_includes" / "analytics.html", "<script></script>\n")
    write(site / "_sass" / "_custom.scss", "a { color: red; }\n")
    write(site / "_includes" / "notes.txt", "todo\n")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == [
        "_includes/analytics.html",
        "_includes/footer.html",
        "_sass/_custom.scss",
        "files/cv.pdf",
    ]
    assert untracked(work) == ["_includes/notes.txt"]
    assert "Left out (new in a theme folder" in result.stdout


# --- named paths --------------------------------------------------------------------------------


def test_named_paths_commit_just_those(
    repo: tuple[Path, Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    work, site, _ = repo
    add_publication(site, "2021-a", "A")
    add_publication(site, "2021-b", "B")
    about = site / "_pages" / "about.md"
    about.write_text(about.read_text() + "More about me.\n")
    write(site / "files" / "talk.pdf", "%PDF\n")

    monkeypatch.chdir(site / "_publications")  # relative to the current folder
    result = run_cli("publish", "2021-a.md", "--no-push")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == ["_publications/2021-a.md"]
    assert "3 other changed files in the site not named, left as they were" in result.stdout

    monkeypatch.chdir(tmp_path)  # relative to the site
    result = run_cli("publish", "--site", site, "_pages/about.md", "files/talk.pdf", "--no-push")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == ["_pages/about.md", "files/talk.pdf"]  # named: no link needed

    result = run_cli("publish", "--site", site, "_publications", "--no-push")  # a folder
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == ["_publications/2021-b.md"]
    assert git(work, "status", "--porcelain") == ""


def test_named_paths_that_cannot_be_published(
    repo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    work, site, _ = repo
    outside = write(tmp_path / "elsewhere.txt", "x\n")
    write(site / "_drafts" / "idea.md", "---\ntitle: Idea\n---\nNot yet.\n")
    write(site / ".secret.md", "hidden\n")
    before = snapshot(work)
    for args, message in [
        ((str(outside),), f"{outside} is not inside the site at {site}"),
        (("_publications/nope.md",), "_publications/nope.md: no such file or folder in the site"),
        (("_drafts/idea.md",), "_drafts/idea.md is a new draft, and pagemgr never commits drafts"),
        ((".secret.md",), ".secret.md is not site content"),
    ]:
        result = run_cli("publish", "--site", site, *args)
        assert result.exit_code == 2, (args, result.stdout, result.stderr)
        assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr
        assert snapshot(work) == before

    result = run_cli("publish", "--site", site, "_publications/2020-01-01-paper.md")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[:2] == [
        "Not changed since the last commit: _publications/2020-01-01-paper.md",
        "Nothing to publish: nothing changed under the named paths, and the remote has every "
        "commit",
    ]
    assert snapshot(work) == before


# --- the dry run --------------------------------------------------------------------------------


def test_dry_run_shows_the_split_and_a_remote_that_moved(
    repo: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    work, site, bare = repo
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", str(bare), str(other))
    add_publication(other, "2021-bot", "From the bot")
    git(other, "add", "-A")
    git(other, "commit", "-q", "-m", "bot")
    git(other, "push", "-q")
    add_publication(site, "2021-new", "Mine")
    write(site / "notes" / "todo.txt", "private\n")
    write(site / "_drafts" / "idea.md", "---\ntitle: Idea\n---\nNot yet.\n")
    before = snapshot(work)
    index_before = (work / ".git" / "index").read_bytes()

    result = run_cli("publish", "--site", site, "--dry-run")
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.stdout.splitlines() == [
        "Would commit 1 file:",
        "  A _publications/2021-new.md",
        "with the message:",
        "  Add publication: Mine",
        "Fetched origin/master: it has 1 commit you do not have; publishing would commit, "
        "then stop before pushing: add --rebase to replay yours on top",
        "Left out (new drafts, never committed while untracked): _drafts/idea.md",
        "Left out (new, outside _pages, the collections and _data, and no page links to them; "
        "`pagemgr publish PATH` commits one): notes/todo.txt",
        "Dry run: nothing was changed (the fetch moved only refs/remotes/origin/master)",
    ]
    assert snapshot(work) == before  # the branch, the index's contents and every file
    assert (work / ".git" / "index").read_bytes() == index_before
    assert head(work, "refs/remotes/origin/master") == head(bare)

    result = run_cli("publish", "--site", site, "--dry-run", "--rebase")
    assert "--rebase would replay yours on top of them" in result.stdout
    assert f"Would push 1 commit to origin/master ({bare})" in result.stdout
    assert "(the fetch moved" not in result.stdout  # already fetched

    result = run_cli("publish", "--site", site, "--dry-run", "--branch", "feature")
    assert "Fetched: origin has no branch feature yet; publishing creates it" in result.stdout
    assert f"Would push 2 commits to origin/feature ({bare})" in result.stdout

    bare.rename(tmp_path / "gone.git")
    result = run_cli("publish", "--site", site, "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "Could not fetch origin/master (could not reach origin" in result.stdout
    assert snapshot(work) == before


# --- errors: what the change has and what it breaks, not what was there ------------------------


def test_an_error_the_site_had_before_does_not_block_and_is_counted(
    repo: tuple[Path, Path, Path],
) -> None:
    work, site, bare = repo
    write(
        site / "_publications" / "bad.md",
        '---\ntitle: "No date"\ncollection: publications\n'
        "category: manuscripts\npermalink: /publication/bad\n---\nx\n",
    )
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "a broken paper, committed with git")
    git(work, "push", "-q")
    add_publication(site, "2021-new", "New")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(work) == ["_publications/2021-new.md"]
    assert head(bare) == head(work)
    assert (
        "2 errors were there before this change and are not in what you commit; "
        "`pagemgr check` lists them"  # no date, no venue
    ) in result.stdout.splitlines()

    bad = site / "_publications" / "bad.md"  # the file with the error is being committed
    bad.write_text(bad.read_text() + "More.\n")
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 1
    assert "_publications/bad.md" in result.stdout


def test_a_removal_that_breaks_another_file_is_refused(repo: tuple[Path, Path, Path]) -> None:
    work, site, bare = repo
    (site / "_pages" / "about.md").unlink()  # the menu links to it
    before = snapshot(work)
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "_data/navigation.yml" in result.stdout and "broken-nav-link" in result.stdout
    assert "refusing to publish" in result.stderr
    assert snapshot(work) == before
    assert head(bare) == head(work)


def test_a_bio_change_in_the_template_publishes_despite_its_sample_pages(
    template: tuple[Path, Path],
) -> None:
    site, bare = template
    assert run_cli("check", "--site", site).exit_code == 1  # the template has errors of its own
    config = site / "_config.yml"
    config.write_text(config.read_text().replace(BIO, 'bio: "I study tests"'))
    result = run_cli("publish", "--site", site)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert committed_files(site) == ["_config.yml"]
    assert head(bare) == head(site)
    assert re.search(EARLIER, result.stdout, re.MULTILINE), result.stdout


def test_the_hook_passes_a_bio_change_in_the_template_and_counts_the_old_errors(
    template: tuple[Path, Path],
) -> None:
    site, _ = template
    config = site / "_config.yml"
    config.write_text(config.read_text().replace(BIO, 'bio: "I study tests"'))
    result = run_cli("check", "--hook", config)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert re.search(EARLIER, result.stderr.removeprefix("pagemgr: "), re.MULTILINE)


def test_the_hook_refuses_a_config_change_that_breaks_other_files(tmp_path: Path) -> None:
    work, site = new_repo(tmp_path, subfolder=True)  # the site in a folder of the repository
    config = site / "_config.yml"
    config.write_text(
        config.read_text().replace("  manuscripts:\n    title: 'Journal Articles'\n", "")
    )
    result = run_cli("check", "--hook", config)
    assert result.exit_code == 1, result.stdout + result.stderr
    assert "_publications/2020-01-01-paper.md" in result.stdout

    result = run_cli("publish", "--site", site, "--no-push")
    assert result.exit_code == 1
    assert "_publications/2020-01-01-paper.md" in result.stdout
    assert git(work, "status", "--porcelain") == " M site/_config.yml\n"
