"""Issue 16 probes on the registry face: dates past the calendar's end, CSV injection.

Through the real ``hepcalc serve`` command (SQLite file in a temp directory).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterator
from pathlib import Path

import pytest

from hepcalc.registry.worklist import COLUMNS, render
from tests.web.conftest import Server, start_server, stop_server

TOKEN = "hostile-registry-token"
AUTH = {"authorization": f"Bearer {TOKEN}"}
REPORT = "Liver: There is a 9 mm calcification in segment 3."
FORMULA = '=HYPERLINK("http://evil.example","open")'


@pytest.fixture(scope="module")
def registry_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("registry")
    srv = start_server(
        tmp,
        env={"HEPCALC_REGISTRY_TOKEN": TOKEN, "HEPCALC_DB": f"sqlite:///{tmp / 'reg.db'}"},
    )
    yield srv
    stop_server(srv)


def _line(rid: str, date: str, patient_id: str = "h-1") -> dict[str, object]:
    return {
        "id": rid,
        "patient_id": patient_id,
        "date": date,
        "modality": "US",
        "text": REPORT,
        "patient": {"age": 61, "sex": "male", "risk_factors": {"cirrhosis": True}},
    }


def test_ingest_with_exam_in_9999_is_422_naming_the_report(registry_server: Server) -> None:
    body = {"reports": [_line("ok-1", "2024-01-10"), _line("late-1", "9999-12-31")]}
    with registry_server.client() as c:
        r = c.post("/v1/registry/ingest", json=body, headers=AUTH)
    assert r.status_code == 422, r.text
    assert [p["field"] for p in r.json()["detail"]] == ["reports[1].date"]


def test_worklist_as_of_past_the_calendar_is_422(registry_server: Server) -> None:
    with registry_server.client() as c:
        r = c.get(
            "/v1/registry/worklist",
            params={"as_of": "9999-12-31", "days": "3650"},
            headers=AUTH,
        )
    assert r.status_code == 422, r.text
    assert r.json()["detail"][0]["field"] == "as_of"


def test_worklist_csv_neutralises_formulas_over_http(registry_server: Server) -> None:
    with registry_server.client() as c:
        r = c.post(
            "/v1/registry/ingest",
            json={"reports": [_line("csv-1", "2024-01-10", patient_id=FORMULA)]},
            headers=AUTH,
        )
        assert r.status_code == 200, r.text
        r = c.get(
            "/v1/registry/worklist",
            params={"as_of": "2199-01-01", "format": "csv", "patient": FORMULA},
            headers=AUTH,
        )
    assert r.status_code == 200, r.text
    rows = list(csv.DictReader(io.StringIO(r.text)))
    assert rows, r.text
    for row in rows:
        assert row["patient"] == "'" + FORMULA
        for value in row.values():
            assert not value.startswith(("=", "+", "@")), row


def test_csv_cells_starting_with_formula_characters_are_text() -> None:
    row = dict.fromkeys(COLUMNS, "")
    row.update(
        id=1,
        patient="+1+cmd|' /C calc'!A0",
        track="-2+3",
        rationale="@SUM(A1)",
        finding="\tcell",
        action="=1+1",
        interval_months=None,
        days_overdue=-3,  # a number stays a number
    )
    out = list(csv.DictReader(io.StringIO(render([row], "csv", dt.date(2024, 1, 1)))))
    assert out[0]["patient"] == "'+1+cmd|' /C calc'!A0"
    assert out[0]["track"] == "'-2+3"
    assert out[0]["rationale"] == "'@SUM(A1)"
    assert out[0]["finding"] == "'\tcell"
    assert out[0]["action"] == "'=1+1"
    assert out[0]["days_overdue"] == "-3"
