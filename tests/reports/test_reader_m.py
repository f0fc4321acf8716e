"""Classes of wording read in the reader-m round (precision and kind): own wordings of
each class found in the development sets' failures, with near misses that must stay as
they are."""

from __future__ import annotations

import pytest

from .summaries import summary

# --- a table's column named by a target word is no finding ---


@pytest.mark.parametrize(
    "text",
    [
        "Organ | Finding | Size | Calcified\nLiver | cyst, S6 | 12 mm | no\n"
        "Spleen | granuloma | 4 mm | yes",
        "Structure | Size | Calcification?\n|---|---|---|\nLiver | 2 cm cyst | no\n"
        "Kidney | 5 mm cyst | yes",
        "| Organ | Calcification | Comment |\n| Liver | none | normal |\n"
        "| Pancreas | yes | chronic pancreatitis |",
        "Lesion | Location | Calcified\nL1 | liver S4 | -\nL2 | spleen | yes",
    ],
)
def test_column_name_is_no_finding(text: str) -> None:
    assert summary(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the first line is a row: it names the liver and a place
        ("Liver | calcification | seg 6\nSpleen | granuloma | 3 mm", [{"seg": 6}]),
        # a header over rows that state the finding in a cell
        ("Organ | Finding | Size\nLiver | calcified granuloma segment 6 | 4 mm",
         [{"seg": 6, "size": 4.0}]),
        # a liver row says yes under the target's column: the header's finding stays
        ("LIVER:\nStructure | Calcification? | Comment\nLiver | yes | small focus", [{}]),
    ],
)  # fmt: skip
def test_table_findings_kept(text: str, expected: list[dict[str, object]]) -> None:
    got = summary(text, ("size", "seg"))
    assert got == expected


# --- a restatement opening on a record's label ("Lesion 1 is ...") is that record ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Liver MRI.\nLesion 1: segment 6; size 2.1 x 1.7 cm; calcification: central.\n"
         "IMPRESSION: Lesion 1 is a hemangioma with central calcification.",
         [{"kind": "lesion", "size": 21.0, "seg": 6, "assoc": "hemangioma"}]),
        ("LIVER LESION #2 - segment 3; 1.5 cm; calcified: yes, coarse.\n"
         "Impression: 1. Liver lesion #2 is a hemangioma with coarse calcification.",
         [{"kind": "lesion", "size": 15.0, "seg": 3, "assoc": "hemangioma"}]),
        ("Liver observation 1: segment 5, 12 mm, calcified rim.\n"
         "Conclusion: Observation 1 represents a calcified cyst.",
         [{"kind": "cyst", "size": 12.0, "seg": 5}]),
    ],
)  # fmt: skip
def test_restated_record_is_one_finding(text: str, expected: list[dict[str, object]]) -> None:
    assert summary(text, ("kind", "size", "seg", "assoc")) == expected


def test_restatement_folds_into_its_own_record_only() -> None:
    text = (
        "Liver lesion 1: segment 7; 4 mm calcification.\n"
        "Liver lesion 2: segment 2; 2.4 cm; calcification: coarse.\n"
        "IMPRESSION: Lesion 2 is a hemangioma with coarse calcification."
    )
    assert summary(text, ("kind", "size", "seg")) == [
        {"kind": "calcification", "size": 4.0, "seg": 7},
        {"kind": "lesion", "size": 24.0, "seg": 2},
    ]


def test_other_label_or_number_is_not_the_record() -> None:
    # "Lesion 3" names no record of the findings: it stays a finding of its own
    text = (
        "Liver lesion 1: segment 7; 4 mm calcification.\n"
        "IMPRESSION: Lesion 3 is a 2.4 cm hemangioma in segment 2 with coarse calcification."
    )
    assert summary(text, ("kind", "size", "seg")) == [
        {"kind": "calcification", "size": 4.0, "seg": 7},
        {"kind": "lesion", "size": 24.0, "seg": 2},
    ]


# --- a subject organ said to be what the target qualifies ("... is calcified costal
# cartilage"): the organ named right after the target ---


@pytest.mark.parametrize(
    "text",
    [
        "A shadowing focus at the inferior tip of the right lobe is calcified costal cartilage.",
        "The density projecting over the right lobe represents calcified rib cartilage.",
        "The echogenic line along the left lobe is calcified splenic artery wall.",
    ],
)
def test_target_qualifying_the_organ_after_it_is_not_the_liver(text: str) -> None:
    assert summary(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The right lobe is calcified.", [{"lobe": "right"}]),
        ("The lesion in segment 7 is calcified and the spleen is normal.",
         [{"seg": 7, "lobe": "right"}]),
        ("Segment 6 is calcified, next to the gallbladder fossa, 4 mm.",
         [{"seg": 6, "lobe": "right"}]),
    ],
)  # fmt: skip
def test_subject_organ_kept_without_an_organ_after(
    text: str, expected: list[dict[str, object]]
) -> None:
    assert summary(text, ("seg", "lobe")) == expected


# --- a duct stone read by both readers is one stone finding ---

_STONE = "intrahepatic bile duct stone"


def _with_labels(text: str) -> list[tuple[str | None, float | None, int | None]]:
    from hepcalc.reports import extract_findings

    return [(f.label, f.size_mm, f.location.segment) for f in extract_findings(text)]


@pytest.mark.parametrize(
    ("text", "size", "seg"),
    [
        ("Hepatolithiasis: calcified stones in dilated right lobe bile ducts, up to 6 mm.",
         6.0, None),
        ("Calcified intrahepatic duct stones in segment 6, the largest 5 mm, with upstream "
         "dilatation.", 5.0, 6),
        ("Hepatolithiasis with densely calcified calculi in segment 2, largest 8 mm.", 8.0, 2),
    ],
)  # fmt: skip
def test_duct_stone_without_duplicate(text: str, size: float, seg: int | None) -> None:
    assert _with_labels(text) == [(_STONE, size, seg)]


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # another target of the sentence: a granuloma of its own size and place
        ("Intrahepatic duct stones in segment 6 up to 5 mm and a separate 4 mm calcified "
         "granuloma in segment 7.", (None, 4.0, 7)),
        # a granuloma of the same size and place in the next sentence stays
        ("Calcified intrahepatic duct stones in segment 6, 5 mm. A calcified granuloma in "
         "segment 6, 5 mm.", (None, 5.0, 6)),
    ],
)  # fmt: skip
def test_other_calcification_beside_duct_stones_kept(
    text: str, kept: tuple[str | None, float, int]
) -> None:
    got = _with_labels(text)
    assert kept in got
    assert sum(1 for g in got if g[0] == _STONE) == 1
