"""Security headers on every answer, errors and health checks included.

Why a middleware rather than per route: the probes of issue 16 found REST and
error answers without ``nosniff`` or ``no-store``. Answers here may carry
patient data (an assessment, an echoed field path), so no cache may keep them
(``Cache-Control: no-store``), no browser may guess a script out of JSON
(``X-Content-Type-Options: nosniff``), no site may frame them
(``X-Frame-Options: DENY``, CSP ``frame-ancestors 'none'``), and a click on a
link must not leak the URL (``Referrer-Policy: no-referrer``). A route that
sets its own value keeps it (the pages send a CSP with a per-response nonce).
"""

from __future__ import annotations

from typing import Any

# For answers that set no policy of their own: nothing may load, not even a script;
# inline styles and data: images are allowed for the HTML rendering of /v1/assess.
DEFAULT_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"cache-control", b"no-store"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"content-security-policy", DEFAULT_CSP.encode()),
)


class SecurityHeadersMiddleware:
    """Adds each of ``SECURITY_HEADERS`` that the answer does not already carry."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: dict[str, Any]) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(h for h in SECURITY_HEADERS if h[0] not in present)
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
