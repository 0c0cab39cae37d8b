"""pagemgr as a user gets it: `pip install "pagemgr @ git+URL@COMMIT"` into a fresh venv.

The repository is this working tree's package (committed in a scratch repository, so the code
under test is the code in the tree, committed or not); pip clones it over `file://` and takes the
dependencies from the index. Built once per test session: it costs a venv and a pip install.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import venv
from pathlib import Path
from typing import NamedTuple

import pytest

from conftest import REPO

PACKAGE = ("pyproject.toml", "README.md", ".pre-commit-hooks.yaml", "src", "schemas", "docs")
IDENTITY = ("-c", "user.name=Jane Doe", "-c", "user.email=jane@example.com")


class GitInstalled(NamedTuple):
    repository: Path  # the git repository pip installed from
    commit: str
    bin: Path  # the fresh venv's bin folder, holding `pagemgr`

    @property
    def url(self) -> str:
        return self.repository.as_uri()

    @property
    def requirement(self) -> str:
        return f"pagemgr @ git+{self.url}@{self.commit}"

    @property
    def pagemgr(self) -> str:
        return str(self.bin / "pagemgr")


_built: list[GitInstalled] = []


def git_installed_pagemgr(factory: pytest.TempPathFactory) -> GitInstalled:
    if not _built:
        _built.append(_build(factory.mktemp("git-installed")))
    return _built[0]


def _build(folder: Path) -> GitInstalled:
    env = _clean_env(folder)
    repository = folder / "pagemgr"
    commit = _commit_the_package(repository, env)
    environment = folder / "venv"
    venv.create(environment, with_pip=True)
    installed = GitInstalled(repository, commit, environment / "bin")
    # The pip ensurepip brings (23.2) rejects `name @ git+file:///…` (its packaging wants a host).
    _pip(installed, env, "--upgrade", "pip")
    _pip(installed, env, installed.requirement)
    return installed


def _pip(installed: GitInstalled, env: dict[str, str], *args: str) -> None:
    done = subprocess.run(
        [str(installed.bin / "python"), "-m", "pip", "install", "-q", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=900,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]


def _commit_the_package(repository: Path, env: dict[str, str]) -> str:
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in PACKAGE:
        source = REPO / name
        if source.is_dir():
            shutil.copytree(source, repository / name, ignore=ignore)
        else:
            repository.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, repository / name)

    def git(*args: str) -> str:
        done = subprocess.run(
            ["git", *IDENTITY, *args],
            cwd=repository,
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip()

    git("init", "-q", "-b", "main")
    git("add", "-A")
    git("commit", "-q", "-m", "pagemgr as it is in the working tree")
    return git("rev-parse", "HEAD")


def _clean_env(folder: Path) -> dict[str, str]:
    """No leaked GIT_* variables, no user git config, a private HOME (pip's cache goes there)."""
    env = {name: value for name, value in os.environ.items() if not name.startswith("GIT_")}
    home = folder / "home"
    home.mkdir()
    return {
        **env,
        "HOME": str(home),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "GIT_CONFIG_GLOBAL": os.devnull,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_TERMINAL_PROMPT": "0",
    }
