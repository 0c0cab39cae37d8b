"""The site as Jekyll sees it: where it is, its `_config.yml`, collections, files and URLs.

Owns: `model` (finding the site root, loading `_config.yml`, walking and classifying files),
`document` (the front-matter split, as Jekyll's own expression makes it), `dates` (what
Jekyll accepts as a date), `urls` (output URLs and `_site` paths), `config_cache` (the parsed
`_config.yml` kept between runs) and `cache_files` (where anything kept between runs lives,
and how such a file is written atomically).

May import: `pagemgr.yaml`, `pagemgr.errors`. Never judges a file: that is `check`'s.
"""
