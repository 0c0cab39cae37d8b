"""A client for `pagemgr serve` in tests: any Host, Origin, token or body, raw answers."""

from __future__ import annotations

import http.client
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from pagemgr.commands.serve import actions
from pagemgr.serve import server


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Client:
    running: server.Running

    @property
    def port(self) -> int:
        return self.running.guard.port

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: bytes | None = None,
        headers: dict[str, str] | None = None,
        token: bool = True,
    ) -> Answer:
        sent = {"Host": f"127.0.0.1:{self.port}"}
        if token:
            sent["X-Pagemgr-Token"] = self.running.guard.token
        sent.update(headers or {})
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        try:
            connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            for name, value in sent.items():
                connection.putheader(name, value)
            if "Content-Length" not in sent:
                connection.putheader("Content-Length", str(len(body or b"")))
            connection.endheaders(body)
            response = connection.getresponse()
            return Answer(response.status, dict(response.getheaders()), response.read())
        finally:
            connection.close()

    def get(self, path: str, **kwargs: Any) -> Answer:
        return self.request("GET", path, **kwargs)

    def file(self, rel: str) -> Any:
        answer = self.get(f"/api/file?path={quote(rel)}")
        assert answer.status == 200, answer.body
        return answer.json()

    def post(self, path: str, payload: Any, headers: dict[str, str] | None = None) -> Answer:
        sent = {"Content-Type": "application/json", "Origin": self.origin, **(headers or {})}
        return self.request("POST", path, json.dumps(payload).encode(), sent)

    def save(self, rel: str, changes: dict[str, Any], **extra: Any) -> Answer:
        opened = self.file(rel)
        fields = {field["path"]: field for field in flatten(opened["fields"])}
        payload = {
            "path": rel,
            "version": opened["version"],
            "changes": [
                {
                    "path": path,
                    "widget": fields[path]["widget"] if path in fields else "text",
                    "value": value,
                }
                for path, value in changes.items()
            ],
            **extra,
        }
        return self.post("/api/save", payload)


def flatten(fields: list[Any]) -> Iterator[Any]:
    for field in fields:
        yield field
        yield from flatten(field.get("children", []))
        for item in field.get("items", []):
            yield from flatten(item)


@contextmanager
def serving(root: Path) -> Iterator[Client]:
    with server.running(root, actions=actions()) as running:
        yield Client(running)
