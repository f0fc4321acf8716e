"""The ingest line parser: any input gives an IngestLine or an InputError, never a crash."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.errors import InputError
from hepcalc.registry.ingest import IngestLine, parse_line

GOOD = {
    "id": "r1",
    "patient_id": "p1",
    "date": "2023-06-10",
    "modality": "US",
    "text": "Liver: 5 mm calcification.",
}

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_parse_or_fail_cleanly(raw: bytes) -> None:
    try:
        out = parse_line(raw, "line 1")
    except InputError as e:
        assert e.message.startswith("line 1")
    else:
        assert isinstance(out, IngestLine)


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(sorted(GOOD)), json_values)
def test_any_field_value_parses_or_names_the_field(field: str, value: Any) -> None:
    data = dict(GOOD, **{field: value})
    try:
        out = parse_line(json.dumps(data), "line 7")
    except InputError as e:
        assert f"line 7.{field}" in e.message
    else:
        assert isinstance(out, IngestLine)


@given(st.text(min_size=0, max_size=200))
def test_hash_depends_on_text_not_on_id(text: str) -> None:
    a = IngestLine.model_validate(dict(GOOD, text=text))
    b = IngestLine.model_validate(dict(GOOD, id="other", text=text))
    c = IngestLine.model_validate(dict(GOOD, text=text + "."))
    assert a.content_hash() == b.content_hash() != c.content_hash()


def test_integer_ids_are_text_and_blank_ids_refused() -> None:
    assert parse_line(json.dumps(dict(GOOD, id=17)), "l").id == "17"
    with pytest.raises(InputError) as e:
        parse_line(json.dumps(dict(GOOD, patient_id="  ")), "line 2")
    assert "line 2.patient_id" in e.value.message
