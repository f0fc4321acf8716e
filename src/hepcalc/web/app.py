"""The FastAPI application: wiring only (routes, middleware, error shape, OpenAPI).

``create_app(settings)`` builds one app; ``create_app_from_env()`` is the
factory uvicorn calls in each worker process (``hepcalc serve`` passes its
options through ``HEPCALC_*`` environment variables so ``--workers N`` works).

Middleware order, outermost first: security headers, request log (request id,
last-resort error guard), CORS, body limit (size and stall timeout), then the
routes. The CPU work of the routes runs in a bounded worker pool
(``work_pool``), never on the event loop.
"""

from __future__ import annotations

import gc
import logging
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from fastapi import APIRouter, FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute
from pydantic import BaseModel

from hepcalc import __version__
from hepcalc.web import cds_hooks, pages, registry_routes, routes_api
from hepcalc.web.auth import JwtVerifier
from hepcalc.web.body_limit import BodyLimitMiddleware
from hepcalc.web.documents import body_models, json_body_schema
from hepcalc.web.errors import install_error_handlers
from hepcalc.web.report_store import ReportStore
from hepcalc.web.request_log import RequestLogMiddleware, configure_logging
from hepcalc.web.security_headers import SecurityHeadersMiddleware
from hepcalc.web.settings import ServiceSettings
from hepcalc.web.work_pool import WorkPool

DESCRIPTION = """Decision support for liver calcifications on ultrasound, CT and MRI.

* `POST /v1/assess`: a Case (JSON or YAML) or a FHIR R4 Bundle -> Assessment.
  `Accept: application/fhir+json` returns the FHIR rendering; `text/html` and
  `text/plain` the report.
* `POST /v1/extract`, `POST /v1/ask`, `GET /healthz`.
* CDS Hooks 2.0 under `/cds-services`.

Invalid input: 422 `{"detail": [{"field", "problem"}]}`. Body above the limit
(default 1,000,000 bytes, `HEPCALC_MAX_BODY_BYTES`): 413.
"""


# Allocations between young collections (CPython's default is 700; see tune_gc).
GC_GEN0_THRESHOLD = 10_000

# How long a thread may hold the GIL while another waits (CPython's default: 5 ms).
# Why shorter: the worker pool's threads run pure Python; the event loop waits for
# the GIL behind them on every wake-up, so /healthz took p99 400 ms with four big
# reports in work. At 1 ms (and big bodies kept to one thread) it was p99 28 ms
# (benchmarks/service_hostile.py, docs/service.md).
GIL_SWITCH_INTERVAL_S = 0.001

# A tiny made-up case used only to warm caches (KB, report reader, templates) at start-up,
# so the first real request of each worker is not the slow one.
_WARM_UP_CASE = {
    "exams": [{"modality": "US", "report_text": "LIVER: 5 mm calcification in segment 6."}]
}


def warm_up(logger: logging.Logger) -> None:
    """Load the knowledge base and run the pipeline once; a failure only logs."""
    from hepcalc.errors import validate_as
    from hepcalc.knowledge import load_kb
    from hepcalc.model import Case
    from hepcalc.web import backend

    try:
        load_kb()
        assessment = backend.assess(validate_as(Case, _WARM_UP_CASE))
        pages.warm_up(assessment)
        cds_hooks.warm_up()
    except Exception as exc:  # a broken layer must not stop the service starting
        logger.warning("warm_up_failed", extra={"fields": {"error": type(exc).__name__}})


