"""scan_record / scan_lines: one record in, one object out, errors as data, order kept."""

from __future__ import annotations

import io
import json

import pytest

from hepcalc.batch import BadLine, read_jsonl_lines, scan_lines, scan_record
from hepcalc.model import MAX_REPORT_CHARS

GOOD = {"id": "r1", "text": "LIVER: 5 mm calcified granuloma in segment 7.", "modality": "CT"}


def test_record_findings_have_calcified_and_evidence() -> None:
    out = scan_record(GOOD)
    assert out["id"] == "r1"
    (f,) = out["findings"]
    assert f["calcified"] is True and f["size_mm"] == 5.0
    assert f["evidence"]["sentence"].startswith("5 mm calcified granuloma")
    json.dumps(out)  # JSON-ready


def test_bad_records_are_errors_not_exceptions() -> None:
    assert scan_record([1, 2])["error"].startswith("record must be a JSON object")  # type: ignore[arg-type]
    assert scan_record({"text": "x"})["error"] == "id: is required"
    assert scan_record({"id": "a"})["error"] == "text: is required"
    assert scan_record({"id": "a", "text": 3})["error"] == "text: must be a string"
    assert "modality" in scan_record({"id": "a", "text": "x", "modality": "PET"})["error"]
    assert "date" in scan_record({"id": "a", "text": "x", "date": "yesterday"})["error"]
    big = scan_record({"id": "a", "text": "x" * (MAX_REPORT_CHARS + 1)})
    assert "limit" in big["error"]


def test_assess_adds_an_assessment_or_says_why_not() -> None:
    out = scan_record(GOOD, assess=True)
    assert "assessment" in out
    if out["assessment"] is not None:
        assert out["assessment"]["recommendations"]
    else:
        assert out["assessment_error"]


@pytest.mark.parametrize(
    "text",
    [
        "Seen in clinic for knee pain. Plan: physiotherapy.",
        "DISCHARGE SUMMARY: admitted with pneumonia, treated with antibiotics.",
        "Operative note: uncomplicated laparoscopic appendectomy.",
    ],
)
def test_a_record_with_nothing_to_assess_is_not_an_error(text: str) -> None:
    """No liver finding and no modality: assessment null, and no error (issue 13)."""
    out = scan_record({"id": "n", "text": text}, assess=True)
    assert out["findings"] == []
    assert out["assessment"] is None
    assert "assessment_error" not in out


def test_a_finding_without_any_modality_still_says_why_it_was_not_assessed() -> None:
    out = scan_record({"id": "f", "text": "Liver: 4 mm calcified granuloma."}, assess=True)
    assert out["findings"] and out["assessment"] is None
    assert "modality" in out["assessment_error"]


def test_the_modality_is_read_from_the_report_title() -> None:
    text = "CT ABDOMEN WITHOUT CONTRAST. FINDINGS: 5 mm calcification in segment 6 of the liver."
    out = scan_record({"id": "t", "text": text}, assess=True)  # no "modality" field
    assert out["assessment"] is not None, out.get("assessment_error")
    assert "assessment_error" not in out


def _lines(n: int) -> list[str]:
    out = []
    for i in range(n):
        if i % 7 == 3:
            out.append("{not json")
        else:
            size = i % 9 + 1
            text = f"LIVER: {size} mm calcification in segment {i % 8 + 1}."
            out.append(json.dumps({"id": i, "text": text}))
    return out


def test_scan_lines_keeps_order_and_reports_line_numbers() -> None:
    lines = _lines(40)
    results = list(scan_lines(lines))
    assert len(results) == 40
    for n, r in enumerate(results, start=1):
        if (n - 1) % 7 == 3:
            assert r["line"] == n and "malformed JSON" in r["error"]
        else:
            assert r["id"] == n - 1
            assert r["findings"][0]["size_mm"] == (n - 1) % 9 + 1


def test_parallel_scan_gives_the_same_ordered_output() -> None:
    lines = _lines(300)
    assert list(scan_lines(lines, workers=2, chunksize=8)) == list(scan_lines(lines))


def test_blank_lines_are_skipped_and_bad_lines_reported() -> None:
    results = list(scan_lines(["", json.dumps(GOOD), BadLine("not UTF-8 text (byte 3)")]))
    assert results[0]["id"] == "r1"
    assert results[1] == {"line": 3, "error": "not UTF-8 text (byte 3)"}


def test_read_jsonl_lines_bounds_each_line() -> None:
    data = b'{"id": 1}\n' + b"x" * 5000 + b"\n\xff\xfe\n" + b'{"id": 2}\n'
    lines = list(read_jsonl_lines(io.BytesIO(data), max_bytes=1000))
    assert lines[0] == '{"id": 1}\n'
    assert isinstance(lines[1], BadLine) and "longer than" in lines[1].error
    assert isinstance(lines[2], BadLine) and "UTF-8" in lines[2].error
    assert lines[3] == '{"id": 2}\n'
