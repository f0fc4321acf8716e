"""Sizes: units, dimensions, ranges, lists, priors."""

from __future__ import annotations

import pytest

from hepcalc.reports.sizes import find_sizes


def _sizes(text: str) -> list[tuple[float, bool]]:
    return [(s.mm, s.prior) for s in find_sizes(text, 0, len(text))]


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("5 mm", 5.0),
        ("0.6cm", 6.0),
        ("5-mm focus", 5.0),
        ("1.4 cm", 14.0),
        ("2.3 x 1.8 cm", 23.0),
        ("1.1 x 2.4 x 0.9 cm", 24.0),
        ("12 x 9 mm", 12.0),
        ("3-5 mm", 5.0),
        ("7 millimeters", 7.0),
        ("2 centimetres", 20.0),
    ],
)
def test_single_sizes(text: str, mm: float) -> None:
    assert _sizes(text) == [(mm, False)]


def test_lists() -> None:
    assert _sizes("measuring 1.4 cm and 0.9 cm") == [(14.0, False), (9.0, False)]
    assert _sizes("(3, 5 mm)") == [(3.0, False), (5.0, False)]
    assert _sizes("measuring 1.4 and 0.9 cm") == [(14.0, False), (9.0, False)]


def test_priors() -> None:
    assert _sizes("now 19 mm (previously 12 mm)") == [(19.0, False), (12.0, True)]
    assert _sizes("increased from 8 mm to 11 mm") == [(8.0, True), (11.0, False)]
    assert _sizes("increased from 8 to 11 mm") == [(8.0, True), (11.0, False)]
    assert _sizes("the previously described 9 mm calcification now measures 1.4 cm") == [
        (9.0, True),
        (14.0, False),
    ]
    assert _sizes("6 mm on the prior study") == [(6.0, True)]


def test_bounds_are_not_measurements() -> None:
    assert _sizes("measuring less than 2 mm") == []
    assert _sizes("< 3 mm") == []


def test_largest_flag() -> None:
    (s,) = find_sizes("multiple, the largest 3 mm", 0, 26)
    assert s.largest and s.mm == 3.0


def test_dates_and_counts_are_not_sizes() -> None:
    assert _sizes("CT 01/2024, segment 7, 120 HU") == []
    assert _sizes("400 mm") == []  # beyond the model's limit: dropped, not guessed


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("a mass in the right lobe of the liver measuring 8.4 x 7.9 x 9.1 cm", 91.0),
        ("a calcified lesion within the liver measuring about 7 cm", 70.0),
    ],
)
def test_organ_named_as_a_place_does_not_own_the_size(text: str, mm: float) -> None:
    assert _sizes(text) == [(mm, False)]


@pytest.mark.parametrize(
    "text", ["the liver measures 16.5 cm", "liver span of 17 cm", "The liver measuring 18 cm."]
)
def test_the_organs_own_size_is_still_dropped(text: str) -> None:
    assert _sizes(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a range said with "from": its upper end, now (not a change from a prior)
        ("ranging from 1 to 3 mm"),
        ("ranging in size from 1 to 3 mm"),
        ("varying from 1-3 mm"),
        ("measuring from 1 to 3 mm"),
        ("range from 1 to 3 mm"),
    ],
)
def test_a_range_from_x_to_y_is_its_upper_end_not_a_change(text: str) -> None:
    assert _sizes(text) == [(3.0, False)]


@pytest.mark.parametrize(
    "text", ["increased from 1 to 3 mm", "grown from 1 to 3 mm", "up from 1 to 3 mm"]
)
def test_a_change_from_x_to_y_is_still_a_prior_and_a_size(text: str) -> None:
    assert _sizes(text) == [(1.0, True), (3.0, False)]


@pytest.mark.parametrize(
    "text",
    ["ranging from 1 to 3 mm", "ranging in size from 1 to 3 mm", "varying from 1 mm to 3 mm"],
)
def test_a_range_from_is_not_a_change(text: str) -> None:
    found = find_sizes(text, 0, len(text))
    assert not any(z.prior for z in found)
    assert max(z.mm for z in found) == 3.0


