"""Locations: lobes, segments (Arabic, Roman, spelled, 4a/4b), dome."""

from __future__ import annotations

import pytest

from hepcalc.model import Lobe
from hepcalc.reports.locations import find_location, segment_list


@pytest.mark.parametrize(
    ("text", "lobe", "segment", "sub"),
    [
        ("in segment 7", Lobe.right, 7, None),
        ("segment VII", Lobe.right, 7, None),
        ("seg VI", Lobe.right, 6, None),
        ("S8", Lobe.right, 8, None),
        ("segment IVa", Lobe.left, 4, "a"),
        ("segment 4b", Lobe.left, 4, "b"),
        ("segment four", Lobe.left, 4, None),
        ("segment 1", Lobe.caudate, 1, None),
        ("right hepatic lobe", Lobe.right, None, None),
        ("R lobe", Lobe.right, None, None),
        ("L lobe", Lobe.left, None, None),
        ("left lateral segment", Lobe.left, None, None),
        ("caudate lobe", Lobe.caudate, None, None),
        ("left lobe, segment 3", Lobe.left, 3, None),
    ],
)
def test_locations(text: str, lobe: Lobe, segment: int | None, sub: str | None) -> None:
    loc = find_location(text, 0, len(text), 0)
    assert (loc.lobe, loc.segment, loc.subsegment) == (lobe, segment, sub)


def test_dome() -> None:
    assert find_location("near the hepatic dome", 0, 21, 0).dome is True


def test_plural_s_is_not_a_segment() -> None:
    assert find_location("calcifications 5 mm", 0, 19, 0).segment is None


def test_segment_list() -> None:
    text = "in segments 6 and 7"
    assert segment_list(text, 0, len(text)) == [6, 7]
