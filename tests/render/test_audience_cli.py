"""`--audience` and `--detail` through the real command line (subprocess, exit codes).

The audience is never silently ignored: every format with words changes for the
patient, and the one that cannot (JSON carries both summaries) exits 2 with a
clear message instead of printing the clinician's output.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import EXAMPLES

CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]
SEED = str(EXAMPLES / "seed-000.yaml")


def run(*args: str) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([*CLI, *args], capture_output=True, timeout=120)


@pytest.mark.parametrize("fmt", ["text", "sentence", "html", "fhir"])
def test_patient_audience_changes_the_words(fmt: str) -> None:
    clinician = run("assess", SEED, "--format", fmt)
    patient = run("assess", SEED, "--format", fmt, "--audience", "patient")
    assert clinician.returncode == 0 and patient.returncode == 0, patient.stderr.decode()
    assert patient.stdout and patient.stdout != clinician.stdout
    if fmt in ("text", "sentence"):
        assert b"Track A" not in patient.stdout and b"[A]" not in patient.stdout


def test_fhir_narrative_follows_the_audience() -> None:
    bundle = json.loads(run("assess", SEED, "--format", "fhir", "--audience", "patient").stdout)
    report = next(
        e["resource"]
        for e in bundle["entry"]
        if e["resource"]["resourceType"] == "DiagnosticReport"
    )
    assert "What did the scan show?" in report["text"]["div"]


def test_json_for_the_patient_is_refused_not_ignored() -> None:
    p = run("assess", SEED, "--format", "json", "--audience", "patient")
    assert p.returncode == 2
    assert b"summary.patient" in p.stderr and b"Traceback" not in p.stderr
    assert p.stdout == b""


def test_detail_keeps_everything_and_is_refused_elsewhere() -> None:
    short = run("assess", SEED, "--format", "text")
    full = run("assess", SEED, "--format", "text", "--detail")
    assert short.returncode == 0 and full.returncode == 0
    assert len(full.stdout) > len(short.stdout)
    assert b"evidence" in full.stdout or b"for:" in full.stdout
    body = short.stdout.decode().split("\nREFERENCES\n")[0]
    assert len(body) <= 3500
    for args in (("--format", "json"), ("--format", "text", "--audience", "patient")):
        p = run("assess", SEED, *args, "--detail")
        assert p.returncode == 2 and b"detail" in p.stderr and b"Traceback" not in p.stderr


def test_summary_clinician_is_a_short_note() -> None:
    data = json.loads(run("assess", SEED, "--format", "json").stdout)
    assert 0 < len(data["summary"]["clinician"]) <= 1500
    assert data["summary"]["clinician"].startswith("Risk: ")
