"""Interactive `pagemgr add`: what is asked (required, then what the layouts show), where the
questions go (stderr, never a piped stdout), and that nothing is asked without a terminal."""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner

from conftest import REPO, make_site, run_cli
from pagemgr.cli import main
from pagemgr.site.document import parse_document
from pagemgr.yaml import yamlio

DATA = Path(__file__).with_name("data") / "bibtex"


def front(path: Path) -> dict[str, object]:
    data = yamlio.load(parse_document(path.read_text(encoding="utf-8")).front_matter).data
    assert isinstance(data, dict)
    return data


def answered(args: list[str], answers: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, args, input=answers, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def test_a_publication_asks_for_authors_link_and_excerpt(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, stdout, stderr = answered(
        ["add", "publication", "--site", str(site), "--prompt"],
        "Asked Paper\n2024-03-05\nJournal of Res.\nconferences\n"
        "Jane Doe; Roe, Richard\nhttps://example.org/p.pdf\nA short summary.\n",
    )
    assert code == 0, stderr
    assert stdout == "_publications/2024-03-05-asked-paper.md\n"  # the questions are not here
    for question in ("title: ", "date [", "venue: ", "category (", "authors: ", "paperurl: "):
        assert question in stderr
    data = front(site / "_publications" / "2024-03-05-asked-paper.md")
    assert data["paperurl"] == "https://example.org/p.pdf"
    assert data["excerpt"] == "A short summary."
    assert data["citation"] == (
        "Doe, Jane; Roe, Richard (2024). &quot;Asked Paper.&quot; <i>Journal of Res.</i>"
    )


def test_a_talk_asks_type_venue_and_location_and_an_empty_answer_skips(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, _, stderr = answered(
        ["add", "talk", "--site", str(site), "--prompt", "--title", "My Talk"],
        "2024-05-01\nInvited talk\nUCL\n\n",
    )
    assert code == 0, stderr
    assert "location: " in stderr and "(Enter skips it)" in stderr
    data = front(site / "_talks" / "2024-05-01-my-talk.md")
    assert (data["type"], data["venue"]) == ("Invited talk", "UCL")
    assert "location" not in data


def test_a_prompt_names_the_bibtex_entry_it_is_for(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    code, _, stderr = answered(
        [
            "add",
            "publication",
            "--site",
            str(site),
            "--prompt",
            "--bibtex",
            str(DATA / "mixed.bib"),
        ],
        "manuscripts\n",
    )
    assert code == 1  # mixed.bib has entries that cannot be added
    named = 'pagemgr: preprint2024 in mixed.bib: "A Preprint on arXiv"\n'
    assert named in stderr
    assert stderr.index(named) < stderr.index("category (manuscripts, conferences)")
    assert "authors: " not in stderr  # many entries: only what each one must have
    path = site / "_publications" / "2024-01-01-a-preprint-on-arxiv.md"
    assert front(path)["category"] == "manuscripts"


def test_nothing_is_asked_when_stdin_is_not_a_terminal(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    out, err = tmp_path / "out", tmp_path / "err"
    with out.open("wb") as stdout, err.open("wb") as stderr:
        proc = subprocess.Popen(
            [sys.executable, "-m", "pagemgr", "add", "talk", "--site", str(site), "--title", "T"],
            stdin=subprocess.PIPE,  # open, and never written: a question would wait forever
            stdout=stdout,
            stderr=stderr,
            cwd=REPO,
        )
        try:
            code = proc.wait(timeout=60)
        finally:
            proc.kill()
            assert proc.stdin is not None
            proc.stdin.close()
    assert code == 2
    assert err.read_text() == (
        "pagemgr: error: missing required field: --date (pass them, or run on a terminal to "
        "be asked)\n"
    )


def test_on_a_terminal_the_questions_show_while_stdout_is_piped(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    master, terminal = pty.openpty()
    proc = subprocess.Popen(
        [sys.executable, "-m", "pagemgr", "add", "talk", "--site", str(site), "--title", "T"],
        stdin=terminal,
        stdout=subprocess.PIPE,
        stderr=terminal,
        cwd=REPO,
        start_new_session=True,
    )
    os.close(terminal)
    os.write(master, b"2024-05-01\nTalk\nUCL\nLondon, UK\n")
    shown = b""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([master], [], [], 0.2)
        if ready:
            try:
                chunk = os.read(master, 4096)
            except OSError:  # the child is gone and the terminal with it
                break
            if not chunk:
                break
            shown += chunk
        elif proc.poll() is not None:
            break
    assert proc.stdout is not None
    stdout = proc.stdout.read().decode()
    assert proc.wait(timeout=60) == 0, shown.decode(errors="replace")
    os.close(master)
    text = shown.decode(errors="replace")
    for question in ("date [", "type: ", "venue: ", "location: "):
        assert question in text
    assert stdout == "_talks/2024-05-01-t.md\n"
    data = front(site / "_talks" / "2024-05-01-t.md")
    assert data["location"] == "London, UK"


def test_help_lists_required_fields_first(tmp_path: Path) -> None:
    help_text = run_cli("add", "publication", "--help").stdout
    positions = [help_text.index(f"  {flag} ") for flag in ("--title", "--date", "--venue")]
    positions.append(help_text.index("  --category "))
    positions.append(help_text.index("  --permalink "))
    assert positions == sorted(positions)
    assert help_text.count("[required]") == 3
    assert "[required when _config.yml has publication_category]" in " ".join(help_text.split())
    assert "--pagemgr-wrote" not in help_text  # the record is pagemgr's, not an option
