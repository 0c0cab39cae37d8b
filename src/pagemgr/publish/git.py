"""The git layer: every git operation pagemgr performs, named by intent, on GitPython.

This is the only module that imports GitPython, and the only one that runs git. A repository
is opened with `repository(path)`, a context manager that closes it (and so ends GitPython's
`git cat-file` processes) when the command is done. Inside it:

* state (HEAD, branches, refs, remotes, commits between two refs, a file as committed) is read
  through GitPython's `Repo`;
* porcelain commands (status, add, commit, push, fetch, rebase, config) go through GitPython's
  command wrapper, one choke point (`Repository.run`) that never raises on its own: an exit
  status outside `ok` becomes a `GitError` with git's own reason;
* the environment is set explicitly. While a repository is open, the `GIT_*` variables that a
  surrounding hook leaks (`GIT_DIR`, `GIT_INDEX_FILE`, `GIT_WORK_TREE` and friends) are taken
  out of the process environment, and every git child gets the right `GIT_DIR` and
  `GIT_WORK_TREE` for this repository (and git's own default index), with prompts off
  (`GIT_TERMINAL_PROMPT=0`, an empty `GIT_ASKPASS`, ssh in batch mode, stdin closed) and
  `LC_ALL=C` so git's output parses the same everywhere;
* credentials are masked (`mask`) in every message built from git's output.

The configuration is read with `git config --list` rather than GitPython's reader, which does
not follow `GIT_CONFIG_GLOBAL`, `GIT_CONFIG_COUNT` or conditional includes: pagemgr must see
exactly the configuration git will use. `pagemgr check` and the hook never import this module.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, Literal, NamedTuple

from pagemgr.errors import GitError

try:  # GitPython refuses to import when git is missing; say so only when git is needed
    import git as gitpython
    from git.exc import BadName, GitCommandNotFound, InvalidGitRepositoryError, NoSuchPathError
except ImportError:  # pragma: no cover - exercised by the missing-git test in a subprocess
    gitpython = None  # type: ignore[assignment]

NETWORK_TIMEOUT = float(os.environ.get("PAGEMGR_GIT_TIMEOUT", "120"))
# Set in the environment of the `git commit` pagemgr runs; a hook that runs pagemgr again sees it.
COMMITTING_VAR = "PAGEMGR_COMMITTING"
NO_GIT = "git is not installed or not on PATH; install git and try again"

# GIT_* variables that describe the user's setup rather than a hook's repository, so they are kept.
_KEPT_GIT_VARS = frozenset(
    {
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_CONFIG_GLOBAL",
        "GIT_CONFIG_SYSTEM",
        "GIT_CONFIG_NOSYSTEM",
        "GIT_CONFIG_COUNT",
        "GIT_EXEC_PATH",
        "GIT_SSH",
        "GIT_SSH_COMMAND",
        "GIT_SSH_VARIANT",
        "GIT_SSL_CAINFO",
        "GIT_SSL_CAPATH",
        "GIT_SSL_NO_VERIFY",
        "GIT_PROXY_COMMAND",
        "GIT_HTTP_PROXY_AUTHMETHOD",
        "GIT_ALLOW_PROTOCOL",
        "GIT_PROTOCOL_FROM_USER",
        "GIT_TRACE",
        "GIT_TRACE_CURL",
        "GIT_TRACE_PACKET",
        "GIT_CURL_VERBOSE",
        "GIT_PYTHON_REFRESH",
        "GIT_PYTHON_GIT_EXECUTABLE",
    }
)
_QUIET = {
    "GIT_TERMINAL_PROMPT": "0",
    "GIT_ASKPASS": "",
    "GCM_INTERACTIVE": "never",
    "GIT_EDITOR": ":",
    "GIT_SEQUENCE_EDITOR": ":",
    "GIT_MERGE_AUTOEDIT": "no",
    "LC_ALL": "C",
    "LANGUAGE": "C",
}
_USERINFO = re.compile(r"(?i)\b([a-z][a-z0-9+.-]*://)[^/@\s]+@")
_AUTH_HEADER = re.compile(r"(?i)(authorization:\s*\w+\s+)\S+")
_TIMED_OUT = "Timeout:"  # how GitPython's command wrapper reports a command it had to kill

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


def _leaked(key: str) -> bool:
    """A variable a surrounding hook or git process leaves that must not reach pagemgr's git."""
    if key == "SSH_ASKPASS":
        return True
    return (
        key.startswith("GIT_")
        and key not in _KEPT_GIT_VARS
        and not key.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_VALUE_"))
    )


