"""`hepcalc assess report.txt` through the real face (subprocess): a report as input.

Issue 13: a report file is read as one exam, the patient context it states
reaches the decision, and anything that is neither a case nor a report is a
clear message with exit 2, never a traceback nor "malformed YAML at line 18".
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import EXAMPLES

CLI = [sys.executable, "-c", "from hepcalc.cli import main; main()"]
REPORT = (
    "ULTRASOUND LIVER\n"
    "CLINICAL HISTORY: 58-year-old man with chronic hepatitis B.\n"
    "FINDINGS: Liver: 9 mm coarse calcification in segment 7. No solid mass.\n"
)


def run(*args: str, stdin: str | bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([*CLI, *args], input=data, capture_output=True, timeout=120)


def ok(p: subprocess.CompletedProcess[bytes]) -> dict:
    assert p.returncode == 0, p.stderr.decode()
    return json.loads(p.stdout)


def invalid(p: subprocess.CompletedProcess[bytes], *words: str) -> str:
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "Traceback" not in err and "internal error" not in err
    assert "malformed YAML at line" not in err or "looks like a report" in err
    for w in words:
        assert w in err, err
    assert p.stdout == b""
    return err


def test_example_reports_assess_with_their_stated_context() -> None:
    hbv = ok(run("assess", str(EXAMPLES / "report-us-hepatitis-b.txt")))
    assert hbv["risk"]["tier"] == "high"
    assert {"chronic_hbv", "cirrhosis"} <= set(hbv["risk"]["factors"])
    assert hbv.get("lirads"), "LI-RADS applies to hepatitis B / cirrhosis"
    ct = ok(run("assess", str(EXAMPLES / "report-ct-known-cancer.txt")))
    assert "extrahepatic_malignancy" in ct["risk"]["factors"]
    assert any("colorectal" in s for s in ct["risk"]["assumptions"])
    mri = ok(run("assess", str(EXAMPLES / "report-mri-cirrhosis.txt")))
    assert "prior_hcc" not in mri["risk"]["factors"]  # "Mother had HCC" is family history
    prior = ok(run("assess", str(EXAMPLES / "report-us-with-prior.txt")))
    assert prior["risk"]["tier"] == "low"
    assert prior["findings"] and prior["findings"][0]["latest_size_mm"] == 12


def test_report_on_stdin_is_auto_detected_and_options_apply() -> None:
    a = ok(run("assess", "-", "--date", "2026-01-05", stdin=REPORT))
    assert "chronic_hbv" in a["risk"]["factors"]
    assert any("2026-01-05" in s for s in a["risk"]["assumptions"])
    forced = ok(run("assess", "-", "--input-format", "text", "--modality", "CT", stdin=REPORT))
    assert forced["findings"]


def test_cli_flag_against_the_report_is_a_contradiction_on_the_safer_side() -> None:
    text = "US LIVER\nFINDINGS: Nodular cirrhotic liver. 8 mm calcification in segment 7.\n"
    a = ok(run("assess", "-", "--no-cirrhosis", "--age", "60", stdin=text))
    warnings = [w["text"] for w in a["warnings"] if w["code"] == "input_contradiction"]
    assert warnings and "risk_factors.cirrhosis" in warnings[0]
    assert "cirrhosis" in a["risk"]["factors"]


def test_known_cancer_option_sets_the_site() -> None:
    text = "CT ABDOMEN\nFINDINGS: Liver: 12 mm coarse calcification in segment 6.\n"
    a = ok(run("assess", "-", "--known-cancer", "ovary", "--age", "50", stdin=text))
    assert "extrahepatic_malignancy" in a["risk"]["factors"]
    assert any(d["etiology"] == "metastasis_calcified" for d in a["differential"])


def test_text_format_output_for_a_report() -> None:
    p = run("assess", str(EXAMPLES / "report-us-hepatitis-b.txt"), "--format", "text")
    assert p.returncode == 0 and p.stdout.strip(), p.stderr.decode()


def test_report_without_a_modality_says_how_to_pass_it() -> None:
    invalid(
        run("assess", "-", stdin="Liver: 5 mm calcification in segment 7."),
        "--modality",
        "report",
    )


def test_report_of_200000_characters_is_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text("US LIVER. " + "Liver: 5 mm calcification in segment 7. " * 5_200)
    invalid(run("assess", str(big)), "limit", "200000")


@pytest.mark.parametrize(
    "junk",
    [
        bytes(range(256)) * 20,
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        b"%PDF-1.7\n\x00\x01\x02\xff\xfe binary",
        "text with a NUL \u0000 in it".encode(),
    ],
)
def test_binary_junk_is_a_clear_message(tmp_path: Path, junk: bytes) -> None:
    f = tmp_path / "scan.bin"
    f.write_bytes(junk)
    invalid(run("assess", str(f)), "case", "report")
    invalid(run("assess", "-", stdin=junk), "case", "report")


def test_prose_where_a_case_is_expected_is_not_a_yaml_error(tmp_path: Path) -> None:
    prose = (
        "ULTRASOUND LIVER\nFINDINGS: Liver: 5 mm calcification.\n"
        "IMPRESSION:\n - Calcified granuloma: benign.\n   bad: [indent\n"
    )
    f = tmp_path / "report.yaml"
    f.write_text(prose)
    invalid(run("assess", str(f)), "looks like a report", "--input-format text")
    invalid(run("assess", "-", "--input-format", "case", stdin=prose), "looks like a report")


def test_patient_options_with_a_case_file_are_refused() -> None:
    invalid(run("assess", str(EXAMPLES / "seed-000.yaml"), "--hbv"), "--hbv", "case file")


def test_empty_input_says_how_to_pass_a_report() -> None:
    invalid(run("assess", "-", stdin="  \n"), "empty", "report")


def test_scan_assess_reads_the_context_of_each_report(tmp_path: Path) -> None:
    out = tmp_path / "out.jsonl"
    p = run("scan", "--assess", str(EXAMPLES / "reports.jsonl"), "-o", str(out))
    assert p.returncode == 0, p.stderr.decode()
    rows = {r["id"]: r for r in map(json.loads, out.read_text().splitlines())}
    hbv = rows["r-003"]["assessment"]["risk"]
    assert hbv["tier"] == "high" and {"chronic_hbv", "cirrhosis"} <= set(hbv["factors"])
    crc = rows["r-004"]["assessment"]["risk"]
    assert "extrahepatic_malignancy" in crc["factors"]
    family = rows["r-005"]["assessment"]
    assert family is None or "chronic_hbv" not in family["risk"]["factors"]


def test_extract_verbose_shows_the_patient_context_with_statuses() -> None:
    p = run("extract", "-v", str(EXAMPLES / "report-mri-cirrhosis.txt"))
    assert p.returncode == 0, p.stderr.decode()
    mentions = json.loads(p.stdout)["patient_context"]
    status = {(m["name"], m["status"]) for m in mentions}
    assert ("chronic_hcv", "asserted") in status
    assert ("prior_hcc", "family") in status  # "Mother had hepatocellular carcinoma."
    assert all(m["quote"] and m["end"] > m["start"] for m in mentions)


def test_calcification_inside_a_measured_lesion_keeps_both_sizes() -> None:
    """The lesion's size decides; the calcification's own size is shown beside it, in the
    JSON, the clinician text and the FHIR observation."""
    report = (
        "CT ABDOMEN\n"
        "FINDINGS: Liver: A 3.6 cm hemangioma in segment 5 contains a 4 mm calcification.\n"
    )
    a = ok(run("assess", "-", "--input-format", "text", stdin=report))
    (f,) = a["findings"]
    assert (f["latest_size_mm"], f["calcification_size_mm"]) == (36, 4)
    text = run("assess", "-", "--input-format", "text", "--format", "text", stdin=report)
    assert text.returncode == 0, text.stderr.decode()
    assert "36 mm, calcification within it 4 mm" in text.stdout.decode()
    fhir = ok(run("assess", "-", "--input-format", "text", "--format", "fhir", stdin=report))
    components = [
        c
        for e in fhir["entry"]
        if e["resource"]["resourceType"] == "Observation"
        for c in e["resource"].get("component", [])
    ]
    own = [c for c in components if "calcification within" in c["code"]["text"]]
    assert [c["valueQuantity"]["value"] for c in own] == [4]
