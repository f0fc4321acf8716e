"""Every branch of the management pathway, each with its source in the test name/docstring.

Sources: seed 001 (droracle "tiny hepatic calcifications"), seed 003 (MRI and
calcification), Gore 2017 (ACR Incidental Findings, liver), Sirli 2024 (WFUMB),
Chernyak 2018 (LI-RADS v2018), Simchen 2002 / Bronshtein 1995 (prenatal).
"""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.engine.assess import assess
from hepcalc.knowledge import load_kb
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


def case(
    findings: list[dict[str, Any]],
    *,
    age: float | None = 50,
    modality: str = "CT",
    contrast: str | None = "iv",
    risk: dict[str, Any] | None = None,
    **patient: Any,
) -> Case:
    rf = dict(NEG)
    rf.update(risk or {})
    exam: dict[str, Any] = {"modality": modality, "findings": findings, "date": "2024-01-01"}
    if contrast:
        exam["contrast"] = contrast
    p: dict[str, Any] = {"risk_factors": rf, **patient}
    if age is not None:
        p["age"] = age
    return Case.model_validate({"patient": p, "exams": [exam]})


def actions(a: Assessment) -> list[Action]:
    return [r.action for r in a.recommendations]


def rules(a: Assessment) -> set[str]:
    return {r.rule for r in a.recommendations}


CALC = {"kind": "calcification", "size_mm": 5, "pattern": "punctate", "associated": "none"}


def test_isolated_low_risk_no_workup_sirli2024_gore2017() -> None:
    """Isolated calcification + normal liver + low risk: no further work-up (seed 001; WFUMB)."""
    a = assess(case([CALC]))
    assert a.risk.tier.value == "low"
    assert actions(a) == [Action.no_further_workup]
    assert rules(a) == {"isolated-low-risk"}
    assert a.findings[0].category.value == "isolated_calcification"
    assert "Sirli2024" in a.recommendations[0].citations


def test_single_six_month_followup_not_applied_seed001_vs_gore2017() -> None:
    """Seed 001's single 6-month follow-up is not supported by ACR: not recommended."""
    a = assess(case([CALC]))
    assert all(r.action is not Action.follow_up_imaging for r in a.recommendations)


def test_unknown_risk_factors_are_listed_and_assumed_seed001() -> None:
    """Unknown is not absent: listed in risk.unknown, and the no-work-up says what it assumed."""
    c = Case.model_validate(
        {"patient": {"age": 40}, "exams": [{"modality": "US", "findings": [CALC]}]}
    )
    a = assess(c)
    assert "cirrhosis" in a.risk.unknown and "chronic_hbv" in a.risk.unknown
    rec = a.recommendations[0]
    assert rec.action is Action.no_further_workup
    assert any("cirrhosis" in x for x in rec.assumptions)
    assert any(w.code == "risk_unknown" for w in a.warnings)


def test_missing_age_assumes_adult_contract() -> None:
    c = Case.model_validate({"exams": [{"modality": "US", "findings": [CALC]}]})
    a = assess(c)
    assert "age" in a.risk.unknown
    assert any("adult" in x for x in a.risk.assumptions)


def test_associated_mass_gets_contrast_imaging_seed001() -> None:
    """Calcification with an associated lesion: contrast MRI (HBA preferred) or multiphase CT."""
    a = assess(
        case([{**CALC, "size_mm": 20, "associated": "solid_mass"}], modality="US", contrast=None)
    )
    assert a.findings[0].category.value == "calcified_solid_lesion"
    rec = a.recommendations[0]
    assert rec.action is Action.characterize_contrast_imaging
    assert rec.contrast.value == "hepatobiliary" and rec.modality == "MRI"


def test_known_extrahepatic_cancer_contrast_mri_seed001() -> None:
    """Known extrahepatic malignancy: contrast MRI to exclude metastasis."""
    a = assess(case([CALC], risk={"extrahepatic_malignancy": True}))
    assert a.risk.tier.value == "high"
    rec = a.recommendations[0]
    assert rec.action is Action.characterize_contrast_imaging and rec.modality == "MRI"
    assert rec.rule == "known-cancer-mri"


