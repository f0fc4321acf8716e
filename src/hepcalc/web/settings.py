"""Service configuration, read once from the environment (or the ``serve`` command line).

Everything a deployment may need to change lives here, with safe defaults:
no CORS origins (same-origin only), a 1 MB request body limit, CDS Hooks
authentication off (turn it on for any deployment an EHR calls).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

DEFAULT_MAX_BODY_BYTES = 1_000_000
ENV_PREFIX = "HEPCALC_"


class SettingsError(ValueError):
    """A configuration value is wrong; the service refuses to start."""


@dataclass(frozen=True)
class CdsAuthSettings:
    """Bearer-JWT checks for CDS Hooks calls (CDS Hooks 2.0, "Trusting CDS Clients").

    ``issuers``: allow-listed ``iss`` values. ``jwks_path``: a JWKS file with the
    clients' public keys (keys are never fetched from the network). ``audience``:
    the service base URL; a token's ``aud`` must be that URL or the exact
    endpoint URL under it.
    """

    issuers: frozenset[str]
    jwks_path: Path
    audience: str
    leeway_s: int = 10


@dataclass(frozen=True)
class ServiceSettings:
    max_body_bytes: int = DEFAULT_MAX_BODY_BYTES
    cors_origins: tuple[str, ...] = ()
    cds_auth: CdsAuthSettings | None = None
    # Base URL used in links inside CDS cards; derived from the request when unset.
    public_url: str | None = None
    report_ttl_s: int = 3600
    report_store_max: int = 2000
    log_level: str = "INFO"

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Read ``HEPCALC_*`` variables (documented in docs/service.md)."""
        env = os.environ if environ is None else environ

        def get(name: str) -> str | None:
            value = env.get(ENV_PREFIX + name)
            return value.strip() if value and value.strip() else None

        max_body = _positive_int(get("MAX_BODY_BYTES"), "HEPCALC_MAX_BODY_BYTES")
        origins = tuple(o.strip() for o in (get("CORS_ORIGINS") or "").split(",") if o.strip())
        auth = None
        issuers = get("CDS_ISSUERS")
        jwks = get("CDS_JWKS")
        audience = get("CDS_AUDIENCE")
        if issuers or jwks or audience:
            if not (issuers and jwks and audience):
                raise SettingsError(
                    "CDS Hooks authentication needs all of HEPCALC_CDS_ISSUERS, "
                    "HEPCALC_CDS_JWKS and HEPCALC_CDS_AUDIENCE"
                )
            path = Path(jwks)
            if not path.is_file():
                raise SettingsError(f"HEPCALC_CDS_JWKS: no such file {jwks}")
            auth = CdsAuthSettings(
                issuers=frozenset(i.strip() for i in issuers.split(",") if i.strip()),
                jwks_path=path,
                audience=audience.rstrip("/"),
            )
        ttl = _positive_int(get("REPORT_TTL_S"), "HEPCALC_REPORT_TTL_S")
        return cls(
            max_body_bytes=max_body or DEFAULT_MAX_BODY_BYTES,
            cors_origins=origins,
            cds_auth=auth,
            public_url=(get("PUBLIC_URL") or "").rstrip("/") or None,
            report_ttl_s=ttl or 3600,
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
        )


def _positive_int(value: str | None, name: str) -> int | None:
    if value is None:
        return None
    try:
        n = int(value)
    except ValueError:
        raise SettingsError(f"{name}: not an integer: {value!r}") from None
    if n <= 0:
        raise SettingsError(f"{name}: must be > 0")
    return n
