"""The contender registry: what is run against the generated site, and when it is skipped.

To add a peer (check-jsonschema, remark-lint, a python-frontmatter + jsonschema loop, ...),
append a :class:`Contender` to :data:`CONTENDERS`: a name, a function from the site folder to
the argv, notes for the report, the exit codes that count as success, and a function that
returns a reason to skip it (or None) given the probed :class:`Context`.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import peers
from benchmarks.peers import PeerStatus
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
    has_no_cache: bool = False


@dataclass(frozen=True)
class Context:
    """Facts probed once per benchmark run, used to build argvs and decide skips."""

    env: dict[str, str]
    pagemgr: PagemgrInfo
    pyyaml_problem: str | None
    peers: PeerStatus = field(default_factory=lambda: PeerStatus(disabled="peers not requested"))


@dataclass(frozen=True)
class Contender:
    """One command measured against the site."""

    name: str
    argv: Callable[[Path, Context], list[str]]
    notes: str
    skip_reason: Callable[[Context], str | None]
    expected_exit: frozenset[int] = frozenset({0})
    is_floor: bool = False
    target_ratio: float | None = None
    in_scale: bool = False
    capture_stdout: bool = False
    audit_output: bool = False
    is_peer: bool = False
    prepare: Callable[[Path], None] | None = None


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
    return PagemgrInfo(origin, None, "--jobs" in helped.stdout, "--no-cache" in helped.stdout)


def probe_pyyaml(env: dict[str, str]) -> str | None:
    """None when PyYAML with libyaml is importable, else the reason it is not."""
    result = python_probe(["-c", _PYYAML_C], env)
    if result.returncode == 0:
        return None
    if result.returncode == 3:
        return "PyYAML is installed without libyaml"
    return f"PyYAML not importable ({_last_line(result.stderr)})"


def make_context(peer_status: PeerStatus | None = None) -> Context:
    env = child_env()
    status = peer_status or PeerStatus(disabled="peers not requested (--no-peers)")
    return Context(env, probe_pagemgr(env), probe_pyyaml(env), status)


Argv = Callable[[Path, Context], list[str]]


def _floor_argv(loader: str) -> Argv:
    def argv(site: Path, ctx: Context) -> list[str]:
        return [sys.executable, "-m", "benchmarks.floor", str(site), "--loader", loader]

    return argv


def _pagemgr_argv(*extra: str, cache: bool = False) -> Argv:
    """``pagemgr check`` on the site; without ``cache``, ``--no-cache`` when pagemgr has it."""

    def argv(site: Path, ctx: Context) -> list[str]:
        base = [sys.executable, "-m", "pagemgr", "check", "--site", str(site)]
        cold = ["--no-cache"] if ctx.pagemgr.has_no_cache and not cache else []
        return [*base, "--format", "json", *cold, *extra]

    return argv


def _needs_pagemgr_cache(ctx: Context) -> str | None:
    if ctx.pagemgr.problem:
        return ctx.pagemgr.problem
    return None if ctx.pagemgr.has_no_cache else "pagemgr check has no cache (no --no-cache)"


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
        notes="`python -m pagemgr check --site DIR --format json --no-cache` (every file read "
        "and checked: the peers keep no cache either; `--no-cache` is left out when pagemgr "
        "lacks it), output to /dev/null; exit 1 expected (the site has broken files)",
        skip_reason=_needs_pagemgr,
        expected_exit=frozenset({1}),
        target_ratio=3.0,
        in_scale=True,
        audit_output=True,
    ),
    Contender(
        name="pagemgr check (warm cache)",
        argv=_pagemgr_argv(cache=True),
        notes="the same without `--no-cache`: after the warm-up run every file is unchanged, "
        "so this is the re-run cost (cache in `benchmarks/.work/pagemgr-cache`, "
        "PAGEMGR_CACHE_DIR)",
        skip_reason=_needs_pagemgr_cache,
        expected_exit=frozenset({1}),
    ),
    Contender(
        name="pagemgr check --jobs 1",
        argv=_pagemgr_argv("--jobs", "1"),
        notes="the same, forced to one process (the one-core figure)",
        skip_reason=_needs_pagemgr_jobs,
        expected_exit=frozenset({1}),
        in_scale=True,
    ),
]


# --- schema-only pagemgr and the peers ------------------------------------------------------

# The rules a JSON-Schema peer can express: YAML that does not load, and the schema keywords.
SCHEMA_RULES = (
    "yaml-syntax,missing-key,wrong-type,bad-value,bad-format,empty-value,invalid-date,schema"
)


def _needs_peer(name: str) -> Callable[[Context], str | None]:
    def reason(ctx: Context) -> str | None:
        return ctx.peers.problem(name)

    return reason


_PEER_SCOPE = (
    "the documents of the site's four collections (`_publications`, `_talks`, `_teaching`, "
    "`_posts`), each against pagemgr's schema for it (copy: `jekyll-date` -> `date`)"
)

CONTENDERS += [
    Contender(
        name="pagemgr check (schema only)",
        argv=_pagemgr_argv("--select", SCHEMA_RULES),
        notes=f"the same with `--select {SCHEMA_RULES}` (site-wide rules not reported)",
        skip_reason=_needs_pagemgr,
        expected_exit=frozenset({1}),
        audit_output=True,
    ),
    Contender(
        name="check-jsonschema (default install)",
        argv=lambda site, _ctx: peers.cjs_command("cjs", site),
        notes="`check-jsonschema --schemafile <collection schema> <front matters>.yml`, one "
        "process per collection (it takes one schema per run), on the front matters extracted "
        f"byte for byte to standalone `.yml` files; {_PEER_SCOPE}; ruamel.yaml without its C "
        "extension (what `pip install check-jsonschema` gives)",
        skip_reason=_needs_peer("cjs"),
        expected_exit=frozenset({1}),
        audit_output=True,
        is_peer=True,
        prepare=peers.prepare_site,
    ),
    Contender(
        name="check-jsonschema (ruamel C ext)",
        argv=lambda site, _ctx: peers.cjs_command("cjs-clib", site),
        notes="the same with `ruamel.yaml[oldlibyaml]` installed, so ruamel parses with its "
        "C extension",
        skip_reason=_needs_peer("cjs-clib"),
        expected_exit=frozenset({1}),
        audit_output=True,
        is_peer=True,
        prepare=peers.prepare_site,
    ),
    Contender(
        name="remark-lint-frontmatter-schema",
        argv=lambda site, _ctx: peers.remark_command(site),
        notes="`remark --rc-path .remarkrc --frail --quiet --no-stdout` with remark-frontmatter "
        "and remark-lint-frontmatter-schema (Ajv, draft-07 copy of each schema, globs per "
        f"collection in the .remarkrc), on the `.md` files; {_PEER_SCOPE}",
        skip_reason=_needs_peer("remark"),
        expected_exit=frozenset({1}),
        audit_output=True,
        is_peer=True,
        prepare=peers.prepare_site,
    ),
    Contender(
        name="python-frontmatter + jsonschema loop",
        argv=lambda site, _ctx: peers.loop_command("cjs", site),
        notes="`benchmarks/peer_loop.py`: `frontmatter.load(path)` (PyYAML with libyaml), "
        "top-level dates back to ISO strings, a 2020-12 validator with the format checker, "
        f"`iter_errors`; {_PEER_SCOPE}",
        skip_reason=_needs_peer("cjs"),
        expected_exit=frozenset({1}),
        audit_output=True,
        is_peer=True,
        prepare=peers.prepare_site,
    ),
]


# --- start-up -------------------------------------------------------------------------------


def _python_argv(*args: str) -> Argv:
    def argv(site: Path, ctx: Context) -> list[str]:
        return [sys.executable, *args]

    return argv


STARTUP: list[Contender] = [
    Contender(
        name="python -c pass",
        argv=_python_argv("-c", "pass"),
        notes="the bare interpreter",
        skip_reason=_always,
        is_floor=True,
    ),
    Contender(
        name="python -c 'import click'",
        argv=_python_argv("-c", "import click"),
        notes="the smallest click program: the reference for pagemgr's start-up",
        skip_reason=_always,
    ),
    Contender(
        name="pagemgr --version",
        argv=_python_argv("-m", "pagemgr", "--version"),
        notes="`python -m pagemgr --version`",
        skip_reason=_needs_pagemgr,
    ),
    Contender(
        name="pagemgr --help",
        argv=_python_argv("-m", "pagemgr", "--help"),
        notes="`python -m pagemgr --help`",
        skip_reason=_needs_pagemgr,
    ),
    Contender(
        name="pagemgr check --help",
        argv=_python_argv("-m", "pagemgr", "check", "--help"),
        notes="`python -m pagemgr check --help`",
        skip_reason=_needs_pagemgr,
    ),
]
