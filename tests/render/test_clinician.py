"""Clinician text: recommendations traceable, references numbered, LI-RADS when it applies."""

from __future__ import annotations

import re

from hepcalc.model import Assessment
from hepcalc.render import clinician_text


def test_each_recommendation_shows_action_rule_rationale_and_citation(any_case: Assessment) -> None:
    text = clinician_text(any_case)
    for rec in any_case.recommendations:
        assert rec.action.value in text
        assert f"rule: {rec.rule}" in text
        assert rec.rationale in text
    numbers = {int(n) for n in re.findall(r"^\s+\[(\d+)\] ", text, flags=re.M)}
    assert numbers == set(range(1, len(any_case.references) + 1))


def test_citation_numbers_point_at_the_right_reference(seed000_growth: Assessment) -> None:
    text = clinician_text(seed000_growth)
    # Adams2017 is the third resolved reference and the only one the CT rule cites.
    assert "[3] Adams2017:" in text
    assert re.search(r"rule: growth-beyond-variability-confirm-ct \[3\]", text)


def test_growth_per_track_with_numbers(seed000_growth: Assessment) -> None:
    text = clinician_text(seed000_growth)
    assert "[A] significant_growth: 14 mm -> 25 mm (+11.0 mm, +78.6%)" in text
    assert "[B] within_variability: 9 mm -> 8 mm" in text
    assert "exceeds measurement variability" in text


def test_lirads_section_only_when_it_applies(
    cirrhosis_lr4: Assessment, punctate_low_risk: Assessment
) -> None:
    assert "LI-RADS (v2018" in clinician_text(cirrhosis_lr4)
    assert "LR-4" in clinician_text(cirrhosis_lr4)
    assert "LI-RADS (v2018" not in clinician_text(punctate_low_risk)


def test_unknown_risk_factors_and_evidence_are_shown(punctate_low_risk: Assessment) -> None:
    text = clinician_text(punctate_low_risk)
    assert "unknown (not assumed absent): chronic_hbv, chronic_hcv" in text
    assert '"4 mm punctate calcification in segment 7." (FINDINGS, chars 120-162)' in text


def test_unresolved_citation_is_listed_not_dropped(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].citations.append("NoSuchRef")
    text = clinician_text(a)
    assert "NoSuchRef (not resolved in the knowledge base)" in text