def tune_gc() -> None:
    """Keep the garbage collector off the start-up heap (called after ``warm_up``).

    Why: each request allocates thousands of short-lived pydantic objects, so the
    collector runs every few requests, and its older generations walked the whole
    heap: the knowledge base, compiled templates, the FHIR models, the report
    store. ``gc.freeze()`` moves everything alive after start-up out of its
    reach, and a larger first threshold makes young collections rarer (the
    objects of a request die by reference counting anyway). Measured in-process:
    about a tenth of a CDS call. Memory stays bounded: cycles are still
    collected, only less often.
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_GEN0_THRESHOLD, *gc.get_threshold()[1:])


def _component_schemas(models: tuple[type[BaseModel], ...]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for model in models:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        for name, sub in schema.pop("$defs", {}).items():
            out.setdefault(name, sub)
        out[model.__name__] = schema
    return out


def _routers() -> tuple[APIRouter, ...]:
    """The routers the app mounts, at their own paths (no prefix is added on include)."""
    return (routes_api.router, cds_hooks.router, pages.router, registry_routes.router)


def _document_json_bodies(schema: dict[str, Any]) -> list[type[BaseModel]]:
    """Add a requestBody generated from each ``json_body`` model; return those models.

    FastAPI documents only the bodies it parses itself; ours are parsed in the
    worker pool (web/documents.py says why), so the schema is added here, from
    the same model that validates the body.
    """
    models: list[type[BaseModel]] = []
    routes = [r for router in _routers() for r in router.routes if isinstance(r, APIRoute)]
    for route in routes:
        for model in body_models(route):
            models.append(model)
            item = schema.get("paths", {}).get(route.path_format, {})
            for method in route.methods or ():
                operation = item.get(method.lower())
                if operation is not None:
                    operation.update(json_body_schema(model.__name__))
    return models


def create_app(settings: ServiceSettings | None = None) -> FastAPI:
    settings = settings or ServiceSettings.defaults()
    logger = configure_logging(settings.log_level)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        warm_up(logger)
        tune_gc()
        sys.setswitchinterval(GIL_SWITCH_INTERVAL_S)
        yield
        app.state.work.shutdown()
        app.state.heavy_work.shutdown()
        app.state.registry_work.shutdown()

    app = FastAPI(
        lifespan=lifespan,
        title="hepcalc",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,  # Swagger UI loads scripts from a CDN; the service stays offline
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.reports = ReportStore(
        settings.report_ttl_s, settings.report_store_max, settings.reports_per_client
    )
    app.state.work = WorkPool(
        "hepcalc-work", settings.work_threads, settings.work_queue, settings.request_budget_s
    )
    app.state.heavy_work = WorkPool(
        "hepcalc-heavy", 1, settings.work_queue, settings.request_budget_s
    )
    # the registry's own pool: a long ingest must not take the clinical requests' threads
    app.state.registry_work = WorkPool("hepcalc-registry", 2, 16, settings.registry_budget_s)
    app.state.feedback = cds_hooks.FeedbackStore()
    app.state.jwt_verifier = JwtVerifier(settings.cds_auth) if settings.cds_auth else None

    install_error_handlers(app)
    for router in _routers():
        app.include_router(router)

    app.add_middleware(
        BodyLimitMiddleware,
        max_body_bytes=settings.max_body_bytes,
        timeout_s=settings.body_timeout_s,
    )
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST", "OPTIONS"],
            allow_headers=["Authorization", "Content-Type", "Accept", "X-Request-ID"],
            expose_headers=["X-Request-ID"],
        )
    app.add_middleware(RequestLogMiddleware, logger=logger)
    app.add_middleware(SecurityHeadersMiddleware)

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            components = schema.setdefault("components", {}).setdefault("schemas", {})
            body_models = _document_json_bodies(schema)
            for name, sub in _component_schemas(
                (*routes_api.COMPONENT_MODELS, *body_models)
            ).items():
                components.setdefault(name, sub)
            # the CDS service ids are a closed list: say so, so clients and fuzzers know
            for path, item in schema.get("paths", {}).items():
                if "{service_id}" in path:
                    for op in item.values():
                        for param in op.get("parameters", []):
                            if param.get("name") == "service_id":
                                param["schema"] = {
                                    "type": "string",
                                    "enum": list(cds_hooks.SERVICES),
                                }
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]
    return app


def create_app_from_env() -> FastAPI:
    """uvicorn factory: settings from ``HEPCALC_*`` environment variables."""
    return create_app(ServiceSettings.from_env())
