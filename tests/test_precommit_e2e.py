"""A user's own day, end to end: the real pre-commit framework, a bare remote, Debian's jekyll.

The bundled site is copied into a fresh repository whose `origin` is a bare repository. A pagemgr
pip-installed from a git repository of pagemgr (over `file://`) runs `pagemgr install-hook`, which
points pre-commit at that repository and commit; pre-commit installs pagemgr from it by itself.
Every git commit runs with no pagemgr on PATH, as from a GUI client or a new shell, and every step
runs the real commands a user would type.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import REPO, require_jekyll
from git_installed import GitInstalled, git_installed_pagemgr
from gitrepo import git, isolate_git

BIN = Path(sys.executable).parent
PUBLICATION = """---
title: "{title}"
collection: publications
category: conferences
permalink: /publication/{slug}
date: 2024-05-01
venue: 'A Conference'
---
About {slug}.
"""


def run(cwd: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    done = subprocess.run(list(args), cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"{args}: {done.returncode}\n{done.stdout}\n{done.stderr}")
    return done


def path_without_pagemgr() -> str:
    """PATH without any folder holding a `pagemgr`: what a GUI git client or a new shell has."""
    folders = os.environ["PATH"].split(os.pathsep)
    return os.pathsep.join(folder for folder in folders if not Path(folder, "pagemgr").exists())


@pytest.fixture(scope="module")
def git_installed(tmp_path_factory: pytest.TempPathFactory) -> GitInstalled:
    return git_installed_pagemgr(tmp_path_factory)


@pytest.fixture(scope="module")
def pre_commit_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Shared by the tests here, so pre-commit installs pagemgr's environment once."""
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def repo(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    git_installed: GitInstalled,
    pre_commit_home: Path,
) -> Path:
    if shutil.which("pre-commit", path=str(BIN)) is None:
        pytest.skip("pre-commit is not installed in this environment (pip install pre-commit)")
    isolate_git(tmp_path, monkeypatch)
    monkeypatch.setenv("PRE_COMMIT_HOME", str(pre_commit_home))
    monkeypatch.setenv("PATH", path_without_pagemgr())
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    work = tmp_path / "work"
    shutil.copytree(REPO / "site", work, ignore=shutil.ignore_patterns("_site", ".jekyll-cache"))
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "The site as it was")
    git(work, "remote", "add", "origin", str(remote))
    git(work, "push", "-q", "-u", "origin", "master")
    run(work, git_installed.pagemgr, "install-hook", "--no-install")
    run(work, str(BIN / "pre-commit"), "install")
    git(work, "add", ".pre-commit-config.yaml")
    git(work, "commit", "-q", "-m", "Check the site before every commit")
    return work


def commit(work: Path, rel: str, text: str) -> tuple[int, str]:
    """Exit code and everything `git commit` printed (pre-commit writes to both streams)."""
    (work / rel).write_text(text, encoding="utf-8")
    git(work, "add", rel)
    done = run(work, "git", "commit", "-m", f"Add {rel}", check=False)
    return done.returncode, done.stdout + done.stderr


def test_the_hook_refuses_broken_and_colliding_files_and_accepts_a_clean_one(repo: Path) -> None:
    broken = commit(
        repo, "_publications/broken.md", '---\ntitle: "Broken: a paper\nvenue: X\n---\n'
    )
    assert broken[0] != 0
    assert re.search(r"_publications/broken\.md:\d+:\d+: error: .*\[yaml-syntax\]", broken[1])
    git(repo, "rm", "-q", "--cached", "_publications/broken.md")
    (repo / "_publications" / "broken.md").unlink()

    copy = PUBLICATION.format(title="Copy", slug="genesisscene")
    collided = commit(repo, "_publications/copy.md", copy)
    assert collided[0] != 0
    assert "_publications/copy.md:5:1: error:" in collided[1]
    assert "[output-collision]" in collided[1] and "genesisscene.md" in collided[1]
    git(repo, "rm", "-q", "--cached", "_publications/copy.md")
    (repo / "_publications" / "copy.md").unlink()

    clean = commit(repo, "_publications/clean.md", PUBLICATION.format(title="Clean", slug="clean"))
    assert clean[0] == 0, clean[1]
    assert "pagemgr check" in clean[1] and "Passed" in clean[1]


def build(tmp_path: Path, remote: Path, name: str) -> Path:
    """Debian's jekyll build of a fresh checkout of the remote."""
    jekyll = require_jekyll()
    checkout = tmp_path / f"checkout-{name}"
    git(tmp_path, "clone", "-q", str(remote), str(checkout))
    out = tmp_path / f"out-{name}"
    done = subprocess.run(
        [jekyll, "build", "-d", str(out)],
        cwd=checkout,
        capture_output=True,
        text=True,
        env={**os.environ, "JEKYLL_NO_BUNDLER_REQUIRE": "true"},
        check=False,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return out


def tree(folder: Path) -> dict[str, str]:
    """Every built file's text, with the build's own time stamps taken out."""
    stamp = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d")
    return {
        path.relative_to(folder).as_posix(): stamp.sub("TIME", path.read_text(errors="replace"))
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_add_commit_push_then_edit_publish_rebuild(repo: Path, tmp_path: Path) -> None:
    remote = tmp_path / "remote.git"
    added = run(
        repo,
        str(BIN / "pagemgr"),
        "add",
        "publication",
        "--no-prompt",
        "--title",
        "Robust Pages for Academics",
        "--venue",
        "A Conference",
        "--date",
        "2024-05-01",
        "--category",
        "conferences",
        "--commit",
        "--push",
    )
    assert "Add publication: Robust Pages for Academics" in git(repo, "log", "-1", "--format=%s")
    assert git(repo, "status", "--porcelain") == "", added.stderr

    first = build(tmp_path, remote, "first")
    page = next(p for p in (first / "publication").glob("*.html") if "robust" in p.name)
    assert "Robust Pages for Academics" in page.read_text()
    assert "Robust Pages for Academics" in (first / "publications" / "index.html").read_text()
    assert "Wentao" in (first / "index.html").read_text()
    for redirect in ("about.html", "about/index.html"):
        assert 'http-equiv="refresh"' in (first / redirect).read_text()

    rel = f"_publications/{page.stem}.md"
    run(repo, str(BIN / "pagemgr"), "set", rel, "title", "Robust Pages, Revised")
    run(repo, str(BIN / "pagemgr"), "publish")
    assert git(repo, "status", "--porcelain") == ""
    second = build(tmp_path, remote, "second")
    before, after = tree(first), tree(second)
    assert before.keys() == after.keys()
    changed = sorted(name for name in before if before[name] != after[name])
    assert f"publication/{page.name}" in changed
    assert "Robust Pages, Revised" in after[f"publication/{page.name}"]
    allowed = {f"publication/{page.name}", "publications/index.html", "feed.xml"}
    assert set(changed) <= allowed, changed
