"""CDS Hooks 2.0 over a real socket: discovery, patient-view, order-select, feedback."""

from __future__ import annotations

import re
import uuid
from typing import Any

import jsonschema
import pytest
from fhir.resources.R4B import get_fhir_model_class

from tests.web.cds_schemas import DISCOVERY, RESPONSE, card_invariant_errors
from tests.web.conftest import (
    GROWING_1,
    GROWING_2,
    STABLE_SMALL,
    Server,
    bundle,
    condition,
    imaging_report,
    patient,
)

PV = "/cds-services/hepcalc-liver-calcification"
OS = "/cds-services/hepcalc-imaging-order"


def hook_request(hook: str, prefetch: dict[str, Any] | None, **context: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "hook": hook,
        "hookInstance": str(uuid.uuid4()),
        "context": {"userId": "Practitioner/dr1", "patientId": "p1", **context},
    }
    if prefetch is not None:
        body["prefetch"] = prefetch
    return body


def growing_prefetch() -> dict[str, Any]:
    return {
        "patient": patient(),
        "conditions": bundle(condition("19943007"), btype="searchset"),
        "imagingReports": bundle(
            imaging_report("r2", "CT abdomen", "2024-01-10", GROWING_2),
            imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1),
            btype="searchset",
        ),
    }


def stable_prefetch() -> dict[str, Any]:
    return {
        "patient": patient(birth="1984-01-01"),
        "conditions": None,
        "imagingReports": bundle(
            imaging_report("r1", "CT abdomen", "2024-01-10", STABLE_SMALL), btype="searchset"
        ),
    }


def check_response(body: dict[str, Any]) -> None:
    jsonschema.validate(body, RESPONSE)
    assert card_invariant_errors(body) == []


def test_discovery_validates_against_the_spec_schema(server: Server) -> None:
    with server.client() as c:
        r = c.get("/cds-services")
    assert r.status_code == 200
    body = r.json()
    jsonschema.validate(body, DISCOVERY)
    hooks = {s["hook"]: s for s in body["services"]}
    assert set(hooks) == {"patient-view", "order-select"}
    assert hooks["patient-view"]["prefetch"]["patient"] == "Patient/{{context.patientId}}"


def test_patient_view_growth_gives_valid_actionable_cards(server: Server) -> None:
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", growing_prefetch()))
        assert r.status_code == 200, r.text
        body = r.json()
        check_response(body)
        cards = body["cards"]
        assert cards, "growth in a cirrhotic patient must give a card"
        assert any(card["indicator"] in ("warning", "critical") for card in cards)
        assert any(card.get("suggestions") for card in cards)
        for card in cards:
            assert len(card["summary"]) < 140
            assert card["source"]["url"].startswith("https://")
            link = card["links"][0]["url"]
            # the link holds a random token only: no patient id, no report id, no query
            assert re.fullmatch(re.escape(server.url) + r"/report/[A-Za-z0-9_-]{22}", link)
        report = c.get(cards[0]["links"][0]["url"].replace(server.url, ""))
        assert report.status_code == 200 and "Recommendation" in report.text
    for card in cards:
        for s in card.get("suggestions", []):
            for action in s["actions"]:
                if action["type"] == "create":
                    get_fhir_model_class(action["resource"]["resourceType"]).model_validate(
                        action["resource"]
                    )


def test_patient_view_nothing_to_act_on_gives_no_cards(server: Server) -> None:
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", stable_prefetch()))
    assert r.status_code == 200, r.text
    assert r.json() == {"cards": []}


def test_patient_view_without_imaging_gives_no_cards(server: Server) -> None:
    prefetch = {"patient": patient(), "conditions": None, "imagingReports": None}
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", prefetch))
    assert r.status_code == 200 and r.json() == {"cards": []}


@pytest.mark.parametrize("with_server", [False, True])
def test_missing_prefetch_is_412_even_with_fhir_server(server: Server, with_server: bool) -> None:
    prefetch = growing_prefetch()
    del prefetch["imagingReports"]
    body = hook_request("patient-view", prefetch)
    if with_server:
        body["fhirServer"] = "https://ehr.example.test/fhir"
    with server.client() as c:
        r = c.post(PV, json=body)
    assert r.status_code == 412
    assert r.json()["resourceType"] == "OperationOutcome"
    assert "imagingReports" in r.json()["issue"][0]["diagnostics"]


def test_prefetch_operation_outcome_counts_as_missing(server: Server) -> None:
    prefetch = growing_prefetch()
    prefetch["conditions"] = {
        "resourceType": "OperationOutcome",
        "issue": [{"severity": "error", "code": "forbidden"}],
    }
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", prefetch))
    assert r.status_code == 412
    assert "conditions" in r.json()["issue"][0]["diagnostics"]


