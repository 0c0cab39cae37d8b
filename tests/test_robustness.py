"""Robustness: hostile files, files that change under a running check, mutated real sites.

`pagemgr check` must never print a traceback, never report an internal error, and always exit
0, 1 or 2. Every test prints one line with the number of cases it tried and how many failed
(`pytest -s` shows it) and records both with `record_property`, so the figure can be quoted:

    robustness: <test>: <cases> cases, <failures> failures

Knobs: ROBUSTNESS_EXAMPLES (hypothesis examples for the corpus mutations, default 120) and
ROBUSTNESS_RACE_RUNS (subprocess runs under the file-changing thread, default 24).
"""

from __future__ import annotations

import contextlib
import json
import os
import random
import shutil
import stat
import subprocess
import sys
import textwrap
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import SHARED, make_site, run_cli

CORPUS = SHARED / "corpus"
OK_EXITS = (0, 1, 2)
RecordProperty = Callable[[str, object], None]
EXAMPLES = int(os.environ.get("ROBUSTNESS_EXAMPLES", "120"))
RACE_RUNS = int(os.environ.get("ROBUSTNESS_RACE_RUNS", "24"))


# Cases that fail today because of a bug in pagemgr, by label: the test reports them as XFAIL
# (with the reason) while every other case must pass; once fixed, the case passes and the test
# fails until its entry here is removed.
KNOWN_BUGS: dict[str, str] = {}


@dataclass
class Tally:
    """Cases tried and the failures among them, printed and recorded at the end of a test."""

    name: str
    cases: int = 0
    failures: list[str] = field(default_factory=list)
    labels: list[str] = field(default_factory=list)
    tried: set[str] = field(default_factory=set)

    def case(self, label: str) -> None:
        self.cases += 1
        self.tried.add(label)

    def check(self, label: str, code: int, stderr: str, stdout: str = "") -> None:
        self.case(label)
        problem = crash_problem(code, stderr, stdout)
        if problem:
            self.fail(label, problem)

    def fail(self, label: str, problem: str) -> None:
        self.failures.append(f"{label}: {problem}")
        self.labels.append(label)

    def report(self, record_property: RecordProperty) -> None:
        known = [label for label in self.labels if label in KNOWN_BUGS]
        print(
            f"\nrobustness: {self.name}: {self.cases} cases, {len(self.failures)} failures"
            + (f" ({len(known)} known bugs)" if known else "")
        )
        record_property("cases", self.cases)
        record_property("failures", len(self.failures))
        fixed = sorted(self.tried & KNOWN_BUGS.keys() - set(self.labels))
        assert not fixed, f"known bugs now pass, remove them from KNOWN_BUGS: {fixed}"
        if len(known) == len(self.failures) and known:
            pytest.xfail("known bugs: " + "; ".join(f"{k}: {KNOWN_BUGS[k]}" for k in known))
        assert not self.failures, "\n".join(self.failures[:10])


def crash_problem(code: int, stderr: str, stdout: str = "") -> str | None:
    """Why a `pagemgr check` run counts as a crash, or None."""
    if code not in OK_EXITS:
        return f"exit code {code}: {stderr.strip()[-400:]}"
    if "Traceback" in stderr or "Traceback" in stdout:
        return f"traceback printed: {stderr.strip()[-400:]}"
    if "internal error" in stderr:
        return f"internal error: {stderr.strip()[-400:]}"
    if '"internal-error"' in stdout:
        return "an internal-error finding (a check crashed on one file)"
    return None


