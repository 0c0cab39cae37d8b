"""The floor: read every document, split off its front matter, parse it with libyaml alone.

Run as ``python -m benchmarks.floor SITE [--loader ruamel|pyyaml]`` so that it pays the same
interpreter start-up as ``python -m pagemgr``. It prints one JSON line with its counts.

* Documents are the ``.md``/``.markdown``/``.html`` files under the site's ``_*`` folders
  (``_site``, ``_layouts``, ``_includes``, ``_sass`` and ``_data`` excluded). ``_config.yml`` and
  ``_data/**/*.yml`` are parsed whole.
* Front matter is the text between a first line ``---`` and the next ``---`` or ``...`` line.
* ``--loader ruamel`` (default) uses ``ruamel.yaml.cyaml.CSafeLoader(text).get_single_data()``;
  ``--loader pyyaml`` uses PyYAML's ``yaml.CSafeLoader`` the same way. Any exception is counted
  as an error; a broken file never stops the run.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

DOC_SUFFIXES = frozenset({".md", ".markdown", ".html"})
SKIP_DIRS = frozenset({"_site", "_layouts", "_includes", "_sass", "_data"})
_CLOSE_RE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.MULTILINE)

Parse = Callable[[str], object]


def document_files(site: Path) -> Iterator[Path]:
    """Every content document of the site, in directory order."""
    for folder in site.iterdir():
        if folder.name.startswith("_") and folder.name not in SKIP_DIRS and folder.is_dir():
            yield from (p for p in folder.rglob("*") if p.suffix in DOC_SUFFIXES)


def data_files(site: Path) -> Iterator[Path]:
    """``_config.yml`` and every YAML file under ``_data/``."""
    config = site / "_config.yml"
    if config.is_file():
        yield config
    data = site / "_data"
    if data.is_dir():
        yield from (p for p in data.rglob("*") if p.suffix in {".yml", ".yaml"})


def split_front_matter(text: str) -> str | None:
    """The front matter of ``text``, or None when it has no complete ``---`` block."""
    if not text.startswith("---"):
        return None
    end_of_first = text.find("\n")
    if end_of_first < 0 or text[3:end_of_first].strip():
        return None
    close = _CLOSE_RE.search(text, end_of_first + 1)
    if close is None:
        return None
    return text[end_of_first + 1 : close.start()]


def ruamel_parser() -> tuple[Parse, str]:
    """ruamel.yaml's libyaml-backed CSafeLoader and the name of the C library it uses."""
    cyaml = importlib.import_module("ruamel.yaml.cyaml")
    loader = cyaml.CSafeLoader

    def parse(text: str) -> object:
        return loader(text).get_single_data()

    return parse, f"ruamel.yaml.cyaml ({getattr(cyaml, '__yaml_lib', 'unknown')})"


def pyyaml_parser() -> tuple[Parse, str]:
    """PyYAML's CSafeLoader; raises ImportError when PyYAML lacks libyaml."""
    yaml = importlib.import_module("yaml")
    if not getattr(yaml, "__with_libyaml__", False):
        raise ImportError("PyYAML is installed without libyaml")
    loader = yaml.CSafeLoader

    def parse(text: str) -> object:
        return loader(text).get_single_data()

    return parse, f"PyYAML {yaml.__version__} (libyaml)"


PARSERS: dict[str, Callable[[], tuple[Parse, str]]] = {
    "ruamel": ruamel_parser,
    "pyyaml": pyyaml_parser,
}


def try_parse(parse: Parse, text: str) -> bool:
    """Parse ``text``; True when it parsed, False on any error."""
    try:
        parse(text)
    except Exception:
        return False
    return True


def run_floor(site: Path, parse: Parse) -> dict[str, int]:
    """Read, split and parse every document and data file; return the counts."""
    counts = {"documents": 0, "front_matters": 0, "parsed": 0, "errors": 0, "data_files": 0}
    for path in document_files(site):
        counts["documents"] += 1
        front = split_front_matter(path.read_bytes().decode("utf-8", errors="replace"))
        if front is None:
            continue
        counts["front_matters"] += 1
        counts["parsed" if try_parse(parse, front) else "errors"] += 1
    for path in data_files(site):
        counts["data_files"] += 1
        if not try_parse(parse, path.read_bytes().decode("utf-8", errors="replace")):
            counts["errors"] += 1
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.floor", description=__doc__)
    parser.add_argument("site", type=Path, help="the Jekyll site folder")
    parser.add_argument("--loader", choices=sorted(PARSERS), default="ruamel")
    args = parser.parse_args(argv)
    try:
        parse, library = PARSERS[args.loader]()
    except ImportError as exc:
        print(f"floor: {args.loader} unavailable: {exc}", file=sys.stderr)
        return 3
    counts = run_floor(args.site, parse)
    print(json.dumps({"loader": library, **counts}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
