"""Every git operation pagemgr performs: small functions named by intent, over one choke point.

This is the only module that runs git, and the only one allowed to import GitPython. It uses
neither GitPython's index API nor its `Git.execute`: the index API is ~11x slower in a 10,000-file
repository and reads the wrong index inside a hook; `execute` starts from a copy of `os.environ`
and so cannot drop a `GIT_DIR` or `GIT_INDEX_FILE` leaked by a surrounding hook; `import git`
costs ~60 ms. Each call here is one `git` subprocess through `_git`, with:

* the `GIT_*` variables a hook leaks removed (`clean_env`), so pagemgr works on the repository
  it was pointed at and its real index;
* no prompt that could hang: `GIT_TERMINAL_PROMPT=0`, an empty `GIT_ASKPASS` (which also
  overrides `core.askPass` and `SSH_ASKPASS`), ssh in batch mode, stdin closed;
* `LC_ALL=C` so git's output parses the same everywhere;
* credentials masked (`mask`) in every message built from git's output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Literal, NamedTuple

from pagemgr.errors import GitError

NETWORK_TIMEOUT = float(os.environ.get("PAGEMGR_GIT_TIMEOUT", "120"))
# Set in the environment of the `git commit` pagemgr runs; a hook that runs pagemgr again sees it.
COMMITTING_VAR = "PAGEMGR_COMMITTING"

# GIT_* variables that describe the user's setup rather than a hook's repository, so they are kept.
_KEPT_GIT_VARS = frozenset({
    "GIT_AUTHOR_NAME", "GIT_AUTHOR_EMAIL", "GIT_COMMITTER_NAME", "GIT_COMMITTER_EMAIL",
    "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CONFIG_COUNT",
    "GIT_EXEC_PATH", "GIT_SSH", "GIT_SSH_COMMAND", "GIT_SSH_VARIANT", "GIT_SSL_CAINFO",
    "GIT_SSL_CAPATH", "GIT_SSL_NO_VERIFY", "GIT_PROXY_COMMAND", "GIT_HTTP_PROXY_AUTHMETHOD",
    "GIT_ALLOW_PROTOCOL", "GIT_PROTOCOL_FROM_USER", "GIT_TRACE", "GIT_TRACE_CURL",
    "GIT_TRACE_PACKET", "GIT_CURL_VERBOSE",
})
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
_AUTH_HEADER = re.compile(r"(?i)(authorization:\s*\w+\s+)\S+")

OperationState = Literal["merge", "rebase", "cherry-pick", "revert", "bisect", "locked"]
PushStatus = Literal[
    "ok", "up-to-date", "non-fast-forward", "rejected", "auth", "unreachable", "timeout", "error"
]


class Ran(NamedTuple):
    args: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str


class StatusEntry(NamedTuple):
    x: str  # X of `git status --porcelain`: the index against HEAD ("?" when untracked)
    y: str  # Y: the working tree against the index
    path: str  # relative to the repository root, posix


class PushResult(NamedTuple):
    status: PushStatus
    reason: str  # git's or the remote's own words, masked, one line
    remote_lines: tuple[str, ...] = ()  # what the remote said ("remote: ..."), masked


def mask(text: str) -> str:
    """`text` with the user:token part of every URL, and any Authorization header, hidden."""
    return _AUTH_HEADER.sub(r"\1***", _USERINFO.sub(r"\1***@", text))


def clean_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a git child: no hook leftovers, no prompts, stable output."""
    source = os.environ if environ is None else environ
    env = {
        key: value for key, value in source.items()
        if not key.startswith("GIT_") or key in _KEPT_GIT_VARS
        or key.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    }
    env.pop("SSH_ASKPASS", None)
    env.update(
        GIT_TERMINAL_PROMPT="0", GIT_ASKPASS="", GCM_INTERACTIVE="never", GIT_EDITOR=":",
        GIT_SEQUENCE_EDITOR=":", GIT_MERGE_AUTOEDIT="no", LC_ALL="C", LANGUAGE="C",
    )
    return env


def _git(
    root: Path, *args: str, ok: Iterable[int] = (0,), stdin: str | None = None,
    timeout: float | None = None, env: Mapping[str, str] | None = None,
) -> Ran:
    """The one place pagemgr starts git; an exit status outside `ok` raises GitError."""
    command = ("git", "--no-optional-locks", *args) if args[0] == "status" else ("git", *args)
    try:
        done = subprocess.run(
            command, cwd=root, env=dict(env) if env is not None else clean_env(),
            input=(stdin or "").encode("utf-8", "surrogateescape"), capture_output=True,
            timeout=timeout, check=False,
        )
    except FileNotFoundError:
        raise GitError("git is not installed or not on PATH; install git and try again") from None
    ran = Ran(tuple(args), done.returncode,
              done.stdout.decode("utf-8", "surrogateescape"),
              done.stderr.decode("utf-8", "surrogateescape"))
    if ran.returncode not in tuple(ok):
        raise GitError(failure(ran))
    return ran


