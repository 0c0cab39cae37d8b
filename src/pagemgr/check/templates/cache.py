"""The template facts of a site, kept between runs beside the check cache.

The entry is keyed by a digest of every template file and `_config.yml` with pagemgr's version,
so it is never stale; one that cannot be read is ignored, and a write goes to a temporary file
renamed over the old one. Only a miss imports the analysis, and with it python-liquid: in a
child started by `start_analysis` when the command can go on meanwhile, else here.
"""

from __future__ import annotations

from pathlib import Path

from pagemgr import __version__
from pagemgr.check.engine.ahead import Ahead
from pagemgr.check.engine.ahead import start as start_ahead
from pagemgr.check.templates.facts import TemplateFacts, Unreadable
from pagemgr.check.templates.sources import fingerprint, no_templates
from pagemgr.site.cache_files import cache_file, read_pickle, write_pickle
from pagemgr.site.model import Site

FORMAT = 2
_last: list[tuple[Site, str]] = []  # the site of the last `templates_fingerprint` and its digest
# What `start_analysis` found or started for a site, until `site_templates` takes it.
_begun: list[tuple[Site, TemplateFacts | Unreadable | Ahead[TemplateFacts | Unreadable]]] = []


def templates_fingerprint(site: Site) -> str:
    """The digest of the site's templates and _config.yml, read once per `Site` (the check
    cache's fingerprint and `site_templates` both ask for it in one run)."""
    if _last and _last[0][0] is site:
        return _last[0][1]
    digest = fingerprint(site)
    _last[:] = [(site, digest)]
    return digest


def start_analysis(site: Site, use_cache: bool = True) -> None:
    """Begin working out the site's template facts in another process, when they are neither
    cached nor trivial: `site_templates` takes them from it, and this process goes on at once
    (a cold run checks its files meanwhile, instead of first waiting for python-liquid)."""
    known = _known_here(site, use_cache)
    begun = known if known is not None else start_ahead(lambda: _analysed(site))
    _begun[:] = [] if begun is None else [(site, begun)]


def site_templates(site: Site, use_cache: bool = True) -> TemplateFacts | Unreadable:
    """What the site's layouts, includes and list pages read of each collection's documents,
    or why they could not be read."""
    begun = _begun.pop()[1] if _begun and _begun[0][0] is site else _known_here(site, use_cache)
    if isinstance(begun, TemplateFacts | Unreadable):
        return begun
    facts = begun.result() if begun is not None else None
    if facts is None:  # nothing begun, or the child failed
        facts = _analysed(site)
    if use_cache:
        write_pickle(_path_for(site.root), (_key(site), facts))
    return facts


def _known_here(site: Site, use_cache: bool) -> TemplateFacts | Unreadable | None:
    """The facts without parsing any Liquid: from the cache, or because there are no layouts."""
    if use_cache:
        match read_pickle(_path_for(site.root)):
            case (stored_key, TemplateFacts() | Unreadable() as cached) if stored_key == _key(site):
                return cached
    return no_templates(site)  # for such a site liquid is never imported


def _analysed(site: Site) -> TemplateFacts | Unreadable:
    from pagemgr.check.templates.analysis import analyse

    return analyse(site)


def _key(site: Site) -> tuple[int, str, str]:
    return (FORMAT, __version__, templates_fingerprint(site))


def _path_for(site_root: Path) -> Path:
    checks = cache_file(site_root)
    return checks.with_name("templates-" + checks.name.removeprefix("check-"))
