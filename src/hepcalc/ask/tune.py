"""How the retrieval weights were chosen, re-runnable: two-fold cross-validation
and leave-one-question-out over the development questions only.

``python -m hepcalc.ask.tune [QUESTION_FILE ...]`` (default: the tuning and old
unseen questions of ``tests/data/ask_questions.jsonl`` and
``tests/ask/dev_questions.jsonl``) prints, for a small grid of ``Params``:

* **two-fold cross-validation**: the in-scope questions are split in two by a
  hash of their text; the configurations best on one half (among those that
  keep every out-of-scope question a "don't know") are scored on the other half,
  then the halves swap. The mean of the two other-half scores estimates how a
  choice made on one set fares on questions it was not chosen on.
* **leave-one-question-out**: each example question of each article is taken
  out of the index and asked. Example questions paraphrase the article title,
  which is how people who only know the topic ask, so this checks how the
  weights do on title-style paraphrases the index has never seen.

The blind question set is never read here: it is scored once, by hand, with
``python -m hepcalc.ask.evaluate`` (docs/ask.md).
"""

from __future__ import annotations

import hashlib
import itertools
import sys
from pathlib import Path
from typing import Any

from hepcalc.ask.answer import answer
from hepcalc.ask.evaluate import load_rows
from hepcalc.ask.index import Index, Params
from hepcalc.knowledge import Article, load_kb

GRID: dict[str, list[Any]] = {
    "k1": [1.2, 1.5, 2.0],
    "b": [0.5, 0.75, 1.0],
    "topic_weight": [1, 2, 3],
    "title_weight": [1, 3],
    "topic_mix": [0.0, 0.25, 0.5, 0.75, 1.0],
}


def _fold(question: str) -> int:
    return int(hashlib.md5(question.encode("utf-8")).hexdigest(), 16) % 2


def _top1(index: Index, rows: list[dict[str, Any]]) -> float:
    return sum(answer(r["q"], index=index).article == r["article"] for r in rows) / len(rows)


def _all_refused(index: Index, rows: list[dict[str, Any]]) -> bool:
    return all(not answer(r["q"], index=index).known for r in rows)


def leave_one_question_out(articles: list[Article], params: Params) -> float:
    """Top-1 over article example questions, each asked of an index without it."""
    hits = total = 0
    for i, art in enumerate(articles):
        for j, q in enumerate(art.questions):
            rest = [x for k, x in enumerate(art.questions) if k != j]
            held_out = art.model_copy(update={"questions": rest})
            index = Index([*articles[:i], held_out, *articles[i + 1 :]], params)
            hits += answer(q, index=index).article == art.id
            total += 1
    return hits / total


def cross_validate(
    rows: list[dict[str, Any]], grid: dict[str, list[Any]] = GRID
) -> list[tuple[dict[str, Any], float, float, bool]]:
    """(params, top-1 on half A, top-1 on half B, out-of-scope all refused) per config."""
    articles = sorted(load_kb().articles.values(), key=lambda a: a.id)
    in_scope = [r for r in rows if r["article"] is not None]
    oos = [r for r in rows if r["article"] is None]
    halves = [[r for r in in_scope if _fold(r["q"]) == k] for k in (0, 1)]
    out = []
    for values in itertools.product(*grid.values()):
        params = dict(zip(grid, values, strict=True))
        index = Index(articles, Params(**params))
        out.append(
            (params, _top1(index, halves[0]), _top1(index, halves[1]), _all_refused(index, oos))
        )
    return out


def main(argv: list[str]) -> None:
    root = Path(__file__).resolve().parents[3]
    files = [Path(a) for a in argv] or [
        root / "tests" / "data" / "ask_questions.jsonl",
        root / "tests" / "ask" / "dev_questions.jsonl",
    ]
    rows = [r for f in files for r in load_rows(f) if "blind" not in r["split"]]
    results = cross_validate(rows)
    safe = [r for r in results if r[3]]
    halves = [(r[1], r[2]) for r in safe]  # (top-1 on half A, top-1 on half B)
    for name, tune in (("A->B", 0), ("B->A", 1)):
        best = max(h[tune] for h in halves)
        winners = [h for h in halves if h[tune] == best]
        mean = sum(h[1 - tune] for h in winners) / len(winners)
        print(f"{name}: best {best:.3f} ({len(winners)} configs), other half {mean:.3f}")
    chosen = Params()
    for params, a, b, ok in results:
        if Params(**params) == chosen:
            print(f"chosen {params}: A {a:.3f}, B {b:.3f}, out-of-scope all refused: {ok}")
    articles = sorted(load_kb().articles.values(), key=lambda a: a.id)
    for mix in GRID["topic_mix"]:
        loo = leave_one_question_out(articles, Params(topic_mix=mix))
        print(f"leave-one-question-out, topic_mix {mix}: {loo:.3f}")


if __name__ == "__main__":
    main(sys.argv[1:])
