"""FHIR R4 Bundle: validates with fhir.resources (R4B models), carries the agreed codes."""

from __future__ import annotations

import json

from fhir.resources.R4B.bundle import Bundle

from hepcalc.model import Action, Assessment
from hepcalc.render import render
from hepcalc.render.fhir import add_months

# LOINC codes checked against the C-CDA "LOINC Imaging Document Codes" value set
# (docs/renderings.md); anything else must not appear.
VERIFIED_LOINC = {"18748-4", "24532-4"}


def bundle(a: Assessment) -> dict:
    text = render(a, "fhir")
    Bundle.model_validate_json(text)  # raises on any structural error
    return json.loads(text)


def resources(b: dict, kind: str) -> list[dict]:
    return [e["resource"] for e in b["entry"] if e["resource"]["resourceType"] == kind]


def test_bundle_validates_and_is_a_collection(any_case: Assessment) -> None:
    b = bundle(any_case)
    assert b["type"] == "collection"
    assert len({e["fullUrl"] for e in b["entry"]}) == len(b["entry"])


def test_observations_per_finding_with_liver_and_calcification(any_case: Assessment) -> None:
    obs = resources(bundle(any_case), "Observation")
    assert len(obs) == len(any_case.findings)
    for o in obs:
        assert o["category"][0]["coding"][0]["code"] == "imaging"
        assert o["bodySite"]["coding"][0] == {
            "system": "http://snomed.info/sct",
            "code": "10200004",
            "display": "Liver structure",
        }
        assert o["valueCodeableConcept"]["coding"][0]["code"] == "18115005"
        assert "post-coordinated" in o["note"][0]["text"]


def test_service_request_per_follow_up_with_timing(any_case: Assessment) -> None:
    b = bundle(any_case)
    srs = resources(b, "ServiceRequest")
    wanted = [r for r in any_case.recommendations if r.action is not Action.no_further_workup]
    assert len(srs) == len(wanted)
    for sr, rec in zip(srs, wanted, strict=True):
        assert (sr["status"], sr["intent"]) == ("draft", "proposal")
        assert rec.action.value in {c["code"] for c in sr["code"]["coding"]}
        if rec.interval_months:
            assert "occurrencePeriod" in sr or "occurrenceTiming" in sr


def test_follow_up_period_counts_from_the_latest_exam(prenatal: Assessment) -> None:
    sr = next(
        s
        for s in resources(bundle(prenatal), "ServiceRequest")
        if "follow_up_imaging" in {c["code"] for c in s["code"]["coding"]}
    )
    assert sr["occurrencePeriod"] == {"start": "2024-03-01", "end": "2024-04-01"}


def test_surveillance_is_a_repeating_timing(cirrhosis_lr4: Assessment) -> None:
    srs = resources(bundle(cirrhosis_lr4), "ServiceRequest")
    surv = next(s for s in srs if "hcc_surveillance" in {c["code"] for c in s["code"]["coding"]})
    assert surv["occurrenceTiming"]["repeat"]["period"] == 6
    assert surv["occurrenceTiming"]["repeat"]["periodUnit"] == "mo"


def test_diagnostic_report_and_risk_assessment(seed000_growth: Assessment) -> None:
    b = bundle(seed000_growth)
    (report,) = resources(b, "DiagnosticReport")
    assert report["code"]["coding"][0]["code"] == "18748-4"
    assert "non-contrast CT" in report["conclusion"]
    assert len(report["result"]) == 2
    (risk,) = resources(b, "RiskAssessment")
    assert risk["prediction"][0]["qualitativeRisk"]["coding"][0]["code"] == "low"
    assert "unknown (not assumed absent): cirrhosis" in risk["prediction"][0]["rationale"]


def test_only_verified_loinc_codes(any_case: Assessment) -> None:
    text = render(any_case, "fhir")
    found = set()

    def walk(x: object) -> None:
        if isinstance(x, dict):
            if x.get("system") == "http://loinc.org":
                found.add(x["code"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)

    walk(json.loads(text))
    assert found <= VERIFIED_LOINC


def test_add_months_is_calendar_safe() -> None:
    import datetime as dt

    assert add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert add_months(dt.date(2023, 11, 15), 3) == dt.date(2024, 2, 15)
