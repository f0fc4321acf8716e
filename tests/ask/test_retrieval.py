"""Retrieval quality on the frozen question set (numbers reported in docs/ask.md)."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.ask.evaluate import evaluate
from hepcalc.knowledge import load_kb

GOAL_UNSEEN_TOP1 = 0.9
# The unseen top-1 measured at the third and last evaluation (docs/ask.md) is
# 0.818; this floor guards against regressions while the goal is not met.
FLOOR_UNSEEN_TOP1 = 0.8


def _split(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["split"] == name]


def test_question_set_is_large_half_unseen_and_refers_to_real_articles(
    question_rows: list[dict[str, Any]], dev_rows: list[dict[str, Any]]
) -> None:
    in_scope = [r for r in question_rows if r["article"] is not None]
    assert len(in_scope) >= 60
    assert len(_split(question_rows, "unseen")) * 2 == len(in_scope)
    assert len(_split(question_rows, "out_of_scope")) >= 10
    articles = load_kb().articles
    for r in in_scope + dev_rows:
        assert r["article"] in articles, r


def test_tuning_half(question_rows: list[dict[str, Any]], dev_rows: list[dict[str, Any]]) -> None:
    m = evaluate(_split(question_rows, "tuning") + dev_rows)
    assert m["tuning"]["top1"] >= 0.95
    assert m["dev"]["top1"] >= 0.9


def test_unseen_half_above_regression_floor(question_rows: list[dict[str, Any]]) -> None:
    m = evaluate(_split(question_rows, "unseen"))["unseen"]
    assert m["top1"] >= FLOOR_UNSEEN_TOP1
    assert m["mrr"] >= 0.85


@pytest.mark.xfail(
    strict=True, reason="goal not met yet: unseen top-1 is 0.818 (docs/ask.md); remove when met"
)
def test_unseen_half_meets_goal(question_rows: list[dict[str, Any]]) -> None:
    assert evaluate(_split(question_rows, "unseen"))["unseen"]["top1"] >= GOAL_UNSEEN_TOP1


def test_every_out_of_scope_question_gets_dont_know(question_rows: list[dict[str, Any]]) -> None:
    assert evaluate(_split(question_rows, "out_of_scope"))["out_of_scope"]["dont_know"] == 1.0
