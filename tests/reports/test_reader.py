"""The reader end to end: the issue's phrasing, evidence spans, limits."""

from __future__ import annotations

import pytest

from hepcalc.errors import InputError
from hepcalc.model import MAX_REPORT_CHARS, Comparison, FindingKind, Lobe, Modality, Pattern
from hepcalc.reports import extract_findings, read_report


def test_evidence_points_into_the_text() -> None:
    text = "FINDINGS:\nLIVER: 5 mm calcified granuloma in segment 7.\nIMPRESSION: Stable."
    (f,) = extract_findings(text)
    ev = f.evidence
    assert ev is not None
    assert text[ev.start : ev.end] == ev.sentence
    assert "calcified granuloma" in ev.sentence
    assert ev.section == "findings:liver"
    assert f.calcified is True


@pytest.mark.parametrize(
    "text",
    [
        "Liver: No calcifications.",
        "Liver: No hepatic calcification.",
        "LIVER: No evidence of calcified or noncalcified masses.",
        "The previously seen hepatic calcification is no longer visualized.",
        "HISTORY: calcified granuloma in the liver.\nFINDINGS: Normal liver.",
        "MRI LIVER: Evaluation for calcification is limited.",
        "The spleen contains several small calcified granulomas.",
        "Punctate calcifications in the gallbladder lumen likely represent a gallstone.",
        "CT: Aortic and renal artery calcifications. Liver normal.",
        "CT: Calcified costal cartilage adjacent to the liver.",
    ],
)
def test_hard_negatives(text: str) -> None:
    assert extract_findings(text) == []


def test_excluded_mentions_carry_their_reason() -> None:
    text = "LIVER: No calcification.\nSPLEEN: Calcified granuloma."
    reasons = sorted(e.reason for e in read_report(text).excluded)
    assert reasons == ["negated", "other_organ"]


def test_growth_with_prior_size() -> None:
    (f,) = extract_findings("Liver: the calcification is now 19 mm (previously 12 mm).")
    assert (f.size_mm, f.prior_size_mm, f.comparison) == (19.0, 12.0, Comparison.increased)


def test_list_of_sizes_gives_one_finding_each() -> None:
    fs = extract_findings("LIVER: Calcifications in the right lobe measuring 1.4 cm and 0.9 cm.")
    assert sorted(f.size_mm for f in fs) == [9.0, 14.0]
    assert all(f.count == 1 and f.location.lobe is Lobe.right for f in fs)


def test_largest_of_several() -> None:
    (f,) = extract_findings("LIVER: Multiple punctate calcifications, the largest 3 mm.")
    assert (f.count, f.size_mm, f.pattern) == ("multiple", 3.0, Pattern.punctate)


def test_hemangioma_with_phlebolith_in_next_sentence() -> None:
    text = (
        "LIVER: Known 3.1 cm hemangioma in segment 6 is unchanged. Small echogenic focus "
        "within it represents a phlebolith."
    )
    (f,) = extract_findings(text)
    assert (f.kind, f.size_mm, f.location.segment) == (FindingKind.lesion, 31.0, 6)


def test_signal_void_is_hedged() -> None:
    (f,) = extract_findings(
        "MRI: Signal void in segment 6 of the liver may represent calcification."
    )
    assert f.evidence is not None and f.evidence.hedged
    assert f.features.signal_void is True


def test_shadowing_focus_is_a_calcification() -> None:
    (f,) = extract_findings("US LIVER: Echogenic focus with posterior acoustic shadowing, 6 mm.")
    assert f.kind is FindingKind.calcification and f.features.acoustic_shadowing is True


def test_impression_repeat_is_one_finding() -> None:
    text = (
        "FINDINGS: LIVER: 6 mm calcified granuloma in the right lobe.\n"
        "IMPRESSION: Stable calcified granuloma in the right hepatic lobe."
    )
    (f,) = extract_findings(text)
    assert f.comparison is Comparison.stable and f.size_mm == 6.0


def test_read_report_context() -> None:
    text = "CT ABDOMEN\nFINDINGS:\nLIVER: Cirrhotic. 4 mm calcification in segment 2."
    reading = read_report(text)
    assert reading.modality is Modality.CT
    assert reading.background_liver == "cirrhosis"
    assert [s.category for s in reading.sections][-1] == "findings"
    assert read_report(text, Modality.US).modality is Modality.US


def test_lirads_features_when_stated() -> None:
    text = (
        "LIVER: 2.5 cm calcified mass in segment 8 with arterial phase hyperenhancement "
        "and washout."
    )
    (f,) = extract_findings(text)
    assert f.features.aphe is True and f.features.washout is True


def test_too_long_is_an_input_error() -> None:
    with pytest.raises(InputError, match="limit"):
        extract_findings("a" * (MAX_REPORT_CHARS + 1))
    with pytest.raises(InputError):
        read_report(None)  # type: ignore[arg-type]


def test_text_without_targets_is_empty() -> None:
    assert extract_findings("The liver is normal in size and echotexture.") == []
    assert read_report("").findings == []


def test_structured_template_fields_give_the_size() -> None:
    """Key: value templates spread one finding over several fields (and sentences)."""
    (f,) = extract_findings(
        "LIVER: Hepatic calcification: present. Size: 7 mm. Location: S7. Pattern: coarse.", "CT"
    )
    assert (f.size_mm, f.location.segment) == (7.0, 7)
    (g,) = extract_findings("Lesion 1: segment 7; size 1.4 x 1.1 cm; calcification: coarse.", "CT")
    assert (g.size_mm, g.location.segment) == (14.0, 7)
    (h,) = extract_findings("LIVER: coarse calcification segment 7 now 14 mm (prev. 9 mm).", "CT")
    assert (h.size_mm, h.prior_size_mm) == (14.0, 9.0)


@pytest.mark.parametrize(
    ("text", "size", "count"),
    [
        ("Calcified nodule at the liver dome (1,2 cm), unchanged.", 12.0, 1),  # decimal comma
        ("Liver: scattered 2-3 mm calcifications in both lobes.", 3.0, "multiple"),  # a range
    ],
)
def test_decimal_comma_and_ranges(text: str, size: float, count: int | str) -> None:
    (f,) = extract_findings(text, "CT")
    assert (f.size_mm, f.count) == (size, count)


def test_list_with_comma_and_space_is_still_two_sizes() -> None:
    found = extract_findings("Liver: calcified granulomas measuring 1, 2 cm.", "CT")
    assert sorted(f.size_mm for f in found) == [10.0, 20.0]


def test_template_change_none_is_not_a_negation() -> None:
    text = "Observation: calcified focus\nLocation: segment 8\nSize: 3 mm\nChange: none"
    (f,) = extract_findings(text, "CT")
    assert (f.size_mm, f.location.segment) == (3.0, 8)
    assert extract_findings("Liver:\nCalcification: none\nSize: -", "CT") == []


def test_costal_cartilage_projecting_over_the_liver_is_not_a_finding() -> None:
    text = (
        "A 6 mm calcific density projecting over the liver on the scout corresponds to "
        "costal cartilage calcification on axial images."
    )
    assert extract_findings(text, "CT") == []


def test_a_segment_field_places_the_finding_in_the_liver() -> None:
    text = "Observation 2 -- Segment: 6 -- Size: 8 mm -- Features: dense calcification"
    (f,) = extract_findings(text, "CT")
    assert (f.size_mm, f.location.segment) == (8.0, 6)
