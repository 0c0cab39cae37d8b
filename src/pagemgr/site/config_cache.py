"""_config.yml as it was last parsed, kept beside the check cache.

A run whose _config.yml is unchanged neither parses it again nor imports libyaml for it. The
entry is the exact text with pagemgr's version and the YAML rules it was read with, so it is
never stale; one that cannot be read is
ignored, and a write goes to a temporary file renamed over the old one.
"""

from __future__ import annotations

from pathlib import Path

from pagemgr import __version__
from pagemgr.site.cache_files import cache_file, read_pickle, write_pickle
from pagemgr.yaml import yamlio

FORMAT = 3


def load_config(site_root: Path, text: str, rules: yamlio.Rules = "psych") -> yamlio.Loaded:
    """`yamlio.load(text, rules)`, from the cache when `text` is what was parsed last time under
    the same rules; raises as `load` does (nothing is cached then)."""
    path = _path_for(site_root, rules)
    key = (FORMAT, __version__, rules, text)
    match read_pickle(path):
        case (stored_key, yamlio.Loaded() as cached) if stored_key == key:
            return cached
    loaded = yamlio.portable(yamlio.load(text, rules))
    write_pickle(path, (key, loaded))
    return loaded


def _path_for(site_root: Path, rules: yamlio.Rules) -> Path:
    """One file per set of rules: a debian-psych site reads its _config.yml under both."""
    checks = cache_file(site_root)
    return checks.with_name(f"config-{rules}-" + checks.name.removeprefix("check-"))
