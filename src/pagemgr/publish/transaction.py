"""Commit exactly the site's changed files and push them, losing nothing when git says no.

The shared core of `pagemgr publish` and of the `--commit`/`--push` options of the edit and
add commands (`commit_files`). It never prints; `report` turns a result into lines. All git
access goes through `pagemgr.publish.git`.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Collection, Iterable, Iterator, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from pagemgr.errors import GitError, UsageError
from pagemgr.publish import git
from pagemgr.publish.commit_message import Action, describe, message_for
from pagemgr.site.model import Site, classify

# Build output and caches: never committed, never mentioned.
BUILD_DIRS = frozenset(
    {
        "_site",
        ".jekyll-cache",
        ".sass-cache",
        ".jekyll-metadata",
        ".bundle",
        "node_modules",
        ".asset-cache",
    }
)
THEME_DIRS = ("_layouts", "_includes", "_sass")
# What a new file in a theme folder must be to be committed without being named.
THEME_EXTENSIONS = frozenset(
    {".html", ".htm", ".liquid", ".xml", ".md", ".markdown", ".scss", ".sass", ".css", ".js"}
)
TEMPLATE = ("academicpages", "academicpages.github.io")
_GITHUB = re.compile(
    r"(?i)^(?:(?:https?|git|ssh)://(?:[^@/]+@)?github\.com(?::\d+)?/|[^@/\s]+@github\.com:)"
    r"(?P<owner>[^/]+)/(?P<name>[^/]+?)(?:\.git)?/?$"
)
_STATE_ADVICE = {
    "merge": "a merge is in progress; finish it with `git commit` or undo it with "
    "`git merge --abort`",
    "rebase": "a rebase is in progress; finish it with `git rebase --continue` or undo it with "
    "`git rebase --abort`",
    "cherry-pick": "a cherry-pick is in progress; finish it or run `git cherry-pick --abort`",
    "revert": "a revert is in progress; finish it or run `git revert --abort`",
    "bisect": "a bisect is in progress; end it with `git bisect reset`",
    "locked": "another git command is running (.git/index.lock exists); wait for it, or delete "
    "that file if no git command is running",
}


class Repo(NamedTuple):
    git: git.Repository  # open while the command runs
    root: Path  # the work tree's top folder, as git reports it
    git_dir: Path
    head: str
    branch: str
    config: dict[str, list[str]]
    prefix: str  # the site root relative to the repository root, "" or ending in "/"


class Change(NamedTuple):
    path: str  # from the repository root
    rel: str  # from the site root
    action: Action
    untracked: bool  # new to git: staged by pagemgr just before its commit


# Why a change in the site folder is not committed:
# not-content: Jekyll does not read it; draft: a new file in _drafts; unlinked: a new file
# outside _pages, the collections and _data that no page links to; not-template: a new file in
# a theme folder that is not a template, stylesheet or script.
LeftOutWhy = Literal["not-content", "draft", "unlinked", "not-template"]
# What happens to a new (untracked) file that was not named: committed, committed when a page
# links to it, or left out for a reason.
NewFileRule = Literal["commit", "if-linked", "draft", "not-template"]


class LeftOut(NamedTuple):
    path: str  # from the repository root
    why: LeftOutWhy


class Scope(NamedTuple):
    """The paths named on the command line, site-relative ("" is the whole site)."""

    paths: frozenset[str]

    def covers(self, rel: str) -> bool:
        if "" in self.paths or rel in self.paths:
            return True
        parts = rel.split("/")
        return any("/".join(parts[:depth]) in self.paths for depth in range(1, len(parts)))


class Plan(NamedTuple):
    changes: tuple[Change, ...]
    left_out: tuple[LeftOut, ...]  # changed under the site and not committed, with why
    staged_elsewhere: tuple[str, ...]  # staged by the user, not site content: stays staged
    others: int  # other changed or untracked files outside the site, left as they were
    held_back: tuple[Change, ...] = ()  # site content changes this commit leaves out
    unlinked: tuple[Change, ...] = ()  # new files to commit only if a page links to them
    not_named: int = 0  # changes in the site that the named paths do not cover
    refused: tuple[tuple[str, LeftOutWhy], ...] = ()  # named files it will not commit
    unmatched: tuple[str, ...] = ()  # named paths with no change under them


class Target(NamedTuple):
    remote: str
    branch: str
    url: str  # as configured (push URL when set); mask before printing
    tracking: str  # refs/remotes/<remote>/<branch>
    set_upstream: bool


class Published(NamedTuple):
    commit: str | None  # short id of the new commit, None when nothing new was committed
    subject: str
    files: tuple[Change, ...]
    pushed: int  # commits pushed (0 when not pushing or already up to date)
    target: Target | None
    pages_url: str | None
    rebased: bool = False
    new_branch: bool = False


# --- the repository and what changed -----------------------------------------------------------


@contextlib.contextmanager
def opened(site: Site) -> Iterator[Repo]:
    """The repository holding the site, open until the block ends, refusing every state where
    committing is unsafe."""
    if git.inside_own_commit():
        raise GitError(
            "a git hook started pagemgr while pagemgr was committing; remove "
            "`pagemgr publish` (or `--commit`) from that hook so commits do not recurse"
        )
    with git.repository(site.root) as handle:
        yield _checked(site, handle)


def _checked(site: Site, handle: git.Repository) -> Repo:
    root, git_dir = handle.root, handle.git_dir
    head = handle.head_commit()
    if head is None:
        raise GitError(
            f"the repository at {root} has no commits yet; make the first commit "
            "with git (`git add -A && git commit -m 'First commit'`), then publish"
        )
    branch = handle.current_branch()
    if branch is None:
        raise GitError(
            "HEAD is detached (not on a branch); switch to your site's branch with "
            "`git switch master` (or main) and publish again"
        )
    state = git.operation_in_progress(git_dir)
    if state is not None:
        raise GitError(f"{_STATE_ADVICE[state]}; nothing was changed")
    prefix = Path(os.path.realpath(site.root)).relative_to(os.path.realpath(root)).as_posix()
    prefix = "" if prefix == "." else prefix + "/"
    return Repo(handle, root, git_dir, head, branch, handle.read_config(), prefix)


def is_site_content(site: Site, rel: str) -> bool:
    """A file that is part of the site's source: read by Jekyll, or one of its theme files."""
    parts = rel.split("/")
    if any(part in BUILD_DIRS for part in parts[:-1]) or parts[-1] in BUILD_DIRS:
        return False
    if classify(site, rel) is not None:
        return True
    return parts[0] in THEME_DIRS and not any(part.startswith(".") for part in parts)


