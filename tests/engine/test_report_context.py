"""Report-stated patient context reaches the decision (engine/report_context.py, issue 13).

End-to-end through ``pipeline.assess``: what a report says changes the risk tier,
LI-RADS and the differential; structured input wins; a disagreement is an
``input_contradiction`` warning and the safer reading is used.
"""

from __future__ import annotations

from typing import Any

from hepcalc.model import Case
from hepcalc.pipeline import assess

CALC = "FINDINGS: Liver: 8 mm coarse calcification in segment 7. No associated mass."


def run(report: str, patient: dict[str, Any] | None = None, **exam: Any) -> dict[str, Any]:
    case = Case.model_validate(
        {
            "patient": patient or {},
            "exams": [{"modality": "US", "date": "2026-01-05", "report_text": report, **exam}],
        }
    )
    return assess(case).to_json_dict()


def contradictions(a: dict[str, Any]) -> list[str]:
    return [w["text"] for w in a["warnings"] if w["code"] == "input_contradiction"]


def test_hepatitis_b_in_the_history_makes_the_patient_high_risk_with_lirads() -> None:
    a = run("CLINICAL HISTORY: Chronic hepatitis B.\n" + CALC)
    assert a["risk"]["tier"] == "high"
    assert "chronic_hbv" in a["risk"]["factors"]
    assert "chronic_hbv" not in a["risk"]["unknown"]
    assert a.get("lirads"), "LI-RADS applies to chronic hepatitis B"
    note = [s for s in a["risk"]["assumptions"] if s.startswith("Chronic hepatitis B")]
    assert note and "report of exam" in note[0] and "'Chronic hepatitis B'" in note[0]


def test_nodular_cirrhotic_liver_in_the_findings_makes_the_patient_cirrhotic() -> None:
    a = run("FINDINGS: Nodular cirrhotic liver. 8 mm coarse calcification in segment 7.")
    assert a["risk"]["tier"] == "high" and "cirrhosis" in a["risk"]["factors"]
    assert a.get("lirads")


def test_history_of_colorectal_cancer_is_a_known_cancer_with_its_site() -> None:
    a = run("INDICATION: History of colorectal cancer.\n" + CALC)
    assert "extrahepatic_malignancy" in a["risk"]["factors"]
    assert any("Primary cancer site colorectal" in s for s in a["risk"]["assumptions"])
    assert a["risk"]["tier"] == "high"
    metastasis = [d for d in a["differential"] if d["etiology"] == "metastasis_calcified"]
    assert metastasis, "a known mucinous-site primary puts calcified metastasis in the list"


def test_same_report_without_the_history_stays_low_risk() -> None:
    a = run(CALC)
    assert a["risk"]["tier"] == "low"
    assert not contradictions(a)


def test_negated_family_and_hedged_statements_fill_nothing() -> None:
    for history in (
        "HISTORY: No history of liver disease. Denies hepatitis B.",
        "FAMILY HISTORY: Mother had HCC and hepatitis B.",
        "INDICATION: Evaluate for cirrhosis.",
        "INDICATION: ?hepatitis B",
    ):
        a = run(history + "\n" + CALC)
        assert a["risk"]["tier"] == "low", history
        assert "lirads" not in a, history


def test_hedged_factor_is_named_as_raised_not_used() -> None:
    a = run("IMPRESSION: Possible cirrhosis.\n" + CALC)
    assert "cirrhosis" in a["risk"]["unknown"]
    assert any("raised but not stated as a fact" in s for s in a["risk"]["assumptions"])


def test_structured_input_wins_and_is_not_repeated() -> None:
    a = run("HISTORY: Chronic hepatitis B.\n" + CALC, {"risk_factors": {"chronic_hbv": True}})
    assert "chronic_hbv" in a["risk"]["factors"]
    assert not any("taken from the report" in s for s in a["risk"]["assumptions"])
    assert not contradictions(a)


def test_structured_false_against_report_is_a_contradiction_and_the_safer_reading() -> None:
    a = run(
        "FINDINGS: Nodular cirrhotic liver. 8 mm coarse calcification in segment 7.",
        {"risk_factors": {"cirrhosis": False}},
    )
    texts = contradictions(a)
    assert len(texts) == 1
    assert "risk_factors.cirrhosis" in texts[0] and "structured case" in texts[0]
    assert "report of exam" in texts[0] and "cirrhotic" in texts[0]
    assert "cirrhosis" in a["risk"]["factors"] and a["risk"]["tier"] == "high"
    ref_keys = {r["key"] for r in a["references"]}
    assert all(c in ref_keys for w in a["warnings"] for c in w["citations"])


def test_age_and_sex_from_the_report_and_a_child_gets_the_pediatric_tier() -> None:
    a = run("HISTORY: 3-week-old girl with jaundice.\n" + CALC)
    assert a["risk"]["tier"] == "pediatric"
    assert "age" not in a["risk"]["unknown"]
    assert "symptom:jaundice" in a["risk"]["factors"]


def test_structured_age_kept_when_the_report_disagrees() -> None:
    a = run("HISTORY: 62-year-old man.\n" + CALC, {"age": 40, "sex": "female"})
    texts = contradictions(a)
    assert any("patient.age" in t and "40 years" in t and "62 years" in t for t in texts)
    assert any("patient.sex" in t for t in texts)


def test_context_from_an_earlier_exam_counts_and_names_that_exam() -> None:
    case = Case.model_validate(
        {
            "exams": [
                {
                    "id": "us-old",
                    "modality": "US",
                    "date": "2025-01-05",
                    "report_text": "HISTORY: Chronic hepatitis C.\n" + CALC,
                },
                {"id": "us-new", "modality": "US", "date": "2026-01-05", "report_text": CALC},
            ]
        }
    )
    a = assess(case).to_json_dict()
    assert "chronic_hcv" in a["risk"]["factors"]
    assert any("exam us-old" in s for s in a["risk"]["assumptions"])


def test_structured_findings_with_report_text_still_read_the_context() -> None:
    a = run(
        "HISTORY: Chronic hepatitis B.",
        findings=[{"kind": "calcification", "size_mm": 8, "location": {"segment": 7}}],
    )
    assert "chronic_hbv" in a["risk"]["factors"]


def test_assessment_is_deterministic_with_report_context() -> None:
    report = "HISTORY: 58-year-old man with chronic hepatitis B.\n" + CALC
    case = Case.model_validate({"exams": [{"modality": "US", "report_text": report}]})
    assert assess(case).to_json() == assess(case).to_json()


def test_age_from_an_earlier_report_is_carried_to_the_latest_exam() -> None:
    case = Case.model_validate(
        {
            "exams": [
                {
                    "modality": "US",
                    "date": "2024-01-05",
                    "report_text": "HISTORY: 60-year-old woman.\n" + CALC,
                },
                {"modality": "US", "date": "2026-01-05", "report_text": CALC},
            ]
        }
    )
    a = assess(case).to_json_dict()
    note = [s for s in a["risk"]["assumptions"] if s.startswith("Age ")]
    assert note and note[0].startswith("Age 62 years (at the latest exam, 2026-01-05)")
