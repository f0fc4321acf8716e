"""The one-pass word gate and the literal-first patterns never change what is read.

``reports/word_gate.py`` answers every reader's gate from one Hyperscan pass, and a few
whole-text patterns were rewritten so the regex engine can skip to their first literal.
All are speed devices: these tests compare them with the plain forms (``w in
text.lower()``, the original patterns, the reader with the gate switched off) on the
project's own reports, on MTSamples when ``../shared`` is there, and on word salad built
from the gate words.
"""

from __future__ import annotations

import re
import threading

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.reports import (
    liver_share,
    observations,
    organs,
    reader,
    sections,
    sentences,
    targets,
    word_gate,
)

from . import texts

GATE = reader._WORD_GATE
# development sets only: the blind sets are read by the scorer and nothing else
OWN_SETS = ("context_dev", "dev", "dev2", "dev3", "dev4", "heldout3", "heldout4")

# the forms before the rewrite: a leading look-behind or word boundary
PLAIN_SENTENCE_END = re.compile(
    r"[.!](?=\s|,[ \t]*[A-Z])|(?<![\s,;:(\-\u2013])\?(?=\s*\Z|\s+(?!\s*[a-z])|,[ \t]*[A-Z])"
    r"|(?<=[^\s,;:(\-\u2013][ \t])\?(?=\s+[A-Z])"
    r"|\.(?<=[a-z]{2}\.)(?=[A-Z][a-z])"
    r"|\n[ \t]*(?=\n|[A-Z0-9\u2022*\-|#])|\n[ \t]*\n"
)
PLAIN_PAS = re.compile(r"\bPAS\b")
_PLAIN_COUNTED = sentences._COUNTED_GROUP
PLAIN_CLAUSE_SPLIT = re.compile(
    r";(?![ \t]*(?:sizes?|measur\w*|diameter|dimensions?)\b"
    r"|[ \t]*(?:(?:19|20)\d\d|today|now)[ \t:=\-]*\d"
    r"|[ \t]*[A-Za-z][A-Za-z0-9 ]{0,24}:(?![ \t]*(?:none|no|absent|negative)\b))"
    r"|,?(?<![ \t\n])[ \t\n]+(?:but|however|although|though|whereas|except)\b"
    r"|,[ \t\n]+(?=(?:with|while|which)[ \t\n]+(?:a|an|one|two|three|several|multiple|few|"
    r"scattered|punctate|coarse|dense|small|tiny|stable|new)\b|while[ \t\n]+(?P<group>"
    + _PLAIN_COUNTED
    + r"))|,?(?<![ \t\n])[ \t\n]+and[ \t\n]+(?=(?:a|an|one|two|three|four|several|multiple"
    r"|few|numerous|scattered|another|there|no|additional)\b|(?P<group2>" + _PLAIN_COUNTED + r"))",
    re.I,
)


def _plain_organ_pattern() -> re.Pattern[str]:
    """The organ pattern as it was: one named group per organ (``(?P<spleen>...)``)."""
    by_organ: dict[str, list[str]] = {}
    for organ, alt in organs._organ_alternatives():
        by_organ.setdefault(organ, []).append(alt.replace("(?-i:R|L)", "(?:r|l)"))
    groups = "|".join(f"(?P<{o}>{'|'.join(alts)})" for o, alts in by_organ.items())
    return re.compile(rf"(?=[a-z])\b(?:{groups})\b(?![ \t]?-[ \t]?like\b)")


PLAIN_ORGAN = _plain_organ_pattern()
PLAIN_LAST_BOUNDARY = re.compile(r"[\n\r,.;][^\n\r,.;]*\Z")
PLAIN_DASHES = (" - ", " -- ", " \u2013 ", " \u2014 ", "\t- ")


def plain_separators(text: str) -> list[tuple[int, int, str]]:
    """Every ':' and every occurrence (overlaps included) of each spaced dash, sorted."""
    seps = [(m.start(), m.start() + 1, ":") for m in re.finditer(":", text)]
    for dash in PLAIN_DASHES:
        at = re.finditer(f"(?={re.escape(dash)})", text)
        seps += [(m.start(), m.start() + len(dash), "-") for m in at]
    return sorted(seps)


