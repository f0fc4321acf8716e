"""The registry over HTTP: `/v1/registry/worklist`, `/ingest`, `/recommendations/{id}/close`.

Mount with ``app.include_router(registry_routes.router)``. Every route needs
``Authorization: Bearer <token>`` equal to the ``HEPCALC_REGISTRY_TOKEN``
environment variable (compared in constant time); without that variable the
registry API is disabled and every call is 401, so a service started without
configuration never exposes patient follow-ups. The database is ``HEPCALC_DB``
(or the per-user SQLite file), opened and migrated on the first call.

Errors: invalid input 422 ``{"detail": [{"field", "problem"}]}`` (the shape of
``hepcalc.web.errors``), unknown recommendation 404, already closed 409,
database unreachable 503. The handlers are plain ``def`` so FastAPI runs the
blocking database work in its thread pool.
"""

from __future__ import annotations

import datetime as dt
import functools
import hmac
import os
import re
import threading
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Header, Query, Request
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from starlette.concurrency import run_in_threadpool

from hepcalc.errors import InputError, parse_document
from hepcalc.model import check_exam_date
from hepcalc.registry import ingest as ingest_mod
from hepcalc.registry import store
from hepcalc.registry import worklist as worklist_mod
from hepcalc.registry.vocabulary import WORKLIST_FORMATS
from hepcalc.web.errors import problem_response

ENV_TOKEN = "HEPCALC_REGISTRY_TOKEN"
MAX_REPORTS_PER_REQUEST = 1000
MAX_BODY_BYTES = 20_000_000
CLOSE_BODY_BYTES = 100_000  # a reason and a status; anything larger is a mistake (413)


class _Unauthorized(Exception):
    def __init__(self, reason: str) -> None:
        self.reason = reason


def _problems(status: int, err: InputError) -> JSONResponse:
    return problem_response(status, err.problems)


def _unauthorized(reason: str) -> JSONResponse:
    return JSONResponse(
        status_code=401,
        content={"detail": [{"field": "Authorization", "problem": reason}]},
        headers={"WWW-Authenticate": "Bearer"},
    )


def _check_token(authorization: str | None) -> str | None:
    """None when authorised, else the reason (never echoing the token)."""
    expected = os.environ.get(ENV_TOKEN, "")
    if not expected:
        return f"the registry API is disabled: set {ENV_TOKEN} on the server"
    if not authorization or not authorization.lower().startswith("bearer "):
        return "a bearer token is required"
    given = authorization[7:].strip()
    if not hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8")):
        return "invalid token"
    return None


def _actor(x_actor: str | None) -> str:
    """``api`` or ``api:<X-Actor>`` (sanitised) for the audit trail."""
    if not x_actor:
        return "api"
    clean = re.sub(r"[^A-Za-z0-9_.@:-]", "", x_actor)[:100]
    return f"api:{clean}" if clean else "api"


def _check_dates(records: list[Any]) -> None:
    """Exam dates no follow-up can be scheduled from (9999-12-31) are 422 naming the report.

    Checked here, before the registry opens a transaction: a date past the
    calendar's end failed deep in the scheduling as an internal error (issue 16).
    """
    problems: list[tuple[str, str]] = []
    for i, rec in enumerate(records):
        value = rec.get("date") if isinstance(rec, dict) else None
        try:
            day = dt.date.fromisoformat(value.strip()) if isinstance(value, str) else None
        except ValueError:
            continue  # the registry's own validation names a malformed date
        if day is not None:
            try:
                check_exam_date(day)
            except ValueError as e:
                problems.append((f"reports[{i}].date", str(e)))
    if problems:
        raise InputError(problems)


