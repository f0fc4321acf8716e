"""The IMPRESSION sentence (ACR incidental-findings style)."""

from __future__ import annotations

import re

from hepcalc.model import Action, Assessment
from hepcalc.render import render


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.])\s+(?=[A-Z])", text.strip()) if s]


def test_isolated_punctate_low_risk_reads_like_acr(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.differential[0].likelihood = "high"
    assert render(a, "sentence").strip() == (
        "Isolated 4 mm punctate hepatic calcification in segment 7 (right lobe), most "
        "consistent with a calcified granuloma; no follow-up imaging is needed [Sirli2024]."
    )


def test_one_or_two_sentences_with_reference_keys(any_case: Assessment) -> None:
    text = render(any_case, "sentence")
    assert 1 <= len(_sentences(text)) <= 2, text
    assert any(k.key in text for k in any_case.references)


def test_growth_is_stated_with_sizes(seed000_growth: Assessment) -> None:
    text = render(seed000_growth, "sentence")
    assert "increased from 14 to 25 mm since 2023-06-10" in text
    assert "non-contrast CT" in text


def test_serious_leading_cause_is_a_differential_not_a_verdict(cirrhosis_lr4: Assessment) -> None:
    text = render(cirrhosis_lr4, "sentence")
    assert "LI-RADS LR-4" in text
    assert "differential includes hepatocellular carcinoma" in text
    assert "most consistent with" not in text


def test_prenatal_is_called_fetal(prenatal: Assessment) -> None:
    assert "fetal hepatic calcification" in render(prenatal, "sentence")


def test_most_consistent_only_when_the_engine_says_high(punctate_low_risk: Assessment) -> None:
    text = render(punctate_low_risk, "sentence")  # likelihood "low": a list, not a verdict
    assert "most consistent with" not in text
    assert "differential includes calcified granuloma" in text


def test_conditional_step_stays_conditional(seed000_growth: Assessment) -> None:
    a = seed000_growth.model_copy(deep=True)
    a.recommendations.append(
        a.recommendations[0].model_copy(
            update={
                "action": Action.characterize_contrast_imaging,
                "modality": "MRI",
                "rationale": "If CT confirms growth: MRI to look for a soft-tissue lesion.",
            }
        )
    )
    text = render(a, "sentence")
    assert "; if CT confirms growth, recommend MRI" in text
