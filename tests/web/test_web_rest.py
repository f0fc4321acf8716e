"""REST face over a real socket: CONTRACT.md section 4 behaviour and error shapes."""

from __future__ import annotations

import json

import httpx
import yaml

from hepcalc.model import Assessment
from tests.web.conftest import CORS_ORIGIN, GROWING_1, GROWING_2, Server

CASE = {
    "patient": {"age": 35, "sex": "female"},
    "exams": [
        {
            "date": "2023-06-10",
            "modality": "US",
            "findings": [{"track": "A", "kind": "calcification", "size_mm": 14}],
        },
        {
            "date": "2023-12-10",
            "modality": "US",
            "findings": [{"track": "A", "kind": "calcification", "size_mm": 25}],
        },
    ],
}


def test_healthz_reports_versions(server: Server) -> None:
    r = httpx.get(server.url + "/healthz")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "ok" and body["kb_version"].startswith("1.")
    assert r.headers["x-request-id"]


def test_assess_case_returns_contract_assessment(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/assess", json=CASE)
    assert r.status_code == 200, r.text
    assessment = Assessment.model_validate(r.json())
    assert assessment.recommendations
    growth = {g.track: g for g in assessment.growth}
    assert growth["A"].from_mm == 14 and growth["A"].to_mm == 25


def test_assess_is_deterministic_over_http(server: Server) -> None:
    with server.client() as c:
        first = c.post("/v1/assess", json=CASE).content
        second = c.post("/v1/assess", json=CASE).content
    assert first == second


def test_assess_accepts_yaml_and_report_text(server: Server) -> None:
    case = {
        "patient": {"age": 50},
        "exams": [
            {"date": "2023-01-01", "modality": "CT", "report_text": GROWING_1},
            {"date": "2024-01-01", "modality": "CT", "report_text": GROWING_2},
        ],
    }
    with server.client() as c:
        r = c.post(
            "/v1/assess", content=yaml.safe_dump(case), headers={"content-type": "application/yaml"}
        )
    assert r.status_code == 200, r.text
    sizes = [f["latest_size_mm"] for f in r.json()["findings"]]
    assert 25 in sizes


def test_invalid_case_is_422_with_field_path(server: Server) -> None:
    bad = json.loads(json.dumps(CASE))
    bad["exams"][1]["findings"][0]["size_mm"] = -3
    bad["patient"]["sex"] = "f"
    with server.client() as c:
        r = c.post("/v1/assess", json=bad)
    assert r.status_code == 422
    fields = {d["field"]: d["problem"] for d in r.json()["detail"]}
    assert "exams[1].findings[0].size_mm" in fields
    assert "patient.sex" in fields


def test_malformed_json_and_wrong_media_type(server: Server) -> None:
    with server.client() as c:
        r = c.post(
            "/v1/assess", content=b'{"exams": [', headers={"content-type": "application/json"}
        )
        assert r.status_code == 422
        assert r.json()["detail"][0]["field"] == "body"
        assert "malformed JSON" in r.json()["detail"][0]["problem"]
        r = c.post(
            "/v1/assess",
            content=b"exams=1",
            headers={"content-type": "application/x-www-form-urlencoded"},
        )
        assert r.status_code == 415
        r = c.post("/v1/assess", content=b"\xff\xfe", headers={"content-type": "application/json"})
        assert r.status_code == 422


def test_body_limit_by_content_length(server: Server) -> None:
    big = {"exams": [{"modality": "US", "report_text": "x" * 250_000}]}
    with server.client() as c:
        r = c.post("/v1/assess", json=big)
    assert r.status_code == 413
    assert r.json()["detail"][0]["field"] == "body"


def test_body_limit_by_streamed_size(server: Server) -> None:
    """A chunked upload with no Content-Length is cut off at the limit too."""

    def chunks():
        yield b'{"exams": [{"modality": "US", "report_text": "'
        for _ in range(30):
            yield b"y" * 10_000
        yield b'"}]}'

    with server.client() as c:
        r = c.post("/v1/assess", content=chunks(), headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_accept_negotiation(server: Server) -> None:
    with server.client() as c:
        text = c.post("/v1/assess", json=CASE, headers={"accept": "text/plain"})
        html = c.post("/v1/assess?audience=patient", json=CASE, headers={"accept": "text/html"})
        bad = c.post("/v1/assess?audience=martian", json=CASE)
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert "mm" in text.text
    assert html.status_code == 200 and "<html" in html.text.lower()
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "query.audience"


def test_extract_returns_findings(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/extract", json={"text": GROWING_1, "modality": "CT"})
        empty = c.post("/v1/extract", json={"text": ""})
        extra = c.post("/v1/extract", json={"text": "x", "patient_name": "Jane"})
    assert r.status_code == 200
    findings = r.json()["findings"]
    assert findings and findings[0]["kind"] == "calcification" and findings[0]["size_mm"] == 14
    assert empty.status_code == 422 and empty.json()["detail"][0]["field"] == "text"
    assert extra.status_code == 422 and extra.json()["detail"][0]["field"] == "patient_name"


def test_ask_answers_with_citations(server: Server) -> None:
    with server.client() as c:
        r = c.post("/v1/ask", json={"question": "Can a liver calcification become cancer?"})
        bad = c.post("/v1/ask", json={"question": "x", "audience": "robot"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["field"] == "audience"
    assert r.status_code == 200
    assert r.json()["answer"] and r.json()["citations"]


def test_openapi_document_lists_the_contract_routes(server: Server) -> None:
    doc = httpx.get(server.url + "/openapi.json").json()
    for path in ("/v1/assess", "/v1/extract", "/v1/ask", "/healthz", "/cds-services"):
        assert path in doc["paths"]
    body = doc["paths"]["/v1/assess"]["post"]["requestBody"]["content"]
    assert "application/fhir+json" in body
    assert "413" in doc["paths"]["/v1/assess"]["post"]["responses"]
    assert "Case" in doc["components"]["schemas"]


def test_cors_is_configurable(server: Server) -> None:
    with server.client() as c:
        ok = c.options(
            "/v1/assess",
            headers={
                "origin": CORS_ORIGIN,
                "access-control-request-method": "POST",
                "access-control-request-headers": "content-type",
            },
        )
        other = c.options(
            "/v1/assess",
            headers={"origin": "http://evil.example", "access-control-request-method": "POST"},
        )
    assert ok.status_code == 200
    assert ok.headers["access-control-allow-origin"] == CORS_ORIGIN
    assert "access-control-allow-origin" not in other.headers


def test_request_id_is_echoed_when_safe(server: Server) -> None:
    with server.client() as c:
        mine = c.get("/healthz", headers={"x-request-id": "abc-123"})
        unsafe = c.get("/healthz", headers={"x-request-id": "a b\tc<script>"})
    assert mine.headers["x-request-id"] == "abc-123"
    assert unsafe.headers["x-request-id"] != "a b\tc<script>"
    assert len(unsafe.headers["x-request-id"]) == 32


def test_unknown_route_and_method(server: Server) -> None:
    with server.client() as c:
        assert c.get("/v1/nothing").status_code == 404
        assert c.get("/v1/assess").status_code == 405


def test_json_body_routes_keep_their_contract(server: Server) -> None:
    """/v1/ask, /v1/extract and CDS feedback take their body as a pydantic model
    (web/documents.json_body) with the contract they had when they read it raw:
    YAML accepted, 415 for other media types, 422 naming the field without a
    "body." prefix, an oversized integer named at its field, 404 before the body."""
    question = "Can a liver calcification become cancer?"
    with server.client() as c:
        as_yaml = c.post(
            "/v1/ask",
            content=yaml.safe_dump({"question": question}),
            headers={"content-type": "application/yaml"},
        )
        plain = c.post("/v1/ask", content=question, headers={"content-type": "text/plain"})
        empty = c.post("/v1/ask", content=b"", headers={"content-type": "application/json"})
        huge = c.post(
            "/v1/ask",
            content='{"question": "x", "audience": ' + "7" * 5000 + "}",
            headers={"content-type": "application/json"},
        )
        many = c.post("/v1/extract", json={"text": "x", **{f"k{i}": 1 for i in range(500)}})
        feedback = c.post("/cds-services/no-such-service/feedback", json={"feedback": "not a list"})
    assert as_yaml.status_code == 200 and as_yaml.json()["answer"]
    assert plain.status_code == 415
    assert empty.status_code == 422 and empty.json()["detail"] == [
        {"field": "body", "problem": "is empty"}
    ]
    assert huge.status_code == 422 and huge.json()["detail"][0]["field"] == "audience"
    assert many.status_code == 422
    detail = many.json()["detail"]
    assert len(detail) == 21 and "(500 in all)" in detail[-1]["problem"]  # compact: 20 + count
    assert feedback.status_code == 404


def test_json_body_schemas_come_from_the_models(server: Server) -> None:
    """The requestBody of each json_body route names its model, and the model's schema
    (with the models it uses) is in the components."""
    doc = httpx.get(server.url + "/openapi.json").json()
    schemas = doc["components"]["schemas"]
    for path, model in (
        ("/v1/ask", "AskRequest"),
        ("/v1/extract", "ExtractRequest"),
        ("/cds-services/{service_id}/feedback", "FeedbackRequest"),
    ):
        body = doc["paths"][path]["post"]["requestBody"]
        assert body["content"]["application/json"]["schema"] == {
            "$ref": f"#/components/schemas/{model}"
        }
        assert model in schemas
    assert schemas["AskRequest"]["additionalProperties"] is False
    assert "FeedbackItem" in schemas  # a model FeedbackRequest uses
