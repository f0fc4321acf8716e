"""Speed of `ask` with measurements against `assess` of the same case (issue 15).

Why: a question with sizes is read into a Case, assessed by the same pipeline as
`hepcalc assess`, and worded from the Assessment; the goal is that answering it
costs the same order of time as assessing the case. Measured in-process after a
warm-up (knowledge base, article index and templates loaded) and ``gc.freeze()``
(as ``hepcalc serve`` does, so collections do not rescan the knowledge base), the
two calls interleaved run by run so that load on the shared machine hits both
alike; median and p95 of N runs each. Not a test: timings here are noisy.

    .venv/bin/python benchmarks/ask_speed.py [N]
"""

from __future__ import annotations

import datetime as dt
import gc
import statistics
import sys
import time
from pathlib import Path

from hepcalc.ask import answer
from hepcalc.ask.question import read_question
from hepcalc.model import Case
from hepcalc.pipeline import assess

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2024, 3, 1)


def summary(runs: list[float]) -> tuple[float, float]:
    runs = sorted(runs)
    return statistics.median(runs), runs[max(0, int(0.95 * len(runs)) - 1)]


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 100
    for name in ("question-seed-000.en.txt", "question-seed-000.zh-Hant.txt"):
        q = (ROOT / "examples" / name).read_text("utf-8").strip()
        case = read_question(q, today=TODAY).case
        assert case is not None
        data = case.model_dump(mode="json")
        answer(q, "patient", today=TODAY)  # warm-up
        assess(Case.model_validate(data))
        gc.freeze()
        t_assess: list[float] = []
        t_read: list[float] = []
        t_ask: list[float] = []
        for _ in range(n):
            t0 = time.perf_counter()
            assess(Case.model_validate(data))  # a fresh Case, as `hepcalc assess` builds one
            t1 = time.perf_counter()
            read_question(q, today=TODAY)
            t2 = time.perf_counter()
            answer(q, "patient", today=TODAY)
            t3 = time.perf_counter()
            t_assess.append((t1 - t0) * 1000)
            t_read.append((t2 - t1) * 1000)
            t_ask.append((t3 - t2) * 1000)
        a_med, a_p95 = summary(t_assess)
        r_med, _ = summary(t_read)
        q_med, q_p95 = summary(t_ask)
        print(
            f"{name}: assess median {a_med:.1f} ms (p95 {a_p95:.1f}); "
            f"reading the question {r_med:.2f} ms; ask median {q_med:.1f} ms "
            f"(p95 {q_p95:.1f}); ask/assess {q_med / a_med:.2f}"
        )


if __name__ == "__main__":
    main()
