"""Broken links: navigation, file links in front matter, and links in page bodies."""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from urllib.parse import unquote, urljoin

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord, Link, NavItem
from pagemgr.check.index.site_index import local_target
from pagemgr.check.site_rules.context import Context, FamilyRules, finding
from pagemgr.site.urls import served_candidates

NAVIGATION = "_data/navigation.yml"
_EMAIL = re.compile(r"[^/@\s:]+@[^/@\s:]+\.[A-Za-z]{2,}\Z")
_HOST = re.compile(r"(?:[\w-]+\.)+[A-Za-z]{2,}/")  # example.org/paper.pdf, no scheme


class Rules(FamilyRules):
    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if wanted and record.links and record.dest is not None:
            self.context.store.add_links(number, record.links)

    def finish(self) -> Iterator[Finding]:
        yield from _navigation(self.context)
        record_number, record = 0, None
        for number, link in self.context.store.links():
            if number != record_number:  # links come grouped by record
                record_number, record = number, self.context.store.record(number)
            assert record is not None
            yield from _link(self.context, record, link)


def _strip_base(context: Context, url: str) -> str:
    base = str(context.site.config.get("baseurl") or "").rstrip("/")
    if base and (url == base or url.startswith(base + "/")):
        return url[len(base) :] or "/"
    return url


def _navigation(context: Context) -> Iterator[Finding]:
    for item in context.index.navigation or ():
        target = local_target(item.url)
        if target is None or "http" in item.url:
            continue
        url = _strip_base(context, target if target.startswith("/") else "/" + target)
        if context.resolves(url):
            continue
        hidden = _hidden_target(context, url)
        if hidden is not None:
            yield from _unpublished(item, hidden)
            continue
        yield finding(
            NAVIGATION,
            (item.line, item.column),
            "broken-nav-link",
            f"menu item '{item.title}' links to {item.url}, but no page, document, redirect or "
            "file of this site is published there",
            _nav_hint(context, url),
        )


def _hidden_target(context: Context, url: str) -> DocRecord | None:
    for candidate in served_candidates(url):
        record = context.store.first_hidden(candidate)
        if record is not None:
            return record
    return None


def _unpublished(item: NavItem, record: DocRecord) -> Iterator[Finding]:
    why = "has `published: false`" if record.hidden == "unpublished" else "is dated in the future"
    key = "published" if record.hidden == "unpublished" else "date"
    yield finding(
        NAVIGATION,
        (item.line, item.column),
        "unpublished-linked",
        f"menu item '{item.title}' links to {item.url}, which only {record.rel} would "
        f"produce, but it {why}, so the link is a 404",
        "publish that page, or remove the menu item",
    )
    yield finding(
        record.rel,
        record.at(key),
        "unpublished-linked",
        f"this page {why} but {NAVIGATION}:{item.line}:{item.column} links to it",
        "publish it, or remove the menu item",
    )


def _nav_hint(context: Context, url: str) -> str:
    trimmed = url.rstrip("/")
    for other in (trimmed + "/", trimmed, trimmed + ".html"):
        if other != url and context.resolves(other):
            return f"did you mean {other}?"
    return "fix the url, or add a page with that permalink"


def _link(context: Context, record: DocRecord, link: Link) -> Iterator[Finding]:
    target = link.target.split("#", 1)[0].split("?", 1)[0]
    if not target:
        return
    url = _strip_base(context, _join(record.url or "/", target))
    if context.resolves(url):
        return
    # The layouts write a front matter URL into href as it is: no plugin rewrites it.
    if not link.key and _source_link(context, record, target):
        return
    if not context.knows_folder(url):
        return  # a folder this checkout does not have (generated elsewhere, or not copied)
    if link.key:
        yield _file_link(context, record, link, target, url)
        return
    email = _EMAIL.match(target) and not target.startswith("/")
    hint = (
        f"write [text](mailto:{target}) for an e-mail address"
        if email
        else "fix the link, or add the page or file it points at"
    )
    yield finding(
        record.rel,
        (link.line, link.column),
        "broken-link",
        f"link to {link.target} leads to {url}, which this site does not have (a 404)",
        hint,
    )


def _file_link(context: Context, record: DocRecord, link: Link, target: str, url: str) -> Finding:
    """A paperurl, slidesurl or bibtexurl that leads to nothing: the browser resolves a relative
    one against the page's own URL, so `files/x.pdf` on /publication/foo/ is a 404."""
    if target.startswith("/"):
        message = f"{link.key} points at {link.target}, which this site does not contain"
        hint = "put the file under files/ (it is served as /files/NAME), or fix the path"
    else:
        message = (
            f"{link.key} is {link.target}, a URL relative to this page, so the link leads to "
            f"{url}, which this site does not contain"
        )
        hint = _relative_file_hint(context, link.key, target)
    return finding(record.rel, (link.line, link.column), "broken-file-link", message, hint)


def _relative_file_hint(context: Context, key: str, target: str) -> str:
    if _HOST.match(target):
        return f"write the whole address: `{key}: https://{target}`"
    rooted = "/" + posixpath.normpath(target).lstrip("./")
    if context.resolves(rooted):
        return f"start it at the site root: `{key}: {rooted}`"
    name = posixpath.basename(target)
    return f"put the file under files/ and write `{key}: /files/{name}`"


def _join(base: str, target: str) -> str:
    """urljoin, without its cost for the common site-relative link with no dot segments."""
    if target.startswith("/") and not target.startswith("//") and "/." not in target:
        return target
    return urljoin(base, target)


def _source_link(context: Context, record: DocRecord, target: str) -> bool:
    """A link to a source file (`other.md`), which GitHub Pages' relative-links plugin fixes."""
    if target.startswith("/"):
        path = target.lstrip("/")
    else:
        path = posixpath.normpath(posixpath.join(posixpath.dirname(record.rel), target))
    return context.index.has_source(unquote(path))
