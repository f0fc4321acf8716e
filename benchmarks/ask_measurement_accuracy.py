"""How well `ask` reads measurement questions it was not tuned on (issue 15).

Scores ``tests/data/ask_measurement_questions_blind.jsonl`` (20 questions, half in
Chinese, written after the reader was finished and scored once; not used for
tuning) on four things per question: the sizes per exam, the modality, the
language, and the engine's growth verdict per spot. The tuned set
(``ask_measurement_questions.jsonl``) is a test and must pass completely.

    .venv/bin/python benchmarks/ask_measurement_accuracy.py [--show]
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path

from hepcalc.ask import answer
from hepcalc.ask.question import read_question

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "tests" / "data" / "ask_measurement_questions_blind.jsonl"
TODAY = dt.date(2024, 3, 1)


def main() -> None:
    show = "--show" in sys.argv
    rows = [json.loads(line) for line in DATA.read_text("utf-8").splitlines() if line.strip()]
    score = {"sizes": 0, "modality": 0, "language": 0, "growth": 0, "all": 0}
    for row in rows:
        reading = read_question(row["q"], today=TODAY)
        sizes = [[s.mm for s in e.sizes] for e in reading.exams]
        mods = [e.modality.value for e in reading.exams if e.modality]
        want_mod = row["modality"]
        want_mods = want_mod if isinstance(want_mod, list) else [want_mod] * len(row["exams"])
        got = answer(row["q"], "patient", today=TODAY)
        growth = (
            [g["status"] for g in sorted(got.assessment["growth"], key=lambda g: g["track"])]
            if got.assessment
            else None
        )
        ok = {
            "sizes": sizes == row["exams"],
            "modality": mods == want_mods,
            "language": got.language == row["lang"],
            "growth": growth == row["growth"],
        }
        ok["all"] = all(ok.values())
        for k, v in ok.items():
            score[k] += int(v)
        if show and not ok["all"]:
            print(f"{row['id']}: sizes {sizes} modality {mods} growth {growth} problems "
                  f"{[p.key for p in reading.problems]}")  # fmt: skip
    n = len(rows)
    print(" ".join(f"{k} {v}/{n}" for k, v in score.items()))


if __name__ == "__main__":
    main()
