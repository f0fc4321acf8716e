"""Robustness: many phrasings of the same few facts, written for this test (not corpus text).

Each row: report text -> the findings expected as (kind, size_mm, count, segment,
comparison) tuples, or [] for a hard negative. The point is breadth of wording:
abbreviations, British spelling, sign-based descriptions, lists, priors, negation
forms, other organs.
"""

from __future__ import annotations

import pytest

from hepcalc.reports import extract_findings

Row = tuple[str, str | None, float | None, int | str | None, int | None, str | None]

POSITIVE: list[tuple[str, list[tuple]]] = [
    ("LIVER: Hyperechoic focus with posterior acoustic shadowing in segment 6, 5 mm.",
     [("calcification", 5.0, 1, 6, None)]),
    ("US: Shadowing echogenic focus in the right lobe of the liver.",
     [("calcification", None, 1, None, None)]),
    ("Liver: echogenic focus with twinkling artifact in segment 3.",
     [("calcification", None, 1, 3, None)]),
    ("CT: 7 mm hyperattenuating focus in hepatic segment 5 on noncontrast images.",
     [("calcification", 7.0, 1, 5, None)]),
    ("LIVER: Coarse calcification within the right hepatic lobe measuring up to 1.2 cm.",
     [("calcification", 12.0, 1, None, None)]),
    ("LIVER: Calcified metastases in both lobes.",
     [("lesion", None, "multiple", None, None)]),
    ("Liver: Microcalcifications within a 3 cm mass in segment 8.",
     [("lesion", 30.0, 1, 8, None)]),
    ("Hepatic calcification now measures 9 mm (prev 6 mm).",
     [("calcification", 9.0, 1, None, "increased")]),
    ("Hepatic calcification, 9 mm today versus 6 mm in 2021.",
     [("calcification", 9.0, 1, None, "increased")]),
    ("LIVER: New 4 mm calcification in segment IVb, not previously described.",
     [("calcification", 4.0, 1, 4, "new")]),
    ("LIVER: The calcified granuloma in segment 2 has enlarged, now 6 mm.",
     [("calcification", 6.0, 1, 2, "increased")]),
    ("Liver: two foci of calcification in segment 8, the larger measuring 4 mm.",
     [("calcification", 4.0, 2, 8, None)]),
    ("LIVER: 2 punctate calcifications (4 mm and 2 mm) in segment 7.",
     [("calcification", 4.0, 1, 7, None), ("calcification", 2.0, 1, 7, None)]),
    ("IMPRESSION: 1. Unchanged 5 mm calcification in hepatic segment 4A.",
     [("calcification", 5.0, 1, 4, "stable")]),
    ("Liver: calc granuloma R lobe 4mm.", [("calcification", 4.0, 1, None, None)]),
    ("Liver: 5mm calcific focus S7.", [("calcification", 5.0, 1, 7, None)]),
    ("Hepatic calcifications are unchanged in size and number.",
     [("calcification", None, "multiple", None, "stable")]),
    ("Increased number of hepatic calcifications.",
     [("calcification", None, "multiple", None, "increased")]),
    ("LIVER: Calcified hydatid cyst in the right lobe measuring 6 cm.",
     [("cyst", 60.0, 1, None, None)]),
    ("Peripherally calcified cystic lesion in segment 5 of the liver, 2.2 cm.",
     [("cyst", 22.0, 1, 5, None)]),
    ("Calcified granulomas in the spleen and liver.",
     [("calcification", None, "multiple", None, None)]),
    ("Splenic, hepatic and renal calcifications.",
     [("calcification", None, "multiple", None, None)]),
    ("LIVER: calcification cannot be excluded in segment 6 on this MRI.",
     [("calcification", None, 1, 6, None)]),
    ("Liver: Hepatic haemangioma in segment 7, 3.1 cm, with a central calcification.",
     [("lesion", 31.0, 1, 7, None)]),
    ("Liver - Calcified granuloma, 5mm, seg 4b.", [("calcification", 5.0, 1, 4, None)]),
]  # fmt: skip

