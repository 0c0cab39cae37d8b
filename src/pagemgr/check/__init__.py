"""Checking a site: every file against its schema, then the rules that need the whole site.

Owns: `pipeline` (one run, shared by check, the edit gate and publish), `checker` (one file:
read, split, parse, validate, locate), `schemas`, `fastschema` and `schema_walk` (which schema
applies and how it is read), `file_result` (what checking a file leaves behind), `index/` (the
site index the site-wide rules read), `site_rules/` (those rules, one module per family),
`rules`, `settings`, `findings` and `reporters` (rule ids, what a site turns off, the results
and their output formats), and `engine/` (the speed machinery: cache, forked children).

May import: `pagemgr.site`, `pagemgr.yaml`, `pagemgr.errors`. Inside it, `engine/` is reached
only through `engine.reading`, and nothing but `engine/` forks or pickles results; the rules
read the index, never a file. Never prints except through `reporters`; never decides an exit
code.
"""
