"""The literal pre-check of the patient-context reader never changes what it reads.

``reports/patient_context.py`` runs a factor's alternation only when the text holds
literals that every match needs (``_gate``), and blanks pseudo phrases only when a
term matched at all. Both are speed devices: these tests compare the gated reader
with the plain reference (blank, then run every pattern) on the project's own
reports, on MTSamples when ``../shared`` is there, and on random text built from
the lexicon's own words.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.reports import patient_context as pc

from . import texts

ENTRIES = (*pc.LEXICON.entries, *pc.LEXICON.symptoms)
# development sets only: the blind sets are read by the scorer and nothing else
OWN_SETS = ("context_dev", "dev", "dev2", "dev3", "dev4")


def reference(entry: pc._Entry, text: str) -> list[tuple[int, int]]:
    """What ``_matches`` must return: pseudo phrases blanked, every pattern run."""
    masked = pc._mask(text, entry.pseudo)
    out = {
        (m.start(), m.end())
        for rx in (entry.terms, entry.cased)
        if rx is not None
        for m in rx.finditer(masked)
    }
    return sorted(out)


def assert_same(text: str) -> None:
    low = text.lower()
    for entry in ENTRIES:
        assert pc._matches(entry, text, low) == reference(entry, text), (entry.name, text)


def own_texts() -> list[str]:
    return texts.own_texts(OWN_SETS)


def test_gated_reader_equals_reference_on_the_projects_reports() -> None:
    texts = own_texts()
    assert len(texts) > 300
    for text in texts:
        assert_same(text)


def test_gated_reader_equals_reference_on_mtsamples() -> None:
    for text in texts.mtsamples_texts()[
        ::3
    ]:  # a third of the corpus keeps the test short; the rest is alike
        assert_same(text[: pc.MAX_REPORT_CHARS])


def _lexicon_words() -> list[str]:
    words: set[str] = set()
    for entry in ENTRIES:
        for rx in (entry.terms, entry.cased, entry.pseudo):
            if rx is not None:
                words.update(re.findall(r"[A-Za-z][A-Za-z0-9-]{1,}", rx.pattern))
    return sorted(words)


WORDS = _lexicon_words()
FILLER = ["of", "on", "the", "with", "in", "from", "no", "history", "(", ".", ",", "\n", "5-", "+"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(WORDS + FILLER), min_size=1, max_size=14))
def test_gated_reader_equals_reference_on_lexicon_word_salad(words: list[str]) -> None:
    assert_same(" ".join(words))


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("hepatitis", ["hepatitis"]),
        ("(?:chronic )?hepatitis b", ["hepatitis"]),
        ("fevers?", ["fever"]),
        # the group of the required words, not the common word "of"
        ("(?:known|hx of) (?:primary )?(?:malignancy|cancer)", ["cancer", "malignancy"]),
        ("(?:on|after) (?:\\w+ ){0,3}(?:cycles?|courses?) of therapy", ["therapy"]),
        # an alternative with no literal of two letters: no pre-check at all
        ("(?:h/o|known) cancer", ["cancer"]),
        ("(?:h/o|x) cancer|tumou?r", ["cancer", "tumo"]),
        ("(?:h/o|x) (?:y|z)|tumou?r", []),
        # lookarounds promise nothing about the text of the match
        ("(?=liver)\\w+", []),
    ],
)
def test_required_literals(phrase: str, expected: list[str]) -> None:
    assert pc._literal_runs(phrase) == expected


def test_gate_needs_every_set_of_some_phrase() -> None:
    gate = pc._gate(["(?:from|born in) (?:peru|iraq)", "hydatid"], fold=True)
    assert gate is not None
    assert gate.passes("born in iraq")
    assert gate.passes("a hydatid cyst")
    assert not gate.passes("came from the clinic")  # "from" alone
    assert not gate.passes("trip to peru")  # the place alone


def test_case_sensitive_terms_are_gated_in_their_own_case() -> None:
    gate = pc._gate(["FEC(?:-?T)?", "5-?FU"], fold=False)
    assert gate is not None
    assert gate.passes("after 6 cycles of FEC-T")
    assert not gate.passes("infection with fungus")  # "fec", "fu" in lower case
    assert pc._gate(["(?:x|y)z"], fold=False) is None
