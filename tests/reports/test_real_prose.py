"""Issue 13's real-prose classes, each with wordings of its own (not dev4's).

One test (or a small group) per class of failure seen on prose from outside the
project: soft tissue with a calcification, summary repeats, lists of lobes,
coordinated organs, the neighbouring sentence, organ words the reader lacked,
radiograph projection, the capsular pattern and run-together words. The last test
goes through the CLI face as a subprocess.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from hepcalc.model import Associated, FindingKind, Lobe, Pattern
from hepcalc.reports import extract_findings, read_report
from hepcalc.reports.locations import lobe_list
from hepcalc.reports.soft_tissue import soft_tissue_in


def _one(text: str):  # type: ignore[no-untyped-def]
    found = extract_findings(text)
    assert len(found) == 1, [f.model_dump(exclude_none=True) for f in found]
    return found[0]


# --- soft tissue with a calcification ------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "CT LIVER: A 14 mm calcification in segment 3 with a surrounding enhancing soft-tissue"
        " rim.",
        "Liver: coarse calcification in the right lobe, 2 cm, with a new soft tissue mass"
        " around it.",
        "Liver: 11 mm calcified focus in segment 6. There is now a thick rim of enhancing"
        " tissue around it.",
        "Liver: calcification in segment 7 with an enhancing solid component, 3 cm.",
    ],
)
def test_soft_tissue_makes_a_calcified_lesion(text: str) -> None:
    f = _one(text)
    assert f.kind is FindingKind.lesion
    assert f.calcified is True
    assert f.associated is Associated.solid_mass
    assert f.features.solid_component is True


@pytest.mark.parametrize(
    "text",
    [
        "Liver: 6 mm calcification in segment 2 without a soft-tissue component.",
        "Liver: 6 mm calcification in segment 2. The adjacent soft tissues are normal.",
        "Liver: 6 mm calcification in segment 2, no associated soft tissue mass.",
    ],
)
def test_absent_soft_tissue_leaves_a_calcification(text: str) -> None:
    f = _one(text)
    assert f.kind is FindingKind.calcification
    assert f.features.solid_component is not True


def test_soft_tissue_cue_negation_is_bounded_to_its_clause() -> None:
    text = "no mass, but an enhancing soft-tissue rim"
    assert soft_tissue_in(text, 0, len(text)) is not None
    text = "without any enhancing soft tissue"
    assert soft_tissue_in(text, 0, len(text)) is None


def test_the_whole_lesion_size_replaces_the_calcification_size() -> None:
    f = _one(
        "Liver: the 8 mm calcification in segment 5 is surrounded by enhancing soft tissue"
        " measuring 26 mm."
    )
    assert f.size_mm == 26


# --- summary repeats -----------------------------------------------------------------


def test_impression_naming_places_merges_into_the_findings() -> None:
    found = extract_findings(
        "FINDINGS: Liver: 5 mm calcification in segment 8; 2 mm calcification in segment 4.\n"
        "IMPRESSION: Benign hepatic calcifications in segments 8 and 4."
    )
    assert sorted((f.location.segment, f.size_mm) for f in found) == [(4, 2.0), (8, 5.0)]


def test_a_findings_sentence_naming_places_is_not_merged() -> None:
    """Outside a summary a place list names new findings, even at a known place."""
    found = extract_findings(
        "Liver: 5 mm calcification in segment 8. Further calcifications in segments 8 and 2."
    )
    assert len(found) == 3


# --- lists of lobes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("phrase", "lobes"),
    [
        ("in the right, left and caudate lobes", [Lobe.right, Lobe.left, Lobe.caudate]),
        ("in the left and right hepatic lobes", [Lobe.left, Lobe.right]),
        ("in the caudate lobe and in the right lobe", [Lobe.caudate, Lobe.right]),
        ("throughout both lobes", []),
        ("in the right lobe", []),
    ],
)
def test_lobe_list(phrase: str, lobes: list[Lobe]) -> None:
    assert lobe_list(phrase, 0, len(phrase)) == lobes


def test_plural_finding_over_a_lobe_list_gives_one_per_lobe() -> None:
    found = extract_findings("Liver: tiny calcified granulomas in the left and caudate lobes.")
    assert sorted(f.location.lobe for f in found) == sorted([Lobe.left, Lobe.caudate])


# --- coordinated organs --------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Calcified granulomas in the lungs and in the liver.",
        "Calcified granulomas within the spleen and also within the liver.",
        "Calcified granulomas in the kidneys as well as the liver.",
    ],
)
def test_a_liver_coordinated_with_another_organ_keeps_the_finding(text: str) -> None:
    assert len(extract_findings(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Calcified lymph nodes and the liver is unremarkable.",
        "Calcified granuloma in the spleen. The liver is normal.",
        "Calcified thrombus in the intrahepatic IVC.",
    ],
)
def test_another_organ_is_not_coordinated_with_a_liver_clause(text: str) -> None:
    assert extract_findings(text) == []


# --- the neighbouring sentence -------------------------------------------------------


def test_place_in_the_next_sentence() -> None:
    f = _one("A 3 mm calcified granuloma is present. It lies in segment 2.")
    assert (f.location.segment, f.location.lobe, f.size_mm) == (2, Lobe.left, 3)


def test_size_in_the_next_sentence_written_as_it_is() -> None:
    f = _one("Liver: a calcification in segment 8. It is approximately 6 mm.")
    assert f.size_mm == 6


def test_comparison_in_a_one_word_next_sentence() -> None:
    f = _one("Liver: calcification seg 5, 4 mm. Unchanged.")
    assert f.comparison is not None and f.comparison.value == "stable"


def test_next_sentence_in_another_organ_does_not_place_it() -> None:
    assert extract_findings("A 3 mm calcified granuloma is present. It lies in the spleen.") == []


@pytest.mark.parametrize(
    ("text", "size", "comparison"),
    [
        # a size said with a comparison word of "it"
        ("Liver: a calcified granuloma in segment 3. It is unchanged at 5 mm.", 5, "stable"),
        ("Hepatic calcification, right lobe. It remains stable in size at 7 mm.", 7, "stable"),
        ("Liver: calcified focus in segment 6. It is now larger, measuring 9 mm.", 9, "increased"),
        # "it" placed and measured in one sentence: "located in ..., and measures"
        (
            "Liver: a calcified granuloma. This is seen in the anterior segment of the right"
            " lobe, segment 5, and measures 4 mm.",
            4,
            None,
        ),
    ],
)
def test_size_and_comparison_of_it_in_the_next_sentence(
    text: str, size: float, comparison: str | None
) -> None:
    f = _one(text)
    assert f.size_mm == size
    assert (f.comparison.value if f.comparison else None) == comparison


@pytest.mark.parametrize(
    ("text", "size", "prior", "segment"),
    [
        # the earlier exam's size in one sentence, today's "it" in the next
        (
            "Compared with the MRI of 2021, when the hepatic calcification measured 4 mm."
            " Today it measures 7 mm, in segment 8.",
            7,
            4,
            8,
        ),
        (
            "On the prior CT the calcified granuloma in segment 2 measured 6 mm. It now"
            " measures 6 mm.",
            6,
            6,
            2,
        ),
        (
            "Prior ultrasound showed a 3 mm shadowing echogenic focus in segment 7 of the"
            " liver. On the current study it measures 5 mm.",
            5,
            3,
            7,
        ),
        (
            "Previous CT demonstrated a 5 mm hepatic calcification in segment 3. Today it is"
            " unchanged.",
            5,
            5,
            3,
        ),
    ],
)
def test_a_prior_exam_sentence_restated_as_now_gives_the_prior(
    text: str, size: float, prior: float, segment: int
) -> None:
    f = _one(text)
    assert (f.size_mm, f.prior_size_mm, f.location.segment) == (size, prior, segment)
    assert f.comparison is not None


@pytest.mark.parametrize(
    "text",
    [
        "Prior CT showed a 5 mm hepatic calcification. Today the liver is normal.",
        "Prior CT showed a 5 mm hepatic calcification. Today it is no longer seen.",
        "Prior CT showed a 5 mm hepatic calcification. It has now resolved.",
        "Prior CT showed a hepatic calcification. Today the spleen is enlarged.",
    ],
)
def test_a_prior_exam_sentence_not_restated_stays_historical(text: str) -> None:
    assert extract_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "There is a 4-millimetre calcified granuloma in the left lobe and another of the same"
        " size in the right lobe.",
        "A 4 mm calcification in segment 6. Another, similar in size, lies in segment 2.",
        "Two calcified granulomas: one in segment 3 measuring 4 mm and one of identical size"
        " in segment 7.",
    ],
)
def test_another_of_the_same_size_takes_the_first_ones_size(text: str) -> None:
    found = extract_findings(text)
    assert [f.size_mm for f in found] == [4, 4]
    assert all(f.comparison is None for f in found)  # "similar" is to its sibling


def test_another_without_a_size_stays_unsized() -> None:
    found = extract_findings("A 4 mm calcification in segment 6 and another in segment 2.")
    assert [f.size_mm for f in found] == [4, None]


# --- organ words the reader lacked ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "The liver is normal. Calcification of the falx.",
        "The liver is normal. Calcifications in the abdominal vasculature.",
        "LIVER: normal. Calcification of the pubic symphysis.",
        "The liver is normal. Calcification of the interosseous membrane.",
    ],
)
def test_a_structure_of_its_own_never_falls_back_to_a_normal_liver(text: str) -> None:
    reading = read_report(text)
    assert reading.findings == []
    assert [e.reason for e in reading.excluded] == ["other_organ"]


def test_a_liver_place_after_the_target_still_falls_back() -> None:
    f = _one("The liver is normal in size. A 4 mm calcification in the dome of segment 8.")
    assert f.location.segment == 8


# --- radiograph projection -----------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Abdominal radiograph: 8 mm calcification projecting over the liver.",
        "KUB: calcific density superimposed on the hepatic shadow.",
        "Plain film: overlying the liver there is a 5 mm calcified granuloma.",
    ],
)
def test_projection_wording_is_hedged(text: str) -> None:
    f = _one(text)
    assert f.evidence is not None and f.evidence.hedged is True


def test_a_ct_finding_in_the_liver_is_not_hedged() -> None:
    f = _one("CT: 5 mm calcification in segment 6 of the liver.")
    assert f.evidence is not None and f.evidence.hedged is False


# --- capsular pattern ----------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Liver: capsule calcification over the right lobe, 7 mm.",
        "Liver: thin calcification of the hepatic capsule anterior to segment 4.",
        "Liver: 4 mm calcification along Glisson's capsule.",
    ],
)
def test_capsule_wording_gives_the_capsular_pattern(text: str) -> None:
    assert _one(text).pattern is Pattern.capsular


def test_lirads_capsule_of_a_mass_is_not_a_capsular_calcification() -> None:
    f = _one("Liver: 3 cm mass in segment 7 with an enhancing capsule and coarse calcification.")
    assert f.pattern is not Pattern.capsular


# --- run-together words --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size", "segment"),
    [
        ("Liver: 7mmcalcification seg 3.", 7, 3),
        ("Liver: livercalcification 4 mm insegment 5.", 4, 5),
        ("Liver: punctatecalcification in segment 2, 2 mm.", 2, 2),
        ("Liver: 6 mm calcified granuloma in segment 8.Kidneys normal.", 6, 8),
    ],
)
def test_run_together_words(text: str, size: float, segment: int) -> None:
    f = _one(text)
    assert (f.size_mm, f.location.segment) == (size, segment)


@pytest.mark.parametrize(
    "text",
    [
        "Hypercalcaemia noted. Liver normal.",
        "Decalcified bone. Liver normal.",
        "Recalcitrant pain.",
    ],
)
def test_glued_letters_that_are_another_word_are_not_targets(text: str) -> None:
    assert extract_findings(text) == []


@pytest.mark.parametrize(
    ("text", "count", "size", "segment", "lobe"),
    [
        # a digit run into the target: a count, or a segment label, typed without its space
        ("Liver: 3calcified granulomas in the rt lobe.", 3, None, None, Lobe.right),
        ("CT abdomen. Hepatic seg 4calcification 5 mm.", 1, 5, 4, Lobe.left),
        ("Liver: segment7calcified granuloma 4mm, unchanged.", 1, 4, 7, Lobe.right),
        ("Liver: punctate calcification lt. lobe 3 mm.", 1, 3, None, Lobe.left),
    ],
)
def test_digits_run_into_the_target(
    text: str, count: int, size: float | None, segment: int | None, lobe: Lobe
) -> None:
    f = _one(text)
    assert (f.count, f.size_mm, f.location.segment, f.location.lobe) == (
        count,
        size,
        segment,
        lobe,
    )


def test_a_run_together_count_with_two_sizes_gives_two_findings() -> None:
    found = extract_findings("Liver: 2calcified foci,lt lobe,2mm and 5mm.")
    assert [(f.size_mm, f.count, f.location.lobe) for f in found] == [
        (2, 1, Lobe.left),
        (5, 1, Lobe.left),
    ]


@pytest.mark.parametrize(
    ("text", "size", "segment"),
    [
        # a short Couinaud label is the liver's even when no liver word is written
        ("S6: 5mm calcified focus.", 5, 6),
        ("SVII 3 mm calcification, stable.", 3, 7),
        ("S3 - 2mm dark focus on all sequences, ?calcification vs vessel.", 2, 3),
        ("S4a:4mm calc.", 4, 4),
    ],
)
def test_a_couinaud_label_alone_places_the_finding_in_the_liver(
    text: str, size: float, segment: int
) -> None:
    f = _one(text)
    assert (f.size_mm, f.location.segment) == (size, segment)


@pytest.mark.parametrize(
    "text",
    [
        "Calcified disc at L5-S1.",
        "Calcified disc protrusion at L5 - S1.",
        "S1 nerve root calcification.",
        "Gallbladder: 3calculi.",
        "Spleen: 2calcified granulomas.",
        "Liver normal. Spleen: 4calcified granulomas, largest 5mm.",
    ],
)
def test_spine_levels_and_other_organs_run_together_are_not_liver(text: str) -> None:
    assert extract_findings(text) == []


@pytest.mark.parametrize(
    "text",
    [
        # an organ after "vs"/"versus" is the other reading of a differential, not a place
        "Segment 5: 4 mm focus of blooming, calcification versus vascular flow void.",
        "Liver: 3 mm hyperdense focus in segment 2, calcification vs. vessel.",
        "Right lobe: punctate calcification versus arterial wall, 2 mm.",
    ],
)
def test_an_organ_after_versus_is_an_alternative_not_the_place(text: str) -> None:
    f = _one(text)
    assert f.calcified is True


def test_an_organ_before_versus_still_places_the_finding() -> None:
    assert extract_findings("Calcification in the spleen vs accessory spleen.") == []


# --- hedged range over the whole liver -------------------------------------------------


@pytest.mark.parametrize(
    ("text", "size"),
    [
        (
            "Scattered punctate hyperechoic foci without acoustic shadowing are noted throughout"
            " the liver, ranging in size from 2 to 5 mm, suggestive of calcified granulomas.",
            5,
        ),
        (
            "Several bright foci without shadowing in both hepatic lobes, ranging from 1 to 4 mm,"
            " possibly representing microcalcifications.",
            4,
        ),
        (
            "Liver: innumerable tiny echogenic foci without posterior shadowing in both lobes,"
            " varying from 1 to 2 mm, likely microcalcifications.",
            2,
        ),
    ],
)
def test_a_hedged_range_over_both_lobes(text: str, size: float) -> None:
    f = _one(text)
    assert (f.size_mm, f.count, f.location.lobe, f.prior_size_mm) == (size, "multiple", None, None)
    assert f.evidence.hedged is True


@pytest.mark.parametrize(
    "text",
    [
        "Liver: echogenic foci without shadowing to suggest calcification, ranging from 1 to 3 mm.",
        "Liver: several echogenic foci without shadowing or calcification, 1 to 3 mm.",
    ],
)
def test_echogenic_foci_said_not_to_be_calcified_stay_out(text: str) -> None:
    assert extract_findings(text) == []


# --- through the CLI -----------------------------------------------------------------


def test_soft_tissue_class_through_the_cli(tmp_path) -> None:  # type: ignore[no-untyped-def]
    report = tmp_path / "report.txt"
    report.write_text(
        "CT ABDOMEN.\nFINDINGS: LIVER: The calcification now measures 18 mm and is surrounded"
        " by a new thin rim of enhancing soft tissue.\nIMPRESSION: Enlarging calcified lesion.",
        encoding="utf-8",
    )
    out = subprocess.run(
        [sys.executable, "-c", "from hepcalc.cli import main; main()", "extract", str(report)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    found = json.loads(out.stdout)
    assert len(found) == 1
    assert found[0]["kind"] == "lesion"
    assert found[0]["associated"] == "solid_mass"
    assert found[0]["features"]["solid_component"] is True


@pytest.mark.parametrize(
    ("text", "size", "segment"),
    [
        (
            "A dense calcification is present in the liver. Location: left lateral segment"
            " (segment 3). Dimensions 8 x 5 mm.",
            8.0,
            3,
        ),
        ("Liver: a coarse calcification. Site: segment 7. Measurement: 6 mm.", 6.0, 7),
        ("Liver: a coarse calcification. Size: 6 mm. Location: segment 7.", 6.0, 7),
        ("LIVER: Calcified granuloma noted.\nLocation: segment 5.\nSize: 4 mm.", 4.0, 5),
    ],
)
def test_place_and_size_given_as_fields_after_the_finding(
    text: str, size: float, segment: int
) -> None:
    (f,) = extract_findings(text)
    assert (f.size_mm, f.location.segment) == (size, segment)


def test_a_field_naming_another_organ_gives_no_place() -> None:
    (f,) = extract_findings("Liver: a coarse calcification. Location: right kidney.")
    assert f.location.segment is None and f.location.lobe is None


# --- a measured MRI/US sign named after the semicolon or the query mark ---------------


@pytest.mark.parametrize(
    ("text", "size", "segment", "lobe"),
    [
        (
            "Liver: 7 mm low signal focus in segment 6 with no enhancement; this corresponds to"
            " a calcified granuloma on CT.",
            7.0,
            6,
            Lobe.right,
        ),
        (
            "Observation 3: Segment 2, 6 mm, hypointense on all sequences; signal void may"
            " represent calcification.",
            6.0,
            2,
            Lobe.left,
        ),
        (
            "Liver: There is a 1.1 cm focus in the caudate lobe, dark on T2 and blooming on"
            " in-phase; ? calcification vs haemosiderin.",
            11.0,
            None,
            Lobe.caudate,
        ),
        (
            "Liver: a 5 mm focus of susceptibility artefact in segment 4, ? calcification.",
            5.0,
            4,
            Lobe.left,
        ),
        (
            "Liver: 9 mm dark focus in segment 8, no restriction; it likely represents a"
            " calcified granuloma.",
            9.0,
            8,
            Lobe.right,
        ),
    ],
)
def test_a_measured_sign_named_in_the_next_clause(
    text: str, size: float, segment: int | None, lobe: Lobe
) -> None:
    f = _one(text)
    assert f.kind is FindingKind.calcification
    assert f.size_mm == size
    assert f.location.segment == segment
    assert f.location.lobe is lobe


@pytest.mark.parametrize(
    "text",
    [
        # the clause is its own finding, not a redescription of the measured focus
        "Liver: 1 cm focus in segment 6 with no enhancement; calcification in segment 3.",
        # the earlier clause measures a lesion: the lesion rules decide, not this one
        "Liver: 2 cm cyst in segment 6; calcification in segment 3.",
        # two sizes before: whose would it be?
        "Liver: foci of 4 mm and 9 mm in segment 6; ? calcification.",
    ],
)
def test_no_size_taken_from_the_clause_before(text: str) -> None:
    f = _one(text)
    assert f.kind is FindingKind.calcification
    assert f.size_mm is None


def test_a_measured_sign_named_after_a_semicolon_can_still_be_negated() -> None:
    assert extract_findings("Liver: 1 cm focus in segment 6; this is not calcification.") == []


# --- a "with ..." clause describing part of the lesion the sentence opened on ---------


@pytest.mark.parametrize(
    ("text", "kind", "size", "pattern"),
    [
        (
            "Calcified hydatid cyst in the left lobe, 6.1 x 5 cm, with a thick rim of mural"
            " calcification.",
            FindingKind.cyst,
            61.0,
            Pattern.rim,
        ),
        (
            "Known calcified cyst in segment 5, 3.3 cm, with a calcified, irregular wall; no"
            " change.",
            FindingKind.cyst,
            33.0,
            Pattern.rim,
        ),
        (
            "Liver: calcified mass in segment 8, 4 cm, with a central calcification.",
            FindingKind.lesion,
            40.0,
            Pattern.central,
        ),
    ],
)
def test_a_with_clause_describing_the_lesion_is_the_same_finding(
    text: str, kind: FindingKind, size: float, pattern: Pattern
) -> None:
    f = _one(text)
    assert (f.kind, f.size_mm, f.pattern) == (kind, size, pattern)


def test_a_with_clause_of_another_calcification_stays_its_own() -> None:
    found = extract_findings(
        "Liver: 4 mm calcified granuloma in segment 6, with a second 3 mm calcification in"
        " segment 2."
    )
    assert sorted(f.size_mm or 0 for f in found) == [3.0, 4.0]


@pytest.mark.parametrize(
    "text",
    [
        "Liver: In segment 6 there is a 3.9 cm lesion with peripheral nodular enhancement,"
        " containing a few small phleboliths. Appearances are those of a haemangioma.",
        "Liver: a 2.8 cm haemangioma in segment 3 containing several phleboliths.",
    ],
)
def test_one_lesion_holding_several_calcifications_counts_one(text: str) -> None:
    f = _one(text)
    assert f.kind is FindingKind.lesion
    assert f.count == 1


def test_several_calcified_lesions_stay_several() -> None:
    f = _one("Liver: calcified metastases in segment 6, containing coarse calcifications.")
    assert f.count == "multiple"


# --- shorthand and typos of ultrasound and CT dictation -------------------------------


@pytest.mark.parametrize(
    ("text", "size", "segment", "lobe"),
    [
        ("Liver: 1 x echogenic focus w/ PAS, R lobe, 3 mm.", 3.0, None, Lobe.right),
        ("Liver: echogenic focus with PAS in segment 5, 4 mm.", 4.0, 5, Lobe.right),
        ("Liver: hyperechoic focus + PAS seg 2 (2 mm).", 2.0, 2, Lobe.left),
    ],
)
def test_pas_is_posterior_acoustic_shadowing(
    text: str, size: float, segment: int | None, lobe: Lobe
) -> None:
    f = _one(text)
    assert (f.size_mm, f.location.segment, f.location.lobe) == (size, segment, lobe)


@pytest.mark.parametrize(
    "text",
    [
        "Liver: echogenic focus without PAS in segment 5.",
        "Liver: echogenic focus, no PAS, segment 5.",
        "Liver: echogenic focus in segment 5. Pas de calcul.",
    ],
)
def test_no_pas_or_another_pas_is_no_shadowing(text: str) -> None:
    assert extract_findings(text) == []


@pytest.mark.parametrize(
    ("text", "segment"),
    [
        ("Hepatic segement 7 calcificaton measuring 5mm is again noted.", 7),
        ("A punctate calcification is present in hepatic segement 3.", 3),
        ("Liver: calcified granuloma, segement VI, 4 mm.", 6),
    ],
)
def test_segement_is_a_segment(text: str, segment: int) -> None:
    f = _one(text)
    assert f.location.segment == segment
    assert f.count == 1


def test_segement_number_is_no_count_or_size() -> None:
    f = _one("Liver: segement 4 calcification, 3 mm.")
    assert (f.count, f.size_mm, f.location.segment) == (1, 3.0, 4)


@pytest.mark.parametrize(
    "text",
    [
        "CT A/P\nmesenteric LN w granulomatous calcification (old TB)\nliver/spleen nml",
        "CT abdomen\ncalcified LNs at the porta hepatis, liver normal",
    ],
)
def test_calcified_nodes_with_a_normal_liver_are_not_liver(text: str) -> None:
    assert extract_findings(text) == []
