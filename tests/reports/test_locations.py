"""Locations: lobes, segments (Arabic, Roman, spelled, 4a/4b), dome."""

from __future__ import annotations

import pytest

from hepcalc.model import Lobe
from hepcalc.reports.locations import find_location, place_mentions, segment_list


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


@pytest.mark.parametrize(
    ("text", "segs"),
    [
        ("S2/S5/S8, respectively 3, 5 and 2 mm", [2, 5, 8]),
        ("in S2, S5 and S8, 3, 5 and 2 mm", [2, 5, 8]),
        ("S3/S6, 2 and 4 mm", [3, 6]),
        ("segments 5, 6 and 7, 3 mm", [5, 6, 7]),
        ("segments 2, 3, 5 and 8 measuring", [2, 3, 5, 8]),
    ],
)
def test_segment_list_ends_at_its_closing_member(text: str, segs: list[int]) -> None:
    assert segment_list(text, 0, len(text)) == segs


@pytest.mark.parametrize(
    ("text", "lobe", "segment"),
    [
        ("in VIII segment", Lobe.right, 8),
        ("at the level of the VI segment of the liver", Lobe.right, 6),
        ("in the III hepatic segment", Lobe.left, 3),
        ("within the 7th segment", Lobe.right, 7),
        ("in the 2nd segment", Lobe.left, 2),
    ],
)
def test_a_numeral_before_segment_names_the_segment(text: str, lobe: Lobe, segment: int) -> None:
    loc = find_location(text, 0, len(text), 0)
    assert (loc.lobe, loc.segment) == (lobe, segment)


@pytest.mark.parametrize("text", ["I segment the image", "a 3 segment list", "the vi. segment"])
def test_a_pronoun_or_a_bare_number_before_segment_is_no_segment(text: str) -> None:
    assert find_location(text, 0, len(text), 0).segment is None


def test_place_mentions_reads_both_members_of_a_joined_pair() -> None:
    text = "segment 3 and segment 8"
    assert [p.segment for _, p in place_mentions(text, 0, len(text))] == [3, 8]
    text = "segments 5/6"
    assert [p.segment for _, p in place_mentions(text, 0, len(text))] == [5, 6]
    # a number after the pair that a unit follows is a size, not a second segment
    text = "segment 6, 5 mm"
    assert [p.segment for _, p in place_mentions(text, 0, len(text))] == [6]


@pytest.mark.parametrize(
    ("text", "sub"),
    [
        ("In the medial segment of the left lobe (4b) a punctate calcification is seen.", "b"),
        ("a 3 mm calcified granuloma in the left lobe (IVa)", "a"),
        ("punctate calcification, left lobe (4B), 2 mm", "b"),
    ],
)
def test_a_subsegment_of_four_alone_in_parentheses_is_segment_four(text: str, sub: str) -> None:
    loc = find_location(text, 0, len(text), text.find("calc"))
    assert (loc.lobe, loc.segment, loc.subsegment) == (Lobe.left, 4, sub)


@pytest.mark.parametrize(
    "text",
    [
        "calcified granuloma in the left lobe (4 mm)",  # a size, not a segment
        "calcification in the left lobe (see 4b)",  # a cross-reference, not the label alone
        "calcification in the left lobe (7b)",  # only segment 4 has halves
    ],
)
def test_a_parenthesised_number_that_is_no_subsegment_is_no_segment(text: str) -> None:
    assert find_location(text, 0, len(text), text.find("calc")).segment is None
