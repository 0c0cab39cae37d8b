"""GET with a timeout, bounded retries that honour Retry-After, and an on-disk cache."""

from __future__ import annotations

import contextlib
import email.utils
import hashlib
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from pagemgr import __version__
from pagemgr.errors import PagemgrError

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_ATTEMPTS = 3
MAX_WAIT = 20.0  # seconds: a longer Retry-After is an error, not a hang
USER_AGENT = f"pagemgr/{__version__} (https://github.com/academicpages; mailto:pagemgr@invalid)"


class FetchError(PagemgrError):
    """A metadata service could not be reached or did not answer usefully."""


class NotFound(FetchError):
    """The service answered 404."""


@dataclass(frozen=True)
class Fetcher:
    timeout: float = 10.0
    use_cache: bool = True
    attempts: int = MAX_ATTEMPTS
    user_agent: str = USER_AGENT
    keep: bool = True  # store answers in the cache (False: an answer that is stale tomorrow)

    def get(self, url: str, what: str) -> bytes:
        """The body of a 200 answer for `url`; `what` names the thing in error messages."""
        cached = cache_path(url)
        if self.use_cache and cached.is_file():
            try:
                return cached.read_bytes()
            except OSError:
                pass
        body = self._fetch(url, what)
        if self.keep:
            _store(cached, body)
        return body

    def _fetch(self, url: str, what: str) -> bytes:
        host = urllib.parse.urlparse(url).netloc or url
        last = ""
        for attempt in range(1, self.attempts + 1):
            request = urllib.request.Request(
                url, headers={"User-Agent": self.user_agent, "Accept": "application/json, */*"}
            )
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    body: bytes = response.read()
                    return body
            except urllib.error.HTTPError as exc:
                if exc.code == 404:
                    raise NotFound(f"{host} does not know {what} (404)") from None
                if exc.code not in RETRY_STATUSES:
                    raise FetchError(
                        f"{host} refused the request for {what}: HTTP {exc.code}"
                    ) from None
                wait = retry_after(exc.headers.get("Retry-After"), attempt)
                last = f"HTTP {exc.code}"
                if wait > MAX_WAIT:
                    raise FetchError(
                        f"{host} asks to wait {wait:.0f}s before asking again about "
                        f"{what} ({last}); try later"
                    ) from None
            except (TimeoutError, OSError) as exc:  # URLError is an OSError
                reason = getattr(exc, "reason", exc)
                if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
                    last = f"no answer within {self.timeout:g}s"
                else:
                    last = str(reason)
                    if attempt == 1 and _offline(reason):
                        raise FetchError(
                            f"cannot reach {host} for {what} ({last}); are you "
                            "offline? Try again later, or use --bibtex"
                        ) from None
                wait = retry_after(None, attempt)
            if attempt < self.attempts:
                time.sleep(wait)
        raise FetchError(
            f"{host} did not answer about {what} after {self.attempts} tries "
            f"({last}); try again later"
        )


def _offline(reason: object) -> bool:
    text = str(reason).lower()
    return any(
        word in text
        for word in (
            "name or service",
            "nodename",
            "getaddrinfo",
            "network is unreachable",
            "connection refused",
            "temporary failure in name resolution",
        )
    )


def base_url(variable: str, default: str, given: str | None = None) -> str:
    """A service's API address: `given` (an option), else the environment `variable` (tests and
    mirrors), else `default`; without a trailing slash."""
    return (given or os.environ.get(variable) or default).rstrip("/")


def retry_after(header: str | None, attempt: int) -> float:
    """Seconds to wait: the server's Retry-After (seconds or an HTTP date), else backoff."""
    if header:
        value = header.strip()
        if value.isdigit():
            return float(value)
        try:
            parsed = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            parsed = None
        if parsed is not None:
            return max(0.0, float(parsed.timestamp()) - time.time())
    return 0.5 * 2.0 ** (attempt - 1)


def polite_agent(mailto: str) -> str:
    """The User-Agent the APIs ask for: who is asking, and a `mailto:` to reach them."""
    return USER_AGENT.replace("mailto:pagemgr@invalid", f"mailto:{mailto}")


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "pagemgr" / "http"


def cache_path(url: str) -> Path:
    return cache_dir() / (hashlib.sha256(url.encode("utf-8")).hexdigest() + ".body")


def _store(path: Path, body: bytes) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp = path.with_suffix(f".{os.getpid()}.tmp")
        temp.write_bytes(body)
        os.replace(temp, path)
    except OSError:
        pass  # a cache that cannot be written only costs a request next time


def forget(url: str) -> None:
    """Drop a cached answer that turned out unusable (e.g. malformed)."""
    with contextlib.suppress(OSError):
        cache_path(url).unlink()


def load_json(body: bytes, url: str, what: str) -> object:
    try:
        return json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        forget(url)
        host = urllib.parse.urlparse(url).netloc
        raise FetchError(f"{host} sent an answer about {what} that is not valid JSON") from None
