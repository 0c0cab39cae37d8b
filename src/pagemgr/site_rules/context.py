"""What every site-wide rule shares: the index, and lookups built from it once."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from pagemgr import urls, yamlio
from pagemgr.findings import Finding
from pagemgr.rules import severity_of
from pagemgr.schemas import SchemaSet
from pagemgr.site import CONFIG_NAME, Site
from pagemgr.site_index import DocRecord, SiteIndex

# Files plugins write, by plugin name.
PLUGIN_OUTPUTS = {
    "jekyll-feed": ("feed.xml",),
    "jekyll-sitemap": ("sitemap.xml", "robots.txt"),
    "jekyll-redirect-from": ("redirects.json",),
}


@dataclass
class Context:
    index: SiteIndex
    schemas: SchemaSet
    by_dest: dict[str, list[DocRecord]] = field(default_factory=dict)
    redirects: dict[str, tuple[DocRecord, int, int]] = field(default_factory=dict)
    hidden: dict[str, DocRecord] = field(default_factory=dict)
    plugins: frozenset[str] = frozenset()
    tops: frozenset[str] = frozenset()
    selected: frozenset[str] | None = None  # None: every file
    wanted: list[DocRecord] = field(default_factory=list)  # the records of the selected files

    @classmethod
    def of(cls, index: SiteIndex, schemas: SchemaSet,
           selected: frozenset[str] | None = None) -> Context:
        context = cls(index, schemas, plugins=frozenset(plugin_names(index.site.config)),
                      selected=selected)
        by_dest: dict[str, list[DocRecord]] = defaultdict(list)
        for record in index.docs:
            if record.dest is not None:
                by_dest[record.dest].append(record)
            elif record.hidden and record.url is not None:
                context.hidden.setdefault(urls.destination(record.url), record)
        context.by_dest = dict(by_dest)
        context.wanted = index.docs if selected is None else [
            record for record in index.docs if record.rel in selected]
        if "jekyll-redirect-from" in context.plugins:
            for record in index.docs:
                if record.dest is None:
                    continue
                for entry, line, column in record.redirects:
                    dest = urls.destination(urls.sanitize(entry))
                    context.redirects.setdefault(dest, (record, line, column))
        return context

    @property
    def site(self) -> Site:
        return self.index.site

    def wants(self, rel: str) -> bool:
        """Whether findings about `rel` are asked for."""
        return self.selected is None or rel in self.selected

    def wanted_docs(self) -> list[DocRecord]:
        """The records findings are asked about: every one, or the few selected."""
        return self.wanted

    def served(self, dest: str) -> bool:
        """Whether the built site has a file at `dest` (a path under _site)."""
        if dest in self.by_dest or dest in self.index.statics or dest in self.redirects:
            return True
        return any(dest in PLUGIN_OUTPUTS.get(name, ()) for name in self.plugins)

    def knows_folder(self, url: str) -> bool:
        """Whether the first folder of `url` is one the site has or writes to (single-segment
        URLs always count): a link into an unknown folder cannot be judged from here."""
        path = url.split("#", 1)[0].split("?", 1)[0].strip("/")
        if "/" not in path:
            return True
        if not self.tops:
            tops = {dest.split("/", 1)[0] for dest in (*self.by_dest, *self.index.statics,
                                                      *self.redirects) if "/" in dest}
            self.tops = frozenset(tops | {p.name for p in self.site.root.iterdir() if p.is_dir()})
        return path.split("/", 1)[0] in self.tops

    def resolves(self, url: str) -> bool:
        return any(self.served(candidate) for candidate in urls.served_candidates(url))

    def config_position(self, path: list[Any], key: str | None = None) -> tuple[int, int]:
        loaded = self.site.config_loaded
        node = loaded.node if loaded is not None else None
        line, column = (yamlio.locate_key(node, path, key) if key is not None
                        else yamlio.locate(node, path))
        return line + 1, column + 1


def plugin_names(config: dict[str, Any]) -> list[str]:
    names: list[str] = []
    for key in ("plugins", "gems"):
        value = config.get(key)
        if isinstance(value, list):
            names.extend(str(name) for name in value)
    return names


def finding(path: str, position: tuple[int, int], rule: str, message: str,
            hint: str = "") -> Finding:
    return Finding(path, position[0], position[1], severity_of(rule), rule, message, hint)


def where(record: DocRecord, key: str) -> str:
    line, column = record.at(key)
    return f"{record.rel}:{line}:{column}" if record.has(key) else record.rel


def config_finding(context: Context, path: list[Any], rule: str, message: str,
                   hint: str = "", key: str | None = None) -> Finding:
    return finding(CONFIG_NAME, context.config_position(path, key), rule, message, hint)
