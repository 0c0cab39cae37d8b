from __future__ import annotations

from pagemgr.cli import main

if __name__ == "__main__":
    main()
