"""Mutated front matter never gives a traceback: the exit code is always 0, 1 or 2."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_site, run_cli

VALID = (
    '---\ntitle: "A Paper: the sequel"\ncollection: publications\ncategory: manuscripts\n'
    "permalink: /publication/2021-x\nexcerpt: 'It''s about # things'\ndate: 2021-05-01\n"
    "venue: 'Journal 1'\ntags: [a, b]\nauthors:\n  - name: A\n  - name: B\n"
    "paperurl: https://example.org/p.pdf # link\n---\nBody text.\n"
)
ALPHABET = st.sampled_from(list("-:#'\"[]{}&*!|>%@`\t\n \\,?~0123456789abcyYnN\u00e9\u4e2d\ufeff"))


@st.composite
def mutated(draw: st.DrawFn) -> str:
    text = VALID
    for _ in range(draw(st.integers(1, 6))):
        position = draw(st.integers(0, len(text)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate-line"]))
        if action == "insert":
            text = (
                text[:position] + draw(st.text(ALPHABET, min_size=1, max_size=4)) + text[position:]
            )
        elif action == "delete":
            text = text[:position] + text[position + draw(st.integers(1, 8)) :]
        elif action == "replace":
            text = text[:position] + draw(ALPHABET) + text[position + 1 :]
        else:
            lines = text.splitlines(keepends=True)
            index = draw(st.integers(0, max(0, len(lines) - 1)))
            text = "".join([*lines[: index + 1], *lines[index:]])
    return text


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(text=mutated())
def test_mutations_never_crash(tmp_path: Path, text: str) -> None:
    site = tmp_path / "site"
    if not site.exists():
        make_site(tmp_path)
    (site / "_publications" / "2021-x.md").write_text(text, encoding="utf-8")
    result = run_cli("check", "--site", site, "--format", "json")
    assert result.exit_code in (0, 1, 2)
    assert "Traceback" not in result.stderr
    if result.exit_code != 2:
        assert result.json()["summary"]["files"] == 5
