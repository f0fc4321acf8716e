"""The safety stage (issue 12): contradictions, urgency and stopping rules.

Each test pins one class of failure seen by clinicians: the input, the step a
specialist expects, and the step that must not appear.
"""

from __future__ import annotations

from typing import Any

from hepcalc.engine.assess import assess
from hepcalc.engine.safety import contradiction_warning
from hepcalc.model import Action, Assessment, Case

NEG = {
    "cirrhosis": False,
    "chronic_hbv": False,
    "chronic_hcv": False,
    "chronic_liver_disease": False,
    "prior_hcc": False,
    "extrahepatic_malignancy": False,
    "immunocompromised": False,
    "endemic_exposure": False,
}


def make(
    exams: list[dict[str, Any]], *, age: float | None = 50, risk: dict | None = None, **p: Any
) -> Case:
    rf = {**NEG, **(risk or {})}
    patient: dict[str, Any] = {"risk_factors": rf, **p}
    if age is not None:
        patient["age"] = age
    return Case.model_validate({"patient": patient, "exams": exams})


def exam(findings: list[dict], modality: str = "US", date: str = "2024-01-01", **kw: Any) -> dict:
    return {"modality": modality, "date": date, "findings": findings, **kw}


def acts(a: Assessment) -> set[Action]:
    return {r.action for r in a.recommendations}


def contradictions(a: Assessment) -> list[str]:
    return [w.text for w in a.warnings if w.code == "input_contradiction"]


CALC = {"kind": "calcification", "size_mm": 6, "pattern": "punctate", "associated": "none"}


# -- (a) contradictions ---------------------------------------------------------------


def test_helper_names_both_sources_and_cites_evidence() -> None:
    w = contradiction_warning(
        "risk_factors.cirrhosis", False, "cirrhosis", "the report of exam us-1"
    )
    assert w.code == "input_contradiction"
    assert "risk_factors.cirrhosis" in w.text and "the report of exam us-1" in w.text
    assert "false" in w.text and "cirrhosis" in w.text
    assert w.citations and not any(k.startswith("Seed") for k in w.citations)


def test_cirrhosis_false_but_background_cirrhotic_warns_and_takes_the_safer_reading() -> None:
    quiet = assess(make([exam([CALC])]))
    assert acts(quiet) == {Action.no_further_workup}
    a = assess(make([exam([CALC], background_liver="cirrhosis")]))
    texts = contradictions(a)
    assert len(texts) == 1
    assert "risk_factors.cirrhosis" in texts[0] and "background_liver" in texts[0]
    assert Action.no_further_workup not in acts(a)
    assert a.lirads is not None  # treated as cirrhotic: LI-RADS applies
    assert a.risk.tier.value == "high"


def test_prior_hcc_without_any_liver_disease_is_a_contradiction_kept_high_risk() -> None:
    a = assess(make([exam([CALC])], risk={"prior_hcc": True}))
    texts = contradictions(a)
    assert texts and "prior_hcc" in texts[0] and "cirrhosis" in texts[0]
    assert a.risk.tier.value == "high"
    assert Action.no_further_workup not in acts(a)


def test_prior_hcc_with_hepatitis_b_is_not_a_contradiction() -> None:
    a = assess(make([exam([CALC])], risk={"prior_hcc": True, "chronic_hbv": True}))
    assert contradictions(a) == []


def test_exam_dates_spanning_more_than_the_age_are_a_contradiction() -> None:
    a = assess(
        make(
            [exam([CALC], date="2018-01-01"), exam([CALC], date="2024-01-01")],
            age=3,
        )
    )
    texts = contradictions(a)
    assert texts and "exams[].date" in texts[0] and "age 3" in texts[0]


def test_prenatal_exam_after_a_postnatal_exam_is_a_contradiction() -> None:
    a = assess(
        make(
            [
                exam([CALC], modality="PRENATAL_US", date="2024-05-01"),
                exam([CALC], modality="US", date="2024-02-01"),
            ],
            age=None,
        )
    )
    assert any("prenatal" in t for t in contradictions(a))


def test_adult_risk_factors_for_a_fetus_are_a_contradiction_and_fetal_pathway_kept() -> None:
    a = assess(
        make(
            [exam([CALC], modality="PRENATAL_US")],
            age=None,
            risk={"cirrhosis": True, "prior_hcc": True},
            gestational_age_weeks=24,
        )
    )
    assert any("fetus" in t for t in contradictions(a))
    assert a.lirads is None
    assert any(r.rule.startswith("prenatal") for r in a.recommendations)


