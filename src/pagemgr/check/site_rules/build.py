"""Build breakers: what GitHub Pages refuses or silently renders wrong."""

from __future__ import annotations

import fnmatch
import glob
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord
from pagemgr.check.site_rules.context import Context, FamilyRules, config_finding, finding
from pagemgr.site.model import CONFIG_NAME

# Plugins GitHub Pages' classic build runs (pages.github.com/versions), besides themes.
GITHUB_PAGES_PLUGINS = frozenset(
    {
        "github-pages",
        "jekyll-avatar",
        "jekyll-coffeescript",
        "jekyll-commonmark-ghpages",
        "jekyll-default-layout",
        "jekyll-feed",
        "jekyll-gist",
        "jekyll-github-metadata",
        "jekyll-include-cache",
        "jekyll-mentions",
        "jekyll-optional-front-matter",
        "jekyll-paginate",
        "jekyll-readme-index",
        "jekyll-redirect-from",
        "jekyll-relative-links",
        "jekyll-remote-theme",
        "jekyll-sass-converter",
        "jekyll-seo-tag",
        "jekyll-sitemap",
        "jekyll-swiss",
        "jekyll-titles-from-headings",
        "jemoji",
        "minima",
    }
)
GEM_DIRS = (
    "/usr/share/rubygems-integration/all/gems",
    "/var/lib/gems/*/gems",
    "/usr/lib/ruby/gems/*/gems",
    "~/.gem/ruby/*/gems",
)
NO_LAYOUT = (None, "", "none", "null", "false")


class Rules(FamilyRules):
    def __init__(self, context: Context) -> None:
        super().__init__(context)
        self.known = layout_names(context)
        self.defaults = _defaults(context.site.config)
        # A default's layout is a finding about _config.yml: every page counts only then.
        self.with_defaults = self.every_record = context.wants(CONFIG_NAME)
        self.by_collection: dict[str, tuple[int, Any]] = {}  # where no default names a path
        self.unknown_defaults: dict[int, DocRecord] = {}

    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if record.collection == "pages" and record.has_excerpt and wanted:
            found.append(
                finding(
                    record.rel,
                    record.at("excerpt"),
                    "page-excerpt",
                    "`excerpt:` in a page broke GitHub Pages builds (github-pages 230, Feb 2024); "
                    "pages do not use it",
                    "delete the excerpt: line",
                )
            )
        if (
            self.known is not None
            and (wanted or self.with_defaults)
            and record.dest is not None
            and record.readable
        ):
            found.extend(self._layout(record, wanted, self.known))

    def finish(self) -> Iterator[Finding]:
        if self.known is not None:
            yield from self._unknown_defaults(self.known)
        yield from _plugins(self.context)
        yield from _locale(self.context)

    def _layout(self, record: DocRecord, wanted: bool, known: frozenset[str]) -> Iterator[Finding]:
        """`record` is written out and its front matter readable."""
        if record.has_layout_key:
            if wanted and record.layout not in NO_LAYOUT and record.layout not in known:
                yield finding(
                    record.rel,
                    record.at("layout"),
                    "missing-layout",
                    f"layout '{record.layout}' is in neither _layouts/ nor the theme; Jekyll "
                    "warns and writes the page without any layout",
                    _layout_hint(record.layout or "", known),
                )
            return
        if not self.with_defaults:
            return
        found = self.by_collection.get(record.collection)
        if found is None:
            found = _default_layout(self.defaults, record)
            if not _path_scoped(self.defaults, record.collection):
                self.by_collection[record.collection] = found
        number, layout = found
        if layout not in NO_LAYOUT and layout not in known:
            self.unknown_defaults.setdefault(number, record)

    def _unknown_defaults(self, known: frozenset[str]) -> Iterator[Finding]:
        for number, record in sorted(self.unknown_defaults.items()):
            layout = str(self.defaults[number][2])
            yield config_finding(
                self.context,
                ["defaults", number, "values", "layout"],
                "missing-layout",
                f"defaults give layout '{layout}' (to {record.rel} and others), which is in "
                "neither _layouts/ nor the theme; those pages get no layout",
                _layout_hint(layout, known),
            )


