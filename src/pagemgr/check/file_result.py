"""What checking one file leaves for the rest of the run: its findings and its index record.

The compact, immutable form of a checker's report: what the cache keeps, what a child process
sends back, and what the site-wide rules index.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pagemgr.check.findings import Finding
from pagemgr.check.index.records import DataFacts, DocRecord
from pagemgr.check.template_findings import Question
from pagemgr.site.model import pickled_as_tuple


class FileResult(NamedTuple):
    findings: tuple[Finding, ...]
    record: DocRecord | None
    suppressed: frozenset[str]
    facts: DataFacts | None
    questions: tuple[Question, ...] = ()  # findings the site's templates decide, at the end

    def __reduce__(self) -> tuple[Any, ...]:
        return pickled_as_tuple(self)
