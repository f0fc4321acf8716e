"""Property-based API test: nothing a client can send (per the OpenAPI document) gives a 5xx.

schemathesis reads /openapi.json from the running service and generates
requests for every operation, valid (positive) and schema-violating (negative).
Bounded: 30 examples per operation and mode, no deadline (the machine is shared).
The operations are listed from the app's own document at collection time so
each gets its own test id; the test then checks the served document is the same.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error

from hepcalc.web.app import create_app
from tests.web.conftest import Server

LOCAL_DOCUMENT = create_app().openapi()


def _has_input(label: str) -> bool:
    method, path = label.split(" ", 1)
    op = LOCAL_DOCUMENT["paths"][path][method.lower()]

    # a free-form string (a header such as Authorization, an opaque path id) cannot be made
    # schema-invalid, so it gives negative generation nothing to break
    def breakable(param: dict[str, Any]) -> bool:
        schema = param.get("schema", {})
        constrained = set(schema) & {
            "enum",
            "pattern",
            "format",
            "minLength",
            "maxLength",
            "minimum",
            "maximum",
        }
        return param.get("in") != "header" and (schema.get("type") != "string" or bool(constrained))

    params = [p for p in op.get("parameters", []) if breakable(p)]
    return bool(params or op.get("requestBody"))


OPERATIONS = [
    result.ok().label
    for result in schemathesis.openapi.from_dict(LOCAL_DOCUMENT).get_all_operations()
]
# negative generation needs something to break; operations without input get positive only
CASES = [
    (label, mode)
    for label in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or _has_input(label)
]


@pytest.fixture(scope="module")
def live_schema(server: Server) -> Any:
    assert httpx.get(server.url + "/openapi.json").json() == LOCAL_DOCUMENT
    return schemathesis.openapi.from_url(server.url + "/openapi.json")


def _operation(schema: Any, label: str) -> Any:
    for result in schema.get_all_operations():
        op = result.ok()
        if op.label == label:
            return op
    raise LookupError(label)


@pytest.mark.parametrize(("label", "mode"), CASES, ids=[f"{x[0]}-{x[1].value}" for x in CASES])
def test_no_server_error(live_schema: Any, server: Server, label: str, mode: Any) -> None:
    operation = _operation(live_schema, label)
    seen: list[int] = []

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=list(HealthCheck),
        derandomize=True,
        database=None,
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(base_url=server.url, timeout=30)
        seen.append(response.status_code)
        case.validate_response(response, checks=[not_a_server_error])

    run()
    assert seen and max(seen) < 500
