"""Commit messages that say what changed: "Add publication: <title>", "Update navigation"."""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import Literal, NamedTuple

from pagemgr.site.document import parse_document
from pagemgr.site.model import Site, classify
from pagemgr.yaml import yamlio

Action = Literal["add", "update", "remove"]
VERBS: dict[Action, str] = {"add": "Add", "update": "Update", "remove": "Remove"}
PAST: dict[Action, str] = {"add": "added", "update": "updated", "remove": "removed"}
# collection label -> (one, many)
NOUNS = {
    "publications": ("publication", "publications"),
    "talks": ("talk", "talks"),
    "teaching": ("teaching entry", "teaching entries"),
    "portfolio": ("portfolio item", "portfolio items"),
    "posts": ("post", "posts"),
    "drafts": ("draft", "drafts"),
    "pages": ("page", "pages"),
}
THEME_NOUNS = {"_layouts": "layout", "_includes": "include", "_sass": "stylesheet"}
MAX_TITLE = 72


class Described(NamedTuple):
    """One changed file as the message sees it."""

    action: Action
    rel: str  # from the site root
    noun: tuple[str, str]  # (one, many)
    named: bool  # a single thing with its own name ("navigation"), never counted
    title: str | None


def describe(site: Site, action: Action, rel: str, text: str | None) -> Described:
    """What `rel` is, for a message; `text` is its content (the old content when removed)."""
    item = classify(site, rel)
    stem = posixpath.splitext(posixpath.basename(rel))[0]
    if item is not None and item.kind == "config":
        return Described(action, rel, ("site configuration", "site configuration"), True, None)
    if item is not None and item.kind == "data":
        name = "navigation" if stem == "navigation" else f"{stem} data"
        return Described(action, rel, (name, name), True, None)
    if item is not None and item.kind == "document" and item.collection is not None:
        label = item.collection
        noun = NOUNS.get(label, (label.removesuffix("s"), label))
        return Described(action, rel, noun, False, front_matter_title(text) or stem)
    theme = THEME_NOUNS.get(rel.split("/", 1)[0])
    if theme is not None:
        return Described(action, rel, (theme, theme + "s"), False, rel.split("/", 1)[-1])
    return Described(action, rel, ("file", "files"), False, rel)


def front_matter_title(text: str | None) -> str | None:
    if not text:
        return None
    document = parse_document(text)
    if not document.has_front_matter:
        return None
    try:
        data = yamlio.load(document.front_matter).data
    except yamlio.YamlSyntaxError:
        return None
    title = data.get("title") if isinstance(data, dict) else None
    if title is None or isinstance(title, dict | list):
        return None
    one_line = " ".join(str(title).split())
    return one_line if len(one_line) <= MAX_TITLE else one_line[: MAX_TITLE - 1] + "…"


def message_for(changes: Sequence[Described]) -> str:
    """The subject line, and for several files a body listing each one."""
    if len(changes) == 1:
        return subject_for_one(changes[0])
    clauses = []
    for action in ("add", "update", "remove"):
        group = [c for c in changes if c.action == action]
        if group:
            clauses.append(f"{VERBS[action]} {_and(_phrases(group))}")
    subject = "; ".join(clauses[:1] + [c[0].lower() + c[1:] for c in clauses[1:]])
    body = "\n".join(f"- {PAST[c.action]} {c.rel}" for c in changes)
    return f"{subject}\n\n{body}\n"


def subject_for_one(change: Described) -> str:
    verb, (one, _) = VERBS[change.action], change.noun
    if change.named or change.title is None:
        return f"{verb} {one}"
    return f"{verb} {one}: {change.title}"


def _phrases(group: Sequence[Described]) -> list[str]:
    phrases: list[str] = []
    counted: dict[tuple[str, str], int] = {}
    for change in group:
        if change.named:
            if change.noun[0] not in phrases:
                phrases.append(change.noun[0])
        else:
            counted[change.noun] = counted.get(change.noun, 0) + 1
    for (one, many), count in counted.items():
        phrases.append(f"{count} {one if count == 1 else many}")
    return phrases


def _and(phrases: Sequence[str]) -> str:
    return phrases[0] if len(phrases) == 1 else ", ".join(phrases[:-1]) + " and " + phrases[-1]
