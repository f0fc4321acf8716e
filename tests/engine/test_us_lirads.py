"""US LI-RADS v2017 surveillance categories and visualization scores."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.engine.tracks import build_tracks
from hepcalc.engine.us_lirads import categorize_us
from hepcalc.model import Case, LiradsCategory


def us(findings: list[dict[str, Any]], **kw: Any):
    c = Case.model_validate(
        {
            "patient": {"risk_factors": {"cirrhosis": True}},
            "exams": [{"date": "2024-01-01", "modality": "US", "findings": findings, **kw}],
        }
    )
    exams = c.sorted_exams()
    return categorize_us(exams[0], build_tracks(exams))


def lesion(size: float | None, **kw: Any) -> dict[str, Any]:
    return {"kind": "lesion", "size_mm": size, **kw}


def test_no_observation_is_us1_with_visualization() -> None:
    r = us([], visualization="C")
    assert r.category is LiradsCategory.US_1 and r.track == "none"
    assert r.visualization is not None and r.visualization.value == "C"
    assert "severe limitations" in r.reason and "does not change management" in r.reason
    assert "6 months" in (r.management or "")


def test_visualization_not_reported_is_said() -> None:
    assert "visualization score not reported" in us([]).reason


@pytest.mark.parametrize(
    ("size", "expected"), [(9.9, LiradsCategory.US_2), (10, LiradsCategory.US_3)]
)
def test_size_threshold_is_10_mm(size: float, expected: LiradsCategory) -> None:
    r = us([lesion(size)])
    assert r.category is expected and r.track == "A"


def test_us2_management_and_citation() -> None:
    r = us([lesion(6)])
    assert "3 to 6 months" in (r.management or "") and "Tse2022" in r.citations


def test_simple_cyst_and_reader_benign_are_us1() -> None:
    assert us([{"kind": "cyst", "size_mm": 30}]).category is LiradsCategory.US_1
    assert (
        us([{"kind": "cyst", "size_mm": 30, "features": {"septations": True}}]).category
        is LiradsCategory.US_3
    )
    assert us([lesion(25, features={"benign_entity": "definite"})]).category is LiradsCategory.US_1


def test_calcified_focus_counts_unless_reader_calls_it_definitely_benign() -> None:
    shadowing = {"kind": "calcification", "size_mm": 6, "features": {"acoustic_shadowing": True}}
    r = us([shadowing])
    assert r.category is LiradsCategory.US_2
    assert "unverified" in r.reason
    benign = {**shadowing, "features": {"acoustic_shadowing": True, "benign_entity": "definite"}}
    assert us([benign]).category is LiradsCategory.US_1


def test_thrombus_in_vein_is_us3() -> None:
    r = us([lesion(None, features={"tumor_in_vein": True})])
    assert r.category is LiradsCategory.US_3 and "thrombus in vein" in r.reason


def test_largest_non_benign_observation_sets_the_category() -> None:
    r = us(
        [
            lesion(8, location={"lobe": "left"}),
            lesion(14, location={"lobe": "right"}),
            {"kind": "cyst", "size_mm": 40},
        ]
    )
    assert r.category is LiradsCategory.US_3 and r.track == "B"
    assert "definitely benign: track C" in r.reason


def test_unknown_size_is_treated_as_positive_and_said() -> None:
    r = us([lesion(None)])
    assert r.category is LiradsCategory.US_3 and "size not given" in r.reason


def test_track_ids_survive_a_copied_exam() -> None:
    c = Case.model_validate(
        {"exams": [{"date": "2024-01-01", "modality": "US", "findings": [lesion(4), lesion(12)]}]}
    )
    exams = c.sorted_exams()
    tracks = build_tracks(exams)
    r = categorize_us(exams[0].model_copy(deep=True), tracks)
    assert r.category is LiradsCategory.US_3 and r.track == "B"