def layout_names(context: Context) -> frozenset[str] | None:
    """Layouts the site can use, or None when a theme's layouts cannot be known."""
    site = context.site
    names: set[str] = set()
    folder = site.root / str(site.config.get("layouts_dir") or "_layouts")
    if not folder.is_dir() and not site.config.get("theme"):
        return None  # a checkout without theme code (content only): nothing to compare with
    for path in folder.rglob("*") if folder.is_dir() else ():
        if path.is_file():
            names.add(os.path.splitext(path.relative_to(folder).as_posix())[0])
    if site.config.get("remote_theme"):
        return None
    theme = site.config.get("theme")
    if theme:
        theme_dir = _theme_dir(str(theme))
        if theme_dir is None:
            return None
        names.update(
            os.path.splitext(p.relative_to(theme_dir).as_posix())[0]
            for p in theme_dir.rglob("*")
            if p.is_file()
        )
    return frozenset(names)


def _theme_dir(theme: str) -> Path | None:
    for pattern in GEM_DIRS:
        for gem in glob.glob(os.path.join(os.path.expanduser(pattern), theme + "-*")):
            layouts = Path(gem) / "_layouts"
            if layouts.is_dir():
                return layouts
    return None


def _layout_hint(name: str, known: frozenset[str]) -> str:
    import difflib  # only when there is something to suggest

    guess = difflib.get_close_matches(name.removesuffix(".html"), sorted(known), n=1)
    if guess:
        return f"did you mean '{guess[0]}'?"
    return "add _layouts/" + name.removesuffix(".html") + ".html, or name an existing layout"


def _defaults(config: dict[str, Any]) -> list[tuple[str, str | None, Any]]:
    found: list[tuple[str, str | None, Any]] = []
    raw = config.get("defaults")
    for entry in raw if isinstance(raw, list) else []:
        scope = entry.get("scope") if isinstance(entry, dict) else None
        values = entry.get("values") if isinstance(entry, dict) else None
        if not isinstance(scope, dict) or not isinstance(values, dict) or "layout" not in values:
            found.append(("\0", None, None))
            continue
        path = str(scope.get("path") or "").strip("/")
        kind = scope.get("type")
        found.append((path, str(kind) if kind else None, values["layout"]))
    return found


def _path_scoped(defaults: list[tuple[str, str | None, Any]], collection: str) -> bool:
    """Whether a default that may apply to `collection` is scoped by path, so that its
    documents may get different layouts."""
    return any(path and path != "\0" and kind in (None, collection) for path, kind, _ in defaults)


def _default_layout(
    defaults: list[tuple[str, str | None, Any]], record: DocRecord
) -> tuple[int, Any]:
    best: tuple[int, int, int] | None = None
    for number, (path, kind, _) in enumerate(defaults):
        if path == "\0" or (kind is not None and kind != record.collection):
            continue
        if path and not (
            record.rel == path
            or record.rel.startswith(path + "/")
            or fnmatch.fnmatch(record.rel, path + "*")
        ):
            continue
        rank = (len(path), kind is not None, number)
        if best is None or rank >= best:
            best = rank
    if best is None:
        return -1, None
    return best[2], defaults[best[2]][2]


def _plugins(context: Context) -> Iterator[Finding]:
    if context.site.builder.builder != "github-pages":
        return  # a site built by its own workflow runs its plugins
    folder = context.site.root / str(context.site.config.get("plugins_dir") or "_plugins")
    for path in sorted(folder.glob("*.rb")) if folder.is_dir() else ():
        yield finding(
            path.relative_to(context.site.root).as_posix(),
            (1, 1),
            "unsupported-plugin",
            "GitHub Pages' classic build does not run plugins from _plugins/; this one is "
            "skipped there",
            "build with a GitHub Actions workflow instead, or drop the plugin",
        )
    for key in ("plugins", "gems"):
        value = context.site.config.get(key)
        for number, name in enumerate(value if isinstance(value, list) else []):
            name = str(name)
            if name in GITHUB_PAGES_PLUGINS or name.startswith("jekyll-theme-"):
                continue
            yield config_finding(
                context,
                [key, number],
                "unsupported-plugin",
                f"GitHub Pages' classic build does not run the plugin '{name}'",
                "remove it, or build with a GitHub Actions workflow",
            )


def _locale(context: Context) -> Iterator[Finding]:
    locale = context.site.config.get("locale")
    locales = context.index.locales
    if locales is None or not isinstance(locale, str) or locale in locales:
        return
    known = ", ".join(sorted(locales)[:12])
    yield config_finding(
        context,
        ["locale"],
        "unknown-locale",
        f"locale '{locale}' is not a key of _data/ui-text.yml, so every label the theme "
        "looks up there comes out empty",
        f"use one of: {known}",
    )
