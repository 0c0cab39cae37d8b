"""The HTTP server: the standard library's, bound to 127.0.0.1, one lock around every change.

Each request passes the guard before anything else: the Host of the bound address, then (API)
the run's token, then (a change) a same-origin Origin and a JSON body. No CORS header is ever
sent, so no other origin can read an answer.
"""

from __future__ import annotations

import contextlib
import json
import socket
import threading
import traceback
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from pagemgr.errors import PagemgrError, UsageError
from pagemgr.serve import routes
from pagemgr.serve.security import TOKEN_HEADER, Guard, Refused

HOST = "127.0.0.1"
Action = Callable[[Path, dict[str, Any]], tuple[int, Any]]
MAX_BODY = 8 * 1024 * 1024
STATIC_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'none'"
    ),
}


@dataclass
class Running:
    url: str
    guard: Guard
    server: _Server
    loopback6: _Server | None = None  # the same port on ::1, where the machine has IPv6

    def serve_forever(self) -> None:
        """Serve until `stop` (or Ctrl-C in this thread); ::1 is served from a thread."""
        if self.loopback6 is not None:
            threading.Thread(target=self.loopback6.serve_forever, daemon=True).start()
        self.server.serve_forever()

    def stop(self) -> None:
        for server in (self.server, self.loopback6):
            if server is not None:
                server.shutdown()
                server.server_close()

    def close(self) -> None:
        for server in (self.server, self.loopback6):
            if server is not None:
                server.server_close()


def bind(site_root: Path, port: int = 0, actions: Mapping[str, Action] | None = None) -> Running:
    """A server for the site on 127.0.0.1:`port` (0: any free port) and, when it can, on ::1
    at the same port; not yet serving. `actions` are more POST routes, given by a higher layer
    (adding and publishing, from `commands`)."""
    try:
        server = _Server((HOST, port), _Handler)
    except OSError as exc:
        raise UsageError(f"cannot listen on {HOST}:{port}: {exc.strerror or exc}") from None
    guard = Guard(server.server_address[1])
    app = _App(site_root.resolve(), guard, dict(actions or {}))
    server.app = app
    loopback6 = _loopback6(guard.port)
    if loopback6 is not None:
        loopback6.app = app
    url = f"http://{HOST}:{guard.port}/?token={guard.token}"
    return Running(url, guard, server, loopback6)


def _loopback6(port: int) -> _Server | None:
    try:
        return _Server6(("::1", port), _Handler)
    except OSError:
        return None  # no IPv6 loopback here: 127.0.0.1 serves alone


@contextlib.contextmanager
def running(
    site_root: Path, port: int = 0, actions: Mapping[str, Action] | None = None
) -> Iterator[Running]:
    """The server serving in a thread, stopped on leaving (the tests' and benchmark's way)."""
    handle = bind(site_root, port, actions)
    thread = threading.Thread(target=handle.serve_forever, daemon=True)
    thread.start()
    try:
        yield handle
    finally:
        handle.stop()
        thread.join(timeout=5)


@dataclass
class _App:
    root: Path
    guard: Guard
    actions: dict[str, Action]
    lock: threading.Lock = field(default_factory=threading.Lock)


class _Server(ThreadingHTTPServer):
    app: _App
    daemon_threads = True


class _Server6(_Server):
    address_family = socket.AF_INET6


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "pagemgr"
    sys_version = ""

    @property
    def app(self) -> _App:
        return self.server.app

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows the address and errors, not every request

    def do_GET(self) -> None:
        self._answer(self._get)

    def do_POST(self) -> None:
        self._answer(self._post)

    def do_PUT(self) -> None:
        self._refuse_method()

    do_DELETE = do_PATCH = do_OPTIONS = do_PUT

    def _refuse_method(self) -> None:
        self._send(HTTPStatus.METHOD_NOT_ALLOWED, {"error": "method not allowed"})

    def _answer(self, handler: Callable[[], tuple[int, Any]]) -> None:
        try:
            self.app.guard.check_host(self.headers.get("Host"))
            status, payload = handler()
        except Refused as exc:
            status, payload = exc.status, {"error": str(exc)}
        except PagemgrError as exc:
            status, payload = 400, {"error": str(exc)}
        except Exception:  # one failed request must not stop the editor; the terminal shows it
            traceback.print_exc()
            status, payload = 500, {"error": "pagemgr failed on this request (see the terminal)"}
        self._send(status, payload)

    def _get(self) -> tuple[int, Any]:
        url = urlsplit(self.path)
        query = {key: values[-1] for key, values in parse_qs(url.query).items()}
        if url.path == "/":
            self.app.guard.check_token(query.get("token"))
            return 200, _static("index.html")
        if url.path.startswith("/static/"):
            return 200, _static(url.path.removeprefix("/static/"))
        self.app.guard.check_token(self.headers.get(TOKEN_HEADER))
        return routes.get(self.app.root, url.path, query)

    def _post(self) -> tuple[int, Any]:
        guard = self.app.guard
        guard.check_token(self.headers.get(TOKEN_HEADER))
        guard.check_origin(self.headers.get("Origin"), self.headers.get("Host"))
        if self.headers.get_content_type() != "application/json":
            raise Refused(415, "send JSON")
        request = self._json_body()
        path = urlsplit(self.path).path
        with self.app.lock:
            if path in self.app.actions:
                return self.app.actions[path](self.app.root, request)
            return routes.post(self.app.root, path, request)

    def _json_body(self) -> dict[str, Any]:
        try:
            length = int(self.headers.get("Content-Length") or 0)
        except ValueError:
            raise Refused(400, "a bad Content-Length") from None
        if not 0 <= length <= MAX_BODY:
            raise Refused(413, "request too large")
        try:
            request = json.loads(self.rfile.read(length) or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise Refused(400, "the request is not JSON") from None
        if not isinstance(request, dict):
            raise Refused(400, "the request is not a JSON object")
        return request

    def _send(self, status: int, payload: Any) -> None:
        if isinstance(payload, _Static):
            body, kind = payload.data, payload.kind
        else:
            body, kind = json.dumps(payload, ensure_ascii=False).encode(), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        for name, value in HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)


@dataclass(frozen=True)
class _Static:
    data: bytes
    kind: str


def _static(name: str) -> _Static:
    """One of the page's own files; nothing of the site is served this way."""
    folder = resources.files("pagemgr.serve") / "static"
    kind = STATIC_TYPES.get(Path(name).suffix)
    if kind is None or "/" in name or name.startswith("."):
        raise Refused(404, "no such file")
    try:
        return _Static((folder / name).read_bytes(), kind)
    except OSError:
        raise Refused(404, "no such file") from None
