"""What every request must pass: the Host of the bound address, the run's token, a same-origin
Origin on anything that changes state, and paths that stay inside the site."""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from pagemgr.errors import PagemgrError

NEVER_SERVED = frozenset({"_site", ".git", ".jekyll-cache", ".sass-cache"})
TOKEN_HEADER = "X-Pagemgr-Token"
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "[::1]")


class Refused(PagemgrError):
    """A request the guard turns away; `status` is the HTTP answer."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def new_token() -> str:
    return secrets.token_urlsafe(24)


@dataclass(frozen=True)
class Guard:
    port: int
    token: str = field(default_factory=new_token)

    @property
    def allowed_hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in LOOPBACK_NAMES)

    def check_host(self, host: str | None) -> None:
        """A page from another name resolving to 127.0.0.1 (DNS rebinding) sends its own Host."""
        if host not in self.allowed_hosts:
            raise Refused(421, "this server answers only to its own address")

    def check_token(self, offered: str | None) -> None:
        if offered is None or not hmac.compare_digest(offered.encode(), self.token.encode()):
            raise Refused(403, "missing or wrong token: open the address pagemgr serve printed")

    def check_origin(self, origin: str | None, host: str | None) -> None:
        if origin is None or host is None or origin != f"http://{host}":
            raise Refused(403, "a change must come from this page (same origin)")


def resolve_inside(root: Path, rel: str) -> tuple[Path, str]:
    """The file `rel` names, inside `root` and not under a folder never served; its posix rel."""
    if not rel or "\\" in rel or "\0" in rel:
        raise Refused(400, "no such file in the site")
    pure = PurePosixPath(rel)
    if pure.is_absolute() or any(part in ("..", ".", "") for part in pure.parts):
        raise Refused(403, f"{rel}: not a path inside the site")
    if pure.parts[0] in NEVER_SERVED or ".git" in pure.parts:
        raise Refused(403, f"{rel}: never served")
    real_root = root.resolve()
    path = (real_root / pure).resolve()
    try:
        path.relative_to(real_root)
    except ValueError:
        raise Refused(403, f"{rel}: leads out of the site") from None
    inner = path.relative_to(real_root).parts
    if inner and (inner[0] in NEVER_SERVED or ".git" in inner):
        raise Refused(403, f"{rel}: never served")
    return path, pure.as_posix()
