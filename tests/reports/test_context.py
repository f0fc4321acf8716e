"""Context: negation, resolution, hypotheticals, history, hedging (scoped to the clause)."""

from __future__ import annotations

import pytest

from hepcalc.reports.context import Context, read_context


def _ctx(text: str, target: str = "calcification") -> Context:
    i = text.lower().index(target)
    return read_context(text, 0, len(text), i, i + len(target))


@pytest.mark.parametrize(
    "text",
    [
        "No calcification.",
        "No hepatic calcification.",
        "without calcification",
        "No evidence of calcified or noncalcified masses",
        "Negative for calcification",
        "Calcification is not seen.",
        "Calcification is not identified.",
        "calcification: none",
        "No areas of signal void to suggest calcification.",
        "No new calcification.",
    ],
)
def test_negated(text: str) -> None:
    target = "calcified" if "calcified" in text else "calcification"
    assert _ctx(text, target).exclusion == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "Calcification, no change.",
        "Calcification without interval change.",
        "New calcification, not present on the prior study.",
        "New 6 mm calcification, not seen on CT 2021.",
        "Calcification, cannot be excluded.",
        "Calcification is not significantly changed.",
    ],
)
def test_pseudo_negations_do_not_negate(text: str) -> None:
    assert _ctx(text).exclusion is None


def test_resolved() -> None:
    assert _ctx("The calcification is no longer visualized.").exclusion == "resolved"
    assert _ctx("The calcification has resolved.").exclusion == "resolved"
    assert _ctx("Interval resolution of the calcification.").exclusion == "resolved"


def test_hypothetical() -> None:
    assert _ctx("Evaluation for calcification is limited on MRI.").exclusion == "hypothetical"
    assert _ctx("If calcification is a concern, CT may help.").exclusion == "hypothetical"
    assert _ctx("Rule out calcification.").exclusion == "hypothetical"


def test_historical() -> None:
    assert _ctx("History of hepatic calcification.").exclusion == "historical"
    assert _ctx("Prior CT showed a calcification.").exclusion == "historical"
    assert _ctx("Prior CT showed a calcification, now stable.").exclusion is None


def test_hedged_but_kept() -> None:
    for text in (
        "Possible calcification.",
        "Signal void may represent calcification.",
        "? calcification",
        "Calcification cannot be excluded.",
    ):
        ctx = _ctx(text)
        assert ctx.hedged and ctx.exclusion is None, text


def test_not_hedged_when_the_etiology_is_uncertain() -> None:
    ctx = _ctx("There is calcification in the liver likely related to granulomatous disease.")
    assert not ctx.hedged


def test_termination_stops_negation() -> None:
    assert _ctx("No mass, compatible with calcification").exclusion is None
    assert _ctx("No mass but there is a calcification").exclusion is None


@pytest.mark.parametrize(
    "text",
    [
        "Without enhancement, corresponding to calcification on the prior CT",
        "dark on all sequences and without enhancement, corresponding to a calcification",
        "No enhancing component, corresponds to the known calcification",
        "No washout, and corresponding with calcification on CT",
    ],
)
def test_a_comma_and_corresponding_to_start_a_new_predication(text: str) -> None:
    """The negation of the first phrase does not reach what the observation corresponds to
    (a LI-RADS list item: "6 mm, no enhancement, corresponding to calcification on CT")."""
    assert not _ctx(text).negated


@pytest.mark.parametrize(
    "text",
    [
        "LI-RADS:\nObservation A: segment 3, 7 mm, no enhancement, corresponding to"
        " calcification on the prior CT; LR-1.",
        "Liver: a 5 mm focus in segment 5, signal void on all sequences without enhancement,"
        " corresponding to the calcified granuloma seen on CT.",
    ],
)
def test_a_listed_observation_that_corresponds_to_calcification_is_read(text: str) -> None:
    from hepcalc.model import Modality
    from hepcalc.reports import extract_findings

    found = extract_findings(text, Modality.MRI)
    assert [f.size_mm for f in found if f.calcified] in ([7.0], [5.0]), found


