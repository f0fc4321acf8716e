"""The order review behind the CDS order-select card (seed 003; Adams 2017)."""

from __future__ import annotations

from hepcalc.engine.assess import assess
from hepcalc.engine.orders import review_mri_order
from hepcalc.model import Action, Case


def _case(finding: dict) -> Case:
    return Case.model_validate(
        {
            "patient": {
                "age": 50,
                "risk_factors": {
                    "cirrhosis": False,
                    "chronic_hbv": False,
                    "chronic_hcv": False,
                    "extrahepatic_malignancy": False,
                },
            },
            "exams": [{"modality": "US", "findings": [finding]}],
        }
    )


def test_mri_for_a_known_calcification_becomes_noncontrast_ct() -> None:
    rec = review_mri_order(assess(_case({"kind": "calcification", "size_mm": 6})))
    assert rec is not None
    assert rec.action is Action.noncontrast_ct and rec.contrast.value == "none"
    assert rec.rule == "mri-calcification-ct"
    assert "Adams2017" in rec.citations
    assert "Seed003" not in rec.citations  # seed pages are quoted in docs, never cited


def test_no_suggestion_when_the_engine_itself_wants_mri() -> None:
    lesion = {"kind": "lesion", "size_mm": 25, "calcified": True}
    a = assess(_case(lesion))
    assert any(r.modality == "MRI" for r in a.recommendations)
    assert review_mri_order(a) is None


def test_no_suggestion_without_a_calcification() -> None:
    a = assess(_case({"kind": "cyst", "size_mm": 20, "calcified": False}))
    assert review_mri_order(a) is None
