"""`pagemgr check`: validate the whole site, or some files with the whole site as context.

A hook run that commits `_config.yml` (the whole site may change) is judged against HEAD with
`check.baseline`, read with plain git: the hook never imports GitPython.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from pagemgr.check.templates import start_analysis
from pagemgr.site.model import (
    CONFIG_NAME,
    Site,
    files_in_site,
    find_site_root,
    hook_start,
    load_site,
)

if TYPE_CHECKING:
    from pagemgr.check.findings import CheckResult

EXIT_OK = 0
EXIT_FINDINGS = 1
GIT_TIMEOUT = 30.0  # seconds for the local `git` reads of the hook's baseline


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
    start_analysis(site, use_cache)  # the template facts, worked out while the files are checked
    # Imported only now, so that the analysis runs while they load.
    from pagemgr.check import settings as settings_module
    from pagemgr.check.baseline import RunOptions, check_change, earlier_line
    from pagemgr.check.pipeline import run_checks
    from pagemgr.check.reporters import REPORTERS

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
