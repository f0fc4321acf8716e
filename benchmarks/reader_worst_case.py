"""Worst-case reading time per 100 KB: adversarial repetitions of every trigger word.

    .venv/bin/python benchmarks/reader_worst_case.py [--size 100000] [--top 15]

Why: a reader built from regular expressions and look-backs can be linear on
real reports and quadratic on one pathological input (``"calcified-" * 19_900``
once took minutes: every candidate walked back to the start of one 199 KB
"word"). The goal (issue 16) is at most 1 s per 100 KB for *any* input within
``model.MAX_REPORT_CHARS``.

The inputs are every word the reader reacts to (targets, organs, negation and
history triggers, size and segment words, section labels; ``ADVERSARIAL_TOKENS``
in ``tests/reports/adversarial.py``), each repeated with every separator
(space, hyphen, comma, full stop, semicolon, newline, nothing) to the size asked,
plus pairs of tokens alternating. Each input is read once at ``size`` and once at
``size / 2``: the time per 100 KB at the full size is the figure to compare with
the goal, and the ratio of the two times shows the growth (about 2 for linear,
about 4 for quadratic). The machine is shared, so single ratios are noisy; a
quadratic stage shows as a ratio near 4 *and* a large time, not one of them.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "reports"))

from adversarial import adversarial_inputs  # noqa: E402

from hepcalc.model import MAX_REPORT_CHARS  # noqa: E402
from hepcalc.reports import read_report  # noqa: E402


def _time(text: str) -> float:
    t0 = time.perf_counter()
    read_report(text)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--size", type=int, default=100_000, help="characters per input")
    ap.add_argument("--top", type=int, default=15, help="slowest inputs to list")
    ap.add_argument("--pairs", action="store_true", help="also alternate pairs of tokens")
    args = ap.parse_args(argv)
    size = min(args.size, MAX_REPORT_CHARS)
    rows = []
    t_all = time.perf_counter()
    for name, make in adversarial_inputs(pairs=args.pairs):
        full = _time(make(size))
        half = _time(make(size // 2))
        rows.append((full / size * 100_000, full / max(half, 1e-6), name))
    rows.sort(reverse=True)
    took = time.perf_counter() - t_all
    print(f"{len(rows)} adversarial inputs of {size:,} characters ({took:.0f} s)")
    print(f"{'s per 100 KB':>12}  {'t(n)/t(n/2)':>11}  input")
    for per, ratio, name in rows[: args.top]:
        print(f"{per:12.3f}  {ratio:11.2f}  {name}")
    worst = rows[0][0]
    print(f"worst case: {worst:.3f} s per 100 KB (goal <= 1 s)")
    return 0 if worst <= 1.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
