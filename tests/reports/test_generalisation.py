"""General reading rules, each pinned by at least two sentences in different phrasings.

These sentences were written for the rules (not copied from any corpus report), so a
rule that only memorised one corpus sentence fails here. Each case states the whole
expected reading of the text in a compact form, or that nothing is a liver finding.
"""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.reports import extract_findings, read_report
from hepcalc.reports.sizes import find_sizes

from .summaries import summary


def _summary(text: str) -> list[dict[str, Any]]:
    """The findings as plain dicts of the fields these tests look at (None fields dropped)."""
    return summary(text)


def _has(text: str, **want: Any) -> list[dict[str, Any]]:
    found = _summary(text)
    assert len(found) == 1, found
    for k, v in want.items():
        assert found[0].get(k) == v, (k, found)
    return found


# --- another organ named as a landmark, or as the organ the finding really is in ---
@pytest.mark.parametrize(
    "text",
    [
        "A calcified mass measuring 4 cm arises from the right adrenal and displaces the liver.",
        "Coarse calcification in the abdominal wall, adjacent to the liver.",
        "A densely calcified left renal mass indents the liver.",
        "ABDOMINAL WALL: 2 cm calcified seroma.\nIMPRESSION: Calcified seroma.",
        "RECTUS SHEATH: old calcified haematoma, 3 cm.",
        "The hepatic calcification described on ultrasound is actually in the right kidney.",
        "Linear calcification medial to the liver, within the wall of the IVC.",
        "Calcified plaque at the origin of the celiac trunk.",
        "An 11 mm calcified stone lies in the gallbladder neck.",
        "Costochondral calcification projects over the right lobe.",
    ],
)
def test_landmark_organs_and_other_structures_are_not_the_liver(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        ("Calcified granuloma in segment 5 next to the gallbladder fossa.", 5),
        ("A 4 mm calcification in segment 7, close to the right kidney.", 7),
        ("Punctate calcification abutting the IVC in segment 1.", 1),
    ],
)
def test_a_landmark_does_not_move_a_liver_finding(text: str, seg: int) -> None:
    _has(text, seg=seg)


# --- organ sizes are not lesion sizes ---
@pytest.mark.parametrize(
    "text",
    [
        "Liver 16cm, punctate calcification R lobe.",
        "The liver measures 18.5 cm in craniocaudal length. A calcified granuloma is seen.",
        "Hepatic span of 17 cm. Calcified focus in the right lobe.",
        "Liver: 15.5 cm span, with a tiny calcification.",
    ],
)
def test_organ_size_is_not_the_calcification_size(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "size" not in found[0], found


def test_a_lesion_size_near_an_organ_word_is_kept() -> None:
    _has("Calcification in the liver measuring 5 mm.", size=5.0)
    _has("A calcified hepatic mass of 7 cm in segment 6.", size=70.0, kind="lesion")


# --- counts are not segment numbers, weeks or doses ---
@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Fetal survey at 28 weeks: echogenic focus in the fetal liver.", 1),
        ("At 32 wks, two echogenic foci are seen in the fetal liver.", 2),
        ("Liver -- 3 x calcified granulomas, L lobe.", 3),
        ("Calcified granulomas x4 in the right lobe.", 4),
        ("Calcification in segment 6.", 1),
    ],
)
def test_counts(text: str, count: int) -> None:
    _has(text, count=count)


# --- ordinal / anaphoric mentions ---
@pytest.mark.parametrize(
    "text",
    [
        "Calcified focus of 6 mm in segment 8, and a second one of 2 mm in segment 3.",
        "Calcification in segment 6 (4 mm). Another, 2 mm, is in segment 2.",
        "A 5 mm calcified granuloma in segment 7; a further one measuring 3 mm in segment 4.",
    ],
)
def test_a_second_one_is_a_second_finding(text: str) -> None:
    found = _summary(text)
    assert len(found) == 2, found
    assert {f["seg"] for f in found} == {f["seg"] for f in found} and len(
        {f["seg"] for f in found}
    ) == 2
    assert all(f["count"] == 1 and "size" in f for f in found), found


@pytest.mark.parametrize(
    ("text", "size", "assoc"),
    [
        (
            "Liver: 3.1 cm echogenic lesion seg 6, typical of haemangioma; small calc within it.",
            31.0,
            "hemangioma",
        ),
        (
            "A 2.7 cm hemangioma in segment 8 with nodular enhancement and central calcification.",
            27.0,
            "hemangioma",
        ),
        (
            "A 4 cm mass in segment 5 with peripheral enhancement and a thin rim of calcification.",
            40.0,
            "solid_mass",
        ),
    ],
)
def test_calcification_inside_the_lesion_of_an_earlier_clause_is_that_lesion(
    text: str, size: float, assoc: str
) -> None:
    _has(text, kind="lesion", size=size, assoc=assoc)


@pytest.mark.parametrize(
    "text",
    [
        "A 2.2 cm hypodense lesion in segment 3. Beside it there is a 3 mm calcification.",
        "Segment 3 contains a 2.2 cm cyst. Adjacent to the cyst, a 3 mm calcification.",
    ],
)
def test_a_calcification_beside_a_lesion_keeps_its_own_size_and_takes_its_place(text: str) -> None:
    _has(text, kind="calcification", size=3.0, seg=3)


@pytest.mark.parametrize(
    "text",
    [
        "A 2.8 cm simple cyst in segment 3 has an adjacent 3 mm coarse calcification.",
        "Liver: 25 mm cyst in segment 3 with a neighbouring 3 mm calcified focus.",
        "Segment 3 holds a 2.5 cm haemangioma and a separate 3 mm calcification.",
    ],
)
def test_an_adjacent_calcification_in_the_lesion_clause_keeps_its_own_size(text: str) -> None:
    _has(text, kind="calcification", size=3.0, seg=3)


def test_a_calcification_in_the_cyst_wall_is_still_the_cyst() -> None:
    _has("A 2.8 cm cyst in segment 3 with a 3 mm calcification in its wall.", kind="cyst")


@pytest.mark.parametrize(
    "text",
    [
        "There is a 4 mm calcified focus in segment 6, and a separate 1.5 cm simple cyst in"
        " segment 3.",
        "Liver: calcification of 4 mm in segment 6; another lesion, a 2 cm hemangioma, in"
        " segment 3.",
        "A 4 mm calcified granuloma in segment 6. A second, non-calcified cyst of 9 mm lies in"
        " segment 3.",
    ],
)
def test_a_further_lesion_of_another_nature_is_not_a_further_calcification(text: str) -> None:
    _has(text, kind="calcification", size=4.0, seg=6)


def test_prior_size_and_comparison_carry_over_to_within_it() -> None:
    _has(
        "LIVER: Segment 2 metastasis measures 3.0 cm (previously 2.4 cm). Foci of calcification"
        " within it.",
        kind="lesion",
        size=30.0,
        prior=24.0,
        comp="increased",
    )


