"""Structured JSON request logs with request ids, and a last-resort error guard.

Privacy rule: a log line carries the method, the route TEMPLATE (``/report/{token}``,
never the concrete path), the status, the duration, the body size and the
request id. Never a body, a query string, a header value, an exception message
or a path parameter: any of those can hold report text or a patient identifier.
``tests/web/test_logging_privacy.py`` sends marked data and checks the log.
"""

from __future__ import annotations

import json
import logging
import sys
import time
import traceback
import uuid
from typing import Any

from hepcalc.regex_cache import re_compile

LOGGER_NAME = "hepcalc.web"
# Logged status of a request whose client went away before any answer (nginx's 499).
CLIENT_CLOSED = 499
# Exceptions that mean "the client went away", from Starlette (body read) and uvicorn
# (send after the connection closed): routine on a busy service, logged at info.
_DISCONNECT_ERRORS = frozenset({"ClientDisconnect", "ClientDisconnected"})
_SAFE_ID = re_compile(r"^[A-Za-z0-9._-]{1,64}$")


class JsonFormatter(logging.Formatter):
    """One JSON object per line; only the fields put in ``extra={"fields": ...}``."""

    def format(self, record: logging.LogRecord) -> str:
        out: dict[str, Any] = {
            "ts": round(record.created, 3),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        fields = getattr(record, "fields", None)
        if isinstance(fields, dict):
            out.update(fields)
        return json.dumps(out, sort_keys=True)


def configure_logging(level: str = "INFO") -> logging.Logger:
    """Send the service log to stderr as JSON lines (idempotent)."""
    logger = logging.getLogger(LOGGER_NAME)
    if not any(getattr(h, "_hepcalc", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(JsonFormatter())
        handler._hepcalc = True  # type: ignore[attr-defined]
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def _route_template(scope: dict[str, Any]) -> str:
    route = scope.get("route")
    path = getattr(route, "path_format", None) or getattr(route, "path", None)
    if isinstance(path, str):
        return path
    # unmatched (404) paths are caller-chosen text: do not log them
    return "<unmatched>"


def _where(exc: BaseException) -> str:
    """module:line of the innermost frame: enough to find the bug, no data."""
    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return "?"
    frame = tb[-1]
    return f"{frame.filename.rsplit('/', 1)[-1]}:{frame.lineno}"


class RequestLogMiddleware:
    """Outermost middleware: request id in and out, one log line, no 500 with a traceback."""

    def __init__(self, app: Any, logger: logging.Logger) -> None:
        self.app = app
        self.log = logger

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = None
        for name, value in scope.get("headers", []):
            if name == b"x-request-id":
                candidate = value.decode("latin-1")
                if _SAFE_ID.match(candidate):
                    request_id = candidate
        request_id = request_id or uuid.uuid4().hex
        scope.setdefault("state", {})["request_id"] = request_id
        started = time.perf_counter()
        status = {"code": 0, "sent": False}
        received = {"bytes": 0, "gone": False}

        async def counting_receive() -> dict[str, Any]:
            message = await receive()
            if message.get("type") == "http.request":
                received["bytes"] += len(message.get("body", b""))
            elif message.get("type") == "http.disconnect":
                received["gone"] = True
            return message

        async def send_with_id(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                status["sent"] = True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message = {**message, "headers": headers}
            await send(message)

        try:
            await self.app(scope, counting_receive, send_with_id)
        except Exception as exc:  # the guard: log type and place only
            if type(exc).__name__ in _DISCONNECT_ERRORS:
                received["gone"] = True
                return
            self.log.error(
                "unhandled_error",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "error": type(exc).__name__,
                        "where": _where(exc),
                        "route": _route_template(scope),
                    }
                },
            )
            if not status["sent"]:
                body = json.dumps({"detail": "internal error", "request_id": request_id}).encode()
                await send_with_id(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [
                            (b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                        ],
                    }
                )
                await send({"type": "http.response.body", "body": body})
        finally:
            gone = received["gone"] and not status["sent"]
            self.log.info(
                "client_disconnected" if gone else "request",
                extra={
                    "fields": {
                        "request_id": request_id,
                        "method": scope.get("method"),
                        "route": _route_template(scope),
                        "status": CLIENT_CLOSED if gone else status["code"] or 500,
                        "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                        "bytes_in": received["bytes"],
                    }
                },
            )
