"""Sections: headers, organ sub-sections, and where HISTORY text ends."""

from __future__ import annotations

import itertools

import pytest

from hepcalc.reports.sections import find_sections, section_at


def _cats(text: str) -> list[tuple[str, str, str | None]]:
    return [(s.name, s.category, s.organ) for s in find_sections(text)]


def test_major_and_organ_headers() -> None:
    text = "HISTORY: pain.\nFINDINGS:\nLIVER: normal.\nSpleen - normal.\nIMPRESSION: none."
    assert _cats(text) == [
        ("HISTORY", "history", None),
        ("FINDINGS", "findings", None),
        ("LIVER", "findings", "liver"),
        ("Spleen", "findings", "spleen"),
        ("IMPRESSION", "impression", None),
    ]


def test_sections_are_contiguous_and_cover_the_text() -> None:
    text = "CT ABDOMEN\nCLINICAL HISTORY: x.\nFINDINGS: y.\nIMPRESSION: z."
    secs = find_sections(text)
    assert secs[0].header_start == 0
    for a, b in itertools.pairwise(secs):
        assert a.end == b.header_start
    assert secs[-1].end == len(text)


def test_mtsamples_comma_headers() -> None:
    text = "HISTORY OF PRESENT ILLNESS:, pain.,FINDINGS: , liver normal.,IMPRESSION:, ok."
    cats = [c for _, c, _ in _cats(text)]
    assert cats == ["history", "findings", "impression"]


@pytest.mark.parametrize(
    "text",
    ["The liver: normal", "Note: this is a comment", "ratio 2:1 noted"],
)
def test_ordinary_colons_are_not_headers(text: str) -> None:
    assert [c for _, c, _ in _cats(text)] == ["body"]


def test_inline_clinical_details_cover_one_sentence() -> None:
    text = "Ultrasound abdomen. Clinical details: pain. The liver has a calcification."
    secs = find_sections(text)
    pos = text.index("calcification")
    assert section_at(secs, pos).category == "findings"
    assert section_at(secs, text.index("pain")).category == "indication"


def test_history_line_then_unlabelled_findings() -> None:
    text = "HISTORY: Prior calcification.\nThe liver shows a calcified granuloma."
    secs = find_sections(text)
    assert section_at(secs, text.index("Prior")).category == "history"
    assert section_at(secs, text.index("granuloma")).category == "findings"


def test_organ_header_after_comparison_starts_findings() -> None:
    text = "COMPARISON: 6 months prior.\nLIVER: calcification in segment 4b."
    secs = find_sections(text)
    sec = section_at(secs, text.index("segment"))
    assert (sec.category, sec.organ) == ("findings", "liver")


def test_combined_caps_labels_naming_one_organ() -> None:
    assert _cats("HEPATIC PARENCHYMA: calcified granuloma.") == [
        ("HEPATIC PARENCHYMA", "findings", "liver")
    ]
    assert _cats("LIVER/GALLBLADDER: normal.") == [("LIVER/GALLBLADDER", "other", None)]
    assert _cats("Liver -- calcified granuloma.") == [("Liver", "findings", "liver")]


def test_a_singular_finding_label_among_form_fields_is_no_header() -> None:
    from hepcalc.reports.sections import find_sections

    form = "Organ: Liver\nSegment: 2\nFinding: Coarse calcification\nSize: 9 mm"
    assert [s.name for s in find_sections(form)] == [""]
    prose = "FINDINGS:\nThe liver is normal.\nFinding: no focal lesion seen in the liver today."
    assert "Finding" in [s.name for s in find_sections(prose)]
