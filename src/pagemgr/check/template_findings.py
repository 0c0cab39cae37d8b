"""The findings the site's own templates decide (issue 16): asked while a file is checked,
settled once per run.

Checking a file never reads the templates. Where a top-level key of a document is missing or
unknown, or a publication's category is not one the list shows, the checker writes a `Question`:
the finding the schema alone gives (`draft`: where it is, its words), and what the verdict
needs. `settle` answers every question of a run with the template facts (`templates.verdicts`),
so the per-file results, and the check cache that keeps them, do not depend on the templates,
and the facts can be worked out in another process while the files are checked.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any, Literal, NamedTuple

from pagemgr.check import schema_walk
from pagemgr.check.findings import Finding
from pagemgr.check.templates import HIDDEN, PublicationListing, TemplateFacts, Unreadable, verdicts
from pagemgr.site.model import pickled_as_tuple

Asked = Literal["missing-key", "unknown-key", "unlisted-category"]

OWN_KEY_UNREAD = "a key of your own is fine; no template of this site reads it, so it shows nowhere"
OWN_KEY = "a key of your own is fine; the site's layouts will ignore it unless they use it"


class Question(NamedTuple):
    """A finding whose severity and words the site's templates decide.

    `draft` is where it is and what the schema alone says: reported as it is where the
    templates cannot judge, unless `stands` is False (an unlisted category on a site without
    `publication_category`, a fault only when the site's own page hides the paper). `key` is
    the missing or unknown key, or the category (None: the paper has none); `example` the
    value a missing key's hint suggests; `known` the keys the schema knows."""

    asked: Asked
    draft: Finding
    stands: bool
    document: verdicts.Document
    key: str | None
    example: str = ""
    known: tuple[str, ...] = ()

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)


def settle(questions: Iterable[Question], facts: TemplateFacts | Unreadable) -> list[Finding]:
    """The findings the questions come to on this site."""
    judge = _Judge(facts)
    return [found for question in questions if (found := judge.answer(question)) is not None]


class _Judge:
    def __init__(self, facts: TemplateFacts | Unreadable) -> None:
        self.facts = facts
        self._keys_read: dict[str, tuple[str, ...]] = {}

    def answer(self, question: Question) -> Finding | None:
        facts = self.facts
        collection = question.document.collection
        if not isinstance(facts, TemplateFacts) or not verdicts.covers(facts, collection):
            return question.draft if question.stands else None
        if question.asked == "missing-key":
            return _missing_key(facts, question)
        if question.asked == "unknown-key":
            return self._unknown_key(facts, question)
        if isinstance(facts.publications, Unreadable):
            return question.draft if question.stands else None
        return _category(facts.publications, question)

    def _unknown_key(self, facts: TemplateFacts, question: Question) -> Finding | None:
        key, collection = str(question.key), question.document.collection
        if collection not in self._keys_read:
            self._keys_read[collection] = verdicts.keys_read(facts, collection)
        read = self._keys_read[collection]
        if key in read:
            return None  # a template of this site reads it
        return unknown_key_finding(question.draft, key, read, question.known, OWN_KEY_UNREAD)


def unknown_key_finding(
    draft: Finding,
    key: str,
    read: tuple[str, ...],
    known: tuple[str, ...],
    own: str,
    where: str = "",
) -> Finding:
    """The unknown-key finding at `draft`'s place: a guess among the keys the templates read,
    then among those the schema knows, else `own`."""
    guess = schema_walk.did_you_mean(key, read) or schema_walk.did_you_mean(key, known)
    message = f"unknown key '{key}'{where}" + (f" (did you mean '{guess}'?)" if guess else "")
    hint = f"did you mean '{guess}'?" if guess else own
    return dataclasses.replace(draft, message=message, hint=hint)


def missing_key_hint(key: str, example: str) -> str:
    return f"add `{key}: {example}`" if example else f"add `{key}:`"


def _missing_key(facts: TemplateFacts, question: Question) -> Finding | None:
    key = str(question.key)
    verdict = verdicts.missing_key(facts, question.document, key)
    if verdict is None:
        return None
    hint = f"{missing_key_hint(key, question.example)}; {verdict.explanation}"
    return dataclasses.replace(question.draft, hint=hint, severity=verdict.severity)


def _category(listing: PublicationListing | None, question: Question) -> Finding | None:
    """The category as the site's own publications page treats it (None: nothing to say)."""
    if not isinstance(listing, PublicationListing):
        return None
    category, configured = question.key, question.stands
    verdict = verdicts.category(listing, category, configured)
    if not configured and verdict.shown_under is not HIDDEN:
        return None  # without publication_category, only a page that hides it is a fault
    names = list(question.known) or verdicts.shown_categories(listing)
    if category is None:
        hint = f"add `category: {names[0]}` (one of: {', '.join(names)})" if names else ""
    else:
        listed = f"use one of: {', '.join(names)}" if names else ""
        added = f"add '{category}' to publication_category" if configured else ""
        hint = ", or ".join(part for part in (listed, added) if part)
    if category is None and verdict.shown_under is not HIDDEN:
        hint = hint and hint + " to list it under that category's heading"
    return dataclasses.replace(
        question.draft, severity=verdict.severity, message=verdict.message, hint=hint
    )
