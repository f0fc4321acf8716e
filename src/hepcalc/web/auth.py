"""Bearer-JWT verification for CDS Hooks clients (CDS Hooks 2.0, "Trusting CDS Clients").

When enabled, every call under ``/cds-services`` (discovery included) must carry
``Authorization: Bearer <JWT>`` signed with an asymmetric key listed in the
configured JWKS file (keys are never fetched: no ``jku`` download), from an
allow-listed issuer, addressed to this service (``aud``), unexpired, with
``iat`` and ``jti``. ``alg: none`` and the symmetric HS* algorithms are refused
as the spec requires. Any failure is HTTP 401 with a generic reason; the token
itself is never logged or echoed.

Replay (issue 16): ``jti`` is the spec's nonce "used to protect against replay
attacks", so a token whose (``iss``, ``jti``) was already accepted is refused
until it expires. That only bounds memory if tokens are short-lived, as CDS
Hooks asks of clients: a token valid for more than ``MAX_LIFETIME_S`` (5 min,
plus the clock leeway) between ``iat`` and ``exp``, or issued in the future,
is refused. The replay memory is per worker process (docs/security.md).
"""

from __future__ import annotations

import heapq
import json
import threading
import time
from functools import cached_property
from typing import Any

import jwt
from fastapi import HTTPException, Request

from hepcalc.web.settings import CdsAuthSettings

ALLOWED_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
)
REQUIRED_CLAIMS = ("iss", "aud", "exp", "iat", "jti")
# Longest token lifetime (exp - iat) accepted: CDS Hooks asks for short-lived
# tokens; 5 minutes is the expert choice here (documented in docs/security.md).
MAX_LIFETIME_S = 300
# Bound on remembered jti values; at 500 calls/s and 5 min lifetimes about 150,000.
MAX_REMEMBERED = 200_000


class ReplayGuard:
    """The (iss, jti) pairs accepted and not yet expired; a second use is refused."""

    def __init__(self, max_items: int = MAX_REMEMBERED) -> None:
        self.max_items = max_items
        self._seen: dict[tuple[str, str], float] = {}
        self._by_expiry: list[tuple[float, tuple[str, str]]] = []
        self._lock = threading.Lock()

    def first_use(self, issuer: str, jti: str, forget_after: float) -> bool:
        """True the first time (and remember it until ``forget_after``), False on replay."""
        key = (issuer, jti)
        now = time.time()
        with self._lock:
            while self._by_expiry and (
                self._by_expiry[0][0] < now or len(self._by_expiry) >= self.max_items
            ):
                _, old = heapq.heappop(self._by_expiry)
                self._seen.pop(old, None)
            if key in self._seen:
                return False
            self._seen[key] = forget_after
            heapq.heappush(self._by_expiry, (forget_after, key))
            return True


class Unauthorized(HTTPException):
    def __init__(self, reason: str) -> None:
        super().__init__(
            status_code=401,
            detail=f"unauthorized: {reason}",
            headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
        )


class JwtVerifier:
    """Checks one bearer token against the configured issuers, keys and audience."""

    def __init__(self, settings: CdsAuthSettings) -> None:
        self.settings = settings
        self.replays = ReplayGuard()

    @cached_property
    def keys(self) -> dict[str, Any]:
        """kid -> key, read once from the JWKS file (restart to rotate keys)."""
        data = json.loads(self.settings.jwks_path.read_text(encoding="utf-8"))
        jwks = jwt.PyJWKSet.from_dict(data)
        out: dict[str, Any] = {}
        for key in jwks.keys:
            if key.key_id:
                out[key.key_id] = key
        return out

    def verify(self, authorization: str | None, endpoint_url: str) -> dict[str, Any]:
        """Return the verified claims or raise Unauthorized."""
        if not authorization or not authorization.lower().startswith("bearer "):
            raise Unauthorized("a bearer token is required")
        token = authorization[7:].strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("malformed token") from None
        alg = header.get("alg")
        if alg not in ALLOWED_ALGORITHMS:
            raise Unauthorized("signing algorithm not accepted (none and HS* are refused)")
        kid = header.get("kid")
        key = self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise Unauthorized("unknown key id")
        audiences = [self.settings.audience, self.settings.audience + _path_of(endpoint_url)]
        try:
            claims = jwt.decode(
                token,
                key=key,
                algorithms=[alg],
                audience=audiences,
                issuer=sorted(self.settings.issuers),
                leeway=self.settings.leeway_s,
                options={"require": list(REQUIRED_CLAIMS)},
            )
        except jwt.ExpiredSignatureError:
            raise Unauthorized("token expired") from None
        except jwt.InvalidAudienceError:
            raise Unauthorized("token not addressed to this service") from None
        except jwt.InvalidIssuerError:
            raise Unauthorized("issuer not allowed") from None
        except jwt.PyJWTError:
            raise Unauthorized("invalid token") from None
        return self._fresh(claims)

    def _fresh(self, claims: dict[str, Any]) -> dict[str, Any]:
        """Short-lived and never seen before, or Unauthorized."""
        leeway = self.settings.leeway_s
        exp, iat, jti = claims.get("exp"), claims.get("iat"), claims.get("jti")
        if not isinstance(exp, int | float) or not isinstance(iat, int | float):
            raise Unauthorized("invalid token")
        if iat > time.time() + leeway:
            raise Unauthorized("token issued in the future")
        if exp - iat > MAX_LIFETIME_S + leeway:
            raise Unauthorized(f"token lifetime above {MAX_LIFETIME_S} s; use short-lived tokens")
        if not isinstance(jti, str) or not jti:
            raise Unauthorized("invalid token")
        if not self.replays.first_use(str(claims.get("iss")), jti, float(exp) + leeway):
            raise Unauthorized("token already used (jti replay)")
        return claims


def _path_of(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).path


async def require_cds_client(request: Request) -> None:
    """FastAPI dependency: verify the bearer JWT when authentication is configured.

    ``async`` on purpose: FastAPI runs a plain ``def`` dependency in a worker
    thread, a hop that cost every CDS call more than the check itself (which is
    a few dict lookups, or one signature check, and never waits on I/O).
    """
    verifier: JwtVerifier | None = request.app.state.jwt_verifier
    if verifier is None:
        return
    request.state.cds_claims = verifier.verify(
        request.headers.get("authorization"), str(request.url)
    )
