"""Score hepcalc once on the blind clinical-review set.

    .venv/bin/python benchmarks/clinical_review.py [--json OUT]

The set (``tests/data/clinical_review/cases.jsonl``) was written by an independent
reviewer before reading the engine; it is scored once per release, never tuned on
(see its README). Every case runs through ``hepcalc.pipeline.assess`` in-process, the
same call every face makes, and each expectation is checked as the README defines it.
The script prints, per class and overall, the cases that pass every expectation and
the expectations that pass, then every failure with the case id, the expectation and
what hepcalc answered. It is a benchmark, not a test: a failure is a finding for the
engineers, so the exit code is 0 whenever the set could be scored.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path
from typing import Any

from hepcalc.model import Assessment, Case
from hepcalc.pipeline import assess

ROOT = Path(__file__).resolve().parent.parent
CASES = ROOT / "tests" / "data" / "clinical_review" / "cases.jsonl"
URGENCY_ORDER = {"routine": 0, "soon": 1, "urgent": 2}


def _patient_texts(a: Assessment) -> str:
    """All words addressed to the patient: the summary and each step's own text."""
    parts = [a.summary.patient] + [r.patient_text for r in a.recommendations]
    return "\n".join(p for p in parts if p).lower()


def _top(a: Assessment, n: int) -> list[tuple[str | None, str]]:
    """(track, etiology) of items ranked 1..n; ranks restart per track."""
    return [(d.track, d.etiology) for d in a.differential if d.rank <= n]


def _max_urgency(a: Assessment) -> str:
    return max((r.urgency for r in a.recommendations), key=URGENCY_ORDER.__getitem__)


def check(key: str, want: Any, a: Assessment) -> tuple[bool, str]:
    """Check one expectation; return (passed, what hepcalc answered)."""
    actions = sorted({r.action.value for r in a.recommendations})
    if key == "risk_tier":
        got = a.risk.tier.value
        return got == want, got
    if key == "top3_any_of":
        top = _top(a, 3)
        return any(e in want for _, e in top), str(top)
    if key == "not_top1":
        top = _top(a, 1)
        return not any(e in want for _, e in top), str(top)
    if key == "must_exclude_includes":
        got = sorted({m.etiology for m in a.must_exclude})
        return all(w in got for w in want), str(got)
    if key == "urgency_at_least":
        got = _max_urgency(a)
        return URGENCY_ORDER[got] >= URGENCY_ORDER[want], got
    if key == "actions_any_of":
        return any(x in want for x in actions), str(actions)
    if key == "actions_none_of":
        bad = [x for x in actions if x in want]
        return not bad, str(actions)
    if key == "growth_status":
        wanted = [want] if isinstance(want, str) else list(want)
        got = [g.status.value for g in a.growth]
        return any(s in wanted for s in got), str(got)
    if key == "warning_codes_include":
        got = sorted({w.code for w in a.warnings})
        return all(w in got for w in want), str(got)
    if key == "lirads_present":
        got = bool(a.lirads)
        cats = [x.category.value for x in a.lirads or []]
        return got == want, str(cats) if cats else "no LI-RADS"
    if key == "patient_text_must_not_contain":
        text = _patient_texts(a)
        hits = [p for p in want if p.lower() in text]
        return not hits, f"contains {hits}" if hits else "ok"
    if key == "patient_text_must_contain_any":
        text = _patient_texts(a)
        ok = any(p.lower() in text for p in want)
        return ok, "ok" if ok else f"none of {want} in: {text[:300]!r}"
    raise ValueError(f"unknown expectation {key!r}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, help="write per-case results here")
    args = parser.parse_args(argv)

    rows = [json.loads(line) for line in CASES.read_text(encoding="utf-8").splitlines() if line]
    per_class: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # cases ok/n, exp ok/n
    failures: list[dict[str, Any]] = []
    results = []
    for row in rows:
        cls, expect = row["class"], row["expect"]
        try:
            a = assess(Case.model_validate(row["case"]))
            outcome = {k: check(k, v, a) for k, v in expect.items()}
            extra = {
                "recommendations": [
                    f"{r.action.value}/{r.urgency} ({r.rule})" for r in a.recommendations
                ],
                "top1": _top(a, 1),
            }
        except Exception as exc:  # a crash fails the case; it is reported
            outcome = {k: (False, f"error: {type(exc).__name__}: {exc}") for k in expect}
            extra = {}
        n_ok = sum(ok for ok, _ in outcome.values())
        stats = per_class[cls]
        stats[0] += n_ok == len(outcome)
        stats[1] += 1
        stats[2] += n_ok
        stats[3] += len(outcome)
        for k, (ok, got) in outcome.items():
            if not ok:
                failures.append(
                    {"id": row["id"], "class": cls, "key": k, "want": expect[k], "got": got} | extra
                )
        results.append({"id": row["id"], "class": cls, "passed": n_ok, "of": len(outcome)})

    print(f"{'class':32} {'cases ok':>10} {'expectations ok':>17}")
    tot = [0, 0, 0, 0]
    for cls in sorted(per_class):
        s = per_class[cls]
        tot = [t + x for t, x in zip(tot, s, strict=True)]
        print(f"{cls:32} {s[0]:>4}/{s[1]:<5} {s[2]:>8}/{s[3]:<8}")
    print(f"{'OVERALL':32} {tot[0]:>4}/{tot[1]:<5} {tot[2]:>8}/{tot[3]:<8}")
    print(f"\nFailures ({len(failures)}):")
    for f in failures:
        print(f"- {f['id']} [{f['class']}] {f['key']} = {f['want']!r}")
        print(f"    hepcalc: {f['got']}")
        if f.get("recommendations"):
            print(f"    steps: {f['recommendations']}")
    if args.json:
        args.json.write_text(
            json.dumps({"results": results, "failures": failures}, indent=2, default=str),
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