@pytest.mark.parametrize(
    "text",
    [
        "No lesion corresponding to the calcification seen on the radiograph",
        "No focus corresponding to the reported calcification",
        "No calcification corresponding to the echogenic focus",
    ],
)
def test_without_the_comma_the_corresponding_phrase_stays_negated(text: str) -> None:
    assert _ctx(text).exclusion == "negated"


def test_reinterpreted_as_a_clip() -> None:
    text = "The previously reported calcification represents a surgical clip."
    assert _ctx(text).exclusion == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "Abdominal radiograph: a calcific density overlies the right upper quadrant. "
        "Ultrasound: this corresponds to a 2.2 cm gallstone; the liver is normal.",
        "CT scout: a rounded calcific density over the liver corresponds on axial images to "
        "a 9 mm calculus in the upper pole of the right kidney.",
        "KUB: calcification projecting over the hepatic shadow. This represents a right "
        "renal stone on the CT of the same day.",
    ],
)
def test_a_projected_density_explained_by_another_organs_stone_is_not_a_finding(
    text: str,
) -> None:
    from hepcalc.reports import extract_findings

    assert extract_findings(text) == []


def test_a_projection_confirmed_in_the_liver_stays_and_a_plain_finding_is_not_explained_away() -> (
    None
):
    from hepcalc.reports import extract_findings

    confirmed = extract_findings(
        "Abdominal radiograph: a calcific density projects over the liver. "
        "CT confirms a 9 mm calcified granuloma in segment 6."
    )
    assert [f.size_mm for f in confirmed] == [9.0]
    plain = extract_findings(
        "A 5 mm calcification in segment 7. This corresponds to a gallstone seen before."
    )
    assert [f.size_mm for f in plain] == [5.0]  # not hedged: the next sentence is another matter


@pytest.mark.parametrize(
    "text",
    [
        # "without shadowing" negates a property of the sign, not what it is read as
        "Echogenic foci without shadowing are seen in the liver, suggestive of calcification.",
        "Bright foci without posterior acoustic shadowing, possibly calcification.",
        "Hyperechoic dots without distal shadowing; in keeping with calcification.",
    ],
)
def test_a_negated_sign_property_does_not_negate_the_reading(text: str) -> None:
    assert _ctx(text).exclusion is None


@pytest.mark.parametrize(
    "text",
    [
        "Echogenic foci without shadowing to suggest calcification.",
        "Echogenic focus without shadowing or calcification.",
        "Echogenic focus without shadowing typical of calcification.",
        "No shadowing calcification.",
    ],
)
def test_without_shadowing_that_reaches_the_finding_still_negates(text: str) -> None:
    assert _ctx(text).exclusion == "negated"


# --- not a current finding: questioned on another exam, resected, projection refuted --


@pytest.mark.parametrize(
    "text",
    [
        "A calcified granuloma was questioned on the prior CT.",
        "Hepatic calcification suggested at the outside ultrasound, not confirmed.",
        "The outside CT questioned a calcification in segment 6.",
        "Previous MRI raised the possibility of calcification in the right lobe.",
    ],
)
def test_questioned_on_another_exam_is_historical(text: str) -> None:
    target = "calcified" if "calcified" in text else "calcification"
    assert _ctx(text, target).exclusion == "historical"


def test_questioned_before_and_seen_again_is_current() -> None:
    text = "A calcification was questioned on the prior CT and is again seen, 4 mm."
    assert _ctx(text).exclusion is None


@pytest.mark.parametrize(
    "text",
    [
        "Calcified hydatid cyst was resected in 2019; the bed is clear.",
        "The calcification in segment 6 has been surgically removed.",
        "Calcified nodule was excised at laparoscopy.",
        "Status: resection of the calcified cyst of segment 7, no recurrence.",
    ],
)
def test_resected_is_not_current(text: str) -> None:
    target = "calcified" if "calcified" in text.lower() else "calcification"
    assert _ctx(text, target).exclusion == "resolved"


@pytest.mark.parametrize(
    "text",
    [
        "The calcified cyst was partially resected and persists, 3 cm.",
        "After resection of the left lobe, a new 3 mm calcification in segment 6.",
        "Calcification at the resection margin, 4 mm.",
    ],
)
def test_partial_resection_or_a_resection_elsewhere_keeps_it(text: str) -> None:
    target = "calcified" if "calcified" in text.lower() else "calcification"
    assert _ctx(text, target).exclusion is None