# --- non-lesion structures and reinterpretations ---
@pytest.mark.parametrize(
    "text",
    [
        "Hyperdense foci along the hepatic resection margin are surgical staples.",
        "High-attenuation focus in segment 6 is post-procedural, from the ablation.",
        "Dense foci in segment 8 represent coils from the prior embolisation.",
        "Bright echogenic foci with shadowing along the ducts, consistent with biliary air.",
    ],
)
def test_non_calcium_structures_are_not_findings(text: str) -> None:
    assert _summary(text) == []


# --- negation, resolution, history, hypotheticals ---
@pytest.mark.parametrize(
    "text",
    [
        "Liver: nil calcification, nil focal lesion.",
        "Hepatic parenchyma: no sign of calcification.",
        "The calcific focus in segment 6 seen in 2021 is not redemonstrated.",
        "Previously noted segment 2 calcification is not re-identified.",
        "Follow-up of previously detected liver calcification. The liver is now normal.",
        "Ultrasound requested for the prior noted hepatic calcification; liver normal today.",
        "His sister had calcified liver cysts.",
        "Non-contrast CT would better show calcification if clinically indicated.",
        "Hepatic calcification, if present, could be confirmed on CT if needed.",
    ],
)
def test_negated_resolved_historical_and_hypothetical(text: str) -> None:
    assert _summary(text) == []


def test_a_current_cue_elsewhere_in_the_sentence_keeps_a_historical_mention_current() -> None:
    _has(
        "An outside CT showed a calcified granuloma in segment 4; it persists, measuring 5 mm.",
        size=5.0,
    )
    _has(
        "Prior ultrasound demonstrated a calcification in segment 8, and it is still present.",
        seg=8,
    )


# --- sizes: priors in many shapes, bounds, comparisons that are not comparisons ---
@pytest.mark.parametrize(
    ("text", "size", "prior", "comp"),
    [
        (
            "Segment 7 calcification measures 9 mm compared to 6 mm on the 2022 CT.",
            9.0,
            6.0,
            "increased",
        ),
        ("Segment 7 calcification measures 9 mm; in 2022 it measured 9 mm.", 9.0, 9.0, "stable"),
        (
            "Segment 7 calcification now 9 mm; on the previous study it measured 11 mm.",
            9.0,
            11.0,
            "decreased",
        ),
    ],
)
def test_prior_sizes(text: str, size: float, prior: float, comp: str) -> None:
    _has(text, size=size, prior=prior, comp=comp)


