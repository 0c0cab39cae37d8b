"""Identity drift: a file's name, its date, its permalink and its folder disagree."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DocRecord
from pagemgr.check.index.site_index import post_date
from pagemgr.check.site_rules.context import Context, FamilyRules, config_finding, finding
from pagemgr.site import urls
from pagemgr.site.dates import filename_date
from pagemgr.site.model import CONFIG_NAME, SPECIAL_DIRS

# Labels of academicpages' collections, for "did you mean" on a misspelt folder.
KNOWN_LABELS = ("publications", "talks", "teaching", "portfolio", "posts", "drafts", "pages")
MIN_PATTERN_FILES = 3
_DATE_FOLDERS = re.compile(r"/(\d{4})/(\d{2})(/\d{2})?(?=/)")  # /2012/08/ or /2012/08/14/


class Rules(FamilyRules):
    def __init__(self, context: Context) -> None:
        super().__init__(context)
        # A collection's bad permalink pattern is a finding about _config.yml, from any record.
        self.every_record = context.wants(CONFIG_NAME)
        self.blamed: set[str] = set()  # collections whose permalink pattern is reported
        self.drifting: list[DocRecord] = []  # selected records whose permalink drifts

    def see(self, number: int, record: DocRecord, wanted: bool, found: list[Finding]) -> None:
        if wanted and record.has_front_matter:
            date = record.date
            if date is not None and not _named_after(record.stem, date.isoformat()):
                found.extend(_date(record))
            if record.collection_value not in (None, record.collection):
                found.extend(_collection_key(self.context, record))
        if wanted and record.collection == "posts":
            found.extend(_post_names(record))
        if record.url_error is not None:
            found.extend(self._bad_permalink(record, wanted))
        if (
            wanted
            and record.permalink
            and ":" not in record.permalink
            and record.collection not in ("pages", "drafts")
            and not _follows(record)
        ):
            self.drifting.append(record)

    def finish(self) -> Iterator[Finding]:
        counted: dict[str, tuple[int, int]] = {}
        for record in self.drifting:
            if record.collection not in counted:
                counted[record.collection] = _written_and_following(
                    self.context.store.records_of(record.collection)
                )
            yield from _permalink_drift(self.context, record, *counted[record.collection])
        yield from _undeclared(self.context)

    def _bad_permalink(self, record: DocRecord, wanted: bool) -> Iterator[Finding]:
        """A placeholder Jekyll does not know stops the build: in a document's own permalink,
        or once for the collection whose `permalink:` pattern in _config.yml names it."""
        if record.has("permalink"):
            if wanted:
                yield finding(
                    record.rel,
                    record.at("permalink"),
                    "bad-permalink",
                    f"{record.url_error}; the build stops",
                    _PLACEHOLDER_HINT,
                )
        elif record.collection not in self.blamed:
            self.blamed.add(record.collection)
            key = "permalink" if record.collection == "posts" else None
            path = ["permalink"] if key else ["collections", record.collection, "permalink"]
            yield config_finding(
                self.context,
                path,
                "bad-permalink",
                f"{record.url_error} (the pattern of _{record.collection}, used by "
                f"{record.rel} and others); the build stops",
                _PLACEHOLDER_HINT,
            )


_PLACEHOLDER_HINT = (
    "use Jekyll's placeholders: :collection, :path, :name, :title, :slug, :categories, :year, "
    ":month, :day, :output_ext (or write the URL out)"
)


def _date(record: DocRecord) -> Iterator[Finding]:
    if record.date is None or _named_after(record.stem, record.date.isoformat()):
        return
    named = filename_date(record.stem)
    if named is None or named == record.date:
        return
    yield finding(
        record.rel,
        record.at("date"),
        "date-mismatch",
        f"date: {record.date.isoformat()} differs from the date in the file name "
        f"({named.isoformat()}); Jekyll uses date:, so the file name misleads",
        f"make them agree: date: {named.isoformat()}, or rename the file",
    )


def _named_after(stem: str, day: str) -> bool:
    """Whether the file name starts with `day` (YYYY-MM-DD) as its date: the common case,
    answered without parsing."""
    return stem.startswith(day) and (len(stem) == len(day) or stem[len(day)] == "-")


def _collection_key(context: Context, record: DocRecord) -> Iterator[Finding]:
    value = record.collection_value
    if value is None or value == record.collection or record.collection in ("pages", "drafts"):
        return
    schema = context.schemas.schema_for(record.collection) or {}
    prop = schema.get("properties", {}).get("collection", {})
    if isinstance(prop, dict) and ("const" in prop or "enum" in prop):
        return  # the schema already reports it as bad-value
    yield finding(
        record.rel,
        record.at("collection"),
        "collection-mismatch",
        f"collection: {value} but the file is in the '{record.collection}' collection; "
        "Jekyll goes by the folder, so layouts testing page.collection see "
        f"'{record.collection}'",
        f"write `collection: {record.collection}` or move the file to _{value}/",
    )


def _post_names(record: DocRecord) -> Iterator[Finding]:
    if post_date(record.stem) is not None:
        return
    yield finding(
        record.rel,
        (1, 1),
        "post-filename",
        "this post's file name does not start with YYYY-MM-DD-, so Jekyll ignores it "
        "(no page, not in site.posts)",
        "rename it like 2024-01-31-" + record.stem + os.path.splitext(record.rel)[1],
    )


def _last_segment(permalink: str) -> str:
    if "#" in permalink or "?" in permalink:
        permalink = permalink.split("#", 1)[0].split("?", 1)[0]
    return permalink.rstrip("/").rpartition("/")[2].removesuffix(".html")


def _permalink_drift(
    context: Context, record: DocRecord, written: int, matching: int
) -> Iterator[Finding]:
    """`record`'s written-out permalink does not end in its file name: a finding when its
    last segment names another file of the collection, when most files follow their name, or
    when every other file that writes its permalink out does (academicpages' two teaching
    samples: the second one's permalink is the first one's pattern with the wrong number)."""
    most = written >= MIN_PATTERN_FILES and matching >= 2 and matching * 2 > written
    pattern = most or (matching >= 1 and matching == written - 1)
    assert record.permalink is not None
    last = _last_segment(record.permalink)
    copied = context.store.last_named(record.collection, last)
    if (copied is not None and copied.rel == record.rel) or (copied is None and not pattern):
        return
    origin = f"; it is the name of {copied.rel}, so it looks copied" if copied else ""
    yield finding(
        record.rel,
        record.at("permalink"),
        "permalink-drift",
        f"permalink ends in '{last}', not in this file's name '{record.stem}', while "
        f"{_following(matching, written, record.collection)}{origin}",
        f"permalink: {_own_permalink(record, record.permalink)}",
    )


def _following(matching: int, written: int, collection: str) -> str:
    if written == 2 and matching == 1:
        return f"the only other file in _{collection} follows its file name"
    return f"{matching} of {written} files in _{collection} follow their file name"


def _own_permalink(record: DocRecord, permalink: str) -> str:
    """`permalink` ending in the record's own name. Where folders spell a date (/2012/08/), they
    get the record's date and the name its slug, so the date is not written twice."""
    trailing = "/" if permalink.endswith("/") else ""
    head, _, last = permalink.rstrip("/").rpartition("/")
    dated = _DATE_FOLDERS.search(head + "/")
    date = record.date or post_date(record.stem)
    if dated is not None and date is not None:
        day = f"/{date.day:02}" if dated.group(3) else ""
        head = f"{head[: dated.start()]}/{date.year:04}/{date.month:02}{day}{head[dated.end() :]}"
    slugged = dated is not None or record.collection == "posts"
    name = urls.document_slug(record.stem) if slugged else record.stem
    return f"{head}/{name}{'.html' if last.endswith('.html') else ''}{trailing}"


