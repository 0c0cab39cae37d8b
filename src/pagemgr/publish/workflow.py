"""The GitHub Actions workflow that checks a site on every push and pull request."""

from __future__ import annotations

from pagemgr.publish.provenance import Source

WORKFLOW_PATH = ".github/workflows/pagemgr.yml"

_TEMPLATE = """\
# Checks the site's front matter and data files with pagemgr on every push and pull request.
# Findings appear inline on pull requests; the SARIF upload feeds code scanning where enabled.
name: pagemgr

on:
  push:
  pull_request:

permissions:
  contents: read
  security-events: write

jobs:
  check:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - name: Install pagemgr
        # pagemgr at a pinned tag or commit; `pagemgr init-ci --rev TAG --force` moves the pin.
        run: python -m pip install {install}
      - name: Check the site
        run: pagemgr check --site {site} --format github
      - name: Write SARIF
        if: always()
        run: pagemgr check --site {site} --format sarif > pagemgr.sarif || true
      - name: Upload to code scanning
        if: always()
        continue-on-error: true
        uses: github/codeql-action/upload-sarif@v3
        with:
          sarif_file: pagemgr.sarif
"""


def render_workflow(site: str, source: Source) -> str:
    """The workflow for a site at `site` (relative to the repository root), installing `source`."""
    return _TEMPLATE.format(site=_shell_word(site or "."), install=_shell_word(source.requirement))


def _shell_word(text: str) -> str:
    if text and all(c.isalnum() or c in "-_./:@+=[]," for c in text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"