def failure(ran: Ran) -> str:
    """One line: the command, its exit status and git's own reason."""
    return mask(f"`git {' '.join(ran.args[:2])}` failed (exit {ran.returncode}): {reason(ran)}")


def reason(ran: Ran) -> str:
    lines = [line.strip() for line in (ran.stderr or ran.stdout).splitlines() if line.strip()]
    key = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = (key or lines or ["no output"])[0]
    return mask(re.sub(r"^(fatal|error):\s*", "", chosen))


def _literal(paths: Iterable[str]) -> str:
    """A NUL-separated pathspec list for `--pathspec-from-file`, each taken literally."""
    return "".join(f":(literal){path}\0" for path in paths)


# --- where we are ------------------------------------------------------------------------------


def locate_repo(path: Path) -> tuple[Path, Path]:
    """(work tree root, absolute git dir) of the repository holding `path`."""
    try:
        ran = _git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir")
    except GitError:
        raise GitError(
            f"{path} is not inside a git repository; clone your site's repository "
            "(or run `git init` and add a remote) and run pagemgr there"
        ) from None
    top, git_dir = ran.stdout.splitlines()[:2]
    return Path(top), Path(git_dir)


def where_am_i(path: Path) -> tuple[Path, Path, str | None, str | None]:
    """(work tree root, git dir, HEAD's commit, branch) in one call; commit None before the
    first commit, branch None when HEAD is detached."""
    ran = _git(path, "rev-parse", "--show-toplevel", "--absolute-git-dir", "HEAD",
               "--symbolic-full-name", "HEAD", ok=range(256))
    lines = ran.stdout.splitlines()
    if ran.returncode != 0 or len(lines) != 4:
        root, git_dir = locate_repo(path)
        return root, git_dir, head_commit(root), current_branch(root)
    top, git_folder, head, ref = lines
    branch = ref.removeprefix("refs/heads/") if ref.startswith("refs/heads/") else None
    return Path(top), Path(git_folder), head, branch


def head_commit(root: Path) -> str | None:
    """The commit HEAD points at; None before the first commit."""
    ran = _git(root, "rev-parse", "-q", "--verify", "HEAD^{commit}", ok=(0, 1))
    return ran.stdout.strip() or None


def current_branch(root: Path) -> str | None:
    """The checked-out branch's short name; None when HEAD is detached."""
    ran = _git(root, "symbolic-ref", "-q", "--short", "HEAD", ok=(0, 1))
    return ran.stdout.strip() or None


def operation_in_progress(git_dir: Path) -> OperationState | None:
    """A merge, rebase, cherry-pick, revert or bisect in progress, or another git's index lock."""
    markers: tuple[tuple[str, OperationState], ...] = (
        ("MERGE_HEAD", "merge"), ("rebase-merge", "rebase"), ("rebase-apply", "rebase"),
        ("CHERRY_PICK_HEAD", "cherry-pick"), ("REVERT_HEAD", "revert"),
        ("BISECT_LOG", "bisect"), ("index.lock", "locked"),
    )
    return next((state for name, state in markers if (git_dir / name).exists()), None)


def read_config(root: Path) -> dict[str, list[str]]:
    """All of the repository's effective configuration, keys lower-cased as git prints them."""
    values: dict[str, list[str]] = {}
    for item in _git(root, "config", "-z", "--list").stdout.split("\0"):
        if item:
            key, _, value = item.partition("\n")
            values.setdefault(key, []).append(value)
    return values


def identity_problem(root: Path, config: Mapping[str, list[str]]) -> str | None:
    """Why git cannot make a commit here (no user.name/user.email), or None."""
    if all(config.get(key, [""])[-1].strip() for key in ("user.name", "user.email")):
        return None
    for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
        ran = _git(root, "var", ident, ok=range(256))
        if ran.returncode != 0:
            return reason(ran)
    return None


