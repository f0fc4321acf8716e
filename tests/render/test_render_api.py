"""The public render() entry point: formats, audiences, detail, errors."""

from __future__ import annotations

import json

import pytest

from hepcalc.errors import InputError
from hepcalc.model import Assessment
from hepcalc.render import (
    AUDIENCES,
    FORMATS,
    clinician_report,
    clinician_text,
    patient_text,
    render,
)


def test_every_format_and_audience_renders_or_is_refused(any_case: Assessment) -> None:
    for fmt in FORMATS:
        for audience in AUDIENCES:
            if (fmt, audience) == ("json", "patient"):
                with pytest.raises(InputError) as e:
                    render(any_case, fmt, audience)
                assert e.value.problems[0][0] == "audience"
                continue
            out = render(any_case, fmt, audience)
            assert out.strip(), (fmt, audience)


def test_audience_changes_every_rendering_with_words(any_case: Assessment) -> None:
    """--audience is never silently ignored: the words differ for the patient."""
    for fmt in ("text", "sentence", "html", "fhir"):
        assert render(any_case, fmt, "patient") != render(any_case, fmt, "clinician"), fmt


def test_json_is_the_canonical_assessment(punctate_low_risk: Assessment) -> None:
    out = render(punctate_low_risk, "json")
    assert out == punctate_low_risk.to_json()
    assert json.loads(out)["recommendations"][0]["action"] == "no_further_workup"


def test_text_audience_selects_patient_or_clinician(seed000_growth: Assessment) -> None:
    assert render(seed000_growth, "text", "patient") == patient_text(seed000_growth)
    assert render(seed000_growth, "text") == clinician_report(seed000_growth)
    assert render(seed000_growth, "text", detail=True) == clinician_report(seed000_growth, True)
    assert len(clinician_text(seed000_growth)) <= 1500
    assert patient_text(seed000_growth) != clinician_text(seed000_growth)


@pytest.mark.parametrize(
    ("fmt", "audience", "detail"),
    [("text", "patient", True), ("json", "clinician", True), ("sentence", "clinician", True)],
)
def test_detail_only_for_the_clinician_text(
    punctate_low_risk: Assessment, fmt: str, audience: str, detail: bool
) -> None:
    with pytest.raises(InputError) as e:
        render(punctate_low_risk, fmt, audience, detail=detail)
    assert e.value.problems[0][0] == "detail"


@pytest.mark.parametrize(
    ("fmt", "audience", "field"),
    [("pdf", "clinician", "format"), ("text", "nurse", "audience"), ("", "patient", "format")],
)
def test_bad_format_or_audience_is_an_input_error(
    punctate_low_risk: Assessment, fmt: str, audience: str, field: str
) -> None:
    with pytest.raises(InputError) as e:
        render(punctate_low_risk, fmt, audience)
    assert e.value.problems[0][0] == field


def test_rendering_is_deterministic(any_case: Assessment) -> None:
    for fmt in FORMATS:
        assert render(any_case, fmt) == render(any_case.model_copy(deep=True), fmt)
