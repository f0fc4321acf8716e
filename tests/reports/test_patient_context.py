"""What a report says about the patient (reports/patient_context.py), by class of statement.

Each test names a class of wording (negation, family history, hedge, question,
other-organ cancer, imaging wording, age forms) rather than one sentence, with
several phrasings each; the annotated dev set sets a precision/recall floor.
"""

from __future__ import annotations

import sys

import pytest

from hepcalc.errors import InputError
from hepcalc.model import Sex, Symptom
from hepcalc.reports.patient_context import LexiconError, load_lexicon, read_patient_context
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "benchmarks"))
import context_accuracy


def factors(text: str) -> set[str]:
    return set(read_patient_context(text).risk_factors)


@pytest.mark.parametrize(
    ("text", "factor"),
    [
        ("HISTORY: 62-year-old man with chronic hepatitis B.", "chronic_hbv"),
        ("Clinical details: HBsAg positive carrier.", "chronic_hbv"),
        ("INDICATION: Known HCV, surveillance.", "chronic_hcv"),
        ("HISTORY: Cirrhosis secondary to alcohol.", "cirrhosis"),
        ("FINDINGS: Liver: nodular cirrhotic liver with a 6 mm calcification.", "cirrhosis"),
        ("FINDINGS: The liver surface is nodular.", "cirrhosis"),
        ("HISTORY: Hereditary haemochromatosis.", "chronic_liver_disease"),
        ("HISTORY: Prior HCC treated with ablation.", "prior_hcc"),
        ("HISTORY: Renal transplant recipient on tacrolimus.", "immunocompromised"),
        ("HISTORY: Treated pulmonary tuberculosis.", "endemic_exposure"),
        ("HISTORY: Colon cancer, currently on FOLFOX.", "on_chemotherapy"),
    ],
)
def test_stated_factor_is_asserted(text: str, factor: str) -> None:
    assert factor in factors(text)


@pytest.mark.parametrize(
    "text",
    [
        "HISTORY: No history of cirrhosis or hepatitis B.",
        "HISTORY: Denies hepatitis C.",
        "LABS: HBsAg negative.",
        "HISTORY: Hepatitis B and C negative.",
        "FINDINGS: No morphologic features of cirrhosis.",
        "FINDINGS: The liver is not cirrhotic.",
        "HISTORY: No known malignancy.",
    ],
)
def test_negated_statements_fill_nothing(text: str) -> None:
    assert factors(text) == set()
    assert read_patient_context(text).mentions  # read, and kept as not asserted


@pytest.mark.parametrize(
    "text",
    [
        "FAMILY HISTORY: Mother had HCC. Father with hepatitis B.",
        "HISTORY: Her mother had hepatocellular carcinoma.",
        "HISTORY: Brother has hepatitis C.",
        "HISTORY: Family history of colon cancer.",
        "HISTORY: Hepatitis B in her mother (vertical transmission risk).",
    ],
)
def test_family_history_is_not_the_patient(text: str) -> None:
    ctx = read_patient_context(text)
    assert not ctx.risk_factors
    assert all(m.family for m in ctx.mentions if not m.name.startswith(("age", "sex")))


@pytest.mark.parametrize(
    "text",
    [
        "INDICATION: Evaluate for cirrhosis.",
        "INDICATION: Rule out HCC.",
        "INDICATION: ?cirrhosis",
        "INDICATION: Elevated AFP, concern for HCC.",
        "IMPRESSION: Possible early cirrhosis.",
        "IMPRESSION: Findings may reflect cirrhosis.",
        "INDICATION: Cirrhosis screening.",
        "INDICATION: HCC surveillance.",
        "INDICATION: Lung nodule, rule out malignancy.",
    ],
)
def test_questions_and_hedges_are_not_facts(text: str) -> None:
    assert factors(text) == set()


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: 2 cm mass with washout, LR-5, consistent with HCC.",
        "IMPRESSION: Cystic lesion with daughter cysts, consistent with hydatid disease.",
        "IMPRESSION: Calcified granuloma, likely from prior histoplasmosis.",
    ],
)
def test_imaging_diagnoses_in_the_impression_are_not_patient_history(text: str) -> None:
    """An impression reads the images; prior HCC / endemic exposure need a history cue there."""
    assert factors(text) == set()


@pytest.mark.parametrize(
    ("text", "site"),
    [
        ("INDICATION: History of colorectal cancer.", "colorectal"),
        ("HISTORY: Carcinoma of the sigmoid colon, resected.", "colorectal"),
        ("HISTORY: Metastatic pancreatic adenocarcinoma.", "pancreas"),
        ("HISTORY: Ovarian cancer.", "ovary"),
        ("HISTORY: Melanoma, staging.", "melanoma"),
        ("IMPRESSION: Calcified metastases from the known mucinous colon cancer.", "colorectal"),
    ],
)
def test_known_cancer_with_primary_site(text: str, site: str) -> None:
    ctx = read_patient_context(text)
    assert "extrahepatic_malignancy" in ctx.risk_factors
    assert ctx.primary_cancer_site is not None and ctx.primary_cancer_site.detail == site


def test_liver_primaries_are_not_an_extrahepatic_cancer() -> None:
    assert "extrahepatic_malignancy" not in factors("HISTORY: Prior HCC, resected.")
    assert "extrahepatic_malignancy" not in factors("HISTORY: Colon cancer screening normal.")


