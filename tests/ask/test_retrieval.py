"""Retrieval quality on the frozen question sets (numbers reported in docs/ask.md).

The blind set (tests/data/ask_questions_blind.jsonl) was written by another
engineer from the article titles only and scored once; only aggregate numbers
are asserted here, so a failure never shows its questions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from hepcalc.ask.evaluate import evaluate, load_rows
from hepcalc.knowledge import load_kb

BLIND = Path(__file__).resolve().parents[1] / "data" / "ask_questions_blind.jsonl"
GOAL_UNSEEN_TOP1 = 0.9
# The single blind evaluation (docs/ask.md): top-1 0.917 (55/60), MRR 0.969,
# out-of-scope "don't know" 0.933 (14/15). Floors at the measured values.
FLOOR_BLIND_MRR = 0.96
FLOOR_BLIND_OUT_OF_SCOPE = 0.93
# The old unseen half scored 0.889 when it was unseen; it has since been used for
# development (0.972), so it is now a regression floor, not a measure.
FLOOR_UNSEEN_TOP1 = 0.95
FLOOR_UNSEEN_MRR = 0.98


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
        "dev_unseen2": 0.95,
        "dev_unseen3": 0.9,
        "dev_unseen4": 0.95,
    }
    for split, floor in floors.items():
        assert m[split]["top1"] >= floor, (split, m[split])
    # near-domain questions the articles do not answer (fatty liver, gallstones...)
    assert m["dev_out_of_scope"]["dont_know"] == 1.0


def test_unseen_half_above_regression_floor(question_rows: list[dict[str, Any]]) -> None:
    m = evaluate(_split(question_rows, "unseen"))["unseen"]
    assert m["top1"] >= FLOOR_UNSEEN_TOP1
    assert m["mrr"] >= FLOOR_UNSEEN_MRR


def test_blind_set_meets_goal_and_floors() -> None:
    rows = load_rows(BLIND)
    in_scope = [dict(r, split="in_scope") for r in rows if r["article"] is not None]
    oos = [dict(r, split="out_of_scope") for r in rows if r["article"] is None]
    assert len(in_scope) >= 60 and len(oos) >= 15
    m = evaluate(in_scope + oos)
    assert m["in_scope"]["top1"] >= GOAL_UNSEEN_TOP1
    assert m["in_scope"]["mrr"] >= FLOOR_BLIND_MRR
    assert m["out_of_scope"]["dont_know"] >= FLOOR_BLIND_OUT_OF_SCOPE


def test_every_out_of_scope_question_gets_dont_know(question_rows: list[dict[str, Any]]) -> None:
    assert evaluate(_split(question_rows, "out_of_scope"))["out_of_scope"]["dont_know"] == 1.0
