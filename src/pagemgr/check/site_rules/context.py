"""What every site-wide rule shares: the index, and lookups built from it once."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord, Store
from pagemgr.check.index.site_index import SiteIndex
from pagemgr.check.rules import severity_of
from pagemgr.check.schemas import SchemaSet
from pagemgr.site import urls
from pagemgr.site.model import CONFIG_NAME, Site
from pagemgr.yaml import yamlio

# Files plugins write, by plugin name.
PLUGIN_OUTPUTS = {
    "jekyll-feed": ("feed.xml",),
    "jekyll-sitemap": ("sitemap.xml", "robots.txt"),
    "jekyll-redirect-from": ("redirects.json",),
}
_REMEMBERED = 4096  # answers of `served` kept, for the many links to the same few pages


@dataclass
class Context:
    index: SiteIndex
    schemas: SchemaSet
    plugins: frozenset[str] = frozenset()
    selected: frozenset[str] | None = None  # None: every file
    tops: frozenset[str] = frozenset()
    answers: dict[str, bool] = field(default_factory=dict)

    @classmethod
    def of(
        cls, index: SiteIndex, schemas: SchemaSet, selected: frozenset[str] | None = None
    ) -> Context:
        return cls(index, schemas, plugins=index.plugins, selected=selected)

    @property
    def site(self) -> Site:
        return self.index.site

    @property
    def store(self) -> Store:
        return self.index.store

    def wants(self, rel: str) -> bool:
        """Whether findings about `rel` are asked for."""
        return self.selected is None or rel in self.selected

    def served(self, dest: str) -> bool:
        """Whether the built site has a file at `dest` (a path under _site)."""
        known = self.answers.get(dest)
        if known is None:
            known = self.store.served(dest) or any(
                dest in PLUGIN_OUTPUTS.get(name, ()) for name in self.plugins
            )
            if len(self.answers) >= _REMEMBERED:
                self.answers.clear()
            self.answers[dest] = known
        return known

    def knows_folder(self, url: str) -> bool:
        """Whether the first folder of `url` is one the site has or writes to (single-segment
        URLs always count): a link into an unknown folder cannot be judged from here."""
        path = url.split("#", 1)[0].split("?", 1)[0].strip("/")
        if "/" not in path:
            return True
        if not self.tops:
            tops = self.store.top_folders()
            self.tops = frozenset(tops | {p.name for p in self.site.root.iterdir() if p.is_dir()})
        return path.split("/", 1)[0] in self.tops

    def resolves(self, url: str) -> bool:
        return any(self.served(candidate) for candidate in urls.served_candidates(url))

    def config_position(self, path: list[Any], key: str | None = None) -> tuple[int, int]:
        loaded = self.site.config_loaded
        node = loaded.node if loaded is not None else None
        line, column = (
            yamlio.locate_key(node, path, key) if key is not None else yamlio.locate(node, path)
        )
        return line + 1, column + 1


class FamilyRules:
    """A family of site-wide rules: it `see`s each record as the run indexes it (the rules
    about one document run there) and `finish`es once at the end, asking the store for what
    needs the whole site."""

    sees_records = True  # whether it has anything to do with records as they come
    every_record = False  # whether records outside a selection matter to it

    def __init__(self, context: Context) -> None:
        self.context = context

    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        """Apply the rules about `record` (`wanted`: findings about it are asked for)."""

    def finish(self) -> Iterable[Finding]:
        return ()


def finding(
    path: str, position: tuple[int, int], rule: str, message: str, hint: str = ""
) -> Finding:
    return Finding(path, position[0], position[1], severity_of(rule), rule, message, hint)


def where(record: DocRecord, key: str) -> str:
    line, column = record.at(key)
    return f"{record.rel}:{line}:{column}" if record.has(key) else record.rel


def config_finding(
    context: Context,
    path: list[Any],
    rule: str,
    message: str,
    hint: str = "",
    key: str | None = None,
) -> Finding:
    return finding(CONFIG_NAME, context.config_position(path, key), rule, message, hint)