def plan_changes(site: Site, repo: Repo, only: Iterable[str] | Scope | None = None) -> Plan:
    """Sort `git status` into site changes to commit and everything to leave alone.

    Changed tracked site content is committed. A new file is committed when it is a document
    of _pages, _posts or a collection, a data file, the config or a theme template
    (`new_file_rule`); one that is committed only if a page links to it is in `unlinked`
    (see `with_links`); a new draft never is. With `only` (site-relative paths, or a `Scope`),
    just the changes under those paths are candidates, and a file named exactly is committed
    whatever it is, unless it is not site content or is a new draft (`refused`).
    """
    scope = only if isinstance(only, Scope) or only is None else Scope(frozenset(only))
    sorting = _Sorting(site, scope)
    for entry in repo.git.status():
        if entry.path.startswith(repo.prefix):
            sorting.inside(entry, entry.path[len(repo.prefix) :])
        elif entry.x not in " ?":
            sorting.staged.append(entry.path)
        else:
            sorting.others += 1
    return sorting.plan()


class _Sorting:
    """`plan_changes` as it goes through `git status`."""

    def __init__(self, site: Site, scope: Scope | None) -> None:
        self.site = site
        self.scope = scope
        self.by_path: dict[str, Change] = {}
        self.left_out: list[LeftOut] = []
        self.held_back: list[Change] = []
        self.unlinked: list[Change] = []
        self.staged: list[str] = []
        self.refused: list[tuple[str, LeftOutWhy]] = []
        self.matched: set[str] = set()
        self.others = 0
        self.not_named = 0

    def inside(self, entry: git.StatusEntry, rel: str) -> None:
        covered = self.scope is None or self.scope.covers(rel)
        if not is_site_content(self.site, rel):
            self._not_content(entry, rel, covered)
            return
        change = _change(entry, rel)
        if change is None:
            return
        if not covered:
            self.not_named += 1
            self.held_back.append(change)
            return
        self._note_match(rel)
        explicit = self.scope is not None and rel in self.scope.paths
        rule = new_file_rule(self.site, rel) if change.untracked else "commit"
        if explicit and rule == "draft":
            self.refused.append((rel, "draft"))
        elif explicit or rule == "commit" or rel in self.by_path:
            self.by_path[rel] = _merge(self.by_path.get(rel), change)
        elif rule == "if-linked":
            self.unlinked.append(change)
        else:
            self.left_out.append(LeftOut(entry.path, rule))
            self.held_back.append(change)

    def _not_content(self, entry: git.StatusEntry, rel: str, covered: bool) -> None:
        if self.scope is not None and rel in self.scope.paths:
            self._note_match(rel)
            self.refused.append((rel, "not-content"))
        elif entry.x not in " ?":
            self.staged.append(entry.path)
        elif set(rel.split("/")) & BUILD_DIRS:
            return  # build output and caches: never committed, not worth a mention
        elif covered:
            self._note_match(rel)
            self.left_out.append(LeftOut(entry.path, "not-content"))
        else:
            self.not_named += 1

    def _note_match(self, rel: str) -> None:
        if self.scope is None:
            return
        parts = rel.split("/")
        self.matched.update("/".join(parts[:depth]) for depth in range(len(parts) + 1))

    def plan(self) -> Plan:
        unmatched = () if self.scope is None else tuple(sorted(self.scope.paths - self.matched))
        # A file removed from the index but still on disk is listed twice, the untracked
        # entry possibly first: it is the tracked file's change.
        twice = {c.path for c in self.held_back + self.unlinked if c.rel in self.by_path}
        for change in self.held_back + self.unlinked:
            if change.path in twice:
                self.by_path[change.rel] = _merge(self.by_path[change.rel], change)
        return Plan(
            tuple(sorted(self.by_path.values(), key=lambda c: c.rel)),
            tuple(item for item in self.left_out if item.path not in twice),
            tuple(self.staged),
            self.others,
            tuple(c for c in self.held_back if c.path not in twice),
            tuple(c for c in self.unlinked if c.path not in twice),
            self.not_named,
            tuple(self.refused),
            unmatched,
        )


