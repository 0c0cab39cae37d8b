"""`pagemgr check`: validate the whole site, or some files with the whole site as context.

`check_change` is the baseline that `check --hook` (for a _config.yml change) and `publish`
share: a change is refused for the errors of the files it commits and for the errors it adds
elsewhere, never for errors that the site had before it.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from pagemgr.check import settings as settings_module
from pagemgr.check.findings import CheckResult, Finding
from pagemgr.check.pipeline import run_checks
from pagemgr.check.reporters import REPORTERS
from pagemgr.site.model import (
    CONFIG_NAME,
    Site,
    SiteFile,
    classify,
    files_in_site,
    find_site_root,
    hook_start,
    load_site,
)

EXIT_OK = 0
EXIT_FINDINGS = 1
GIT_TIMEOUT = 30.0  # seconds for the local `git` reads of the hook's baseline
_POSITION = re.compile(r"(\.\w+):\d+(?::\d+)?")  # "about.md:3:1" in a message

# A version of the site, as the paths whose text differs from the working tree:
# site-relative path -> its text (None: the file is not in that version).
Texts = Mapping[str, str | None]


class ChangeCheck(NamedTuple):
    result: CheckResult  # what refuses the change: findings of its files, errors it adds
    earlier: int  # errors elsewhere that the previous version has as well


def check(
    site_path: Path | None,
    paths: Sequence[Path],
    output_format: str = "text",
    strict: bool = False,
    color: bool = False,
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    use_cache: bool = True,
    hook: bool = False,
    jobs: int = 0,
    site_wide: bool = True,
) -> int:
    root = find_site_root(site_path, hook_start(paths) if hook else Path.cwd())
    site = load_site(root, cached=use_cache)
    if hook:
        paths = files_in_site(root, paths)
        if not paths:
            return EXIT_OK
    named = named_files(site, paths)
    if hook and CONFIG_NAME in named:  # the whole site may change: judged against HEAD
        options = RunOptions(select, ignore, use_cache, jobs, site_wide)
        checked = check_change(site, named, {}, lambda: head_texts(root, named), options)
        REPORTERS[output_format](checked.result, sys.stdout, color)
        if checked.earlier:
            print(f"pagemgr: {earlier_line(checked.earlier)}", file=sys.stderr)
        return exit_code(checked.result, strict)
    settings = settings_module.load(site, select, ignore)
    items = site.files_under(paths) if paths else site.files()
    result = run_checks(
        site,
        items,
        settings,
        complete=not paths,
        use_cache=use_cache,
        jobs=jobs,
        site_wide=site_wide,
        named=named,
    )
    REPORTERS[output_format](result, sys.stdout, color)
    return exit_code(result, strict)


def named_files(site: Site, paths: Sequence[Path]) -> list[str]:
    """Site-relative paths of the files named (folders are expanded by the walk instead)."""
    return [
        site.rel(Path(os.path.normpath(path.absolute())))
        for path in files_in_site(site.root, paths)
    ]


def exit_code(result: CheckResult, strict: bool) -> int:
    if result.errors or (strict and result.warnings):
        return EXIT_FINDINGS
    return EXIT_OK


# --- the baseline: what a change breaks, against the version before it --------------------------


class RunOptions(NamedTuple):
    select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    use_cache: bool = True
    jobs: int = 0
    site_wide: bool = True


DEFAULT_RUN = RunOptions()


def check_change(
    site: Site,
    changed: Collection[str],
    committed: Texts,
    previous: Callable[[], Texts | None],
    options: RunOptions = DEFAULT_RUN,
) -> ChangeCheck:
    """The findings that refuse committing `changed` (site-relative paths): every finding of
    those files in the committed version (the working tree with `committed` in place), and
    each error elsewhere that the previous version (`previous()`, on top of `committed`)
    does not have. The previous version is checked only when there are errors elsewhere;
    `previous()` None means there is none to compare with, and errors elsewhere are ignored."""
    changed = frozenset(changed)
    after = _run_version(site, committed, options)
    kept = [f for f in after.findings if f.path in changed]
    elsewhere = [f for f in after.findings if f.path not in changed and f.severity == "error"]
    earlier = 0
    before_texts = previous() if elsewhere else None
    if before_texts is not None:
        before = _run_version(site, {**committed, **before_texts}, options)
        added = _not_in(elsewhere, before.findings)
        kept.extend(added)
        earlier = len(elsewhere) - len(added)
    files = sum(1 for rel in changed if _checked_file(site, committed, rel))
    return ChangeCheck(CheckResult(files, kept, site.root), earlier)


def earlier_line(count: int) -> str:
    were = "error was" if count == 1 else "errors were"
    return (
        f"{count} {were} there before this change and "
        f"{'is' if count == 1 else 'are'} not in what you commit; `pagemgr check` lists "
        f"{'it' if count == 1 else 'them'}"
    )


def _run_version(site: Site, texts: Texts, options: RunOptions) -> CheckResult:
    config_text = texts.get(CONFIG_NAME)
    version = site if config_text is None else load_site(site.root, config_text=config_text)
    items = _version_files(version, texts)
    return run_checks(
        version,
        items,
        settings_module.load(version, options.select, options.ignore),
        complete=True,
        overlay={rel: text for rel, text in texts.items() if text is not None},
        use_cache=options.use_cache,
        jobs=options.jobs,
        site_wide=options.site_wide,
    )


def _version_files(version: Site, texts: Texts) -> Iterator[SiteFile]:
    """The files of the version, streamed: the walk must run inside the check run, where it
    reuses the cached folder listings."""
    listed = set()
    for item in version.files():
        if item.rel in texts:
            listed.add(item.rel)
            if texts[item.rel] is None:
                continue
        yield item
    for rel, text in texts.items():
        if text is not None and rel not in listed:
            missing = classify(version, rel)  # not on disk: removed by the change, or held back
            if missing is not None:
                yield missing


def _checked_file(site: Site, committed: Texts, rel: str) -> bool:
    item = classify(site, rel)
    present = committed[rel] is not None if rel in committed else (site.root / rel).exists()
    return item is not None and item.kind != "static" and present


def _not_in(findings: Iterable[Finding], before: Iterable[Finding]) -> list[Finding]:
    """The findings `before` has no match for; a match is the same file, rule and message,
    positions in the message aside (an edit moves lines)."""
    seen = Counter(_identity(f) for f in before)
    added = []
    for finding in findings:
        key = _identity(finding)
        if seen[key]:
            seen[key] -= 1
        else:
            added.append(finding)
    return added


def _identity(finding: Finding) -> tuple[str, str, str]:
    return finding.path, finding.rule, _POSITION.sub(r"\1", finding.message)


def head_texts(root: Path, rels: Sequence[str]) -> dict[str, str | None] | None:
    """HEAD's text of each of `rels` (site-relative; None: not in HEAD), read with plain git:
    the hook never imports GitPython. None when there is no repository or no commit yet."""
    located = _git(root, ["rev-parse", "--show-prefix", "HEAD"])
    if located is None:
        return None
    prefix = located.split(b"\n", 1)[0].decode("utf-8", "surrogateescape")
    wanted = [rel for rel in dict.fromkeys(rels) if "\n" not in rel]
    request = "".join(f"HEAD:{prefix}{rel}\n" for rel in wanted)
    answer = _git(root, ["cat-file", "--batch"], request.encode("utf-8", "surrogateescape"))
    if answer is None:
        return None
    texts: dict[str, str | None] = dict.fromkeys(rels)
    at = 0
    for rel in wanted:
        end = answer.index(b"\n", at)
        header, at = answer[at:end].split(b" "), end + 1
        if len(header) != 3 or not header[2].isdigit():
            continue  # "<name> missing": not in HEAD
        size = int(header[2])
        if header[1] == b"blob":
            texts[rel] = answer[at : at + size].decode("utf-8", "surrogateescape")
        at += size + 1
    return texts


def _git(root: Path, args: Sequence[str], stdin: bytes = b"") -> bytes | None:
    import subprocess  # here: a hook run that needs no baseline does not pay for the import

    try:
        done = subprocess.run(
            ["git", *args],
            cwd=root,
            input=stdin,
            capture_output=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None
