"""Paediatric and prenatal pathways by age group and disease (issue 12).

Sources: JPGN 2022 (incidental liver lesions in children), Rawlinson 2017 (congenital
CMV), Kim 2001 / Bersani 2021 (umbilical venous catheter thrombosis), Pan 2013
(hemangioma vs hepatoblastoma), Rutten 2023 and Huang 2000 (large infantile hepatic
hemangioma: cardiac failure, consumptive hypothyroidism), Brunetti 2010 (hydatid),
Zangheri 2007 / Foster 1987 (meconium peritonitis).
"""

from __future__ import annotations

from typing import Any

from hepcalc.engine.assess import assess
from hepcalc.engine.risk import age_group
from hepcalc.model import Action, Assessment, Case, Patient


def make(findings: list[dict], *, age: float | None, modality: str = "US", **p: Any) -> Case:
    patient: dict[str, Any] = dict(p)
    if age is not None:
        patient["age"] = age
    return Case.model_validate(
        {
            "patient": patient,
            "exams": [{"modality": modality, "date": "2024-01-01", "findings": findings}],
        }
    )


def rules(a: Assessment) -> set[str]:
    return {r.rule for r in a.recommendations}


def text(a: Assessment) -> str:
    return " ".join(r.rationale for r in a.recommendations)


FOCI = {"kind": "calcification", "size_mm": 3, "count": "multiple", "associated": "none"}
ONE = {"kind": "calcification", "size_mm": 3, "associated": "none"}


def test_age_groups() -> None:
    assert age_group(Patient(age=0.02), False) == "neonate"
    assert age_group(Patient(age=0.5), False) == "infant"
    assert age_group(Patient(age=5), False) == "child"
    assert age_group(Patient(age=15), False) == "adolescent"
    assert age_group(Patient(age=30), False) == "adult"
    assert age_group(Patient(), True) == "fetus"


def test_jaundiced_neonate_with_multiple_foci_gets_congenital_infection_workup_urgently() -> None:
    a = assess(make([FOCI], age=0.03, symptoms=["jaundice"]))
    assert "neonatal-congenital-infection" in rules(a)
    assert "CMV" in text(a) and "TORCH" in text(a)
    assert "pediatric-isolated" not in rules(a)  # never serial ultrasound only
    assert any(r.action is Action.specialist_referral for r in a.recommendations)
    assert all(r.urgency == "urgent" for r in a.recommendations)
    cited = {k for r in a.recommendations for k in r.citations}
    assert "Rawlinson2017" in cited and "Gore2017" not in cited


def test_infant_calcification_considers_catheter_related_portal_thrombosis() -> None:
    a = assess(make([ONE], age=0.3))
    rec = next(r for r in a.recommendations if r.rule == "neonatal-vascular-catheter")
    assert rec.modality == "Doppler US"
    assert {"Kim2001-UVC", "Bersani2021"} <= set(rec.citations)


def test_asymptomatic_child_isolated_focus_keeps_serial_ultrasound() -> None:
    a = assess(make([ONE], age=6))
    assert rules(a) == {"pediatric-isolated"}
    assert a.recommendations[0].urgency == "routine"


def test_symptomatic_child_is_escalated_never_serial_ultrasound_only() -> None:
    for symptom in ("fever", "weight_loss", "jaundice"):
        a = assess(make([ONE], age=7, symptoms=[symptom]))
        assert "pediatric-isolated" not in rules(a), symptom
        assert "pediatric-symptomatic" in rules(a), symptom
        assert any(r.action is Action.characterize_contrast_imaging for r in a.recommendations)
        assert all(r.urgency in ("soon", "urgent") for r in a.recommendations)


def test_child_mass_gets_age_adjusted_afp_for_hepatoblastoma() -> None:
    mass = {"kind": "lesion", "size_mm": 30, "calcified": True, "associated": "solid_mass"}
    a = assess(make([mass], age=2))
    assert "pediatric-mass" in rules(a)
    assert "age-specific" in text(a) and "hepatoblastoma" in text(a)
    assert "pediatric-hemangioma-large" not in rules(a)


