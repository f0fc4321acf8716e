"""Out-of-range and hostile input on the command line: exit 2 naming the field, never 1.

Issue 16 probes: an integer of 100,000 digits (Python's int-string limit),
JSON nested 100,000 deep (RecursionError), an exam date no schedule can be
computed from (9999-12-31), and ``scan`` exiting 0 although lines failed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]
REPORT = "LIVER: A 14 mm coarse calcification in segment 7. No associated mass."


def run(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if stdin is not None else None
    return subprocess.run([*CLI, *args], input=data, capture_output=True, timeout=120)


def _assert_invalid(p: subprocess.CompletedProcess[bytes], *words: str) -> str:
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "invalid input" in err and "internal error" not in err and "Traceback" not in err
    for word in words:
        assert word in err, err
    return err


def test_huge_integer_names_its_field() -> None:
    doc = '{"patient": {"age": ' + "9" * 100_000 + '}, "exams": [{"modality": "US"}]}'
    err = _assert_invalid(run("assess", "-", stdin=doc), "patient.age", "100000 digits")
    assert len(err) < 500  # the number is not echoed back


def test_huge_integer_in_yaml_is_invalid_input() -> None:
    doc = "patient:\n  age: " + "9" * 100_000 + "\nexams:\n  - modality: US\n"
    _assert_invalid(run("assess", "-", stdin=doc))


def test_deep_nesting_is_invalid_input(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("[" * 100_000)
    _assert_invalid(run("assess", str(path)), "nested too deeply")
    path.write_text('{"a":' * 100_000)
    _assert_invalid(run("assess", str(path)), "nested too deeply")


def test_exam_date_beyond_any_schedule_is_invalid_input() -> None:
    for day in ("9999-12-31", "1066-10-14"):
        case = {"exams": [{"modality": "CT", "date": day, "report_text": REPORT}]}
        _assert_invalid(run("assess", "-", stdin=json.dumps(case)), "exams[0].date")


def test_scan_writes_good_lines_and_exits_3_when_lines_are_rejected(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    lines = [
        json.dumps({"id": "a", "text": REPORT}),
        '{"id": ' + "1" * 5000 + ', "text": "x"}',
        "[" * 100_000,
        json.dumps({"id": "b", "text": REPORT}),
    ]
    src.write_text("\n".join(lines) + "\n")
    p = run("scan", str(src), "--out", str(out))
    assert p.returncode == 3, p.stderr.decode()
    assert b"internal error" not in p.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert [r.get("id") for r in rows] == ["a", None, None, "b"]
    assert rows[1]["line"] == 2 and "too large" in rows[1]["error"]
    assert rows[2]["line"] == 3 and "nested too deeply" in rows[2]["error"]
    assert rows[0]["findings"] and rows[3]["findings"]


def test_scan_exits_0_when_every_line_is_read(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text(json.dumps({"id": "a", "text": REPORT}) + "\n")
    p = run("scan", str(src), "--out", str(out))
    assert p.returncode == 0, p.stderr.decode()


def test_registry_dates_past_the_calendar_are_invalid_input(tmp_path: Path) -> None:
    env_db = f"sqlite:///{tmp_path / 'reg.db'}"
    line = {
        "id": "a",
        "patient_id": "p",
        "date": "9999-12-31",
        "modality": "CT",
        "text": REPORT,
        "patient": {"risk_factors": {"cirrhosis": True}},
    }
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps(line) + "\n")
    import os

    env = {**os.environ, "HEPCALC_DB": env_db}
    for args, field in (
        (("registry", "ingest", str(src)), "line 1.date"),
        (("registry", "worklist", "--as-of", "9999-12-31", "--days", "30"), "as-of"),
    ):
        p = subprocess.run([*CLI, *args], capture_output=True, timeout=120, env=env)
        _assert_invalid(p, field)
