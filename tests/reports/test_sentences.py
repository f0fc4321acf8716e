"""Sentence and clause splitting."""

from __future__ import annotations

from hepcalc.reports.sentences import split_clauses, split_sentences


def _sents(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text, 0, len(text))]


def test_decimals_and_abbreviations_do_not_split() -> None:
    text = "A 1.4 cm calcification vs. granuloma. Second sentence."
    assert _sents(text) == ["A 1.4 cm calcification vs. granuloma.", "Second sentence."]


def test_line_breaks_before_capitals_and_bullets_split() -> None:
    text = "Liver normal\nSpleen normal\n1. Calcified granuloma\nwrapped line"
    assert _sents(text) == ["Liver normal", "Spleen normal", "1. Calcified granuloma\nwrapped line"]


def test_mtsamples_period_comma_splits() -> None:
    assert _sents("Granuloma.,By his fourth week, ill.") == [
        "Granuloma.",
        "By his fourth week, ill.",
    ]


def _clauses(text: str) -> list[str]:
    return [text[s:e] for s, e in split_clauses(text, 0, len(text))]


def test_clauses_split_on_but_semicolon_and_new_noun_phrase() -> None:
    assert _clauses("No mass, but a punctate calcification") == [
        "No mass",
        "a punctate calcification",
    ]
    assert _clauses("calc 3mm seg 8; no FLL") == ["calc 3mm seg 8", "no FLL"]
    assert _clauses("5 mm calcification in segment 6 and a 3 mm calcification in segment 2") == [
        "5 mm calcification in segment 6",
        "a 3 mm calcification in segment 2",
    ]


def test_size_lists_stay_in_one_clause() -> None:
    text = "calcifications measuring 1.4 cm and 0.9 cm"
    assert _clauses(text) == [text]


def test_abbreviation_inside_a_parenthesis_does_not_split() -> None:
    assert _sents("Calcification now 14 mm (prev. 9 mm). Spleen normal.") == [
        "Calcification now 14 mm (prev. 9 mm).",
        "Spleen normal.",
    ]


def test_attribute_fields_continue_the_record_before_them() -> None:
    text = "Calcification: present. Size: 7 mm. Location: S7.\nPattern: coarse\nSpleen: normal."
    assert _sents(text) == [
        "Calcification: present. Size: 7 mm. Location: S7.\nPattern: coarse",
        "Spleen: normal.",
    ]
    # a field whose key is not an attribute, or a sentence that is not a field, stays apart
    assert _sents("Liver: normal. Gallbladder: stones.") == [
        "Liver: normal.",
        "Gallbladder: stones.",
    ]
    assert _sents("Calcification: present. It measures 7 mm.") == [
        "Calcification: present.",
        "It measures 7 mm.",
    ]


def test_semicolon_before_a_field_of_the_same_record_does_not_split() -> None:
    text = "Lesion 1: segment 7; size 1.4 x 1.1 cm; calcification: coarse"
    assert _clauses(text) == [text]
    assert _clauses("No mass; 5 mm calcification") == ["No mass", "5 mm calcification"]


def test_a_query_mark_opening_a_hedge_does_not_end_the_sentence() -> None:
    # "?" after a comma, a dash or a space opens a query about what follows
    assert _sents("Liver: 6 mm focus in segment 4, ? calcification. Spleen normal.") == [
        "Liver: 6 mm focus in segment 4, ? calcification.",
        "Spleen normal.",
    ]
    assert _sents("Dark focus caudate lobe - ? granuloma vs clip.") == [
        "Dark focus caudate lobe - ? granuloma vs clip."
    ]
    assert _sents("Blooming in S2; ? calcified. Next.") == ["Blooming in S2; ? calcified.", "Next."]


def test_a_question_mark_closing_a_word_still_ends_the_sentence() -> None:
    assert _sents("Is it calcified? No change otherwise.") == [
        "Is it calcified?",
        "No change otherwise.",
    ]
    assert _sents("Focus in segment 3 ? Calcification elsewhere.") == [
        "Focus in segment 3 ?",
        "Calcification elsewhere.",
    ]
