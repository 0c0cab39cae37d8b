"""The contender registry: what is run against the generated site, and when it is skipped.

To add a peer (check-jsonschema, remark-lint, a python-frontmatter + jsonschema loop, ...),
append a :class:`Contender` to :data:`CONTENDERS`: a name, a function from the site folder to
the argv, notes for the report, the exit codes that count as success, and a function that
returns a reason to skip it (or None) given the probed :class:`Context`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from benchmarks.runner import child_env, python_probe

_FIND_PAGEMGR = (
    "import importlib.util as u; s = u.find_spec('pagemgr.__main__'); "
    "print(s.origin if s and s.origin else '')"
)
_PYYAML_C = "import yaml, sys; sys.exit(0 if yaml.__with_libyaml__ else 3)"


@dataclass(frozen=True)
class PagemgrInfo:
    """What probing ``python -m pagemgr`` found."""

    origin: str | None
    problem: str | None
    has_jobs: bool


@dataclass(frozen=True)
class Context:
    """Facts probed once per benchmark run, used to build argvs and decide skips."""

    env: dict[str, str]
    pagemgr: PagemgrInfo
    pyyaml_problem: str | None


@dataclass(frozen=True)
class Contender:
    """One command measured against the site."""

    name: str
    argv: Callable[[Path], list[str]]
    notes: str
    skip_reason: Callable[[Context], str | None]
    expected_exit: frozenset[int] = frozenset({0})
    is_floor: bool = False
    target_ratio: float | None = None
    in_scale: bool = False
    capture_stdout: bool = False
    audit_output: bool = False


def _last_line(text: str) -> str:
    lines = text.strip().splitlines()
    return lines[-1] if lines else "no output"


def probe_pagemgr(env: dict[str, str]) -> PagemgrInfo:
    """Whether ``python -m pagemgr`` is importable and whether ``check`` takes ``--jobs``."""
    found = python_probe(["-c", _FIND_PAGEMGR], env)
    origin = found.stdout.strip()
    if found.returncode != 0 or not origin:
        why = _last_line(found.stderr) if found.returncode else "no module pagemgr.__main__"
        return PagemgrInfo(None, f"pagemgr not importable ({why})", False)
    helped = python_probe(["-m", "pagemgr", "check", "--help"], env)
    if helped.returncode != 0:
        problem = f"`pagemgr check --help` exited {helped.returncode}: {_last_line(helped.stderr)}"
        return PagemgrInfo(origin, problem, False)
    return PagemgrInfo(origin, None, "--jobs" in helped.stdout)


def probe_pyyaml(env: dict[str, str]) -> str | None:
    """None when PyYAML with libyaml is importable, else the reason it is not."""
    result = python_probe(["-c", _PYYAML_C], env)
    if result.returncode == 0:
        return None
    if result.returncode == 3:
        return "PyYAML is installed without libyaml"
    return f"PyYAML not importable ({_last_line(result.stderr)})"


def make_context() -> Context:
    env = child_env()
    return Context(env, probe_pagemgr(env), probe_pyyaml(env))


def _floor_argv(loader: str) -> Callable[[Path], list[str]]:
    def argv(site: Path) -> list[str]:
        return [sys.executable, "-m", "benchmarks.floor", str(site), "--loader", loader]

    return argv


def _pagemgr_argv(*extra: str) -> Callable[[Path], list[str]]:
    def argv(site: Path) -> list[str]:
        base = [sys.executable, "-m", "pagemgr", "check", "--site", str(site)]
        return [*base, "--format", "json", *extra]

    return argv


def _needs_pagemgr(ctx: Context) -> str | None:
    return ctx.pagemgr.problem


def _needs_pagemgr_jobs(ctx: Context) -> str | None:
    if ctx.pagemgr.problem:
        return ctx.pagemgr.problem
    return None if ctx.pagemgr.has_jobs else "`pagemgr check --help` does not list --jobs"


def _always(ctx: Context) -> str | None:
    return None


def _needs_pyyaml(ctx: Context) -> str | None:
    return ctx.pyyaml_problem


CONTENDERS: list[Contender] = [
    Contender(
        name="floor: ruamel CSafeLoader",
        argv=_floor_argv("ruamel"),
        notes="read + split + `ruamel.yaml.cyaml.CSafeLoader(text).get_single_data()`, "
        "one process; the reference for every ratio",
        skip_reason=_always,
        is_floor=True,
        in_scale=True,
        capture_stdout=True,
    ),
    Contender(
        name="floor: PyYAML CSafeLoader",
        argv=_floor_argv("pyyaml"),
        notes="the same loop with PyYAML's libyaml loader (optional)",
        skip_reason=_needs_pyyaml,
        capture_stdout=True,
    ),
    Contender(
        name="pagemgr check",
        argv=_pagemgr_argv(),
        notes="`python -m pagemgr check --site DIR --format json`, output to /dev/null; "
        "exit 1 expected (the site has broken files)",
        skip_reason=_needs_pagemgr,
        expected_exit=frozenset({1}),
        target_ratio=3.0,
        in_scale=True,
        audit_output=True,
    ),
    Contender(
        name="pagemgr check --jobs 1",
        argv=_pagemgr_argv("--jobs", "1"),
        notes="the same, forced to one process",
        skip_reason=_needs_pagemgr_jobs,
        expected_exit=frozenset({1}),
    ),
]
