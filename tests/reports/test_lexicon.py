"""The reader's lexicons as data: checked at load, and an added word is read.

``data/organs.yaml`` and ``data/host_words.yaml`` hold the organ and host-lesion
words; editing them (not code) is how a phrasing is added. These tests pin both
halves: a malformed entry fails loudly naming the entry, and a word added to the
data is read by the compiled pattern.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from hepcalc.reports import alternation, attributes, lexicon, organs, targets
from hepcalc.reports.lexicon import LexiconError


def test_shipped_lexicons_load_and_name_their_groups() -> None:
    data = lexicon.load("organs")
    assert "liver" in data and "spleen" in data["other"]
    assert set(organs._GROUP_ORGAN.values()) == {"liver", *data["other"]}
    for pattern in (organs._ORGAN, organs._ORGAN_LOWER):
        assert set(pattern.groupindex) <= set(organs._GROUP_ORGAN)
        assert {organs._GROUP_ORGAN[g] for g in pattern.groupindex} == {"liver", *data["other"]}
    hosts = lexicon.load("host_words")
    for key in ("host", "back_reference"):
        assert tuple(hosts[key]) == ("cyst", "heman", "solid", "lesion")
    assert set(attributes.HOST_WORDS.groupindex) == {"cyst", "heman", "solid", "lesion"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([], ": must be a non-empty list"),
        ("liver", ": must be a non-empty list"),
        (["liver", ""], r"\[1\]: must be a non-empty string"),
        (["(?P<x>liver)"], r"\[0\]: .* holds a named group"),
        (["liver(", "spleen"], r"\[0\]: .* is not a valid pattern"),
    ],
)
def test_a_malformed_entry_is_named(value: object, message: str) -> None:
    with pytest.raises(LexiconError, match=r"organs\.yaml: liver" + message):
        lexicon.alternatives("organs.yaml: liver", value)


def test_a_bad_group_name_is_refused() -> None:
    with pytest.raises(LexiconError, match="not a valid name"):
        lexicon.group_name("organs.yaml: other", "Spleen-2")


def _with(monkeypatch: pytest.MonkeyPatch, name: str, edit: Any) -> None:
    data = copy.deepcopy(lexicon.load(name))
    edit(data)
    real = lexicon.load

    def fake(n: str) -> dict[str, Any]:
        return data if n == name else real(n)

    monkeypatch.setattr(lexicon, "load", fake)


def test_an_organ_word_added_to_the_data_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """Adding "tentorium" to the brain-and-other group is a one-line data edit."""
    word = "Calcification of the tentorium"
    assert [o.organ for o in organs.find_organs(word, 0, len(word))] == []
    _with(monkeypatch, "organs", lambda d: d["other"]["other"].append("tentori(?:um|al)"))
    alternatives = organs._organ_alternatives()
    arranged, _ = alternation.arrange(alternatives)
    pattern = re.compile(rf"(?=[A-Za-z])\b(?:{arranged})\b", re.I)
    assert [str(m.lastgroup).split("__")[0] for m in pattern.finditer(word)] == ["other"]


def test_a_host_word_added_to_the_data_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    _with(monkeypatch, "host_words", lambda d: d["host"]["solid"].append("hamartomas?"))
    pattern = attributes._host_pattern("host")
    assert pattern.search("calcified hamartoma").lastgroup == "solid"  # type: ignore[union-attr]


def test_host_words_must_keep_the_codes_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    _with(monkeypatch, "host_words", lambda d: d["host"].pop("heman"))
    with pytest.raises(LexiconError, match=r"host_words\.yaml: host: must list exactly"):
        attributes._host_pattern("host")


def test_an_organ_file_without_other_organs_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    _with(monkeypatch, "organs", lambda d: d.pop("other"))
    with pytest.raises(LexiconError, match=r"organs\.yaml: other"):
        organs._organ_alternatives()


def test_a_negation_cue_added_to_the_data_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    """A context trigger set is data too: a new negation cue is one line."""
    from hepcalc.reports import context

    _with(monkeypatch, "context_triggers", lambda d: d["neg_before"].append(r"\bsans\b"))
    pattern = context._trigger("neg_before")
    assert pattern.search("sans hepatic calcification") is not None
    assert context._NEG_BEFORE.search("sans hepatic calcification") is None  # shipped set


def test_every_shipped_trigger_set_is_used_by_the_reader() -> None:
    from hepcalc.reports import context

    for name in lexicon.load("context_triggers"):
        assert isinstance(getattr(context, f"_{name.upper()}"), re.Pattern), name


def _targets_with(monkeypatch: pytest.MonkeyPatch, entry: str, words: list[str]) -> None:
    data = copy.deepcopy(targets._LEXICON)
    data[entry]["words"] = words
    monkeypatch.setattr(targets, "_LEXICON", data)


def test_target_words_are_data_and_each_holds_a_gate_stem(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A sign word is a line of targets.yaml; one the one-pass gate could not see (no
    stem as plain letters) is refused at import, naming the entry."""
    assert lexicon.load("targets")["dense_sign"]["words"] == targets._DENSE
    _targets_with(monkeypatch, "dense_sign", ["hyper-?dense", "calcium[- ]density"])
    assert targets._words("dense_sign")[1][1] == "calcium[- ]density"
    for bad, problem in [
        ("bright", "holds none of the stems"),
        ("(?:dense)?spot", "holds none of the stems"),  # the stem in an optional group
        ("den[sz]e", "holds none of the stems"),  # in a class
        ("dense|bright", "top-level '|'"),
    ]:
        _targets_with(monkeypatch, "dense_sign", ["dense", bad])
        with pytest.raises(
            LexiconError, match=r"targets\.yaml: dense_sign\.words\[1\]: .*" + re.escape(problem)
        ):
            targets._words("dense_sign")


def test_the_gate_stems_come_from_the_target_data() -> None:
    data = lexicon.load("targets")
    stems = {
        s
        for entry in ("granuloma", "phlebolith", "dense_sign", "echo_sign")
        for s in data[entry]["stems"]
    }
    assert stems <= set(targets.CANDIDATE_TRIGGERS)
    assert set(targets._NOT_CALC) == {w[4:6] for w in data["not_calc"]}