def new_file_rule(site: Site, rel: str) -> NewFileRule:
    """What `publish` does with a new site file nobody named: content Jekyll publishes from
    _pages, _posts, a collection or _data (and the config) is committed; a new draft never is;
    anything else in the site (a PDF, notes, an image, a page outside _pages) only when a page
    of the site links to it; in a theme folder, templates, stylesheets and scripts are."""
    item = classify(site, rel)
    if item is None:  # a theme file: site content that Jekyll does not list
        return "commit" if _suffix(rel) in THEME_EXTENSIONS else "not-template"
    if item.collection == "drafts":
        return "draft"
    if item.kind in ("config", "data") or rel.startswith(_pages_folder(site) + "/"):
        return "commit"
    if item.kind == "document" and item.collection != "pages":
        return "commit"
    return "if-linked"


def _pages_folder(site: Site) -> str:
    declared = site.collections.get("pages")
    return declared.folder if declared is not None else "_pages"


def _suffix(rel: str) -> str:
    return os.path.splitext(rel.rsplit("/", 1)[-1])[1].lower()


def with_links(plan: Plan, linked: Collection[str]) -> Plan:
    """`plan` with its `unlinked` new files decided: those in `linked` (site-relative) are
    committed, the others left out."""
    chosen = [c for c in plan.unlinked if c.rel in linked]
    dropped = [c for c in plan.unlinked if c.rel not in linked]
    return plan._replace(
        changes=tuple(sorted([*plan.changes, *chosen], key=lambda c: c.rel)),
        left_out=(*plan.left_out, *(LeftOut(c.path, "unlinked") for c in dropped)),
        held_back=(*plan.held_back, *dropped),
        unlinked=(),
    )


def named_scope(site: Site, paths: Sequence[Path], cwd: Path) -> Scope:
    """The named paths as site-relative ones: each taken from the current folder when it is
    there (or inside the site), else from the site's folder. UsageError for a path outside."""
    return Scope(frozenset(_named_rel(site, path, cwd) for path in paths))


