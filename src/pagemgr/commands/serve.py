"""`pagemgr serve`: the local web editor, until Ctrl-C.

Adding is `pagemgr add`'s own code, which lives in this layer; the server below gets it as an
action, so a paper added from the page goes through the same sources, dedup and checks.
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
import re
import tempfile
import webbrowser
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from pagemgr.errors import PagemgrError
from pagemgr.serve import server
from pagemgr.serve.security import Refused
from pagemgr.site.model import find_site_root

if TYPE_CHECKING:
    from pagemgr.add.drafting import Request

_DOI = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:\s*)?10\.\d{4,9}/\S+$", re.IGNORECASE)


def serve(site_path: Path | None, port: int, open_browser: bool) -> int:
    root = find_site_root(site_path, Path.cwd())
    handle = server.bind(root, port, actions())
    click.echo(f"pagemgr: editing {root} at {handle.url}", err=True)
    click.echo("pagemgr: the address holds this run's token; Ctrl-C stops the server", err=True)
    if open_browser:
        webbrowser.open(handle.url)
    try:
        handle.serve_forever()
    except KeyboardInterrupt:
        click.echo("pagemgr: stopped", err=True)
    finally:
        handle.close()
    return 0


def actions() -> dict[str, server.Action]:
    return {"/api/add": add_pasted, "/api/publish": publish_now}


def add_pasted(root: Path, request: dict[str, Any]) -> tuple[int, Any]:
    """Add a publication from a pasted BibTeX entry, DOI or arXiv id, or from the form's fields,
    as `pagemgr add publication` does (flags fill what a source leaves out)."""
    from pagemgr.commands import add

    pasted = str(request.get("source") or "").strip()
    given: dict[str, Any] = request.get("fields") or {}
    if not isinstance(given, dict):
        raise Refused(400, "fields must be a mapping")
    fields = {key: str(given[key]) for key in FORM_KEYS if str(given.get(key) or "").strip()}
    authors = tuple(line.strip() for line in str(request.get("authors") or "").splitlines())
    if not pasted and not fields:
        raise Refused(400, "paste a BibTeX entry, a DOI or an arXiv id, or fill in the form")
    with tempfile.TemporaryDirectory() as folder:
        req = dataclasses.replace(
            _source_request(pasted, Path(folder)),
            fields=fields,
            authors=tuple(author for author in authors if author),
            site_path=root,
        )
        out, err = io.StringIO(), io.StringIO()
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = add.add(req)
        except PagemgrError as exc:
            return 422, {"added": [], "messages": [*_lines(err), str(exc)]}
    added = [line for line in _lines(out) if not line.startswith("==>")]
    return (200 if code == 0 else 422), {"added": added, "messages": _lines(err)}


FORM_KEYS = ("title", "venue", "date", "category", "paperurl", "excerpt")


def _source_request(pasted: str, folder: Path) -> Request:
    """The add request for what was pasted: BibTeX (from a temporary .bib), a DOI, an arXiv id."""
    from pagemgr.add.drafting import Request

    base = Request(label="publications", fields={}, prompt=False)
    if not pasted:
        return base
    if pasted.startswith("@"):
        bib = folder / "pasted.bib"
        bib.write_text(pasted, encoding="utf-8")
        return dataclasses.replace(base, bibtex=(bib,))
    if _DOI.match(pasted):
        return dataclasses.replace(base, doi=(pasted,))
    return dataclasses.replace(base, arxiv=(pasted,))


def publish_now(root: Path, request: dict[str, Any]) -> tuple[int, Any]:
    """`pagemgr publish` itself: the same checks, commit and push; its words shown."""
    from pagemgr.commands import publish

    message = str(request.get("message") or "").strip() or None
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = publish.publish(root, message=message, rebase=bool(request.get("rebase")))
    except PagemgrError as exc:
        return 422, {"published": False, "lines": [*_lines(out), *_lines(err), str(exc)]}
    return (200 if code == 0 else 422), {
        "published": code == 0,
        "lines": [*_lines(out), *_lines(err)],
    }


def _lines(stream: io.StringIO) -> list[str]:
    return [line for line in stream.getvalue().splitlines() if line.strip()]
