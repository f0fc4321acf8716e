"""HTTP error responses: one shape for every client mistake.

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


def problem_response(status: int, problems: list[tuple[str, str]]) -> JSONResponse:
    return JSONResponse(
        status_code=status,
        content={"detail": [{"field": f, "problem": p} for f, p in problems]},
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
        return JSONResponse(status_code=422, content={"detail": exc.as_detail()})

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
