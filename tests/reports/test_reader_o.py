"""Classes of wording read in the reader-o round (2026-12-05, from the failures of the
tuning set dev8): own wordings of each class, with near misses that must stay as they
are."""

from __future__ import annotations

import pytest

from .summaries import summary

# --- an earlier report's text copied into this one is the earlier exam's ---


@pytest.mark.parametrize(
    "text",
    [
        "Previous (2021): calcified granuloma right lobe 6 mm.\nToday: no longer seen.",
        "PRIOR REPORT (copied): 2 mm calcification segment 5.\n"
        "NOW: not seen; it was a vessel in cross-section.",
        "Copied from 2022: 'coarse calcification segment 8'.\nCurrent: not demonstrated.",
        "Prior findings (copied forward): calcified focus left lobe, 4 mm.\n"
        "Present exam: no hepatic calcification.",
    ],
)
def test_copied_prior_line_is_no_current_finding(text: str) -> None:
    assert summary(text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Previous findings (copied from 03/2024): calcified metastasis segment 6, 2.1 cm.\n"
            "Current: the segment 6 calcified metastasis measures 2.6 cm.",
            [{"size": 26.0, "seg": 6, "lobe": "right", "prior": 21.0, "comp": "increased"}],
        ),
        (
            "Copied from 2024: calcified granuloma left lobe 5 mm.\n"
            "Today: calcified granuloma in the left lobe, 5 mm.",
            [{"size": 5.0, "lobe": "left", "prior": 5.0, "comp": "stable"}],
        ),
        # a finding at another place takes no prior from the copied line
        (
            "Previous (2023): calcification segment 4, 6 mm.\n"
            "Current: calcification segment 2, 3 mm.",
            [{"size": 3.0, "seg": 2, "lobe": "left"}],
        ),
    ],
)
def test_copied_prior_size_is_the_prior_of_todays_finding(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "lobe", "prior", "comp")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # near misses: a bare "Prior:"/"Previous:" field of a record stays a field
        (
            "Finding: calcified granuloma segment 6\nSize: 5 mm\nPrior: 4 mm",
            [{"size": 5.0, "seg": 6, "prior": 4.0}],
        ),
        # a current finding in a report whose comparison section has no copied text
        (
            "COMPARISON: CT 2022.\nFINDINGS: 7 mm calcification in segment 3.",
            [{"size": 7.0, "seg": 3}],
        ),
        # "Previous" as a word in prose is no label
        (
            "Previous surgery noted. A 3 mm calcification in segment 7.",
            [{"size": 3.0, "seg": 7}],
        ),
    ],
)
def test_copied_prior_near_misses(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "prior")) == expected


# --- a preliminary (wet) read yields to the final read or addendum ---


def _read_hedged(text: str) -> list[tuple[float | None, int | None, bool]]:
    from hepcalc.reports import extract_findings

    return [(f.size_mm, f.location.segment, f.evidence.hedged) for f in extract_findings(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # retracted: the final read explains or negates it
        (
            "Wet read: ?calcified focus segment 4.\n"
            "Final report: the segment 4 density is an embolisation coil; no liver calcification.",
            [],
        ),
        (
            "Preliminary: possible calcification in the right lobe.\n"
            "Addendum: no hepatic calcification; it was contrast in a vein.",
            [],
        ),
        # confirmed: the final read's own finding stands, not hedged
        (
            "Prelim: ?calcification segment 7.\nFinal: confirmed, 3 mm calcification segment 7.",
            [(3.0, 7, False)],
        ),
        # confirmed without restating: the preliminary finding stands, no longer hedged
        (
            "Preliminary read: possible 5 mm calcification segment 2.\nFinal read: agree.",
            [(5.0, 2, False)],
        ),
        # near misses: a final read silent on it, or no final read, leaves it as it is
        (
            "Prelim: ?calcification segment 6.\nFinal: spleen normal.",
            [(None, 6, True)],
        ),
        ("Prelim: ?calcification segment 6.", [(None, 6, True)]),
        # "prelim" as a word, not a label
        (
            "Compared with the prelim images, a 4 mm calcification in segment 3.\n"
            "Final: no other change.",
            [(4.0, 3, False)],
        ),
    ],
)
def test_preliminary_read_yields_to_the_final(text: str, expected: list[tuple]) -> None:
    assert _read_hedged(text) == expected