def _named_rel(site: Site, path: Path, cwd: Path) -> str:
    root = Path(os.path.realpath(site.root))
    here = Path(os.path.normpath(cwd / path))
    there = Path(os.path.normpath(site.root / path))
    here_rel, there_rel = _relative_to(here, root), _relative_to(there, root)
    if os.path.lexists(here):
        if here_rel is not None:
            return here_rel
        if path.is_absolute() or not os.path.lexists(there):
            raise UsageError(f"{path} is not inside the site at {site.root}")
    if there_rel is not None and (os.path.lexists(there) or here_rel is None):
        return there_rel
    if here_rel is not None:
        return here_rel  # not there (any more): a deletion, or a mistake said later
    raise UsageError(f"{path} is not inside the site at {site.root}")


def _relative_to(path: Path, root: Path) -> str | None:
    folder = Path(os.path.realpath(path.parent)) if path.name else Path(os.path.realpath(path))
    absolute = folder / path.name if path.name else folder
    try:
        rel = absolute.relative_to(root).as_posix()
    except ValueError:
        return None
    return "" if rel == "." else rel


def _change(entry: git.StatusEntry, rel: str) -> Change | None:
    x, y = entry.x, entry.y
    if x == "?":
        return Change(entry.path, rel, "add", True)
    if x == "A" and y == "D":
        return None  # staged, then deleted: no change against HEAD
    if x == "A":
        return Change(entry.path, rel, "add", False)
    if "D" in (x, y):
        return Change(entry.path, rel, "remove", False)
    return Change(entry.path, rel, "update", False)


def _merge(seen: Change | None, new: Change) -> Change:
    """A file removed from the index but still on disk shows up twice: it is an update."""
    if seen is None:
        return new
    return Change(new.path, new.rel, "update", seen.untracked or new.untracked)


def texts_at(site: Site, repo: Repo, commit: str, rels: Iterable[str]) -> dict[str, str | None]:
    """Each site file's text as committed in `commit` (None: it is not there)."""
    return {rel: repo.git.show_file(commit, repo.prefix + rel) for rel in dict.fromkeys(rels)}


def committed_version(site: Site, repo: Repo, plan: Plan) -> dict[str, str | None]:
    """How the commit differs from the working tree: the site files it leaves out, as HEAD
    has them (None: not in HEAD, so not in the commit)."""
    texts = texts_at(site, repo, repo.head, [c.rel for c in plan.held_back if not c.untracked])
    texts.update({c.rel: None for c in plan.held_back if c.untracked})
    return texts


def commit_message(site: Site, repo: Repo, changes: Sequence[Change]) -> str:
    return message_for([describe(site, c.action, c.rel, _text(site, repo, c)) for c in changes])


def _text(site: Site, repo: Repo, change: Change) -> str | None:
    if change.action == "remove":
        return repo.git.show_file(repo.head, change.path)
    if (site.root / change.rel).suffix.lower() not in site.document_extensions:
        return None
    try:
        return (site.root / change.rel).read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None


# --- where to push ------------------------------------------------------------------------------


def push_target(repo: Repo, remote: str | None, branch: str | None) -> Target:
    """The branch's upstream, else `origin` and the current branch; --remote/--branch override."""
    config = repo.config
    upstream_remote = _one(config, f"branch.{repo.branch}.remote")
    upstream_merge = _one(config, f"branch.{repo.branch}.merge")
    has_upstream = upstream_remote not in (None, ".") and upstream_merge is not None
    name = remote or (upstream_remote if has_upstream else None)
    if name is None:
        if _one(config, "remote.origin.url") is None:
            raise GitError(
                "this repository has no remote to push to; add your GitHub repository "
                "with `git remote add origin https://github.com/<you>/<you>.github.io.git`"
                ", or publish with --no-push"
            )
        name = "origin"
    url = _one(config, f"remote.{name}.pushurl") or _one(config, f"remote.{name}.url")
    if url is None:
        raise GitError(f"there is no remote named {name!r}; `git remote -v` lists the remotes")
    if branch is None and has_upstream and name == upstream_remote and upstream_merge:
        branch = upstream_merge.removeprefix("refs/heads/")
    target_branch = branch or repo.branch
    return Target(
        name,
        target_branch,
        url,
        f"refs/remotes/{name}/{target_branch}",
        set_upstream=not has_upstream and remote is None and branch is None,
    )


def _one(config: dict[str, list[str]], key: str) -> str | None:
    values = config.get(key)
    return values[-1] if values else None