@pytest.mark.parametrize(
    "text",
    [
        "Punctate hepatic calcifications, none bigger than 3 mm.",
        "Several calcified granulomas in the liver, all smaller than 4 mm.",
    ],
)
def test_larger_than_bounds_a_size_it_is_not_growth(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "comp" not in found[0], found


def test_slightly_larger_at_is_growth_not_several() -> None:
    _has("Segment 3 calcification is slightly larger at 6 mm.", count=1, comp="increased")


def test_organ_size_filter_is_in_the_size_reader() -> None:
    text = "Liver span 15.5 cm; calcification 4 mm."
    assert [z.mm for z in find_sizes(text, 0, len(text))] == [4.0]


# --- pattern for a calcification inside a lesion: where it sits ---
def test_a_lesion_calcification_pattern_prefers_its_place() -> None:
    _has("A 4 cm mass in segment 6 with central coarse calcification.", pattern="central")
    _has("Coarse calcification in segment 6.", pattern="coarse")


# --- fetal liver echogenic foci ---
@pytest.mark.parametrize(
    "text",
    [
        "OBSTETRIC US\nFETAL ABDOMEN: hepatic echogenic focus, 2 mm.",
        "There is an echogenic focus in the liver of the fetus.",
    ],
)
def test_fetal_liver_echogenic_focus_is_a_calcification(text: str) -> None:
    assert len(_summary(text)) == 1


@pytest.mark.parametrize(
    ("text", "size"),
    [
        # an obstetric scan that never says "fetal": gestational age, EFW
        ("28 weeks: hepatic echogenic focus, 3 mm, unchanged. EFW 1200 g.", 3.0),
        ("GA 30 weeks. Single echogenic focus within the liver measuring 2 mm.", 2.0),
        ("Antenatal scan: a 2 mm echogenic focus is seen in the liver.", 2.0),
        # "hyperechogenic", and a caption with labelled organs
        ("Figure 3: transverse image of the foetal abdomen showing a 4-mm hyperechogenic focus"
         " in the liver (arrowhead); bladder (B) is labelled.", 4.0),
    ],
)  # fmt: skip
def test_fetal_liver_focus_from_obstetric_cues(text: str, size: float) -> None:
    _has(text, kind="calcification", size=size, count=1)


@pytest.mark.parametrize(
    "text",
    [
        # an adult liver: a week count is no gestational age, a bare echogenic focus no calc
        "Follow-up at 6 weeks. Echogenic focus in the liver without shadowing, 6 mm.",
        "Liver: 8 mm hyperechogenic focus, no posterior shadowing; review in 12 weeks.",
        # a fetal cardiac focus beside a liver word
        "32 weeks: echogenic intracardiac focus; the liver and stomach are normal. EFW 1900 g.",
    ],
)
def test_obstetric_cues_do_not_make_an_adult_or_cardiac_focus_a_liver_finding(text: str) -> None:
    assert _summary(text) == []


def test_fetal_heart_focus_is_not_a_liver_finding() -> None:
    assert _summary("Fetal heart: echogenic intracardiac focus. Fetal liver normal.") == []


def test_an_adult_echogenic_focus_without_shadowing_is_not_a_target() -> None:
    assert _summary("Liver: small echogenic focus in segment 6, no shadowing.") == []


def test_moved_out_of_the_liver_is_reported_as_other_organ() -> None:
    reading = read_report("The liver calcification is in fact within the right kidney.")
    assert reading.findings == []
    assert [e.reason for e in reading.excluded] == ["other_organ"]


# --- lists: sizes paired with places in reading order; one lesion across two segments ---
@pytest.mark.parametrize(
    "text",
    [
        "Liver: calcified foci in segment 2 (3 mm) and segment 6 (5 mm).",
        "Calcifications: seg 2, 3 mm; seg 6, 5 mm.",
        "Calcified granulomas measuring 3 mm in segment 2 and 5 mm in segment 6.",
    ],
)
def test_sizes_pair_with_places_in_order(text: str) -> None:
    found = sorted(_summary(text), key=lambda f: f["seg"])
    assert [(f["seg"], f["size"]) for f in found] == [(2, 3.0), (6, 5.0)], found


@pytest.mark.parametrize(
    ("text", "lobe"),
    [
        ("A 7 cm calcified mass spanning segments 5 and 6.", "right"),
        ("Calcified lesion, 4 cm, involving segments 3 and 4.", "left"),
        ("Densely calcified mass in segments 2 and 3 of the left lobe, 5 cm.", "left"),
    ],
)
def test_one_lesion_over_two_segments_keeps_only_its_lobe(text: str, lobe: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "seg" not in found[0] and found[0]["lobe"] == lobe, found


def test_a_number_after_a_segment_with_a_unit_is_a_size_not_a_second_segment() -> None:
    _has("Calcified granulomas in segment 6, 5 mm.", seg=6, size=5.0)
    _has("Calcified granuloma, segment eight, 4 mm.", seg=8, size=4.0)


# --- a bare number counts only the noun phrase it opens ---
@pytest.mark.parametrize(
    "text",
    [
        "A 6 mm dark focus in segment 7 with blooming on gradient echo, likely calcification.",
        "Lesion in segment 8 that on image 4 shows shadowing; probably a calcification.",
    ],
)
def test_a_distant_number_is_not_a_count(text: str) -> None:
    assert _has(text)[0]["count"] == 1


def test_a_copular_place_after_the_target_moves_it() -> None:
    assert _summary("On review the liver calcification lies within the right adrenal.") == []
    _has("The hepatic calcification is within the caudate lobe.", lobe="caudate")


# --- more negation, resolution, history and question shapes ---
@pytest.mark.parametrize(
    "text",
    [
        "Hepatic calcifications: absent.",
        "Liver calcification - nil.",
        "The calcific focus reported in segment 4 cannot be identified today.",
        "No longer visualised: the segment 8 calcification.",
        "Clinical question: liver calcification?",
        "REQUEST: ?calcified liver granuloma.",
        "Query hepatic calcification on the plain film.",
        "The GP asks whether the hepatic calcification is significant.",
        "Please evaluate calcification in the liver reported on an outside CT.",
        "Hepatic calcification seen on the outside ultrasound; the liver is normal today.",
        "On the previous CT there was a calcified focus in segment 3. Today the liver is normal.",
        "Comparison with the prior MRI showing hepatic calcification.",
        "Periventricular calcifications on the neonatal head ultrasound.",
    ],
)
def test_questions_requests_and_earlier_exams_are_not_current_findings(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Several hepatic calcifications, none larger than 3 mm.",
        "Calcified focus in segment 2, seen on the prior CT and unchanged.",
        "Hepatic cyst measuring 2 cm with rim calcification seen on the outside CT.",
    ],
)
def test_bounds_and_still_present_priors_stay_findings(text: str) -> None:
    assert len(_summary(text)) == 1


# --- priors said in the next sentence, increments, months ---
@pytest.mark.parametrize(
    ("text", "size", "prior"),
    [
        (
            "Calcified focus in segment 2 measures 6 mm. On the previous MRI it measured 4 mm.",
            6.0,
            4.0,
        ),
        ("Calcified focus in segment 2 measures 6 mm. It was 4 mm in 2020.", 6.0, 4.0),
        ("Segment 2 calcification: 6 mm now, 4 mm in March.", 6.0, 4.0),
        ("Segment 2 calcification grew by 2 mm and now measures 6 mm.", 6.0, None),
        ("Segment 2 calcification is larger at 6 mm than the 4 mm seen before.", 6.0, 4.0),
    ],
)
def test_prior_sizes_in_more_shapes(text: str, size: float, prior: float | None) -> None:
    found = _has(text, size=size, comp="increased")
    assert found[0].get("prior") == prior, found


# --- counts of groups and lists ---
def test_a_group_count_survives_a_further_one() -> None:
    found = _summary("Two calcified granulomas in segment 6 and one in segment 7.")
    assert sorted((f["seg"], f["count"]) for f in found) == [(6, 2), (7, 1)], found
    found = _summary("Three punctate calcifications in segment 8 and another in segment 2.")
    assert sorted((f["seg"], f["count"]) for f in found) == [(2, 1), (8, 3)], found


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Calcified granulomata (n=3) in the right lobe.", 3),
        ("Calcified foci (n = 2) in the left lobe.", 2),
        ("Calcific foci in the right lobe.", "multiple"),
        ("Calcified hepatic lesions in the right lobe.", "multiple"),
        ("Calcified focus in the right lobe.", 1),
    ],
)
def test_counts_from_n_equals_and_the_plural_noun(text: str, count: int | str) -> None:
    assert _has(text)[0]["count"] == count


@pytest.mark.parametrize(
    ("text", "segs"),
    [
        ("There are calcifications in segments 5, 6 and 7.", [5, 6, 7]),
        ("Calcified granulomas, segments 2, 3, and 8.", [2, 3, 8]),
    ],
)
def test_a_segment_list_gives_one_finding_per_segment(text: str, segs: list[int]) -> None:
    assert sorted(f["seg"] for f in _summary(text)) == segs


def test_a_segment_number_in_a_list_is_not_a_size() -> None:
    found = _summary("Two calcified masses in segments 6 and 7, 2 cm and 3 cm.")
    assert sorted(f["size"] for f in found) == [20.0, 30.0], found


# --- host lesion vocabulary ---
@pytest.mark.parametrize(
    "text",
    [
        "Densely calcified hydatid in segment 7, 6 cm.",
        "Calcified echinococcal lesion in segment 7 measuring 6 cm.",
    ],
)
def test_hydatid_words_make_a_complex_cyst(text: str) -> None:
    _has(text, kind="cyst", assoc="complex_cyst", size=60.0)


def test_daughter_cysts_do_not_make_the_host_plural() -> None:
    _has("Segment 7 cyst, 6 cm, with a calcified wall and daughter cysts.", count=1, kind="cyst")


@pytest.mark.parametrize(
    "text",
    [
        "A calcification in segment 3, with no mass lesion.",
        "Punctate calcification in segment 3 without a mass.",
    ],
)
def test_no_mass_stated_is_associated_none(text: str) -> None:
    _has(text, kind="calcification", assoc="none")


def test_a_calcified_haematoma_is_a_lesion_and_an_abscess_is_singular() -> None:
    _has("Old calcified haematoma in segment 6 measuring 4 cm.", kind="lesion", size=40.0)
    _has("Coarse calcification at the site of a healed abscess in segment 8.", count=1)


# --- telegraphic abbreviations ---
@pytest.mark.parametrize(
    ("text", "seg"),
    [
        ("Liv: calc granuloma S4b 3mm (unchg). Spl: nml.", 4),
        ("LIVER: 6mm calc SVII, prev 5mm.", 7),
        ("HEP: calcified focus seg VI, 2 mm.", 6),
    ],
)
def test_telegraphic_headers_and_segment_labels(text: str, seg: int) -> None:
    _has(text, seg=seg)


