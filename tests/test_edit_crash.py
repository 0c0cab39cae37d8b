"""Crash safety: a writer killed with SIGKILL at random moments leaves the old or the new bytes."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import make_site

CHILD = """
import sys
from pagemgr.cli import main
path = sys.argv[1]
i = 0
while True:
    value = "Alpha " * 400 if i % 2 else "Beta " * 300
    try:
        main(["set", path, "venue", value.strip(), "--force"], standalone_mode=False)
    except SystemExit:
        pass
    if i == 1:
        print("ready", flush=True)
    i += 1
"""


@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
def test_sigkill_leaves_old_or_new_content(tmp_path: Path) -> None:
    site = make_site(tmp_path)
    path = site / "_publications" / "2020-01-01-paper.md"
    original = path.read_bytes()
    states = {original}
    for word, count in (("Alpha", 400), ("Beta", 300)):
        value = (f"{word} " * count).strip()
        states.add(original.replace(b"venue: 'Journal 1'", f"venue: '{value}'".encode()))
    rng = random.Random(4)
    deadline = time.monotonic() + 15
    kills = 0
    while kills < 100 and time.monotonic() < deadline:
        child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(path)],
            cwd=site,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        )
        assert child.stdout is not None
        assert child.stdout.readline() == b"ready\n"
        for _ in range(5):
            time.sleep(rng.uniform(0, 0.03))
            assert path.read_bytes() in states
        child.send_signal(signal.SIGKILL)
        child.wait()
        kills += 1
        assert path.read_bytes() in states, f"torn write after {kills} kills"
    assert kills >= 10