def test_hepatitis_b_immunity_is_not_infection() -> None:
    for text in (
        "LABS: Hepatitis B surface antibody positive.",
        "HISTORY: Vaccinated against hepatitis B.",
        "HISTORY: anti-HBs positive.",
    ):
        assert "chronic_hbv" not in factors(text), text


def test_negation_does_not_reach_a_reasserted_item() -> None:
    ctx = read_patient_context("HISTORY: Denies fever, history of hepatitis B.")
    assert "chronic_hbv" in ctx.risk_factors
    assert Symptom.fever not in ctx.symptoms


@pytest.mark.parametrize(
    ("text", "age", "sex"),
    [
        ("HISTORY: 62-year-old man with abdominal pain.", 62.0, Sex.male),
        ("HISTORY: 3-week-old girl with jaundice.", 0.057, Sex.female),
        ("HISTORY: 6 month old boy.", 0.5, Sex.male),
        ("Reason: 45 yo F, RUQ pain.", 45.0, Sex.female),
        ("Reason for exam: 50M, HCV cirrhosis.", 50.0, Sex.male),
        ("Sex: F. Age: 34.", 34.0, Sex.female),
    ],
)
def test_age_and_sex_forms(text: str, age: float, sex: Sex) -> None:
    ctx = read_patient_context(text)
    assert ctx.age is not None and ctx.age.value == pytest.approx(age, abs=0.01)
    assert ctx.sex is not None and ctx.sex.value is sex


def test_a_relatives_age_is_not_the_patients() -> None:
    ctx = read_patient_context("HISTORY: The patient's 30-year-old mother has hepatitis B.")
    assert ctx.age is None and not ctx.risk_factors


def test_symptoms_only_from_the_history_not_the_findings() -> None:
    ctx = read_patient_context(
        "INDICATION: Fever and jaundice.\nFINDINGS: Palpable mass? No. Weight loss noted."
    )
    assert set(ctx.symptoms) >= {Symptom.fever, Symptom.jaundice}
    assert Symptom.weight_loss not in ctx.symptoms


def test_every_mention_has_its_evidence_span() -> None:
    text = "CLINICAL HISTORY: 58-year-old man.\nHISTORY: Chronic hepatitis B on entecavir."
    ctx = read_patient_context(text)
    m = ctx.risk_factors["chronic_hbv"]
    assert text[m.start : m.end].lower() == "chronic hepatitis b"
    assert text[m.evidence.start : m.evidence.end] == m.evidence.sentence
    assert "hepatitis B" in m.quote


def test_background_liver_from_imaging_wording_only() -> None:
    assert read_patient_context("FINDINGS: Coarse nodular liver.").background_liver == "cirrhosis"
    assert read_patient_context("HISTORY: Cirrhosis.").background_liver is None
    fatty = read_patient_context("FINDINGS: Diffuse hepatic steatosis.")
    assert fatty.background_liver == "steatosis"
    assert not fatty.risk_factors  # steatosis alone is not a chronic liver disease factor


def test_too_long_and_non_text_input_are_input_errors() -> None:
    with pytest.raises(InputError, match="limit"):
        read_patient_context("x" * 200_001)
    with pytest.raises(InputError, match="string"):
        read_patient_context(b"HBV")  # type: ignore[arg-type]


def test_lexicon_is_validated_naming_the_entry() -> None:
    with pytest.raises(LexiconError, match=r"factors\.cirrhotic_liver"):
        load_lexicon("factors: {cirrhotic_liver: {terms: [x]}}\nsymptoms: {fever: {terms: [f]}}")
    with pytest.raises(LexiconError, match=r"symptoms\.itch"):
        load_lexicon("factors: {cirrhosis: {terms: [x]}}\nsymptoms: {itch: {terms: [f]}}")
    with pytest.raises(LexiconError, match="not a valid pattern"):
        load_lexicon("factors: {cirrhosis: {terms: ['(']}}\nsymptoms: {fever: {terms: [f]}}")


def test_dev_set_precision_and_recall_floor() -> None:
    """The annotated dev set (tests/data/reports/context_dev.jsonl): precision first."""
    table = context_accuracy.score()
    assert table["all"]["tp"] + table["all"]["fn"] >= 100
    assert table["all"]["precision"] >= 0.97, context_accuracy.errors()
    assert table["all"]["recall"] >= 0.9, context_accuracy.errors()
    for name in ("cirrhosis", "chronic_hbv", "prior_hcc", "extrahepatic_malignancy"):
        assert table[name]["fp"] == 0, (name, context_accuracy.errors())


@pytest.mark.parametrize(
    "text",
    [
        "PLAN: Hepatitis B second injection will be given today.",
        "Immunizations discussed and updated with hepatitis B.",
        "He completed a 3 shot series for hepatitis B; titers show protective antibodies.",
        "It would be helpful to have a liver function profile as well as hepatitis B.",
        "ASSESSMENT: Wilson disease also possible diagnosis.",
        "ASSESSMENT: PSC is extremely unlikely.",
        "PLAN: Port placement for chemotherapy to begin next week.",
        "We discussed adjuvant or neoadjuvant chemotherapy.",
        "FAMILY: Also a paternal grandmother who was diagnosed with breast cancer at 86.",
    ],
)
def test_general_medical_prose_that_names_a_factor_without_stating_it(text: str) -> None:
    """Classes seen in MTSamples: vaccination, lab orders, differentials, plans, relatives."""
    assert factors(text) == set()