def status(root: Path) -> list[StatusEntry]:
    """Every path whose index or working tree differs from HEAD, untracked files one by one."""
    ran = _git(root, "status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
    return [StatusEntry(item[0], item[1], item[3:]) for item in ran.stdout.split("\0") if item]


def rev(root: Path, name: str) -> str | None:
    """The commit `name` names, or None when there is no such ref."""
    ran = _git(root, "rev-parse", "-q", "--verify", f"{name}^{{commit}}", ok=(0, 1))
    return ran.stdout.strip() or None


def short(root: Path, commit: str) -> str:
    return _git(root, "rev-parse", "--short", commit).stdout.strip()


def count_between(root: Path, base: str | None, head: str) -> int:
    """How many commits `head` has that `base` has not (all of head's when base is None)."""
    spec = head if base is None else f"{base}..{head}"
    return int(_git(root, "rev-list", "--count", spec).stdout.strip() or 0)


def files_changed_between(root: Path, base: str | None, head: str) -> list[str]:
    """Paths (from the repo root) changed by the commits in base..head, or all of head's files."""
    if base is None:
        ran = _git(root, "ls-tree", "-r", "-z", "--name-only", head)
    else:
        ran = _git(root, "diff", "--name-only", "-z", "--no-renames", base, head)
    return [path for path in ran.stdout.split("\0") if path]


def show_file(root: Path, commit: str, path: str) -> str | None:
    """A file's text as committed in `commit`; None when it is not there."""
    ran = _git(root, "show", f"{commit}:{path}", ok=range(256))
    return ran.stdout if ran.returncode == 0 else None


def root_commits(root: Path, revision: str) -> set[str]:
    ran = _git(root, "rev-list", "--max-parents=0", revision, ok=range(256))
    return set(ran.stdout.split()) if ran.returncode == 0 else set()


def remote_branch_refs(root: Path, remote: str) -> list[str]:
    ran = _git(root, "for-each-ref", "--format=%(refname)", f"refs/remotes/{remote}/")
    return ran.stdout.split()


def subject(root: Path, commit: str) -> str:
    return _git(root, "log", "-1", "--format=%s", commit).stdout.strip()


# --- changing the index and history --------------------------------------------------------------


def add_untracked(root: Path, paths: Sequence[str]) -> None:
    """Stage new files (only those), so a path-limited commit can include them."""
    if paths:
        _git(root, "add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=_literal(paths))


def forget_added(root: Path, paths: Sequence[str]) -> None:
    """Undo `add_untracked`: the files go back to untracked, their contents untouched."""
    if paths:
        _git(root, "rm", "--cached", "-q", "--pathspec-from-file=-", "--pathspec-file-nul",
             stdin=_literal(paths), ok=range(256))


def commit_paths(root: Path, paths: Sequence[str], message: str) -> tuple[str, str]:
    """Commit the working-tree state of exactly `paths`; whatever else is staged stays staged.
    Returns the new commit's id and its short form.

    This is `git commit --only PATHS`, so the user's hooks (pre-commit, commit-msg) run once, as
    for any commit they make. pagemgr marks the environment of that commit, and a hook that
    starts pagemgr again is refused instead of recursing (see `inside_own_commit`).
    """
    env = clean_env()
    env[COMMITTING_VAR] = "1"
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as fh:
        fh.write(message)
    try:
        _git(root, "commit", "--only", "--quiet", "--cleanup=whitespace", "-F", fh.name,
             "--pathspec-from-file=-", "--pathspec-file-nul", stdin=_literal(paths), env=env)
    finally:
        os.unlink(fh.name)
    ran = _git(root, "rev-parse", "HEAD", "--short", "HEAD")
    head, short_id = ran.stdout.split()
    return head, short_id


def inside_own_commit() -> bool:
    """True when this process was started by a hook of a commit pagemgr itself is making."""
    return os.environ.get(COMMITTING_VAR) == "1"


def update_branch(root: Path, branch: str, new: str, old: str, why: str) -> None:
    """Move `branch` from `old` to `new`, failing if someone else moved it meanwhile."""
    _git(root, "update-ref", "-m", why, f"refs/heads/{branch}", new, old)


def move_worktree(root: Path, old: str, new: str) -> str | None:
    """Bring the index and working tree from commit `old` to `new` like `git checkout` would.

    Local changes to files the two commits do not differ in are kept, staged or not. Returns
    git's reason when a local change would be overwritten; then nothing was touched.
    """
    ran = _git(root, "read-tree", "-m", "-u", old, new, ok=range(256))
    return None if ran.returncode == 0 else reason(ran)


# --- remotes ------------------------------------------------------------------------------------


def _network_env(config: Mapping[str, list[str]]) -> dict[str, str]:
    env = clean_env()
    custom_ssh = "GIT_SSH" in env or "GIT_SSH_COMMAND" in env or "core.sshcommand" in config
    if not custom_ssh:
        env["GIT_SSH_COMMAND"] = "ssh -o BatchMode=yes"
    return env


def push(
    root: Path, remote: str, commit: str, branch: str, set_upstream: bool,
    config: Mapping[str, list[str]],
) -> PushResult:
    """Push `commit` to `branch` on `remote`; every outcome comes back as data, never a prompt."""
    args = ["push", "--porcelain"] + (["--set-upstream"] if set_upstream else [])
    try:
        ran = _git(root, *args, remote, f"{commit}:refs/heads/{branch}", ok=range(256),
                   timeout=NETWORK_TIMEOUT, env=_network_env(config))
    except subprocess.TimeoutExpired:
        return PushResult("timeout", f"no answer from the remote within {NETWORK_TIMEOUT:.0f} s")
    return read_push(ran)


def read_push(ran: Ran) -> PushResult:
    """Classify `git push --porcelain` output; a rejected push must never look like success."""
    remote_lines = tuple(
        mask(line[len("remote:"):].strip()) for line in ran.stderr.splitlines()
        if line.startswith("remote:") and line[len("remote:"):].strip()
    )
    for line in ran.stdout.splitlines():
        parts = line.split("\t")
        if len(parts) != 3 or len(parts[0]) != 1:
            continue
        flag, summary = parts[0], parts[2]
        if flag == "=":
            return PushResult("up-to-date", summary)
        if flag != "!":
            return PushResult("ok", summary)
        if "fetch first" in summary or "non-fast-forward" in summary:
            return PushResult("non-fast-forward", mask(summary), remote_lines)
        why = summary.replace("[remote rejected]", "").replace("[rejected]", "").strip(" ()")
        return PushResult("rejected", mask(why), remote_lines)
    if ran.returncode == 0:
        return PushResult("ok", "")
    return PushResult(_connection_problem(ran.stderr), reason(ran), remote_lines)


_AUTH_SIGNS = (
    "authentication failed", "could not read username", "could not read password",
    "terminal prompts disabled", "permission denied (publickey", "returned error: 401",
    "returned error: 403", "access denied", "invalid username or password",
    "permission to ", "write access to repository not granted",
)
_UNREACHABLE_SIGNS = (
    "could not resolve host", "connection refused", "failed to connect", "couldn't connect",
    "network is unreachable", "timed out", "no route to host", "does not appear to be a git",
    "no such repository", "repository not found", "not a git repository", "could not read from",
    "unable to access", "connection reset", "the remote end hung up",
)


def _connection_problem(stderr: str) -> PushStatus:
    text = stderr.lower()
    if any(sign in text for sign in _AUTH_SIGNS):
        return "auth"
    if any(sign in text for sign in _UNREACHABLE_SIGNS):
        return "unreachable"
    return "error"


def fetch_branch(
    root: Path, remote: str, branch: str, config: Mapping[str, list[str]]
) -> str | PushResult:
    """Fetch `branch` from `remote`; its tip commit, or why the fetch failed (as a PushResult)."""
    try:
        ran = _git(root, "fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}",
                   ok=range(256), timeout=NETWORK_TIMEOUT, env=_network_env(config))
    except subprocess.TimeoutExpired:
        return PushResult("timeout", f"no answer from the remote within {NETWORK_TIMEOUT:.0f} s")
    if ran.returncode != 0:
        return PushResult(_connection_problem(ran.stderr), reason(ran))
    tip = rev(root, "FETCH_HEAD")
    assert tip is not None
    return tip


def rebase_elsewhere(root: Path, head: str, onto: str) -> str | None:
    """Replay head's commits that `onto` lacks on top of `onto`, in a scratch worktree.

    The user's working tree and index are never touched, so their unrelated changes cannot get
    in the way or be stashed and lost. Returns the new tip, or None when the commits do not
    apply cleanly (the scratch worktree is removed either way).
    """
    scratch = Path(tempfile.mkdtemp(prefix="pagemgr-rebase-"))
    try:
        _git(root, "-c", "core.hooksPath=/dev/null", "worktree", "add", "--detach", "--quiet",
             str(scratch), head)
        ran = _git(scratch, "-c", "core.hooksPath=/dev/null", "rebase", "--quiet", onto,
                   ok=range(256))
        if ran.returncode != 0:
            _git(scratch, "rebase", "--abort", ok=range(256))
            return None
        new = head_commit(scratch)
        return new
    finally:
        _git(root, "worktree", "remove", "--force", str(scratch), ok=range(256))
        shutil.rmtree(scratch, ignore_errors=True)
        _git(root, "worktree", "prune", ok=range(256))