def clean_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for a git child: no hook leftovers, no prompts, stable output."""
    source = os.environ if environ is None else environ
    env = {key: value for key, value in source.items() if not _leaked(key)}
    env.update(_QUIET)
    return env


@contextlib.contextmanager
def _without_hook_leftovers() -> Iterator[None]:
    """Take the leaked variables out of this process's environment while git is in use.

    GitPython reads `GIT_WORK_TREE`, `GIT_COMMON_DIR` and `GIT_OBJECT_DIRECTORY` when it opens
    a repository, and starts every git child from a copy of `os.environ`, so they must be gone
    from it, not merely overridden; they are put back when the repository is closed.
    """
    taken = {key: os.environ.pop(key) for key in [k for k in os.environ if _leaked(k)]}
    try:
        yield
    finally:
        os.environ.update(taken)


def failure(ran: Ran) -> str:
    """One line: the command, its exit status and git's own reason."""
    return mask(f"`git {' '.join(ran.args[:2])}` failed (exit {ran.returncode}): {reason(ran)}")


def reason(ran: Ran) -> str:
    lines = [line.strip() for line in (ran.stderr or ran.stdout).splitlines() if line.strip()]
    key = [line for line in lines if line.startswith(("fatal:", "error:"))]
    chosen = (key or lines or ["no output"])[0]
    return mask(re.sub(r"^(fatal|error):\s*", "", chosen))


def inside_own_commit() -> bool:
    """True when this process was started by a hook of a commit pagemgr itself is making."""
    return os.environ.get(COMMITTING_VAR) == "1"


def operation_in_progress(git_dir: Path) -> OperationState | None:
    """A merge, rebase, cherry-pick, revert or bisect in progress, or another git's index lock."""
    markers: tuple[tuple[str, OperationState], ...] = (
        ("MERGE_HEAD", "merge"),
        ("rebase-merge", "rebase"),
        ("rebase-apply", "rebase"),
        ("CHERRY_PICK_HEAD", "cherry-pick"),
        ("REVERT_HEAD", "revert"),
        ("BISECT_LOG", "bisect"),
        ("index.lock", "locked"),
    )
    return next((state for name, state in markers if (git_dir / name).exists()), None)


# --- opening a repository ----------------------------------------------------------------------


@contextlib.contextmanager
def repository(path: Path) -> Iterator[Repository]:
    """The repository holding `path`, open until the block ends; GitError when there is none."""
    if gitpython is None:
        raise GitError(NO_GIT)
    with _without_hook_leftovers():
        try:
            opened = gitpython.Repo(path, search_parent_directories=True)
        except (InvalidGitRepositoryError, NoSuchPathError):
            raise GitError(
                f"{path} is not inside a git repository; clone your site's repository "
                "(or run `git init` and add a remote) and run pagemgr there"
            ) from None
        try:
            if opened.working_tree_dir is None:
                raise GitError(
                    f"{opened.git_dir} is a bare repository; publish from a clone "
                    "that has your site's files checked out"
                )
            yield Repository(opened)
        finally:
            opened.close()


