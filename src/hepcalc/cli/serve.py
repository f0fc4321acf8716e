"""`hepcalc serve`: run the HTTP service (REST, CDS Hooks, web pages) under uvicorn.

Options become ``HEPCALC_*`` environment variables so that every uvicorn worker
process builds the same app from ``hepcalc.web.app:create_app_from_env``; the
settings are checked here first so a bad option fails with exit code 2 before
any worker starts. uvicorn's own access log is off: it would log raw paths and
query strings, and the service logs its own privacy-safe request lines.
Several workers on Linux run under ``hepcalc.web.workers`` (one listening
socket per worker, so connections spread evenly); elsewhere under uvicorn's
own supervisor.
"""

from __future__ import annotations

import os
from enum import StrEnum
from typing import Annotated, Any

import typer

from hepcalc.errors import InputError


class EventLoop(StrEnum):
    asyncio = "asyncio"
    uvloop = "uvloop"


def serve_command(
    host: Annotated[str, typer.Option(help="Interface to bind.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=0, max=65535, help="TCP port.")] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="Worker processes.")] = 1,
    cors_origin: Annotated[
        list[str] | None,
        typer.Option("--cors-origin", help="Allowed browser origin (repeat). Default: none."),
    ] = None,
    max_body_bytes: Annotated[
        int | None, typer.Option(min=1, help="Request body limit (413 above). Default 1000000.")
    ] = None,
    public_url: Annotated[
        str | None, typer.Option(help="Base URL used in links inside CDS cards.")
    ] = None,
    cds_issuer: Annotated[
        list[str] | None,
        typer.Option("--cds-issuer", help="Allowed JWT issuer for CDS clients (repeat)."),
    ] = None,
    cds_jwks: Annotated[
        str | None, typer.Option(help="JWKS file with the CDS clients' public keys.")
    ] = None,
    cds_audience: Annotated[
        str | None, typer.Option(help="This service's base URL as CDS clients address it.")
    ] = None,
    log_level: Annotated[str, typer.Option(help="Service log level.")] = "INFO",
    loop: Annotated[
        EventLoop,
        typer.Option(
            help="Event loop. asyncio (default) keeps latency even when the service is "
            "saturated; uvloop gives more requests/s but a longer tail (docs/service.md)."
        ),
    ] = EventLoop.asyncio,
) -> None:
    """Start the HTTP service: REST API, CDS Hooks 2.0 and the web page.

    The registry routes need HEPCALC_REGISTRY_TOKEN in the environment
    (clients send it as a Bearer token); without it every registry call answers 401. Other
    settings come from HEPCALC_* variables (docs/service.md); options win.
    """
    import uvicorn

    from hepcalc.web.settings import ServiceSettings, SettingsError
    from hepcalc.web.workers import (
        APP,
        PortUnavailable,
        check_port_free,
        reuse_port_supported,
        run_workers,
    )

    env = {
        "HEPCALC_CORS_ORIGINS": ",".join(cors_origin or []),
        "HEPCALC_MAX_BODY_BYTES": str(max_body_bytes) if max_body_bytes else "",
        "HEPCALC_PUBLIC_URL": public_url or "",
        "HEPCALC_CDS_ISSUERS": ",".join(cds_issuer or []),
        "HEPCALC_CDS_JWKS": cds_jwks or "",
        "HEPCALC_CDS_AUDIENCE": cds_audience or "",
        "HEPCALC_LOG_LEVEL": log_level,
    }
    for key, value in env.items():
        if value:  # command-line options win over the environment
            os.environ[key] = value
    try:
        ServiceSettings.from_env()
    except SettingsError as e:
        raise InputError([("serve", str(e))]) from None
    options: dict[str, Any] = {
        "access_log": False,
        "log_level": "warning",
        "server_header": False,
        "loop": loop.value,
    }
    try:
        if workers > 1 and reuse_port_supported():
            # one listening socket per worker: connections spread evenly (web/workers.py)
            raise typer.Exit(run_workers(host, port, workers, options))
        check_port_free(host, port)  # a clear message and exit 2, not uvicorn's exit 1
    except PortUnavailable as e:
        raise InputError([("serve", str(e))]) from None
    shown_host = f"[{host}]" if ":" in host else host
    typer.echo(
        f"hepcalc: serving on http://{shown_host}:{port}/ ({workers} worker(s)); "
        f"API docs at /docs, CDS Hooks discovery at /cds-services",
        err=True,
    )
    uvicorn.run(APP, factory=True, host=host, port=port, workers=workers, **options)


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)
