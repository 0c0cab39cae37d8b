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


class _Group(click.Group):
    """A group that answers a mistyped command with the closest one."""

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except click.UsageError as error:
            from pagemgr.check.schema_walk import did_you_mean

            if not args or not error.message.startswith("No such command"):
                raise
            guess = did_you_mean(args[0], tuple(self.list_commands(ctx)))
            if guess is None:
                raise
            raise click.UsageError(
                f"No such command '{args[0]}'; did you mean '{guess}'?", ctx
            ) from None


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
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
    help="Report only these rules (repeatable; `pagemgr rules` lists the ids).",
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

TYPE_NAMES = ("str", "int", "float", "bool", "date", "null", "json")
TYPE_OPTION = click.option(
    "--type",
    "type_name",
    default="str",
    show_default=True,
    type=click.Choice(TYPE_NAMES),
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
@FILE_AND_PATH
@click.argument("value", required=False)
@click.option(
    "--type",
    "type_name",
    type=click.Choice(TYPE_NAMES),
    help="How to read VALUE (default: the type the file's schema gives PATH, else str; json: "
    "a list or mapping).",
)
@click.option("--new", is_flag=True, help="Add a key that neither the schema nor other files use.")
@DRY_RUN_OPTION
@FORCE_OPTION
@SITE_OPTION
def set_command(
    file: Path,
    path: str,
    value: str | None,
    type_name: str | None,
    new: bool,
    dry_run: bool,
    force: bool,
    site_path: Path | None,
) -> None:
    """Set PATH in FILE to VALUE, changing only that value's text.

    A key the schema does not know, and no other file of its kind uses, is refused as a likely
    typo unless --new is given.

    \b
    Examples:
      pagemgr set _publications/paper.md venue "Journal of Tests"
      pagemgr set _data/navigation.yml main[0].url /publications/
      pagemgr set _publications/paper.md date 2021-03-04
    """
    from pagemgr.commands.set import set_value as run

    with error_boundary():
        sys.exit(run(file, path, value, type_name, dry_run, force, site_path, new_key=new))


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


@main.command()
@click.argument("rule_id", metavar="[ID]", required=False)
def rules(rule_id: str | None) -> None:
    """List every rule id with its default severity and what it means; with ID, show that
    rule's section of docs/rules.md, with a bad and a good example."""
    from pagemgr.commands.rules import rules as run

    with error_boundary():
        sys.exit(run(rule_id))


@main.command("init-ci")
@SITE_OPTION
@click.option(
    "--source",
    "source_url",
    metavar="URL",
    help="The git repository to install pagemgr from (default: the one this pagemgr came from).",
)
@click.option(
    "--rev", metavar="REV", help="The tag or commit to install (default: this pagemgr's commit)."
)
@click.option("--force", is_flag=True, help="Replace a workflow that differs.")
def init_ci(site_path: Path | None, source_url: str | None, rev: str | None, force: bool) -> None:
    """Write .github/workflows/pagemgr.yml: check the site on every push and pull request.

    The workflow installs pagemgr from a git repository at a pinned tag or commit: by default the
    repository and commit this pagemgr was pip-installed from.
    """
    from pagemgr.commands.init_ci import init_ci as run

    with error_boundary():
        sys.exit(run(site_path, source_url, rev, force))


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("-m", "--message", help="The commit message (default: one that says what changed).")
@click.option("--no-push", "no_push", is_flag=True, help="Commit, but do not push.")
@click.option(
    "--dry-run",
    "dry_run",
    is_flag=True,
    help="Fetch the remote branch, then list what would be committed, left out and pushed, "
    "and the message; change nothing.",
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
    paths: tuple[Path, ...],
    message: str | None,
    no_push: bool,
    dry_run: bool,
    remote: str | None,
    branch: str | None,
    rebase: bool,
    yes: bool,
    site_path: Path | None,
) -> None:
    """Check the change, commit exactly the site files that changed (or just PATHS), and push.

    Changed tracked site files are committed. New files only when they are pages, posts,
    collection documents, data or theme templates, or files a page links to (files/x.pdf
    in a paperurl); drafts and other new files are left out and listed. Your other changes,
    staged or not, stay as they were. Errors the site had before the change do not refuse it.
    Exit status: 0 published (or nothing to do), 1 refused because the change has errors,
    2 usage error, 4 git refused or failed (nothing is lost; a later `pagemgr publish` pushes
    commits that did not go out).
    """
    from pagemgr.commands.publish import publish as run

    with error_boundary():
        sys.exit(run(site_path, message, not no_push, dry_run, remote, branch, rebase, yes, paths))


# --- add: publication / talk / teaching / portfolio / post ---------------------------------------

ADD_KINDS = ("publication", "talk", "teaching", "portfolio", "post")


class _AddGroup(_Group):
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
    "--source",
    "--url",
    "source_url",
    metavar="URL",
    help="The git repository to install pagemgr from (default: the one this pagemgr came from).",
)
@click.option(
    "--rev", metavar="REV", help="The tag or commit to install (default: this pagemgr's commit)."
)
@click.option(
    "--system",
    is_flag=True,
    help="Run the pagemgr on PATH instead (`language: system`): every git client, GUIs and new "
    "shells included, must find pagemgr there.",
)
@click.option("--no-install", is_flag=True, help="Do not run `pre-commit install`.")
@click.option("--dry-run", is_flag=True, help="Show the change; write nothing.")
def install_hook(
    site_path: Path | None,
    source_url: str | None,
    rev: str | None,
    system: bool,
    no_install: bool,
    dry_run: bool,
) -> None:
    """Add pagemgr to the repository's .pre-commit-config.yaml (created if missing).

    The entry names a git repository of pagemgr at a pinned tag or commit (by default the ones
    this pagemgr was pip-installed from), and pre-commit installs pagemgr from it by itself.
    """
    from pagemgr.commands.install_hook import install_hook as run

    with error_boundary():
        sys.exit(run(site_path, source_url, rev, system, not no_install, dry_run))