def github_repo(url: str) -> tuple[str, str] | None:
    match = _GITHUB.match(url.strip())
    return (match["owner"], match["name"]) if match else None


def template_warning(repo: Repo, target: Target) -> str | None:
    """Why pushing to `target` looks like pushing personal pages to the academicpages template."""
    found = github_repo(target.url)
    if found is None:
        return None
    owner, name = found
    where = f"{target.remote} ({git.mask(target.url)})"
    if (owner.casefold(), name.casefold()) == TEMPLATE:
        return (
            f"{where} is the academicpages template itself, not your site; fork it (or "
            "create <you>.github.io from it) and push there"
        )
    if name.casefold() == f"{owner}.github.io".casefold():
        return None
    if name.casefold() == TEMPLATE[1] or _shares_template_history(repo):
        return (
            f"{where} is not a <name>.github.io site and carries the academicpages "
            "template's history; a pull request from it would offer your pages to the template"
        )
    return None


def _shares_template_history(repo: Repo) -> bool:
    template_remotes = [
        key.split(".")[1]
        for key, values in repo.config.items()
        if key.startswith("remote.")
        and key.endswith(".url")
        and any(github_repo(v) and _casefold(github_repo(v)) == TEMPLATE for v in values)
    ]
    if not template_remotes:
        return False
    ours = repo.git.root_commits("HEAD")
    return any(
        ours & repo.git.root_commits(ref)
        for name in template_remotes
        for ref in repo.git.remote_branch_refs(name)
    )


def _casefold(pair: tuple[str, str] | None) -> tuple[str, str] | None:
    return None if pair is None else (pair[0].casefold(), pair[1].casefold())


def pages_url(site: Site, target: Target) -> str | None:
    """Where GitHub Pages serves the site, when the remote is on GitHub."""
    found = github_repo(target.url)
    if found is None:
        return None
    url = str(site.config.get("url") or "").rstrip("/")
    if url:
        return url + "/" + str(site.config.get("baseurl") or "").strip("/")
    owner, name = found
    if name.casefold() == f"{owner}.github.io".casefold():
        return f"https://{owner.lower()}.github.io/"
    return f"https://{owner.lower()}.github.io/{name}/"


def remote_tip(repo: Repo, target: Target | None) -> str | None:
    """The remote branch's commit as we last heard from the remote (None: never fetched, or
    no target)."""
    return None if target is None else repo.git.rev(target.tracking)


def unpushed(repo: Repo, tip: str | None) -> int:
    """Commits on HEAD that the remote branch (at `tip`, None: no such branch) lacks."""
    return repo.git.count_between(tip, repo.head)


def unpushed_files(repo: Repo, tip: str) -> list[str]:
    """Site-relative paths changed by the commits the remote branch (at `tip`) lacks."""
    changed = repo.git.files_changed_between(tip, repo.head)
    return [path[len(repo.prefix) :] for path in changed if path.startswith(repo.prefix)]


class RemoteNews(NamedTuple):
    tip: str | None  # the remote branch's commit; None: the remote has no such branch
    behind: int  # commits the remote branch has that HEAD has not
    problem: str | None = None  # why the fetch failed: then tip and behind are as last heard
    moved: bool = False  # the fetch moved the remote-tracking ref


def fetch_remote(repo: Repo, target: Target) -> RemoteNews:
    """Ask the remote where its branch is now (a fetch: no local branch, index or work tree
    file changes; the remote-tracking ref may move)."""
    known = repo.git.rev(target.tracking)
    fetched = repo.git.fetch_branch(target.remote, target.branch, repo.config)
    if isinstance(fetched, git.PushResult):
        if fetched.status == "error" and "find remote ref" in fetched.reason:
            return RemoteNews(None, 0)
        return RemoteNews(known, _behind(repo, known), _fetch_problem(target, fetched))
    return RemoteNews(fetched, _behind(repo, fetched), None, repo.git.rev(target.tracking) != known)


def _behind(repo: Repo, tip: str | None) -> int:
    return 0 if tip is None else repo.git.count_between(repo.head, tip)


def _fetch_problem(target: Target, result: git.PushResult) -> str:
    where = f"{target.remote} ({git.mask(target.url)})"
    if result.status == "auth":
        return f"{where} refused: no valid credentials ({result.reason})"
    if result.status in ("unreachable", "timeout"):
        return f"could not reach {where}: {result.reason}"
    return f"fetching from {where} failed: {result.reason}"


