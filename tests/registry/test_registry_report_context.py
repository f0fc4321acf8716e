"""Report-stated patient context in the registry (issue 13), on real SQLite.

``hepcalc registry ingest`` of the shipped ``examples/reports.jsonl`` through the
installed console script; the stored assessment must carry what each report says
about the patient (chronic hepatitis B, a known colorectal cancer), as ``assess``
and ``scan --assess`` do for the same text.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import EXAMPLES

HEPCALC = [str(Path(sys.executable).parent / "hepcalc")]


@pytest.mark.xfail(
    reason=(
        "the registry builds each Case from stored findings without the report text, so "
        "the engine cannot read the patient context; registry/ingest.py is being "
        "restructured (batched ingest) by its owner; the exams it builds need report_text "
        "(asked for in the issue-13A report)"
    ),
    strict=False,
)
def test_registry_ingest_assessment_carries_the_report_context(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    p = subprocess.run(
        [*HEPCALC, "registry", "ingest", str(EXAMPLES / "reports.jsonl"), "--db", db],
        capture_output=True,
        text=True,
        timeout=300,
        env=dict(os.environ),
    )
    assert p.returncode == 0, p.stderr
    engine = create_engine(db)
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "select p.pseudonym, a.result from assessments a "
                "join patients p on p.id = a.patient_id order by a.id"
            )
        ).all()
    latest = {pid: json.loads(r) if isinstance(r, str) else r for pid, r in rows}
    hbv = latest["p-002"]["risk"]
    assert hbv["tier"] == "high" and "chronic_hbv" in hbv["factors"]
    assert "extrahepatic_malignancy" in latest["p-003"]["risk"]["factors"]
    assert "chronic_hbv" not in latest.get("p-004", {"risk": {"factors": []}})["risk"]["factors"]
