"""`pagemgr serve`: a local web editor for the site, on 127.0.0.1 only.

Owns the HTTP server (the standard library's), the request guard, the JSON routes, forms built
from the schemas and the page under `static/`. Every save goes through the same splices, gate
and atomic write as `pagemgr set`; adding and publishing call `add` and `publish`.
May import: `add`, `publish`, `edit`, `check`, `site`, `yaml`, `errors`.
"""