# --- committing and pushing ---------------------------------------------------------------------


def require_identity(repo: Repo) -> None:
    problem = repo.git.identity_problem(repo.config)
    if problem is not None:
        raise GitError(
            "git does not know who you are, so it cannot commit; run "
            '`git config --global user.name "Your Name"` and '
            "`git config --global user.email you@example.com`"
        )


def commit(repo: Repo, changes: Sequence[Change], message: str) -> tuple[Repo, str]:
    """Commit exactly `changes`; on failure the index is as it was and no commit exists.
    Returns the repository at the new commit, and its short id."""
    new_files = [c.path for c in changes if c.untracked]
    repo.git.add_untracked(new_files)
    try:
        head, short_id = repo.git.commit_paths([c.path for c in changes], message)
    except GitError as exc:
        repo.git.forget_added(new_files)
        raise GitError(f"the commit failed, nothing was committed: {exc}") from None
    return repo._replace(head=head), short_id


class Pushed(NamedTuple):
    repo: Repo  # moved to the rebased commit when it rebased
    commits: int  # commits the remote branch gained (0: it was up to date)
    rebased: bool
    new_branch: bool


def push(repo: Repo, target: Target, rebase: bool, new_commit: bool) -> Pushed:
    """Push HEAD to the target, with --rebase replaying it onto a moved remote branch.

    Every failure raises GitError and leaves the commits where they were.
    """
    result = _push(repo, target)
    rebased = False
    if result.status == "non-fast-forward" and rebase:
        repo = rebase_onto_remote(repo, target, new_commit)
        rebased = True
        result = _push(repo, target)
    if result.status == "up-to-date":
        return Pushed(repo, 0, rebased, False)
    if result.status != "ok":
        raise GitError(push_failure(repo, target, result, new_commit))
    moved = re.fullmatch(r"\+?([0-9a-f]+)\.{2,3}([0-9a-f]+)", result.reason.strip())
    if moved is None:  # "[new branch]"
        return Pushed(repo, repo.git.count_between(None, repo.head), rebased, True)
    return Pushed(repo, repo.git.count_between(moved[1], moved[2]), rebased, False)


def _push(repo: Repo, target: Target) -> git.PushResult:
    return repo.git.push(
        target.remote, f"refs/heads/{repo.branch}", target.branch, target.set_upstream, repo.config
    )


def rebase_onto_remote(repo: Repo, target: Target, new_commit: bool) -> Repo:
    """Fetch the remote branch and replay HEAD's own commits on it, touching no user file."""
    kept = _kept(repo, new_commit)
    fetched = repo.git.fetch_branch(target.remote, target.branch, repo.config)
    if isinstance(fetched, git.PushResult):
        raise GitError(push_failure(repo, target, fetched, new_commit))
    new = repo.git.rebase_elsewhere(repo.head, fetched)
    if new is None:
        raise GitError(
            f"{target.remote}/{target.branch} changed the same lines as your commit, "
            f"so yours cannot be replayed on top; {kept}. Run `git pull --rebase`, "
            "resolve the conflict, then `pagemgr publish`"
        )
    problem = repo.git.move_worktree(repo.head, new)
    if problem is not None:
        raise GitError(
            f"the remote changed files you have uncommitted edits in ({problem}); "
            f"{kept}. Commit or stash those edits, then `pagemgr publish --rebase`"
        )
    try:
        repo.git.update_branch(
            repo.branch,
            new,
            repo.head,
            f"pagemgr publish: rebase onto {target.remote}/{target.branch}",
        )
    except GitError:
        repo.git.move_worktree(new, repo.head)
        raise
    return repo._replace(head=new)


def _kept(repo: Repo, new_commit: bool) -> str:
    short_id = repo.git.short(repo.head)
    if new_commit:
        return f"your commit {short_id} is kept"
    return f"your unpushed commits (up to {short_id}) are kept"


