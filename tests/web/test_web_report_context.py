"""Report-stated patient context over HTTP (issue 13): JSON case, FHIR Bundle, web form.

The same report gives the same risk in every face, because every face goes
through the engine with the report text. Real server, real socket.
"""

from __future__ import annotations

import html
import re

from tests.web.conftest import Server, bundle, imaging_report, patient

HBV_REPORT = (
    "CLINICAL HISTORY: Chronic hepatitis B.\n"
    "FINDINGS: Liver: 8 mm coarse calcification in segment 7. No associated mass."
)
CIRRHOTIC = "FINDINGS: Nodular cirrhotic liver. 8 mm coarse calcification in segment 7."


def test_json_case_with_report_text_gets_the_stated_context(server: Server) -> None:
    case = {
        "patient": {"age": 60},
        "exams": [{"modality": "US", "date": "2026-01-05", "report_text": HBV_REPORT}],
    }
    with server.client() as c:
        r = c.post("/v1/assess", json=case)
    assert r.status_code == 200, r.text
    risk = r.json()["risk"]
    assert risk["tier"] == "high" and "chronic_hbv" in risk["factors"]
    assert any("taken from the report" in s for s in risk["assumptions"])
    assert r.json().get("lirads")


def test_json_case_contradiction_is_a_warning(server: Server) -> None:
    case = {
        "patient": {"age": 60, "risk_factors": {"cirrhosis": False}},
        "exams": [{"modality": "US", "report_text": CIRRHOTIC}],
    }
    with server.client() as c:
        r = c.post("/v1/assess", json=case)
    assert r.status_code == 200, r.text
    codes = [w["code"] for w in r.json()["warnings"]]
    assert "input_contradiction" in codes
    assert "cirrhosis" in r.json()["risk"]["factors"]


def test_fhir_bundle_report_text_context_reaches_the_engine(server: Server) -> None:
    b = bundle(
        patient(birth="1960-01-01"),
        imaging_report(
            "r1",
            "CT abdomen",
            "2026-01-05",
            "INDICATION: History of colorectal cancer.\n"
            "FINDINGS: Liver: 12 mm coarse calcification in segment 6.",
        ),
    )
    with server.client() as c:
        r = c.post("/v1/assess", json=b)
    assert r.status_code == 200, r.text
    risk = r.json()["risk"]
    assert "extrahepatic_malignancy" in risk["factors"]
    assert any("colorectal" in s for s in risk["assumptions"])


def test_web_form_pasted_report_gets_the_stated_context(server: Server) -> None:
    form = {"exam1_date": "2026-01-05", "exam1_modality": "US", "exam1_text": HBV_REPORT}
    with server.client() as c:
        r = c.post("/assess", data=form)
        assert r.status_code == 303, r.text
        page = c.get(r.headers["location"])
    assert page.status_code == 200
    body = re.sub(r"<(style|script)\b.*?</\1>", " ", page.text, flags=re.S)
    text = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())
    assert "risk tier: high" in text.lower() and "hbv" in text.lower(), text[:3000]
