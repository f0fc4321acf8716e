"""Classes of wording read in the reader-j round (precision: findings that should not be
made or should be one), with own wordings and near misses that must stay as they are."""

from __future__ import annotations

import pytest

from .summaries import summary

# --- what another report said, a limited assessment, a general statement: no finding ---


@pytest.mark.parametrize(
    "text",
    [
        "The 2021 outside report described a calcified granuloma in segment 6; on today's "
        "images no hepatic calcification is present.",
        "Addendum: the 'calcific focus in segment 2' of the preliminary report is a contrast-"
        "filled vessel.",
        "Liver: metallic clip in segment 5 (initially read as a calcification).",
        "The liver could not be adequately evaluated for calcification because of motion.",
        "Liver: calcification, when present, suggests a fibrolamellar tumour; this 4 cm mass "
        "in segment 8 is homogeneous.",
        "Unlike echinococcal cysts, which often calcify, the 2.5 cm cyst in segment 7 is simple.",
    ],
)
def test_other_reports_limits_and_general_statements_are_no_finding(text: str) -> None:
    assert summary(text) == []


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        # the finding is present now: a current cue keeps it
        (
            "The calcified granuloma in segment 6 described in the outside report is again "
            "seen, 4 mm.",
            6,
        ),
        # a report named in another role is no other report's finding
        ("Report: 5 mm calcified granuloma in segment 3.", 3),
        ("Calcification in segment 7, 3 mm, was assessed on the portal venous phase.", 7),
        # "present" as a plain fact, not a condition
        ("A 6 mm calcification is present in segment 4.", 4),
    ],
)
def test_near_misses_of_other_reports_stay_findings(text: str, seg: int) -> None:
    got = summary(text, ("kind", "seg"))
    assert got == [{"kind": "calcification", "seg": seg}]


# --- one record, one lesion: a second mention in the same record is no second finding ---


@pytest.mark.parametrize(
    ("text", "size", "seg"),
    [
        (
            "Observation 4: segment 6, 7 mm, dark on all sequences, like the calcification on "
            "the prior CT; LR-1 (benign calcified granuloma).",
            7.0,
            6,
        ),
        (
            "Nodule #2 - Site: S8; Diameter: 0.9 cm; Attenuation: calcific (HU 520); Impression: "
            "calcified granuloma.",
            9.0,
            8,
        ),
        (
            "Site: segment 5\nNature: calcified granuloma (echogenic; calcified on CT)\nSize: 4 mm",
            4.0,
            5,
        ),
    ],
)
def test_a_record_names_its_one_lesion_once(text: str, size: float, seg: int) -> None:
    got = summary(text, ("size", "seg", "count"))
    assert got == [{"size": size, "seg": seg, "count": 1}]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # two places in one record line: two findings
        (
            "Observation 1: calcified granuloma in segment 2; punctate calcification in segment 7.",
            [{"seg": 2}, {"seg": 7}],
        ),
        # two sizes: two findings
        (
            "Lesion 3: segment 6, 5 mm calcification; a 3 mm calcified granuloma.",
            [{"seg": 6, "size": 5.0}, {"seg": 6, "size": 3.0}],
        ),
        # "another": a further one
        (
            "Finding 1: 4 mm calcification in segment 4; another calcification in the same "
            "segment.",
            [{"seg": 4, "size": 4.0}, {"seg": 4}],
        ),
        # prose with one field is no record
        (
            "Liver: a 6 mm calcified granuloma in segment 3; scattered punctate calcifications "
            "elsewhere.",
            [{"size": 6.0, "count": 1}, {"count": "multiple"}],
        ),
    ],
)
def test_records_with_more_than_one_lesion_keep_them(
    text: str, expected: list[dict[str, object]]
) -> None:
    fields = tuple({k for e in expected for k in e})
    assert summary(text, fields) == expected


# --- another organ's calcification beside the liver: the liver is a landmark ---


@pytest.mark.parametrize(
    ("text", "n"),
    [
        ("Calcified left adrenal mass, 3 cm, below the left lobe of the liver.", 0),
        ("Old right adrenal bleed with rim calcification, above the right lobe of the liver.", 0),
        (
            "Meconium peritonitis: calcification of the liver surface and scattered "
            "calcifications between bowel loops.",
            1,
        ),
    ],
)
def test_a_liver_landmark_or_bowel_place_is_not_a_liver_finding(text: str, n: int) -> None:
    got = summary(text, ("kind", "count"))
    assert len(got) == n
    assert all(f.get("count") != "multiple" for f in got)


def test_the_liver_named_as_the_place_stays() -> None:
    # near misses: the liver is where the finding is, not beside it
    got = summary("A 4 mm calcification in the right lobe of the liver, near the dome.", ("size",))
    assert got == [{"size": 4.0}]
    got = summary("Calcified granuloma between segments 6 and 7 of the liver, 3 mm.", ("size",))
    assert got == [{"size": 3.0}]
