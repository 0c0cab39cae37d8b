"""Benchmarks for pagemgr: a generated academicpages-style site, a libyaml floor, contenders.

Run from the repository root with ``python -m benchmarks`` (``--help`` lists the options).
This package imports nothing at start-up so that ``python -m benchmarks.floor`` stays cheap.
"""

from __future__ import annotations
