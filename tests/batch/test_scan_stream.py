"""``scan_stream`` (block reader + workers that serialise) gives what the line reader gives.

The oracle is the per-line path: ``read_jsonl_lines`` (one ``readline`` per line)
then ``scan_lines`` and ``output_line`` per object. The block reader must give
the same bytes out for any input: lines cut across blocks, over-long lines,
invalid UTF-8, blank lines, carriage returns, no final newline.
"""

from __future__ import annotations

import io
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.batch import (
    BadLine,
    RawBatch,
    output_line,
    read_jsonl_batches,
    read_jsonl_lines,
    scan_lines,
    scan_stream,
)

RECORDS = [
    {"id": 1, "text": "Liver: 5 mm calcification."},
    {"id": "b", "text": "No liver lesion.", "modality": "US"},
    {"id": 3, "text": "Liver: calcified granuloma, 4 mm.", "modality": "PET"},
    {"text": "no id"},
]
PIECES = st.one_of(
    st.sampled_from([json.dumps(r).encode() for r in RECORDS]),
    st.sampled_from([b"", b"   ", b"\r", b"{not json", b"[1, 2]", b'{"id": 1, "text": "\\u00e9"']),
    st.binary(max_size=12),  # arbitrary bytes: invalid UTF-8, stray newlines
    st.integers(min_value=61, max_value=300).map(lambda n: b"x" * n),  # over the limit
)
MAX_BYTES = 60


def _oracle(data: bytes, max_bytes: int = MAX_BYTES) -> str:
    lines = read_jsonl_lines(io.BytesIO(data), max_bytes=max_bytes)
    return "".join(output_line(r) + "\n" for r in scan_lines(lines))


def _streamed(data: bytes, block_bytes: int, workers: int = 1) -> str:
    batches = scan_stream(
        io.BytesIO(data), workers=workers, block_bytes=block_bytes, max_bytes=MAX_BYTES
    )
    return "".join(b.text for b in batches)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    pieces=st.lists(PIECES, max_size=12),
    final_newline=st.booleans(),
    block_bytes=st.integers(min_value=1, max_value=120),
)
def test_block_reader_matches_the_line_reader(
    pieces: list[bytes], final_newline: bool, block_bytes: int
) -> None:
    data = b"\n".join(pieces) + (b"\n" if final_newline and pieces else b"")
    assert _streamed(data, block_bytes) == _oracle(data)


@settings(max_examples=100, deadline=None)
@given(data=st.binary(max_size=400), block_bytes=st.integers(min_value=1, max_value=64))
def test_line_numbers_and_lines_survive_any_cut(data: bytes, block_bytes: int) -> None:
    """Batches hold every line once, numbered from 1 without gaps."""
    want = list(read_jsonl_lines(io.BytesIO(data), max_bytes=MAX_BYTES))
    got: list[str | BadLine] = []
    for first, raw in read_jsonl_batches(io.BytesIO(data), block_bytes, MAX_BYTES):
        assert first == len(got) + 1
        got.extend(raw.lines())
    assert got == want


def test_over_long_line_is_skipped_not_held() -> None:
    data = b'{"id": 1, "text": "a"}\n' + b"y" * 10_000 + b"\n" + b'{"id": 2, "text": "b"}\n'
    batches = list(read_jsonl_batches(io.BytesIO(data), block_bytes=16, max_bytes=MAX_BYTES))
    held = [seg for _first, raw in batches for seg in raw.segments if isinstance(seg, bytes)]
    assert max(len(seg) for seg in held) < 200  # the 10 kB line never sits in a batch
    out = [json.loads(x) for x in _streamed(data, 16).splitlines()]
    assert [r.get("id") for r in out] == [1, None, 2]
    assert out[1] == {"line": 2, "error": f"line longer than {MAX_BYTES} bytes"}


def test_two_workers_give_the_same_text_and_counts() -> None:
    lines = [json.dumps({**RECORDS[i % 4], "id": i}) for i in range(700)]
    lines[5] = "{broken"
    data = ("\n".join(lines) + "\n").encode()
    one = list(scan_stream(io.BytesIO(data), block_bytes=2048))
    two = list(scan_stream(io.BytesIO(data), workers=2, block_bytes=2048))
    assert len(one) > 4  # several batches, so order across workers is exercised
    assert "".join(b.text for b in two) == "".join(b.text for b in one) == _oracle(data, 10**6)
    assert sum(b.records for b in two) == 700
    error_lines = [line for b in two for line, _id, _msg in b.errors]
    assert 6 in error_lines and 3 in error_lines  # the broken line; the PET modality
    assert error_lines == [line for b in one for line, _id, _msg in b.errors]
    assert sum(b.with_findings for b in two) == sum(b.with_findings for b in one) > 0


def test_raw_batch_lines_keep_newlines_for_identical_json_errors() -> None:
    raw = RawBatch((b'{"id": 1,\n{"a":\r\n',), max_bytes=MAX_BYTES)
    assert list(raw.lines()) == ['{"id": 1,\n', '{"a":\r\n']


@settings(max_examples=300, deadline=None)
@given(
    st.one_of(
        st.text(),
        st.integers(),
        st.integers(min_value=-(2**70), max_value=2**70),
    ),
    st.sampled_from([[], [{"size_mm": 4.0}], None]),
)
def test_an_output_line_is_what_json_dumps_writes(record_id: object, findings: object) -> None:
    """The no-finding line written from the id alone is byte for byte json.dumps's."""
    for result in (
        {"id": record_id, "findings": findings},
        {"findings": findings, "id": record_id},
        {"id": record_id, "findings": findings, "line": 3},
    ):
        assert output_line(result) == json.dumps(result, ensure_ascii=False)
