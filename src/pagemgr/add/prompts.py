"""Questions for `pagemgr add`: written to stderr (or to the terminal itself when stderr is
redirected), answered on stdin, so a piped stdout never hides them and a closed stdin is an
error instead of a wait."""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from typing import TextIO, TypeVar

from pagemgr.errors import UsageError

T = TypeVar("T")


def stdin_is_terminal() -> bool:
    try:
        return sys.stdin is not None and sys.stdin.isatty()
    except (AttributeError, ValueError):  # closed or replaced by something without a tty
        return False


class Asker:
    def __init__(self, answers: TextIO, questions: TextIO) -> None:
        self.answers = answers
        self.questions = questions

    @classmethod
    def on_terminal(cls) -> Asker:
        return cls(sys.stdin, _question_stream())

    def say(self, text: str) -> None:
        self.questions.write(text + "\n")
        self.questions.flush()

    def ask(
        self,
        label: str,
        read: Callable[[str], T],
        *,
        default: str | None = None,
        optional: bool = False,
    ) -> T | None:
        """Ask until `read` accepts the answer (it raises UsageError to refuse one); an empty
        answer is `default`, or None when `optional`."""
        shown = f"{label} [{default}]: " if default else f"{label}: "
        while True:
            self.questions.write(shown)
            self.questions.flush()
            line = self.answers.readline()
            if not line:  # the answers ran out: a field that can wait is left out
                self.questions.write("\n")
                if optional:
                    return None
                raise UsageError(f"no answer for {label}: standard input ended")
            answer = line.strip() or (default or "")
            if not answer:
                if optional:
                    return None
                self.say(f"{label} cannot be empty")
                continue
            try:
                return read(answer)
            except UsageError as exc:
                self.say(f"error: {exc}")

    def choose(self, label: str, choices: Sequence[str], default: str | None) -> str:
        def read(answer: str) -> str:
            if answer in choices:
                return answer
            raise UsageError(f"{answer!r} is not one of: {', '.join(choices)}")

        chosen = self.ask(f"{label} ({', '.join(choices)})", read, default=default)
        assert chosen is not None  # not optional
        return chosen


def _question_stream() -> TextIO:
    if sys.stderr.isatty() or not stdin_is_terminal():
        return sys.stderr
    try:  # stderr goes to a file, but someone types the answers: ask them on their terminal
        return open("/dev/tty", "w", encoding="utf-8")  # open for the rest of the run
    except OSError:
        return sys.stderr
