"""Classes of wording read in the reader-h round (heldout4, heldout8-11 failures, own wordings)."""

from __future__ import annotations

from typing import Any

import pytest

from .summaries import summary


def _summary(text: str) -> list[dict[str, Any]]:
    return summary(text, ("kind", "size", "count", "seg", "lobe", "prior", "comp", "pattern"))


# --- flattened tables: a header line names the columns, value lines follow ---


@pytest.mark.parametrize(
    ("text", "size", "prior", "comp", "seg"),
    [
        (
            "Region | Lesion | Current | Previous | Units\n"
            "Hepatic | granuloma, calcified, seg 2 | 0.7 | 0.4 | cm\n",
            7.0,
            4.0,
            "increased",
            2,
        ),
        (
            "| Site | Description | Diameter (mm) |\n|---|---|---|\n"
            "| Liver segment 4 | dense calcific focus | 3 |\n",
            3.0,
            None,
            None,
            4,
        ),
        (
            "Couinaud | Description | today (mm) | baseline (mm)\n"
            "5 | calcified granuloma | 6 | 8\n"
            "2 | simple cyst | 12 | 12\n",
            6.0,
            8.0,
            "decreased",
            5,
        ),
        (
            "Hepatic findings (now | 03/2023):\n#1 S2 calcified nodule | 9 mm | 9 mm\n",
            9.0,
            9.0,
            "stable",
            2,
        ),
        (
            "Item | Seg | Size | Prior | Trend\n1 | VII | 4 mm | - | new hepatic calcification\n",
            4.0,
            None,
            "new",
            7,
        ),
    ],
)
def test_table_columns_give_size_prior_place(
    text: str, size: float, prior: float | None, comp: str | None, seg: int
) -> None:
    [f] = _summary(text)
    assert f["size"] == size
    assert f.get("prior") == prior
    assert f.get("comp") == comp
    assert f["seg"] == seg
    assert f["count"] == 1  # a number in another cell is no count


def test_table_title_line_is_not_another_finding() -> None:
    text = (
        "LIVER CALCIFICATIONS\n"
        "Where | Size now | Size before\n"
        "S6 calcification | 5 mm | 5 mm\n"
        "S2 calcification | 3 mm | -\n"
    )
    assert [(f["size"], f["seg"]) for f in _summary(text)] == [(5.0, 6), (3.0, 2)]


def test_table_rows_of_other_organs_stay_out() -> None:
    text = (
        "| Organ | Finding | Size |\n"
        "| Spleen | calcified granulomas | up to 5 mm |\n"
        "| Right kidney | calculus | 4 mm |\n"
    )
    assert _summary(text) == []


def test_prose_with_a_bar_is_no_table() -> None:
    # a lone bar in a sentence has no header line: nothing is read from "cells"
    [f] = _summary("Liver: calcified granuloma in segment 3 | 4 mm, unchanged.")
    assert f["size"] == 4.0 and f["seg"] == 3


def test_a_title_without_a_table_stays() -> None:
    text = "HEPATIC CALCIFIED GRANULOMAS\nSome | in the right lobe\nSpleen normal.\n"
    assert [f["count"] for f in _summary(text)] == ["multiple"]


@pytest.mark.parametrize(
    "text",
    [
        "FINDINGS (summary): Liver: 4 mm calcified granuloma in segment 6.",
        "Findings (abbreviated): 4 mm calcified granuloma in the liver, segment 6.",
    ],
)
def test_a_note_after_a_header_label_keeps_the_header(text: str) -> None:
    [f] = _summary(text)
    assert f["size"] == 4.0 and f["seg"] == 6


def test_indication_header_with_a_note_is_still_not_current() -> None:
    text = "INDICATION (clinical): calcified granuloma in segment 6 on outside CT."
    assert _summary(text) == []


# --- form fields: a count field, a lobe field, a "largest" size field, an empty field ---


