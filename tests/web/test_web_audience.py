"""`?audience=` over a real socket: applied to every rendering with words, or refused.

JSON carries both summaries, so asking for the patient's JSON is a 422 naming
the audience, never the clinician's JSON returned as if the parameter were
understood.
"""

from __future__ import annotations

import json

from tests.web.conftest import Server

CASE = {
    "exams": [
        {
            "date": "2023-06-10",
            "modality": "US",
            "findings": [{"kind": "calcification", "size_mm": 14}],
        },
        {
            "date": "2023-12-17",
            "modality": "US",
            "findings": [{"kind": "calcification", "size_mm": 25}],
        },
    ]
}


def test_audience_applies_or_is_refused(server: Server) -> None:
    with server.client() as c:
        got = {}
        for accept in ("text/plain", "text/html", "application/fhir+json"):
            for audience in ("clinician", "patient"):
                r = c.post(f"/v1/assess?audience={audience}", json=CASE, headers={"accept": accept})
                assert r.status_code == 200, (accept, audience, r.text)
                got[(accept, audience)] = r.text
        refused = c.post("/v1/assess?audience=patient", json=CASE)
        plain = c.post("/v1/assess", json=CASE)
    for accept in ("text/plain", "text/html", "application/fhir+json"):
        assert got[(accept, "patient")] != got[(accept, "clinician")], accept
    assert "What did the scan show?" in got[("text/plain", "patient")]
    bundle = json.loads(got[("application/fhir+json", "patient")])
    report = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    )
    assert "What did the scan show?" in report["text"]["div"]
    assert refused.status_code == 422
    assert refused.json()["detail"][0]["field"] == "audience"
    assert plain.status_code == 200 and len(plain.json()["summary"]["clinician"]) <= 1500
