"""What the site's own templates do with each collection's front matter.

Owns: `facts` (the answers: `TemplateFacts`, `Use`, `Unreadable`, `HIDDEN`; plain data, no
Liquid), `cache` (`site_templates`: the facts kept beside the check cache, keyed by the
templates' contents, `_config.yml` and pagemgr's version), `sources` (which files are templates,
`_config.yml` defaults and themes), `jekyll_liquid` (python-liquid taught Jekyll's tags and
filters), `walk` (where each key is read, guarded or bare), `render` (what a made-up document
shows: the publications page's headings, the line of a bare use) and `analysis` (all of it for
one site).

May import: `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`. python-liquid is imported only by
`jekyll_liquid`, `walk`, `render` and `analysis`, which `cache` imports only when the templates
changed: a run on unchanged templates never loads it.
"""

from __future__ import annotations

from pagemgr.check.templates.cache import site_templates, start_analysis
from pagemgr.check.templates.facts import (
    HIDDEN,
    Heading,
    Hidden,
    PublicationListing,
    TemplateFacts,
    Unreadable,
    Use,
    UseKind,
    View,
)

__all__ = [
    "HIDDEN",
    "Heading",
    "Hidden",
    "PublicationListing",
    "TemplateFacts",
    "Unreadable",
    "Use",
    "UseKind",
    "View",
    "site_templates",
    "start_analysis",
]