def own_texts() -> list[str]:
    return texts.own_texts(OWN_SETS)


def mtsamples() -> list[str]:
    return texts.mtsamples_texts()


def reference_present(gate: word_gate.WordGate, text: str) -> frozenset[str]:
    low = text.lower()
    found = {w for w in gate.words if w in low}
    found |= {w for w in gate.cased_words if re.search(rf"\b{w}\b", text)}
    return frozenset(found)


def ungated(text: str) -> list[object]:
    """The reader with the one-pass gate switched off (every report read in full)."""
    saved = reader._WORD_GATE
    reader._WORD_GATE = word_gate.WordGate(())
    reader._WORD_GATE._failed = True  # as on a machine without Hyperscan
    try:
        return list(reader.extract_findings(text))
    finally:
        reader._WORD_GATE = saved


def assert_same(text: str) -> None:
    present = GATE.present(text)
    if present is not None:
        assert present == reference_present(GATE, text), text
    assert reader.extract_findings(text) == ungated(text), text
    assert [m.span() for m in sentences._SENTENCE_END.finditer(text)] == [
        m.span() for m in PLAIN_SENTENCE_END.finditer(text)
    ]
    assert (targets._PAS.search(text) is None) == (PLAIN_PAS.search(text) is None)
    assert [
        (m.span(), any(m.group(g) for g in sentences._COUNTED_GROUPS))
        for m in sentences._CLAUSE_SPLIT.finditer(text)
    ] == [
        (m.span(), bool(m.group("group") or m.group("group2")))
        for m in PLAIN_CLAUSE_SPLIT.finditer(text)
    ]
    assert sections._separators(text) == plain_separators(text)
    low = text.lower()
    assert [
        (m.span(), organs._GROUP_ORGAN[str(m.lastgroup)]) for m in organs._ORGAN_LOWER.finditer(low)
    ] == [(m.span(), m.lastgroup) for m in PLAIN_ORGAN.finditer(low)]
    for end in range(0, len(text), 7):
        m = sections._LAST_BOUNDARY.match(text, max(0, end - 66), end)
        p = PLAIN_LAST_BOUNDARY.search(text, max(0, end - 66), end)
        assert (m.end() - 1 if m else -1) == (p.start() if p else -1)
    has_major = observations._ANY_MAJOR.search(text) is not None
    assert observations._has_major(text, low) == has_major, text
    assert observations._has_major(text, low, present) == has_major, text
    assert targets.candidate_positions(text, low, present) == targets.candidate_positions(text)


def test_hyperscan_is_there_on_this_machine() -> None:
    # the fast pass must really run where the project is tested, or the tests below
    # would only compare the slow path with itself
    assert GATE.present("Calcified granuloma, echogenic with PAS.") == frozenset(
        {"calc", "granulom", "echo", "echogenic", "PAS"}
    )


def test_same_reading_on_the_projects_reports() -> None:
    texts = own_texts()
    assert len(texts) > 600
    for text in texts:
        assert_same(text)


def test_same_reading_on_mtsamples() -> None:
    texts = mtsamples()
    rejected = 0
    for text in texts[::2]:  # half the corpus keeps the test short; the rest is alike
        assert_same(text)
        present = GATE.present(text)
        rejected += present is not None and not reader._may_hold_finding(present.__contains__)
    assert rejected > len(texts) // 4  # the gate does reject most general reports


SALAD = [
    *GATE.words,
    *GATE.cased_words,
    "Pas",
    "xPAS",
    "PAS_",
    "PAS2",
    "calcified granuloma",
    "calcification",
    "calculus",
    "echogenic focus",
    "dense focus",
    "shadowing",
    "liver",
    "spleen",
    "segment 6",
    "5 mm",
    "arterial phase hyperenhancement",
    "washout",
    "enhancing capsule",
    "rim enhancement",
    "threshold growth",
    "intrahepatic stones",
    "fetal liver",
    "no",
    "the",
    "in",
    ".",
    ",",
    "\n",
    "?",
    "LIVER:",
    "Liver -",
    "--",
    " -- ",
    "\t-",
    ";",
    "; size",
    ", but",
    "however",
    ", with a",
    "and a",
    "and another",
    "and 3 in",
    "while 5 are seen in",
    "2021 4 mm;",
    "; today 7 mm",
    "displacing the",
    "adjacent to",
    "in the liver",
    "the liver has two",
]


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(SALAD), min_size=1, max_size=16), st.sampled_from([" ", ""]))
def test_same_reading_on_gate_word_salad(words: list[str], sep: str) -> None:
    assert_same(sep.join(words))