# --- checkbox forms: an empty box is an option not ticked ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the calcified option left empty, the other one ticked: no calcified finding
        ("Liver lesion:\n[ ] calcified   [x] non-calcified\nSegment: 4\nSize: 2.2 cm", []),
        ("Liver nodule: [] calcification [X] solid\nSize: 12 mm", []),
        # a ticked calcification with empty options of other kinds stays a calcification
        (
            "Hepatic finding:\n[X] calcified focus  [ ] cyst  [ ] solid\nSegment: 5\nSize: 0.4 cm",
            [{"kind": "calcification", "size": 4.0, "seg": 5}],
        ),
        (
            "Liver: [ ] fatty infiltration [x] calcified granuloma [ ] mass lesion\n",
            [{"kind": "calcification"}],
        ),
        # near miss: a ticked cyst option is the host, an empty calcified one adds nothing
        (
            "Hepatic lesion:\n[x] cyst with calcified wall  [ ] solid\nSegment: 8\nSize: 3 cm",
            [{"kind": "cyst", "size": 30.0, "seg": 8}],
        ),
    ],
)
def test_checkbox_options(text: str, expected: list[dict]) -> None:
    assert summary(text, ("kind", "size", "seg")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the record's comment line gives the ticked finding its place and size
        (
            "Liver findings: [ ] cyst [x] calcification\nComments: one focus, segment 8, 4 mm.",
            [{"size": 4.0, "seg": 8, "lobe": "right"}],
        ),
        (
            "Hepatic findings: [x] calcified granuloma [ ] steatosis\nNote: left lobe, 2 mm",
            [{"size": 2.0, "lobe": "left"}],
        ),
        # a change field written prior -> current gives the prior
        (
            "Finding: calcified focus\nSegment: 2\nSize: 0.7 cm\nChange: 0.5 -> 0.7 cm",
            [{"size": 7.0, "seg": 2, "lobe": "left", "prior": 5.0, "comp": "increased"}],
        ),
        # a lone size in the change field is the earlier exam's
        (
            "Finding: calcified granuloma\nSegment: 6\nSize: 4 mm\n"
            "Change: stable vs 01/2024 (4 mm)",
            [{"size": 4.0, "seg": 6, "lobe": "right", "prior": 4.0, "comp": "stable"}],
        ),
        # near miss: a size said of today in the change field is no prior
        (
            "Finding: calcified granuloma\nSegment: 6\nSize: 6 mm\nChange: increased to 6 mm",
            [{"size": 6.0, "seg": 6, "lobe": "right", "comp": "increased"}],
        ),
        # near miss: a comment line after a finding that already has both stays unused
        (
            "Finding: calcified focus segment 7, 3 mm\nComment: segment 2, 9 mm cyst nearby",
            [{"size": 3.0, "seg": 7, "lobe": "right"}],
        ),
    ],
)
def test_form_comment_and_change_fields(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "lobe", "prior", "comp")) == expected


# --- "not present at baseline" (RECIST new-lesion lines) is new, not a negation ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "New lesions: calcified nodule in segment 5, 4 mm, not seen at baseline.",
            [{"size": 4.0, "seg": 5, "comp": "new"}],
        ),
        (
            "A 3 mm calcification in segment 8, not present on the baseline CT.",
            [{"size": 3.0, "seg": 8, "comp": "new"}],
        ),
        # near misses: still negated when nothing names the earlier exam
        ("New lesions: hepatic calcification not present.", []),
        ("Hepatic calcification is not seen. Baseline CT of 2023 for comparison.", []),
    ],
)
def test_not_present_at_baseline_is_new(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "comp")) == expected


# --- an unsized finding head over bulleted items that are each a liver place and a size ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Calcified granulomas:\n- right lobe: 5 mm\n- left lobe: 3 mm",
            [{"size": 5.0, "lobe": "right"}, {"size": 3.0, "lobe": "left"}],
        ),
        (
            "Calcific foci:\n* segment 7: 6 mm\n* segment 3: 2 mm",
            [
                {"size": 6.0, "seg": 7, "lobe": "right"},
                {"size": 2.0, "seg": 3, "lobe": "left"},
            ],
        ),
        (
            "Calcifications:\n1. caudate lobe, 4 mm\n2. right lobe, 7 mm",
            [{"size": 4.0, "lobe": "caudate"}, {"size": 7.0, "lobe": "right"}],
        ),
        # near misses: items in another organ, or a head with no list, stay out of the liver
        ("Calcified granulomas:\n- right lung: 5 mm\n- left lung: 3 mm", []),
        ("Calcified granulomas:\n- spleen: 5 mm", []),
        ("Calcified granulomas: see chest CT.", []),
    ],
)
def test_bulleted_places_under_a_finding_head(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "lobe")) == expected


# --- a pipe-separated key:value form: its count field ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "Finding: calcified granuloma | Number: 2 | Size: larger 6 mm | Location: right lobe",
            [{"size": 6.0, "count": 2, "lobe": "right"}],
        ),
        (
            "Lesion: hepatic calcification | Count: 3 | Largest: 4 mm | Segment: 6",
            [{"size": 4.0, "count": 3, "seg": 6, "lobe": "right"}],
        ),
        # near miss: a number in another field is no count
        (
            "Finding: calcified granuloma | Size: 6 mm | Location: right lobe | Image: 42",
            [{"size": 6.0, "count": 1, "lobe": "right"}],
        ),
    ],
)
def test_pipe_form_count_field(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "count", "seg", "lobe")) == expected


# --- tables: a column named by its unit, a place column with a bare segment ---


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "| Organ | Finding | (mm) |\n|---|---|---|\n| Liver segment 5 | calcified focus | 4 |\n"
            "| Spleen | granuloma | 7 |",
            [{"size": 4.0, "seg": 5}],
        ),
        (
            "Finding | Current | Previous | Segment\nCalcified granuloma | 6 mm | 5 mm | 2",
            [{"size": 6.0, "seg": 2, "prior": 5.0, "comp": "increased"}],
        ),
        (
            "| Lesion | Size now | Size prior | Seg |\n| calcification | 3 mm | 3 mm | S7 |",
            [{"size": 3.0, "seg": 7, "prior": 3.0, "comp": "stable"}],
        ),
        # near misses: a place cell naming another organ, a lung row, no place column
        ("Lesion | Now | Prior | Site\nCalcified granuloma | 5 mm | 4 mm | spleen", []),
        ("| Site | Finding | mm |\n|---|---|---|\n| Lung RUL | granuloma | 5 |", []),
        ("Lesion | Now | Prior\nCalcified granuloma | 5 mm | 4 mm", []),
    ],
)
def test_table_unit_column_and_segment_place(text: str, expected: list[dict]) -> None:
    assert summary(text, ("size", "seg", "prior", "comp")) == expected
