"""Reading request bodies: JSON (or YAML when declared) into validated models.

Routes read the raw body themselves instead of letting FastAPI validate it, so
that every problem comes back in the project's one error shape with the field
path the CLI would print, and so ``/v1/assess`` can take either a Case or a
FHIR Bundle on the same URL.
"""

from __future__ import annotations

from typing import Any, TypeVar

from fastapi import HTTPException, Request
from pydantic import BaseModel

from hepcalc.errors import InputError, load_json, parse_document, validate_as

JSON_TYPES = frozenset({"application/json", "application/fhir+json", "text/json", ""})
YAML_TYPES = frozenset({"application/yaml", "application/x-yaml", "text/yaml", "text/x-yaml"})

M = TypeVar("M", bound=BaseModel)


def media_type(request: Request) -> str:
    return request.headers.get("content-type", "").split(";")[0].strip().lower()


async def read_document(request: Request) -> Any:
    """The body as Python data; 415 for a media type we do not read, 422 if malformed."""
    ctype = media_type(request)
    if ctype not in JSON_TYPES and ctype not in YAML_TYPES:
        raise HTTPException(
            status_code=415,
            detail=f"unsupported media type {ctype[:60]!r}; send application/json "
            "(or application/fhir+json, application/yaml)",
        )
    body = await request.body()
    if ctype in YAML_TYPES:
        return parse_document(body, source="body")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError([("body", f"not UTF-8 text (byte {e.start})")]) from None
    if not text.strip():
        raise InputError([("body", "is empty")])
    return load_json(text, "body")


async def read_model(request: Request, model: type[M]) -> M:
    """Read and validate the body as ``model``; problems name the field."""
    return validate_as(model, await read_document(request))


def json_body_schema(ref: str, *, fhir: dict[str, Any] | None = None) -> dict[str, Any]:
    """An OpenAPI requestBody for routes that read the body themselves."""
    schema: dict[str, Any] = {"$ref": f"#/components/schemas/{ref}"}
    content: dict[str, Any] = {"application/json": {"schema": schema}}
    if fhir is not None:
        content["application/json"] = {"schema": {"oneOf": [schema, fhir]}}
        content["application/fhir+json"] = {"schema": fhir}
    return {"requestBody": {"required": True, "content": content}}
