"""_config.yml as it was last parsed, kept beside the check cache.

A run whose _config.yml is unchanged neither parses it again nor imports libyaml for it. The
entry is the exact text with pagemgr's version, so it is never stale; one that cannot be read is
ignored, and a write goes to a temporary file renamed over the old one.
"""

from __future__ import annotations

from pathlib import Path

from pagemgr import __version__
from pagemgr.site.cache_files import cache_file, read_pickle, write_pickle
from pagemgr.yaml import yamlio

FORMAT = 2


def load_config(site_root: Path, text: str) -> yamlio.Loaded:
    """`yamlio.load(text)`, from the cache when `text` is what was parsed last time; raises
    YamlSyntaxError as `load` does (nothing is cached then)."""
    path = _path_for(site_root)
    key = (FORMAT, __version__, text)
    match read_pickle(path):
        case (stored_key, yamlio.Loaded() as cached) if stored_key == key:
            return cached
    loaded = yamlio.portable(yamlio.load(text))
    write_pickle(path, (key, loaded))
    return loaded


def _path_for(site_root: Path) -> Path:
    checks = cache_file(site_root)
    return checks.with_name("config-" + checks.name.removeprefix("check-"))