def test_high_risk_calcified_over_1cm_dynamic_imaging_seed001() -> None:
    """High risk (non-LI-RADS chronic liver disease), calcified lesion > 1 cm, no contrast yet."""
    a = assess(
        case(
            [{**CALC, "size_mm": 14}],
            modality="US",
            contrast=None,
            risk={"chronic_liver_disease": True},
        )
    )
    assert a.risk.tier.value == "high"
    assert Action.characterize_contrast_imaging in actions(a)
    assert "high-risk-characterize" in rules(a)
    assert any(w.code == "calcified_lesion_in_cirrhosis" for w in a.warnings)


def test_high_risk_subcentimetre_followup_3_6_gore2017() -> None:
    """High risk, < 1 cm: follow-up MRI in 3-6 months (ACR; seed 001 indeterminate < 1 cm)."""
    a = assess(
        case(
            [{**CALC, "size_mm": 6}],
            modality="US",
            contrast=None,
            risk={"chronic_liver_disease": True},
        )
    )
    rec = next(r for r in a.recommendations if r.action is Action.follow_up_imaging)
    assert rec.interval_months == [3, 6]
    assert rec.rule == "high-risk-subcentimetre"


def test_indeterminate_after_contrast_surveillance_24_months_seed001() -> None:
    """Indeterminate after contrast, high risk: surveillance every 3-6 months up to 2 years."""
    a = assess(case([{**CALC, "size_mm": 14}], risk={"chronic_liver_disease": True}))
    rec = next(r for r in a.recommendations if r.action is Action.surveillance_imaging)
    assert rec.interval_months == [3, 6] and rec.duration_months == 24
    assert any(w.code == "followup_max_6_months" for w in a.warnings)


def test_symptoms_move_away_from_no_workup_seed001() -> None:
    """Jaundice / weight loss: not 'no work-up'."""
    a = assess(case([CALC], modality="US", contrast=None, symptoms=["jaundice"]))
    assert a.risk.tier.value == "high"
    assert Action.no_further_workup not in actions(a)
    assert Action.characterize_contrast_imaging in actions(a)


def test_abnormal_labs_move_away_from_no_workup_seed001() -> None:
    a = assess(case([CALC], modality="US", contrast=None, labs={"alt_u_l": 120}))
    assert Action.no_further_workup not in actions(a)


def test_raised_afp_without_hepatitis_seed000_qa() -> None:
    """AFP 17 with calcifications and no HBV/HCV: labs, hepatology review, imaging."""
    a = assess(case([CALC], modality="US", contrast=None, labs={"afp_ng_ml": 17}))
    acts = actions(a)
    assert Action.laboratory_tests in acts and Action.specialist_referral in acts
    assert Action.characterize_contrast_imaging in acts


@pytest.mark.parametrize(
    ("labs", "raised"),
    [
        ({"afp_ng_ml": 12}, True),  # above the default 10 ng/mL
        ({"afp_ng_ml": 12, "afp_uln_ng_ml": 15}, False),  # below the laboratory's own limit
        ({"afp_ng_ml": 9, "afp_uln_ng_ml": 8}, True),  # above a stricter laboratory limit
        ({"alt_u_l": 45}, True),
        ({"alt_u_l": 45, "alt_uln_u_l": 55}, False),
        ({"ast_u_l": 38, "ast_uln_u_l": 35}, True),
        ({"bilirubin_mg_dl": 1.3}, True),
        ({"bilirubin_mg_dl": 1.3, "bilirubin_uln_mg_dl": 1.5}, False),
    ],
)
def test_laboratory_own_upper_limit_wins(labs: dict[str, float], raised: bool) -> None:
    """The lab's own reference limit replaces the typical default, and the note says which."""
    a = assess(case([CALC], modality="US", contrast=None, labs=labs))
    workup = Action.no_further_workup not in actions(a)
    assert workup is raised
    notes = " ".join(a.risk.assumptions)
    if raised:
        own = any(k.endswith(("_uln_ng_ml", "_uln_u_l", "_uln_mg_dl")) for k in labs)
        expected = "laboratory's upper limit" if own else "typical adult upper limit"
        assert expected in notes, notes


def test_hemangioma_no_treatment_unless_symptomatic_seed001() -> None:
    f = {
        "kind": "lesion",
        "size_mm": 40,
        "calcified": True,
        "associated": "hemangioma",
        "features": {"peripheral_nodular_enhancement": True},
    }
    assert actions(assess(case([f], modality="MRI"))) == [Action.no_further_workup]
    a = assess(case([f], modality="MRI", symptoms=["abdominal_pain"]))
    assert Action.surgical_consultation in actions(a)