def test_ampersand_joins_segments() -> None:
    found = _summary("HEP: 2x calc foci seg 6 & 7 (3, 4 mm).")
    assert sorted((f["seg"], f["size"]) for f in found) == [(6, 3.0), (7, 4.0)], found


def test_spl_header_is_the_spleen() -> None:
    assert _summary("Liv: nml.\nSpl: calcified granuloma 3mm.") == []


# --- structures around the liver that are not the liver ---
@pytest.mark.parametrize(
    "text",
    [
        "US LIVER. Coarse calcification at the porta hepatis.",
        "CT LIVER. Calcification in the hepatic hilum, probably nodal.",
        "US RUQ. A 4 mm calcification in Morison's pouch.",
        "CT LIVER. Calcification of the falciform ligament.",
        "CT LIVER. Calcified plaque along the right hemidiaphragm.",
        "CT LIVER. Subphrenic calcification on the right.",
    ],
)
def test_perihepatic_structures_are_not_the_liver(text: str) -> None:
    assert _summary(text) == []


def test_a_liver_finding_near_a_ligament_stays_in_the_liver() -> None:
    _has("Calcified granuloma in segment 3 near the falciform ligament.", seg=3)


@pytest.mark.parametrize(
    "text",
    [
        "No abnormality other than a calcified granuloma in segment 6.",
        "No hepatic lesion besides a 3 mm calcification in segment 7.",
        "No focal abnormality save for a punctate calcification in segment 2.",
    ],
)
def test_negation_stops_at_other_than_besides_save_for(text: str) -> None:
    assert len(_summary(text)) == 1


@pytest.mark.parametrize(
    "text",
    [
        "Liver: echogenic, shadowing focus in segment 6, 4 mm.",
        "Liver: 5 mm echogenic spot with posterior acoustic shadowing in segment 3.",
    ],
)
def test_echogenic_spot_or_comma_separated_focus_with_shadowing(text: str) -> None:
    assert len(_summary(text)) == 1


def test_echogenic_area_without_shadowing_is_not_a_calcification() -> None:
    assert _summary("Liver: small echogenic area in segment 5 without shadowing.") == []


# --- size shapes ---
@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("CT: Calcification in segment 6, 3-4 mm.", 4.0),
        ("CT: Calcified focus in segment 2, 2 to 3 mm.", 3.0),
        ("CT: Calcification in segment 6, 0,3 cm.", 3.0),
        ("CT: Calcification in segment 6 measuring .4 cm.", 4.0),
        ("US: calcified focus in segment 6 of three millimetres.", 3.0),
    ],
)
def test_size_shapes_after_a_segment(text: str, size: float) -> None:
    """The size is read and the segment is kept (a range after "segment 6," is no segment)."""
    _has(text, size=size, seg=int(text.split("segment ")[1][0]))


@pytest.mark.parametrize(
    "text",
    [
        "A 5 mm echogenic focus with shadowing in segment 6; this is a calcified granuloma.",
        "Hyperdense focus in segment 7, 3 mm; findings compatible with calcification.",
        "A 4 mm calcification in segment 2, and it likely represents a calcified granuloma.",
    ],
)
def test_a_clause_that_names_the_finding_again_is_the_same_finding(text: str) -> None:
    assert len(_summary(text)) == 1


def test_one_in_segment_is_one_even_before_a_plural_redescription() -> None:
    found = _summary(
        "Two echogenic, shadowing foci in segment VI and one in segment VIII, in keeping with"
        " calcified granulomata."
    )
    assert sorted((f["seg"], f["count"]) for f in found) == [(6, 2), (8, 1)], found


@pytest.mark.parametrize(
    "text",
    [
        "Liv: 2 calcs, S3 & S5, 2mm each. Spl nml.",
        "Calcified granulomas in segments 3 and 5, each 2 mm.",
    ],
)
def test_a_size_said_of_each_goes_to_every_segment(text: str) -> None:
    found = _summary(text)
    assert sorted((f["seg"], f.get("size")) for f in found) == [(3, 2.0), (5, 2.0)], found


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # "each" before the finding deals one (of that size and count) to every place
        (
            "Segments 4 and 6 each contain a 2 mm calcified granuloma.",
            [(4, None, 2.0, 1), (6, None, 2.0, 1)],
        ),
        (
            "Segments 6 and 7 each harbour a punctate calcification.",
            [(6, None, None, 1), (7, None, None, 1)],
        ),
        (
            "There is a 5 mm calcification in each of segments 2 and 8.",
            [(2, None, 5.0, 1), (8, None, 5.0, 1)],
        ),
        (
            "The right and left lobes each contain a 4 mm calcified granuloma.",
            [(None, "right", 4.0, 1), (None, "left", 4.0, 1)],
        ),
        (
            "Segments 2 and 3 each contain two calcified granulomas.",
            [(2, None, None, 2), (3, None, None, 2)],
        ),
    ],
)
def test_each_deals_one_finding_to_every_place(
    text: str, want: list[tuple[int | None, str | None, float | None, int]]
) -> None:
    found = _summary(text)
    got = [
        (f.get("seg"), None if "seg" in f else f.get("lobe"), f.get("size"), f["count"])
        for f in found
    ]
    assert got == want, found


@pytest.mark.parametrize(
    "text",
    [
        # near misses: one lesion over the places, or "each" of something else
        "A 3 cm calcified mass spanning segments 7 and 8, each margin lobulated.",
        "Calcified lesion straddling segments 5 and 6; each phase shows no enhancement.",
    ],
)
def test_each_does_not_split_one_lesion_over_joined_segments(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1 and "seg" not in found[0], found


def test_each_after_a_counted_group_still_gives_ones() -> None:
    found = _summary("Two calcified granulomas, one in each of segments 3 and 5.")
    assert sorted((f["seg"], f["count"]) for f in found) == [(3, 1), (5, 1)], found


@pytest.mark.parametrize(
    ("text", "size", "prior"),
    [
        ("Calcification in segment 6 measures 6 mm (previously 4).", 6.0, 4.0),
        ("Calcification in segment 6, 6 mm, up from 4.", 6.0, 4.0),
        ("Calcified lesion in segment 6 measures 2.1 cm (previously 1.8).", 21.0, 18.0),
        ("Calcification in segment 6: previous size 4 mm, now 6 mm.", 6.0, 4.0),
        ("Calcification in segment 6 measures 6 mm; baseline 4 mm.", 6.0, 4.0),
    ],
)
def test_unitless_and_labelled_priors(text: str, size: float, prior: float) -> None:
    _has(text, size=size, prior=prior, comp="increased")


def test_a_bare_number_that_is_not_a_prior_is_ignored() -> None:
    found = _has("Liver: calcification 6 mm from 2 sites in segment 6.", size=6.0)
    assert "prior" not in found[0]


# --- not a current finding: questioned elsewhere, resected, projection refuted, a comment
# restating the finding with a differential --------------------------------------------
@pytest.mark.parametrize(
    "text",
    [
        "A calcified granuloma was questioned on the prior CT; today the liver is normal and"
        " no calcification is seen.",
        "Liver: hepatic calcification suggested on the outside MRI. Not seen on this ultrasound.",
        "Calcified echinococcal cyst of segment 7 was resected in 2018; the bed shows fat only.",
        "LIVER: The calcified granuloma in segment 2 has been removed surgically.",
        "Radiograph: several calcific densities project over the liver. Ultrasound today: the"
        " gallbladder contains numerous stones, the largest 9 mm.",
    ],
)
def test_questioned_resected_and_refuted_mentions_are_not_findings(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "Liver: a 9 mm calcified lesion in segment 3, unchanged. Comment: stable calcified"
            " hepatic lesion, probably an old granuloma or a burnt-out hydatid cyst.",
            "lesion",
        ),
        (
            "Liver: 2 cm calcified lesion in the right lobe. Impression: calcified lesion,"
            " hemangioma versus treated metastasis.",
            "lesion",
        ),
    ],
)
def test_a_differential_does_not_give_the_lesion_a_nature(text: str, kind: str) -> None:
    found = _summary(text)
    assert len(found) == 1, found
    assert found[0]["kind"] == kind
    assert "assoc" not in found[0]


