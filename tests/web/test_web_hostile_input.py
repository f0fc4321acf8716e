"""Issue 16 probes over a real socket: out-of-range values, FHIR mixing patients,
spoofed Host, security headers, compact errors, the anonymous report store.

Each test sends what an attacker (or a careless client) sent in the probes and
checks the service answers with a clear 4xx naming the field, never a 500.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.web.conftest import (
    GROWING_1,
    Server,
    b64,
    bundle,
    condition,
    imaging_report,
    patient,
    start_server,
    stop_server,
)
from tests.web.test_web_cds_hooks import PV, growing_prefetch, hook_request

REPORT = "LIVER: A 14 mm coarse calcification in segment 7. No associated mass."


def _problems(response: Any) -> list[dict[str, str]]:
    assert response.status_code == 422, response.text
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail
    return detail


def _fields(response: Any) -> list[str]:
    return [p["field"] for p in _problems(response)]


# ---------------------------------------------------------------------------
# out-of-range values
# ---------------------------------------------------------------------------


def test_huge_integer_is_422_naming_the_field(server: Server) -> None:
    body = '{"patient": {"age": ' + "9" * 100_000 + '}, "exams": [{"modality": "US"}]}'
    with server.client() as c:
        r = c.post("/v1/assess", content=body, headers={"content-type": "application/json"})
        assert _fields(r) == ["patient.age"]
        assert len(r.content) < 1000  # the number is not echoed
        r = c.post(
            "/v1/extract",
            content='{"text": "x", "modality": ' + "1" * 5000 + "}",
            headers={"content-type": "application/json"},
        )
        assert _fields(r) == ["modality"]


def test_deep_nesting_is_422(server: Server) -> None:
    with server.client() as c:
        r = c.post(
            "/v1/assess", content="[" * 100_000, headers={"content-type": "application/json"}
        )
        assert "nested too deeply" in _problems(r)[0]["problem"]


def test_exam_date_beyond_any_schedule_is_422(server: Server) -> None:
    case = {"exams": [{"modality": "CT", "date": "9999-12-31", "report_text": REPORT}]}
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=case)) == ["exams[0].date"]
        fhir = c.post(
            "/v1/assess",
            json=case,
            headers={"accept": "application/fhir+json"},
        )
        assert _fields(fhir) == ["exams[0].date"]


def test_cds_patient_view_with_exam_in_9999_is_422_naming_the_entry(server: Server) -> None:
    prefetch = growing_prefetch()
    prefetch["imagingReports"] = bundle(
        imaging_report("r2", "CT abdomen", "9999-12-31", REPORT),
        imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1),
        btype="searchset",
    )
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", prefetch))
    assert _fields(r) == ["prefetch.imagingReports.entry[0].resource.effectiveDateTime"]


@pytest.mark.parametrize("birth", ["2030-01-01", "1800-05-05", "1870"])
def test_implausible_birth_date_is_422_not_unknown_age(server: Server, birth: str) -> None:
    doc = bundle(patient(birth=birth), imaging_report("r1", "CT abdomen", "2024-01-10", REPORT))
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=doc)) == ["entry[0].resource.birthDate"]


def test_partial_and_plausible_birth_dates_still_give_an_age(server: Server) -> None:
    for birth in ("1970", "1970-03", "1970-03-04"):
        doc = bundle(patient(birth=birth), imaging_report("r1", "CT abdomen", "2024-01-10", REPORT))
        with server.client() as c:
            r = c.post("/v1/assess", json=doc)
        assert r.status_code == 200, r.text


# ---------------------------------------------------------------------------
# FHIR: one patient per Bundle, unknown types named
# ---------------------------------------------------------------------------


def test_report_of_another_patient_is_422_naming_the_entry(server: Server) -> None:
    doc = bundle(
        patient("p1"),
        imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1, pid="p1"),
        imaging_report("r2", "CT abdomen", "2024-01-10", REPORT, pid="p2"),
    )
    with server.client() as c:
        r = c.post("/v1/assess", json=doc)
    problem = _problems(r)[0]
    assert problem["field"] == "entry[2].resource.subject"
    assert "Patient/p2" in problem["problem"]


def test_condition_of_another_patient_is_422(server: Server) -> None:
    doc = bundle(
        patient("p1"),
        condition("19943007", pid="p9"),
        imaging_report("r1", "CT abdomen", "2024-01-10", REPORT),
    )
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=doc)) == ["entry[1].resource.subject"]


def test_subjects_must_agree_without_a_patient_resource(server: Server) -> None:
    doc = bundle(
        imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1, pid="p1"),
        imaging_report("r2", "CT abdomen", "2024-01-10", REPORT, pid="p2"),
    )
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=doc)) == ["entry[1].resource.subject"]


def test_absolute_and_fullurl_references_to_the_patient_are_accepted(server: Server) -> None:
    report = imaging_report("r1", "CT abdomen", "2024-01-10", REPORT)
    report["subject"] = {"reference": "urn:uuid:3f1c"}
    other = imaging_report("r0", "CT abdomen", "2023-01-10", GROWING_1)
    other["subject"] = {"reference": "https://ehr.example.test/fhir/Patient/p1/_history/3"}
    doc = {
        "resourceType": "Bundle",
        "type": "collection",
        "entry": [
            {"fullUrl": "urn:uuid:3f1c", "resource": patient("p1")},
            {"resource": report},
            {"resource": other},
        ],
    }
    with server.client() as c:
        r = c.post("/v1/assess", json=doc)
    assert r.status_code == 200, r.text


def test_cds_prefetch_report_of_another_patient_is_422(server: Server) -> None:
    prefetch = growing_prefetch()
    prefetch["imagingReports"]["entry"][0]["resource"]["subject"] = {"reference": "Patient/p2"}
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", prefetch))
    assert _fields(r) == ["prefetch.imagingReports.entry[0].resource.subject"]


@pytest.mark.parametrize("rtype", ["Foo", "", None])
def test_unknown_resource_type_is_422_naming_the_entry(server: Server, rtype: Any) -> None:
    odd: dict[str, Any] = {"id": "x"}
    if rtype is not None:
        odd["resourceType"] = rtype
    doc = bundle(patient(), imaging_report("r1", "CT abdomen", "2024-01-10", REPORT), odd)
    with server.client() as c:
        r = c.post("/v1/assess", json=doc)
    assert _fields(r) == ["entry[2].resource.resourceType"]


def test_unsupported_resource_type_is_422_naming_the_entry(server: Server) -> None:
    med = {"resourceType": "Medication", "id": "m1"}
    doc = bundle(patient(), imaging_report("r1", "CT abdomen", "2024-01-10", REPORT), med)
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=doc)) == ["entry[2].resource.resourceType"]


def test_two_patients_are_422(server: Server) -> None:
    doc = bundle(
        patient("p1"), patient("p2"), imaging_report("r1", "CT abdomen", "2024-01-10", REPORT)
    )
    with server.client() as c:
        assert _fields(c.post("/v1/assess", json=doc)) == ["entry[1].resource"]


# ---------------------------------------------------------------------------
# answers: compact errors, security headers
# ---------------------------------------------------------------------------


def test_sixty_thousand_unknown_keys_give_a_small_error(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--max-body-bytes", "2000000")
    try:
        body = json.dumps({f"unknown_{i}": 1 for i in range(60_000)})
        assert len(body) > 1_000_000
        with srv.client() as c:
            r = c.post("/v1/assess", content=body, headers={"content-type": "application/json"})
        detail = _problems(r)
        assert len(r.content) < 10_000
        assert len(detail) <= 21
        assert "60001 in all" in detail[-1]["problem"]  # 60,000 unknown + exams missing
    finally:
        stop_server(srv)


SECURITY = {
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
    "x-frame-options": "DENY",
    "referrer-policy": "no-referrer",
}


def test_security_headers_on_every_kind_of_answer(server: Server) -> None:
    case = {"exams": [{"modality": "CT", "report_text": REPORT}]}
    with server.client() as c:
        answers = [
            c.get("/healthz"),
            c.post("/v1/assess", json=case),
            c.post("/v1/assess", json=case, headers={"accept": "text/html"}),
            c.post("/v1/assess", json={"exams": []}),  # 422
            c.post("/v1/assess", content=b"x" * 300_000),  # 413 from the body limit
            c.get("/no/such/path"),  # 404
            c.get("/cds-services"),
            c.get("/"),
        ]
    for r in answers:
        for name, value in SECURITY.items():
            assert r.headers.get(name) == value, (r.request.url, r.status_code, name)
        assert "frame-ancestors 'none'" in r.headers.get("content-security-policy", "")
    page = answers[-1]
    assert "nonce-" in page.headers["content-security-policy"]  # the page keeps its own


# ---------------------------------------------------------------------------
# card links never from a caller-chosen Host
# ---------------------------------------------------------------------------


def _card_links(server: Server, headers: dict[str, str]) -> list[str]:
    with server.client() as c:
        r = c.post(PV, json=hook_request("patient-view", growing_prefetch()), headers=headers)
    assert r.status_code == 200, r.text
    links = [link["url"] for card in r.json()["cards"] for link in card.get("links", [])]
    assert links
    return links


def test_card_links_ignore_a_spoofed_host(server: Server) -> None:
    for link in _card_links(server, {"host": "evil.example"}):
        if "/report/" in link:
            assert "evil.example" not in link
            assert link.startswith(server.url + "/report/")


@pytest.fixture(scope="module")
def allow_listed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    srv = start_server(
        tmp_path_factory.mktemp("hosts"), env={"HEPCALC_ALLOWED_HOSTS": "hepcalc.example.test"}
    )
    yield srv
    stop_server(srv)


def test_card_links_use_an_allow_listed_host_only(allow_listed: Server) -> None:
    reports = [
        x for x in _card_links(allow_listed, {"host": "hepcalc.example.test"}) if "/report/" in x
    ]
    assert reports and all(x.startswith("http://hepcalc.example.test/report/") for x in reports)
    for link in _card_links(allow_listed, {"host": "evil.example"}):
        assert "evil.example" not in link


# ---------------------------------------------------------------------------
# the anonymous report store: one client cannot evict the others' links
# ---------------------------------------------------------------------------


def test_one_client_cannot_evict_another_clients_report_link(tmp_path: Path) -> None:
    srv = start_server(
        tmp_path,
        env={"HEPCALC_REPORT_STORE_MAX": "10", "HEPCALC_REPORTS_PER_CLIENT": "4"},
    )
    form = {"exam1_modality": "CT", "exam1_text": REPORT}
    try:
        with srv.client() as c:
            mine = c.post("/assess", data=form, headers={"x-forwarded-for": "10.0.0.1"})
            assert mine.status_code == 303, mine.text
            link = mine.headers["location"]
            theirs = []
            for _ in range(25):
                r = c.post("/assess", data=form, headers={"x-forwarded-for": "10.0.0.2"})
                assert r.status_code == 303
                theirs.append(r.headers["location"])
            assert c.get(link).status_code == 200  # still there
            assert c.get(theirs[-1]).status_code == 200
            assert c.get(theirs[0]).status_code == 404  # the flooder lost its own oldest
    finally:
        stop_server(srv)


def test_form_field_names_used_here_exist(server: Server) -> None:
    """Guards the store test above: the form really takes these fields."""
    with server.client() as c:
        page = c.get("/").text
    assert 'name="exam1_modality"' in page and 'name="exam1_text"' in page


def test_presented_form_text_reaches_the_reader(server: Server) -> None:
    """b64 helper sanity: a presentedForm report is read (guards the FHIR tests above)."""
    rep = imaging_report("r1", "CT abdomen", "2024-01-10", REPORT)
    assert rep["presentedForm"][0]["data"] == b64(REPORT)
    with server.client() as c:
        r = c.post("/v1/assess", json=bundle(patient(), rep))
    assert r.status_code == 200 and r.json()["findings"], r.text


def test_client_track_name_is_literal_text_in_fhir_markdown(server: Server) -> None:
    track = "[open](http://evil.example)<img src=x>"
    case = {
        "exams": [
            {
                "modality": "CT",
                "findings": [{"track": track, "kind": "calcification", "size_mm": 12}],
            }
        ]
    }
    with server.client() as c:
        r = c.post("/v1/assess", json=case, headers={"accept": "application/fhir+json"})
    assert r.status_code == 200, r.text
    notes = [
        note["text"]
        for entry in r.json()["entry"]
        if entry["resource"]["resourceType"] == "Observation"
        for note in entry["resource"].get("note", [])
    ]
    assert notes
    for text in notes:
        assert r"\[open\]\(http\://evil\.example\)\<img src=x\>" in text  # literal text
        assert not re.search(r"(?<!\\)[\[\]<>]", text)  # no unescaped link or HTML syntax