def pagemgr_check(
    site: Path, *extra: str, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """`python -m pagemgr check --site SITE --format json` in a real child process."""
    argv = [sys.executable, "-m", "pagemgr", "check", "--site", str(site), "--format", "json"]
    return subprocess.run(
        [*argv, *extra],
        capture_output=True,
        text=True,
        timeout=timeout,
        stdin=subprocess.DEVNULL,
        check=False,
    )


def rules_of(stdout: str) -> list[tuple[str, str]]:
    return sorted((f["rule"], f["path"]) for f in json.loads(stdout)["findings"])


# --- a 50 MB data file ----------------------------------------------------------------------

_MEASURE = textwrap.dedent(
    """
    import json, os, subprocess, sys, time
    argv = json.loads(sys.argv[1])
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read()
    _, status, usage = os.wait4(proc.pid, 0)
    print(json.dumps({"seconds": time.perf_counter() - start, "rss_kib": usage.ru_maxrss,
                      "code": os.waitstatus_to_exitcode(status),
                      "stderr": err.decode("utf-8", "replace")[-2000:]}))
    """
)


def measured(argv: list[str], timeout: float) -> dict[str, object]:
    """Wall time, the child's own peak RSS (wait4) and exit code, from a fresh small parent."""
    out = subprocess.run(
        [sys.executable, "-c", _MEASURE, json.dumps(argv)],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
    )
    result: dict[str, object] = json.loads(out.stdout)
    return result


def _fifty_megabytes_of_records() -> bytes:
    record = (
        '- title: "Paper {i}: a study of things"\n'
        "  venue: 'Journal of Applied Computation'\n"
        "  date: 2021-03-{d:02d}\n"
        "  url: https://example.org/papers/{i}.pdf\n"
        "  tags: [graphs, numerics, {i}]\n"
    )
    chunks: list[str] = []
    size, i = 0, 0
    while size < 50 * 1024 * 1024:
        chunk = record.format(i=i, d=i % 28 + 1)
        chunks.append(chunk)
        size += len(chunk)
        i += 1
    return "".join(chunks).encode("utf-8")


@pytest.mark.parametrize("shape", ["records", "one-long-string"])
def test_fifty_megabyte_data_file(
    tmp_path: Path, shape: str, record_property: RecordProperty
) -> None:
    site = make_site(tmp_path)
    data = (
        _fifty_megabytes_of_records()
        if shape == "records"
        else b"note: '" + b"x" * (50 * 1024 * 1024) + b"'\n"
    )
    (site / "_data" / "big.yml").write_bytes(data)
    argv = [sys.executable, "-m", "pagemgr", "check", "--site", str(site)]
    tally = Tally(f"50 MB data file ({shape})")
    result = measured(argv, timeout=180)
    seconds, rss_mib = float(str(result["seconds"])), int(str(result["rss_kib"])) / 1024
    code, stderr = int(str(result["code"])), str(result["stderr"])
    print(f"\n50 MB data file ({shape}): {seconds:.1f} s, peak RSS {rss_mib:.0f} MiB, exit {code}")
    record_property("seconds", round(seconds, 2))
    record_property("peak_rss_mib", round(rss_mib))
    tally.check(shape, code, stderr)
    if seconds >= 60:
        tally.fail(shape, f"took {seconds:.1f} s (limit 60 s)")
    if rss_mib >= 1024:
        tally.fail(shape, f"peak RSS {rss_mib:.0f} MiB (limit 1024 MiB)")
    tally.report(record_property)


# --- odd things where a file should be ------------------------------------------------------


def _directory_named_md(site: Path) -> str:
    (site / "_publications" / "2021-dir.md").mkdir()
    (site / "_publications" / "2021-dir.md" / "inner.md").write_text("---\ntitle: x\n---\n")
    return "_publications/2021-dir.md"


def _dangling_symlink(site: Path) -> str:
    os.symlink(site / "_publications" / "gone.md", site / "_publications" / "2021-gone.md")
    return "_publications/2021-gone.md"


def _symlink_loop(site: Path) -> str:
    os.symlink(site / "_publications" / "2021-b.md", site / "_publications" / "2021-a.md")
    os.symlink(site / "_publications" / "2021-a.md", site / "_publications" / "2021-b.md")
    return "_publications/2021-a.md"


def _symlink_to_directory(site: Path) -> str:
    (site / "_publications" / "folder").mkdir()
    os.symlink(site / "_publications" / "folder", site / "_publications" / "2021-link.md")
    return "_publications/2021-link.md"


def _data_file_is_a_directory(site: Path) -> str:
    (site / "_data" / "authors.yml").mkdir()
    return "_data/authors.yml"


def _data_file_dangling(site: Path) -> str:
    os.symlink(site / "_data" / "nowhere.yml", site / "_data" / "authors.yml")
    return "_data/authors.yml"


def _collection_folder_is_a_file(site: Path) -> str:
    (site / "_talks").write_text("not a folder\n")
    return "_talks"


ODD_PATHS: dict[str, Callable[[Path], str]] = {
    "document path is a directory": _directory_named_md,
    "document is a dangling symlink": _dangling_symlink,
    "document is a symlink loop": _symlink_loop,
    "document is a symlink to a directory": _symlink_to_directory,
    "data file is a directory": _data_file_is_a_directory,
    "data file is a dangling symlink": _data_file_dangling,
    "collection folder is a file": _collection_folder_is_a_file,
}


def test_odd_paths_where_files_should_be(tmp_path: Path, record_property: RecordProperty) -> None:
    tally = Tally("odd paths (directory / dangling symlink / loop where a file should be)")
    for number, (label, make) in enumerate(ODD_PATHS.items()):
        site = make_site(tmp_path / str(number))
        make(site)
        result = run_cli("check", "--site", site, "--format", "json")
        tally.check(label, result.exit_code, result.stderr, result.stdout)
    tally.report(record_property)


def test_fifo_named_like_a_document(tmp_path: Path, record_property: RecordProperty) -> None:
    """Reading a FIFO would block for ever: check must finish (unreadable, or skipped)."""
    tally = Tally("FIFO named like a .md / .yml file")
    for number, rel in enumerate(["_publications/2021-fifo.md", "_data/fifo.yml"]):
        site = make_site(tmp_path / str(number))
        os.mkfifo(site / rel)
        try:
            result = pagemgr_check(site, timeout=30)
        except subprocess.TimeoutExpired:
            tally.case(rel)
            tally.fail(rel, "still running after 30 s (blocked on the FIFO?)")
            continue
        tally.check(rel, result.returncode, result.stderr, result.stdout)
    tally.report(record_property)


def test_permission_denied(tmp_path: Path, record_property: RecordProperty) -> None:
    """chmod 000 on a document, a data file and a collection folder: clear findings."""
    if os.geteuid() == 0:
        pytest.skip("running as root: chmod 000 does not deny root; see the FIFO test instead")
    tally = Tally("permission denied (chmod 000)")
    targets = ["_publications/2020-01-01-paper.md", "_data/navigation.yml", "_publications"]
    for number, rel in enumerate(targets):
        site = make_site(tmp_path / str(number))
        path = site / rel
        mode = path.stat().st_mode
        path.chmod(0)
        try:
            result = run_cli("check", "--site", site, "--format", "json")
        finally:
            path.chmod(stat.S_IMODE(mode))
        tally.check(rel, result.exit_code, result.stderr, result.stdout)
    tally.report(record_property)


# --- bytes that are not UTF-8 text ----------------------------------------------------------

BAD_BYTES: dict[str, bytes] = {
    "invalid UTF-8 in a value": b'main:\n  - title: "caf\xe9"\n    url: /\n',
    "NUL in a value": b'main:\n  - title: "a\x00b"\n    url: /\n',
    "NUL at the start": b"\x00main:\n  - title: x\n",
    "only NULs": b"\x00" * 4096,
    "truncated multibyte at EOF": b'main:\n  - title: "\xe4\xb8',
    "overlong encoding": b'main:\n  - title: "\xc0\xaf"\n',
    "encoded surrogate": b'main:\n  - title: "\xed\xa0\x80"\n',
    "UTF-16 LE with BOM": "main:\n  - title: x\n".encode("utf-16"),
    "UTF-32 text": "main:\n  - title: x\n".encode("utf-32"),
    "binary garbage": bytes(range(256)) * 64,
    "C0 controls": b'main:\n  - title: "\x01\x02\x1b[31m\x7f"\n',
}


def test_invalid_utf8_and_nul_bytes_in_data_files(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    tally = Tally("invalid UTF-8 / NUL bytes in data files, _config.yml and front matter")
    site = make_site(tmp_path)
    config = (site / "_config.yml").read_bytes()
    for label, data in BAD_BYTES.items():
        for target in ("_data/navigation.yml", "_data/extra.yml"):
            path = site / target
            original = path.read_bytes() if path.exists() else None
            path.write_bytes(data)
            result = run_cli("check", "--site", site, "--format", "json")
            tally.check(f"{target}: {label}", result.exit_code, result.stderr, result.stdout)
            if original is None:
                path.unlink()
            else:
                path.write_bytes(original)
        (site / "_config.yml").write_bytes(config + b"\nextra: " + data[:200] + b"\n")
        result = run_cli("check", "--site", site, "--format", "json")
        tally.check(f"_config.yml: {label}", result.exit_code, result.stderr, result.stdout)
        (site / "_config.yml").write_bytes(config)
        doc = site / "_publications" / "2021-bytes.md"
        doc.write_bytes(b"---\ntitle: x\nnote: " + data[:200] + b"\n---\nbody\n")
        result = run_cli("check", "--site", site, "--format", "json")
        tally.check(f"front matter: {label}", result.exit_code, result.stderr, result.stdout)
        doc.unlink()
    tally.report(record_property)


# --- files that change while check runs -----------------------------------------------------


def _no_cache() -> tuple[str, ...]:
    """``--no-cache`` when this pagemgr has a check cache (every other race run goes cold)."""
    helped = subprocess.run(
        [sys.executable, "-m", "pagemgr", "check", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    return ("--no-cache",) if "--no-cache" in helped.stdout else ()


def _race_site(root: Path, n_docs: int = 300) -> Path:
    from benchmarks.generate import generate_site

    generate_site(root, n_docs)
    return root


class Churner(threading.Thread):
    """Deletes, recreates, replaces by a directory or a dangling symlink, truncates and rewrites
    documents and data files of ``site`` until stopped; counts what it did."""

    def __init__(self, site: Path, seed: int) -> None:
        super().__init__(daemon=True)
        self.site = site
        self.rng = random.Random(seed)
        self.stop = threading.Event()
        self.actions = 0
        self.paths = sorted(p for p in site.rglob("*.md") if "_layouts" not in p.parts)
        self.paths += sorted((site / "_data").glob("*.yml"))
        self.originals = {p: p.read_bytes() for p in self.paths}

    def run(self) -> None:
        while not self.stop.is_set():
            path = self.rng.choice(self.paths)
            # an OSError means another change got there first; the check run is what is tested
            with contextlib.suppress(OSError):
                self._mutate(path)
            self.actions += 1

    def _mutate(self, path: Path) -> None:
        action = self.rng.randrange(6)
        original = self.originals[path]
        if action == 0:  # deleted, then back
            path.unlink(missing_ok=True)
            time.sleep(0.0005)
            path.write_bytes(original)
        elif action == 1:  # replaced by a directory, then back
            _remove(path)
            path.mkdir()
            time.sleep(0.001)
            path.rmdir()
            path.write_bytes(original)
        elif action == 2:  # replaced by a dangling symlink, then back
            _remove(path)
            os.symlink(path.with_name("missing-target.md"), path)
            time.sleep(0.001)
            path.unlink()
            path.write_bytes(original)
        elif action == 3:  # truncated mid-write, then whole again
            path.write_bytes(original[: self.rng.randrange(len(original) + 1)])
            path.write_bytes(original)
        elif action == 4:  # replaced atomically (rename over it)
            temp = path.with_name(path.name + ".tmp")
            temp.write_bytes(original)
            os.replace(temp, path)
        else:  # a new file appears and goes
            extra = path.with_name("zz-new-" + path.name)
            extra.write_bytes(original)
            time.sleep(0.0005)
            extra.unlink(missing_ok=True)

    def restore(self) -> None:
        for path, original in self.originals.items():
            _remove(path)
            path.write_bytes(original)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink()
    elif path.is_dir():
        shutil.rmtree(path)


def test_files_deleted_and_replaced_during_check(
    tmp_path: Path, record_property: RecordProperty
) -> None:
    """A thread churns the site's files while `pagemgr check` runs in a child, many times."""
    site = _race_site(tmp_path / "site")
    tally = Tally("files deleted / replaced by a directory or dangling symlink during check")
    churned = 0
    for run in range(RACE_RUNS):
        churner = Churner(site, seed=run)
        churner.start()
        try:
            extra = _no_cache() if run % 2 else ()
            result = pagemgr_check(site, *extra, timeout=120)
        finally:
            churner.stop.set()
            churner.join()
            churner.restore()
        churned += churner.actions
        tally.check(f"run {run}", result.returncode, result.stderr, result.stdout)
    print(f"\nrace: {RACE_RUNS} check runs, {churned} file changes made while they ran")
    record_property("file_changes", churned)
    assert churned > RACE_RUNS, "the churning thread did not get to run"
    tally.report(record_property)


# --- mutated real files from the shared corpus ----------------------------------------------


def _corpus_sites() -> list[Path]:
    if not CORPUS.is_dir():
        return []
    return sorted(p for p in CORPUS.iterdir() if (p / "_config.yml").is_file())


def _site_files(site: Path) -> list[str]:
    files = [
        p.relative_to(site).as_posix()
        for p in site.rglob("*")
        if p.is_file() and p.suffix in {".md", ".markdown", ".html", ".yml", ".yaml", ".json"}
    ]
    return sorted(files)


MUTATION_BYTES = st.sampled_from(
    [
        *(bytes([b]) for b in b"-:#'\"[]{}&*!|>%@`\t\n \\,?~0123456789yYnN"),
        b"\r\n",
        b"---\n",
        b"...\n",
        b"\x00",
        b"\xff",
        b"\xc3",
        b"\xef\xbb\xbf",
        "\u00e9".encode(),
        "\u4e2d".encode(),
        b"&a ",
        b"*a",
        b"!!python/object:os.system ",
        b"<<: ",
        b"? ",
        b"%YAML 1.2\n",
    ]
)


@st.composite
def mutation(draw: st.DrawFn, data: bytes) -> bytes:
    for _ in range(draw(st.integers(1, 5))):
        position = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "truncate", "dup-line"]))
        if action == "insert":
            data = data[:position] + draw(MUTATION_BYTES) + data[position:]
        elif action == "delete":
            data = data[:position] + data[position + draw(st.integers(1, 16)) :]
        elif action == "replace":
            data = data[:position] + draw(MUTATION_BYTES) + data[position + 1 :]
        elif action == "truncate":
            data = data[:position]
        else:
            lines = data.splitlines(keepends=True)
            if lines:
                i = draw(st.integers(0, len(lines) - 1))
                data = b"".join([*lines[: i + 1], *lines[i:]])
    return data


@pytest.fixture(scope="module")
def corpus_copies(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Path]]:
    sites = _corpus_sites()
    if not sites:
        pytest.skip(f"no corpus at {CORPUS} (a clone of the project alone does not have it)")
    root = tmp_path_factory.mktemp("corpus")
    yield {site.name: Path(shutil.copytree(site, root / site.name)) for site in sites}


