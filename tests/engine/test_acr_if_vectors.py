"""ACR Incidental Findings liver algorithm (Gore 2017; ACR Assist IF-Liver) on its 22 vectors.

The vectors in ``../shared/data/acr_if_liver_vectors.csv`` enumerate the ACR Assist
module's rules (sizes in cm, as the module compares them despite declaring mm). Each
is run as a non-calcified lesion in an adult outside the LI-RADS population; "high
risk" is a known extrahepatic cancer (ACR's high-risk group includes it).
"""

from __future__ import annotations

import csv

import pytest

from hepcalc.engine.assess import assess
from hepcalc.model import Action, Case
from tests.conftest import SHARED, shared_file

VECTORS = SHARED / "data" / "acr_if_liver_vectors.csv"

FEATURES = {
    "benign": {"benign_imaging_features": True},
    "suspicious": {"suspicious_imaging_features": True},
    "flash_filling": {"flash_filling": True},
    "suspicious_or_flash_filling": {"suspicious_imaging_features": True},
    "(not asked)": {"suspicious_imaging_features": True},
}

ENDPOINTS = {
    "BenignNoFolloup": ({Action.no_further_workup}, None),
    "FollowUpMRI": ({Action.follow_up_imaging}, [3, 6]),
    "HepaticMRI": ({Action.characterize_contrast_imaging}, None),
    "HepaticMRI8": ({Action.characterize_contrast_imaging}, None),
    "HepaticMRIOrBiopsy": (
        {Action.characterize_contrast_imaging, Action.biopsy_consideration},
        None,
    ),
}


def _rows() -> list[dict[str, str]]:
    if not VECTORS.exists():
        return []
    with VECTORS.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _cases(row: dict[str, str]) -> list[tuple[str, Case]]:
    risks = ["low", "high"] if row["patient_risk"] == "(not asked)" else [row["patient_risk"]]
    out = []
    for risk in risks:
        rf = {
            "cirrhosis": False,
            "chronic_hbv": False,
            "chronic_hcv": False,
            "chronic_liver_disease": False,
            "prior_hcc": False,
            "extrahepatic_malignancy": risk == "high",
        }
        finding = {
            "kind": "lesion",
            "calcified": False,
            "size_mm": float(row["size_cm"]) * 10,  # the module's thresholds are in cm
            "features": FEATURES[row["imaging_features"]],
        }
        out.append(
            (
                risk,
                Case.model_validate(
                    {
                        "patient": {"age": 55, "risk_factors": rf},
                        "exams": [{"modality": "CT", "contrast": "iv", "findings": [finding]}],
                    }
                ),
            )
        )
    return out


@pytest.mark.parametrize(
    "row",
    _rows() or [None],
    ids=lambda r: (
        f"{r['size_cm']}cm-{r['imaging_features']}-{r['patient_risk']}" if r else "absent"
    ),
)
def test_acr_if_vector(row: dict[str, str] | None) -> None:
    if row is None:
        shared_file("data/acr_if_liver_vectors.csv")
        return
    expected_actions, interval = ENDPOINTS[row["expected_endpoint_id"]]
    for risk, case in _cases(row):
        a = assess(case)
        actions = {r.action for r in a.recommendations}
        assert actions == expected_actions, (risk, row, [r.rule for r in a.recommendations])
        assert all(r.rule.startswith("acr-if") for r in a.recommendations)
        if interval:
            assert a.recommendations[0].interval_months == interval
        mri = [r for r in a.recommendations if r.action is not Action.no_further_workup]
        for r in mri:
            if r.action is not Action.biopsy_consideration:
                assert r.modality == "MRI"


def test_vector_file_has_22_rows() -> None:
    shared_file("data/acr_if_liver_vectors.csv")
    assert len(_rows()) == 22