def test_adult_primary_cancer_site_in_a_young_child_is_a_contradiction() -> None:
    a = assess(
        make(
            [exam([CALC])],
            age=4,
            risk={"extrahepatic_malignancy": True, "primary_cancer_site": "colorectal"},
        )
    )
    assert any("primary_cancer_site" in t for t in contradictions(a))


# -- (b) urgency ----------------------------------------------------------------------------


def test_every_recommendation_has_an_urgency() -> None:
    a = assess(make([exam([CALC])]))
    assert all(r.urgency in ("routine", "soon", "urgent") for r in a.recommendations)


def test_cholangitis_dilated_ducts_fever_jaundice_is_urgent() -> None:
    stones = {
        "kind": "calcification",
        "size_mm": 8,
        "count": 3,
        "associated": "none",
        "features": {"biliary_dilatation": True, "acoustic_shadowing": True},
    }
    a = assess(make([exam([stones])], symptoms=["fever", "jaundice", "abdominal_pain"]))
    assert all(r.urgency == "urgent" for r in a.recommendations)
    assert any(r.rule == "urgency-cholangitis" for r in a.recommendations)
    reasons = " ".join(r.urgency_reason for r in a.recommendations)
    assert "cholangitis" in reasons
    assert any("TG13" in r.citations for r in a.recommendations)
    # without fever or jaundice the same ducts are not an emergency
    calm = assess(make([exam([stones])]))
    assert not any(r.urgency == "urgent" for r in calm.recommendations)


def test_febrile_thick_walled_calcified_cyst_is_escalated() -> None:
    cyst = {
        "kind": "cyst",
        "size_mm": 45,
        "calcified": True,
        "pattern": "rim",
        "features": {"thick_wall": True},
    }
    a = assess(make([exam([cyst], modality="CT", contrast="iv")], symptoms=["fever"]))
    febrile = [r for r in a.recommendations if r.rule == "urgency-febrile-lesion"]
    assert febrile and febrile[0].urgency == "urgent"
    assert all(r.urgency == "urgent" for r in a.recommendations)
    assert "Gore2017" not in {k for r in a.recommendations for k in r.citations}
    afebrile = assess(make([exam([cyst], modality="CT", contrast="iv")]))
    assert all(r.urgency == "routine" for r in afebrile.recommendations)


def test_tumour_in_vein_is_soon() -> None:
    mass = {
        "kind": "lesion",
        "size_mm": 40,
        "calcified": True,
        "features": {"vascular_invasion": True},
    }
    a = assess(make([exam([mass], modality="CT", contrast="iv")]))
    assert all(r.urgency in ("soon", "urgent") for r in a.recommendations)
    assert any("vein" in r.urgency_reason for r in a.recommendations)


# -- (c) stopping rules -------------------------------------------------------------------


def test_stable_two_years_on_ct_with_known_cancer_ends_the_workup() -> None:
    f = {"track": "A", "kind": "calcification", "size_mm": 12, "associated": "none"}
    exams = [
        exam([f], modality="CT", contrast="none", date="2021-01-10"),
        exam([{**f, "size_mm": 12}], modality="CT", contrast="none", date="2023-02-01"),
    ]
    a = assess(make(exams, risk={"extrahepatic_malignancy": True}))
    assert [r.rule for r in a.recommendations] == ["stable-two-years"]
    assert not any(r.modality == "MRI" for r in a.recommendations)
    # one year of stability is not enough: the known-cancer MRI stays
    short = [exams[0], {**exams[1], "date": "2022-01-10"}]
    b = assess(make(short, risk={"extrahepatic_malignancy": True}))
    assert any(r.rule == "known-cancer-mri" for r in b.recommendations)


def test_characterised_mass_goes_to_mdt_and_referral_not_another_mri() -> None:
    mass = {"kind": "lesion", "size_mm": 55, "calcified": True, "associated": "solid_mass"}
    a = assess(make([exam([mass], modality="MRI", contrast="hepatobiliary")]))
    got = acts(a)
    assert Action.characterize_contrast_imaging not in got
    assert {Action.multidisciplinary_discussion, Action.specialist_referral} <= got
    # the same mass on ultrasound still needs characterising
    b = assess(make([exam([mass], modality="US")]))
    assert Action.characterize_contrast_imaging in acts(b)


