"""`hepcalc assess` through its real face: a subprocess, exit codes, stdout/stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([*CLI, *args], input=data, capture_output=True, timeout=120)


def test_seed_000_json_answers_the_question() -> None:
    p = run("assess", str(EXAMPLES / "seed-000.yaml"), "--format", "json")
    assert p.returncode == 0, p.stderr.decode()
    a = json.loads(p.stdout)
    by_track = {g["track"]: g for g in a["growth"]}
    assert by_track["A"]["status"] == "significant_growth"
    assert by_track["A"]["from_mm"] == 14 and by_track["A"]["to_mm"] == 25
    assert by_track["B"]["status"] == "within_variability"
    actions = [r["action"] for r in a["recommendations"]]
    assert actions[0] == "noncontrast_ct"
    assert "no_further_workup" not in actions
    assert a["summary"]["clinician"] and a["summary"]["patient"]
    assert "lirads" not in a  # LI-RADS does not apply to her


def test_text_and_patient_audience() -> None:
    p = run("assess", str(EXAMPLES / "seed-000.yaml"), "--format", "text")
    assert p.returncode == 0 and b"Non-contrast CT" in p.stdout and b"rule: growth" in p.stdout
    q = run("assess", str(EXAMPLES / "seed-000.yaml"), "--format", "text", "--audience", "patient")
    assert q.returncode == 0 and q.stdout and q.stdout != p.stdout


def test_stdin_json() -> None:
    case = {"exams": [{"modality": "US", "findings": [{"kind": "calcification", "size_mm": 4}]}]}
    p = run("assess", "-", stdin=json.dumps(case))
    assert p.returncode == 0, p.stderr.decode()
    assert json.loads(p.stdout)["recommendations"]


def test_determinism_byte_identical_output() -> None:
    a = run("assess", str(EXAMPLES / "seed-000.yaml"))
    b = run("assess", str(EXAMPLES / "seed-000.yaml"))
    assert a.returncode == 0 and a.stdout == b.stdout


@pytest.mark.parametrize(
    ("stdin", "needle"),
    [
        ('{"exams": [', "malformed JSON"),
        (
            '{"exams": [{"modality": "US", "findings": '
            '[{"kind": "calcification", "size_mm": -2}]}]}',
            "exams[0].findings[0].size_mm: must be > 0",
        ),
        (
            '{"exams": [{"modality": "US", "date": "2023-01-01"}, {"modality": "CT"}]}',
            "exams[1].date",
        ),
        ("patient: {age: 300}\nexams: [{modality: US}]", "patient.age: must be <= 120"),
        ("\u0000\u202e\ufeff garbage \U0001f600", "invalid input"),
        ("[1, 2, 3]", "must be an object"),
    ],
)
def test_bad_input_exit_2_one_line_no_traceback(stdin: str, needle: str) -> None:
    p = run("assess", "-", stdin=stdin)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert needle in err
    assert "Traceback" not in err
    assert p.stdout == b""


def test_missing_file_and_directory(tmp_path: Path) -> None:
    p = run("assess", str(tmp_path / "nope.yaml"))
    assert p.returncode == 2 and b"no such file" in p.stderr
    p = run("assess", str(tmp_path))
    assert p.returncode == 2 and b"is a directory" in p.stderr


def test_oversized_input_is_refused_quickly(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b'{"exams": [{"modality": "US", "report_text": "' + b"x" * 50_000_000 + b'"}]}')
    p = run("assess", str(big))
    assert p.returncode == 2 and b"larger than" in p.stderr


def test_unknown_format_is_usage_error() -> None:
    p = run("assess", str(EXAMPLES / "seed-000.yaml"), "--format", "pdf")
    assert p.returncode == 2 and b"Traceback" not in p.stderr
