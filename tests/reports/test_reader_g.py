"""Classes of wording read in the reader-g round (heldout8-11 failures, own wordings)."""

from __future__ import annotations

from typing import Any

import pytest

from .summaries import summary


def _summary(text: str) -> list[dict[str, Any]]:
    """The findings as plain dicts of the fields these tests look at (None fields dropped)."""
    return summary(text)


# --- a group or a junction over two segments of one lobe names no lobe ---


@pytest.mark.parametrize(
    "text",
    [
        "Numerous tiny calcified granulomas occupy segments 2 and 3, none above 2 mm.",
        "Coarse calcific foci in segments VI and VII, the biggest measuring 5 mm.",
        "A 3 mm calcified focus lies at the boundary between segments 7 and 8.",
        "Calcified granuloma at the segment 6/7 junction, 4 mm.",
        "A 5 mm calcification in segment V/VI.",
    ],
)
def test_group_or_junction_over_two_segments_has_no_place(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "seg" not in found[0] and "lobe" not in found[0], found


@pytest.mark.parametrize(
    ("text", "lobe"),
    [
        # near misses: one lesion over both segments, or a lobe written in words
        ("A 5 cm coarsely calcified mass involving segments 7 and 8.", "right"),
        ("Calcified granulomas in segments 2 and 3 of the left lobe, up to 3 mm.", "left"),
        ("A calcified focus at the junction of segments 5 and 6 of the right lobe, 4 mm.", "right"),
    ],
)
def test_one_lesion_or_a_written_lobe_keeps_the_lobe(text: str, lobe: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0].get("lobe") == lobe and "seg" not in found[0], found


def test_between_two_segments_is_inside_the_liver() -> None:
    found = _summary("A 3 mm calcified focus lies between segments 7 and 8.")
    assert found == [{"kind": "calcification", "size": 3.0, "count": 1}], found


@pytest.mark.parametrize(
    "text",
    [
        "A 3 mm calcification lies between the liver and the right kidney.",
        "Calcified node between the caudate lobe and the IVC, 8 mm.",
    ],
)
def test_between_the_liver_and_another_organ_stays_a_landmark(text: str) -> None:
    assert _summary(text) == []


# --- key:value records: the pattern field and a "Comparison:" change field ---


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        (
            "Organ: liver\nLesion: calcified granuloma\nSegment: 3\nSize: 6 mm\nPattern: coarse",
            "coarse",
        ),
        (
            "Organ: liver\nFinding: calcification\nSize: 4 mm\nSegment: VII\nMorphology: punctate",
            "punctate",
        ),
        ("Organ: liver\nFinding: calcified focus\nLocation: segment 5\nCalcification: rim", "rim"),
        (
            "Organ: liver\nFinding: calcific density\nSize: 8 mm\n"
            "Appearance: amorphous.\nSegment: 2",
            "amorphous",
        ),
    ],
)
def test_a_record_pattern_field_gives_the_pattern(text: str, pattern: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0].get("pattern") == pattern, found


@pytest.mark.parametrize(
    "text",
    [
        # a field whose value is no pattern word, and another record's pattern field
        "Organ: liver\nFinding: calcified granuloma\nSize: 5 mm\nPattern: not characterised",
        "Organ: liver\nFinding: calcified granuloma, segment 6, 5 mm.\n\nOrgan: spleen\n"
        "Pattern: coarse",
    ],
)
def test_no_pattern_from_a_field_without_one_or_from_another_record(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "pattern" not in found[0], found


@pytest.mark.parametrize(
    ("text", "comp"),
    [
        (
            "Organ: liver\nSegment: 4\nFinding: calcified granuloma\nSize: 5 mm\n"
            "Comparison: new since 2022",
            "new",
        ),
        ("Organ: liver\nFinding: calcification\nSize: 7 mm\nComparison: increased", "increased"),
        ("Organ: liver\nFinding: calcified focus, S6\nSize: 3 mm\nComparison: unchanged", "stable"),
    ],
)
def test_a_comparison_field_of_a_record_gives_the_change(text: str, comp: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0].get("comp") == comp, found


@pytest.mark.parametrize(
    "text",
    [
        # a COMPARISON header naming the prior study, or none, is no change
        "Comparison: CT of 03/2023.\nLiver: a 4 mm calcified granuloma in segment 6.",
        "Exam: CT abdomen\nComparison: none\nLiver: a 4 mm calcified granuloma in segment 6.",
    ],
)
def test_a_comparison_header_is_still_a_header(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "comp" not in found[0], found


# --- per-lobe (per-segment) counts with the noun left out of the second group ---


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Four calcified granulomas lie in the right lobe and two in the left lobe.",
            [(4, "right", None), (2, "left", None)],
        ),
        (
            "Two calcified foci within segment 7, the larger 3 mm, and three in segment 2.",
            [(2, "right", 3.0), (3, "left", None)],
        ),
        (
            "Five punctate calcifications in the left lobe (up to 2 mm), while 3 are seen in "
            "the right lobe (up to 4 mm).",
            [(5, "left", 2.0), (3, "right", 4.0)],
        ),
    ],
)
def test_a_count_per_lobe_gives_each_group_its_count(
    text: str, want: list[tuple[Any, ...]]
) -> None:
    got = [(f["count"], f.get("lobe"), f.get("size")) for f in _summary(text)]
    assert got == want


