"""The peers pagemgr is compared with: installed locally, fed the same generated site.

Everything lives under ``benchmarks/.peers/`` (git-ignored):

* ``cjs/``       a venv with ``check-jsonschema`` and ``python-frontmatter`` (their default
                 install: ruamel.yaml without its C extension, PyYAML with libyaml);
* ``cjs-clib/``  a venv with ``check-jsonschema`` and ``ruamel.yaml[oldlibyaml]``, the same
                 tool with ruamel's C parser;
* ``remark/``    ``npm install --prefix`` of remark-cli, remark-frontmatter and
                 remark-lint-frontmatter-schema, plus one ``.remarkrc`` per site;
* ``work/``      the peers' inputs: the schemas they are given and, per site, the front matters
                 extracted to standalone ``.yml`` files for check-jsonschema.

An install is done once and remembered by a stamp file holding what was asked for; a peer that
cannot be installed (no npm, no network, a failing pip) is reported as skipped with the reason.

What every peer is given (the work pagemgr does for those files is the reference): the documents
of ``_publications``, ``_talks``, ``_teaching`` and ``_posts``, each against pagemgr's own schema
for that collection (``schemas/<name>.schema.json``). Two changes are made to the peers' copies,
because the peers cannot load pagemgr's code: the custom ``format: jekyll-date`` becomes the
standard ``format: date`` (equivalent on this site, whose dates are all plain ``YYYY-MM-DD``), and
the copy for Ajv (remark) declares draft-07, Ajv's default dialect.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks.floor import split_front_matter

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
PEERS_DIR = BENCH_DIR / ".peers"
SCHEMAS_DIR = REPO_ROOT / "schemas"
LOOP_SCRIPT = BENCH_DIR / "peer_loop.py"
INSTALL_TIMEOUT = 900
STAMP = ".pagemgr-bench-installed"

# collection folder -> pagemgr schema name; the peers validate these four.
PEER_COLLECTIONS: dict[str, str] = {
    "_publications": "publication",
    "_talks": "talk",
    "_teaching": "teaching",
    "_posts": "post",
}
VENV_PACKAGES: dict[str, tuple[str, ...]] = {
    "cjs": ("check-jsonschema", "python-frontmatter"),
    "cjs-clib": ("check-jsonschema", "ruamel.yaml[oldlibyaml]"),
}
NPM_PACKAGES = ("remark-cli", "remark-frontmatter", "remark-lint-frontmatter-schema")
_VERSIONS_PY = """
import importlib.metadata as m, importlib.util as u, json, sys
out = {}
for name in sys.argv[1:]:
    try:
        out[name] = m.version(name)
    except m.PackageNotFoundError:
        pass
out["ruamel C parser (_ruamel_yaml)"] = "yes" if u.find_spec("_ruamel_yaml") else "no"
try:
    import yaml
    out["PyYAML libyaml"] = "yes" if yaml.__with_libyaml__ else "no"
except ImportError:
    pass
print(json.dumps(out))
"""
_PY_DISTS = (
    "check-jsonschema",
    "jsonschema",
    "ruamel.yaml",
    "ruamel.yaml.clib",
    "python-frontmatter",
    "PyYAML",
)

Log = Callable[[str], None]


@dataclass
class PeerInstall:
    """One installed (or not) peer environment."""

    name: str
    path: Path
    problem: str | None = None
    versions: dict[str, str] = field(default_factory=dict)
    seconds: float = 0.0
    fresh: bool = False

    def describe(self) -> str:
        if self.problem:
            return f"not available: {self.problem}"
        shown = ", ".join(f"{k} {v}" for k, v in self.versions.items())
        how = f"installed in {self.seconds:.1f} s" if self.fresh else "already installed"
        return f"{shown} ({how})"


@dataclass
class PeerStatus:
    """The result of installing every peer (or of ``--no-peers``)."""

    installs: dict[str, PeerInstall] = field(default_factory=dict)
    disabled: str | None = None

    def problem(self, name: str) -> str | None:
        if self.disabled:
            return self.disabled
        install = self.installs.get(name)
        if install is None:
            return f"{name} was not installed"
        return install.problem

    def python(self, name: str) -> Path:
        return self.installs[name].path / "bin" / "python"


def _tail(text: str) -> str:
    """The most telling line of an installer's output: its first error line, else the last."""
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    lines = [line for line in lines if "complete log of this run" not in line]
    errors = [line for line in lines if "error" in line.lower()]
    chosen = errors[0] if errors else (lines[-1] if lines else "no output")
    return chosen[-300:]


