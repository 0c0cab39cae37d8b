"""The one error base: anything pagemgr refuses to do is a PagemgrError with an exit code."""

from __future__ import annotations


class PagemgrError(Exception):
    """A problem the user can act on; the message is one sentence that says what to do."""

    exit_code = 1


class UsageError(PagemgrError):
    """The command line or pagemgr's own configuration is wrong."""

    exit_code = 2


class SiteNotFoundError(UsageError):
    """No Jekyll site could be found."""


class GitError(PagemgrError):
    """Git refused or failed: not a repository, an unsafe state, auth, network, a rejected push.

    Distinct from validation (exit 1) so scripts can tell "fix your content" from "fix your git".
    """

    exit_code = 4
