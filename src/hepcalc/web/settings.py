"""Service configuration, read once from ``HEPCALC_*`` environment variables.

Everything a deployment may need to change lives here, with safe defaults:
no CORS origins (same-origin only), a 1 MB request body limit, CDS Hooks
authentication off (turn it on for any deployment an EHR calls).

Why pydantic-settings: the fields, their defaults and their limits are
declared once and validated by the same library as every other input, instead
of a hand-written parser per variable. ``hepcalc serve`` turns its options into
these variables (so each uvicorn worker builds the same app) and calls
``from_env`` first, so a bad value stops it with exit code 2 and a message
naming the variable, before any worker starts.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, ValidationError, field_validator, model_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_MAX_BODY_BYTES = 1_000_000
DEFAULT_WORK_THREADS = 4
DEFAULT_WORK_QUEUE = 64
DEFAULT_REQUEST_BUDGET_S = 15.0
DEFAULT_REGISTRY_BUDGET_S = 300.0
DEFAULT_BODY_TIMEOUT_S = 5.0
DEFAULT_REPORTS_PER_CLIENT = 200
ENV_PREFIX = "HEPCALC_"


def _whole_number(value: Any) -> Any:
    """A count from the environment is read as Python reads an int: "1.0" is refused.

    Why: pydantic's lax mode turns "1.0" into 1; an operator who wrote a
    fraction for a count made a mistake worth naming.
    """
    if isinstance(value, str):
        try:
            return int(value)
        except ValueError:
            raise ValueError(f"not an integer: {value!r}") from None
    return value


# A count (bytes, threads, seconds of a report link): a whole number above zero.
Count = Annotated[int, BeforeValidator(_whole_number), Field(gt=0)]
# A duration in seconds: NaN and infinity are refused (an infinite budget is no budget).
PositiveSeconds = Annotated[float, Field(gt=0, allow_inf_nan=False)]
# A comma-separated list in the environment (not JSON, which pydantic-settings expects).
CommaList = Annotated[tuple[str, ...], NoDecode]


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


def _comma_list(value: Any) -> Any:
    """``"a, b,,c"`` -> ``("a", "b", "c")``; a list or tuple passes through."""
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    return value


class ServiceSettings(BaseSettings):
    """The service's settings; each field ``name`` is the variable ``HEPCALC_<NAME>``.

    ``ServiceSettings.from_env()`` reads the environment and turns validation
    errors into one ``SettingsError``; ``ServiceSettings.defaults()`` ignores it.
    """

    model_config = SettingsConfigDict(
        env_prefix=ENV_PREFIX,
        case_sensitive=False,
        extra="ignore",  # HEPCALC_DB, HEPCALC_REGISTRY_TOKEN... belong to other layers
        frozen=True,
    )

    max_body_bytes: Count = DEFAULT_MAX_BODY_BYTES
    cors_origins: CommaList = ()
    # Base URL used in links inside CDS cards; derived from the request when unset.
    public_url: str | None = None
    # CDS Hooks authentication: all three or none (see ``cds_auth``).
    cds_issuers: CommaList = ()
    cds_jwks: Path | None = None
    cds_audience: str | None = None
    report_ttl_s: Count = 3600
    report_store_max: Count = 2000
    log_level: str = "INFO"
    # Host names (Host header) that card links may be built from when public_url
    # is unset. Empty: links use http://127.0.0.1:<port> only for a loopback
    # Host, never a caller-chosen name (issue 16: spoofed Host in card links).
    allowed_hosts: CommaList = ()
    # The worker pool for the CPU work of requests (web/work_pool.py).
    work_threads: Count = DEFAULT_WORK_THREADS
    work_queue: Count = DEFAULT_WORK_QUEUE
    request_budget_s: PositiveSeconds = DEFAULT_REQUEST_BUDGET_S
    registry_budget_s: PositiveSeconds = DEFAULT_REGISTRY_BUDGET_S
    # A request body that stalls longer than this between two chunks is dropped.
    body_timeout_s: PositiveSeconds = DEFAULT_BODY_TIMEOUT_S
    # Reports one client (address) may hold in the anonymous report store.
    reports_per_client: Count = DEFAULT_REPORTS_PER_CLIENT

    @model_validator(mode="before")
    @classmethod
    def _blank_is_unset(cls, data: Any) -> Any:
        """A variable set to blanks counts as unset (``serve`` exports empty options)."""
        if not isinstance(data, dict):
            return data
        out: dict[str, Any] = {}
        for key, value in data.items():
            if isinstance(value, str):
                value = value.strip()
                if not value:
                    continue
            out[key] = value
        return out

    @field_validator("cors_origins", "cds_issuers", mode="before")
    @classmethod
    def _split(cls, value: Any) -> Any:
        return _comma_list(value)

    @field_validator("allowed_hosts", mode="before")
    @classmethod
    def _split_hosts(cls, value: Any) -> Any:
        """Host names compare case-insensitively: kept in lower case."""
        hosts = _comma_list(value)
        return tuple(h.lower() for h in hosts) if isinstance(hosts, tuple) else hosts

    @field_validator("public_url")
    @classmethod
    def _no_trailing_slash(cls, value: str | None) -> str | None:
        return (value.rstrip("/") or None) if value else None

    @field_validator("log_level")
    @classmethod
    def _upper(cls, value: str) -> str:
        return value.upper()

    @model_validator(mode="after")
    def _cds_all_or_none(self) -> ServiceSettings:
        """Half-configured authentication would silently leave CDS Hooks open: refuse it."""
        given = (self.cds_issuers, self.cds_jwks, self.cds_audience)
        if any(given) and not all(given):
            raise ValueError(
                "CDS Hooks authentication needs all of HEPCALC_CDS_ISSUERS, "
                "HEPCALC_CDS_JWKS and HEPCALC_CDS_AUDIENCE"
            )
        if self.cds_jwks is not None and not self.cds_jwks.is_file():
            raise ValueError(f"HEPCALC_CDS_JWKS: no such file {self.cds_jwks}")
        return self

    @property
    def cds_auth(self) -> CdsAuthSettings | None:
        """The JWT checks to apply, or None when authentication is off."""
        if not (self.cds_issuers and self.cds_jwks and self.cds_audience):
            return None
        return CdsAuthSettings(
            issuers=frozenset(self.cds_issuers),
            jwks_path=self.cds_jwks,
            audience=self.cds_audience.rstrip("/"),
        )

    @classmethod
    def defaults(cls) -> ServiceSettings:
        """The defaults alone, whatever the environment holds (tests, OpenAPI export)."""
        return cls.model_construct()

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> ServiceSettings:
        """Read ``HEPCALC_*`` variables (documented in docs/service.md).

        ``environ`` replaces ``os.environ`` (for tests). Any invalid value is one
        ``SettingsError`` naming the variables, never a pydantic traceback.
        """
        try:
            if environ is None:
                return cls()
            prefix = len(ENV_PREFIX)
            values = {
                k[prefix:].lower(): v
                for k, v in environ.items()
                if k.upper().startswith(ENV_PREFIX)
            }
            # model_validate skips __init__, hence the environment: only ``environ`` counts
            return cls.model_validate(values)
        except ValidationError as exc:
            raise SettingsError(settings_problems(exc)) from None


def settings_problems(exc: ValidationError) -> str:
    """One line per bad value, each naming its variable: ``HEPCALC_X: problem``."""
    lines = []
    for err in exc.errors(include_url=False):
        loc = err.get("loc", ())
        name = f"{ENV_PREFIX}{str(loc[0]).upper()}" if loc else ""
        field = str(loc[0]) if loc else ""
        text = _problem(err["type"], err.get("input"), str(err.get("msg", "")), field)
        lines.append(f"{name}: {text}" if name else text)
    return "; ".join(lines)


def _problem(kind: str, given: Any, msg: str, field: str) -> str:
    """The wording the hand-written parser used, so messages stay what users know."""
    if kind == "int_parsing":
        return f"not an integer: {given!r}"
    if kind == "float_parsing":
        return f"not a number: {given!r}"
    if kind == "greater_than" and not field.endswith("_s"):
        return "must be > 0"
    if kind in ("greater_than", "finite_number"):
        return "must be a finite number > 0"
    return msg.removeprefix("Value error, ")
