"""HTTP error responses: one shape for every client mistake.

A full worker pool is 503 with ``Retry-After``, a request over its time
budget 503 saying so (``work_pool``); at most ``MAX_PROBLEMS`` problems are
listed, then one item counting the rest.

Invalid input is HTTP 422 with ``{"detail": [{"field": ..., "problem": ...}]}``
(the same (path, message) pairs the CLI prints), an oversized body is 413 (see
``body_limit``). Messages never echo more of the input
than the field path and a short reason.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from hepcalc.errors import InputError
from hepcalc.web.work_pool import OverBudget, PoolBusy

PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["detail"],
    "properties": {
        "detail": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["field", "problem"],
                "properties": {"field": {"type": "string"}, "problem": {"type": "string"}},
            },
        }
    },
}


# At most this many problems are listed; one more item gives the count of the rest.
MAX_PROBLEMS = 20


def compact(problems: list[tuple[str, str]], limit: int = MAX_PROBLEMS) -> list[tuple[str, str]]:
    """The first ``limit`` problems and, when there are more, one item counting them.

    Why: a 1 MB document with 60,000 unknown keys produced a 2.7 MB answer (an
    amplifier for anyone flooding the service); the first few problems are what a
    client needs to fix its request.
    """
    if len(problems) <= limit:
        return problems
    rest = len(problems) - limit
    return [*problems[:limit], ("", f"... and {rest} more problems ({len(problems)} in all)")]


def problem_response(
    status: int, problems: list[tuple[str, str]], headers: dict[str, str] | None = None
) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"detail": [{"field": f, "problem": p} for f, p in compact(problems)]},
        headers=headers,
    )


def _loc_path(loc: tuple[Any, ...]) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(InputError)
    async def _input_error(_request: Request, exc: InputError) -> JSONResponse:
        return problem_response(422, exc.problems)

    @app.exception_handler(PoolBusy)
    async def _busy(_request: Request, exc: PoolBusy) -> JSONResponse:
        return problem_response(
            503, [("", str(exc))], headers={"Retry-After": str(exc.retry_after_s)}
        )

    @app.exception_handler(OverBudget)
    async def _over_budget(_request: Request, exc: OverBudget) -> JSONResponse:
        return problem_response(503, [("", str(exc))])

    @app.exception_handler(RequestValidationError)
    async def _validation(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for err in exc.errors():
            loc = tuple(err.get("loc", ()))
            problems.append((_loc_path(loc), str(err.get("msg", "invalid value"))))
        return problem_response(422, problems or [("", "invalid input")])

    @app.exception_handler(StarletteHTTPException)
    async def _http(_request: Request, exc: StarletteHTTPException) -> JSONResponse:
        headers = getattr(exc, "headers", None)
        return JSONResponse(
            status_code=exc.status_code, content={"detail": exc.detail}, headers=headers
        )