class Repository:
    """One open repository: its state from GitPython's `Repo`, its commands through `run`."""

    def __init__(self, repo: Any) -> None:
        self._repo = repo
        self.root = Path(str(repo.working_tree_dir))
        self.git_dir = Path(str(repo.git_dir)).absolute()
        # GIT_INDEX_FILE stays unset: git's default is this repository's own index, and a set
        # value would follow git into the children it starts for other worktrees.
        repo.git.update_environment(
            **_QUIET, GIT_DIR=str(self.git_dir), GIT_WORK_TREE=str(self.root)
        )

    # --- the choke point ---------------------------------------------------------------------

    def run(
        self,
        *args: str,
        ok: Iterable[int] = (0,),
        stdin: str | None = None,
        timeout: float | None = None,
        env: Mapping[str, str] | None = None,
    ) -> Ran:
        """Run `git ARGS` here through GitPython's command wrapper; an exit status outside
        `ok` raises GitError. A command that outlives `timeout` is killed (TimeoutError)."""
        command = ["git", "--no-optional-locks", *args] if args[0] == "status" else ["git", *args]
        with _stdin(stdin) as source:
            try:
                status, out, err = self._repo.git.execute(
                    command,
                    istream=source,
                    with_extended_output=True,
                    with_exceptions=False,
                    kill_after_timeout=timeout,
                    env=dict(env) if env else None,
                    strip_newline_in_stdout=False,
                    stdout_as_string=True,
                )
            except GitCommandNotFound:
                raise GitError(NO_GIT) from None
        if timeout is not None and status != 0 and str(err).startswith(_TIMED_OUT):
            raise TimeoutError(str(err))
        ran = Ran(tuple(args), int(status), str(out), str(err) + ("\n" if err else ""))
        if ran.returncode not in tuple(ok):
            raise GitError(failure(ran))
        return ran

    # --- state ---------------------------------------------------------------------------------

    def head_commit(self) -> str | None:
        """The commit HEAD points at; None before the first commit."""
        head = self._repo.head
        return str(head.commit.hexsha) if head.is_valid() else None

    def current_branch(self) -> str | None:
        """The checked-out branch's short name; None when HEAD is detached."""
        return None if self._repo.head.is_detached else str(self._repo.active_branch.name)

    def rev(self, name: str) -> str | None:
        """The commit `name` names, or None when there is no such ref."""
        try:
            return str(self._repo.commit(name).hexsha)
        except (BadName, ValueError, OSError):
            return None

    def short(self, commit: str) -> str:
        return self.run("rev-parse", "--short", commit).stdout.strip()

    def count_between(self, base: str | None, head: str) -> int:
        """How many commits `head` has that `base` has not (all of head's when base is None)."""
        spec = head if base is None else f"{base}..{head}"
        return sum(1 for _ in self._repo.iter_commits(spec))

    def files_changed_between(self, base: str | None, head: str) -> list[str]:
        """Paths (from the repo root) changed by the commits in base..head, or all of head's
        files."""
        tip = self._repo.commit(head)
        if base is None:
            return sorted(str(item.path) for item in tip.tree.traverse() if item.type == "blob")
        changed: set[str] = set()
        for diff in self._repo.commit(base).diff(tip):
            changed.update(str(path) for path in (diff.a_path, diff.b_path) if path)
        return sorted(changed)

    def show_file(self, commit: str, path: str) -> str | None:
        """A file's text as committed in `commit`; None when it is not there."""
        try:
            blob = self._repo.commit(commit).tree / path
        except (KeyError, BadName, ValueError):
            return None
        data: bytes = blob.data_stream.read()
        return data.decode("utf-8", "surrogateescape")

    def root_commits(self, revision: str) -> set[str]:
        try:
            return {str(c.hexsha) for c in self._repo.iter_commits(revision, max_parents=0)}
        except (BadName, ValueError, gitpython.GitCommandError):
            return set()

    def remote_branch_refs(self, remote: str) -> list[str]:
        try:
            return [str(ref.path) for ref in self._repo.remote(remote).refs]
        except (ValueError, AssertionError):  # no such remote, or one without branches
            return []

    def subject(self, commit: str) -> str:
        return str(self._repo.commit(commit).summary)

    def read_config(self) -> dict[str, list[str]]:
        """All of the repository's effective configuration, keys lower-cased as git prints
        them."""
        values: dict[str, list[str]] = {}
        for item in self.run("config", "-z", "--list").stdout.split("\0"):
            if item:
                key, _, value = item.partition("\n")
                values.setdefault(key, []).append(value)
        return values

    def identity_problem(self, config: Mapping[str, list[str]]) -> str | None:
        """Why git cannot make a commit here (no user.name/user.email), or None."""
        if all(config.get(key, [""])[-1].strip() for key in ("user.name", "user.email")):
            return None
        for ident in ("GIT_AUTHOR_IDENT", "GIT_COMMITTER_IDENT"):
            ran = self.run("var", ident, ok=range(256))
            if ran.returncode != 0:
                return reason(ran)
        return None

    def status(self) -> list[StatusEntry]:
        """Every path whose index or working tree differs from HEAD, untracked files one by
        one."""
        ran = self.run("status", "--porcelain=v1", "-z", "--untracked-files=all", "--no-renames")
        return [StatusEntry(item[0], item[1], item[3:]) for item in ran.stdout.split("\0") if item]

    # --- changing the index and history ----------------------------------------------------------

    def add_untracked(self, paths: Sequence[str]) -> None:
        """Stage new files (only those), so a path-limited commit can include them."""
        if paths:
            self.run("add", "--pathspec-from-file=-", "--pathspec-file-nul", stdin=_literal(paths))

    def forget_added(self, paths: Sequence[str]) -> None:
        """Undo `add_untracked`: the files go back to untracked, their contents untouched."""
        if paths:
            self.run(
                "rm",
                "--cached",
                "-q",
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                stdin=_literal(paths),
                ok=range(256),
            )

    def commit_paths(self, paths: Sequence[str], message: str) -> tuple[str, str]:
        """Commit the working-tree state of exactly `paths`; whatever else is staged stays
        staged. Returns the new commit's id and its short form.

        This is `git commit --only PATHS`, so the user's hooks (pre-commit, commit-msg) run
        once, as for any commit they make. pagemgr marks the environment of that commit, and a
        hook that starts pagemgr again is refused instead of recursing (`inside_own_commit`).
        """
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", suffix=".txt", delete=False
        ) as handle:
            handle.write(message)
        try:
            self.run(
                "commit",
                "--only",
                "--quiet",
                "--cleanup=whitespace",
                "-F",
                handle.name,
                "--pathspec-from-file=-",
                "--pathspec-file-nul",
                stdin=_literal(paths),
                env={COMMITTING_VAR: "1"},
            )
        finally:
            os.unlink(handle.name)
        head = self.head_commit()
        assert head is not None
        return head, self.short(head)

    def update_branch(self, branch: str, new: str, old: str, why: str) -> None:
        """Move `branch` from `old` to `new`, failing if someone else moved it meanwhile."""
        self.run("update-ref", "-m", why, f"refs/heads/{branch}", new, old)

    def move_worktree(self, old: str, new: str) -> str | None:
        """Bring the index and working tree from commit `old` to `new` like `git checkout`.

        Local changes to files the two commits do not differ in are kept, staged or not.
        Returns git's reason when a local change would be overwritten; then nothing was touched.
        """
        ran = self.run("read-tree", "-m", "-u", old, new, ok=range(256))
        return None if ran.returncode == 0 else reason(ran)

    # --- remotes ---------------------------------------------------------------------------

    def _network_env(self, config: Mapping[str, list[str]]) -> dict[str, str]:
        custom_ssh = any(key in os.environ for key in ("GIT_SSH", "GIT_SSH_COMMAND"))
        if custom_ssh or "core.sshcommand" in config:
            return {}
        return {"GIT_SSH_COMMAND": "ssh -o BatchMode=yes"}

    def push(
        self,
        remote: str,
        commit: str,
        branch: str,
        set_upstream: bool,
        config: Mapping[str, list[str]],
    ) -> PushResult:
        """Push `commit` to `branch` on `remote`; every outcome comes back as data, never a
        prompt."""
        args = ["push", "--porcelain"] + (["--set-upstream"] if set_upstream else [])
        ran = self._over_network(config, *args, remote, f"{commit}:refs/heads/{branch}")
        return ran if isinstance(ran, PushResult) else read_push(ran)

    def fetch_branch(
        self, remote: str, branch: str, config: Mapping[str, list[str]]
    ) -> str | PushResult:
        """Fetch `branch` from `remote`; its tip commit, or why the fetch failed."""
        ran = self._over_network(
            config, "fetch", "--quiet", "--no-tags", remote, f"refs/heads/{branch}"
        )
        if isinstance(ran, PushResult):
            return ran
        if ran.returncode != 0:
            return PushResult(_connection_problem(ran.stderr), reason(ran))
        tip = self.rev("FETCH_HEAD")
        assert tip is not None
        return tip

    def _over_network(self, config: Mapping[str, list[str]], *args: str) -> Ran | PushResult:
        """A command that talks to a remote: whatever its exit status, or a timeout."""
        try:
            return self.run(
                *args, ok=range(-64, 256), timeout=NETWORK_TIMEOUT, env=self._network_env(config)
            )
        except TimeoutError:
            return _timed_out()

    def rebase_elsewhere(self, head: str, onto: str) -> str | None:
        """Replay head's commits that `onto` lacks on top of `onto`, in a scratch worktree.

        The user's working tree and index are never touched, so their unrelated changes cannot
        get in the way or be stashed and lost. Returns the new tip, or None when the commits do
        not apply cleanly (the scratch worktree is removed either way).
        """
        scratch = Path(tempfile.mkdtemp(prefix="pagemgr-rebase-"))
        try:
            self.run(
                "-c",
                "core.hooksPath=/dev/null",
                "worktree",
                "add",
                "--detach",
                "--quiet",
                str(scratch),
                head,
            )
            with repository(scratch) as elsewhere:
                ran = elsewhere.run(
                    "-c", "core.hooksPath=/dev/null", "rebase", "--quiet", onto, ok=range(256)
                )
                if ran.returncode != 0:
                    elsewhere.run("rebase", "--abort", ok=range(256))
                    return None
                return elsewhere.head_commit()
        finally:
            self.run("worktree", "remove", "--force", str(scratch), ok=range(256))
            shutil.rmtree(scratch, ignore_errors=True)
            self.run("worktree", "prune", ok=range(256))


