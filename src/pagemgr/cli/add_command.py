"""The click command of each `pagemgr add KIND`, with one option per key of the KIND's schema."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from pagemgr.add.fields import (
    KINDS,
    REQUIRED_WITH_CATEGORIES,
    FieldKind,
    fields,
    option_name,
    required_keys,
    schema,
)
from pagemgr.error_handler import error_boundary


def _help(spec: dict[str, Any]) -> str:
    text = str(spec.get("description", "")).replace("%", "%%")
    examples = spec.get("examples") or []
    if examples and isinstance(examples[0], str | int | float):
        text += f" Example: {examples[0]}"
    return text


def _field_option(key: str, spec: dict[str, Any], kind: FieldKind, need: str) -> click.Option:
    name = option_name(key)
    dest = "field__" + key.replace("-", "_")
    text = need + _help(spec)
    if kind == "bool":
        flag = name[2:]
        return click.Option([f"--{flag}/--no-{flag}", dest], default=None, help=text)
    if kind == "list":
        return click.Option([name, dest], multiple=True, help=text + " (repeatable)")
    metavar = {"json": "JSON", "date": "YYYY-MM-DD"}.get(kind, "TEXT")
    return click.Option([name, dest], metavar=metavar, help=text)


def _need(label: str, key: str) -> str:
    if key in required_keys(label, with_categories=False):
        return "[required] "
    if REQUIRED_WITH_CATEGORIES.get(label) == key:
        return "[required when _config.yml has publication_category] "
    return ""


def build_command(name: str) -> click.Command:
    label = KINDS[name]
    properties = schema(label).get("properties", {})
    params: list[click.Parameter] = [
        _field_option(key, properties[key], kind, _need(label, key))
        for key, kind in fields(label).items()
    ]
    if label == "publications":
        params += [
            click.Option(
                ["--author", "authors"],
                multiple=True,
                metavar="NAME",
                help="An author of the paper, for the citation: 'Given Family' or "
                "'Family, Given' (repeatable, in order).",
            ),
            click.Option(
                ["--bibtex", "bibtex"],
                multiple=True,
                type=click.Path(dir_okay=False, path_type=Path),
                help="Add every entry of this BibTeX file (repeatable). Each entry's category "
                "comes from its type (@article, @inproceedings, @book, arXiv) through "
                "publication_category in _config.yml; --category, --date and the other fields "
                "only fill what an entry lacks.",
            ),
            click.Option(
                ["--doi", "doi"],
                multiple=True,
                help="Add the work with this DOI, from Crossref (repeatable).",
            ),
            click.Option(
                ["--arxiv", "arxiv"],
                multiple=True,
                help="Add the preprint with this arXiv id, from arXiv (repeatable).",
            ),
            click.Option(
                ["--me", "me"],
                metavar="NAME",
                help="Your name as it appears in author lists (default: "
                "author.name in _config.yml).",
            ),
            click.Option(
                ["--bold-me/--no-bold-me", "bold"],
                default=None,
                help="Bold your name in the citation (default: as the site's "
                "existing citations do).",
            ),
            click.Option(
                ["--update", "update"],
                is_flag=True,
                help="If the work is already on the site, refresh the venue, date, links "
                "and citation pagemgr wrote (as recorded in pagemgr_wrote) and nobody edited "
                "since, never with less precise values; fill missing ones; keep everything "
                "else. A field given as a flag replaces the value (with --bibtex it only fills).",
            ),
            click.Option(
                ["--crossref-url", "crossref_url"],
                metavar="URL",
                help="Crossref API base URL (env PAGEMGR_CROSSREF_URL; default "
                "https://api.crossref.org).",
            ),
            click.Option(
                ["--arxiv-url", "arxiv_url"],
                metavar="URL",
                help="arXiv API base URL (env PAGEMGR_ARXIV_URL; default "
                "https://export.arxiv.org/api).",
            ),
            click.Option(
                ["--timeout", "timeout"],
                type=click.FloatRange(0.1, 300),
                default=10.0,
                show_default=True,
                help="Seconds to wait for Crossref or arXiv.",
            ),
            click.Option(
                ["--no-cache", "no_cache"],
                is_flag=True,
                help="Ask Crossref or arXiv again instead of using cached answers.",
            ),
        ]
    params += [
        click.Option(["--slug", "slug"], help="File-name slug (default: from the title)."),
        click.Option(["--body", "body"], help="Text (Markdown) below the front matter."),
        click.Option(
            ["--dry-run", "dry_run"],
            is_flag=True,
            help="Print the files that would be created, with their content; write nothing.",
        ),
        click.Option(
            ["--prompt/--no-prompt", "prompt"],
            default=None,
            help="Ask for missing required and recommended fields (default: only when "
            "stdin is a terminal; --prompt reads answers from stdin even when it is not).",
        ),
        click.Option(
            ["--commit", "commit"], is_flag=True, help="Commit the new files (only them) with git."
        ),
        click.Option(
            ["--push", "push"], is_flag=True, help="Commit, then push (implies --commit)."
        ),
        click.Option(
            ["--site", "site_path"],
            type=click.Path(file_okay=False, path_type=Path),
            help="The site's folder (default: the nearest folder upward with _config.yml).",
        ),
    ]

    def callback(**kwargs: Any) -> None:
        from pagemgr.commands.add import add, request_from

        with error_boundary():
            sys.exit(add(request_from(label, kwargs)))

    summary = {
        "publications": "Add a publication from flags, BibTeX, a DOI or an arXiv id.",
        "talks": "Add a talk.",
        "teaching": "Add a teaching entry.",
        "portfolio": "Add a portfolio item.",
        "posts": "Add a blog post (YYYY-MM-DD-slug.md).",
    }[label]
    epilog = (
        "\b\nExamples:\n"
        "  pagemgr add publication --doi 10.1145/3182622 --category manuscripts\n"
        "  pagemgr add publication --bibtex refs.bib --dry-run\n"
        "  pagemgr add publication --title 'A Paper' --venue 'Journal 1' --date 2024-03-01 \\\n"
        "      --category manuscripts --author 'Jane Doe' --author 'John Roe'"
        if label == "publications"
        else None
    )
    return click.Command(
        name,
        params=params,
        callback=callback,
        help=summary + "\n\nWhen stdin is a terminal, missing required fields are asked "
        "for, then the recommended ones the site's pages show (an empty answer skips one), on "
        "stderr; otherwise missing required fields are one error listing all of them. Exit "
        "status: 0 added (or already there), 1 something could not be added, 2 usage error.",
        epilog=epilog,
        context_settings={"help_option_names": ["-h", "--help"]},
    )