def test_bad_hook_calls_are_422_or_404(server: Server) -> None:
    with server.client() as c:
        wrong_hook = c.post(PV, json=hook_request("order-sign", growing_prefetch()))
        no_patient = c.post(
            PV,
            json={
                **hook_request("patient-view", growing_prefetch()),
                "context": {"userId": "Practitioner/1"},
            },
        )
        mismatch = growing_prefetch()
        mismatch["patient"]["id"] = "someone-else"
        other = c.post(PV, json=hook_request("patient-view", mismatch))
        bad_fhir = growing_prefetch()
        bad_fhir["patient"]["gender"] = "x"
        invalid = c.post(PV, json=hook_request("patient-view", bad_fhir))
        unknown = c.post("/cds-services/nope", json=hook_request("patient-view", {}))
    assert wrong_hook.status_code == 422 and wrong_hook.json()["detail"][0]["field"] == "hook"
    assert no_patient.status_code == 422
    assert no_patient.json()["detail"][0]["field"] == "context.patientId"
    assert other.status_code == 422
    assert invalid.status_code == 422
    assert invalid.json()["detail"][0]["field"] == "prefetch.patient.gender"
    assert unknown.status_code == 404


def draft_orders(text: str, order_id: str = "draft-1") -> dict[str, Any]:
    return bundle(
        {
            "resourceType": "ServiceRequest",
            "id": order_id,
            "status": "draft",
            "intent": "order",
            "code": {"text": text},
            "subject": {"reference": "Patient/p1"},
        }
    )


def test_order_select_mri_for_known_calcification_suggests_ct(server: Server) -> None:
    body = hook_request(
        "order-select",
        stable_prefetch(),
        selections=["ServiceRequest/draft-1"],
        draftOrders=draft_orders("MRI abdomen with contrast"),
    )
    with server.client() as c:
        r = c.post(OS, json=body)
    assert r.status_code == 200, r.text
    check_response(r.json())
    [card] = r.json()["cards"]
    assert "CT" in card["summary"]
    assert card["selectionBehavior"] == "at-most-one"
    [suggestion] = card["suggestions"]
    types = {a["type"]: a for a in suggestion["actions"]}
    assert types["delete"]["resourceId"] == "ServiceRequest/draft-1"
    created = types["create"]["resource"]
    get_fhir_model_class("ServiceRequest").model_validate(created)
    assert "CT" in created["code"]["text"]
    assert card["source"]["url"].startswith("https://doi.org/")


@pytest.mark.parametrize(
    ("order_text", "prefetch_fn"),
    [("CT abdomen", stable_prefetch), ("MRI abdomen", None)],
)
def test_order_select_stays_quiet_otherwise(
    server: Server, order_text: str, prefetch_fn: Any
) -> None:
    prefetch = (
        prefetch_fn()
        if prefetch_fn
        else {"patient": patient(), "conditions": None, "imagingReports": None}
    )
    body = hook_request(
        "order-select",
        prefetch,
        selections=["ServiceRequest/draft-1"],
        draftOrders=draft_orders(order_text),
    )
    with server.client() as c:
        r = c.post(OS, json=body)
    assert r.status_code == 200 and r.json() == {"cards": []}


def test_feedback_is_idempotent(server: Server) -> None:
    item = {
        "card": str(uuid.uuid4()),
        "outcome": "accepted",
        "acceptedSuggestions": [{"id": str(uuid.uuid4())}],
        "outcomeTimestamp": "2026-01-01T10:00:00Z",
    }
    override = {
        "card": str(uuid.uuid4()),
        "outcome": "overridden",
        "overrideReason": {
            "reason": {
                "code": "mri-for-lesion",
                "system": "urn:hepcalc:cds:override-reason",
                "display": "MRI is for a lesion",
            },
            "userComment": "lesion",
        },
        "outcomeTimestamp": "2026-01-01T10:01:00Z",
    }
    with server.client() as c:
        first = c.post(PV + "/feedback", json={"feedback": [item, override]})
        again = c.post(PV + "/feedback", json={"feedback": [item]})
        bad = c.post(PV + "/feedback", json={"feedback": [{**item, "acceptedSuggestions": []}]})
        no_ts = c.post(PV + "/feedback", json={"feedback": [{**item, "outcomeTimestamp": "now"}]})
    assert first.status_code == 200 and first.json() == {"received": 2, "new": 2}
    assert again.status_code == 200 and again.json() == {"received": 1, "new": 0}
    assert bad.status_code == 422
    assert no_ts.status_code == 422