def test_non_ascii_text_takes_the_readers_own_gates() -> None:
    text = "Calcified granuloma in the liver \u2013 segment 6, 4 mm."
    assert GATE.present(text) is None
    assert reader.extract_findings(text) == ungated(text)
    assert reader.extract_findings(text)


def test_without_hyperscan_every_report_takes_the_readers_own_gates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(word_gate, "_compile", lambda words, cased: None)
    gate = word_gate.WordGate(("calc",))
    assert gate.present("calcification") is None
    monkeypatch.setattr(reader, "_WORD_GATE", gate)
    assert reader.extract_findings("Calcified granuloma in the liver, 4 mm.")


def test_each_thread_scans_with_its_own_scratch() -> None:
    texts = own_texts()[:200]
    expected = [GATE.present(t) for t in texts]
    results: list[list[frozenset[str] | None]] = []
    errors: list[BaseException] = []

    def work() -> None:
        try:
            results.append([GATE.present(t) for t in texts for _ in range(3)][::3])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert results == [expected] * 4


@pytest.mark.parametrize(
    ("words", "cased"),
    [(("Calc",), ()), (("",), ()), (("caf\u00e9",), ()), ((), ("pas",)), ((), ("P-S",))],
)
def test_gate_words_are_checked(words: tuple[str, ...], cased: tuple[str, ...]) -> None:
    with pytest.raises(ValueError, match="gate word"):
        word_gate.WordGate(words, cased)


def test_the_gate_holds_every_word_a_readers_gate_asks_for() -> None:
    asked: set[str] = set()

    def has(w: str) -> bool:
        asked.add(w)
        return False

    reader._may_hold_finding(has)
    # every word the formula reads when nothing is present, and the words it reads only
    # after a first one is found (the second half of each "and")
    for first in ("echo", "foc", "arterial"):
        reader._may_hold_finding(lambda w, first=first: asked.add(w) or w == first)
    assert asked <= set(GATE.words) | set(GATE.cased_words)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(SALAD), min_size=1, max_size=10), st.sampled_from([" ", ""]))
def test_the_cheap_tests_before_two_searches_reject_only_what_they_would(
    words: list[str], sep: str
) -> None:
    text = sep.join(words)
    # the relational pattern ends in white space: no match unless the character before
    # the organ word is white space (organs.find_organs tests that first)
    if text and text[-1] not in " \t\n":
        assert organs._RELATIONAL.search(text, max(0, len(text) - 40), len(text)) is None
    # both share patterns hold the word "liver" (liver_share.find_share tests that first)
    if "liver" not in text.lower():
        assert liver_share._PLACED_IN_LIVER.search(text) is None
        assert liver_share._LIVER_HOLDS.search(text) is None


def test_every_readers_gate_needs_a_trigger_word() -> None:
    """The set test before the gate formula rejects only what the formula rejects: with
    every gate word present except the triggers, no reader's gate opens (the formula is
    monotone, so no smaller set opens it either)."""
    without = (set(GATE.words) | set(GATE.cased_words)) - reader._TRIGGERS
    assert not reader._may_hold_finding(without.__contains__)
    for trigger in reader._TRIGGERS:
        assert reader._may_hold_finding((without | {trigger}).__contains__), trigger


def _plain_trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in sentences._STRIP:
        start += 1
    while end > start and text[end - 1] in " \t\r\n,;":
        end -= 1
    return start, end


@given(st.text(alphabet=" \t\r\n,:;-*\u2022\u2013ab.", max_size=20), st.data())
def test_trim_by_strip_equals_the_plain_loop(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert sentences._trim(text, start, end) == _plain_trim(text, start, end)