def test_cyst_thin_calcification_no_treatment_seed001() -> None:
    f = {"kind": "cyst", "size_mm": 25, "calcified": True, "pattern": "rim"}
    a = assess(case([f], modality="US", contrast=None))
    assert a.findings[0].category.value == "calcified_cystic_lesion"
    assert actions(a) == [Action.no_further_workup]
    assert rules(a) == {"cyst-thin-calcification"}


@pytest.mark.parametrize("feature", ["thick_wall", "septations", "solid_component"])
def test_complex_calcified_cyst_mri_and_surgery_seed001(feature: str) -> None:
    f = {"kind": "cyst", "size_mm": 50, "calcified": True, "features": {feature: True}}
    acts = actions(assess(case([f], modality="US", contrast=None)))
    assert Action.characterize_contrast_imaging in acts
    assert Action.surgical_consultation in acts


def test_hydatid_serology_referral_never_biopsy_brunetti2010() -> None:
    f = {"kind": "cyst", "size_mm": 60, "calcified": True, "pattern": "rim"}
    a = assess(case([f], modality="US", contrast=None, risk={"endemic_exposure": True}))
    acts = actions(a)
    assert Action.laboratory_tests in acts and Action.specialist_referral in acts
    assert Action.biopsy_consideration not in acts
    assert any(w.code == "hydatid_no_biopsy" for w in a.warnings)
    assert a.differential[0].etiology == "hydatid_cyst"


def test_mri_signal_void_gets_noncontrast_ct_seed003() -> None:
    """MRI reporting calcification / signal void: non-contrast CT (Adams 2017)."""
    f = {"kind": "calcification", "size_mm": 8, "features": {"signal_void": True}}
    a = assess(case([f], modality="MRI", contrast="none"))
    assert a.findings[0].category.value == "indeterminate"
    rec = a.recommendations[0]
    assert rec.action is Action.noncontrast_ct and rec.contrast.value == "none"
    assert any(w.code == "mri_limited_for_calcification" for w in a.warnings)


def test_biopsy_never_routine_under_1cm_silva2008() -> None:
    a = assess(case([{**CALC, "size_mm": 6}], risk={"chronic_liver_disease": True}))
    assert Action.biopsy_consideration not in actions(a)


def test_acr_if_gt15_suspicious_high_risk_mri_or_biopsy_with_ct_first() -> None:
    """ACR IF > 1.5 cm suspicious, high risk: MRI now or biopsy; seeding warning stated right."""
    f = {
        "kind": "lesion",
        "size_mm": 30,
        "calcified": False,
        "features": {"suspicious_imaging_features": True},
    }
    a = assess(case([f], modality="US", contrast=None, risk={"extrahepatic_malignancy": True}))
    acts = actions(a)
    assert Action.characterize_contrast_imaging in acts
    w = next(w for w in a.warnings if w.code == "biopsy_seeding")
    assert "2.7% overall" in w.text and "0.9% per year" in w.text


def test_pediatric_isolated_serial_ultrasound_jpgn2022() -> None:
    a = assess(case([CALC], age=4, modality="US", contrast=None))
    assert a.risk.tier.value == "pediatric"
    rec = a.recommendations[0]
    assert rec.action is Action.follow_up_imaging and rec.modality == "US"
    assert "derived" in rec.rationale
    etiologies = [d.etiology for d in a.differential]
    assert "congenital_infection" in etiologies or "infantile_hemangioma" in etiologies


def test_pediatric_mass_mri_afp_referral() -> None:
    f = {"kind": "lesion", "size_mm": 45, "calcified": True}
    acts = actions(assess(case([f], age=1.5, modality="US", contrast=None)))
    assert {
        Action.characterize_contrast_imaging,
        Action.laboratory_tests,
        Action.specialist_referral,
    } <= set(acts)


def test_prenatal_isolated_calcification_simchen2002() -> None:
    c = Case.model_validate(
        {
            "patient": {"gestational_age_weeks": 22},
            "exams": [
                {"modality": "PRENATAL_US", "findings": [{"kind": "calcification", "size_mm": 2}]}
            ],
        }
    )
    a = assess(c)
    assert a.risk.tier.value == "pediatric"
    acts = actions(a)
    assert {Action.specialist_referral, Action.laboratory_tests, Action.follow_up_imaging} <= set(
        acts
    )
    top = a.differential[0].etiology
    assert top != "congenital_infection", "infection must not lead for an isolated fetal focus"