def test_calcifying_metastases_on_chemotherapy_are_a_question_for_oncology() -> None:
    mets = {"kind": "lesion", "size_mm": 20, "count": 4, "calcified": True, "pattern": "amorphous"}
    risk = {"extrahepatic_malignancy": True, "primary_cancer_site": "breast"}
    a = assess(
        make([exam([mets], modality="CT", contrast="iv")], risk={**risk, "on_chemotherapy": True})
    )
    assert [r.rule for r in a.recommendations] == ["treatment-response-oncology"]
    assert Action.characterize_contrast_imaging not in acts(a)
    # a breast primary is never supported by colorectal series
    cited = {k for r in a.recommendations for k in r.citations}
    assert not {"Easson1996", "Radiopaedia-CRCmet"} & cited
    off = assess(make([exam([mets], modality="CT", contrast="iv")], risk=risk))
    assert Action.characterize_contrast_imaging in acts(off)


# -- (d) size limit, (e) MRI signal void --------------------------------------------------


def test_large_amorphous_calcification_seen_only_on_us_gets_noncontrast_ct() -> None:
    big = {"kind": "calcification", "size_mm": 28, "pattern": "amorphous", "associated": "none"}
    a = assess(make([exam([big])]))
    assert [r.rule for r in a.recommendations] == ["us-only-large-calcification"]
    assert a.recommendations[0].modality == "CT"
    assert a.recommendations[0].contrast.value == "none"
    mid = assess(make([exam([{**big, "size_mm": 12}])]))  # amorphous >= 10 mm
    assert mid.recommendations[0].action is Action.noncontrast_ct
    small = assess(make([exam([{**big, "size_mm": 6, "pattern": "punctate"}])]))
    assert acts(small) == {Action.no_further_workup}
    on_ct = assess(make([exam([big], modality="CT", contrast="none")]))
    assert acts(on_ct) == {Action.no_further_workup}


def test_signal_void_on_mri_only_gets_noncontrast_ct_never_mri_again() -> None:
    void = {
        "kind": "lesion",
        "size_mm": 14,
        "calcified": True,
        "features": {"signal_void": True},
    }
    a = assess(
        make([exam([void], modality="MRI", contrast="iv")], risk={"extrahepatic_malignancy": True})
    )
    assert a.recommendations[0].action is Action.noncontrast_ct
    assert not any(r.modality and "MRI" in r.modality for r in a.recommendations)


def test_signal_void_with_growth_gives_one_decision_not_four() -> None:
    f = {"track": "A", "kind": "calcification", "size_mm": 8, "features": {"signal_void": True}}
    exams = [
        exam([f], modality="MRI", contrast="iv", date="2023-01-01"),
        exam([{**f, "size_mm": 16}], modality="MRI", contrast="iv", date="2024-01-01"),
    ]
    a = assess(make(exams))
    assert {r.rule for r in a.recommendations} == {"mri-calcification-ct"}


def test_scheduled_surveillance_is_not_made_urgent() -> None:
    """Cholangitis in a cirrhotic patient: the referral is urgent, 6-monthly surveillance is not."""
    stones = {
        "kind": "calcification",
        "size_mm": 8,
        "associated": "none",
        "features": {"biliary_dilatation": True},
    }
    a = assess(make([exam([stones])], risk={"cirrhosis": True}, symptoms=["fever"]))
    referral = next(r for r in a.recommendations if r.rule == "urgency-cholangitis")
    assert referral.urgency == "urgent"
    assert any(r.action is Action.hcc_surveillance for r in a.recommendations)
    for r in a.recommendations:
        if r.action in (Action.hcc_surveillance, Action.surveillance_imaging):
            assert r.urgency == "routine" and r.urgency_reason == ""


def test_abdominal_pain_alone_does_not_raise_an_adults_tier_or_work_up() -> None:
    """Pain is the usual indication of the scan; fever, jaundice, weight loss do count."""
    pain = assess(make([exam([CALC])], symptoms=["abdominal_pain"]))
    assert pain.risk.tier.value == "low"
    assert "symptom:abdominal_pain" in pain.risk.factors
    assert any("Abdominal pain alone" in s for s in pain.risk.assumptions)
    assert [r.action.value for r in pain.recommendations] == ["no_further_workup"]
    for sign in ("fever", "jaundice", "weight_loss", "palpable_mass"):
        a = assess(make([exam([CALC])], symptoms=["abdominal_pain", sign]))
        assert a.risk.tier.value == "high", sign
        assert "no_further_workup" not in {r.action.value for r in a.recommendations}, sign


def test_abdominal_pain_counts_in_a_child() -> None:
    child = assess(make([exam([CALC])], symptoms=["abdominal_pain"], age=8))
    assert any(r.rule == "pediatric-symptomatic" for r in child.recommendations)
