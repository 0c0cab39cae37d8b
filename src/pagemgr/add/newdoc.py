"""A new document's text from its values, checked as `pagemgr check` would, written atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pagemgr.add.conventions import Conventions
from pagemgr.add.fields import RECORD_KEY
from pagemgr.check.findings import Finding
from pagemgr.edit import render
from pagemgr.errors import PagemgrError
from pagemgr.site.model import Site, SiteFile


def ordered(values: Mapping[str, Any], order: list[str]) -> dict[str, Any]:
    """`values` in the collection's key order; keys it does not know keep their own order."""
    known = [key for key in order if key in values]
    return {key: values[key] for key in known + [k for k in values if k not in known]}


def compose(conv: Conventions, values: Mapping[str, Any], body: str) -> str:
    lines = ["---"]
    for key, value in ordered(values, conv.order).items():
        lines.extend(entry_lines(key, value, conv.styles.get(key, "plain")))
    lines.append("---")
    text = "\n".join(lines) + "\n"
    if body.strip():
        text += "\n" + body.strip("\n") + "\n"
    return text.replace("\n", conv.newline) if conv.newline != "\n" else text


def entry_lines(key: str, value: Any, style: render.Style) -> list[str]:
    """`key: value` lines; the key plain where it can be, the value in the collection's style."""
    head = render.render_str(key, "plain", key=True) + ":"
    if key == RECORD_KEY:  # kept to one line: it is bookkeeping, not content
        return [f"{head} {render.render_flow(value)}"]
    if isinstance(value, dict | list) and value:
        return [head, *render.block_lines(value, 2, prefer=style)]
    return [f"{head} {render.inline(value, style)}"]


def errors_in(site: Site, rel: str, label: str, text: str) -> list[Finding]:
    """The error findings `pagemgr check` would report for `text` saved at `rel`."""
    from pagemgr.check.checker import Checker
    from pagemgr.check.schemas import SchemaSet
    from pagemgr.check.template_findings import settle
    from pagemgr.check.templates import site_templates

    overrides = site.pagemgr_settings.get("schemas")
    schemas = SchemaSet(site.root, overrides if isinstance(overrides, dict) else {})
    with tempfile.TemporaryDirectory(prefix="pagemgr-add-") as folder:
        copy = Path(folder) / Path(rel).name
        copy.write_bytes(text.encode("utf-8"))
        report = Checker(site, schemas).check(SiteFile(str(copy), rel, "document", label))
    found = [*report.findings, *settle(report.questions, site_templates(site))]
    return [finding for finding in found if finding.severity == "error"]


def write_new(path: Path, text: str) -> None:
    """Create `path` with `text` all at once; never replace a file that exists."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(text.encode("utf-8"))
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o666 & ~_umask())
        try:
            os.link(temp, path)  # fails if `path` exists: nothing is ever overwritten
        except FileExistsError:
            raise PagemgrError(
                f"{path} appeared while pagemgr was writing; nothing was "
                "written, run the command again"
            ) from None
        except OSError:  # a file system without hard links
            with open(path, "x", encoding="utf-8", newline="") as handle:
                handle.write(text)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temp)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask
