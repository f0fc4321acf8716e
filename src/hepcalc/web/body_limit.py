"""ASGI middleware that refuses request bodies above a size limit with HTTP 413.

It checks twice because a client may lie or stream: first the declared
Content-Length (refused before reading a byte), then the bytes actually
received (chunked uploads). The body is buffered up to the limit and replayed
to the application, so the routes never see a partial document.

A body that stalls (no bytes for ``timeout_s`` between two chunks) is
answered 408 and the connection closed: a client that opens connections and
trickles bodies must not hold the service's memory and sockets for minutes
(issue 16 measured 45 s+). A client that goes away before its body is complete
gets no answer (there is nobody to send it to); the request log records it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

Scope = dict[str, Any]
Message = dict[str, Any]


def _problem(limit: int) -> bytes:
    return json.dumps(
        {"detail": [{"field": "body", "problem": f"larger than the limit of {limit} bytes"}]}
    ).encode()


DEFAULT_TIMEOUT_S = 5.0


class BodyLimitMiddleware:
    def __init__(self, app: Any, max_body_bytes: int, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self.app = app
        self.limit = max_body_bytes
        self.timeout_s = timeout_s

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    await self._reject(send, 400, b'{"detail": "bad Content-Length"}')
                    return
                if declared > self.limit:
                    await self._reject(send, 413, _problem(self.limit))
                    return
        chunks: list[bytes] = []
        size = 0
        while True:
            try:
                message = await asyncio.wait_for(receive(), self.timeout_s)
            except TimeoutError:
                problem = f"no body bytes for {self.timeout_s:g} s; request dropped"
                body = json.dumps({"detail": [{"field": "body", "problem": problem}]})
                await self._reject(send, 408, body.encode())
                return
            if message["type"] != "http.request":
                return  # the client went away before sending its body: nobody to answer
            body = message.get("body", b"")
            size += len(body)
            if size > self.limit:
                await self._reject(send, 413, _problem(self.limit))
                return
            chunks.append(body)
            if not message.get("more_body", False):
                replay = [{"type": "http.request", "body": b"".join(chunks), "more_body": False}]
                break

        async def replay_receive() -> Message:
            if replay:
                return replay.pop(0)
            return await receive()

        await self.app(scope, replay_receive, send)

    @staticmethod
    async def _reject(send: Any, status: int, body: bytes) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                    (b"connection", b"close"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})
