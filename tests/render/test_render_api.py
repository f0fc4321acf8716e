"""The public render() entry point: formats, audiences, errors."""

from __future__ import annotations

import json

import pytest

from hepcalc.errors import InputError
from hepcalc.model import Assessment
from hepcalc.render import AUDIENCES, FORMATS, clinician_text, patient_text, render


def test_every_format_and_audience_renders(any_case: Assessment) -> None:
    for fmt in FORMATS:
        for audience in AUDIENCES:
            out = render(any_case, fmt, audience)
            assert out.strip(), (fmt, audience)


def test_json_is_the_canonical_assessment(punctate_low_risk: Assessment) -> None:
    out = render(punctate_low_risk, "json")
    assert out == punctate_low_risk.to_json()
    assert json.loads(out)["recommendations"][0]["action"] == "no_further_workup"


def test_text_audience_selects_patient_or_clinician(seed000_growth: Assessment) -> None:
    assert render(seed000_growth, "text", "patient") == patient_text(seed000_growth)
    assert render(seed000_growth, "text") == clinician_text(seed000_growth)
    assert patient_text(seed000_growth) != clinician_text(seed000_growth)


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
