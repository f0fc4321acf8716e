"""Retrieval quality on the frozen question set (numbers reported in docs/ask.md)."""

from __future__ import annotations

from typing import Any

import pytest

from hepcalc.ask.evaluate import evaluate
from hepcalc.knowledge import load_kb

GOAL_UNSEEN_TOP1 = 0.9
# The current unseen half (the fifth one written; evaluated once, docs/ask.md)
# scored top-1 0.889 (32/36), MRR 0.954; the floors guard against regressions
# while the goal is not met.
FLOOR_UNSEEN_TOP1 = 0.85
FLOOR_UNSEEN_MRR = 0.93


def _split(rows: list[dict[str, Any]], name: str) -> list[dict[str, Any]]:
    return [r for r in rows if r["split"] == name]


def test_question_set_is_large_half_unseen_and_refers_to_real_articles(
    question_rows: list[dict[str, Any]], dev_rows: list[dict[str, Any]]
) -> None:
    in_scope = [r for r in question_rows if r["article"] is not None]
    assert len(in_scope) >= 60
    unseen = len(_split(question_rows, "unseen"))
    assert abs(2 * unseen - len(in_scope)) <= 3  # half of the in-scope questions
    assert len(_split(question_rows, "out_of_scope")) >= 10
    articles = load_kb().articles
    for r in in_scope + [r for r in dev_rows if r["article"] is not None]:
        assert r["article"] in articles, r


def test_tuning_half(question_rows: list[dict[str, Any]], dev_rows: list[dict[str, Any]]) -> None:
    m = evaluate(_split(question_rows, "tuning") + dev_rows)
    assert m["tuning"]["top1"] >= 0.95
    floors = {
        "dev": 0.95,
        "dev_old_unseen": 0.95,
        "dev_unseen2": 0.9,
        "dev_unseen3": 0.85,
        "dev_unseen4": 0.9,
    }
    for split, floor in floors.items():
        assert m[split]["top1"] >= floor, (split, m[split])
    # near-domain questions the articles do not answer (fatty liver, gallstones...)
    assert m["dev_out_of_scope"]["dont_know"] == 1.0


def test_unseen_half_above_regression_floor(question_rows: list[dict[str, Any]]) -> None:
    m = evaluate(_split(question_rows, "unseen"))["unseen"]
    assert m["top1"] >= FLOOR_UNSEEN_TOP1
    assert m["mrr"] >= FLOOR_UNSEEN_MRR


@pytest.mark.xfail(
    strict=True, reason="goal not met: unseen top-1 is 0.889 (docs/ask.md); remove when met"
)
def test_unseen_half_meets_goal(question_rows: list[dict[str, Any]]) -> None:
    assert evaluate(_split(question_rows, "unseen"))["unseen"]["top1"] >= GOAL_UNSEEN_TOP1


def test_every_out_of_scope_question_gets_dont_know(question_rows: list[dict[str, Any]]) -> None:
    assert evaluate(_split(question_rows, "out_of_scope"))["out_of_scope"]["dont_know"] == 1.0
