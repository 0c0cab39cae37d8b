"""Adding papers, talks, teaching, portfolio items and posts in the site's own style.

Owns: `fields` (the options each kind takes, from its schema), sources (`bibtex`, `latex`,
`metadata` over `http`: Crossref and arXiv), `record` (a work and its authors), `citation`,
`conventions` (file names, permalinks, key order learned from the collection), `slugs`,
`dedupe` and `newdoc` (a new document, checked before it is written).

May import: `pagemgr.edit`, `pagemgr.check`, `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`.
Never overwrites a file; committing what it added is the command's business (`publish`).
"""
