"""`hepcalc extract` and `hepcalc scan` through the real command line (subprocesses)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

# The console-script entry point, run the way the `hepcalc` script runs it.
CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]

REPORT = (
    "EXAM: CT ABDOMEN\n"
    "HISTORY: Pain.\n"
    "FINDINGS:\n"
    "LIVER: Two calcifications in the right lobe measuring 1.4 cm and 0.9 cm.\n"
    "SPLEEN: Calcified granuloma.\n"
    "IMPRESSION: Hepatic calcifications.\n"
)


def run(
    *args: str, stdin: bytes | None = None, timeout: float = 120
) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*CLI, *args], input=stdin, capture_output=True, timeout=timeout, check=False
    )


def test_extract_file_prints_findings_json(tmp_path: Path) -> None:
    p = tmp_path / "r.txt"
    p.write_text(REPORT, encoding="utf-8")
    res = run("extract", str(p))
    assert res.returncode == 0, res.stderr
    findings = json.loads(res.stdout)
    assert sorted(f["size_mm"] for f in findings) == [9.0, 14.0]
    for f in findings:
        assert f["calcified"] is True
        ev = f["evidence"]
        assert REPORT[ev["start"] : ev["end"]] == ev["sentence"]


def test_extract_stdin_verbose_shows_exclusions() -> None:
    res = run("extract", "-", "--verbose", "--modality", "US", stdin=REPORT.encode())
    assert res.returncode == 0, res.stderr
    out = json.loads(res.stdout)
    assert set(out) == {
        "findings",
        "excluded",
        "modality",
        "background_liver",
        "sections",
        "patient_context",
    }
    assert out["modality"] == "US"
    assert [e["reason"] for e in out["excluded"]] == ["other_organ"]


def test_extract_bad_inputs_exit_2(tmp_path: Path) -> None:
    res = run("extract", str(tmp_path / "missing.txt"))
    assert res.returncode == 2 and b"no such file" in res.stderr
    res = run("extract", "-", "--modality", "PET", stdin=b"x")
    assert res.returncode == 2
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"\xff\xfe calcification")
    res = run("extract", str(bad))
    assert res.returncode == 2 and b"UTF-8" in res.stderr
    assert b"Traceback" not in res.stderr


def test_extract_rejects_a_50_mb_file(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    with big.open("wb") as f:
        chunk = b"The liver has a calcification. " * 32768
        while f.tell() < 50_000_000:
            f.write(chunk)
    res = run("extract", str(big))
    assert res.returncode == 2
    assert b"limit" in res.stderr and b"Traceback" not in res.stderr


def _write_jsonl(path: Path, n: int, bad_lines: set[int]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for i in range(1, n + 1):
            if i in bad_lines:
                f.write('{"id": "broken", "text": \n')
            else:
                text = f"LIVER: {i % 9 + 1} mm calcified granuloma in segment {i % 8 + 1}."
                f.write(json.dumps({"id": f"r{i}", "text": text, "modality": "CT"}) + "\n")


def test_scan_reports_malformed_line_and_keeps_the_others(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, 10, {4})
    res = run("scan", str(src), "--out", str(out))
    # 3: the run finished, the good lines are written, and some line was rejected
    assert res.returncode == 3, res.stderr
    assert b"line 4" in res.stderr
    assert b"10 reports read, 9 with findings, 1 errors" in res.stderr
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 10
    assert rows[3]["line"] == 4 and "malformed JSON" in rows[3]["error"]
    assert [r["id"] for r in rows if "id" in r] == [f"r{i}" for i in range(1, 11) if i != 4]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_scan_output_is_ordered(tmp_path: Path, workers: str) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, 1200, {7, 800})
    res = run("scan", str(src), "--out", str(out), "--workers", workers)
    assert res.returncode == 3, res.stderr  # two lines rejected, every other one written
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 1200
    for i, row in enumerate(rows, start=1):
        if i in (7, 800):
            assert row["line"] == i
        else:
            assert row["id"] == f"r{i}"
            assert row["findings"][0]["size_mm"] == i % 9 + 1


def test_scan_with_assess_adds_assessments(tmp_path: Path) -> None:
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    _write_jsonl(src, 2, set())
    res = run("scan", str(src), "--out", str(out), "--assess")
    assert res.returncode == 0, res.stderr
    for row in map(json.loads, out.read_text().splitlines()):
        assert "assessment" in row
        assert row["assessment"] is not None or row["assessment_error"]


def test_scan_bad_invocations_exit_2(tmp_path: Path) -> None:
    res = run("scan", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o.jsonl"))
    assert res.returncode == 2 and b"no such file" in res.stderr
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, 1, set())
    res = run("scan", str(src), "--out", str(tmp_path / "no" / "dir" / "o.jsonl"))
    assert res.returncode == 2 and b"does not exist" in res.stderr
    res = run("scan", str(src), "--out", str(tmp_path / "o.jsonl"), "--workers", "0")
    assert res.returncode == 2
    assert not (tmp_path / "o.jsonl").exists()


def test_scan_stdin_to_stdout() -> None:
    line = json.dumps({"id": 1, "text": "Liver: punctate calcification in segment 2."})
    res = run("scan", "-", "--out", "-", stdin=(line + "\n").encode())
    assert res.returncode == 0, res.stderr
    (row,) = [json.loads(x) for x in res.stdout.decode().splitlines()]
    assert row["id"] == 1 and row["findings"][0]["pattern"] == "punctate"


def test_scan_spark_engine_missing_is_a_clear_error(tmp_path: Path) -> None:
    import importlib.util

    if importlib.util.find_spec("hepcalc.batch_spark") is not None:
        pytest.skip("the spark engine is installed; its own tests cover it")
    src = tmp_path / "in.jsonl"
    _write_jsonl(src, 1, set())
    res = run("scan", str(src), "--out", str(tmp_path / "o.jsonl"), "--engine", "spark")
    assert res.returncode == 2 and b"spark engine is not available" in res.stderr
