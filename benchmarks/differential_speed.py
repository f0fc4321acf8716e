"""Time the full assessment of seed 000 (examples/seed-000.yaml), N times.

Issue 11 requires that the evidence-model differential does not slow the seed-000
assessment by more than 20%. Run before and after a change on the same machine:

    .venv/bin/python benchmarks/differential_speed.py [N]

Prints the median of 5 rounds of N assessments (ms per assessment). The
machine is shared and noisy: compare medians, not single runs.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from hepcalc.knowledge import load_kb
from hepcalc.model import Case
from hepcalc.pipeline import assess

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-000.yaml"


def main(n: int = 200) -> None:
    case = Case.model_validate(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    kb = load_kb()
    assess(case, kb)  # warm caches (templates, KB)
    rounds = []
    for _ in range(5):
        t0 = time.perf_counter()
        for _ in range(n):
            assess(case, kb)
        rounds.append((time.perf_counter() - t0) / n * 1000)
    print(
        f"seed-000 assess: median {statistics.median(rounds):.3f} ms/assessment "
        f"(rounds: {', '.join(f'{r:.3f}' for r in rounds)}; n={n})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