def _written_and_following(records: Iterable[DocRecord]) -> tuple[int, int]:
    """How many of `records` write their permalink out, and how many of those end in their
    file's name."""
    written = following = 0
    for record in records:
        if record.permalink and ":" not in record.permalink:
            written += 1
            following += _follows(record)
    return written, following


def _follows(record: DocRecord) -> bool:
    last = _last_segment(record.permalink or "")
    return last == record.stem or last == urls.document_slug(record.stem)


def _undeclared(context: Context) -> Iterator[Finding]:
    site = context.site
    known = {c.folder for c in site.collections.values()}
    labels = [*dict.fromkeys([*site.collections, *KNOWN_LABELS])]
    included = {str(i).strip("/") for i in site.config.get("include") or [] if i}
    excluded = {str(i).strip("/") for i in site.config.get("exclude") or [] if i}
    base = str(site.config.get("collections_dir") or "").strip("/")
    parent = site.root / base if base else site.root
    try:
        entries = sorted(os.scandir(parent), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = f"{base}/{entry.name}" if base else entry.name
        if (
            not entry.name.startswith("_")
            or not entry.is_dir(follow_symlinks=False)
            or rel in known
            or entry.name in SPECIAL_DIRS
            or entry.name in included
            or entry.name in excluded
            or entry.name in ("_pages", "_sass")
        ):
            continue
        document = _first_document(entry.path, site.document_extensions)
        if document is None:
            continue
        import difflib  # only when there is something to suggest

        guess = difflib.get_close_matches(entry.name[1:], labels, n=1, cutoff=0.75)
        if guess and guess[0] == entry.name[1:]:
            guess = []
        hint = (
            f"did you mean _{guess[0]}? rename the folder"
            if guess
            else f"declare it in _config.yml: collections: {{{entry.name[1:]}: {{output: true}}}}"
        )
        yield finding(
            f"{rel}/{document}",
            (1, 1),
            "undeclared-collection",
            f"{rel}/ is not a collection in _config.yml, so Jekyll skips every file in it"
            + (f" (did you mean _{guess[0]}?)" if guess else ""),
            hint,
        )


def _first_document(folder: str, extensions: frozenset[str]) -> str | None:
    try:
        names = sorted(os.listdir(folder))
    except OSError:
        return None
    for name in names:
        if os.path.splitext(name)[1].lower() not in extensions:
            continue
        try:
            with open(os.path.join(folder, name), "rb") as handle:
                if handle.read(3) == b"---":
                    return name
        except OSError:
            continue
    return None