@main.command()
@SITE_OPTION
@click.option("--port", type=click.IntRange(0, 65535), default=0, help="Port (default: any free).")
@click.option("--no-open", "no_open", is_flag=True, help="Do not open a browser.")
def serve(site_path: Path | None, port: int, no_open: bool) -> None:
    """Edit the site in the browser: a local server on 127.0.0.1, with a per-run token.

    Saving goes through the same lossless splices and site-wide check as `pagemgr set`.
    """
    from pagemgr.commands.serve import serve as run

    with error_boundary():
        sys.exit(run(site_path, port, not no_open))


# --- import: orcid / openalex / dblp -------------------------------------------------------------

IMPORT_OPTIONS = _stacked(
    click.option("--dry-run", is_flag=True, help="Print what would be added, updated and left."),
    click.option(
        "--since", type=click.IntRange(1000, 9999), metavar="YEAR", help="Only works from YEAR on."
    ),
    click.option(
        "--type",
        "types",
        multiple=True,
        type=click.Choice(("journal", "conference", "preprint")),
        help="Only works of this type (repeatable).",
    ),
    click.option(
        "--update",
        is_flag=True,
        help="Refresh venue, date, links and citation of works already on the site where "
        "pagemgr wrote them and nobody edited them since (the pagemgr_wrote record).",
    ),
    click.option(
        "--mailto",
        metavar="EMAIL",
        help="The address the APIs may write to about heavy use (default: author.email in "
        "_config.yml).",
    ),
    click.option("--me", metavar="NAME", help="Your name in author lists (default: author.name)."),
    click.option(
        "--timeout",
        type=click.FloatRange(0.1, 300),
        default=10.0,
        show_default=True,
        help="Seconds to wait for each answer.",
    ),
    click.option("--no-cache", is_flag=True, help="Ask again instead of using cached answers."),
    SITE_OPTION,
)


def _import(source: str, ident: str, **options: Any) -> None:
    from pagemgr.commands.import_works import ImportRequest, import_works

    with error_boundary():
        sys.exit(import_works(ImportRequest(source, ident, **options)))


@main.group(name="import", cls=_Group)
def import_group() -> None:
    """Import a researcher's publications from ORCID, OpenAlex or DBLP, and keep them in sync.

    Each work becomes a publication in the site's conventions (category from its type: set
    `pagemgr: import_categories: {journal: manuscripts, preprint: ...}` in _config.yml to
    choose); a work already on the site (same DOI, arXiv id, source id or title) is left, or
    refreshed with --update. Exit status: 0 imported (skipped works are listed), 1 the source
    could not be read, 2 usage error.

    \b
    Examples:
      pagemgr import orcid 0000-0002-1825-0097 --dry-run
      pagemgr import openalex A5023888391 --since 2020
      pagemgr import dblp 123/4567 --type conference --update
    """


@import_group.command()
@click.argument("orcid_id", metavar="ORCID")
@IMPORT_OPTIONS
def orcid(orcid_id: str, **options: Any) -> None:
    """Import the works on an ORCID record (0000-0002-1825-0097)."""
    _import("orcid", orcid_id, **options)


@import_group.command()
@click.argument("author", metavar="ID")
@IMPORT_OPTIONS
def openalex(author: str, **options: Any) -> None:
    """Import an OpenAlex author's works (A5023888391, or an ORCID iD)."""
    _import("openalex", author, **options)


@import_group.command()
@click.argument("pid", metavar="PID")
@IMPORT_OPTIONS
def dblp(pid: str, **options: Any) -> None:
    """Import a DBLP person's works (the PID of https://dblp.org/pid/PID.html)."""
    _import("dblp", pid, **options)
