"""REST routes of CONTRACT.md section 4: assess, extract, ask, health.

No clinical logic: each route reads and validates its input, calls one
function of a lower layer through ``backend``, and serialises the result.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Any, Literal

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from hepcalc import __version__
from hepcalc.errors import validate_as
from hepcalc.interop import case_from_bundle, is_bundle
from hepcalc.model import MAX_REPORT_CHARS, Assessment, Case, Modality
from hepcalc.render import formats
from hepcalc.web import backend
from hepcalc.web.documents import (
    RawBody,
    json_body,
    json_body_schema,
    offload,
    parse_raw,
    read_raw,
)
from hepcalc.web.errors import PROBLEM_SCHEMA

router = APIRouter()

Audience = Literal["clinician", "patient"]
FHIR_JSON = "application/fhir+json"
# ``?format=`` takes its choices (and the OpenAPI enum) from the one list of output
# formats (render/formats.py), read when this module is imported.
if TYPE_CHECKING:
    FormatName = str
else:
    FormatName = Literal[formats.names()]

FHIR_BUNDLE_SCHEMA: dict[str, Any] = {
    "title": "FhirBundle",
    "description": "A FHIR R4 Bundle with Patient, Condition, DiagnosticReport and Observation "
    "resources (docs/service.md, 'FHIR input').",
    "type": "object",
    "required": ["resourceType"],
    "properties": {
        "resourceType": {"const": "Bundle"},
        "type": {"type": "string"},
        "entry": {"type": "array", "items": {"type": "object"}},
    },
}

_ERRORS: dict[int | str, dict[str, Any]] = {
    413: {
        "description": "request body larger than the limit",
        "content": {"application/json": {"schema": PROBLEM_SCHEMA}},
    },
    415: {"description": "unsupported media type"},
    422: {
        "description": "invalid input: each problem names the field",
        "content": {"application/json": {"schema": PROBLEM_SCHEMA}},
    },
}


class ExtractRequest(BaseModel):
    """One free-text imaging report to read."""

    model_config = ConfigDict(extra="forbid")
    text: str = Field(min_length=1, max_length=MAX_REPORT_CHARS)
    modality: Modality | None = None


class AskRequest(BaseModel):
    """A question for the knowledge base."""

    model_config = ConfigDict(extra="forbid")
    question: str = Field(min_length=1, max_length=1000)
    audience: Audience = "clinician"
    # Additive (issue 15): "en" or "zh-Hant"; null = detected from the question.
    lang: str | None = Field(default=None, max_length=20)


def _wanted(request: Request, asked: str | None) -> str:
    """The format asked by ``?format=``, else the first in Accept that a format produces
    (the first registered for a media type), else JSON."""
    if asked is not None:
        return asked
    accept = request.headers.get("accept", "")
    for part in accept.split(","):
        fmt = formats.for_media_type(part.split(";")[0])
        if fmt is not None:
            return fmt.name
    return "json"


def assessment_json(assessment: Assessment) -> bytes:
    """Compact canonical JSON (sorted keys) for HTTP responses."""
    return json.dumps(
        assessment.to_json_dict(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    ).encode()


def case_from_document(data: Any) -> Case:
    """A Case document or a FHIR Bundle -> Case (InputError names what is wrong)."""
    if is_bundle(data):
        return case_from_bundle(data)
    return validate_as(Case, data)


def _rendering_content() -> dict[str, Any]:
    """The 200 response's media types: one per media type of the output formats."""
    content: dict[str, Any] = {}
    for fmt in formats.all_formats():
        schema: dict[str, Any] = {"type": "string"}
        if fmt.name == "json":
            schema = {"$ref": "#/components/schemas/Assessment"}
        elif fmt.media_type.endswith("json"):
            schema = {"type": "object"}
        content.setdefault(fmt.media_type, {"schema": schema})
    return content


@router.post(
    "/v1/assess",
    summary="Assess a Case (or a FHIR R4 Bundle)",
    response_class=Response,
    openapi_extra=json_body_schema("Case", fhir=FHIR_BUNDLE_SCHEMA),
    responses={
        200: {
            "description": "the Assessment (JSON), or a rendering by ?format= or Accept",
            "content": _rendering_content(),
        },
        **_ERRORS,
    },
)
async def assess(
    request: Request,
    audience: Annotated[Audience, Query()] = "clinician",
    lang: Annotated[Literal["en", "zh-Hant"], Query()] = "en",
    format: Annotated[
        FormatName | None,
        Query(description="The rendering (default: by Accept, else json); wins over Accept."),
    ] = None,
) -> Response:
    raw = await read_raw(request)
    return await offload(request, _assess, raw, _wanted(request, format), audience, lang)


def _assess(raw: RawBody, wanted: str, audience: str, lang: str = "en") -> Response:
    """The work of /v1/assess, in the worker pool: parse, translate, assess, render.
    ``lang`` (issue 15) is the language of the patient text and ``summary.patient``.
    The combination is checked after the body (a bad body is named first, as before)."""
    case = case_from_document(parse_raw(raw))
    assessment = backend.assess(case, lang)
    # an audience or language the format cannot honour is refused (422), not ignored
    fmt = formats.check(wanted, audience, lang=lang)
    if fmt.name == "json":
        # over HTTP the Assessment is compact canonical JSON (the CLI's is indented)
        return Response(assessment_json(assessment), media_type=fmt.media_type)
    return Response(backend.render(assessment, fmt.name, audience, lang), media_type=fmt.media_type)


@router.post(
    "/v1/extract",
    summary="Read findings from one free-text report",
    responses={
        200: {
            "description": "findings, each as in CONTRACT.md section 2",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["findings"],
                        "properties": {
                            "findings": {
                                "type": "array",
                                "items": {"$ref": "#/components/schemas/Finding"},
                            }
                        },
                    }
                }
            },
        },
        **_ERRORS,
    },
)
async def extract(
    request: Request, req: Annotated[ExtractRequest, json_body(ExtractRequest)]
) -> JSONResponse:
    return await offload(request, _extract, req)


def _extract(req: ExtractRequest) -> JSONResponse:
    """The work of /v1/extract, in the worker pool."""
    findings = backend.extract(req.text, req.modality.value if req.modality else None)
    out = [
        f.model_dump(mode="json", exclude_none=True) if hasattr(f, "model_dump") else f
        for f in findings
    ]
    return JSONResponse({"findings": out})


@router.post(
    "/v1/ask",
    summary="Answer a question from the knowledge base, with citations",
    responses={
        200: {
            "description": "the answer",
            "content": {
                "application/json": {
                    "schema": {
                        "type": "object",
                        "required": ["answer", "citations"],
                        "properties": {
                            "answer": {"type": "string"},
                            "citations": {"type": "array"},
                            "related": {"type": "array"},
                        },
                    }
                }
            },
        },
        **_ERRORS,
    },
)
async def ask(request: Request, req: Annotated[AskRequest, json_body(AskRequest)]) -> JSONResponse:
    return await offload(request, _ask, req)


def _ask(req: AskRequest) -> JSONResponse:
    """The work of /v1/ask (retrieval and answer), in the worker pool."""
    return JSONResponse(backend.ask(req.question, req.audience, req.lang))


@router.get("/healthz", summary="Liveness and versions")
async def healthz() -> dict[str, Any]:
    from hepcalc.knowledge import load_kb

    return {"status": "ok", "version": __version__, "kb_version": load_kb().version}


# component schemas the routes above refer to by name (json_body models are added
# from the routes themselves: documents.body_models)
COMPONENT_MODELS: tuple[type[BaseModel], ...] = (Case, Assessment)
