"""The baseline: what a change breaks, against the version of the site before it.

Shared by `check --hook` (for a _config.yml change) and `publish`: a change is refused for the
findings of the files it commits and for the errors it adds elsewhere, never for errors that
the site had before it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from typing import NamedTuple

from pagemgr.check import settings as settings_module
from pagemgr.check.findings import CheckResult, Finding, not_in
from pagemgr.check.pipeline import run_checks
from pagemgr.site.model import CONFIG_NAME, Site, SiteFile, classify, load_site

_POSITION = re.compile(r"(\.\w+):\d+(?::\d+)?")  # "about.md:3:1" in a message

# A version of the site, as the paths whose text differs from the working tree:
# site-relative path -> its text (None: the file is not in that version).
Texts = Mapping[str, str | None]


class ChangeCheck(NamedTuple):
    result: CheckResult  # what refuses the change: findings of its files, errors it adds
    earlier: int  # errors elsewhere that the previous version has as well


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
        added = not_in(elsewhere, before.findings, _identity)
        kept.extend(added)
        earlier = len(elsewhere) - len(added)
    files = sum(1 for rel in changed if _checked_file(site, committed, rel))
    # The notes (builder, unreadable templates) are those of the version committed.
    return ChangeCheck(dataclasses.replace(after, files_checked=files, findings=kept), earlier)


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


def _identity(finding: Finding) -> tuple[str, str, str]:
    return finding.path, finding.rule, _POSITION.sub(r"\1", finding.message)
