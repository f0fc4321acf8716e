"""Retrieval quality on a question set: top-1 accuracy, MRR, "don't know" rate.

Input lines: ``{"q": ..., "article": id | null, "split": ...}``; ``article`` null
means the question is out of scope and must get "I don't know". Used by the test
suite and by ``python -m hepcalc.ask.evaluate FILE`` for docs/ask.md.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from hepcalc.ask.answer import answer
from hepcalc.ask.index import Index, default_index
from hepcalc.ask.text import terms


def load_rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def evaluate(rows: list[dict[str, Any]], index: Index | None = None) -> dict[str, dict[str, float]]:
    """Per split: n, top1 (answered with the expected article), mrr, dont_know rate.

    Top-1 counts the ANSWER (after the relevance gates), so a correct article that
    was refused as "don't know" is a miss; MRR uses the raw ranking.
    """
    index = index or default_index()
    acc: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in rows:
        m = acc[row["split"]]
        m["n"] += 1
        got = answer(row["q"], index=index)
        if row["article"] is None:
            m["dont_know"] += not got.known
            continue
        m["top1"] += got.article == row["article"]
        m["dont_know"] += not got.known
        ranked = [h.article.id for h in index.search(terms(row["q"]))]
        if row["article"] in ranked:
            m["mrr"] += 1 / (ranked.index(row["article"]) + 1)
    out: dict[str, dict[str, float]] = {}
    for split, m in acc.items():
        n = m["n"]
        out[split] = {"n": n} | {k: round(m[k] / n, 3) for k in ("top1", "mrr", "dont_know")}
    return out


def main(argv: list[str]) -> None:
    for split, m in sorted(evaluate(load_rows(Path(argv[0]))).items()):
        print(split, json.dumps(m))


if __name__ == "__main__":
    main(sys.argv[1:])
