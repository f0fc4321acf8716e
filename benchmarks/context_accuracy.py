"""Accuracy of the patient-context reader (issue 13) on its annotated dev set.

    python benchmarks/context_accuracy.py [tests/data/reports/context_dev.jsonl]

Each line of the set is ``{"id", "text", "gold": [...]}`` where ``gold`` lists what
the snippet *asserts* about the patient: risk factors (``chronic_hbv``),
``symptom:<code>``, ``site:<primary site>``, ``age:<years>``, ``sex:<male|female>``
and ``bg:<cirrhosis|steatosis>`` (background liver from imaging wording). Negated,
hedged, hypothetical and family statements are not in ``gold``: reading them as
facts is a false positive. Prints precision, recall and counts per label kind.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

from hepcalc.reports.patient_context import read_patient_context

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "data" / "reports" / "context_dev.jsonl"


def predicted(text: str) -> set[str]:
    """What the reader asserts, in the labels of the dev set."""
    ctx = read_patient_context(text)
    out = set(ctx.risk_factors)
    out.update(f"symptom:{s.value}" for s in ctx.symptoms)
    site = ctx.primary_cancer_site
    if site is not None and site.detail:
        out.add(f"site:{site.detail}")
    if ctx.age is not None:
        out.add(f"age:{float(ctx.age.value):g}")
    if ctx.sex is not None:
        out.add(f"sex:{ctx.sex.value.value}")
    if ctx.background_liver is not None:
        out.add(f"bg:{ctx.background_liver}")
    return out


def _kind(label: str) -> str:
    """The row of the table a label counts in (every symptom its own row)."""
    if label.startswith(("site:", "age:", "sex:")):
        return label.split(":", 1)[0]
    return label


def _gold(labels: list[str]) -> set[str]:
    out = set()
    for label in labels:
        if label.startswith("age:"):
            label = f"age:{float(label[4:]):g}"
        out.add(label)
    return out


def score(path: Path = DEFAULT) -> dict[str, dict[str, float]]:
    """Per label kind: tp, fp, fn, precision, recall (plus an ``all`` row)."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = _gold(row["gold"])
        pred = predicted(row["text"])
        for label in pred & gold:
            tp[_kind(label)] += 1
        for label in pred - gold:
            fp[_kind(label)] += 1
        for label in gold - pred:
            fn[_kind(label)] += 1
    out: dict[str, dict[str, float]] = {}
    kinds = sorted(set(tp) | set(fp) | set(fn))
    for k in [*kinds, "all"]:
        t = sum(tp.values()) if k == "all" else tp[k]
        f_p = sum(fp.values()) if k == "all" else fp[k]
        f_n = sum(fn.values()) if k == "all" else fn[k]
        out[k] = {
            "tp": t,
            "fp": f_p,
            "fn": f_n,
            "precision": t / (t + f_p) if t + f_p else 1.0,
            "recall": t / (t + f_n) if t + f_n else 1.0,
        }
    return out


def errors(path: Path = DEFAULT) -> list[tuple[str, list[str], list[str]]]:
    """(id, false positives, misses) for every line the reader gets wrong."""
    out = []
    for line in path.read_text("utf-8").splitlines():
        if not line.strip():
            continue
        row = json.loads(line)
        gold = _gold(row["gold"])
        pred = predicted(row["text"])
        if pred != gold:
            out.append((row["id"], sorted(pred - gold), sorted(gold - pred)))
    return out


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT
    table = score(path)
    print(f"{'label':<26}{'tp':>5}{'fp':>5}{'fn':>5}{'precision':>11}{'recall':>8}")
    for k, r in table.items():
        print(
            f"{k:<26}{r['tp']:>5}{r['fp']:>5}{r['fn']:>5}{r['precision']:>11.3f}{r['recall']:>8.3f}"
        )
    for rid, fps, misses in errors(path):
        print(f"  {rid}: false positive {fps or '-'}; missed {misses or '-'}")


if __name__ == "__main__":
    main()
