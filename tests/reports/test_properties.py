"""Property tests: the reader never crashes, offsets stay inside the text, time stays linear.

Random text is built from report vocabulary as well as arbitrary characters, so
the generator reaches the interesting code paths (targets, negation, sizes), not
only the pre-filter's early return.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.reports import extract_findings, read_report

_VOCAB = [
    "calcification", "calcified", "calcifications", "granuloma", "liver", "spleen",
    "hepatic", "segment", "VII", "4a", "no", "not", "without", "seen", "previously",
    "now", "mm", "cm", "x", "5", "1.4", "2.3", "and", "the", "largest", "LIVER:",
    "IMPRESSION:", "HISTORY:", "Liver -", "echogenic", "focus", "shadowing", "hyperdense",
    "foci", "phlebolith", "hemangioma", "cyst", "wall", "rim", "punctate", "stable", "new",
    "(", ")", ".", ",", ";", ":", "\n", "\n\n", " ", "-", "?", "may", "represent",
    "signal", "void", "gallbladder", "right", "lobe", "caudate", "dome", "several",
]  # fmt: skip

report_text = st.one_of(
    st.lists(st.sampled_from(_VOCAB), max_size=80).map(" ".join),
    st.lists(st.sampled_from(_VOCAB), max_size=80).map("".join),
    st.text(max_size=400),
    st.text(alphabet=" \t\n.:,-x0123456789mcalifedLIVER", max_size=400),
)


def _check(text: str) -> None:
    reading = read_report(text)
    for f in reading.findings:
        ev = f.evidence
        assert ev is not None
        assert 0 <= ev.start <= ev.end <= len(text)
        assert text[ev.start : ev.end] == ev.sentence
        assert f.calcified is True
    for e in reading.excluded:
        assert 0 <= e.evidence.start <= e.evidence.end <= len(text)
    for s in reading.sections:
        assert 0 <= s.start <= s.end <= len(text)
    assert len(extract_findings(text)) == len(reading.findings)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(report_text)
def test_never_crashes_and_offsets_are_inside(text: str) -> None:
    _check(text)


@settings(max_examples=30, deadline=None)
@given(st.sampled_from(_VOCAB), st.integers(min_value=1_000, max_value=20_000))
def test_long_repetitions_finish(word: str, n: int) -> None:
    """Adversarial repetition (the classic backtracking trigger) is read without blowing up."""
    _check((word + " ") * (n // max(1, len(word))))
    _check("1" + " " * n + "x")
    _check("calcification " + "\t" * n + "mm")


@settings(max_examples=300, deadline=None)
@given(report_text)
def test_target_search_at_candidates_equals_full_scan(text: str) -> None:
    """The fast path (only at candidate offsets) finds exactly what a full scan finds."""
    from hepcalc.reports.targets import candidate_positions, find_targets

    full = find_targets(text, 0, len(text))
    assert find_targets(text, 0, len(text), candidate_positions(text)) == full


def test_maximum_size_inputs_are_read() -> None:
    """Pathological reports at the size limit are read to the end (and stay bounded)."""
    from hepcalc.model import MAX_REPORT_CHARS

    units = (
        "Calcification\n",
        "LIVER: 5 mm calcification and a ",
        "calc 3mm seg 8; ",
        # one run-on sentence with a target every few words, for the rules that look around
        # a target (fetal liver foci, 'within it', history cues, group counts, list items)
        "fetal liver echogenic focus ",
        "3 cm lesion in segment 6, calcification within it, ",
        "history of calcification in segment 6 and ",
        "two calcified granulomas in segment 6 and one in segment 7, ",
        "Addendum: on review the segment 6 calcification lies within the right kidney. ",
    )
    for unit in units:
        text = (unit * (MAX_REPORT_CHARS // len(unit)))[:MAX_REPORT_CHARS]
        reading = read_report(text)
        assert len(reading.findings) <= 200 and len(reading.excluded) <= 500
        _check(text[:5000])
