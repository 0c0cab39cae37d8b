"""Real temporary git repositories for the publish tests: isolated config, snapshots, helpers."""

from __future__ import annotations

import hashlib
import os
import subprocess
from pathlib import Path

import pytest

from conftest import make_site

PUBLICATION = """---
title: "{title}"
collection: publications
category: manuscripts
permalink: /publication/{slug}
date: 2021-01-01
venue: 'Journal 2'
---
Body of {slug}.
"""
TALK = """---
title: "{title}"
collection: talks
type: "Talk"
permalink: /talks/{slug}
venue: "A University"
date: 2022-03-01
location: "Berlin, Germany"
---
A talk.
"""


def isolate_git(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, identity: bool = True) -> Path:
    """A private global git config (with user.name/email unless `identity` is False)."""
    config = tmp_path / "gitconfig"
    lines = ["[init]\n\tdefaultBranch = master\n", '[protocol "file"]\n\tallow = always\n']
    if identity:
        lines.append("[user]\n\tname = Jane Doe\n\temail = jane@example.com\n")
    else:
        lines.append("[user]\n\tuseConfigOnly = true\n")
    config.write_text("".join(lines), encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_TERMINAL_PROMPT", "0")
    for name in list(os.environ):
        if name.startswith("GIT_") and name not in (
            "GIT_CONFIG_GLOBAL",
            "GIT_CONFIG_NOSYSTEM",
            "GIT_TERMINAL_PROMPT",
        ):
            monkeypatch.delenv(name)
    monkeypatch.delenv("PAGEMGR_COMMITTING", raising=False)
    monkeypatch.delenv("EMAIL", raising=False)
    return config


def git(cwd: Path, *args: str, check: bool = True) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=False)
    if check and done.returncode != 0:
        raise AssertionError(f"git {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def new_repo(tmp_path: Path, subfolder: bool = False) -> tuple[Path, Path]:
    """(work tree, site root): the example site committed, at the repo root or in work/site."""
    if subfolder:
        work = tmp_path / "work"
        site = make_site(work)
        (work / "README.md").write_text("# My homepage repo\n", encoding="utf-8")
        (work / "scripts").mkdir()
        (work / "scripts" / "tool.py").write_text("print('hi')\n", encoding="utf-8")
    else:
        site = make_site(tmp_path)
        work = site
    git(work, "init", "-q")
    git(work, "add", "-A")
    git(work, "commit", "-q", "-m", "First commit")
    return work, site


def add_bare_remote(work: Path, bare: Path, name: str = "origin") -> Path:
    git(bare.parent, "init", "-q", "--bare", str(bare))
    git(work, "remote", "add", name, str(bare))
    git(work, "push", "-q", "-u", name, "master")
    return bare


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def add_publication(site: Path, slug: str, title: str) -> Path:
    return write(site / "_publications" / f"{slug}.md", PUBLICATION.format(slug=slug, title=title))


def head(work: Path, rev: str = "HEAD") -> str:
    return git(work, "rev-parse", rev).strip()


def committed_files(work: Path, rev: str = "HEAD") -> list[str]:
    return sorted(git(work, "show", "--name-only", "--format=", rev).split())


def snapshot(work: Path) -> dict[str, str]:
    """Every file of the work tree (not .git) with its hash, plus the index's staged diff."""
    hashes = {}
    for path in sorted(work.rglob("*")):
        if path.is_file() and ".git" not in path.relative_to(work).parts:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            hashes[path.relative_to(work).as_posix()] = digest
    hashes["<status>"] = git(work, "status", "--porcelain", "--untracked-files=all")
    hashes["<staged>"] = git(work, "diff", "--cached")
    hashes["<head>"] = head(work)
    return hashes


def hook(work: Path, name: str, body: str, bare: bool = False) -> Path:
    hooks = (work if bare else work / ".git") / "hooks"
    path = write(hooks / name, "#!/bin/sh\n" + body)
    path.chmod(0o755)
    return path
