"""Adding papers, talks, teaching, portfolio items and posts in the site's own style.

Owns: `fields` (the options each kind takes, from its schema; what is required and
recommended), sources (`bibtex`, `latex` over pylatexenc, `metadata` over `http`: Crossref and
arXiv), `record` (a work and its authors), `categories` (a work's publication category from the
site's `publication_category`), `citation`, `conventions` (file names, permalinks, key order
learned from the collection), `slugs`, `dedupe`, `refresh` (the `pagemgr_wrote` record of
what pagemgr wrote, and what a refresh may replace), `prompts` (questions on stderr, answers on
stdin), `newdoc` (a new document, checked before it is written), `drafting` (the steps
`pagemgr add` and `pagemgr import` share on one item: request, draft, citation, place,
refresh), and for `pagemgr import`
the sources `orcid`, `openalex` and `dblp` with `importing` (merging, Crossref completion).

May import: `pagemgr.edit`, `pagemgr.check`, `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`.
Never overwrites a file; committing what it added is the command's business (`publish`).
"""
