"""Patient text: the six questions answered, plain (FK grade <= 8), never alarming."""

from __future__ import annotations

import re

import textstat

from hepcalc.model import Assessment
from hepcalc.render import patient_text

MAX_GRADE = 8.0
HEADINGS = (
    "What is a calcification?",
    "What is this spot most likely?",
    "Has it changed?",
    "What happens next?",
    "When should I call sooner?",
    "Who decides?",
)
# Words a patient should not meet unexplained.
JARGON = re.compile(
    r"\b(hepatic|lesion|parenchym\w*|etiolog\w*|LI-RADS|LR-\d|HCC|carcinoma|metasta\w*|"
    r"neoplasm|malignan\w*|multiphase|hepatobiliary|TORCH|serology|segment)\b",
    re.I,
)


def test_readability_grade_8_or_below(any_case: Assessment) -> None:
    text = patient_text(any_case)
    assert textstat.flesch_kincaid_grade(text) <= MAX_GRADE, text


def test_answers_every_question(any_case: Assessment) -> None:
    text = patient_text(any_case)
    positions = [text.index(h) for h in HEADINGS]
    assert positions == sorted(positions)
    assert "calcium" in text
    assert "decide" in text


def test_no_unexplained_jargon(any_case: Assessment) -> None:
    assert not JARGON.search(patient_text(any_case)), JARGON.search(patient_text(any_case))


def test_says_what_happens_next_and_when(seed000_growth: Assessment, prenatal: Assessment) -> None:
    text = patient_text(seed000_growth)
    assert "A CT scan without dye is advised" in text
    assert "from 1.4 cm to 2.5 cm" in text
    assert "in about 1 to 2 months" in patient_text(prenatal)


def test_serious_cause_is_not_named_as_most_likely(cirrhosis_lr4: Assessment) -> None:
    text = patient_text(cirrhosis_lr4)
    assert "cancer" not in text.lower()
    assert "Doctors cannot yet say what this spot is" in text


def test_benign_cause_is_not_dismissive(punctate_low_risk: Assessment) -> None:
    text = patient_text(punctate_low_risk)
    assert "No more scans are needed" in text
    assert "Call your doctor sooner" in text
    assert "Your doctor knows your health best" in text


def test_engine_patient_sentence_wins(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].patient_text = "Nothing more is needed for this spot."
    assert "Nothing more is needed for this spot." in patient_text(a)


def test_parent_and_pregnancy_wording(prenatal: Assessment) -> None:
    text = patient_text(prenatal)
    assert "your baby" in text
    assert "pregnancy care team" in text