NEGATIVE = [
    "LIVER: No hepatic calcifications are identified.",
    "The liver demonstrates no calcification.",
    "LIVER: Calcifications: None.",
    "There are no calcifications in the liver.",
    "The liver is without calcification or mass.",
    "Liver unremarkable; specifically no calcifications.",
    "Calcification was not seen in the liver.",
    "Liver: The lesion does not contain calcification.",
    "Liver: echogenic focus without shadowing, likely a vessel wall.",
    "Liver: bright echogenic focus with dirty shadowing, pneumobilia.",
    "Calcified right hepatic artery.",
    "Calcified lymph node in the porta hepatis.",
    "Calcified granuloma in the right lobe of the lung.",
    "Mitral annular calcification.",
    "Nephrocalcinosis. The liver is normal.",
    "Renal calculi. Liver normal.",
    "Calcified uterine fibroid. Liver normal.",
    "Pancreatic calcifications consistent with chronic pancreatitis. Liver normal.",
    "Calcified thrombus in the portal vein.",
    "Liver: normal. MRI is insensitive to calcification.",
    "Liver: normal. Non-contrast CT would better evaluate for calcification.",
    "INDICATION: f/u liver calcification.\nFINDINGS: Liver normal.",
    "Liver: normal. Calcium 9.2 mg/dL.",
]


@pytest.mark.parametrize(("text", "expected"), POSITIVE)
def test_positive_phrasings(text: str, expected: list[tuple]) -> None:
    got = [
        (
            f.kind.value,
            f.size_mm,
            f.count,
            f.location.segment,
            f.comparison.value if f.comparison else None,
        )
        for f in extract_findings(text)
    ]
    assert got == expected


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_phrasings(text: str) -> None:
    assert extract_findings(text) == []


MORE_POSITIVE: list[tuple[str, list[tuple]]] = [
    ("LIVER: calc. granuloma 5 mm in segment 3.", [("calcification", 5.0, 1, 3, None)]),
    ("Liver: 3 calcs, largest 4mm.", [("calcification", 4.0, 3, None, None)]),
    ("Liver: calc 6 mm (4 mm in 2021).", [("calcification", 6.0, 1, None, "increased")]),
    ("Liver: calc 6mm, was 4mm.", [("calcification", 6.0, 1, None, "increased")]),
    ("Liver: scattered punctate calcifications, none exceeding 3 mm.",
     [("calcification", 3.0, "multiple", None, None)]),
    ("Calcified granulomas are noted in hepatic segments 2 and 6.",
     [("calcification", None, 1, 2, None), ("calcification", None, 1, 6, None)]),
    ("LIVER: calcifications in segments 6 and 7 measuring 2 mm and 3 mm respectively.",
     [("calcification", 2.0, 1, 6, None), ("calcification", 3.0, 1, 7, None)]),
    ("LIVER: A 4 mm calcification adjacent to a 2 cm simple cyst in segment 5.",
     [("calcification", 4.0, 1, 5, None)]),
    ("Liver: calc 3 mm seg 6, 4 mm seg 7.",
     [("calcification", 3.0, 1, 6, None), ("calcification", 4.0, 1, 7, None)]),
    ("LIVER: the calcification in segment 6 measures 3 mm and the one in segment 7 "
     "measures 4 mm.",
     [("calcification", 3.0, 1, 6, None), ("calcification", 4.0, 1, 7, None)]),
    ("LIVER: 5 mm calcification in segment 7 adjacent to a 2 cm cyst in segment 8.",
     [("calcification", 5.0, 1, 7, None)]),
    ("LIVER: 4 mm calcification within a 2.5 cm mass in segment 6.",
     [("lesion", 25.0, 1, 6, None)]),
    ("LIVER: punctate calcification in segment 2, 2 mm-3 mm.",
     [("calcification", 3.0, 1, 2, None)]),
    ("Liver: calcs 3, 4 & 5 mm.",
     [("calcification", 3.0, 1, None, None), ("calcification", 4.0, 1, None, None),
      ("calcification", 5.0, 1, None, None)]),
    ("Liver: calc 6 mm (4 mm 6/2022).", [("calcification", 6.0, 1, None, "increased")]),
    ("LIVER: There is a calcified granuloma in segment 7. It measures 5 mm, previously 4 mm.",
     [("calcification", 5.0, 1, 7, "increased")]),
    ("Liver: calcs x3 R lobe, largest 4mm.", [("calcification", 4.0, 3, None, None)]),
    ("Liver: calc S7 4mm->6mm.", [("calcification", 6.0, 1, 7, "increased")]),
    ("Liver: calc 6 vs 4mm.", [("calcification", 6.0, 1, None, "increased")]),
    ("Liver: calc 6mm, 4mm prev.", [("calcification", 6.0, 1, None, "increased")]),
    ("Liver: 2 calcs: R 3mm, L 5mm.",
     [("calcification", 3.0, 1, None, None), ("calcification", 5.0, 1, None, None)]),
]  # fmt: skip