@pytest.mark.parametrize(
    ("text", "count", "size", "lobe"),
    [
        ("Liver: Calcified granulomas: present. Count: 4. Lobe: left.", 4, None, "left"),
        (
            "Hepatic calcification: present\nNumber of foci: two\nMaximum: 6 mm\nSite: caudate",
            2,
            6.0,
            "caudate",
        ),
        (
            "Liver - Lobe: left. Segment: not stated. Calcification: coarse, 3 mm. Number: 5.",
            5,
            3.0,
            "left",
        ),
        ("Liver: Calcifications: yes\nQuantity: several\nBiggest: 7 mm", "multiple", 7.0, None),
    ],
)
def test_form_count_lobe_and_size_fields(
    text: str, count: int | str, size: float | None, lobe: str | None
) -> None:
    [f] = _summary(text)
    assert f["count"] == count
    assert f.get("size") == size
    assert f.get("lobe") == lobe


def test_a_number_that_is_no_count_field() -> None:
    # "Series number: 3" names an image, not how many foci there are
    [f] = _summary("Liver: calcified granuloma, 4 mm, segment 6, series number: 3.")
    assert f["count"] == 1


def test_count_field_of_a_record_after_a_blank_line_is_another_record() -> None:
    text = "Liver calcification: yes\nSize: 5 mm\n\nSpleen calcifications: yes\nNumber: 4\n"
    [f] = _summary(text)
    assert f["count"] == 1 and f["size"] == 5.0


@pytest.mark.parametrize(
    "text",
    [
        "Liver - Segment: not specified. Calcification: none.",
        "Liver: Lobe: right. Calcification: not seen.",
    ],
)
def test_an_empty_field_does_not_undo_a_negation(text: str) -> None:
    assert _summary(text) == []


# --- a clause that only names, hedged, the focus measured before it takes its size ---


@pytest.mark.parametrize(
    "text",
    [
        "Segment 6: 4 mm focus of susceptibility on SWI; calcification vs iron deposition.",
        "Segment 6: 4 mm focus of susceptibility on SWI; iron versus calcification.",
        "Segment 6: 4 mm focus of susceptibility on SWI; probably calcification.",
        "Segment 6: 4 mm low-signal dot on T2; most likely a calcification.",
    ],
)
def test_hedged_name_after_a_measured_focus_takes_its_size(text: str) -> None:
    [f] = _summary(text)
    assert f["size"] == 4.0 and f["seg"] == 6


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        # a place of its own: another finding, not the focus measured before
        ("Segment 6: 4 mm focus of susceptibility; likely calcification in segment 2.", 2),
        # a plain name is no hedge: the earlier rules decide, as before
        ("Segment 6: 4 mm focus of susceptibility; calcification.", 6),
    ],
)
def test_near_misses_of_the_hedged_name(text: str, seg: int) -> None:
    [f] = _summary(text)
    assert f.get("size") is None and f["seg"] == seg


def test_hedged_name_after_a_lesion_keeps_the_lesion_rules() -> None:
    # the earlier clause names a lesion, which its own rules read (size of the lesion)
    [f] = _summary("Segment 6: 3.2 cm haemangioma; probably calcification centrally.")
    assert f["seg"] == 6


# --- a lobe named before a list of sizes with their segments frames the list ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Within the right lobe there are two calcifications, of 3 mm in segment 7 "
            "and 8 mm in segment 5.",
            [(3.0, 7, "right"), (8.0, 5, "right")],
        ),
        (
            "In the left lobe, two calcified granulomas: 2 mm in segment 3 and 4 mm in segment 2.",
            [(2.0, 3, "left"), (4.0, 2, "left")],
        ),
        (
            "Right hepatic lobe: calcified foci of 6 mm in S6 and 2 mm in S8.",
            [(6.0, 6, "right"), (2.0, 8, "right")],
        ),
    ],
)
def test_framing_lobe_then_sizes_with_segments(
    text: str, expected: list[tuple[float, int, str]]
) -> None:
    assert [(f["size"], f["seg"], f["lobe"]) for f in _summary(text)] == expected


def test_a_lobe_that_does_not_hold_the_later_segment_is_a_place_of_its_own() -> None:
    # segment 2 is not in the right lobe: the lobe is the first size's place, not a frame
    text = "In the right lobe a calcified granuloma of 5 mm and one of 3 mm in segment 2."
    assert [(f["size"], f.get("seg"), f["lobe"]) for f in _summary(text)] == [
        (5.0, None, "right"),
        (3.0, 2, "left"),
    ]
