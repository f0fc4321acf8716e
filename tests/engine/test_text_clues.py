"""Clues stated in report text (engine.text_clues) and what they do to the differential:
each class with wordings of its own, negation, and the ranking it should move (issue 11,
second blind round: maternal exposures, fetal signs, severe illness, trauma, Thorotrast-era
angiography, vein course, adenoma/FNH MRI signs, several nodules in a baby)."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.engine.assess import assess
from hepcalc.engine.text_clues import DESCRIBED_CLUES, HISTORY_CLUES, stated
from hepcalc.model import Assessment, Case

CLUES = {f"history:{k}": v for k, v in HISTORY_CLUES.items()} | {
    f"described:{k}": v for k, v in DESCRIBED_CLUES.items()
}


@pytest.mark.parametrize(
    ("clue", "text"),
    [
        ("history:maternal_infection", "Mother had chicken pox at 14 weeks."),
        ("history:maternal_infection", "A child at home had slapped-cheek syndrome last month."),
        (
            "history:maternal_infection",
            "The mother reports a febrile illness with a rash at 10 weeks.",
        ),
        ("history:umbilical_catheter", "Umbilical venous line for 9 days after birth."),
        ("history:severe_illness", "Post-operative low cardiac output needing vasopressors."),
        ("history:trauma", "Came off a motorcycle in an accident two years ago."),
        ("history:trauma", "He fell from a ladder onto the right flank."),
        ("history:thorotrast", "Carotid angiography in 1948 after a stroke."),
        ("history:thorotrast", "In the 1940s he had a cerebral arteriogram."),
        ("history:adenoma_risk", "Long-term oral contraceptive use."),
        ("history:adenoma_risk", "Known glycogen storage disease type I."),
        ("described:congenital_infection_signs", "Fetal ascites and skin edema."),
        ("described:congenital_infection_signs", "MCA peak systolic velocity 1.8 MoM."),
        ("described:congenital_infection_signs", "Hyperechogenic bowel loops."),
        ("described:congenital_infection_signs", "Echogenic lining of the ventricular walls."),
        ("described:infection_screen_negative", "TORCH serology (CMV, rubella, toxo) negative."),
        ("described:infection_screen_negative", "The anomaly scan was otherwise normal."),
        (
            "described:vascular_course",
            "A 5 mm focus in the left portal vein near the umbilical portion.",
        ),
        ("described:vascular_course", "Bright foci along a portal venous branch."),
        ("described:prenatal_focus", "This calcification was seen at the 20-week scan."),
        ("described:intralesional_fat", "Signal drop on out-of-phase images."),
        ("described:haemorrhage", "Contains blood products of different ages."),
        ("described:hbp_retention", "Isointense to liver on the hepatobiliary phase."),
        ("described:hbp_hypointense", "Hypointense in the HBP."),
        ("described:t2_bright_scar", "A central scar that is hyperintense on T2."),
    ],
)
def test_clue_is_read(clue: str, text: str) -> None:
    assert stated(CLUES[clue], text), (clue, text)


@pytest.mark.parametrize(
    ("clue", "text"),
    [
        ("history:trauma", "No history of trauma or falls."),
        ("history:umbilical_catheter", "No umbilical venous line was ever placed."),
        ("history:thorotrast", "CT angiography in 2019 was normal."),
        ("described:congenital_infection_signs", "MCA velocity normal. No ascites."),
        ("described:hbp_retention", "Hypointense on the hepatobiliary phase."),
        ("described:t2_bright_scar", "The central scar is dark on T2."),
        ("described:haemorrhage", "No haemorrhage within the lesion."),
    ],
)
def test_clue_is_not_read(clue: str, text: str) -> None:
    assert not stated(CLUES[clue], text), (clue, text)


def _top(patient: dict[str, Any], finding: dict[str, Any], text: str, **exam: Any) -> Assessment:
    e = {"modality": "MRI", "date": "2024-03-01", "report_text": text, "findings": [finding]}
    return assess(Case.model_validate({"patient": patient, "exams": [{**e, **exam}]}))


def _ranked(a: Assessment) -> list[str]:
    return [d.etiology for d in sorted(a.differential, key=lambda d: d.rank)]


LESION = {"kind": "lesion", "size_mm": 50, "pattern": "coarse", "associated": "solid_mass"}
ADULT = {"age": 33, "sex": "female", "risk_factors": {"cirrhosis": False}}


def test_adenoma_signs_put_adenoma_first() -> None:
    a = _top(
        ADULT,
        {**LESION, "features": {"aphe": True, "washout": False}},
        "On the contraceptive pill for 10 years. Signal loss on opposed-phase images, "
        "internal haemorrhage, hypointense on the hepatobiliary phase.",
    )
    assert _ranked(a)[0] == "hepatic_adenoma", _ranked(a)[:3]


def test_fnh_signs_put_fnh_before_fibrolamellar() -> None:
    a = _top(
        ADULT,
        {**LESION, "pattern": "central", "features": {"aphe": True, "washout": False}},
        "Central scar bright on T2; iso- to hyperintense to liver on the hepatobiliary phase.",
    )
    ranked = _ranked(a)
    assert ranked[0] == "focal_nodular_hyperplasia", ranked[:3]


def test_without_the_signs_the_same_lesion_is_not_called_fnh_first() -> None:
    a = _top(ADULT, {**LESION, "pattern": "central", "features": {"aphe": True}}, "")
    assert _ranked(a)[0] != "focal_nodular_hyperplasia"


def test_rim_calcified_cyst_at_an_old_laceration_is_an_old_haematoma() -> None:
    cyst = {"kind": "cyst", "size_mm": 35, "pattern": "rim", "associated": "complex_cyst"}
    text = "Grade III laceration of the right lobe in a road traffic collision 5 years ago."
    a = _top({"age": 40, "sex": "male"}, cyst, text, modality="CT")
    assert "old_hematoma" in _ranked(a)[:2], _ranked(a)[:3]
    # hydatid stays beside it while exposure is unknown (it is not ruled out by trauma)
    no_exposure = {"age": 40, "sex": "male", "risk_factors": {"endemic_exposure": False}}
    b = _top(no_exposure, cyst, text, modality="CT")
    assert _ranked(b)[0] == "old_hematoma", _ranked(b)[:3]


def test_several_nodules_in_a_baby_must_exclude_neuroblastoma_metastases() -> None:
    nodules = {"kind": "lesion", "size_mm": 12, "count": "multiple", "pattern": "punctate"}
    a = _top({"age": 0.2, "sex": "female"}, nodules, "Red skin marks.", modality="US")
    assert "metastasis_calcified" in {m.etiology for m in a.must_exclude}
    older = _top({"age": 30, "sex": "female"}, nodules, "", modality="US")
    assert "metastasis_calcified" not in {m.etiology for m in older.must_exclude}
