"""LI-RADS v2018 CT/MRI: what no peer tests (LR-M vs LR-5, threshold growth from dates,
HBA washout, multi-observation exams, TIV subtypes, ancillary features, applicability)."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.engine.lirads import (
    MANAGEMENT,
    TIV_DEFINITE,
    TIV_NON_HCC,
    TIV_PROBABLE,
    categorize_ctmri,
    categorize_features,
    lirads_applies,
    lirads_results,
    table_category,
)
from hepcalc.engine.tracks import build_tracks
from hepcalc.knowledge import load_kb
from hepcalc.model import Case, LiradsCategory, Patient, RiskFactors

AT_RISK = {"age": 60, "risk_factors": {"cirrhosis": True}}


def case(*specs: tuple[str, str, list[dict[str, Any]]], contrast: str | None = "iv", **exam_kw):
    exams = []
    for d, m, f in specs:
        e: dict[str, Any] = {"date": d, "modality": m, "findings": f, **exam_kw}
        if m in ("CT", "MRI") and contrast is not None and "contrast" not in exam_kw:
            e["contrast"] = contrast
        exams.append(e)
    return Case.model_validate({"patient": AT_RISK, "exams": exams})


def results(c: Case):
    exams = c.sorted_exams()
    return lirads_results(c, build_tracks(exams), exams)


def cat_of(c: Case, track: int = 0):
    exams = c.sorted_exams()
    r = categorize_ctmri(build_tracks(exams)[track], exams)
    assert r is not None
    return r


def obs(size: float | None, **features: Any) -> dict[str, Any]:
    return {
        "kind": "lesion",
        "size_mm": size,
        "location": {"lobe": "right", "segment": 7},
        "features": features,
    }


# --- applicability -------------------------------------------------------------


@pytest.mark.parametrize(
    ("patient", "applies", "words"),
    [
        ({"risk_factors": {"cirrhosis": True}}, True, "cirrhosis"),
        ({"risk_factors": {"chronic_hbv": True}}, True, "hepatitis B"),
        ({"risk_factors": {"prior_hcc": True}}, True, "HCC"),
        ({"age": 12, "risk_factors": {"cirrhosis": True}}, False, "under 18"),
        (
            {"risk_factors": {"cirrhosis": True, "cirrhosis_cause": "congenital_hepatic_fibrosis"}},
            False,
            "congenital hepatic fibrosis",
        ),
        ({"risk_factors": {"cirrhosis": True, "cirrhosis_cause": "vascular"}}, False, "vascular"),
        ({"risk_factors": {"chronic_hcv": True}}, False, "unknown: cirrhosis"),
        ({}, False, "no LI-RADS risk factor"),
    ],
)
def test_applicability(patient: dict[str, Any], applies: bool, words: str) -> None:
    ok, why = lirads_applies(Patient.model_validate(patient))
    assert ok is applies and words in why


def test_no_lirads_outside_the_population() -> None:
    c = Case.model_validate(
        {"patient": {"risk_factors": {"cirrhosis": False}}, "exams": [{"modality": "CT"}]}
    )
    assert lirads_results(c, [], c.sorted_exams()) is None


# --- table ---------------------------------------------------------------------


@pytest.mark.parametrize(("size", "cat"), [(9.9, 3), (10.0, 5), (19.9, 5), (20.0, 5)])
def test_half_open_bins_with_washout(size: float, cat: int) -> None:
    assert table_category(True, size, True, False, False) == (4 if size < 10 else cat)


def test_diagonal_cell_capsule_only_is_lr4() -> None:
    assert table_category(True, 15, False, True, False) == 4
    assert table_category(True, 15, False, False, True) == 5


# --- LR-M ----------------------------------------------------------------------


def test_nontargetoid_lrm_does_not_override_lr5() -> None:
    cat, _, why = categorize_features(
        aphe="nonrim", size_mm=25, washout=True, lrm_nontargetoid=["infiltrative"]
    )
    assert cat is LiradsCategory.LR_5 and "do not override LR-5" in why


def test_nontargetoid_lrm_when_lr5_not_met() -> None:
    cat, _, _ = categorize_features(aphe="nonrim", size_mm=25, lrm_nontargetoid=["necrosis"])
    assert cat is LiradsCategory.LR_M


def test_targetoid_lrm_even_with_lr5_features_and_via_case() -> None:
    r = cat_of(case(("2024-01-01", "MRI", [obs(30, aphe=True, washout=True, rim_aphe=True)])))
    assert r.category is LiradsCategory.LR_M
    assert "lirads-fowler2020-lrm" in r.citations
    r = cat_of(
        case(("2024-01-01", "MRI", [obs(30, aphe=True, washout=True, lrm_nontargetoid=True)]))
    )
    assert r.category is LiradsCategory.LR_5


# --- threshold growth from priors ------------------------------------------------


def test_exactly_50_percent_at_exactly_6_months_is_threshold_growth() -> None:
    r = cat_of(
        case(
            ("2024-01-31", "CT", [obs(10, aphe=True)]),
            ("2024-07-31", "MRI", [obs(15, aphe=True)]),
        )
    )
    assert r.category is LiradsCategory.LR_5
    assert "threshold growth" in r.reason and r.exam is not None and "mri" in r.exam


def test_prior_older_than_6_months_is_subthreshold_growth_not_tg() -> None:
    r = cat_of(
        case(
            ("2024-01-30", "CT", [obs(10, aphe=True)]),
            ("2024-07-31", "CT", [obs(15, aphe=True)]),
        )
    )
    # table LR-3 (nonrim APHE 10-19 mm, no additional feature) + subthreshold growth AF -> LR-4
    assert r.category is LiradsCategory.LR_4
    assert "subthreshold growth" in r.reason


def test_new_observation_of_10_mm_is_not_threshold_growth() -> None:
    r = cat_of(case(("2024-01-01", "CT", []), ("2024-04-01", "CT", [obs(12, aphe=True)])))
    assert r.category is LiradsCategory.LR_4  # LR-3 + subthreshold growth, never LR-5
    assert "new observation of 12 mm" in r.reason


def test_doubling_over_more_than_6_months_is_not_threshold_growth() -> None:
    r = cat_of(
        case(
            ("2024-01-01", "CT", [obs(8, aphe=True)]),
            ("2024-09-01", "CT", [obs(17, aphe=True)]),
        )
    )
    assert r.category is LiradsCategory.LR_4 and "over more than 6 months" in r.reason


def test_ultrasound_prior_does_not_make_threshold_growth() -> None:
    r = cat_of(
        case(
            ("2024-01-01", "US", [obs(8)]),
            ("2024-03-01", "CT", [obs(15, aphe=True)]),
        )
    )
    assert r.category is not LiradsCategory.LR_5


def test_reader_stated_threshold_growth_counts() -> None:
    r = cat_of(case(("2024-01-01", "CT", [obs(12, aphe=True, threshold_growth=True)])))
    assert r.category is LiradsCategory.LR_5


def test_size_stability_two_years_downgrades() -> None:
    r = cat_of(
        case(
            ("2020-01-01", "CT", [obs(20, aphe=True)]),
            ("2022-06-01", "CT", [obs(20.5, aphe=True)]),
        )
    )
    assert r.category is LiradsCategory.LR_3 and "size stability" in r.reason


# --- washout and contrast agent -------------------------------------------------


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        ("portal_venous", LiradsCategory.LR_5),
        ("transitional", LiradsCategory.LR_3),
        ("hepatobiliary", LiradsCategory.LR_3),
        (None, LiradsCategory.LR_5),
    ],
)
def test_hba_washout_counts_only_in_portal_venous_phase(phase, expected) -> None:
    f = obs(12, aphe=True, washout=True, washout_phase=phase)
    r = cat_of(case(("2024-01-01", "MRI", [f]), contrast="hepatobiliary"))
    assert r.category is expected
    if expected is LiradsCategory.LR_3:
        assert "not washout" in r.reason


def test_eca_delayed_washout_counts() -> None:
    f = obs(12, aphe=True, washout=True, washout_phase="delayed")
    assert cat_of(case(("2024-01-01", "MRI", [f]), contrast="iv")).category is LiradsCategory.LR_5
    cat, _, _ = categorize_features(
        aphe="nonrim", size_mm=12, washout=True, washout_phase="delayed", contrast="hba"
    )
    assert cat is LiradsCategory.LR_3


# --- LR-NC, benign, distinctive nodule ----------------------------------------------


def test_lr_nc_for_degraded_or_unenhanced_exams() -> None:
    c = case(("2024-01-01", "CT", [obs(25, aphe=True, washout=True)]), image_quality="degraded")
    assert cat_of(c).category is LiradsCategory.LR_NC
    c = case(("2024-01-01", "CT", [obs(6)]), contrast="none")
    r = cat_of(c)
    assert r.category is LiradsCategory.LR_NC and "unenhanced" in r.reason
    c = case(("2024-01-01", "CT", [obs(6, benign_entity="definite")]), contrast="none")
    assert cat_of(c).category is LiradsCategory.LR_1


def test_distinctive_nodule() -> None:
    assert categorize_features(distinctive_nodule=True, aphe="none", size_mm=15)[0] == "LR-2"
    assert categorize_features(distinctive_nodule=True, aphe="none", size_mm=22)[0] == "LR-3"
    assert (
        categorize_features(
            distinctive_nodule=True, aphe="none", size_mm=15, af_malignancy=["mosaic"]
        )[0]
        == "LR-3"
    )


def test_calcified_focus_in_at_risk_patient_hints_at_lr1() -> None:
    r = cat_of(case(("2024-01-01", "CT", [{"kind": "calcification", "size_mm": 4}])))
    assert r.category is LiradsCategory.LR_3
    assert "benign_entity=definite" in r.reason and "treated as absent" in r.reason


# --- ancillary features -------------------------------------------------------------


@pytest.mark.parametrize(
    ("kw", "expected"),
    [
        ({"aphe": "nonrim", "size_mm": 25, "washout": True, "af_benignity": ["x"]}, "LR-4"),
        ({"aphe": "nonrim", "size_mm": 12, "af_malignancy": ["x"]}, "LR-4"),
        ({"aphe": "nonrim", "size_mm": 25, "af_malignancy": ["x"]}, "LR-4"),
        ({"aphe": "nonrim", "size_mm": 12, "capsule": True, "af_malignancy": ["x"]}, "LR-4"),
        ({"aphe": "nonrim", "size_mm": 12, "af_benignity": ["x"]}, "LR-2"),
        ({"aphe": "nonrim", "size_mm": 12, "af_benignity": ["x"], "af_malignancy": ["y"]}, "LR-3"),
        ({"benign": "definite", "af_benignity": ["x"]}, "LR-1"),
        ({"benign": "definite", "af_malignancy": ["x"]}, "LR-2"),
        ({"lrm_targetoid": ["rim APHE"], "af_benignity": ["x"]}, "LR-M"),
        ({"tumor_in_vein": True, "af_benignity": ["x"]}, "LR-TIV"),
        ({"lr_nc": True, "af_malignancy": ["x"]}, "LR-NC"),
    ],
)
def test_ancillary_feature_rules(kw: dict[str, Any], expected: str) -> None:
    assert categorize_features(**kw)[0] == expected


def test_benign_category_adjustment_can_be_switched_off() -> None:
    cat, _, _ = categorize_features(
        benign="definite", af_malignancy=["x"], adjust_benign_categories=False
    )
    assert cat is LiradsCategory.LR_1


# --- LR-TIV subtypes -------------------------------------------------------------


def test_tiv_subtypes_from_the_case() -> None:
    tiv = {"tumor_in_vein": True}
    r = cat_of(case(("2024-01-01", "CT", [obs(25, aphe=True, washout=True, **tiv)])))
    assert (r.category, r.subtype) == (LiradsCategory.LR_TIV, TIV_DEFINITE)
    r = cat_of(case(("2024-01-01", "CT", [obs(25, aphe=True, **tiv)])))
    assert r.subtype == TIV_PROBABLE
    r = cat_of(case(("2024-01-01", "CT", [obs(25, rim_aphe=True, **tiv)])))
    assert r.subtype == TIV_NON_HCC
    r = cat_of(case(("2024-01-01", "CT", [obs(None, **tiv)])))
    assert r.subtype == TIV_PROBABLE and "no contiguous mass" in r.reason
    assert r.management == MANAGEMENT[LiradsCategory.LR_TIV]


# --- multi-observation exams and the whole result -----------------------------------


def test_multi_observation_exam_gives_one_category_per_track() -> None:
    c = case(
        (
            "2024-01-01",
            "MRI",
            [
                obs(25, aphe=True, washout=True),
                {**obs(8), "location": {"lobe": "left", "segment": 3}},
                {**obs(15, benign_entity="definite"), "location": {"lobe": "left", "segment": 2}},
            ],
        ),
        ("2024-02-01", "US", [obs(12)]),
    )
    rs = results(c)
    assert rs is not None
    cats = [(r.track, r.category.value) for r in rs]
    assert cats[1:] == [("A", "LR-5"), ("B", "LR-3"), ("C", "LR-1")]
    assert cats[0][1] == "US-3"
    # indexed by track, the CT/MRI category of track A wins over the exam-level US one
    assert {r.track: r for r in rs}["A"].category is LiradsCategory.LR_5
    for r in rs:
        assert r.management
        assert "Chernyak2018" in r.citations or r.category.value.startswith("US")


def test_unknown_size_uses_the_lower_certainty_category() -> None:
    r = cat_of(case(("2024-01-01", "CT", [obs(None, aphe=True, washout=True)])))
    assert r.category is LiradsCategory.LR_4 and "lower-certainty" in r.reason
    cat, _, why = categorize_features(aphe="nonrim", washout=True)
    assert cat is None and "size unknown" in why


def test_every_lirads_citation_resolves() -> None:
    keys = set(load_kb().references)
    c = case(
        ("2024-01-01", "MRI", [obs(12, aphe=True, washout=True, washout_phase="transitional")]),
        ("2024-03-01", "MRI", [obs(25, aphe=True, tumor_in_vein=True, rim_aphe=True)]),
        ("2024-04-01", "US", [obs(12)]),
        contrast="hepatobiliary",
    )
    rs = results(c) or []
    assert rs
    for r in rs:
        assert set(r.citations) <= keys, r.citations


def test_not_at_risk_patient_model() -> None:
    ok, _ = lirads_applies(Patient(risk_factors=RiskFactors(cirrhosis=False)))
    assert not ok


# --- invariants over random inputs (the fuzz idea from Aperivue's suite) --------------

_inputs = st.fixed_dictionaries(
    {
        "aphe": st.sampled_from(["none", "nonrim"]),
        "size_mm": st.floats(1, 120, allow_nan=False),
        "washout": st.booleans(),
        "capsule": st.booleans(),
        "threshold_growth": st.booleans(),
        "af_malignancy": st.lists(st.sampled_from(["corona", "mosaic"]), max_size=2),
        "af_benignity": st.lists(st.sampled_from(["size reduction"]), max_size=1),
        "lrm_nontargetoid": st.lists(st.sampled_from(["necrosis"]), max_size=1),
    }
)


@settings(max_examples=400, deadline=None)
@given(_inputs)
def test_invariants(kw: dict[str, Any]) -> None:
    cat, _, reason = categorize_features(**kw)
    assert cat is not None and reason
    table = table_category(
        kw["aphe"] == "nonrim", kw["size_mm"], kw["washout"], kw["capsule"], kw["threshold_growth"]
    )
    if cat is LiradsCategory.LR_5:
        # LR-5 only from the table: APHE, >=10 mm, no ancillary upgrade into it
        assert table == 5 and kw["aphe"] == "nonrim" and kw["size_mm"] >= 10
    if kw["lrm_nontargetoid"]:
        assert cat is (LiradsCategory.LR_M if table != 5 else cat)
    elif cat is not LiradsCategory.LR_M:
        n = int(cat.value[-1])
        assert abs(n - table) <= 1  # ancillary features move at most one step
        if kw["af_malignancy"] and kw["af_benignity"]:
            assert n == table
