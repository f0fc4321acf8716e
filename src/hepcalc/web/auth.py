"""Bearer-JWT verification for CDS Hooks clients (CDS Hooks 2.0, "Trusting CDS Clients").

When enabled, every call under ``/cds-services`` (discovery included) must carry
``Authorization: Bearer <JWT>`` signed with an asymmetric key listed in the
configured JWKS file (keys are never fetched: no ``jku`` download), from an
allow-listed issuer, addressed to this service (``aud``), unexpired, with
``iat`` and ``jti``. ``alg: none`` and the symmetric HS* algorithms are refused
as the spec requires. Any failure is HTTP 401 with a generic reason; the token
itself is never logged or echoed.
"""

from __future__ import annotations

import json
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
    verifier.verify(request.headers.get("authorization"), str(request.url))
