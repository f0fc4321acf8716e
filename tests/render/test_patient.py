"""Patient text: chosen by context, plain (FK grade <= 8), never falsely reassuring."""

from __future__ import annotations

import re

import textstat

from hepcalc.model import (
    Action,
    Assessment,
    Contrast,
    Growth,
    GrowthPoint,
    Modality,
    MustExclude,
    RiskTier,
)
from hepcalc.render import patient_text
from hepcalc.render.patient import compose_patient

MAX_GRADE = 8.0
HEADINGS = (
    "What did the scan show?",
    "What could it be?",
    "Has it changed?",
    "What happens next?",
    "When should you get help?",
    "Who decides?",
)
# Words a patient should not meet unexplained.
JARGON = re.compile(
    r"\b(hepatic|lesion|parenchym\w*|etiolog\w*|LI-RADS|LR-\d|HCC|carcinoma|metasta\w*|"
    r"neoplasm|malignan\w*|multiphase|hepatobiliary|TORCH|serology|segment|track)\b",
    re.I,
)
REASSURE = "Most are harmless"


def test_readability_grade_8_or_below(any_case: Assessment) -> None:
    text = patient_text(any_case)
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_answers_every_question(any_case: Assessment) -> None:
    text = patient_text(any_case)
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "decide" in text


def test_no_unexplained_jargon(any_case: Assessment) -> None:
    assert not JARGON.search(patient_text(any_case)), JARGON.search(patient_text(any_case))


def test_says_what_happens_next_and_when(seed000_growth: Assessment, prenatal: Assessment) -> None:
    text = patient_text(seed000_growth)
    assert "A CT scan without dye is advised" in text
    assert "from 1.4 cm to 2.5 cm" in text
    assert "in about 1 to 2 months" in patient_text(prenatal)


def test_two_spots_are_the_larger_and_the_smaller(seed000_growth: Assessment) -> None:
    text = patient_text(seed000_growth)
    assert "The larger spot looks bigger" in text
    assert "The smaller spot measured a little different" in text


def test_serious_cause_is_not_named_as_most_likely(cirrhosis_lr4: Assessment) -> None:
    text = patient_text(cirrhosis_lr4)
    assert "cancer" not in text.lower()
    assert "Doctors cannot yet say what this is" in text


def test_a_mass_is_a_lump_not_a_small_spot(cirrhosis_lr4: Assessment) -> None:
    text = patient_text(cirrhosis_lr4)
    assert "a lump in the liver, about 1.5 cm across" in text
    assert "small spot" not in text and REASSURE not in text


def test_harmless_spot_is_reassuring_but_not_dismissive(punctate_low_risk: Assessment) -> None:
    text = patient_text(punctate_low_risk)
    assert "small spot of calcium" in text and REASSURE in text
    assert "No more scans are needed" in text
    assert "Call your doctor sooner" in text
    assert "Your doctor knows your health best" in text


def test_known_cancer_child_and_fetus_never_hear_most_are_harmless(
    punctate_low_risk: Assessment, prenatal: Assessment
) -> None:
    cancer = punctate_low_risk.model_copy(deep=True)
    cancer.risk.factors = ["extrahepatic_malignancy"]
    child = punctate_low_risk.model_copy(deep=True)
    child.risk.tier = RiskTier.pediatric
    for a, needle in (
        (cancer, "You have had cancer before"),
        (child, "your child's"),
        (prenatal, "your baby"),
    ):
        text = patient_text(a)
        assert REASSURE not in text, text
        assert needle in text.lower() or needle in text


def test_symptoms_already_present_are_answered_now(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.risk.factors = ["symptom:jaundice", "symptom:fever"]
    text = patient_text(a)
    assert "You have yellow skin or eyes and a fever." in text
    assert "see a doctor today" in text
    assert "if you get pain" not in text  # not told to wait for what they already have
    assert REASSURE not in text
    pain = punctate_low_risk.model_copy(deep=True)
    pain.risk.factors = ["symptom:abdominal_pain"]
    assert "Tell your doctor about it soon" in patient_text(pain)


def test_conditional_step_stays_conditional(seed000_growth: Assessment) -> None:
    a = seed000_growth.model_copy(deep=True)
    a.recommendations.append(
        a.recommendations[0].model_copy(
            update={
                "action": Action.characterize_contrast_imaging,
                "modality": "MRI",
                "contrast": Contrast.hepatobiliary,
                "rationale": "If CT confirms growth: MRI to look for a lump.",
            }
        )
    )
    text = patient_text(a)
    assert "Only if that test finds a problem: an MRI scan with a dye" in text


def test_urgency_is_said(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].urgency = "urgent"
    assert "This is urgent. Please act on it today." in patient_text(a)
    a.recommendations[0].urgency = "soon"
    assert "Please do not wait long" in patient_text(a)


def test_same_kind_ct_growth_is_real_change(seed000_growth: Assessment) -> None:
    a = seed000_growth.model_copy(deep=True)
    g = a.growth[0]
    a.growth[0] = g.model_copy(
        update={
            "points": [p.model_copy(update={"modality": Modality.CT}) for p in g.points],
        }
    )
    text = patient_text(a)
    assert "this is a real change" in text
    assert "how it was measured" not in text and "ultrasound does not measure" not in text
    # on ultrasound the same growth is put down to the method, honestly
    assert "ultrasound does not measure calcium well" in patient_text(seed000_growth)


def test_same_size_is_never_from_x_to_x(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.growth = [
        Growth(
            track="A",
            status="stable",
            from_mm=3,
            to_mm=3,
            points=[
                GrowthPoint(exam="ct-1", modality="CT", size_mm=3),
                GrowthPoint(exam="ct-2", modality="CT", size_mm=3),
            ],
        )
    ]
    text = patient_text(a)
    assert "from 3 mm to 3 mm" not in text
    assert "measured the same, about 3 mm" in text


def test_hydatid_is_never_called_inactive(cystic_septations: Assessment) -> None:
    a = cystic_septations.model_copy(deep=True)
    a.differential = sorted(a.differential, key=lambda d: d.etiology != "hydatid_cyst")
    for i, d in enumerate(a.differential, 1):
        d.rank = i
        d.track = "A"
    text = patient_text(a)
    assert "tapeworm" in text
    assert "no longer active" not in text and "dead" not in text
    assert "A specialist can tell if the cyst is still active" in text


def test_must_exclude_is_said_without_naming_cancer(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.must_exclude = [MustExclude(etiology="metastasis_calcified", reason="known cancer")]
    text = patient_text(a)
    assert "rule out some causes" in text
    assert "cancer" not in text.lower()


def test_engine_patient_sentence_wins(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].patient_text = "Nothing more is needed for this spot."
    assert "Nothing more is needed for this spot." in patient_text(a)


def test_parent_and_pregnancy_wording(prenatal: Assessment) -> None:
    text = patient_text(prenatal)
    assert "your baby" in text
    assert "pregnancy care team" in text


def test_message_ids_are_recorded(seed000_growth: Assessment) -> None:
    ids = compose_patient(seed000_growth).ids
    assert "growth.grew_us" in ids and "next.ct_plain" in ids