def test_a_single_nature_still_characterises_the_lesion() -> None:
    found = _summary("Liver: 3 cm lesion in segment 6 with a central calcification, likely a"
                     " hemangioma.")  # fmt: skip
    assert [f.get("assoc") for f in found] == ["hemangioma"]


# --- MRI wording: an interpretation after a negated sign, signs tied to CT, lobes
# throughout, bounds in the next clause, a lesion placed by the next sentence ----------
@pytest.mark.parametrize(
    "text",
    [
        "MRI liver: 9 mm lesion in segment 4 that does not enhance, presumably a calcified"
        " granuloma.",
        "MRI: a 9 mm focus in segment 4 without enhancement, possibly a calcified granuloma.",
        "MRI: 9 mm segment 4 lesion, no restricted diffusion, thought to be a calcified granuloma.",
    ],
)
def test_an_interpretation_after_a_negated_sign_is_not_negated(text: str) -> None:
    found = extract_findings(text)
    assert len(found) == 1, found
    f = found[0]
    assert (f.kind.value, f.size_mm, f.location.segment) == ("calcification", 9.0, 4)
    assert f.evidence.hedged is True


@pytest.mark.parametrize(
    "text",
    [
        "MRI liver: no enhancing lesion and no calcification.",
        "MRI liver: the segment 4 focus does not enhance and is not a calcified granuloma.",
    ],
)
def test_a_negation_without_an_interpretation_still_negates(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "MRI liver: T1 hypointense 5 mm focus in segment 6 without enhancement, corresponding"
        " to a calcification on the prior CT; unchanged.",
        "MRI liver: a 5 mm signal void in segment 6 matches the calcification seen on CT; stable.",
        "Liver MRI: 5 mm focus of signal loss in segment 6, corresponding to calcification on"
        " the outside CT. Unchanged.",
    ],
)
def test_an_mri_sign_tied_to_a_ct_calcification_is_current_and_not_hedged(text: str) -> None:
    found = extract_findings(text)
    assert len(found) == 1, found
    f = found[0]
    assert (f.size_mm, f.location.segment, f.comparison.value if f.comparison else None) == (
        5.0,
        6,
        "stable",
    )
    assert f.evidence.hedged is False


def test_a_signal_void_not_tied_to_ct_stays_hedged() -> None:
    found = extract_findings("MRI liver: 5 mm signal void in segment 6, likely calcification.")
    assert [f.evidence.hedged for f in found] == [True]


@pytest.mark.parametrize(
    "text",
    [
        "Liver: tiny calcified granulomas scattered throughout the right, left and caudate"
        " lobes; none exceeds 3 mm.",
        "Liver: punctate calcifications across both the right and left lobes; the largest is 3 mm.",
        "Liver: innumerable calcific foci throughout the right and left lobes. None larger"
        " than 3 mm.",
    ],
)
def test_calcifications_throughout_the_lobes_are_one_group_with_its_bound(text: str) -> None:
    _has(text, count="multiple", size=3.0)
    assert "lobe" not in _summary(text)[0]


def test_a_lobe_list_without_throughout_still_gives_one_finding_per_lobe() -> None:
    found = _summary("Liver: calcified granulomas in the right and left lobes.")
    assert sorted(f["lobe"] for f in found) == ["left", "right"]


@pytest.mark.parametrize(
    "text",
    [
        "Teaching case: a central 7 mm calcification was seen on CT. The lesion occupied"
        " segments 5 and 8.",
        "Coarse 7 mm calcification centrally. The mass involves segments 5 and 8.",
    ],
)
def test_the_next_sentence_placing_the_lesion_in_liver_segments_gives_the_organ(
    text: str,
) -> None:
    found = _summary(text)
    assert len(found) == 1, found
    assert found[0]["size"] == 7.0


def test_the_next_sentence_placing_the_lesion_in_another_organ_does_not() -> None:
    text = "A central 7 mm calcification. The mass involves the pancreatic tail."
    assert _summary(text) == []


# --- a lobe list paired with as many sizes, in order -------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Liver: calcified foci in the left and right lobes, 4 mm and 9 mm respectively.",
            [("left", 4.0), ("right", 9.0)],
        ),
        (
            "Granulomas are calcified in the caudate and left lobes (3 and 5 mm).",
            [("caudate", 3.0), ("left", 5.0)],
        ),
        (
            "Hepatic calcifications: right lobe and caudate lobe, measuring 1.1 cm and 0.4 cm.",
            [("right", 11.0), ("caudate", 4.0)],
        ),
        (
            "Calcified granulomas of the right, left and caudate lobes measure 2, 6 and 3 mm.",
            [("right", 2.0), ("left", 6.0), ("caudate", 3.0)],
        ),
    ],
)
def test_a_lobe_list_pairs_its_sizes_in_order(text: str, want: list[tuple[str, float]]) -> None:
    found = _summary(text)
    assert [(f.get("lobe"), f.get("size")) for f in found] == want, found


@pytest.mark.parametrize(
    "text",
    [
        # one bound for the whole group: not a size per lobe
        "Liver: calcified granulomas in the right and left lobes, the largest 6 mm.",
        # three sizes over two lobes: no order to pair them by
        "Liver: calcifications in the right and left lobes measuring 6 mm, 3 mm and 2 mm.",
    ],
)
def test_a_lobe_list_with_another_number_of_sizes_pairs_nothing(text: str) -> None:
    found = _summary(text)
    assert not any("lobe" in f for f in found) or len(found) == 1, found
    assert len({f.get("lobe") for f in found}) <= 1, found


