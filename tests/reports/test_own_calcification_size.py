"""A calcification measured inside a measured lesion: the finding is the lesion (its size
is what the rules decide on), and the calcification's own size is kept beside it in
``calcification_size_mm``; a size that belongs to something else is never taken for it."""

from __future__ import annotations

import pytest

from hepcalc.reports import extract_findings


def _read(text: str) -> list[tuple[str, float | None, float | None]]:
    return [(f.kind.value, f.size_mm, f.calcification_size_mm) for f in extract_findings(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lesion and its calcification measured in one clause
        (
            "FINDINGS: A 3.6 cm hemangioma in segment 5 contains a 4 mm calcification.",
            [("lesion", 36.0, 4.0)],
        ),
        (
            "FINDINGS: Segment 7 metastasis 4.2 cm with a 6 mm calcification at its margin.",
            [("lesion", 42.0, 6.0)],
        ),
        (
            "FINDINGS: A 2.4 cm complex cyst in segment 8 with a 5 mm mural calcification.",
            [("cyst", 24.0, 5.0)],
        ),
        (
            "FINDINGS: 5.6 cm metastasis in segment 5 with amorphous calcification "
            "measuring 2.0 cm.",
            [("lesion", 56.0, 20.0)],
        ),
        # the lesion in one sentence, the calcification inside it in the next
        (
            "FINDINGS: 3.6 cm hemangioma in segment 5. Within it is a 4 mm phlebolith.",
            [("lesion", 36.0, 4.0)],
        ),
        # the calcification is the subject, the soft tissue around it is measured
        (
            "FINDINGS: A 9 mm calcification in segment 4 is surrounded by enhancing soft "
            "tissue measuring 2.2 cm.",
            [("lesion", 22.0, 9.0)],
        ),
        # an MRI sign the calcification is named by carries the size
        (
            "FINDINGS: A 2.9 cm haemangioma in segment 6 contains a 5 mm signal void that "
            "corresponds to a calcification on the prior CT.",
            [("lesion", 29.0, 5.0)],
        ),
    ],
)
def test_own_size_kept_beside_the_lesion(
    text: str, expected: list[tuple[str, float | None, float | None]]
) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # one measurement, two dimensions: the lesion's
        (
            "FINDINGS: Liver: 2.5 x 2.0 cm mass in segment 6 containing coarse calcification.",
            [("lesion", 25.0, None)],
        ),
        # a prior size is no part of the lesion
        (
            "FINDINGS: 4.2 cm mass in segment 7, previously 3.8 cm, with coarse calcification.",
            [("lesion", 42.0, None)],
        ),
        # another lesion's size in the same sentence
        (
            "FINDINGS: Two hemangiomas, 3.1 cm in segment 6 and 2.0 cm in segment 7, the "
            "first containing a phlebolith.",
            [("lesion", 31.0, None)],
        ),
        # beside the lesion, not in it: its own finding with its own size
        (
            "FINDINGS: 3 cm simple cyst in segment 8 with an adjacent 2 mm calcification.",
            [("calcification", 2.0, None)],
        ),
        # a calcification alone has only its size
        (
            "FINDINGS: Calcified granuloma 4 mm in segment 6.",
            [("calcification", 4.0, None)],
        ),
    ],
)
def test_no_own_size_from_other_numbers(
    text: str, expected: list[tuple[str, float | None, float | None]]
) -> None:
    assert [(k, s, c) for k, s, c in _read(text)[:1]] == expected
