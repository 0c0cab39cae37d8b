"""pagemgr: validate, edit, add to and publish academicpages-style Jekyll sites."""

from __future__ import annotations

__version__ = "0.1.0"