class _Registries:
    """One opened registry per database URL per process (migrated once)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: dict[str, store.Registry] = {}

    def get(self, db_url: str | None) -> store.Registry:
        url = store.resolve_url(db_url)
        with self._lock:
            reg = self._open.get(url)
            if reg is None:
                reg = store.open_registry(url)
                self._open[url] = reg
            return reg


_registries = _Registries()


_RegistryFn = Callable[[], store.Registry]


def _authorised(authorization: str | None) -> None:
    """Raise _Unauthorized unless the bearer token is right (mapped to 401 by _guarded)."""
    reason = _check_token(authorization)
    if reason is not None:
        raise _Unauthorized(reason)


def _guarded(fn: Any) -> Any:
    """Map auth, input and database failures to 401/422/404/409/503 responses."""

    def call(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except _Unauthorized as e:
            return _unauthorized(e.reason)
        except worklist_mod.RecommendationNotFound as e:
            return _problems(404, e)
        except worklist_mod.AlreadyClosed as e:
            return _problems(409, e)
        except InputError as e:
            return _problems(422, e)
        except store.RegistryError as e:
            return JSONResponse(status_code=503, content={"detail": str(e)})

    return call


async def _authorised_post(
    request: Request,
    authorization: str | None,
    x_actor: str | None,
    max_bytes: int,
    handler: Callable[[bytes, str], Response],
) -> Response:
    """The shared preamble of the POST routes: token, bounded body, handler off the loop."""
    reason = _check_token(authorization)
    if reason is not None:
        return _unauthorized(reason)
    raw = await request.body()
    if len(raw) > max_bytes:
        return JSONResponse(
            status_code=413,
            content={"detail": [{"field": "body", "problem": f"larger than {max_bytes} bytes"}]},
        )
    pool = getattr(request.app.state, "registry_work", None)
    if pool is None:  # mounted on an app of its own (tests): Starlette's thread pool
        return await run_in_threadpool(_guarded(handler), raw, _actor(x_actor))
    return await pool.run(_guarded(handler), raw, _actor(x_actor))


def _worklist_query(as_of: str | None, days: str, format: str) -> tuple[dt.date, int]:
    """The checked query values (day, days ahead); InputError names the bad one."""
    day = dt.date.today()
    if as_of is not None:
        try:
            day = check_exam_date(dt.date.fromisoformat(as_of))
        except ValueError as e:
            problem = str(e) if "between" in str(e) else "must be an ISO date YYYY-MM-DD"
            raise InputError([("as_of", problem)]) from None
    if not days.isdigit() or int(days) > 3650:
        raise InputError([("days", "must be a whole number from 0 to 3650")])
    if format not in WORKLIST_FORMATS:
        raise InputError([("format", f"must be one of {', '.join(WORKLIST_FORMATS)}")])
    return day, int(days)


def _worklist_response(
    registry: _RegistryFn,
    authorization: str | None,
    as_of: str | None,
    days: str,
    patient: str | None,
    format: str,
) -> Response:
    """The worklist in the asked format (json, csv or text).

    Query values are checked after the token, so an unauthorised caller always gets
    401 and learns nothing from validation messages.
    """
    _authorised(authorization)
    day, days_ahead = _worklist_query(as_of, days, format)
    rows = worklist_mod.worklist(registry(), day, days_ahead=days_ahead, patient=patient)
    body = worklist_mod.render(rows, format, day)
    if format == "json":
        return Response(body, media_type="application/json")
    if format == "csv":
        return PlainTextResponse(body + "\n", media_type="text/csv")
    return PlainTextResponse(body + "\n")


def _ingest_body(registry: _RegistryFn, raw: bytes, actor: str) -> Response:
    """Store the posted report lines; 422 with the rejected ones when any is refused."""
    if not raw.strip():
        raise InputError([("body", "is empty")])
    data = parse_document(raw, "body")
    if isinstance(data, dict) and set(data) == {"reports"}:
        data = data["reports"]
    if not isinstance(data, list):
        raise InputError([("body", 'must be {"reports": [...]} or an array of report objects')])
    if not data:
        raise InputError([("reports", "must not be empty")])
    if len(data) > MAX_REPORTS_PER_REQUEST:
        raise InputError([("reports", f"at most {MAX_REPORTS_PER_REQUEST} reports per request")])
    _check_dates(data)
    result = ingest_mod.ingest_records(registry(), data, actor)
    content = result.as_dict()
    if result.rejected:
        content["detail"] = content["rejected"]
        return JSONResponse(status_code=422, content=content)
    return JSONResponse(status_code=200, content=content)


def _close_body(registry: _RegistryFn, rec_id: str, raw: bytes, actor: str) -> Response:
    """Close one recommendation as done or cancelled, with the caller's reason."""
    if not rec_id.isdigit() or len(rec_id) > 18:
        raise worklist_mod.RecommendationNotFound([("id", f"no recommendation {rec_id}")])
    body = parse_document(raw, "body") if raw.strip() else None
    if not isinstance(body, dict):
        raise InputError([("body", 'must be an object {"reason": "...", "status": "done"}')])
    unknown = set(body) - {"reason", "status"}
    if unknown:
        raise InputError([(str(k), "unknown field") for k in sorted(map(str, unknown))])
    reason = body.get("reason")
    if not isinstance(reason, str):
        raise InputError([("reason", "is required (a string)")])
    status = body.get("status", "done")
    if not isinstance(status, str):
        raise InputError([("status", "must be a string")])
    out = worklist_mod.close(registry(), int(rec_id), reason, actor, status=status)
    return JSONResponse(status_code=200, content=out)


def make_router(db_url: str | None = None) -> APIRouter:
    """A router bound to ``db_url`` (default: ``HEPCALC_DB`` at call time, else the file)."""

    def registry() -> store.Registry:
        return _registries.get(db_url or os.environ.get(store.ENV_DB))

    router = APIRouter(prefix="/v1/registry", tags=["registry"])

    @router.get(
        "/worklist",
        summary="Due and overdue follow-ups",
        responses={401: {"description": "missing or wrong bearer token"}},
    )
    def get_worklist(
        authorization: Annotated[str | None, Header()] = None,
        as_of: Annotated[str | None, Query(description="ISO date; default today")] = None,
        days: Annotated[str, Query(description="also list follow-ups due within N days")] = "0",
        patient: Annotated[str | None, Query(description="pseudonymous patient id")] = None,
        format: Annotated[str, Query(description="json (default), csv or text")] = "json",
    ) -> Response:
        return _guarded(_worklist_response)(registry, authorization, as_of, days, patient, format)

    @router.post(
        "/ingest",
        summary="Store reports (idempotent per report id)",
        responses={401: {"description": "missing or wrong bearer token"}},
    )
    async def post_ingest(
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        x_actor: Annotated[str | None, Header()] = None,
    ) -> Response:
        """Body: ``{"reports": [line, ...]}`` or a JSON array of lines (the JSONL lines)."""
        handler = functools.partial(_ingest_body, registry)
        return await _authorised_post(request, authorization, x_actor, MAX_BODY_BYTES, handler)

    @router.post(
        "/recommendations/{rec_id}/close",
        summary="Close a follow-up as done or cancelled",
        responses={401: {"description": "missing or wrong bearer token"}},
    )
    async def close_recommendation(
        rec_id: str,
        request: Request,
        authorization: Annotated[str | None, Header()] = None,
        x_actor: Annotated[str | None, Header()] = None,
    ) -> Response:
        """Body: ``{"reason": "...", "status": "done" | "cancelled"}``."""
        close = functools.partial(_close_body, registry, rec_id)
        return await _authorised_post(request, authorization, x_actor, CLOSE_BODY_BYTES, close)

    return router


router = make_router()
"""The router the service mounts: database from ``HEPCALC_DB`` at call time."""
