"""Run child processes and measure their wall time and peak RSS (via ``os.wait4``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import generate

REPO_ROOT = Path(__file__).resolve().parent.parent
WORK_DIR = REPO_ROOT / "benchmarks" / ".work"
LAUNCHER = Path(__file__).resolve().parent / "launch.py"


@dataclass(frozen=True)
class Measurement:
    """One run of one child process."""

    seconds: float
    max_rss_kib: int
    exit_code: int
    stdout: str
    stderr: str


@dataclass
class Series:
    """All timed runs of one contender on one site, plus what went wrong."""

    name: str
    runs: list[Measurement] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.runs) and not self.failures

    def median(self) -> float:
        return statistics.median(m.seconds for m in self.runs)

    def minimum(self) -> float:
        return min(m.seconds for m in self.runs)

    def maximum(self) -> float:
        return max(m.seconds for m in self.runs)

    def peak_rss_mib(self) -> float:
        return max(m.max_rss_kib for m in self.runs) / 1024


def compile_pagemgr() -> None:
    """Write pagemgr's bytecode, as ``pip install`` does for the peers' packages.

    An editable install run with PYTHONDONTWRITEBYTECODE set would otherwise compile every
    module from source on every start, which no installed tool pays."""
    import compileall
    import importlib.util

    spec = importlib.util.find_spec("pagemgr")
    for folder in (spec.submodule_search_locations or []) if spec else []:
        compileall.compile_dir(folder, quiet=1)


def child_env() -> dict[str, str]:
    """The environment for children: the repo root (and ``src/`` if present) on PYTHONPATH,
    and ``PAGEMGR_CACHE_DIR`` (unless set) under ``benchmarks/.work/``."""
    compile_pagemgr()
    paths = [str(REPO_ROOT)]
    if (REPO_ROOT / "src" / "pagemgr").is_dir():
        paths.insert(0, str(REPO_ROOT / "src"))
    existing = os.environ.get("PYTHONPATH")
    if existing:
        paths.append(existing)
    # pagemgr's check cache goes here, not into the repository's .git folder.
    cache = os.environ.get("PAGEMGR_CACHE_DIR") or str(WORK_DIR / "pagemgr-cache")
    return {**os.environ, "PYTHONPATH": os.pathsep.join(paths), "PAGEMGR_CACHE_DIR": cache}


def launcher_argv(report_fd: int, argv: Sequence[str]) -> list[str]:
    """``argv`` wrapped in the launcher (see ``benchmarks/launch.py`` for why)."""
    return [sys.executable, "-I", "-S", str(LAUNCHER), str(report_fd), *argv]


def _read_report(read_fd: int) -> dict[str, object]:
    with os.fdopen(read_fd, "rb") as report:
        return parse_json_line(report.read().decode("utf-8", errors="replace"))


def _measurement(report: dict[str, object], out: bytes, err: str) -> Measurement:
    seconds, rss, code = report.get("seconds"), report.get("max_rss_kib"), report.get("exit_code")
    if not (isinstance(seconds, float) and isinstance(rss, int) and isinstance(code, int)):
        raise RuntimeError(f"the launcher gave no report: {err.strip()[-500:]}")
    return Measurement(seconds, rss, code, out.decode("utf-8", errors="replace"), err)


def run_child(
    argv: Sequence[str], env: Mapping[str, str], capture_stdout: bool = False
) -> Measurement:
    """Run ``argv`` from the repo root via the launcher; stdout to /dev/null unless captured."""
    stdout = subprocess.PIPE if capture_stdout else subprocess.DEVNULL
    read_fd, write_fd = os.pipe()
    with tempfile.TemporaryFile() as err:
        try:
            proc = subprocess.Popen(
                launcher_argv(write_fd, argv),
                stdout=stdout,
                stderr=err,
                cwd=REPO_ROOT,
                env=env,
                pass_fds=(write_fd,),
            )
        finally:
            os.close(write_fd)
        out, _ = proc.communicate()
        report = _read_report(read_fd)
        err.seek(0)
        err_text = err.read().decode("utf-8", errors="replace")
    return _measurement(report, out or b"", err_text)


def describe_failure(m: Measurement, expected: frozenset[int]) -> str | None:
    """Why a run counts as failed, or None when its exit code is one of ``expected``."""
    if m.exit_code in expected:
        return None
    tail = " | ".join(m.stderr.strip().splitlines()[-3:]) or "no stderr"
    want = "/".join(str(c) for c in sorted(expected))
    if m.exit_code < 0:
        return f"killed by signal {-m.exit_code} (expected exit {want}): {tail}"
    return f"exit code {m.exit_code} (expected {want}): {tail}"


def python_probe(args: Sequence[str], env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``python ARGS`` (e.g. ``-c CODE``) from the repo root with the children's env."""
    return subprocess.run(
        [sys.executable, *args],
        capture_output=True,
        text=True,
        cwd=REPO_ROOT,
        env=env,
        timeout=120,
        check=False,
    )


def parse_json_line(text: str) -> dict[str, object]:
    """The last line of ``text`` as a JSON object, or an empty dict."""
    lines = text.strip().splitlines()
    if not lines:
        return {}
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError:
        return {}
    return value if isinstance(value, dict) else {}


# --- the cached generated site --------------------------------------------------------------


def generator_stamp(seed: int) -> str:
    """Identifies the generator's output: its version, a hash of its source and the seed."""
    digest = hashlib.sha256(Path(generate.__file__).read_bytes()).hexdigest()[:16]
    return f"v{generate.GENERATOR_VERSION} sha256:{digest} seed:{seed}\n"


def ensure_site(n_docs: int, seed: int = 0, work_dir: Path = WORK_DIR) -> tuple[Path, bool]:
    """The cached site for ``n_docs``, regenerated when the generator changed; (path, fresh)."""
    site = work_dir / f"site-{n_docs}"
    stamp = work_dir / f"site-{n_docs}.stamp"
    wanted = generator_stamp(seed)
    if site.is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return site, False
    scratch = work_dir / f"site-{n_docs}.tmp"
    for stale in (site, scratch):
        shutil.rmtree(stale, ignore_errors=True)
    stamp.unlink(missing_ok=True)
    generate.generate_site(scratch, n_docs, seed)
    scratch.rename(site)
    stamp.write_text(wanted)
    return site, True


def warm_page_cache(site: Path) -> None:
    """Read every file once so that no contender pays for cold disk reads."""
    for path in site.rglob("*"):
        if path.is_file():
            path.read_bytes()
