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