# --- segment lists of labels; the member after "and" closes the list ----------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Calcified granulomas S3/S6/S7, respectively 4, 2 and 6 mm.",
            [(3, 4.0), (6, 2.0), (7, 6.0)],
        ),
        ("Calc foci in S4, S6 and S8, 2, 7 and 3 mm respectively.", [(4, 2.0), (6, 7.0), (8, 3.0)]),
        ("Liver: granulomas S2/S7, 5 and 3 mm.", [(2, 5.0), (7, 3.0)]),
        (
            "Liver: calcifications in segments 2, 6 and 7, 4, 3 and 5 mm respectively.",
            [(2, 4.0), (6, 3.0), (7, 5.0)],
        ),
    ],
)
def test_a_segment_label_list_pairs_its_sizes(text: str, want: list[tuple[int, float]]) -> None:
    found = _summary(text)
    assert [(f.get("seg"), f.get("size")) for f in found] == want, found


@pytest.mark.parametrize(
    "text",
    [
        "Sacral calcification at S1/S2, 5 mm.",
        "Degenerative calcification of the disc at S1/S2 and L5/S1.",
    ],
)
def test_a_sacral_level_slash_list_is_not_a_liver_place(text: str) -> None:
    assert _summary(text) == []


# --- the primary site of a metastasis is not its place -----------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "Calcified metastases from ovarian cancer in segments 6 and 7, 2.1 and 1.4 cm.",
        "Two calcified deposits from the known colonic carcinoma, 12 and 15 mm, in the liver.",
        "Segment 3 holds a calcified metastasis of pancreatic origin, 2.4 cm.",
    ],
)
def test_the_primary_site_of_a_metastasis_does_not_take_it_out_of_the_liver(text: str) -> None:
    found = _summary(text)
    assert found and all(f["kind"] == "lesion" for f in found), found


@pytest.mark.parametrize(
    "text",
    [
        "Pancreatic carcinoma with coarse calcification in the head.",
        "Ovarian tumour with calcified septa.",
    ],
)
def test_a_calcified_primary_tumour_stays_in_its_organ(text: str) -> None:
    assert _summary(text) == []


# --- hemiliver is the liver, and its side a lobe; "segmnet" is a segment ------------------


@pytest.mark.parametrize(
    ("text", "lobe"),
    [
        ("Left hemiliver: one calcified granuloma, 3 mm.", "left"),
        ("A 6 mm calcification in the right hemi-liver.", "right"),
        ("Calcified granulomas (2 and 5 mm) in the right hemiliver.", "right"),
    ],
)
def test_a_hemiliver_is_a_lobe_of_the_liver(text: str, lobe: str) -> None:
    found = _summary(text)
    assert found and all(f.get("lobe") == lobe for f in found), found


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        ("Hepatic calcification in segmnet 6, 3 mm.", 6),
        ("Liver: calcified granuloma, segmnets 2, 4 mm.", 2),
    ],
)
def test_the_typo_segmnet_is_a_segment(text: str, seg: int) -> None:
    assert _has(text)[0].get("seg") == seg


# --- a key:value record: "Finding:" is a field, and the place field places the finding ----


@pytest.mark.parametrize(
    ("text", "lobe", "seg"),
    [
        ("Organ: Liver\nSegment: 6\nFinding: punctate calcification\nSize: 0,4 cm", "right", 6),
        ("Finding: calcified granuloma\nOrgan: liver\nSite: segment III\nSize: 3 mm", "left", 3),
        (
            "Location: right lobe, posterior section\nLesion: calcified focus\nSize: 7 mm",
            "right",
            None,
        ),
        ("Organ: liver\nFinding: 4 mm calcified granuloma\nLobe: caudate", "caudate", None),
    ],
)
def test_the_place_field_of_a_record_places_its_finding(
    text: str, lobe: str, seg: int | None
) -> None:
    found = _has(text)
    assert (found[0].get("lobe"), found[0].get("seg")) == (lobe, seg), found


def test_a_place_field_of_another_record_does_not_place_the_finding() -> None:
    text = (
        "Organ: liver\nFinding: 4 mm calcified granuloma\n\n"
        "Organ: spleen\nFinding: granuloma\nLocation: upper pole"
    )
    found = _has(text)
    assert "seg" not in found[0] and "lobe" not in found[0], found


def test_a_findings_header_followed_by_prose_is_still_a_header() -> None:
    text = "History: right upper quadrant pain.\nFinding: A 4 mm calcified granuloma in segment 7."
    assert _has(text, size=4.0, seg=7)


# --- reader-e: ranges with "between", restated counts, a numeral before "segment" ---------


@pytest.mark.parametrize(
    ("text", "size", "count", "seg"),
    [
        ("Three calcified granulomas in segment 6, each between 2 and 5 mm.", 5.0, 3, 6),
        ("Calcified granulomas in segment 7 measuring between 0.2 and 0.4 cm.", 4.0, "multiple", 7),
        ("Punctate calcifications between 1 mm and 2 mm lie in segment 2.", 2.0, "multiple", 2),
    ],
)
def test_between_range_is_one_group_with_its_upper_size(
    text: str, size: float, count: object, seg: int
) -> None:
    _has(text, size=size, count=count, seg=seg)


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Calcified granulomas, three in number, are seen in segment 3.", 3),
        ("More calcified granulomas in the left lobe than before, now seven, up to 3 mm.", 7),
        ("Hepatic calcifications (five in total) in the right lobe.", 5),
        ("Calcified granulomas in the right lobe, numbering 4, the largest 3 mm.", 4),
    ],
)
def test_a_count_restated_after_a_plural_noun(text: str, count: int) -> None:
    _has(text, count=count)


@pytest.mark.parametrize(
    "text",
    [
        "Calcified granulomas in segment 6, now 5 mm.",
        "Calcified granulomas in segment 6, now 5 x 4 mm.",
        "Calcified granulomas in segment 6, now 12 mm in total length.",
    ],
)
def test_a_size_after_now_is_no_count(text: str) -> None:
    _has(text, count="multiple")


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        ("In the liver, in the VII segment, one calcification of 5 mm is seen.", 7),
        ("Liver: at the level of the II segment there is a calcified focus, 3 mm.", 2),
        ("A 4 mm calcification is seen in the IV segment of the liver.", 4),
    ],
)
def test_a_roman_numeral_before_segment_places_the_finding(text: str, seg: int) -> None:
    _has(text, seg=seg)


def test_an_ordinal_segment_of_another_organ_is_not_the_liver() -> None:
    assert _summary("Coarse calcification in the 2nd segment of the duodenum wall.") == []


# --- reader-e: the size and change fields of a key:value record ----------------------------


