"""Time the assessment of seed 000 (examples/seed-000.yaml): issue 11's speed check.

The evidence-model differential must not slow the seed-000 assessment by more than
20%. Run before and after a change on the same machine:

    .venv/bin/python benchmarks/differential_speed.py [N] [ROUNDS]

Prints, per assessment, the minimum CPU time over ROUNDS rounds of N assessments for
the full pipeline (engine + text renderings, ``hepcalc.pipeline.assess``) and for the
engine alone, plus the median wall time. The machine is shared and noisy: wall time
swings with other people's load, CPU time much less; compare minima.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from hepcalc.engine.assess import assess as engine_assess
from hepcalc.knowledge import load_kb
from hepcalc.model import Case
from hepcalc.pipeline import assess

SEED = Path(__file__).resolve().parents[1] / "examples" / "seed-000.yaml"


def _rounds(fn: Callable[[], object], n: int, rounds: int) -> tuple[float, float]:
    cpu: list[float] = []
    wall: list[float] = []
    for _ in range(rounds):
        c0, w0 = time.process_time(), time.perf_counter()
        for _ in range(n):
            fn()
        cpu.append((time.process_time() - c0) / n * 1000)
        wall.append((time.perf_counter() - w0) / n * 1000)
    return min(cpu), statistics.median(wall)


def main(n: int = 100, rounds: int = 15) -> None:
    case = Case.model_validate(yaml.safe_load(SEED.read_text(encoding="utf-8")))
    kb = load_kb()
    assess(case, kb)  # warm caches (templates, KB, compiled conditions)
    for name, fn in (
        ("pipeline", lambda: assess(case, kb)),
        ("engine", lambda: engine_assess(case, kb)),
    ):
        cpu, wall = _rounds(fn, n, rounds)
        print(f"seed-000 {name}: min CPU {cpu:.3f} ms, median wall {wall:.3f} ms (n={n})")


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    main(*args)
