"""The service log has request ids and timings, and never patient data."""

from __future__ import annotations

import json
import time
import uuid

from tests.web.conftest import Server, bundle, condition, imaging_report, patient

MARK = "ZQXJ" + uuid.uuid4().hex[:8].upper()  # text that appears nowhere else
MRN = "MRN-" + MARK
NAME = "Doe" + MARK


def test_no_report_text_or_identifier_reaches_the_log(server: Server) -> None:
    report = f"Patient {NAME} ({MRN}). LIVER: 9 mm calcification in segment 4. {MARK}"
    pat = patient(pid=MRN)
    pat["identifier"] = [{"system": "urn:mrn", "value": MRN}]
    pat["name"] = [{"family": NAME}]
    b = bundle(
        pat,
        condition("19943007", pid=MRN),
        imaging_report(f"rep-{MARK}", "CT abdomen", "2024-01-10", report, pid=MRN),
    )
    ids = []
    with server.client() as c:
        calls = [
            c.post(
                "/v1/assess",
                json={
                    "id": MRN,
                    "exams": [{"id": f"e-{MARK}", "modality": "US", "report_text": report}],
                },
            ),
            c.post("/v1/assess", json=b),
            c.post(f"/v1/assess?note={MARK}", json={"patient": {"sex": MARK}, "exams": []}),
            c.post("/v1/extract", json={"text": report}),
            c.post("/v1/ask", json={"question": f"what about {NAME}?"}),
            c.post(
                "/cds-services/hepcalc-liver-calcification",
                json={
                    "hook": "patient-view",
                    "hookInstance": MARK,
                    "context": {"patientId": MRN, "userId": f"Practitioner/{MARK}"},
                    "prefetch": {
                        "patient": pat,
                        "conditions": None,
                        "imagingReports": bundle(
                            imaging_report("r1", "CT", "2024-01-10", report, pid=MRN),
                            btype="searchset",
                        ),
                    },
                },
            ),
            c.get(f"/report/{MARK}"),
            c.get(f"/no/such/{MARK}"),
            c.post("/assess", data={"age": "44", "exam1_text": report, "exam1_modality": "CT"}),
            c.get("/healthz", headers={"x-request-id": f"{MARK} <bad>"}),
        ]
        for r in calls:
            assert r.status_code < 500, (r.request.url, r.status_code)
            ids.append(r.headers["x-request-id"])
    # the server writes the line after the response; give it a moment
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        logged = {line.get("request_id") for line in server.log_lines()}
        if set(ids) <= logged:
            break
        time.sleep(0.1)
    text = server.log_path.read_text(encoding="utf-8")
    assert MARK not in text
    assert MARK.lower() not in text.lower()
    lines = server.log_lines()
    assert set(ids) <= {line.get("request_id") for line in lines}
    for line in lines:
        if line.get("event") == "request":
            assert set(line) <= {
                "ts",
                "level",
                "logger",
                "event",
                "request_id",
                "method",
                "route",
                "status",
                "duration_ms",
                "bytes_in",
            }
    routes = {line.get("route") for line in lines}
    assert "/report/{token}" in routes and "<unmatched>" in routes
    json.dumps(lines)  # every line parsed as JSON
