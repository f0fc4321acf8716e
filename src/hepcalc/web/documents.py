"""Reading request bodies: JSON (or YAML when declared) into validated models.

A route with a fixed body declares it as a parameter,
``req: Annotated[AskRequest, json_body(AskRequest)]``; the OpenAPI requestBody
is generated from that model (``body_models``, used by ``app.openapi``).
``/v1/assess`` (a Case or a FHIR Bundle on one URL) and the registry routes
(token first, then a body of more than one shape) read the raw body instead.

Why not FastAPI's own body parsing (measured on FastAPI 0.163): it would
answer YAML with 422 and an unsupported media type with 422 instead of 415, an
integer of 5,000 digits or 100,000 nested brackets with 400 instead of 422
naming the field, put "body." before every field path, word messages
differently from the CLI, and parse and validate on the event loop (a body
with 60,000 unknown keys took 2.4 s there). ``json_body`` keeps all of that as
before: parsing and validation run in the worker pool, problems come back in
the one error shape.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from fastapi import Depends, HTTPException, Request
from fastapi.routing import APIRoute
from pydantic import BaseModel

from hepcalc.errors import InputError, load_json, parse_document, validate_as
from hepcalc.web.work_pool import OverBudget, WorkPool

JSON_TYPES = frozenset({"application/json", "application/fhir+json", "text/json", ""})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


@dataclass(frozen=True, slots=True)
class RawBody:
    """A request body as received, before any parsing (parsing is CPU work: the pool's)."""

    media_type: str
    data: bytes


async def read_raw(request: Request) -> RawBody:
    """The body bytes; 415 for a media type we do not read. Cheap: safe on the event loop."""
    ctype = media_type(request)
    if ctype not in JSON_TYPES and ctype not in YAML_TYPES:
        raise HTTPException(
            status_code=415,
            detail=f"unsupported media type {ctype[:60]!r}; send application/json "
            "(or application/fhir+json, application/yaml)",
        )
    return RawBody(ctype, await request.body())


def parse_raw(raw: RawBody) -> Any:
    """The body as Python data; 422 (InputError) if malformed. Runs in the worker pool."""
    if raw.media_type in YAML_TYPES:
        return parse_document(raw.data, source="body")
    try:
        text = raw.data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError([("body", f"not UTF-8 text (byte {e.start})")]) from None
    if not text.strip():
        raise InputError([("body", "is empty")])
    return load_json(text, "body")


async def read_document(request: Request) -> Any:
    """The body as Python data, parsed on the event loop: only for small bodies."""
    return parse_raw(await read_raw(request))


# Bodies above this size go to the one-thread lane for big documents (work_pool.py).
HEAVY_BODY_BYTES = 64_000


async def offload(request: Request, fn: Callable[..., T], *args: Any) -> T:
    """Run ``fn(*args)`` in a worker pool (bounded, time-limited: work_pool.py).

    Big bodies (long reports, large Bundles) take the heavy lane, one thread:
    pure-Python work holds the GIL, so every extra busy thread is one more
    contender the event loop waits behind; with big requests kept to one
    thread, health checks and small requests keep their turn (measured in
    benchmarks/service_hostile.py, docs/service.md).
    """
    state = request.app.state
    size = request.headers.get("content-length", "")
    heavy = (
        getattr(request.state, "heavy_lane", False)  # a body read earlier was big
        or (size.isdigit() and int(size) > HEAVY_BODY_BYTES)
        or any(isinstance(a, RawBody) and len(a.data) > HEAVY_BODY_BYTES for a in args)
    )
    request.state.heavy_lane = heavy
    pool: WorkPool = state.heavy_work if heavy else state.work
    try:
        return await pool.run(fn, *args, budget_s=_remaining_budget(request, pool))
    except OverBudget:
        raise OverBudget(pool.budget_s) from None  # the message names the request's budget


def _remaining_budget(request: Request, pool: WorkPool) -> float:
    """The request's time budget minus what its earlier pool runs used.

    Why: a route with a ``json_body`` parameter uses the pool twice (validate,
    then work); the budget is the request's, not each run's (and its lane, kept
    in ``request.state.heavy_lane``, is the one its body chose).
    """
    now = time.monotonic()
    started = getattr(request.state, "work_started", None)
    if started is None:
        request.state.work_started = now
        return pool.budget_s
    return max(pool.budget_s - (now - started), 1e-3)


async def read_model(request: Request, model: type[M]) -> M:
    """Read and validate the body as ``model``; problems name the field (parsed in the pool)."""
    raw = await read_raw(request)
    return await offload(request, _parse_model, raw, model)


def _parse_model(raw: RawBody, model: type[M]) -> M:
    return validate_as(model, parse_raw(raw))


def json_body(model: type[M]) -> Any:
    """A dependency giving the body validated as ``model`` (for ``Annotated[model, ...]``).

    415 for a media type we do not read, 422 naming the field otherwise, as
    ``read_model``; the model is kept on the dependency so the OpenAPI
    requestBody is generated from it (``body_models``).
    """

    async def body(request: Request) -> M:
        return await read_model(request, model)

    body.body_model = model  # type: ignore[attr-defined]
    return Depends(body)


def body_models(route: APIRoute) -> list[type[BaseModel]]:
    """The models of a route's ``json_body`` parameters (at most one in practice)."""
    found = []
    for dependency in route.dependant.dependencies:
        model = getattr(dependency.call, "body_model", None)
        if model is not None:
            found.append(model)
    return found


def json_body_schema(ref: str, *, fhir: dict[str, Any] | None = None) -> dict[str, Any]:
    """An OpenAPI requestBody for routes that read the body themselves."""
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{ref}"}
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if fhir is not None:
        content["application/json"] = {"schema": {"oneOf": [schema, fhir]}}
        content["application/fhir+json"] = {"schema": fhir}
    return {"requestBody": {"required": True, "content": content}}
