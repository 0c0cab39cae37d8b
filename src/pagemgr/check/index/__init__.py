"""The site index: one small record per file, kept in a store, for the site-wide rules.

Owns: `records` (the record types and the `Store` protocol), `site_index` (building a record
from a parsed file, and the `SiteIndex` the rules ask), `sqlite_store` (records on disk in a
temporary SQLite database, the only module that imports sqlite3) and `memory_store` (the same
lookups in memory).

May import: `pagemgr.site`, `pagemgr.yaml`. Never reads a file.
"""
