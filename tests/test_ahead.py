"""Work done in a forked child while the run goes on: the value it gives, a child that fails or
is never asked, and the template facts of a cold check worked out that way."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import REPO
from pagemgr.check.engine import ahead

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")


def test_the_child_s_value_comes_back() -> None:
    started = ahead.start(lambda: {"pid": os.getpid(), "items": list(range(100_000))})
    assert started is not None
    value = started.result()
    assert value is not None
    assert value["pid"] != os.getpid()
    assert value["items"] == list(range(100_000))  # more than a pipe holds at once
    assert started.result() is None  # taken once


def test_a_child_that_fails_gives_none() -> None:
    def fails() -> int:
        raise RuntimeError("no")

    started = ahead.start(fails)
    assert started is not None
    assert started.result() is None


def test_a_child_never_asked_is_stopped_and_reaped() -> None:
    started = ahead.start(lambda: time.sleep(60))
    assert started is not None
    begun = time.monotonic()
    started.abandon()
    assert time.monotonic() - begun < 5
    with pytest.raises(ChildProcessError):
        os.waitpid(started.pid, os.WNOHANG)  # already reaped
    started.abandon()  # twice is harmless


_RUN = """
import io, json, sys
from contextlib import redirect_stdout
if sys.argv[2] == "no-fork":
    import pagemgr.check.engine.ahead as ahead
    ahead.can_fork = lambda: False
from pagemgr.cli import main
out = io.StringIO()
with redirect_stdout(out):
    try:
        main(["check", "--site", sys.argv[1], "--format", "json", "--no-cache"])
    except SystemExit:
        pass
print(json.dumps({"report": json.loads(out.getvalue()), "liquid": "liquid" in sys.modules}))
"""


def _check_in_a_fresh_process(site: Path, mode: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PAGEMGR_")}
    done = subprocess.run(
        [sys.executable, "-c", _RUN, str(site), mode],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def test_a_cold_check_reads_the_templates_in_a_child_and_reports_the_same(
    tmp_path: Path,
) -> None:
    site = tmp_path / "site"
    shutil.copytree(REPO / "site", site)
    ahead_run = _check_in_a_fresh_process(site, "fork")
    here = _check_in_a_fresh_process(site, "no-fork")
    assert ahead_run["liquid"] is False  # python-liquid was imported in the child only
    assert here["liquid"] is True
    assert ahead_run["report"] == here["report"]
    report = here["report"]
    assert isinstance(report, dict)
    assert "templates_unreadable" not in report  # the layouts were read, in either process
    assert any(f["rule"] == "missing-key" for f in report["findings"])