@pytest.mark.parametrize(
    ("text", "size", "comp", "prior"),
    [
        (
            "Finding: calcified granuloma\nOrgan: liver\nSegment: 3\nSize: 0.5 cm",
            5.0,
            None,
            None,
        ),
        (
            "Lesion: calcified nodule\nOrgan: liver\nSite: segment 7\nMeasurements: 9 x 6 mm\n"
            "Change: unchanged (prior 9 mm)",
            9.0,
            "stable",
            9.0,
        ),
        (
            "Finding: calcification\nOrgan: liver\nLobe: left\nDiameter: 4 mm\n"
            "Appearance: coarse\nInterval change: none since 2022 (then 4 mm)",
            4.0,
            "stable",
            4.0,
        ),
    ],
)
def test_the_size_and_change_fields_of_a_record(
    text: str, size: float, comp: str | None, prior: float | None
) -> None:
    _has(text, size=size, comp=comp, prior=prior)


def test_a_size_field_of_another_record_is_not_taken() -> None:
    text = (
        "Organ: liver\nFinding: calcified granuloma\nSegment: 6\n\n"
        "Organ: spleen\nFinding: cyst\nSize: 2 cm"
    )
    found = _has(text, seg=6)
    assert "size" not in found[0], found


# --- reader-e: the place in the next sentence, with a landmark; a lobe refined ---------------


@pytest.mark.parametrize(
    ("text", "lobe", "seg"),
    [
        (
            "A 3 mm calcified focus is noted. It lies in segment 6, close to the gallbladder.",
            "right",
            6,
        ),
        (
            "A 5 mm calcification is seen. It is in segment 2, adjacent to the falciform ligament.",
            "left",
            2,
        ),
        (
            "A 4 mm calcification is seen in the right lobe. It lies in segment 7, near the IVC.",
            "right",
            7,
        ),
        ("A coarse calcification in the left lobe. It is located in segment 3.", "left", 3),
    ],
)
def test_the_next_sentence_places_the_finding_beside_a_landmark(
    text: str, lobe: str, seg: int
) -> None:
    _has(text, lobe=lobe, seg=seg)


@pytest.mark.parametrize(
    "text",
    [
        "A 4 mm calcification is noted. It lies in the right kidney.",
        "A 4 mm calcification is noted. It is adjacent to the spleen.",
    ],
)
def test_a_next_sentence_in_another_organ_does_not_place_in_the_liver(text: str) -> None:
    assert _summary(text) == []


def test_a_segment_of_another_lobe_does_not_refine_the_stated_lobe() -> None:
    _has("A 5 mm calcification in the left lobe. It lies in segment 7.", lobe="left")
    assert "seg" not in _summary("A 5 mm calcification in the left lobe. It lies in segment 7.")[0]


# --- reader-e: a finding its own sentence retracts; a biopsy result; a reason for surgery ----


@pytest.mark.parametrize(
    "text",
    [
        "The calcified focus in segment 6 on the outside CT was a contrast-filled vein on "
        "review; no true calcification.",
        "The echogenic focus in segment 2 represents a vessel seen end-on and does not "
        "represent calcification.",
        "A hyperdense dot in segment 8 turned out to be flash-filling on the delayed phase; "
        "there is no hepatic calcification.",
        "The calcification reported in the left lobe is, on thin sections, beam hardening "
        "artefact rather than calcification.",
    ],
)
def test_a_finding_retracted_in_its_own_sentence_is_no_finding(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    ("text", "seg"),
    [
        # a reinterpretation in another clause belongs to another focus
        (
            "A 4 mm calcification in segment 6 is seen; the dot in segment 2 is a vessel, "
            "not a calcification.",
            6,
        ),
        # a description, not a retraction: no denial of calcification
        ("A 5 mm calcification in segment 7 is adjacent to a vessel; no other mass.", 7),
        ("A 6 mm calcification in segment 4 is beside a vessel; no other calcification.", 4),
    ],
)
def test_a_description_or_another_clause_does_not_retract(text: str, seg: int) -> None:
    _has(text, seg=seg)


@pytest.mark.parametrize(
    "text",
    [
        "Liver biopsy in 2021 showed non-caseating granulomas. The liver is normal today.",
        "Histology of the liver revealed granulomas; no calcification on this study.",
        "Left hepatectomy in 2019 for a calcified hydatid cyst; the right lobe is normal.",
        "Segmentectomy was performed for a calcified metastasis; no recurrence.",
    ],
)
def test_a_biopsy_result_or_the_reason_for_surgery_is_history(text: str) -> None:
    assert _summary(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "After the biopsy, a 3 mm calcified granuloma is seen in segment 6.",
        "Post right hepatectomy. A 4 mm calcification in segment 3 of the remnant.",
    ],
)
def test_a_finding_after_a_biopsy_or_surgery_is_current(text: str) -> None:
    assert len(_summary(text)) == 1


# --- reader-e: one group with one size over joined segments; an organ's size in dictation ---


@pytest.mark.parametrize(
    "text",
    [
        "Punctate calcifications in segments 5 and 6, none over 2 mm.",
        "Several calcified granulomas in segments 2 and 3, the largest 4 mm.",
        "Calcified granulomas are scattered in segments 7 and 8, up to 3 mm.",
    ],
)
def test_one_sized_group_over_joined_segments_keeps_no_place(text: str) -> None:
    # corpus README: "two segments with one group size ... give no place" (reader-g)
    found = _has(text, count="multiple")
    assert "seg" not in found[0] and "lobe" not in found[0], found


def test_unsized_groups_over_two_segments_are_still_one_per_segment() -> None:
    assert [f.get("seg") for f in _summary("Punctate calcifications in segments 5 and 6.")] == [
        5,
        6,
    ]


@pytest.mark.parametrize(
    "text",
    [
        "liver normal in size 15 cm calcified granuloma segment 7 measuring 5 mm spleen 10 cm",
        "Liver enlarged at 18 cm. A calcified granuloma of 5 mm in segment 7.",
    ],
)
def test_the_organ_size_of_a_dictated_report_is_not_the_finding_size(text: str) -> None:
    _has(text, size=5.0, seg=7)


# --- reader-f: a size list closing "X and another in Y"; a joined pair as two places ---


