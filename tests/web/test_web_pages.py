"""The web pages over HTTP (no browser): headers, flows, and no 5xx for any form input."""

from __future__ import annotations

import re

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.conftest import GROWING_1, GROWING_2, Server

FIELDS = [
    "age",
    "sex",
    "afp",
    "rf_cirrhosis",
    "rf_prior_hcc",
    "symptoms",
    "exam1_date",
    "exam1_modality",
    "exam1_text",
    "exam1_kind",
    "exam1_size",
    "exam1_pattern",
    "exam1_segment",
    "exam2_date",
    "exam2_modality",
    "exam2_text",
    "exam2_kind",
    "exam2_size",
]


def test_index_has_security_headers_and_labels(server: Server) -> None:
    r = httpx.get(server.url + "/")
    assert r.status_code == 200
    assert "script-src 'nonce-" in r.headers["content-security-policy"]
    assert r.headers["referrer-policy"] == "no-referrer"
    assert r.headers["cache-control"] == "no-store"
    ids = set(re.findall(r'<(?:input|select|textarea)[^>]*\bid="([^"]+)"', r.text))
    labelled = set(re.findall(r'<label[^>]*\bfor="([^"]+)"', r.text))
    assert ids and ids <= labelled


def test_comparison_form_redirects_to_a_tokenised_report(server: Server) -> None:
    form = {
        "age": "61",
        "rf_cirrhosis": "no",
        "exam1_date": "2023-01-10",
        "exam1_modality": "CT",
        "exam1_text": GROWING_1,
        "exam2_date": "2024-01-10",
        "exam2_modality": "CT",
        "exam2_text": GROWING_2,
    }
    with server.client() as c:
        r = c.post("/assess", data=form)
        assert r.status_code == 303
        location = r.headers["location"]
        assert re.fullmatch(r"/report/[A-Za-z0-9_-]{22}", location)
        page = c.get(location)
        patient = c.get(location + "?audience=patient")
        printed = c.get(location + "?print=1")
    assert page.status_code == 200 and "25" in page.text and "Differential" in page.text
    assert 'class="for-patient" hidden' not in patient.text.replace("  ", " ")
    assert 'class="print-view"' in printed.text


def test_structured_finding_form(server: Server) -> None:
    form = {
        "age": "40",
        "exam1_modality": "US",
        "exam1_kind": "calcification",
        "exam1_size": "6",
        "exam1_pattern": "punctate",
        "exam1_segment": "6",
    }
    with server.client() as c:
        r = c.post("/assess", data=form)
    assert r.status_code == 303


def test_form_errors_are_422_and_name_fields(server: Server) -> None:
    with server.client() as c:
        empty = c.post("/assess", data={"age": "50"})
        bad = c.post("/assess", data={"exam1_kind": "calcification", "exam1_size": "-4"})
    assert empty.status_code == 422 and "at least one exam" in empty.text
    assert bad.status_code == 422 and "exams[0].findings[0].size_mm" in bad.text
    assert 'aria-invalid="true"' in bad.text


def test_missing_report_and_ask(server: Server) -> None:
    with server.client() as c:
        missing = c.get("/report/doesnotexist")
        empty_q = c.post("/ask", data={"question": " "})
        answered = c.post(
            "/ask", data={"question": "What is a calcified granuloma?", "audience": "patient"}
        )
    assert missing.status_code == 404 and "no longer available" in missing.text
    assert empty_q.status_code == 422
    assert answered.status_code == 200 and "Answer" in answered.text


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
@given(form=st.dictionaries(st.sampled_from(FIELDS), st.text(max_size=30), max_size=8))
def test_no_form_input_gives_a_server_error(server: Server, form: dict[str, str]) -> None:
    r = httpx.post(server.url + "/assess", data=form, timeout=30)
    assert r.status_code in (303, 422), r.text[:300]
