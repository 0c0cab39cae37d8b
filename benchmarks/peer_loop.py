"""The do-it-yourself peer: python-frontmatter + jsonschema in a plain loop.

Usage: ``python benchmarks/peer_loop.py SITE SCHEMA_DIR`` under the peers' venv (it needs only
``python-frontmatter`` and ``jsonschema``; nothing from pagemgr or the benchmark package).

What a user would write: ``frontmatter.load(path)`` per document, then a draft 2020-12 validator
with the format checker and ``iter_errors``. One adjustment a user is forced into: PyYAML turns
``date: 2021-01-01`` into a ``datetime.date``, which no JSON Schema ``type`` accepts, so
top-level dates are turned back into ISO strings before validation (without it every document
fails ``type: string``). A file that does not load (bad YAML, an impossible date) is one error.
Prints one line per error, then a JSON line with the counts; exit 1 when anything was wrong.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import sys
from pathlib import Path
from typing import Any

# Same mapping as benchmarks.peers.PEER_COLLECTIONS (this script stays standalone).
COLLECTIONS = {
    "_publications": "publication",
    "_talks": "talk",
    "_teaching": "teaching",
    "_posts": "post",
}


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    frontmatter = importlib.import_module("frontmatter")
    jsonschema = importlib.import_module("jsonschema")
    site, schemas = Path(argv[0]), Path(argv[1])
    counts = {"documents": 0, "load_errors": 0, "invalid": 0, "errors": 0}
    for folder, name in COLLECTIONS.items():
        schema = json.loads((schemas / f"{name}.json").read_text())
        cls = jsonschema.validators.validator_for(schema)
        validator = cls(schema, format_checker=cls.FORMAT_CHECKER)
        for path in sorted((site / folder).glob("*.md")):
            counts["documents"] += 1
            try:
                post = frontmatter.load(path)
            except Exception as exc:  # what the user's loop would do: report and go on
                counts["load_errors"] += 1
                counts["errors"] += 1
                print(f"{path}: cannot load: {type(exc).__name__}: {exc}".replace("\n", " "))
                continue
            data = {key: _plain(value) for key, value in post.metadata.items()}
            errors = list(validator.iter_errors(data))
            if errors:
                counts["invalid"] += 1
                counts["errors"] += len(errors)
            for error in errors:
                print(f"{path}: {error.json_path}: {error.message}")
    print(json.dumps(counts))
    return 1 if counts["errors"] else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