def test_check_on_mutated_real_files(
    corpus_copies: dict[str, Path], record_property: RecordProperty
) -> None:
    """Hypothesis mutates one file of a copied real site per example; check never crashes."""
    tally = Tally("pagemgr check on mutated real files from the corpus")
    names = sorted(corpus_copies)
    files = {name: _site_files(corpus_copies[name]) for name in names}

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def one_case(data: st.DataObject) -> None:
        name = data.draw(st.sampled_from(names), label="site")
        rel = data.draw(st.sampled_from(files[name]), label="file")
        site = corpus_copies[name]
        path = site / rel
        original = path.read_bytes()
        mutated = data.draw(mutation(original), label="bytes")
        path.write_bytes(mutated)
        label = f"{name}/{rel} <- {mutated[:120]!r}"
        try:
            result = run_cli("check", "--site", site, "--format", "json")
        except Exception as exc:  # counted, so that every example runs and is tallied
            tally.case(label)
            tally.fail(label, f"raised {type(exc).__name__}: {exc}")
            return
        finally:
            path.write_bytes(original)
        tally.check(label, result.exit_code, result.stderr, result.stdout)

    one_case()
    tally.report(record_property)


def test_corpus_sites_unmutated_do_not_crash(
    corpus_copies: dict[str, Path], record_property: RecordProperty
) -> None:
    tally = Tally("pagemgr check on the unmutated corpus sites")
    for name, site in sorted(corpus_copies.items()):
        result = pagemgr_check(site)
        tally.check(name, result.returncode, result.stderr, result.stdout)
    tally.report(record_property)
