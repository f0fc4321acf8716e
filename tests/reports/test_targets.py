"""Target words: calcification and its signs, not look-alikes."""

from __future__ import annotations

import pytest

from hepcalc.reports.targets import PREFILTER, find_targets


def _kinds(text: str) -> list[tuple[str, str]]:
    return [(t.term, t.kind) for t in find_targets(text, 0, len(text))]


@pytest.mark.parametrize(
    "word",
    ["calcification", "calcifications", "calcified", "calcific", "calcificaton", "calcfication",
     "calc", "Calcifications"],
)  # fmt: skip
def test_calcification_words(word: str) -> None:
    assert _kinds(f"a {word} here") == [(word, "calc")]


@pytest.mark.parametrize(
    "text",
    ["noncalcified mass", "non-calcified nodule", "uncalcified", "renal calculus",
     "calcitonin level", "serum calcium 9.8", "calcaneus fracture"],
)  # fmt: skip
def test_look_alikes_are_not_targets(text: str) -> None:
    assert _kinds(text) == []


def test_calcium_deposit_is_a_target() -> None:
    assert _kinds("calcium deposits in the liver") == [("calcium", "calc")]


def test_signs_of_calcification() -> None:
    assert _kinds("echogenic focus with posterior acoustic shadowing")[0][1] == "shadowing"
    assert _kinds("echogenic focus without shadowing") == []
    assert _kinds("tiny hyperdense focus in segment 2")[0][1] == "dense"
    assert _kinds("granulomas")[0] == ("granulomas", "granuloma")
    assert _kinds("granulomatous disease") == []
    assert _kinds("phlebolith")[0][1] == "phlebolith"


def test_plural_is_recorded() -> None:
    (t,) = find_targets("calcifications", 0, 14)
    assert t.plural
    (t,) = find_targets("calcified", 0, 9)
    assert not t.plural


def test_prefilter_passes_every_target_and_rejects_plain_text() -> None:
    for text in ("calcified", "granuloma", "shadowing", "hyperdense", "phlebolith"):
        assert PREFILTER.search(text)
    assert PREFILTER.search("The liver is normal in size.") is None
