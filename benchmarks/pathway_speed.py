"""Time ``hepcalc.pipeline.assess`` on examples/seed-000.yaml (issue 12: the safety stage
must not make seed 000 more than 20% slower).

Usage: ``.venv/bin/python benchmarks/pathway_speed.py [N]`` (default 200). Prints the
median and best of 5 rounds of N assessments, in ms per assessment. The machine is shared and
noisy: compare medians measured back to back, never single runs; CPU time (process_time)
is less disturbed by other processes than wall time.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import yaml

from hepcalc.model import Case
from hepcalc.pipeline import assess

ROOT = Path(__file__).resolve().parent.parent


def main(n: int = 200) -> None:
    case = Case.model_validate(yaml.safe_load((ROOT / "examples/seed-000.yaml").read_text()))
    assess(case)  # warm: knowledge base load, imports
    rounds = []
    cpu = []
    for _ in range(5):
        t0 = time.perf_counter()
        c0 = time.process_time()
        for _ in range(n):
            assess(case)
        cpu.append((time.process_time() - c0) / n * 1000)
        rounds.append((time.perf_counter() - t0) / n * 1000)
    print(
        f"seed-000 assess: median {statistics.median(rounds):.3f} ms, best {min(rounds):.3f} ms "
        f"wall; CPU median {statistics.median(cpu):.3f} ms "
        f"(rounds: {', '.join(f'{r:.3f}' for r in rounds)}; n={n})"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
