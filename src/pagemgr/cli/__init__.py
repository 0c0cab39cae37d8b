"""The command line: parses arguments and hands them to pagemgr.commands; holds no logic."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from pagemgr import __version__
from pagemgr.check.reporters import FORMAT_NAMES
from pagemgr.error_handler import error_boundary

F = TypeVar("F", bound=Callable[..., Any])

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
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMAT_NAMES),
    default="text",
    show_default=True,
    help="How to print the findings.",
)
@click.option("--strict", is_flag=True, help="Fail on warnings too.")
@click.option(
    "--select",
    multiple=True,
    metavar="RULE[,RULE]",
    help="Report only these rules (repeatable; ids in docs/rules.md).",
)
@click.option(
    "--ignore", multiple=True, metavar="RULE[,RULE]", help="Do not report these rules (repeatable)."
)
@click.option(
    "--no-cache",
    is_flag=True,
    help="Read every file again instead of reusing results of unchanged files.",
)
@click.option(
    "--hook",
    is_flag=True,
    help="Run as a pre-commit hook: skip PATHS that are not files of the site.",
)
@click.option(
    "--jobs",
    "-j",
    type=click.IntRange(min=0),
    default=0,
    show_default=True,
    help="Processes to read files with (0: one per core on large sites).",
)
@click.option(
    "--per-file",
    is_flag=True,
    help="Only the checks of each file on its own: skip the site-wide rules.",
)
def check(
    paths: tuple[Path, ...],
    site_path: Path | None,
    output_format: str,
    strict: bool,
    select: tuple[str, ...],
    ignore: tuple[str, ...],
    no_cache: bool,
    hook: bool,
    jobs: int,
    per_file: bool,
) -> None:
    """Check front matter, data files and _config.yml against the site's schemas, and the
    site as a whole (output collisions, broken links, invisible content; docs/rules.md).

    With PATHS, checks only those files (or folders), with the whole site as context.
    Exit status: 0 no errors, 1 errors (or warnings with --strict), 2 usage or configuration error.
    """
    from pagemgr.commands.check import check as run

    with error_boundary():
        color = sys.stdout.isatty()
        sys.exit(
            run(
                site_path,
                paths,
                output_format,
                strict,
                color,
                select,
                ignore,
                use_cache=not no_cache,
                hook=hook,
                jobs=jobs,
                site_wide=not per_file,
            )
        )


# --- editing: get / set / unset / append / remove / fix ------------------------------------------

TYPE_OPTION = click.option(
    "--type",
    "type_name",
    default="str",
    show_default=True,
    type=click.Choice(("str", "int", "float", "bool", "date", "null", "json")),
    help="How to read VALUE (json: a list or mapping, e.g. a navigation item).",
)
DRY_RUN_OPTION = click.option("--dry-run", is_flag=True, help="Print a unified diff; write nothing")
FORCE_OPTION = click.option("--force", is_flag=True, help="Write even if the edit adds an error.")


def _stacked(*decorators: Callable[[F], F]) -> Callable[[F], F]:
    def apply(function: F) -> F:
        for decorator in reversed(decorators):
            function = decorator(function)
        return function

    return apply


FILE_AND_PATH = _stacked(
    click.argument("file", type=click.Path(path_type=Path)), click.argument("path")
)
VALUE_EDIT = _stacked(
    FILE_AND_PATH,
    click.argument("value", required=False),
    TYPE_OPTION,
    DRY_RUN_OPTION,
    FORCE_OPTION,
    SITE_OPTION,
)
REMOVAL_EDIT = _stacked(FILE_AND_PATH, DRY_RUN_OPTION, FORCE_OPTION, SITE_OPTION)


@main.command()
@click.argument("file", type=click.Path(path_type=Path))
@click.argument("path")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(("text", "json")),
    default="text",
    show_default=True,
    help="Plain text, or the value as JSON.",
)
@SITE_OPTION
def get(file: Path, path: str, output_format: str, site_path: Path | None) -> None:
    """Print the value at PATH in FILE's front matter, or in a data file or _config.yml.

    \b
    PATH: author.github, main[2].url, main[-1], "key with.dot".x, [0].title
    """
    from pagemgr.commands.get import get as run

    with error_boundary():
        sys.exit(run(file, path, output_format, site_path))


@main.command(name="set")
@VALUE_EDIT
def set_command(
    file: Path,
    path: str,
    value: str | None,
    type_name: str,
    dry_run: bool,
    force: bool,
    site_path: Path | None,
) -> None:
    """Set PATH in FILE to VALUE, changing only that value's text.

    \b
    Examples:
      pagemgr set _publications/paper.md venue "Journal of Tests"
      pagemgr set _data/navigation.yml main[0].url /publications/
      pagemgr set _publications/paper.md date 2021-03-04 --type date
    """
    from pagemgr.commands.set import set_value as run

    with error_boundary():
        sys.exit(run(file, path, value, type_name, dry_run, force, site_path))


@main.command()
@REMOVAL_EDIT
def unset(file: Path, path: str, dry_run: bool, force: bool, site_path: Path | None) -> None:
    """Remove the key at PATH with exactly its own lines."""
    from pagemgr.commands.unset import unset as run

    with error_boundary():
        sys.exit(run(file, path, dry_run, force, site_path))


@main.command()
@VALUE_EDIT
def append(
    file: Path,
    path: str,
    value: str | None,
    type_name: str,
    dry_run: bool,
    force: bool,
    site_path: Path | None,
) -> None:
    """Add VALUE at the end of the list at PATH, indented like its siblings.

    \b
    Example:
      pagemgr append _data/navigation.yml main --type json '{"title": "CV", "url": "/cv/"}'
    """
    from pagemgr.commands.append import append as run

    with error_boundary():
        sys.exit(run(file, path, value, type_name, dry_run, force, site_path))


@main.command()
@REMOVAL_EDIT
def remove(file: Path, path: str, dry_run: bool, force: bool, site_path: Path | None) -> None:
    """Remove the list item (or key) at PATH, e.g. main[-1]."""
    from pagemgr.commands.remove import remove as run

    with error_boundary():
        sys.exit(run(file, path, dry_run, force, site_path))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@DRY_RUN_OPTION
@SITE_OPTION
@click.option(
    "--hook",
    is_flag=True,
    help="Run as a pre-commit hook: skip PATHS that are not files of the site.",
)
def fix(paths: tuple[Path, ...], dry_run: bool, site_path: Path | None, hook: bool) -> None:
    """Apply the mechanical fixes (see docs/fixes.md) to PATHS, or to the whole site.

    Exit status: 0 nothing to fix, 1 a file was changed (or would be, with --dry-run).
    """
    from pagemgr.commands.fix import fix as run

    with error_boundary():
        sys.exit(run(site_path, paths, dry_run, hook))


@main.command("init-ci")
@SITE_OPTION
@click.option(
    "--install",
    default="pagemgr",
    show_default=True,
    help="What the workflow gives to `pip install` (e.g. a git URL).",
)
@click.option("--force", is_flag=True, help="Replace a workflow that differs.")
def init_ci(site_path: Path | None, install: str, force: bool) -> None:
    """Write .github/workflows/pagemgr.yml: check the site on every push and pull request."""
    from pagemgr.commands.init_ci import init_ci as run

    with error_boundary():
        sys.exit(run(site_path, install, force))


@main.command()
@click.option("-m", "--message", help="The commit message (default: one that says what changed).")
@click.option("--no-push", "no_push", is_flag=True, help="Commit, but do not push.")
@click.option(
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="List what would be committed and pushed, and the message; change nothing.",
)
@click.option("--remote", help="Push to this remote (default: the branch's upstream, else origin).")
@click.option("--branch", help="Push to this branch on the remote (default: the upstream's).")
@click.option(
    "--rebase",
    is_flag=True,
    help="If the remote moved on, replay your commit on top of it and push.",
)
@click.option(
    "--yes", is_flag=True, help="Push even to what looks like the academicpages template."
)
@SITE_OPTION
def publish(
    message: str | None,
    no_push: bool,
    dry_run: bool,
    remote: str | None,
    branch: str | None,
    rebase: bool,
    yes: bool,
    site_path: Path | None,
) -> None:
    """Check the site, commit exactly the site files that changed, and push.

    Only site content under the site folder is committed (never _site/ or caches); your other
    changes, staged or not, stay as they were. Exit status: 0 published (or nothing to do),
    1 refused because the site has errors, 2 usage error, 4 git refused or failed (nothing is
    lost; a later `pagemgr publish` pushes commits that did not go out).
    """
    from pagemgr.commands.publish import publish as run

    with error_boundary():
        sys.exit(run(site_path, message, not no_push, dry_run, remote, branch, rebase, yes))


# --- add: publication / talk / teaching / portfolio / post ---------------------------------------

ADD_KINDS = ("publication", "talk", "teaching", "portfolio", "post")


class _AddGroup(click.Group):
    """Builds each `add KIND` command from its schema only when that command is used."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(ADD_KINDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in ADD_KINDS:
            return None
        from pagemgr.cli.add_command import build_command

        return build_command(cmd_name)


@main.group(cls=_AddGroup)
def add() -> None:
    """Add a publication, talk, teaching entry, portfolio item or post, in the site's conventions.

    \b
    Examples:
      pagemgr add publication --doi 10.1145/3182622 --category manuscripts
      pagemgr add publication --bibtex refs.bib --dry-run
      pagemgr add talk --title "Testing talks" --date 2024-05-01 --type Talk --venue "UCL"
    """


@main.command("install-hook")
@SITE_OPTION
@click.option(
    "--url", default=None, help="Use pagemgr from this git URL instead of the pip-installed one."
)
@click.option("--rev", default=None, help="With --url: the tag or commit to use.")
@click.option("--no-install", is_flag=True, help="Do not run `pre-commit install`.")
@click.option("--dry-run", is_flag=True, help="Show the change; write nothing.")
def install_hook(
    site_path: Path | None, url: str | None, rev: str | None, no_install: bool, dry_run: bool
) -> None:
    """Add pagemgr to the repository's .pre-commit-config.yaml (created if missing)."""
    from pagemgr.commands.install_hook import install_hook as run

    with error_boundary():
        sys.exit(run(site_path, url, rev, not no_install, dry_run))