def _run(argv: Sequence[str], cwd: Path | None = None) -> str | None:
    """Run an install step; None on success, else why it failed."""
    try:
        done = subprocess.run(
            list(argv),
            capture_output=True,
            text=True,
            cwd=cwd,
            timeout=INSTALL_TIMEOUT,
            check=False,
            stdin=subprocess.DEVNULL,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"`{' '.join(argv[:4])} ...` could not run: {exc}"
    if done.returncode != 0:
        why = _tail(done.stderr or done.stdout)
        return f"`{' '.join(argv[:6])} ...` exited {done.returncode}: {why}"
    return None


def _stamped(path: Path, wanted: str, must_exist: Path) -> bool:
    stamp = path / STAMP
    return must_exist.exists() and stamp.is_file() and stamp.read_text() == wanted


def install_venv(name: str, packages: Sequence[str], root: Path = PEERS_DIR) -> PeerInstall:
    """A venv at ``root/name`` with ``packages`` pip-installed (once)."""
    path = root / name
    install = PeerInstall(name, path)
    python = path / "bin" / "python"
    wanted = " ".join(packages) + "\n"
    start = time.perf_counter()
    if not _stamped(path, wanted, python):
        shutil.rmtree(path, ignore_errors=True)
        install.fresh = True
        problem = _run([sys.executable, "-m", "venv", str(path)])
        if problem is None:
            pip = [str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check"]
            problem = _run([*pip, *packages])
        if problem is not None:
            install.problem = f"pip install {' '.join(packages)} failed: {problem}"
            return install
        (path / STAMP).write_text(wanted)
    install.seconds = time.perf_counter() - start
    try:
        probe = subprocess.run(
            [str(python), "-c", _VERSIONS_PY, *_PY_DISTS],
            capture_output=True,
            text=True,
            timeout=120,
            check=True,
        )
        install.versions = json.loads(probe.stdout)
    except (OSError, subprocess.SubprocessError, json.JSONDecodeError) as exc:
        install.problem = f"the venv's python does not run: {exc}"
    return install


def _npm_version(path: Path, package: str) -> str:
    try:
        meta = json.loads((path / "node_modules" / package / "package.json").read_text())
    except (OSError, json.JSONDecodeError):
        return "?"
    return str(meta.get("version", "?"))


def remark_cli(path: Path) -> Path:
    return path / "node_modules" / "remark-cli" / "cli.js"


def install_npm(root: Path = PEERS_DIR) -> PeerInstall:
    """remark-cli and its two plugins via ``npm install --prefix`` (once)."""
    path = root / "remark"
    install = PeerInstall("remark", path)
    npm, node = shutil.which("npm"), shutil.which("node")
    if npm is None or node is None:
        install.problem = "npm or node not found on PATH"
        return install
    wanted = " ".join(NPM_PACKAGES) + "\n"
    start = time.perf_counter()
    if not _stamped(path, wanted, remark_cli(path)):
        install.fresh = True
        path.mkdir(parents=True, exist_ok=True)
        argv = [npm, "install", "--prefix", str(path), "--no-audit", "--no-fund", *NPM_PACKAGES]
        problem = _run(argv)
        if problem is not None:
            install.problem = f"npm install failed: {problem}"
            return install
        (path / STAMP).write_text(wanted)
    install.seconds = time.perf_counter() - start
    try:
        node_version = subprocess.run(
            [node, "--version"], capture_output=True, text=True, timeout=60, check=True
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError) as exc:
        install.problem = f"node does not run: {exc}"
        return install
    install.versions = {"node": node_version}
    install.versions |= {p: _npm_version(path, p) for p in NPM_PACKAGES}
    return install


def install_all(log: Log, root: Path = PEERS_DIR) -> PeerStatus:
    """Install every peer; never raises for an install that fails (it is reported instead)."""
    status = PeerStatus()
    for name, packages in VENV_PACKAGES.items():
        log(f"peers: {name}: pip install {' '.join(packages)} into {root / name}")
        status.installs[name] = install_venv(name, packages, root)
        log(f"peers: {name}: {status.installs[name].describe()}")
    log(f"peers: remark: npm install --prefix {root / 'remark'}")
    status.installs["remark"] = install_npm(root)
    log(f"peers: remark: {status.installs['remark'].describe()}")
    try:
        write_schemas(root)
    except OSError as exc:
        for install in status.installs.values():
            install.problem = install.problem or f"cannot write the peers' schemas: {exc}"
    return status


# --- the peers' inputs ----------------------------------------------------------------------


def schema_dir(root: Path = PEERS_DIR) -> Path:
    return root / "work" / "schemas"


def peer_schema(schema: dict[str, object], draft07: bool) -> dict[str, object]:
    """The copy a peer gets: ``jekyll-date`` -> ``date``; optionally declared draft-07."""
    text = json.dumps(schema).replace('"format": "jekyll-date"', '"format": "date"')
    copy: dict[str, object] = json.loads(text)
    if draft07:
        copy["$schema"] = "http://json-schema.org/draft-07/schema#"
    return copy


def write_schemas(root: Path = PEERS_DIR) -> Path:
    """``<name>.json`` (2020-12) and ``<name>.d7.json`` (draft-07) for every peer collection."""
    out = schema_dir(root)
    out.mkdir(parents=True, exist_ok=True)
    for name in PEER_COLLECTIONS.values():
        schema = json.loads((SCHEMAS_DIR / f"{name}.schema.json").read_text())
        for suffix, draft07 in ((".json", False), (".d7.json", True)):
            text = json.dumps(peer_schema(schema, draft07), indent=1) + "\n"
            target = out / f"{name}{suffix}"
            if not target.is_file() or target.read_text() != text:
                target.write_text(text)
    return out


def yml_dir(site: Path, root: Path = PEERS_DIR) -> Path:
    """Where the front matters of ``site`` are extracted to for check-jsonschema."""
    return root / "work" / f"{site.name}-yml"


def _site_stamp(site: Path) -> str:
    stamp = site.with_name(site.name + ".stamp")
    return stamp.read_text() if stamp.is_file() else f"unstamped {site.stat().st_mtime_ns}\n"


def extract_yml(site: Path, root: Path = PEERS_DIR) -> Path:
    """Each peer document's front matter as ``<collection>/<stem>.yml``, bytes as in the file.

    A document without a complete front matter gets an empty ``.yml`` (none on this site).
    Cached per site: redone when the site's stamp changes.
    """
    out = yml_dir(site, root)
    stamp = out.with_name(out.name + ".stamp")
    wanted = _site_stamp(site)
    if out.is_dir() and stamp.is_file() and stamp.read_text() == wanted:
        return out
    shutil.rmtree(out, ignore_errors=True)
    for folder in PEER_COLLECTIONS:
        (out / folder).mkdir(parents=True)
        for path in sorted((site / folder).glob("*.md")):
            front = split_front_matter(path.read_bytes().decode("utf-8", errors="replace"))
            (out / folder / f"{path.stem}.yml").write_bytes((front or "").encode("utf-8"))
    stamp.write_text(wanted)
    return out


def remarkrc(site: Path, root: Path = PEERS_DIR) -> Path:
    """The ``.remarkrc`` for ``site``: collection globs -> draft-07 schema copies.

    remark-lint-frontmatter-schema resolves both the schema paths and the globs against the
    working directory (the repository root, where the runner starts every child); remark
    resolves plugin names from the config file's folder, hence the file lives in ``remark/``.
    """
    schemas = schema_dir(root)
    rel_site = Path(os.path.relpath(site, REPO_ROOT)).as_posix()
    mapping = {
        Path(os.path.relpath(schemas / f"{name}.d7.json", REPO_ROOT)).as_posix(): [
            f"{rel_site}/{folder}/*.md"
        ]
        for folder, name in PEER_COLLECTIONS.items()
    }
    config = {
        "plugins": [
            "remark-frontmatter",
            ["remark-lint-frontmatter-schema", {"schemas": mapping}],
        ]
    }
    path = root / "remark" / f".remarkrc-{site.name}.json"
    text = json.dumps(config, indent=1) + "\n"
    if not path.is_file() or path.read_text() != text:
        path.write_text(text)
    return path


def prepare_site(site: Path, root: Path = PEERS_DIR) -> None:
    """Everything the peers read for ``site``: schemas, extracted ``.yml``, ``.remarkrc``."""
    write_schemas(root)
    extract_yml(site, root)
    if (root / "remark").is_dir():
        remarkrc(site, root)


# --- argvs ----------------------------------------------------------------------------------

# One check-jsonschema process per collection (it takes one --schemafile per run); the exit
# status is the highest of the four.
_CJS_SCRIPT = """
cjs=$1; yml=$2; schemas=$3; rc=0
for pair in _publications:publication _talks:talk _teaching:teaching _posts:post; do
  folder=${pair%%:*}; name=${pair#*:}
  "$cjs" --schemafile "$schemas/$name.json" "$yml/$folder"/*.yml
  code=$?; [ "$code" -gt "$rc" ] && rc=$code
done
exit $rc
"""


def cjs_command(venv: str, site: Path, root: Path = PEERS_DIR) -> list[str]:
    """check-jsonschema from `venv` over the extracted front matters of `site`."""
    cjs = root / venv / "bin" / "check-jsonschema"
    inputs = [str(cjs), str(yml_dir(site, root)), str(schema_dir(root))]
    return ["sh", "-c", _CJS_SCRIPT, "sh", *inputs]


def remark_command(site: Path, root: Path = PEERS_DIR) -> list[str]:
    """remark-lint-frontmatter-schema over the collection folders of `site`."""
    node = shutil.which("node") or "node"
    cli = remark_cli(root / "remark")
    rc = root / "remark" / f".remarkrc-{site.name}.json"
    options = ["--rc-path", str(rc), "--frail", "--quiet", "--no-stdout", "--no-color"]
    return [node, str(cli), *options, *(str(site / f) for f in PEER_COLLECTIONS)]


def loop_command(venv: str, site: Path, root: Path = PEERS_DIR) -> list[str]:
    """The python-frontmatter + jsonschema loop, under `venv`'s python."""
    python = root / venv / "bin" / "python"
    return [str(python), str(LOOP_SCRIPT), str(site), str(schema_dir(root))]
