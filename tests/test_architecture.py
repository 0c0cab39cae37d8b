"""The house rules of the source tree: no import circle, lower layers never import higher ones,
each third-party library stays in the module that owns it."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SOURCE = ROOT / "src"

# Lowest first. A module may import its own subpackage or a lower layer; two subpackages on the
# same layer (add and publish) may not import each other.
LAYERS: tuple[tuple[str, ...], ...] = (
    ("pagemgr", "pagemgr.errors"),
    ("pagemgr.yaml",),
    ("pagemgr.site",),
    ("pagemgr.check",),
    ("pagemgr.edit",),
    ("pagemgr.add", "pagemgr.publish"),
    ("pagemgr.serve",),
    ("pagemgr.commands",),
    ("pagemgr.error_handler",),
    ("pagemgr.cli",),
    ("pagemgr.__main__",),
)

# A library, and the only modules (or subpackages) that may import it.
OWNERS = {
    "git": ("pagemgr.publish.git",),
    "ruamel": ("pagemgr.yaml",),
    "_ruamel_yaml": ("pagemgr.yaml.libyaml",),
    "sqlite3": ("pagemgr.check.index.sqlite_store",),
    "jsonschema": ("pagemgr.check.schemas", "pagemgr.check.checker"),
    "referencing": ("pagemgr.check.schemas",),
    "pickle": ("pagemgr.check.engine", "pagemgr.site.cache_files"),
    "bibtexparser": ("pagemgr.add.bibtex", "pagemgr.add.latex"),
    "pylatexenc": ("pagemgr.add.latex",),
    "liquid": ("pagemgr.check.templates",),
}


def module_files(base: Path, package: str) -> dict[str, Path]:
    found = {}
    for path in sorted((base / package.replace(".", "/")).rglob("*.py")):
        parts = list(path.relative_to(base).with_suffix("").parts)
        if any(part.startswith(".") for part in parts):
            continue  # benchmarks/.peers (the peers' virtualenvs) and .work are not ours
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imported_names(module: str, path: Path) -> Iterator[tuple[str, int]]:
    """Every module name an import statement anywhere in the file names (lazy ones too)."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1])
                name = f"{base}.{node.module}" if node.module else base
            else:
                name = node.module or ""
            yield name, node.lineno
            for alias in node.names:
                yield f"{name}.{alias.name}", node.lineno


def import_graph(base: Path, package: str) -> dict[str, set[str]]:
    modules = module_files(base, package)
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        for target, _ in imported_names(name, path):
            while target and target not in modules:
                target = target.rpartition(".")[0]
            if target and target != name:
                graph[name].add(target)
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan's algorithm)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layer_of(module: str) -> tuple[int, str]:
    best: tuple[int, str] | None = None
    for rank, owners in enumerate(LAYERS):
        for owner in owners:
            if within(module, (owner,)) and (best is None or len(owner) > len(best[1])):
                best = (rank, owner)
    assert best is not None, f"{module} is on no layer: add it to LAYERS"
    return best


def within(module: str, owners: tuple[str, ...]) -> bool:
    return any(module == owner or module.startswith(owner + ".") for owner in owners)


@pytest.mark.parametrize("package", ["pagemgr", "benchmarks"])
def test_no_import_circle(package: str) -> None:
    base = SOURCE if package == "pagemgr" else ROOT
    assert circles(import_graph(base, package)) == []


def test_the_circle_finder_finds_circles() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": {"e"}}
    assert circles(graph) == [["a", "b", "c"]]


def test_lower_layers_never_import_higher_ones() -> None:
    offences = []
    for module, targets in import_graph(SOURCE, "pagemgr").items():
        rank, owner = layer_of(module)
        for target in sorted(targets):
            target_rank, target_owner = layer_of(target)
            if target_rank > rank or (target_rank == rank and target_owner != owner):
                offences.append(f"{module} -> {target}")
    assert offences == []


def test_every_module_is_on_a_layer_and_every_package_says_what_it_owns() -> None:
    for module, path in module_files(SOURCE, "pagemgr").items():
        layer_of(module)
        if path.name == "__init__.py" and module != "pagemgr":
            docstring = ast.get_docstring(ast.parse(path.read_text(encoding="utf-8"))) or ""
            assert (
                "Owns" in docstring
                or "One module per" in docstring
                or "command line" in (docstring)
            ), f"{path} does not say what it owns"


def test_libraries_stay_with_their_owners() -> None:
    offences = []
    for module, path in module_files(SOURCE, "pagemgr").items():
        for name, line in imported_names(module, path):
            library = name.split(".")[0]
            if library in OWNERS and not within(module, OWNERS[library]):
                offences.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    assert offences == []


def test_the_engine_is_reached_only_through_its_interface() -> None:
    offences = []
    for module, targets in import_graph(SOURCE, "pagemgr").items():
        if within(module, ("pagemgr.check.engine",)):
            continue
        for target in targets:
            if within(target, ("pagemgr.check.engine",)) and target not in (
                "pagemgr.check.engine",
                "pagemgr.check.engine.reading",
                "pagemgr.check.engine.ahead",  # one value worked out in a child, meanwhile
            ):
                offences.append(f"{module} -> {target}")
    assert offences == []


def test_nothing_outside_the_engine_forks() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{number}"
        for module, path in module_files(SOURCE, "pagemgr").items()
        if not within(module, ("pagemgr.check.engine",))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if "os.fork" in line or "import select" in line
    ]
    assert offences == []


def test_check_and_the_hook_never_import_gitpython(tmp_path: Path) -> None:
    import shutil
    import subprocess
    import sys

    site = tmp_path / "site"
    shutil.copytree(ROOT / "site", site)
    code = (
        "import sys\nfrom pagemgr.cli import main\n"
        "for args in (['check', '--site', sys.argv[1]],\n"
        "             ['check', '--hook', sys.argv[1] + '/_config.yml']):\n"
        "    try: main(args)\n"
        "    except SystemExit: pass\n"
        "print(sorted(m for m in sys.modules if m == 'git' or m.startswith(('git.', "
        "'pagemgr.publish'))))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(site)],
        capture_output=True,
        text=True,
        check=True,
        env={"PAGEMGR_CACHE_DIR": str(tmp_path / "c"), "PATH": "/usr/bin:/bin"},
    )
    assert done.stdout.strip().splitlines()[-1] == "[]"


@pytest.mark.parametrize(
    "command",
    [
        ["ruff", "check", "src", "tests", "benchmarks"],
        ["ruff", "format", "--check", "src", "tests", "benchmarks"],
        ["mypy"],  # strict, over src/pagemgr (pyproject.toml)
    ],
    ids=["ruff", "ruff-format", "mypy"],
)
def test_the_code_is_clean(command: list[str]) -> None:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
