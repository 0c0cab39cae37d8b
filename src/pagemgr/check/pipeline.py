"""One check run: every file once (or from the cache), the site index, site-wide rules, settings.

Shared by `check`, the editing commands' validation gate and `publish`; it never prints.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Iterable, Mapping

from pagemgr.check import settings as settings_module
from pagemgr.check import site_rules
from pagemgr.check.checker import Checker
from pagemgr.check.engine.reading import Reading, result_of
from pagemgr.check.file_result import FileResult
from pagemgr.check.findings import CheckResult, Finding
from pagemgr.check.schemas import SchemaSet
from pagemgr.check.settings import Settings
from pagemgr.check.template_findings import Question, settle
from pagemgr.check.templates import TemplateFacts, Unreadable, site_templates
from pagemgr.site.model import Site, SiteFile


def schema_set(site: Site) -> SchemaSet:
    overrides = site.pagemgr_settings.get("schemas")
    return SchemaSet(site.root, overrides if isinstance(overrides, dict) else {})


def run_checks(
    site: Site,
    items: Iterable[SiteFile],
    settings: Settings | None = None,
    complete: bool = False,
    overlay: Mapping[str, str] | None = None,
    use_cache: bool = True,
    jobs: int = 0,
    site_wide: bool = True,
    named: Iterable[str] = (),
) -> CheckResult:
    """Check `items` with the whole site as context.

    Unless `complete` says `items` is the whole site, the other files are read for the site
    index only. `overlay` replaces the text of some files (an edit being validated); those are
    never taken from or put in the cache. `jobs` is the number of processes (0: as many as
    there are cores, when enough files need reading to pay for them). `named` are other
    site-relative paths the user asked about that Jekyll does not read (a file in a folder that
    is not a collection): site-wide findings about them are reported too.
    """
    settings = settings if settings is not None else settings_module.load(site)
    overlay = overlay or {}
    schemas = schema_set(site)
    reading = Reading(site, schemas, use_cache)
    checker = Checker(site, schemas, overlay)
    questions: list[Question] = []
    chosen: set[str] = set()
    everything: Iterable[SiteFile] = items
    if not complete:  # the selected files first, then the rest of the site as context
        selected = list(items)
        chosen = {item.rel for item in selected}
        everything = itertools.chain(
            selected, (item for item in site.files() if item.rel not in chosen)
        )
    about = frozenset(chosen.union(named))
    rules = site_rules.SiteRules(
        site, schemas, None if complete else about, site_wide, on_disk=not use_cache
    )
    try:
        result = CheckResult(
            root=site.root,
            builder=site.builder.builder,
            builder_reason=site.builder.reason,
        )
        for item, report, record in reading.results(
            checker, everything, overlay, jobs, encoded=not use_cache
        ):
            rules.add(item, report, record)
            if report is not None and (complete or item.rel in chosen):
                result.files_checked += 1
                result.findings.extend(report.findings)
                questions.extend(report.questions)
        if not overlay:
            reading.finish(whole_walk=True)
        cross = rules.findings()
        result.findings.extend(
            with_sources(site, [f for f in cross if complete or f.path in about])
        )
        facts = site_templates(site, use_cache)  # last: they may be worked out meanwhile
        result.templates_unreadable = templates_note(facts)
        result.findings.extend(settle(questions, facts))
        result.findings = settings.apply(result.findings, rules.index.suppressions)
    finally:
        rules.close()
    return result


def templates_note(facts: TemplateFacts | Unreadable) -> str | None:
    """Why missing-key, unknown-key and unlisted-category keep the schema's answers for this
    site, when its templates could not be read."""
    if isinstance(facts, Unreadable):
        return f"this site's templates could not be read ({facts.reason})"
    if isinstance(facts.publications, Unreadable):
        return f"the publications page could not be read ({facts.publications.reason})"
    return None


def with_sources(site: Site, findings: list[Finding]) -> list[Finding]:
    """Site-wide findings come from the index, not the text: give each the line it points at,
    reading only the files that have one."""
    lines: dict[str, list[str]] = {}
    out = []
    for finding in findings:
        if finding.path not in lines:
            try:
                text = (site.root / finding.path).read_text(encoding="utf-8", errors="replace")
            except OSError:
                text = ""
            lines[finding.path] = text.removeprefix("\ufeff").splitlines()
        source = lines[finding.path]
        line = source[finding.line - 1] if 0 < finding.line <= len(source) else ""
        out.append(dataclasses.replace(finding, source=line[:400]))
    return out


def check_edit(site: Site, item: SiteFile, text: str) -> tuple[list[Finding], list[Finding]]:
    """Every finding of the site before and after `item` takes `text`, in one pass over it:
    each other file is read (or taken from the cache) once and serves both sides."""
    settings = settings_module.load(site)
    schemas = schema_set(site)
    reading = Reading(site, schemas, use_cache=True)
    edited = result_of(Checker(site, schemas, {item.rel: text}), item)
    sides = (_Side(site, schemas), _Side(site, schemas))
    checker = Checker(site, schemas)
    try:
        for each, report, _ in reading.results(checker, site.files(), {}, 0):
            for side, version in zip(
                sides, (report, edited if each.rel == item.rel else report), strict=True
            ):
                side.add(each, version)
        reading.finish(whole_walk=False)
        facts = site_templates(site)
        before, after = (side.findings(settings, facts) for side in sides)
    finally:
        for side in sides:
            side.rules.close()
    return before, after


class _Side:
    """The site index and per-file findings of one version of the site."""

    def __init__(self, site: Site, schemas: SchemaSet) -> None:
        self.rules = site_rules.SiteRules(site, schemas, on_disk=False)  # the cache is on
        self.found: list[Finding] = []
        self.questions: list[Question] = []

    def add(self, item: SiteFile, report: FileResult | None) -> None:
        self.rules.add(item, report)
        if report is not None:
            self.found.extend(report.findings)
            self.questions.extend(report.questions)

    def findings(self, settings: Settings, facts: TemplateFacts | Unreadable) -> list[Finding]:
        everything = [*self.found, *settle(self.questions, facts), *self.rules.findings()]
        return settings.apply(everything, self.rules.index.suppressions)
