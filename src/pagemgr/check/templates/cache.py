"""The template facts of a site, kept between runs beside the check cache.

The entry is keyed by a digest of every template file and `_config.yml` with pagemgr's version,
so it is never stale; one that cannot be read is ignored, and a write goes to a temporary file
renamed over the old one. Only a miss imports the analysis, and with it python-liquid.
"""

from __future__ import annotations

from pathlib import Path

from pagemgr import __version__
from pagemgr.check.templates.facts import TemplateFacts, Unreadable
from pagemgr.check.templates.sources import fingerprint, no_templates
from pagemgr.site.cache_files import cache_file, read_pickle, write_pickle
from pagemgr.site.model import Site

FORMAT = 2
_last: list[tuple[Site, str]] = []  # the site of the last `templates_fingerprint` and its digest


def templates_fingerprint(site: Site) -> str:
    """The digest of the site's templates and _config.yml, read once per `Site` (the check
    cache's fingerprint and `site_templates` both ask for it in one run)."""
    if _last and _last[0][0] is site:
        return _last[0][1]
    digest = fingerprint(site)
    _last[:] = [(site, digest)]
    return digest


def site_templates(site: Site, use_cache: bool = True) -> TemplateFacts | Unreadable:
    """What the site's layouts, includes and list pages read of each collection's documents,
    or why they could not be read."""
    key = (FORMAT, __version__, templates_fingerprint(site))
    path = _path_for(site.root)
    if use_cache:
        match read_pickle(path):
            case (stored_key, TemplateFacts() | Unreadable() as cached) if stored_key == key:
                return cached
    missing = no_templates(site)
    if missing is not None:
        return missing  # nothing to parse: liquid is never imported for such a site
    from pagemgr.check.templates.analysis import analyse

    facts = analyse(site)
    if use_cache:
        write_pickle(path, (key, facts))
    return facts


def _path_for(site_root: Path) -> Path:
    checks = cache_file(site_root)
    return checks.with_name("templates-" + checks.name.removeprefix("check-"))
