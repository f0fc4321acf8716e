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

from sqlalchemy import create_engine, text

from tests.conftest import EXAMPLES

HEPCALC = [str(Path(sys.executable).parent / "hepcalc")]


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


def test_context_stated_in_an_earlier_report_still_counts_later(tmp_path: Path) -> None:
    """Hepatitis B said once, in the first report, still makes the later assessment high risk.

    The second report does not repeat the history (real follow-up reports rarely
    do); the registry gives the engine every stored report of the patient, so the
    case reads the same as `assess` with both reports would.
    """
    feed = tmp_path / "feed.jsonl"
    lines = [
        {
            "id": "a-1",
            "patient_id": "p-hbv",
            "date": "2025-01-10",
            "modality": "US",
            "text": "HISTORY: Chronic hepatitis B.\nFINDINGS: Liver: 6 mm calcification in "
            "segment 6 with shadowing.",
        },
        {
            "id": "a-2",
            "patient_id": "p-hbv",
            "date": "2025-07-10",
            "modality": "US",
            "text": "FINDINGS: Liver: 6 mm calcification in segment 6, unchanged.",
        },
    ]
    feed.write_text("\n".join(json.dumps(x) for x in lines) + "\n", encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'reg.db'}"
    p = subprocess.run(
        [*HEPCALC, "registry", "ingest", str(feed), "--db", db],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr
    with create_engine(db).connect() as conn:
        results = [
            json.loads(r) if isinstance(r, str) else r
            for (r,) in conn.execute(text("select result from assessments order by id"))
        ]
    assert len(results) == 2
    assert all("chronic_hbv" in r["risk"]["factors"] for r in results)
    assert results[-1]["risk"]["tier"] == "high"
