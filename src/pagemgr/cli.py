"""The command line: parses arguments and hands them to pagemgr.commands; holds no logic."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from pagemgr import __version__
from pagemgr.error_handler import error_boundary
from pagemgr.reporters import FORMAT_NAMES

SITE_OPTION = click.option(
    "--site",
    "site_path",
    type=click.Path(file_okay=False, path_type=Path),
    help="The site's folder (default: the nearest folder upward with _config.yml).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="pagemgr")
def main() -> None:
    """Validate, edit, add to and publish an academicpages-style Jekyll site."""


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@SITE_OPTION
@click.option("--format", "output_format", type=click.Choice(FORMAT_NAMES), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
def check(paths: tuple[Path, ...], site_path: Path | None, output_format: str, strict: bool) -> None:
    """Check front matter, data files and _config.yml against the site's schemas.

    With PATHS, checks only those files (or folders), with the whole site as context.
    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or configuration error.
    """
    from pagemgr.commands.check import check as run

    with error_boundary():
        color = sys.stdout.isatty()
        sys.exit(run(site_path, paths, output_format, strict, color))
