"""`pagemgr get FILE PATH`: print one value of a document's front matter or a data file."""

from __future__ import annotations

from pathlib import Path

import click

from pagemgr.edit.editing import format_value, open_target
from pagemgr.edit.editpath import parse_path


def get(file: Path, path: str, output_format: str = "text", site_path: Path | None = None) -> int:
    parts = parse_path(path)
    target = open_target(file, site_path)
    click.echo(format_value(target.get(parts), output_format))
    return 0
