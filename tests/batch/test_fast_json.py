"""orjson answers only where its value is exactly json.loads's; scan output never changes."""

from __future__ import annotations

import contextlib
import io
import json
import math
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc import fast_json
from hepcalc.batch import scan_stream

SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),  # beyond 64 bits too
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(),  # any code point, lone surrogates included
)
VALUES = st.recursive(
    SCALARS,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=5), inner, max_size=4)
    ),
    max_leaves=12,
)


def _same(a: Any, b: Any) -> bool:
    """Equal with types and signs (1 is not 1.0, -0.0 is not 0.0, keys keep order)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.copysign(1, a) == math.copysign(1, b) and (a == b or (a != a and b != b))
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return bool(a == b)


def _check(text: str) -> None:
    """loads_exact on the text and on its UTF-8 bytes answers json.loads's value or
    nothing; it never answers where json.loads fails."""
    try:
        want: Any = json.loads(text)
        failed = False
    except (ValueError, RecursionError):
        failed = True
    inputs: list[str | bytes] = [text]
    with contextlib.suppress(UnicodeEncodeError):  # lone surrogates have no UTF-8 form
        inputs.append(text.encode("utf-8"))
    for data in inputs:
        got = fast_json.loads_exact(data)
        if got is fast_json.UNANSWERED:
            continue
        assert not failed, f"orjson accepted what json refuses: {data!r}"
        assert _same(got, want), (data, got, want)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(value=VALUES, ensure_ascii=st.booleans())
def test_generated_json_is_parsed_the_same_or_not_at_all(value: Any, ensure_ascii: bool) -> None:
    _check(json.dumps(value, ensure_ascii=ensure_ascii))


@settings(max_examples=400, deadline=None)
@given(value=VALUES, cut=st.integers(min_value=0, max_value=200), junk=st.text(max_size=3))
def test_damaged_json_is_never_answered_differently(value: Any, cut: int, junk: str) -> None:
    text = json.dumps(value)
    _check(text[:cut] + junk + text[cut:])


@pytest.mark.parametrize(
    "text",
    [
        '{"id": 1, "id": 2}',  # duplicate keys: the last wins in both
        "123456789012345678901234567890",  # orjson would give a float
        '{"id": -9223372036854775809, "text": "x"}',
        '{"id": 18446744073709551615, "text": "x"}',
        "NaN",
        "[Infinity]",
        "1e400",
        '"\\ud800"',
        "\ufeff{}",
        '{"a": "\x01"}',
        "[1,]",
        '{"a": 1}\x0c',
        "[" * 2000 + "]" * 2000,
        '"\\/\\u00e9\\u0000"',
        "-0.0",
        "2.2250738585072011e-308",
    ],
)
def test_known_differences(text: str) -> None:
    _check(text)


def test_big_integers_and_floats_are_left_to_json() -> None:
    assert fast_json.loads_exact('{"id": 123456789012345678901234567890}') is (fast_json.UNANSWERED)
    assert fast_json.loads_exact('{"x": [1, {"y": 0.5}]}') is fast_json.UNANSWERED
    assert fast_json.loads_exact(b'{"id": 7, "text": "ok"}') == {"id": 7, "text": "ok"}


LINES = st.one_of(
    st.sampled_from(
        [
            b'{"id": 1, "text": "Calcified granuloma in segment 7, 4 mm."}',
            b'{"id": 123456789012345678901234567890, "text": "x"}',
            b'{"id": 2.5, "text": "x"}',
            b'{"id": NaN, "text": "x"}',
            b'{"id": "d", "text": "\\ud800 calcified liver granuloma"}',
            b'\xef\xbb\xbf{"id": 3, "text": "x"}',
            b'{"id": 4, "text": "x"',
            b'{"id": 5, "text": "caf\xc3\xa9 calcification of the liver"}',
            b'{"id": 6, "text": "\xff"}',
            b"\x1c",
            b"   ",
            b"",
            b"\r",
            b'{"id": 7, "id": 8, "text": "hepatic calcification"}',
        ]
    ),
    st.binary(max_size=20),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(lines=st.lists(LINES, max_size=10), final_newline=st.booleans())
def test_scan_output_is_the_same_with_and_without_orjson(
    lines: list[bytes], final_newline: bool
) -> None:
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    fast = "".join(b.text for b in scan_stream(io.BytesIO(data), block_bytes=64))
    saved = fast_json._loads
    fast_json._loads = None  # every line through json.loads, as before orjson
    try:
        plain = "".join(b.text for b in scan_stream(io.BytesIO(data), block_bytes=64))
    finally:
        fast_json._loads = saved
    assert fast == plain