def test_every_citation_resolves_and_references_listed() -> None:
    kb = load_kb()
    a = assess(case([{**CALC, "size_mm": 20, "associated": "solid_mass"}]))
    used = {k for r in a.recommendations for k in r.citations}
    used |= {k for w in a.warnings for k in w.citations}
    used |= {k for d in a.differential for k in d.citations}
    assert used <= set(kb.references)
    assert used <= {r.key for r in a.references}


def test_recommendation_fields_complete() -> None:
    a = assess(
        case(
            [{**CALC, "size_mm": 14}],
            modality="US",
            contrast=None,
            risk={"chronic_liver_disease": True},
        )
    )
    for r in a.recommendations:
        assert r.rule in load_kb().rules
        assert r.rationale and r.citations


def test_no_findings_gives_no_further_workup() -> None:
    a = assess(case([]))
    assert actions(a) == [Action.no_further_workup]
    assert a.recommendations[0].rule == "no-liver-finding"


def test_granuloma_leads_in_unselected_adult_not_metastasis_seed002_conflict() -> None:
    """Seed 002 says metastases are the commonest cause; in an adult with no cancer it is
    healed granuloma (docs/conflicts.md)."""
    a = assess(case([{**CALC, "count": "multiple"}], contrast="none"))
    assert a.differential[0].etiology == "calcified_granuloma"
    ranks = {d.etiology: d.rank for d in a.differential}
    assert ranks.get("metastasis_calcified", 99) > 1


def test_metastasis_leads_with_mucinous_primary_on_chemo_seed000_qa() -> None:
    a = assess(
        case(
            [{**CALC, "count": 8}],
            risk={
                "extrahepatic_malignancy": True,
                "primary_cancer_site": "colorectal",
                "on_chemotherapy": True,
            },
        )
    )
    assert a.differential[0].etiology == "metastasis_calcified"


def test_determinism_byte_identical() -> None:
    c = case([{**CALC, "size_mm": 14}], risk={"chronic_liver_disease": True})
    assert assess(c).to_json() == assess(c).to_json()


def test_calcified_lesion_in_cirrhosis_warned_under_lirads_too_seed001() -> None:
    """Pitfall 'do not ignore a calcified lesion in cirrhosis' holds when LI-RADS decides."""
    f = {
        "kind": "lesion",
        "size_mm": 15,
        "calcified": True,
        "features": {"aphe": True, "capsule": True},
    }
    a = assess(case([f], risk={"cirrhosis": True}))
    assert a.lirads and a.lirads[0].category.value == "LR-4"
    assert any(w.code == "calcified_lesion_in_cirrhosis" for w in a.warnings)


def test_noncontrast_images_first_when_ct_may_characterise_calcification_seed003() -> None:
    """Seed 003: non-contrast images before contrast ones when CT characterises calcium."""
    f = {"kind": "lesion", "size_mm": 15, "calcified": True}
    a = assess(case([f], risk={"cirrhosis": True}))  # LR-4: CT or MRI within 3 months
    w = next(w for w in a.warnings if w.code == "noncontrast_images_first")
    assert "Adams2017" in w.citations and "Seed003" not in w.citations
    noncalc = assess(case([{**f, "calcified": False}], risk={"cirrhosis": True}))
    assert not any(w.code == "noncontrast_images_first" for w in noncalc.warnings)


def test_isolated_low_risk_cites_the_rejected_6_month_followup_conflict() -> None:
    rec = assess(case([CALC])).recommendations[0]
    assert "Gore2017" in rec.citations and "AAFP-ChoosingWisely" in rec.citations
    assert not any(k.startswith("Seed") for k in rec.citations)
    assert "not supported" in rec.rationale


def test_modality_change_between_exams_is_warned() -> None:
    """A change from US to CT is judged against the wider band, and the output says so."""
    c = Case.model_validate(
        {
            "patient": {"age": 30},
            "exams": [
                {
                    "modality": "US",
                    "date": "2023-01-01",
                    "findings": [{"kind": "calcification", "size_mm": 5}],
                },
                {
                    "modality": "CT",
                    "date": "2023-06-01",
                    "contrast": "none",
                    "findings": [{"kind": "calcification", "size_mm": 4}],
                },
            ],
        }
    )
    a = assess(c)
    assert any(w.code == "modality_changed" for w in a.warnings)
    same = assess(case([CALC]))
    assert not any(w.code == "modality_changed" for w in same.warnings)
