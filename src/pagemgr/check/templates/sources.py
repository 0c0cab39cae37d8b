"""Which files of a site are its templates, what they hold, and what `_config.yml` says about them.

No Liquid here: this is what every run reads to decide whether the cached analysis still holds.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, NamedTuple

from pagemgr.check.templates.facts import Unreadable
from pagemgr.site.model import Site
from pagemgr.yaml import yamlio

# Site keys Jekyll itself provides (so `site.X` is not nil merely because _config.yml lacks X).
JEKYLL_SITE_KEYS = frozenset(
    {"time", "pages", "posts", "related_posts", "html_pages", "static_files", "html_files"}
    | {"documents", "collections", "categories", "tags", "data", "source", "config"}
)
_PAGE_SUFFIXES = (".html", ".htm", ".md", ".markdown", ".mkd", ".mkdn", ".liquid", ".xml")
_TEMPLATE_TAG = re.compile(r"\{%-?\s*(?:for|include|include_relative|tablerow)\s")


class TemplateFiles(NamedTuple):
    """The site's layouts (by name), the include folder, and the pages that may list documents."""

    layouts: dict[str, str]  # layout name -> site-relative path
    includes_dir: str
    pages: tuple[str, ...]  # site-relative paths of pages whose Liquid loops or includes

    @property
    def has_templates(self) -> bool:
        return bool(self.layouts)


def layouts_dir(site: Site) -> str:
    return str(site.config.get("layouts_dir") or "_layouts").strip("/")


def includes_dir(site: Site) -> str:
    return str(site.config.get("includes_dir") or "_includes").strip("/")


def theme_of(site: Site) -> str | None:
    """The theme gem or remote theme whose layouts stand in for those the site lacks."""
    for key in ("remote_theme", "theme"):
        value = site.config.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return None


def template_files(site: Site) -> TemplateFiles:
    layouts: dict[str, str] = {}
    folder = layouts_dir(site)
    for rel in _files_under(site.root, folder):
        name = rel[len(folder) + 1 :].rsplit(".", 1)[0]
        layouts.setdefault(name, rel)
    pages = tuple(rel for rel in _page_candidates(site) if _has_template_tags(site.root / rel))
    return TemplateFiles(layouts, includes_dir(site), pages)


def fingerprint(site: Site) -> str:
    """A digest of every file the analysis could read, and of _config.yml: equal digests, equal
    facts."""
    import hashlib  # here: only a run that uses the template cache needs it

    digest = hashlib.blake2b(digest_size=20)
    digest.update((site.config_text or "").encode("utf-8", "surrogateescape"))
    for rel in (
        *_files_under(site.root, layouts_dir(site)),
        *_files_under(site.root, includes_dir(site)),
        *_page_candidates(site),
    ):
        digest.update(b"\0" + rel.encode("utf-8", "surrogateescape") + b"\0")
        try:
            digest.update((site.root / rel).read_bytes())
        except OSError:
            digest.update(b"\1unreadable")
    return digest.hexdigest()


def _files_under(root: Path, folder: str) -> list[str]:
    found: list[str] = []
    base = root / folder
    if not base.is_dir():
        return found
    for here, folders, names in os.walk(base):
        folders[:] = sorted(name for name in folders if not name.startswith("."))
        prefix = Path(here).relative_to(root).as_posix()
        found += [f"{prefix}/{name}" for name in sorted(names) if not name.startswith(".")]
    return found


def _page_candidates(site: Site) -> Iterator[str]:
    """Pages at the site's top and in the underscore folders `include:` names (`_pages`)."""
    folders = ["", *_included_underscore_folders(site)]
    for folder in folders:
        rels = _files_under(site.root, folder) if folder else _top_files(site.root)
        yield from (rel for rel in rels if rel.endswith(_PAGE_SUFFIXES))


def _top_files(root: Path) -> list[str]:
    try:
        return sorted(e.name for e in os.scandir(root) if e.is_file() and e.name[0] not in "._")
    except OSError:
        return []


def _included_underscore_folders(site: Site) -> list[str]:
    listed = site.config.get("include")
    names = [str(item).strip("/") for item in listed] if isinstance(listed, list) else []
    return [name for name in names if name.startswith("_") and (site.root / name).is_dir()]


def _has_template_tags(path: Path) -> bool:
    try:
        return _TEMPLATE_TAG.search(path.read_text(encoding="utf-8", errors="replace")) is not None
    except OSError:
        return False


def front_matter(text: str) -> dict[str, Any]:
    """The front matter mapping of a layout or page (empty when it has none or it is invalid)."""
    if not text:
        return {}
    try:
        data = yamlio.load(text).data
    except yamlio.YamlSyntaxError:
        return {}
    return data if isinstance(data, dict) else {}


def default_layout(site: Site, collection: str) -> str | None:
    """The `layout` `_config.yml` `defaults:` give every document of `collection`, following
    Jekyll's precedence: a longer scope path wins, then a scope that names the type, then the
    later entry. Scopes narrower than the collection's folder are left out."""
    folder = _folder_of(site, collection)
    best: tuple[int, int, int] | None = None
    chosen: str | None = None
    entries = site.config.get("defaults")
    for index, entry in enumerate(entries if isinstance(entries, list) else []):
        scope, values = _scope_and_values(entry)
        if scope is None or "layout" not in values:
            continue
        kind = scope.get("type")
        path = str(scope.get("path") or "").strip("/")
        if kind not in (None, collection) or (path and not _covers(path, folder)):
            continue
        rank = (len(path), kind is not None, index)
        if best is None or rank > best:
            best, chosen = rank, values["layout"]
    return str(chosen) if isinstance(chosen, str) and chosen else None


def _scope_and_values(entry: object) -> tuple[dict[str, Any] | None, dict[str, Any]]:
    if not isinstance(entry, dict):
        return None, {}
    scope, values = entry.get("scope"), entry.get("values")
    return (scope if isinstance(scope, dict) else {}), (values if isinstance(values, dict) else {})


def _folder_of(site: Site, collection: str) -> str:
    if collection == "pages":
        return ""
    known = site.collections.get(collection)
    return known.folder if known is not None else f"_{collection}"


def _covers(scope_path: str, folder: str) -> bool:
    return folder == scope_path or folder.startswith(scope_path + "/")


def no_templates(site: Site, files: TemplateFiles | None = None) -> Unreadable | None:
    """Why there is nothing to analyse (no layouts folder), found without parsing any Liquid."""
    if (files or template_files(site)).has_templates:
        return None
    folder = layouts_dir(site)
    theme = theme_of(site)
    if theme:
        return Unreadable(f"the site has no {folder}/ folder: its layouts come from {theme}")
    return Unreadable(f"the site has no {folder}/ folder and names no theme")