@pytest.mark.parametrize(
    "text", ["increased from 1 to 3 mm", "increased in size from 1 to 3 mm", "grown from 1 to 3 mm"]
)
def test_a_change_from_is_still_a_prior(text: str) -> None:
    found = find_sizes(text, 0, len(text))
    assert [(z.mm, z.prior) for z in found] == [(1.0, True), (3.0, False)]


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("each between 2 and 5 mm", 5.0),
        ("measuring between 0.3 and 0.6 cm", 6.0),
        ("between 3 mm and 7 mm in diameter", 7.0),
        ("ranging between 1 & 4 mm", 4.0),
    ],
)
def test_between_is_a_range_read_as_its_upper_end(text: str, mm: float) -> None:
    found = find_sizes(text, 0, len(text))
    assert [(s.mm, s.prior, s.largest) for s in found] == [(mm, False, True)]


def test_a_plain_pair_without_between_is_still_two_sizes() -> None:
    assert _sizes("measuring 2 and 5 mm") == [(2.0, False), (5.0, False)]
    assert _sizes("between segments 2 and 3, 6 mm") == [(6.0, False)]


@pytest.mark.parametrize(
    "text",
    [
        "liver normal in size 15 cm",
        "spleen is mildly enlarged, 14 cm",
        "the liver is enlarged at 19 cm",
        "Liver not enlarged 16 cm",
    ],
)
def test_an_organ_called_normal_or_enlarged_then_measured_is_the_organ_size(text: str) -> None:
    assert _sizes(text) == []


def test_a_small_size_after_a_normal_organ_is_still_a_size() -> None:
    assert _sizes("liver normal, 5 mm calcification") == [(5.0, False)]


@pytest.mark.parametrize(
    ("text", "mm"),
    [
        ("measuring 9 mm (AP) x 14 mm (CC)", 14.0),
        ("4 mm (AP) x 7 mm (TR) x 5 mm (CC)", 7.0),
        ("6 mm AP x 11 mm TR", 11.0),
        ("0.9 cm (ap) by 1.4 cm (cc)", 14.0),
        ("AP 8 x CC 12 mm", 12.0),
        ("12 mm (sagittal) x 10 mm (axial)", 12.0),
    ],
)
def test_dimensions_labelled_by_plane_are_one_measurement(text: str, mm: float) -> None:
    assert _sizes(text) == [(mm, False)]


def test_a_plane_label_does_not_join_a_list_of_two_sizes() -> None:
    assert _sizes("5 mm (AP) and 3 mm") == [(5.0, False), (3.0, False)]
    assert _sizes("segment 5 (3 mm), segment 7 (4 mm)") == [(3.0, False), (4.0, False)]


def test_a_size_as_written_in_millimetres_compares_equal_with_a_read_size() -> None:
    """``mm_of`` rounds as the reader does: 0.7 cm is 7.0 mm, not 7.000000000000001."""
    from hepcalc.reports import sizes

    assert sizes.mm_of("0,7", "cm") == 7.0 == sizes.find_sizes("0.7 cm", 0, 6)[0].mm
    assert sizes.mm_of("12", "mm") == 12.0


def test_a_list_after_a_prior_size_is_prior_but_a_change_is_not() -> None:
    """ "previously 2.5 cm and 3.6 cm": both earlier; "from 11 to 16 mm": 16 is today's."""
    from hepcalc.reports import sizes

    text = "measuring 1.9 cm and 2.7 cm, previously 2.5 cm and 3.6 cm"
    assert [z.prior for z in sizes.find_sizes(text, 0, len(text))] == [False, False, True, True]
    text = "increased from 11 to 16 mm"
    found = sizes.find_sizes(text, 0, len(text))
    assert [(z.mm, z.prior) for z in found] == [(11.0, True), (16.0, False)]