def _literal(paths: Iterable[str]) -> str:
    """A NUL-separated pathspec list for `--pathspec-from-file`, each taken literally."""
    return "".join(f":(literal){path}\0" for path in paths)


@contextlib.contextmanager
def _stdin(text: str | None) -> Iterator[IO[bytes] | None]:
    """`text` as a file git reads on stdin; None gives git an empty stdin."""
    with tempfile.TemporaryFile() as handle:
        handle.write((text or "").encode("utf-8", "surrogateescape"))
        handle.seek(0)
        yield handle


def _timed_out() -> PushResult:
    return PushResult("timeout", f"no answer from the remote within {NETWORK_TIMEOUT:.0f} s")


def read_push(ran: Ran) -> PushResult:
    """Classify `git push --porcelain` output; a rejected push must never look like success."""
    remote_lines = tuple(
        mask(line[len("remote:") :].strip())
        for line in ran.stderr.splitlines()
        if line.startswith("remote:") and line[len("remote:") :].strip()
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
    "authentication failed",
    "could not read username",
    "could not read password",
    "terminal prompts disabled",
    "permission denied (publickey",
    "returned error: 401",
    "returned error: 403",
    "access denied",
    "invalid username or password",
    "permission to ",
    "write access to repository not granted",
)
_UNREACHABLE_SIGNS = (
    "could not resolve host",
    "connection refused",
    "failed to connect",
    "couldn't connect",
    "network is unreachable",
    "timed out",
    "no route to host",
    "does not appear to be a git",
    "no such repository",
    "repository not found",
    "not a git repository",
    "could not read from",
    "unable to access",
    "connection reset",
    "the remote end hung up",
)


def _connection_problem(stderr: str) -> PushStatus:
    text = stderr.lower()
    if any(sign in text for sign in _AUTH_SIGNS):
        return "auth"
    if any(sign in text for sign in _UNREACHABLE_SIGNS):
        return "unreachable"
    return "error"