def push_failure(repo: Repo, target: Target, result: git.PushResult, new_commit: bool) -> str:
    """One line that says what went wrong, that nothing was lost, and what to do."""
    kept = _kept(repo, new_commit)
    where = f"{target.remote} ({git.mask(target.url)})"
    said = "; ".join(result.remote_lines)
    if result.status == "auth":
        return (
            f"{where} refused the push: no valid credentials ({result.reason}); {kept}. "
            "Give git a "
            "token: for GitHub create a personal access token and store it with a credential "
            "helper (`git config --global credential.helper store`, or `gh auth login`), or "
            "use an SSH remote; then run `pagemgr publish` again"
        )
    if result.status in ("unreachable", "timeout"):
        return (
            f"could not reach {where}: {result.reason}; {kept}. Run `pagemgr publish` again "
            "when it is reachable: it pushes commits that are not pushed yet"
        )
    if result.status == "non-fast-forward":
        return (
            f"{target.remote}/{target.branch} has commits you do not have (someone, or a "
            f"workflow such as the talk map, pushed since you last pulled); {kept}. Run "
            "`pagemgr publish --rebase` to replay it on top and push"
        )
    if result.status == "rejected":
        reason = f"{said} ({result.reason})" if said else result.reason
        return (
            f"{where} rejected the push to {target.branch}: {reason}; {kept}. If the branch "
            "is protected, push to another branch with --branch and open a pull request"
        )
    return f"pushing to {where} failed: {result.reason}{f' ({said})' if said else ''}; {kept}"


def commit_and_push(
    site: Site,
    repo: Repo,
    changes: Sequence[Change],
    message: str,
    target: Target | None,
    rebase: bool,
) -> Published:
    """The shared end of publish and --commit: commit `changes` if any, push if a target."""
    short_id = None
    subject = message.splitlines()[0] if message else ""
    if changes:
        require_identity(repo)
        repo, short_id = commit(repo, changes, message)
    if target is None:
        return Published(short_id, subject, tuple(changes), 0, None, None)
    pushed = push(repo, target, rebase, bool(changes))
    if pushed.rebased and short_id is not None:
        short_id = pushed.repo.git.short(pushed.repo.head)
    url = pages_url(site, target) if pushed.commits else None
    return Published(
        short_id,
        subject,
        tuple(changes),
        pushed.commits,
        target,
        url,
        pushed.rebased,
        pushed.new_branch,
    )


def check_template(repo: Repo, target: Target, yes: bool) -> None:
    warning = template_warning(repo, target)
    if warning is not None and not yes:
        raise GitError(f"{warning}; nothing was changed. To push there anyway, add --yes")


def commit_files(
    site: Site,
    paths: Sequence[Path],
    message: str,
    push: bool,
    *,
    yes: bool = False,
    rebase: bool = False,
) -> Published:
    """Commit exactly `paths` (files inside the site that a command just wrote) and maybe push.

    For `add --commit` and `set --commit`: no validation (the caller wrote valid files), the
    same safety as `publish` (the user's other changes and index untouched, hooks run once,
    nothing lost on failure). Files among `paths` that did not change are skipped; when none
    changed, nothing is committed. Raises GitError (exit 4) on any git failure.
    """
    rels = [site_rel(site, path) for path in paths]
    with opened(site) as repo:
        plan = plan_changes(site, repo, rels)
        target = push_target(repo, None, None) if push else None
        if target is not None:
            check_template(repo, target, yes)
        return commit_and_push(site, repo, plan.changes, message, target, rebase)


def site_rel(site: Site, path: Path) -> str:
    absolute = Path(os.path.realpath(path.absolute().parent)) / path.name
    try:
        return absolute.relative_to(os.path.realpath(site.root)).as_posix()
    except ValueError:
        raise UsageError(f"{path} is not inside the site at {site.root}") from None


def report(published: Published) -> list[str]:
    """What to tell the user after a successful commit and/or push."""
    lines = []
    if published.commit is not None:
        lines.append(f"Committed {published.commit} {published.subject}")
        marks = {"add": "A", "update": "M", "remove": "D"}
        lines.extend(f"  {marks[c.action]} {c.path}" for c in published.files)
    target = published.target
    if target is not None:
        where = f"{target.remote}/{target.branch} ({git.mask(target.url)})"
        if published.pushed:
            plural = "commit" if published.pushed == 1 else "commits"
            how = " after replaying it on the remote's new commits" if published.rebased else ""
            how += " (a new branch there)" if published.new_branch else ""
            lines.append(f"Pushed {published.pushed} {plural} to {where}{how}")
        else:
            lines.append(f"{where} is already up to date")
    if published.pages_url:
        lines.append(f"GitHub Pages will rebuild {published.pages_url} in a minute or two")
    return lines
