"""The pre-commit configuration that runs pagemgr on a site's commits."""

from __future__ import annotations

from typing import Any

CONFIG_NAME = ".pre-commit-config.yaml"
HOOK_ID = "pagemgr-check"
SITE_FILES = r"(_config\.yml|_data/.*\.(ya?ml|json)|.*\.(md|markdown|html))$"


def files_pattern(site_prefix: str) -> str:
    """The `files:` regex for a site at `site_prefix` (relative to the repository; "" at root)."""
    prefix = site_prefix.strip("/")
    return f"^{_escape(prefix)}/{SITE_FILES}" if prefix else f"^{SITE_FILES}"


def local_repo_entry(site_prefix: str) -> dict[str, Any]:
    """A `repo: local` entry: runs the pagemgr installed with pip, works offline."""
    return {
        "repo": "local",
        "hooks": [
            {
                "id": HOOK_ID,
                "name": "pagemgr check",
                "entry": "pagemgr check --hook",
                "language": "system",
                "files": files_pattern(site_prefix),
            }
        ],
    }


def remote_repo_entry(url: str, rev: str, site_prefix: str) -> dict[str, Any]:
    """An entry that lets pre-commit install pagemgr itself from `url` at `rev`."""
    return {
        "repo": url,
        "rev": rev,
        "hooks": [{"id": HOOK_ID, "files": files_pattern(site_prefix)}],
    }


def has_hook(config: Any) -> bool:
    repos = config.get("repos") if isinstance(config, dict) else None
    return isinstance(repos, list) and any(
        isinstance(repo, dict)
        and any(
            isinstance(hook, dict) and hook.get("id") == HOOK_ID for hook in repo.get("hooks") or []
        )
        for repo in repos
    )


def _escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?{}[]\|()" else c for c in text)
