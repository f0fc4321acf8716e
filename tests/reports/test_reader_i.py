"""Classes of wording read in the reader-i round (development-set failures, own wordings)."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.reports import sizes

from .summaries import summary


def _summary(text: str) -> list[dict[str, Any]]:
    return summary(text, ("kind", "size", "count", "seg", "lobe", "prior", "comp"))


# --- sizes per plane: the dimensions of one measurement, the longest is the size ---


@pytest.mark.parametrize(
    ("text", "size", "seg"),
    [
        ("Hepatic calcification in segment 4: TR 6 mm, AP 4 mm.", 6.0, 4),
        ("Dense calcific focus, liver segment 8, measuring 2 mm AP, 7 mm TRV and 5 mm CC.", 7.0, 8),
        ("Liver: calcified granuloma (S5); transverse: 4 mm; craniocaudal: 9 mm.", 9.0, 5),
        ("Segment 3 hepatic calcification, 0.3 cm (AP) and 0.8 cm (SI).", 8.0, 3),
    ],
)
def test_plane_labelled_sizes_are_one_measurement(text: str, size: float, seg: int) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0]["size"] == size
    assert got[0]["seg"] == seg


def test_plane_run_folds_only_distinct_labelled_planes() -> None:
    # the same plane twice is two measurements, not one ("4 mm AP ... 6 mm AP")
    text = "Calcifications in segment 2 (4 mm AP) and segment 7 (6 mm AP)."
    assert [z.mm for z in sizes.find_sizes(text, 0, len(text))] == [4.0, 6.0]
    # unlabelled sizes stay a list of sizes
    text = "Calcified granulomas measuring 3 mm, 5 mm and 4 mm."
    assert [z.mm for z in sizes.find_sizes(text, 0, len(text))] == [3.0, 5.0, 4.0]
    # a prior after the planes is not folded into today's measurement
    text = "Calcification, AP 6 mm, TR 8 mm (previously 5 mm)."
    got = sizes.find_sizes(text, 0, len(text))
    assert [(z.mm, z.prior) for z in got] == [(8.0, False), (5.0, True)]


# --- a lobe in a ratio of lobes is no place ---


@pytest.mark.parametrize(
    ("text", "lobe"),
    [
        (
            "Cirrhotic liver with caudate hypertrophy (caudate/right lobe ratio 0.8); a 2 mm "
            "calcification lies in the caudate lobe.",
            "caudate",
        ),
        (
            "The ratio of the caudate to the right lobe is raised. A 5 mm calcified granuloma "
            "in the left hepatic lobe.",
            "left",
        ),
        ("Caudate-to-right-lobe ratio 0.7. Hepatic calcification of 3 mm, no lobe stated.", None),
    ],
)
def test_lobe_ratio_is_no_place(text: str, lobe: str | None) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0].get("lobe") == lobe


def test_lobe_without_ratio_stays_a_place() -> None:
    # near miss: "ratio" elsewhere in the report does not undo a plain lobe
    got = _summary("A 4 mm calcification in the right lobe of the liver; the ratio is normal.")
    assert got == [{"kind": "calcification", "size": 4.0, "count": 1, "lobe": "right"}]


# --- the liver's share of a finding stated first in another organ ---


@pytest.mark.parametrize(
    ("text", "size", "count", "lobe"),
    [
        (
            "Calcified granulomata in the spleen (up to 8 mm) and in the liver (up to 3 mm).",
            3.0,
            "multiple",
            None,
        ),
        (
            "A calcified granuloma is present in the spleen, 11 mm, and also in the left lobe "
            "of the liver, 4 mm.",
            4.0,
            1,
            "left",
        ),
        (
            "Calcified nodule in the right middle lobe of the lung (7 mm) and another in the "
            "right lobe of the liver (2 mm).",
            2.0,
            1,
            "right",
        ),
        (
            "One calcified granuloma in the lingula, 5 mm, and one in the caudate lobe of the "
            "liver, 6 mm.",
            6.0,
            1,
            "caudate",
        ),
    ],
)
def test_liver_share_after_another_organ(
    text: str, size: float, count: int | str, lobe: str | None
) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0]["size"] == size
    assert got[0]["count"] == count
    assert got[0].get("lobe") == lobe


@pytest.mark.parametrize(
    "text",
    [
        "Calcified granulomas in the spleen (up to 8 mm) and in the liver are absent.",
        "Calcified granulomas in the spleen, 6 mm, and not in the liver.",
        "A calcified lymph node at the porta hepatis, 9 mm, and in the liver a 2 cm simple cyst.",
        "Splenic calcifications (largest 5 mm); the liver is normal.",
    ],
)
def test_no_liver_share(text: str) -> None:
    assert _summary(text) == []


# --- abbreviated count fields of a form ("No.: 5", "No. of foci: 3") ---


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Hepatic calcifications: present\nNo.: 4\nLargest: 3 mm", 4),
        ("Liver calcifications: yes\nNo. of foci: three\nMax.: 5 mm", 3),
        ("Hepatic calcification: yes\nNo. of lesions: 2\nSize: up to 6 mm", 2),
        ("Liver - calcified granulomata, up to 5 mm; No.: 6", 6),
    ],
)
def test_abbreviated_count_field(text: str, count: int) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0]["count"] == count
    assert got[0]["size"] in (3.0, 5.0, 6.0)


@pytest.mark.parametrize(
    "text",
    [
        # near misses: "no." is a count only as a field label with a full stop and a colon
        "Hepatic calcification, 4 mm. No change: 2 views reviewed.",
        "Hepatic calcification, 4 mm.\nNo: 2 prior studies available.",
    ],
)
def test_no_count_field_without_the_label(text: str) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0]["count"] == 1


# --- a "Finding:" field right under an organ header keeps that organ ---


@pytest.mark.parametrize(
    ("text", "size", "seg"),
    [
        ("LIVER:\nFinding: calcified granuloma\nSize: 5 mm\nSegment: 7", 5.0, 7),
        (
            "HEPATIC PARENCHYMA:\nEchotexture: normal\nFinding: coarse calcification, 8 mm",
            8.0,
            None,
        ),
        ("Liver:\n\nFinding: calcified focus\nNo.: 3\nLargest: 2 mm", 2.0, None),
    ],
)
def test_finding_field_under_organ_header(text: str, size: float, seg: int | None) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0]["size"] == size
    assert got[0].get("seg") == seg


def test_finding_field_under_another_organ_is_that_organs() -> None:
    assert _summary("SPLEEN:\nFinding: calcified granulomas, up to 4 mm") == []
    assert _summary("KIDNEYS:\nFinding: calcification, 3 mm\nSide: left") == []


def test_number_abbreviation_is_no_negation() -> None:
    # "No. of calcified foci" counts them; it does not deny them
    got = _summary("Liver:\nNo. of calcified foci: 2\nSize: up to 4 mm")
    assert len(got) == 1
    assert got[0]["size"] == 4.0
    assert _summary("Liver: no calcified foci. Spleen: normal.") == []


# --- the members of an unsized group placed by their sizes in the next clause ---


@pytest.mark.parametrize(
    "text",
    [
        "IMPRESSION: Incidental hepatic granulomata; the 4 mm one lies in segment 8 and the "
        "7 mm one in segment 3.",
        "Calcified liver granulomas; 4 mm in segment VIII, 7 mm in segment III.",
        "FINDINGS: Two calcified hepatic foci, 4 mm and 7 mm.\nIMPRESSION: Benign hepatic "
        "calcifications; the 4 mm focus is in segment 8 and the 7 mm focus in segment 3.",
    ],
)
def test_group_members_placed_by_size(text: str) -> None:
    got = sorted(_summary(text), key=lambda d: d["size"])
    assert [(d["size"], d["seg"]) for d in got] == [(4.0, 8), (7.0, 3)]


@pytest.mark.parametrize(
    "text",
    [
        # a lesion's sizes are not the group's members
        "Several hepatic calcifications; a 2 cm cyst in segment 6 and a 3 cm cyst in segment 2.",
        # a single finding is no group
        "A hepatic calcification; 4 mm in segment 8 and 7 mm in segment 3 on the prior.",
    ],
)
def test_no_members_by_size(text: str) -> None:
    got = _summary(text)
    assert len(got) == 1
    assert got[0].get("size") is None
