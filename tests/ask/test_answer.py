"""answer(): shape, citations, audiences, refusals, robustness."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.ask import Answer, answer
from hepcalc.errors import InputError
from hepcalc.knowledge import load_kb


def test_json_shape_and_resolvable_citations() -> None:
    a = answer("Should liver calcifications be biopsied?")
    data = a.to_json_dict()
    assert {"answer", "citations", "related"} <= set(data)
    assert a.article == "biopsy-of-calcifications"
    refs = load_kb().references
    assert a.citations and all(k in refs for k in a.citations)
    # every cited key appears next to the passage it supports
    for key in a.citations:
        assert re.search(rf"\[[^\]]*\b{re.escape(key)}\b[^\]]*\]", a.answer)
    assert "Silva2008" in a.citations  # the seeding passage is cited to the meta-analysis


def test_related_questions_point_elsewhere() -> None:
    a = answer("Can liver calcifications get bigger over time?")
    kb = load_kb()
    own = kb.articles[a.article]
    assert a.related
    assert not set(a.related) & set(own.questions)


def test_audience_changes_the_words_not_the_sources() -> None:
    q = "What does calcification on MRI mean?"
    clin, pat = answer(q, "clinician"), answer(q, "patient")
    assert clin.article == pat.article == "calcification-on-mri"
    assert clin.citations == pat.citations
    assert "36.7%" in clin.answer
    assert "strong magnet" in pat.answer
    assert "seed 003" not in pat.answer.lower()


def test_seed_conflicts_are_in_the_answers() -> None:
    text = answer("Are metastases the most common cause of punctate liver calcification?").answer
    assert "not supported" in text
    text = answer("What is the risk of tumour seeding after a liver biopsy?").answer
    assert "0.9% per year" in text and "2.7% overall" in text


def test_out_of_scope_says_it_does_not_know() -> None:
    a = answer("What do calcifications on a mammogram mean?")
    assert not a.known
    assert a.answer.startswith("I don't know")
    assert a.citations == []
    assert a.related


@pytest.mark.parametrize("bad", ["", "   ", "x" * 2001])
def test_bad_question_is_an_input_error(bad: str) -> None:
    with pytest.raises(InputError):
        answer(bad)


def test_bad_audience_is_an_input_error() -> None:
    with pytest.raises(InputError) as e:
        answer("What is punctate calcification?", "nurse")
    assert e.value.problems[0][0] == "audience"


def test_deterministic() -> None:
    q = "calcified cyst in the liver"
    assert answer(q).model_dump() == answer(q).model_dump()


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_an_answer_or_an_input_error(text: str) -> None:
    try:
        a = answer(text)
    except InputError:
        assert not text.strip()
        return
    assert isinstance(a, Answer)
    assert a.answer
    assert a.known == bool(a.citations)
