"""Where this pagemgr came from: the git repository and revision a site's hook and workflow pin.

pip records how it installed a distribution in the dist-info's `direct_url.json` (PEP 610); a
pagemgr installed from a git URL finds its repository and exact commit there. `--source` and
`--rev` override either part. Nothing is guessed: with no git source recorded and no option
given, `pinned` refuses and names the options to give.
"""

from __future__ import annotations

import json
from importlib import metadata
from typing import Any, NamedTuple
from urllib.parse import urlsplit

from pagemgr.errors import UsageError

DISTRIBUTION = "pagemgr"
SOURCE_OPTION = "--source URL"
REV_OPTION = "--rev TAG_OR_COMMIT"


class Source(NamedTuple):
    """A git repository of pagemgr and the tag or commit to install from it."""

    url: str
    rev: str

    @property
    def requirement(self) -> str:
        """What `pip install` takes to install pagemgr from this repository at this revision."""
        return f"{DISTRIBUTION} @ git+{self.url}@{self.rev}"

    @property
    def is_on_this_machine(self) -> bool:
        return urlsplit(self.url).scheme in ("", "file")


class Installation(NamedTuple):
    """How this pagemgr was installed, as far as pip recorded it."""

    description: str  # a noun phrase for messages: "an editable install of file:///src/pagemgr"
    url: str | None = None  # the git repository, when installed from one
    commit: str | None = None


def this_installation() -> Installation:
    try:
        recorded = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return Installation("a copy pip did not install")
    return installation_from(recorded)


def installation_from(direct_url: str | None) -> Installation:
    """What a `direct_url.json` text says (None: pip installed from a package index)."""
    if direct_url is None:
        return Installation("an install from a package index")
    try:
        recorded = json.loads(direct_url)
    except ValueError:
        recorded = None
    if not isinstance(recorded, dict) or not isinstance(recorded.get("url"), str):
        return Installation("an install with an unreadable direct_url.json")
    return _described(recorded["url"], recorded)


def pinned(
    url: str | None, rev: str | None, installation: Installation, otherwise: str = ""
) -> Source:
    """`url` and `rev` where given, else the git source this pagemgr was installed from."""
    source_url = url or installation.url
    source_rev = rev or installation.commit
    if not (source_url and source_rev):
        missing = [
            option
            for option, value in ((SOURCE_OPTION, source_url), (REV_OPTION, source_rev))
            if not value
        ]
        raise UsageError(
            f"this pagemgr is {installation.description}, not a git install with a commit to "
            f"pin; pass {' and '.join(missing)} to say which pagemgr to install{otherwise}"
        )
    _refuse_credentials(source_url)
    return Source(source_url, source_rev)


def _described(url: str, recorded: dict[str, Any]) -> Installation:
    if "subdirectory" in recorded:
        return Installation(f"an install from a subfolder of {url}")
    vcs = recorded.get("vcs_info")
    if isinstance(vcs, dict):
        commit = vcs.get("commit_id")
        if vcs.get("vcs") == "git" and isinstance(commit, str) and commit:
            return Installation(f"a git install of {url} at {commit}", url, commit)
        return Installation(f"an install from a {vcs.get('vcs')} repository, {url}")
    folder = recorded.get("dir_info")
    if isinstance(folder, dict):
        kind = "an editable install" if folder.get("editable") else "an install of the folder"
        return Installation(f"{kind} of {url}")
    return Installation(f"an install of the archive {url}")


def _refuse_credentials(url: str) -> None:
    parts = urlsplit(url)
    if parts.password is not None or (parts.username and parts.scheme in ("http", "https")):
        raise UsageError(
            "the pagemgr source URL carries credentials, which would be committed with the "
            "site; pass --source without them"
        )
