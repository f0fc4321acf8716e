"""Clinician text: the note, the concise report and the full detail, each traceable."""

from __future__ import annotations

import re

from hepcalc.model import Action, Assessment, Contrast, MustExclude, Warning
from hepcalc.render import clinician_report, clinician_text
from hepcalc.render.note import NOTE_LIMIT


def detail(a: Assessment) -> str:
    return clinician_report(a, detail=True)


def test_detail_shows_action_rule_rationale_and_citation(any_case: Assessment) -> None:
    text = detail(any_case)
    for rec in any_case.recommendations:
        assert rec.action.value in text
        assert f"rule: {rec.rule}" in text
        assert rec.rationale in text
    numbers = {int(n) for n in re.findall(r"^\s+\[(\d+)\] ", text, flags=re.M)}
    assert numbers == set(range(1, len(any_case.references) + 1))


def test_report_keeps_rules_rationales_and_numbered_references(any_case: Assessment) -> None:
    text = clinician_report(any_case)
    for rec in any_case.recommendations:
        assert f"rule: {rec.rule}" in text
        assert rec.rationale in text
    numbers = {int(n) for n in re.findall(r"^\s+\[(\d+)\] ", text, flags=re.M)}
    assert numbers == set(range(1, len(any_case.references) + 1))


def test_citation_numbers_point_at_the_right_reference(seed000_growth: Assessment) -> None:
    text = detail(seed000_growth)
    # Adams2017 is the third resolved reference and the only one the CT rule cites.
    assert re.search(r"\[3\] Adams LC.*key Adams2017\)", text)
    assert re.search(r"rule: growth-beyond-variability-confirm-ct \[3\]", text)


def test_growth_per_finding_with_numbers(seed000_growth: Assessment) -> None:
    text = detail(seed000_growth)
    assert "[A] significant_growth: 14 mm -> 25 mm (+11.0 mm, +78.6%)" in text
    assert "[B] within_variability: 9 mm -> 8 mm" in text
    report = clinician_report(seed000_growth)
    assert "growth beyond measurement variability, 14 -> 25 mm over 190 d" in report
    assert report.count("HOW CHANGE WAS JUDGED") == 1


def test_lirads_section_only_when_it_applies(
    cirrhosis_lr4: Assessment, punctate_low_risk: Assessment
) -> None:
    assert "LI-RADS (v2018" in detail(cirrhosis_lr4)
    assert "LR-4" in clinician_report(cirrhosis_lr4)
    assert "LR-4" in clinician_text(cirrhosis_lr4)
    assert "LI-RADS (v2018" not in detail(punctate_low_risk)


def test_unknown_risk_factors_and_evidence_are_in_the_detail(
    punctate_low_risk: Assessment,
) -> None:
    text = detail(punctate_low_risk)
    assert "unknown (not assumed absent): chronic_hbv, chronic_hcv" in text
    assert '"4 mm punctate calcification in segment 7." (FINDINGS, chars 120-162)' in text


def test_unresolved_citation_is_listed_not_dropped(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].citations.append("NoSuchRef")
    assert "NoSuchRef (not resolved in the knowledge base)" in detail(a)


def test_note_has_risk_findings_plan_exclusions_and_one_warning(
    seed000_growth: Assessment,
) -> None:
    a = seed000_growth.model_copy(deep=True)
    a.recommendations[0].urgency = "soon"
    a.must_exclude = [
        MustExclude(
            etiology="metastasis_calcified",
            track="A",
            reason="growth of a calcified focus",
            citations=["Sirli2024"],
        )
    ]
    a.warnings.insert(
        0, Warning(code="risk_unknown", text="Some risk factors were not stated.", citations=[])
    )
    a.warnings.append(
        Warning(
            code="input_contradiction",
            text="The form says no cirrhosis; the report says cirrhotic liver.",
            citations=[],
        )
    )
    note = clinician_text(a)
    assert len(note) <= NOTE_LIMIT
    lines = note.splitlines()
    assert lines[0].startswith("Risk: low")
    assert "- A: isolated calcification, 25 mm, right lobe; growth beyond" in note
    assert "- B: isolated calcification, 8 mm, segment 3" in note
    assert "Plan (soon):" in note
    assert "1. Non-contrast CT (A); urgency soon." in note
    assert "Must exclude:" in note and "Calcified metastasis (A)" in note
    # the one warning that matters: the contradiction, not the background notes
    warnings = [ln for ln in lines if ln.startswith("Warning:")]
    assert len(warnings) == 1 and "cirrhotic liver" in warnings[0]
    assert "+2 more in the full report" in warnings[0]


def test_note_keeps_conditional_steps_conditional(seed000_growth: Assessment) -> None:
    a = seed000_growth.model_copy(deep=True)
    extra = a.recommendations[0].model_copy(
        update={
            "action": Action.characterize_contrast_imaging,
            "modality": "MRI",
            "contrast": Contrast.hepatobiliary,
            "rationale": "If CT confirms growth: MRI to exclude an associated lesion.",
        }
    )
    a.recommendations.append(extra)
    note = clinician_text(a)
    assert "2. If CT confirms growth: MRI with hepatobiliary contrast to characterize" in note


def test_note_stays_within_the_limit_for_many_findings(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    base = a.findings[0]
    a.findings = [base.model_copy(update={"track": f"T{i}"}) for i in range(40)]
    note = clinician_text(a)
    assert len(note) <= NOTE_LIMIT
    assert note.startswith("Risk:") and "Plan:" in note
    assert note.endswith("Full report in the text rendering.")
    report = clinician_report(a)
    assert len(report.split("\nREFERENCES\n")[0]) <= 3500
    assert "more findings (--detail)" in report
