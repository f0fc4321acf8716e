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
DEFAULT_WORK_THREADS = 4
DEFAULT_WORK_QUEUE = 64
DEFAULT_REQUEST_BUDGET_S = 15.0
DEFAULT_REGISTRY_BUDGET_S = 300.0
DEFAULT_BODY_TIMEOUT_S = 5.0
DEFAULT_REPORTS_PER_CLIENT = 200
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
    # Host names (Host header) that card links may be built from when public_url
    # is unset. Empty: links use http://127.0.0.1:<port> only for a loopback
    # Host, never a caller-chosen name (issue 16: spoofed Host in card links).
    allowed_hosts: tuple[str, ...] = ()
    # The worker pool for the CPU work of requests (web/work_pool.py).
    work_threads: int = DEFAULT_WORK_THREADS
    work_queue: int = DEFAULT_WORK_QUEUE
    request_budget_s: float = DEFAULT_REQUEST_BUDGET_S
    registry_budget_s: float = DEFAULT_REGISTRY_BUDGET_S
    # A request body that stalls longer than this between two chunks is dropped.
    body_timeout_s: float = DEFAULT_BODY_TIMEOUT_S
    # Reports one client (address) may hold in the anonymous report store.
    report_store_per_client: int = DEFAULT_REPORTS_PER_CLIENT

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
        hosts = tuple(
            h.strip().lower() for h in (get("ALLOWED_HOSTS") or "").split(",") if h.strip()
        )
        return cls(
            max_body_bytes=max_body or DEFAULT_MAX_BODY_BYTES,
            cors_origins=origins,
            cds_auth=auth,
            public_url=(get("PUBLIC_URL") or "").rstrip("/") or None,
            report_ttl_s=ttl or 3600,
            report_store_max=_positive_int(get("REPORT_STORE_MAX"), "HEPCALC_REPORT_STORE_MAX")
            or 2000,
            log_level=(get("LOG_LEVEL") or "INFO").upper(),
            allowed_hosts=hosts,
            work_threads=_positive_int(get("WORK_THREADS"), "HEPCALC_WORK_THREADS")
            or DEFAULT_WORK_THREADS,
            work_queue=_positive_int(get("WORK_QUEUE"), "HEPCALC_WORK_QUEUE") or DEFAULT_WORK_QUEUE,
            request_budget_s=_positive_float(get("REQUEST_BUDGET_S"), "HEPCALC_REQUEST_BUDGET_S")
            or DEFAULT_REQUEST_BUDGET_S,
            registry_budget_s=_positive_float(get("REGISTRY_BUDGET_S"), "HEPCALC_REGISTRY_BUDGET_S")
            or DEFAULT_REGISTRY_BUDGET_S,
            body_timeout_s=_positive_float(get("BODY_TIMEOUT_S"), "HEPCALC_BODY_TIMEOUT_S")
            or DEFAULT_BODY_TIMEOUT_S,
            report_store_per_client=_positive_int(
                get("REPORTS_PER_CLIENT"), "HEPCALC_REPORTS_PER_CLIENT"
            )
            or DEFAULT_REPORTS_PER_CLIENT,
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


def _positive_float(value: str | None, name: str) -> float | None:
    if value is None:
        return None
    try:
        x = float(value)
    except ValueError:
        raise SettingsError(f"{name}: not a number: {value!r}") from None
    if not x > 0 or x == float("inf"):
        raise SettingsError(f"{name}: must be a finite number > 0")
    return x
