"""The pre-commit configuration that runs pagemgr on a site's commits."""

from __future__ import annotations

from typing import Any

from pagemgr.publish.provenance import Source

CONFIG_NAME = ".pre-commit-config.yaml"
HOOK_ID = "pagemgr-check"
SITE_FILES = r"(_config\.yml|_data/.*\.(ya?ml|json)|.*\.(md|markdown|html))$"


def files_pattern(site_prefix: str) -> str:
    """The `files:` regex for a site at `site_prefix` (relative to the repository; "" at root)."""
    prefix = site_prefix.strip("/")
    return f"^{_escape(prefix)}/{SITE_FILES}" if prefix else f"^{SITE_FILES}"


def repository_entry(source: Source, site_prefix: str) -> dict[str, Any]:
    """pre-commit installs pagemgr from `source` into its own environment (the hook comes from
    the repository's .pre-commit-hooks.yaml), so any git client runs it."""
    return {
        "repo": source.url,
        "rev": source.rev,
        "hooks": [{"id": HOOK_ID, "files": files_pattern(site_prefix)}],
    }


def system_entry(site_prefix: str) -> dict[str, Any]:
    """A `repo: local` hook that runs the `pagemgr` on PATH: offline, but every git client (a GUI,
    a new shell without the venv) must find pagemgr there."""
    return {
        "repo": "local",
        "hooks": [
            {
                "id": HOOK_ID,
                "name": "pagemgr check",
                "entry": "pagemgr check --hook",
                "language": "system",
                "files": files_pattern(site_prefix),
                "require_serial": True,  # one process: each one loads the whole site
            }
        ],
    }


def repo_running_hook(config: Any) -> str | None:
    """The `repo:` of the entry in a loaded configuration that already runs pagemgr's hook."""
    repos = config.get("repos") if isinstance(config, dict) else None
    for repo in repos if isinstance(repos, list) else []:
        hooks = repo.get("hooks") if isinstance(repo, dict) else None
        if isinstance(hooks, list) and any(
            isinstance(hook, dict) and hook.get("id") == HOOK_ID for hook in hooks
        ):
            return str(repo.get("repo"))
    return None


def _escape(text: str) -> str:
    return "".join("\\" + c if c in r".^$*+?{}[]\|()" else c for c in text)