def _size_place(text: str) -> list[tuple[float | None, int | None, str | None]]:
    return [(f.get("size"), f.get("seg"), f.get("lobe")) for f in _summary(text)]


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "There is a calcified granuloma in segment six and another in segment two, 5 and 3"
            " mm respectively.",
            [(5.0, 6, "right"), (3.0, 2, "left")],
        ),
        (
            "A calcification in segment 7 and another in segment 4 measure 6 mm and 2 mm.",
            [(6.0, 7, "right"), (2.0, 4, "left")],
        ),
        (
            "One calcified granuloma lies in the left lobe and another in the right lobe,"
            " measuring 3 and 8 mm respectively.",
            [(3.0, None, "left"), (8.0, None, "right")],
        ),
    ],
)
def test_a_size_list_after_and_another_is_dealt_to_both_members(
    text: str, want: list[tuple[float | None, int | None, str | None]]
) -> None:
    assert _size_place(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # the first member has its own size: the list is the second member's alone
        (
            "A 5 mm calcified granuloma in segment 2 and another in segment 6, up to 3 mm.",
            [(5.0, 2, "left"), (3.0, 6, "right")],
        ),
        # one size only: the second member's
        (
            "A calcification in segment 6 and another in segment 3 measuring 4 mm.",
            [(None, 6, "right"), (4.0, 3, "left")],
        ),
    ],
)
def test_a_size_after_another_stays_its_own_when_not_a_list_for_both(
    text: str, want: list[tuple[float | None, int | None, str | None]]
) -> None:
    assert _size_place(text) == want


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Calcifications in the caudate lobe, segment 3 and segment 8 measure 2, 4 and 6 mm"
            " respectively.",
            [(2.0, None, "caudate"), (4.0, 3, "left"), (6.0, 8, "right")],
        ),
        (
            "Calcified granulomas in the right lobe, segment 2 and segment 4 of 5, 3 and 7 mm"
            " respectively.",
            [(5.0, None, "right"), (3.0, 2, "left"), (7.0, 4, "left")],
        ),
    ],
)
def test_a_mixed_list_of_lobe_and_joined_segments_pairs_each_size(
    text: str, want: list[tuple[float | None, int | None, str | None]]
) -> None:
    assert _size_place(text) == want


# --- reader-f: "appearances favour ..." names the finding before it again ---


@pytest.mark.parametrize(
    "text",
    [
        "A 2.4 cm lesion in segment 6 contains coarse calcification; appearances favour a"
        " calcified haemangioma.",
        "A 1.9 x 2.6 cm lesion in segment 3 with peripheral calcification; findings favor a"
        " calcified hemangioma.",
        "A 3 cm echogenic lesion in segment 5 contains coarse calcifications; this indicates a"
        " calcified haemangioma.",
    ],
)
def test_a_clause_that_favours_a_diagnosis_redescribes_the_finding(text: str) -> None:
    found = _summary(text)
    assert len(found) == 1, found


def test_a_second_calcification_that_favours_nothing_stays_its_own() -> None:
    text = (
        "A 5 mm calcification in segment 6; another calcification in segment 2 favours old"
        " infection."
    )
    assert [f.get("seg") for f in _summary(text)] == [6, 2]


# --- reader-f: the sections (sectors) of the liver name a lobe and the liver ---


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "Calcifications: right lobe, posterior section: 7 mm; left lateral section: 2 mm.",
            [(7.0, None, "right"), (2.0, None, "left")],
        ),
        (
            "Calcified granulomas: right anterior sector 4 mm; left medial section 5 mm.",
            [(4.0, None, "right"), (5.0, None, "left")],
        ),
        ("A 4 mm calcification in the right posterior section.", [(4.0, None, "right")]),
        ("Calcified granuloma in the left lateral sector, 3 mm.", [(3.0, None, "left")]),
    ],
)
def test_a_section_of_the_liver_names_its_lobe(
    text: str, want: list[tuple[float | None, int | None, str | None]]
) -> None:
    assert _size_place(text) == want


@pytest.mark.parametrize(
    "text",
    [
        "Calcified granuloma, posterior segment of the right upper lobe, 4 mm.",
        "Calcified node in the right posterior mediastinum, 6 mm.",
    ],
)
def test_a_segment_of_another_organ_is_no_liver_section(text: str) -> None:
    assert _summary(text) == []


# --- reader-f: the segment named only in the impression makes the finding's place finer ---


@pytest.mark.parametrize(
    ("text", "seg", "lobe"),
    [
        (
            "Findings: Calcified focus, 5 mm, in the right hepatic lobe.\n"
            "Impression: Calcified granuloma, segment VI.",
            6,
            "right",
        ),
        (
            "FINDINGS: A 3 mm calcification is seen in the left lobe of the liver.\n"
            "IMPRESSION: Benign calcified granuloma in segment 2.",
            2,
            "left",
        ),
        (
            "Findings: 4 mm calcified granuloma in the liver.\n"
            "Impression: Calcified granuloma in segment 8, benign.",
            8,
            "right",
        ),
    ],
)
def test_a_segment_only_in_the_impression_places_the_finding(
    text: str, seg: int, lobe: str
) -> None:
    _has(text, seg=seg, lobe=lobe)


def test_an_impression_segment_in_the_other_lobe_is_another_finding() -> None:
    text = (
        "Findings: Calcified focus, 5 mm, in the right hepatic lobe.\n"
        "Impression: Calcified granuloma, segment 3."
    )
    assert [(f.get("lobe"), f.get("seg")) for f in _summary(text)] == [
        ("right", None),
        ("left", 3),
    ]


def test_a_segment_of_the_first_mention_is_kept() -> None:
    text = (
        "Findings: Calcified granuloma, 5 mm, segment 7.\n"
        "Impression: Calcified granuloma in the right lobe."
    )
    _has(text, seg=7, lobe="right", size=5.0)


# --- reader-f: "...; the right lobe a smaller punctate one": a member with its noun implied ---


@pytest.mark.parametrize(
    ("text", "want"),
    [
        (
            "The right lobe contains a coarse calcification (9 mm); the left lobe a smaller"
            " punctate one.",
            [(9.0, None, "right", "coarse", None), (None, None, "left", "punctate", None)],
        ),
        (
            "Segment 3 holds a 6 mm calcified granuloma; segment 7 a slightly larger one of 9 mm.",
            [(6.0, 3, "left", None, None), (9.0, 7, "right", None, None)],
        ),
        (
            "A punctate calcification lies in segment 5; segment 2 an amorphous one of 4 mm.",
            [(None, 5, "right", "punctate", None), (4.0, 2, "left", "amorphous", None)],
        ),
    ],
)
def test_a_place_then_a_one_is_a_further_member_with_its_own_pattern(
    text: str, want: list[tuple[Any, ...]]
) -> None:
    got = [
        (f.get("size"), f.get("seg"), f.get("lobe"), f.get("pattern"), f.get("comp"))
        for f in _summary(text)
    ]
    assert got == want


@pytest.mark.parametrize(
    "text",
    [
        "There is a coarse calcification in segment 2; a small one is not excluded.",
        "There is a coarse calcification in segment 2; segment 6 is one of the normal ones.",
    ],
)
def test_a_one_without_its_own_place_adds_no_member(text: str) -> None:
    assert [f.get("seg") for f in _summary(text)] == [2]
