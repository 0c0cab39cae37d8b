"""A new user's afternoon on a copy of the academicpages template with a bare remote.

Add a paper from BibTeX, edit the bio, remove a menu item, fix a colon in a title, commit through
the pre-commit hook, publish; the remote then holds exactly what was asked, and nothing else
(not the notes and the unlinked PDF lying in the site folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from tests.conftest import run_cli

from gitrepo import git, isolate_git

TEMPLATE = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "academicpages-template"

BIBTEX = """\
@inproceedings{DBLP:conf/x/DoeR24,
  author       = {Jane Doe and
                  Richard Roe},
  title        = {Checking Front Matter Before {GitHub} Pages Does},
  booktitle    = {Proceedings of the Workshop on Static Sites},
  pages        = {1--10},
  year         = {2024},
  doi          = {10.1145/3000000.3000001},
}
"""
CLASH = """\
---
title: "A paper on the first paper's address"
collection: publications
category: manuscripts
permalink: /publication/2009-10-01-paper-title-number-1
date: 2024-01-01
venue: "Journal 1"
---
"""
TALK = """\
---
title: Front matter: the sequel
collection: talks
type: "Talk"
permalink: /talks/2024-05-01-sequel
venue: "UCL"
date: 2024-05-01
location: "London, UK"
---
A talk.
"""


@pytest.fixture
def afternoon(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    if not TEMPLATE.is_dir():
        pytest.skip(f"{TEMPLATE} is absent (the academicpages template from the corpus)")
    if shutil.which("pre-commit", path=str(Path(sys.executable).parent)) is None:
        pytest.skip("pre-commit is not installed in this environment (pip install pre-commit)")
    isolate_git(tmp_path, monkeypatch)
    monkeypatch.setenv("PATH", f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    monkeypatch.setenv("PRE_COMMIT_HOME", str(tmp_path / "pre-commit-home"))
    monkeypatch.setenv("PAGEMGR_CACHE_DIR", str(tmp_path / "cache"))
    work = tmp_path / "work"
    shutil.copytree(TEMPLATE, work)
    bare = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(bare))
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "The template")
    git(work, "remote", "add", "origin", str(bare))
    git(work, "push", "-q", "-u", "origin", "master")
    monkeypatch.chdir(work)
    return work, bare


def test_the_afternoon_publishes_exactly_what_was_asked(afternoon: tuple[Path, Path]) -> None:
    work, bare = afternoon
    start = git(work, "rev-parse", "HEAD").strip()
    (work / "notes").mkdir()
    (work / "notes" / "todo.txt").write_text("ask Richard about the camera-ready\n")
    (work / "files").mkdir(exist_ok=True)
    (work / "files" / "referee-report.pdf").write_bytes(b"%PDF-1.4 private\n")
    (work / "refs.bib").write_text(BIBTEX, encoding="utf-8")
    menu_before = (work / "_data" / "navigation.yml").read_text(encoding="utf-8")
    config_before = (work / "_config.yml").read_text(encoding="utf-8")

    added = run_cli("add", "publication", "--bibtex", "refs.bib", "--category", "conferences")
    assert added.exit_code == 0, added.stderr
    (paper,) = [p for p in (work / "_publications").iterdir() if "checking-front" in p.name]
    text = paper.read_text(encoding="utf-8")
    assert "Doe, Jane; Roe, Richard (2024)" in text, text  # the template's own citation style

    bio = run_cli("set", "_config.yml", "author.bio", "Static sites, checked")
    assert bio.exit_code == 0, bio.stderr
    removed = run_cli("remove", "_data/navigation.yml", "main[-1]")
    assert removed.exit_code == 0, removed.stderr
    talk = work / "_talks" / "2024-05-01-sequel.md"
    talk.write_text(TALK, encoding="utf-8")
    fixed = run_cli("fix", "_talks/2024-05-01-sequel.md")
    assert fixed.exit_code == 1, fixed.stderr  # a fixer's exit status: it changed a file
    assert 'title: "Front matter: the sequel"\n' in talk.read_text(encoding="utf-8")

    hook = run_cli("install-hook", "--system")
    assert hook.exit_code == 0, hook.stderr
    assert "pre-commit" in (work / ".git" / "hooks" / "pre-commit").read_text(encoding="utf-8")
    clash = work / "_publications" / "2024-clash.md"
    clash.write_text(CLASH, encoding="utf-8")
    git(work, "add", ".pre-commit-config.yaml", str(clash.relative_to(work)))
    refused = subprocess.run(
        ["git", "commit", "-q", "-m", "A clash"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode != 0 and "2024-clash.md" in refused.stdout + refused.stderr
    git(work, "rm", "-q", "--cached", str(clash.relative_to(work)))
    clash.unlink()
    git(work, "add", ".pre-commit-config.yaml", str(paper.relative_to(work)), "_talks")
    committed = subprocess.run(
        ["git", "commit", "-q", "-m", "New paper and talk"],
        cwd=work,
        capture_output=True,
        text=True,
        check=False,
    )
    assert committed.returncode == 0, committed.stdout + committed.stderr

    published = run_cli("publish")
    assert published.exit_code == 0, published.stdout + published.stderr
    assert "notes/todo.txt" in published.stdout and "referee-report.pdf" in published.stdout

    remote_head = git(bare, "rev-parse", "master").strip()
    assert remote_head == git(work, "rev-parse", "HEAD").strip()
    changed = set(git(work, "diff", "--name-only", start, remote_head).split())
    assert changed == {
        ".pre-commit-config.yaml",
        "_config.yml",
        "_data/navigation.yml",
        str(paper.relative_to(work)),
        "_talks/2024-05-01-sequel.md",
    }
    tree = git(work, "ls-tree", "-r", "--name-only", remote_head).split()
    assert not {"notes/todo.txt", "files/referee-report.pdf", "refs.bib"} & set(tree)
    config_diff = git(work, "diff", start, remote_head, "--", "_config.yml")
    assert [
        line
        for line in config_diff.splitlines()
        if line[:1] in "+-" and not line.startswith(("+++", "---"))
    ] == [
        next("-" + line for line in config_before.splitlines() if line.lstrip().startswith("bio")),
        next(
            "+" + line
            for line in (work / "_config.yml").read_text(encoding="utf-8").splitlines()
            if line.lstrip().startswith("bio")
        ),
    ]
    menu_after = git(work, "show", f"{remote_head}:_data/navigation.yml")
    assert menu_after == menu_before.replace('  - title: "Guide"\n    url: /markdown/\n', "")
    assert '  # - title: "CV"\n  #   url: /cv-json/\n' in menu_after
