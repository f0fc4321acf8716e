"""Strict validation of the Case: every bad input is refused with the field named."""

from __future__ import annotations

import contextlib
import json
import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.errors import InputError, parse_document, validate_as
from hepcalc.model import Case


def _case(**finding) -> dict:
    f = {"kind": "calcification", "size_mm": 10}
    f.update(finding)
    return {"patient": {"age": 40}, "exams": [{"modality": "US", "findings": [f]}]}


def _problem(data: object) -> str:
    with pytest.raises(InputError) as exc:
        validate_as(Case, data)
    return exc.value.message


@pytest.mark.parametrize(
    ("size", "expected"),
    [(0, "must be > 0"), (-3, "must be > 0"), (300, "must be < 300"), (1e6, "must be < 300")],
)
def test_impossible_sizes_name_the_field(size: float, expected: str) -> None:
    msg = _problem(_case(size_mm=size))
    assert msg == f"exams[0].findings[0].size_mm: {expected}"


def test_nan_size_is_refused() -> None:
    msg = _problem(_case(size_mm=math.nan))
    assert msg.startswith("exams[0].findings[0].size_mm: must be a finite number")


def test_nan_from_json_text_is_refused() -> None:
    data = parse_document(
        '{"exams": [{"modality": "US", "findings": [{"kind": "calcification", "size_mm": NaN}]}]}'
    )
    assert "size_mm: must be a finite number" in _problem(data)


@pytest.mark.parametrize("age", [-1, 121, 500])
def test_age_outside_0_120(age: float) -> None:
    data = _case()
    data["patient"]["age"] = age
    assert _problem(data).startswith("patient.age: must be")


def test_unknown_code_is_named() -> None:
    msg = _problem(_case(kind="tumour"))
    assert msg.startswith("exams[0].findings[0].kind: unknown code 'tumour'")


def test_unknown_modality_and_risk_factor() -> None:
    data = _case()
    data["exams"][0]["modality"] = "PET"
    data["patient"]["risk_factors"] = {"smoker": True}
    msg = _problem(data)
    assert "exams[0].modality: unknown code 'PET'" in msg
    assert "patient.risk_factors.smoker: unknown field" in msg


def test_malformed_date() -> None:
    data = _case()
    data["exams"][0]["date"] = "2023-13-45"
    assert _problem(data) == "exams[0].date: must be an ISO date YYYY-MM-DD"


def test_more_than_one_exam_needs_dates() -> None:
    data = {"exams": [{"modality": "US", "date": "2023-01-01"}, {"modality": "US"}]}
    assert _problem(data) == "exams[1].date: required when the case has more than one exam"


def test_wrong_types() -> None:
    msg = _problem(_case(size_mm="big"))
    assert msg.startswith("exams[0].findings[0].size_mm: wrong type")


def test_top_level_not_object() -> None:
    with pytest.raises(InputError) as exc:
        validate_as(Case, [1, 2])
    assert "must be an object" in exc.value.message


def test_treated_observation_is_refused_with_reason() -> None:
    msg = _problem(_case(treated=True))
    assert "treatment response" in msg and "out of scope" in msg


def test_unknown_risk_factor_stays_unknown() -> None:
    case = validate_as(Case, _case())
    assert case.patient.risk_factors.cirrhosis is None


def test_malformed_json_and_yaml() -> None:
    with pytest.raises(InputError, match="malformed JSON at line 1"):
        parse_document('{"exams": [')
    with pytest.raises(InputError, match="malformed YAML"):
        parse_document("exams: [a, b\n  c: d: e")
    with pytest.raises(InputError, match="is empty"):
        parse_document("   ")
    with pytest.raises(InputError, match="not UTF-8"):
        parse_document(b"\xff\xfe{")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_parse_document_never_crashes(text: str) -> None:
    """Any text either parses or raises InputError; nothing else escapes."""
    try:
        data = parse_document(text)
    except InputError:
        return
    with contextlib.suppress(InputError):
        validate_as(Case, data)


@settings(max_examples=100, deadline=None)
@given(
    st.recursive(
        st.none() | st.booleans() | st.floats() | st.integers() | st.text(max_size=20),
        lambda children: (
            st.lists(children, max_size=4)
            | st.dictionaries(
                st.sampled_from(
                    [
                        "exams",
                        "patient",
                        "findings",
                        "size_mm",
                        "kind",
                        "modality",
                        "age",
                        "date",
                        "count",
                    ]
                ),
                children,
                max_size=4,
            )
        ),
        max_leaves=20,
    )
)
def test_arbitrary_json_shapes_give_input_errors(data: object) -> None:
    try:
        validate_as(Case, json.loads(json.dumps(data, allow_nan=True)))
    except InputError as e:
        assert e.message