MORE_NEGATIVE = [
    "LIVER: Hyperdense focus representing retained lipiodol in segment 8.",
    "LIVER: Echogenic foci with shadowing in the left lobe representing pneumobilia.",
    "Calcification near the hepatic flexure of the colon.",
    "Calcified node in the gastrohepatic ligament.",
    "Family history of liver calcification. Liver normal.",
    "Liver normal. If there is concern for calcification, CT could be performed.",
    "Fetal heart: echogenic intracardiac focus. Fetal liver normal.",
]


@pytest.mark.parametrize(("text", "expected"), MORE_POSITIVE)
def test_more_positive_phrasings(text: str, expected: list[tuple]) -> None:
    test_positive_phrasings(text, expected)


@pytest.mark.parametrize("text", MORE_NEGATIVE)
def test_more_negative_phrasings(text: str) -> None:
    assert extract_findings(text) == []


# Lists of lesions: semicolon items with their own priors, numbered or bulleted lines under
# a head, and a label's plural ("Non-target lesions:") that is not the finding's count.
LIST_POSITIVE: list[tuple[str, list[tuple]]] = [
    ("Liver: two calcified metastases: 1) segment 7, 2.2 cm (prior 2.0 cm); 2) segment 4a,"
     " 1.1 cm (prior 1.1 cm).",
     [("lesion", 22.0, 1, 7, "increased"), ("lesion", 11.0, 1, 4, "stable")]),
    ("Calcified granulomas: (1) segment 6, 4 mm; (2) segment 2, 3 mm.",
     [("calcification", 4.0, 1, 6, None), ("calcification", 3.0, 1, 2, None)]),
    ("Liver: three calcified granulomas: segment 2, 3 mm; segment 5, 4 mm (was 3 mm);"
     " segment 8, 2 mm.",
     [("calcification", 3.0, 1, 2, None), ("calcification", 4.0, 1, 5, "increased"),
      ("calcification", 2.0, 1, 8, None)]),
    ("LIVER: Calcified lesions:\n1. Segment 7: 2.2 cm, previously 2.0 cm.\n"
     "2. Segment 4: 1.1 cm, stable.",
     [("lesion", 22.0, 1, 7, "increased"), ("lesion", 11.0, 1, 4, "stable")]),
    ("Hepatic calcified granulomas\n- segment 2: 3 mm\n- segment 6: 4 mm (prior 4 mm)\n"
     "Spleen: normal.",
     [("calcification", 3.0, 1, 2, None), ("calcification", 4.0, 1, 6, "stable")]),
    ("Liver: scattered calcifications as follows:\n(1) S7, 5 mm\n(2) S3, 2 mm\nKidneys: normal.",
     [("calcification", 5.0, 1, 7, None), ("calcification", 2.0, 1, 3, None)]),
    ("RECIST\nTarget lesions: 1) left upper lobe lung mass 31 mm (baseline 35 mm).\n"
     "Non-target lesions: calcified liver metastasis in segment 5, 1.9 x 1.2 cm, stable.",
     [("lesion", 19.0, 1, 5, "stable")]),
    ("Non-target lesions: densely calcified hepatic deposit, segment 6, 12 mm.",
     [("lesion", 12.0, 1, 6, None)]),
]  # fmt: skip

LIST_NEGATIVE = [
    "Calcified granulomas:\n- spleen, 5 mm\n- spleen, 3 mm",
    "Target lesions: 1) right lower lobe calcified lung nodule 16 mm (prior 19 mm).",
]


@pytest.mark.parametrize(("text", "expected"), LIST_POSITIVE)
def test_list_phrasings(text: str, expected: list[tuple]) -> None:
    test_positive_phrasings(text, expected)


@pytest.mark.parametrize("text", LIST_NEGATIVE)
def test_list_negatives(text: str) -> None:
    assert extract_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # a list line naming a lesion of its own, or a numbered report item, is no member
        "Hepatic calcifications:\n1. Segment 6 cyst, 2 cm.\n2. Segment 7, 3 mm.",
        "Liver: small calcified granuloma.\n2. Segment 4, 3 mm hypodensity.",
        "Liver: calcified granuloma.\n- Kidneys: 11 cm each.\n- Gallbladder: 2 cm stone.",
    ],
)
def test_list_lines_that_are_not_members_are_not_read_into_the_finding(text: str) -> None:
    (f,) = extract_findings(text)
    assert f.size_mm is None and f.location.segment is None