def test_large_infantile_hemangioma_gets_cardiac_and_thyroid_checks() -> None:
    big = {"kind": "lesion", "size_mm": 60, "calcified": True, "associated": "hemangioma"}
    a = assess(make([big], age=0.25))
    assert "pediatric-hemangioma-large" in rules(a)
    assert "thyroid" in text(a).lower() and "echocardiography" in text(a).lower()
    cited = {k for r in a.recommendations for k in r.citations}
    assert {"Rutten2023", "Huang2000"} <= cited
    small = assess(make([{**big, "size_mm": 15}], age=0.25))
    assert "pediatric-hemangioma-large" not in rules(small)


def test_hydatid_cyst_with_daughter_cysts_in_a_child() -> None:
    cyst = {
        "kind": "cyst",
        "size_mm": 50,
        "calcified": True,
        "pattern": "rim",
        "features": {"daughter_cysts": True},
    }
    a = assess(make([cyst], age=9))
    assert "pediatric-hydatid" in rules(a)
    assert "serology" in text(a)
    assert "no longer active" not in text(a) and "inactive one" in text(a)
    assert any(w.code == "hydatid_no_biopsy" for w in a.warnings)
    assert Action.biopsy_consideration not in {r.action for r in a.recommendations}


def test_adult_hydatid_with_daughter_cysts_is_called_active() -> None:
    cyst = {
        "kind": "cyst",
        "size_mm": 50,
        "calcified": True,
        "pattern": "rim",
        "features": {"daughter_cysts": True},
    }
    a = assess(make([cyst], age=40))
    assert "active cyst" in text(a) and "watch-and-wait" in text(a)
    assert "inactive and suits" not in text(a)


def test_fetal_capsular_calcification_is_meconium_peritonitis_pathway() -> None:
    f = {"kind": "calcification", "size_mm": 4, "pattern": "capsular"}
    a = assess(make([f], age=None, modality="PRENATAL_US", gestational_age_weeks=28))
    assert "prenatal-meconium-peritonitis" in rules(a)
    words = text(a).lower()
    assert "bowel" in words and "cystic-fibrosis" in words and "neonatal surgery" in words
    cited = {k for r in a.recommendations for k in r.citations}
    assert {"Zangheri2007", "Foster1987"} & cited


def test_fetal_parenchymal_focus_keeps_torch_and_postnatal_us() -> None:
    f = {"kind": "calcification", "size_mm": 2}
    a = assess(make([f], age=None, modality="PRENATAL_US", gestational_age_weeks=22))
    assert rules(a) == {"prenatal-calcification"}
    assert "TORCH" in text(a)


def test_no_gore_or_adult_only_guideline_cited_for_children() -> None:
    cases = [
        make([ONE], age=6),
        make([FOCI], age=0.03, symptoms=["jaundice"]),
        make([{"kind": "lesion", "size_mm": 30, "calcified": True}], age=3),
        make([ONE], age=10, symptoms=["fever"]),
    ]
    for c in cases:
        cited = {k for r in assess(c).recommendations for k in r.citations}
        assert not {"Gore2017", "ACR-Assist-IF-Liver", "Sawatzki2023"} & cited


def test_child_afp_is_read_against_its_age() -> None:
    """An AFP normal for a 3-month-old is not 'raised'; far above the age limit it is."""
    mass = {"kind": "lesion", "size_mm": 30, "calcified": True, "associated": "solid_mass"}
    high = assess(make([mass], age=3, labs={"afp_ng_ml": 5000}))
    afp = next(
        r for r in high.recommendations if r.rule == "pediatric-mass" and "AFP" in r.rationale
    )
    assert "above the upper limit for age" in afp.rationale and "hepatoblastoma" in afp.rationale
    infant_normal = assess(make([ONE], age=0.25, labs={"afp_ng_ml": 100}))
    assert "pediatric-symptomatic" not in rules(infant_normal)
    child_high = assess(make([ONE], age=6, labs={"afp_ng_ml": 400}))
    assert "pediatric-symptomatic" in rules(child_high)
