"""Growth against measurement variability, including the seed 000 question."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.engine import variability
from hepcalc.engine.growth import assess_growth, threshold_growth
from hepcalc.engine.lirads import add_months, is_threshold_growth, within_six_months
from hepcalc.engine.tracks import build_tracks
from hepcalc.knowledge import load_kb
from hepcalc.model import Case, GrowthStatus, Modality


def growths(*specs: tuple[str, str, list[dict[str, Any]]]):
    case = Case.model_validate(
        {"exams": [{"date": d, "modality": m, "findings": f} for d, m, f in specs]}
    )
    return [assess_growth(t) for t in build_tracks(case.sorted_exams())]


def calc(size: float, **kw: Any) -> dict[str, Any]:
    return {"kind": "calcification", "size_mm": size, **kw}


@pytest.fixture(scope="module")
def seed000():
    return growths(
        ("2023-06-10", "US", [calc(14), calc(9)]),
        ("2023-12-17", "US", [calc(25), calc(8)]),
    )


def test_seed000_larger_focus_grew_beyond_ultrasound_variability(seed000) -> None:
    a = seed000[0]
    assert a.status is GrowthStatus.significant_growth
    assert (a.from_mm, a.to_mm, a.change_mm, a.change_pct) == (14, 25, 11, 78.6)
    assert a.interval_days == 190
    assert a.exceeds_measurement_variability is True
    # 35% of 14 mm + 2 mm ultrasound over-measurement of calcified objects = 6.9 mm
    assert a.variability_mm == pytest.approx(6.9)
    assert "exceeds" in a.explanation and "by 4.1 mm" in a.explanation
    assert "acoustic shadow" in a.explanation and "about 2 mm" in a.explanation
    assert "derived heuristic" in a.explanation
    assert "Non-contrast CT" in a.explanation
    assert a.lirads_threshold_growth is False  # ultrasound: LI-RADS TG not defined
    assert {"Ray2010", "Dunmire2015", "Urology2016"} <= set(a.citations)
    assert [p.size_mm for p in a.points] == [14, 25]


def test_seed000_smaller_focus_is_within_variability(seed000) -> None:
    b = seed000[1]
    assert b.status is GrowthStatus.within_variability
    assert b.exceeds_measurement_variability is False
    assert (b.change_mm, b.change_pct) == (-1, -11.1)
    assert "within the expected measurement variability" in b.explanation


def test_the_same_change_is_noise_on_ultrasound_but_real_on_ct() -> None:
    lesion = {"kind": "lesion", "location": {"lobe": "right"}}
    us = growths(
        ("2023-01-01", "US", [{**lesion, "size_mm": 20}]),
        ("2023-07-01", "US", [{**lesion, "size_mm": 26}]),
    )[0]
    ct = growths(
        ("2023-01-01", "CT", [{**lesion, "size_mm": 20}]),
        ("2023-07-01", "CT", [{**lesion, "size_mm": 26}]),
    )[0]
    assert us.status is GrowthStatus.within_variability
    assert ct.status is GrowthStatus.significant_growth
    assert ct.variability_mm == pytest.approx(2.0)  # 6.2% of 20 = 1.24 -> 2 mm floor


def test_ultrasound_against_ct_is_judged_against_the_wider_band_and_says_so() -> None:
    g = growths(("2023-01-01", "US", [calc(14)]), ("2023-07-01", "CT", [calc(16)]))[0]
    assert g.status is GrowthStatus.within_variability
    assert "not directly comparable" in g.explanation
    assert g.variability_mm == pytest.approx(6.9)


def test_baseline_is_the_earliest_measurement_of_the_latest_modality() -> None:
    g = growths(
        ("2023-01-01", "US", [calc(10)]),
        ("2023-03-01", "CT", [calc(12)]),
        ("2023-09-01", "US", [calc(20)]),
    )[0]
    assert (g.from_mm, g.to_mm) == (10, 20)
    assert len(g.points) == 3


def test_single_report_with_prior_size() -> None:
    g = growths(("2024-01-01", "CT", [{"kind": "lesion", "size_mm": 19, "prior_size_mm": 12}]))[0]
    assert g.status is GrowthStatus.significant_growth
    assert g.interval_days is None and "interval not given" in g.explanation


def test_comparison_word_without_sizes() -> None:
    g = growths(("2024-01-01", "US", [{"kind": "lesion", "comparison": "increased"}]))[0]
    assert g.status is GrowthStatus.significant_growth
    assert g.exceeds_measurement_variability is None
    assert "could not check" in g.explanation


def test_new_resolved_single_and_radiograph() -> None:
    new, old = growths(
        ("2023-01-01", "CT", [calc(4, location={"lobe": "left"})]),
        ("2023-07-01", "CT", [calc(12, location={"lobe": "right"})]),
    )[::-1]
    assert new.status is GrowthStatus.new and old.status is GrowthStatus.resolved
    single = growths(("2023-01-01", "US", [calc(4)]))[0]
    assert single.status is GrowthStatus.not_comparable
    xr = growths(("2023-01-01", "XR", [calc(4)]), ("2023-07-01", "XR", [calc(9)]))[0]
    assert xr.status is GrowthStatus.not_comparable
    assert xr.exceeds_measurement_variability is None


@pytest.mark.parametrize(
    ("prior", "current", "expected"),
    [
        ("2024-01-31", "2024-07-31", True),  # exactly 6 calendar months
        ("2024-01-31", "2024-08-01", False),  # one day more
        ("2023-08-31", "2024-02-29", True),  # day clamped to the shorter month
        ("2023-08-31", "2024-03-01", False),
    ],
)
def test_six_months_is_calendar_months(prior: str, current: str, expected: bool) -> None:
    import datetime as dt

    p, c = dt.date.fromisoformat(prior), dt.date.fromisoformat(current)
    assert within_six_months(p, c) is expected
    assert is_threshold_growth(10, 15, p, c) is expected  # exactly +50%
    assert is_threshold_growth(10, 14.9, p, c) is False


def test_add_months_clamps() -> None:
    import datetime as dt

    assert add_months(dt.date(2024, 8, 31), 6) == dt.date(2025, 2, 28)


def test_threshold_growth_on_ct_pairs() -> None:
    lesion = {"kind": "lesion", "location": {"lobe": "right"}}
    g = growths(
        ("2024-01-31", "CT", [{**lesion, "size_mm": 10}]),
        ("2024-07-31", "MRI", [{**lesion, "size_mm": 15}]),
    )[0]
    assert g.lirads_threshold_growth is True and "threshold growth" in g.explanation
    g = growths(
        ("2024-01-30", "CT", [{**lesion, "size_mm": 10}]),
        ("2024-07-31", "CT", [{**lesion, "size_mm": 15}]),
    )[0]
    assert g.lirads_threshold_growth is False


def test_threshold_growth_helper_none_without_a_pair() -> None:
    case = Case.model_validate({"exams": [{"modality": "CT", "findings": [calc(5)]}]})
    assert threshold_growth(build_tracks(case.sorted_exams())[0]) is None


@pytest.mark.parametrize(
    ("a", "b", "size", "calcified", "limit", "comparable"),
    [
        ("CT", "CT", 5, False, 2.0, True),  # floor
        ("CT", "CT", 30, False, 2.0, True),  # 6.2% of 30 = 1.86 -> 2 mm floor
        ("CT", "CT", 40, False, 2.5, True),  # 6.2% of 40 = 2.48
        ("US", "US", 5, False, 3.0, True),
        ("US", "US", 20, True, 9.0, True),
        ("MRI", "MRI", 20, False, 2.0, True),
        ("CT", "MRI", 20, True, 2.0, False),
        ("US", "CT", 20, False, 7.0, False),
    ],
)
def test_band_values(
    a: str, b: str, size: float, calcified: bool, limit: float, comparable: bool
) -> None:
    bd = variability.band(Modality(a), Modality(b), size, calcified)
    assert bd.limit_mm == pytest.approx(limit)
    assert bd.comparable is comparable
    assert bd.citations


def test_band_text_labels_derived_and_analogue_figures() -> None:
    us = variability.band(Modality.US, Modality.US, 14, True)
    assert "derived" in us.basis and "analogue" in us.basis
    mri = variability.band(Modality.MRI, Modality.MRI, 14, True)
    assert "analogue" in mri.basis and "calcification poorly" in mri.basis


def test_every_growth_citation_resolves(seed000) -> None:
    keys = set(load_kb().references)
    for g in seed000:
        assert set(g.citations) <= keys
    for mods in [("CT", "CT"), ("MRI", "CT"), ("US", "XR")]:
        bd = variability.band(Modality(mods[0]), Modality(mods[1]), 10, True)
        assert set(bd.citations) <= keys


@pytest.mark.parametrize("modality", ["CT", "US"])
def test_increase_stated_without_an_earlier_size_is_assessed(modality: str) -> None:
    """A report that says only "increased in number since 2021" (no earlier size) is growth
    the report states; the recommendation says so instead of failing on missing numbers
    (found by a report of the dev5 set, 2026-12-05)."""
    from hepcalc.pipeline import assess

    case = Case.model_validate(
        {
            "exams": [
                {
                    "modality": modality,
                    "findings": [
                        {
                            "kind": "calcification",
                            "size_mm": 6,
                            "count": "multiple",
                            "comparison": "increased",
                        }
                    ],
                }
            ]
        }
    )
    a = assess(case)
    (g,) = a.growth
    assert g.status is GrowthStatus.significant_growth and g.from_mm is None
    texts = " ".join(r.rationale for r in a.recommendations)
    if modality == "CT":
        assert "increase stated in the report, now 6 mm; no earlier size given" in texts