def _in_sentence(text: str, target: str) -> Context:
    """Context with the first sentence as ``sentence``, so the next one can be read."""
    i = text.index(target)
    end = text.index(". ") + 1
    return read_context(text, 0, end, i, i + len(target), sentence=(0, end))


@pytest.mark.parametrize(
    "text",
    [
        "Scout: calcific densities overlie the liver shadow. Ultrasound shows several"
        " gallstones up to 12 mm.",
        "Radiograph: a calcific density projects over the hepatic region. On CT the liver is"
        " normal and no hepatic calcification is seen.",
        "KUB: small calcific densities projecting over the liver. On today's ultrasound the"
        " gallbladder is packed with stones; the liver parenchyma shows no calcification.",
    ],
)
def test_a_projected_density_refuted_by_the_next_sentence_is_not_a_finding(text: str) -> None:
    assert _in_sentence(text, "calcific").exclusion == "negated"


@pytest.mark.parametrize(
    "text",
    [
        # the next sentence names a calcification: the projection is confirmed, not refuted
        "Scout: a calcific density overlies the liver. CT confirms a 6 mm calcification in"
        " segment 7; gallstones are also present.",
        # a next sentence without refutation leaves the hedged projection
        "Radiograph: a calcific density projects over the hepatic region. Bowel gas is normal.",
        # no projection: a plain liver calcification is not refuted by gallstones after it
        "A 4 mm calcification in segment 6. The gallbladder contains multiple stones.",
    ],
)
def test_no_refutation(text: str) -> None:
    target = "calcification" if text.startswith("A 4") else "calcific"
    assert _in_sentence(text, target).exclusion is None


@pytest.mark.parametrize(
    "text",
    [
        "No findings compatible with calcification",
        "No echogenic foci consistent with calcification",
        "no hyperdense lesion in keeping with calcification",
        "There are no areas consistent with calcification",
        "Without any focus consistent with calcification",
    ],
)
def test_a_negated_finding_and_its_interpretation_stay_negated(text: str) -> None:
    """The interpretation after a negated finding noun is part of what is negated."""
    assert _ctx(text).exclusion == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "Focus with no internal flow consistent with calcification",
        "No enhancement, consistent with calcification",
        "No mass but a focus consistent with calcification",
        "No lesion; echogenic focus consistent with calcification",
    ],
)
def test_an_interpretation_of_a_negated_property_is_not_negated(text: str) -> None:
    assert not _ctx(text).negated


@pytest.mark.parametrize(
    "text",
    [
        "The outside CT of 2020 showed a calcification in segment 6",
        "Prior CT in March 2020 showed a calcification",
        "A CT from 2019 demonstrated a calcification",
        "The 2021 ultrasound showed a calcification",
        "An MRI dated 03/2018 described a calcification",
    ],
)
def test_an_earlier_exam_named_by_its_date_is_history(text: str) -> None:
    assert _ctx(text).exclusion == "historical"


@pytest.mark.parametrize(
    "text",
    [
        "Today's CT shows a calcification",
        "The CT of 2020 showed a calcification, which is unchanged today",
        "The 2021 ultrasound showed a calcification that is again seen",
        "CT of the abdomen shows a calcification",
    ],
)
def test_a_current_exam_or_a_restated_finding_is_current(text: str) -> None:
    assert _ctx(text).exclusion is None


@pytest.mark.parametrize(
    "text",
    [
        "Liver parenchyma clear of calcification",
        "Three cysts; none shows calcification or septation",
        "Two nodules, none of which contain calcification",
        "The lesions, none of them demonstrates calcification",
        "A calcification is not a consideration here",
        "Calcification is not considered",
    ],
)
def test_more_ways_of_saying_no(text: str) -> None:
    assert _ctx(text).exclusion == "negated"


@pytest.mark.parametrize(
    "text",
    [
        "The duct is clear; calcification in segment 6",
        "A calcification persists, none of the cysts has grown",
        "Calcification, considered benign",
    ],
)
def test_near_misses_of_those_negations(text: str) -> None:
    assert not _ctx(text).negated