@pytest.mark.parametrize(
    "text",
    [
        # near misses: the second group is in another organ, or is another noun
        "Two calcified granulomas in the right lobe and three in the spleen.",
        "Two calcified granulomas in the right lobe and two cysts in the left lobe.",
    ],
)
def test_a_second_count_elsewhere_or_of_another_noun_adds_no_liver_group(text: str) -> None:
    found = _summary(text)
    assert [(f["count"], f.get("lobe")) for f in found] == [(2, "right")], found


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # a list of segment numbers before "and 6 in ..." is no second counted group
        ("A 6 mm calcified focus at the junction of segments 5 and 6 in the right lobe.", [None]),
        ("Calcified granulomas in segments 2 and 3 in the left lobe.", [2, 3]),
    ],
)
def test_a_segment_list_before_in_is_not_a_counted_group(text: str, want: list[Any]) -> None:
    found = _summary(text)
    assert [f.get("seg") for f in found] == want and all(f["count"] == 1 for f in found), found


# --- a calcified ablation zone is the treated tumour: a lesion, solid_mass ---


@pytest.mark.parametrize(
    "text",
    [
        "The microwave ablation zone in segment 5 is 3.1 cm and now has coarse calcific foci.",
        "Segment 8 ablation cavity, 2.2 cm, with a calcified rim and no enhancement.",
        "Calcification has developed along the margin of the 2.6 cm ablation defect in segment 4.",
    ],
)
def test_a_calcified_ablation_zone_is_a_treated_solid_lesion(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0]["kind"] == "lesion", found
    assert found[0].get("assoc") == "solid_mass" and found[0].get("size", 0) > 20, found


def test_an_ablation_zone_beside_a_granuloma_lends_it_nothing() -> None:
    found = _summary(
        "A 3 mm calcified granuloma in segment 2; the ablation zone in segment 6 is stable."
    )
    assert found == [{"kind": "calcification", "size": 3.0, "count": 1, "seg": 2, "lobe": "left"}]


# --- a dated series of sizes: today's is the size, the most recent earlier one the prior ---


@pytest.mark.parametrize(
    ("text", "size", "prior", "comp"),
    [
        (
            "Calcified granuloma, segment 3: 2019: 3 mm, 2021: 4 mm, today: 6 mm.",
            6.0,
            4.0,
            "increased",
        ),
        (
            "The segment 6 calcification measured 9 mm in 2018, 8 mm in 2020 and 8 mm now.",
            8.0,
            8.0,
            "stable",
        ),
        (
            "Coarse calcification in segment 7, 12 mm (2017), 11 mm (2022), 9 mm (today).",
            9.0,
            11.0,
            "decreased",
        ),
        ("Calcified focus in segment 2: 2020 3 mm; 2023 5 mm; now 5 mm.", 5.0, 5.0, "stable"),
    ],
)
def test_a_dated_series_gives_the_most_recent_prior(
    text: str, size: float, prior: float, comp: str
) -> None:
    found = _summary(text)
    assert len(found) == 1, found
    assert (found[0].get("size"), found[0].get("prior"), found[0].get("comp")) == (
        size,
        prior,
        comp,
    )


@pytest.mark.parametrize(
    ("text", "sizes"),
    [
        # near misses: not every size dated, or no size of today: a size list as before
        (
            "Calcified granulomas in segments 2, 3 and 6 measuring 3 mm, 4 mm and 5 mm, "
            "unchanged since 2021.",
            [3.0, 4.0, 5.0],
        ),
        ("Calcifications in segments 2, 3 and 6 of 3 mm, 4 mm and 5 mm.", [3.0, 4.0, 5.0]),
    ],
)
def test_sizes_not_all_dated_are_no_series(text: str, sizes: list[float]) -> None:
    assert sorted(f["size"] for f in _summary(text)) == sizes


# --- priors labelled with a date, and "X vs Y" ---


@pytest.mark.parametrize(
    ("text", "size", "prior"),
    [
        (
            "Liver, segment 5: calcified granuloma - Size (now): 9 mm - "
            "Size (prior, 03/2022): 7 mm.",
            9.0,
            7.0,
        ),
        ("Calcified focus in segment 4 | size today: 5 mm | size previous (2021): 5 mm", 5.0, 5.0),
        ("Segment 3 calcification, 6 mm, increased from 2021 (4 mm).", 6.0, 4.0),
        ("The calcified nodule in segment 8 has grown (1.4 cm vs 1.1 cm in May).", 14.0, 11.0),
        ("Calcified granuloma of segment 2 now 9 mm (0.7 cm in June 2023).", 9.0, 7.0),
    ],
)
def test_a_dated_or_compared_prior_is_the_prior(text: str, size: float, prior: float) -> None:
    found = _summary(text)
    assert len(found) == 1 and (found[0].get("size"), found[0].get("prior")) == (size, prior)


@pytest.mark.parametrize(
    ("text", "size"),
    [
        # near misses: a date that is no prior's, a current label, a range
        ("Calcified granuloma in segment 6, known since 2019 (4 mm).", 4.0),
        ("Calcified focus, segment 7, size (current, 2025): 6 mm.", 6.0),
        ("Calcifications in segment 2 ranging from 2 to 4 mm.", 4.0),
    ],
)
def test_a_date_or_range_without_a_prior_gives_no_prior(text: str, size: float) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0].get("size") == size and "prior" not in found[0], found


# --- "both" opening the noun phrase counts two; "both lobes" is a place ---


@pytest.mark.parametrize(
    "text",
    [
        "Both calcified granulomas of segment 3 are 2 mm.",
        "Both of the hepatic calcifications measure 5 mm, in segment 7.",
        "Both punctate calcifications in the left lobe are unchanged at 3 mm.",
    ],
)
def test_both_before_the_noun_counts_two(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0]["count"] == 2, found


@pytest.mark.parametrize(
    "text",
    [
        "Both hepatic lobes contain calcified granulomas, up to 4 mm.",
        "In both lobes, calcified granulomas up to 4 mm.",
        "Calcified granulomas in both lobes, up to 4 mm.",
    ],
)
def test_both_lobes_is_no_count(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and found[0]["count"] == "multiple", found
