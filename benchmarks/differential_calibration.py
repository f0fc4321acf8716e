"""Score the differential on the labelled vignettes (tests/data/differential/).

    .venv/bin/python benchmarks/differential_calibration.py                   # tune set
    .venv/bin/python benchmarks/differential_calibration.py --blind           # + first blind set
    .venv/bin/python benchmarks/differential_calibration.py --blind --misses  # misses of both
    .venv/bin/python benchmarks/differential_calibration.py --blind2          # + second (consumed)
    .venv/bin/python benchmarks/differential_calibration.py --blind3          # + blind (once!)

For each vignette the finding named by ``expected.target`` is located in the
assessment (same track building as the engine), and its ranked list is scored:
top-1 (``expected.top`` ranked first), top-3 (``expected.top`` in the first
three), per age group. Band calibration: of all items given "high" (or
"moderate", "low") for the target finding, how often the item is the expected
answer. must_exclude recall: the expected must-exclude ids found in
``Assessment.must_exclude`` (any track).

The first blind set (``vignettes_blind.jsonl``) was scored once at the end of a
round (2026-12-03) and then used for tuning: it is consumed, so ``--misses``
lists its misses too. ``vignettes_blind2.jsonl`` was scored once on 2026-12-04
(top-1 0.80, top-3 0.94; tests/data/differential/README.md) and is consumed
since: a third blind set was written (by a writer who saw neither blind set nor
the engine) before anyone looked at its misses.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

from hepcalc.engine import tracks as tracks_mod
from hepcalc.engine.assess import _with_findings, assess
from hepcalc.knowledge import load_kb
from hepcalc.model import Case

DATA = Path(__file__).resolve().parents[1] / "tests" / "data" / "differential"
GROUPS = ("fetus", "neonate", "infant", "child", "adult")


def target_track(case: Case, target: dict) -> str | None:
    """The track id of exams[exam].findings[finding] (order as given in the case)."""
    exams = [
        e if e.id else e.model_copy(update={"id": f"vignette-exam-{i}"})
        for i, e in enumerate(case.exams)
    ]
    case = case.model_copy(update={"exams": exams})
    want_exam = exams[target.get("exam", 0)].id
    want_index = target.get("finding", 0)
    prepared = _with_findings(case.sorted_exams())
    for tr in tracks_mod.build_tracks(prepared):
        for obs in tr.observations:
            if obs.exam.id != want_exam:
                continue
            findings = obs.exam.findings or []
            if want_index < len(findings) and obs.finding is findings[want_index]:
                return tr.id
    return None


def score(path: Path, show_misses: bool) -> dict:
    kb = load_kb()
    per_group: dict[str, list[tuple[bool, bool]]] = defaultdict(list)
    bands: dict[str, list[bool]] = defaultdict(list)
    must_hits = must_total = 0
    misses: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        v = json.loads(line)
        case = Case.model_validate(v["case"])
        exams = [
            e if e.id else e.model_copy(update={"id": f"vignette-exam-{i}"})
            for i, e in enumerate(case.exams)
        ]
        case = case.model_copy(update={"exams": exams})
        a = assess(case, kb)
        exp = v["expected"]
        track = target_track(case, exp.get("target", {}))
        ranked = [d for d in a.differential if d.track == track]
        ranked.sort(key=lambda d: d.rank)
        ids = [d.etiology for d in ranked]
        top1 = bool(ids) and ids[0] == exp["top"]
        top3 = exp["top"] in ids[:3]
        per_group[v["age_group"]].append((top1, top3))
        for d in ranked:
            bands[d.likelihood].append(d.etiology == exp["top"])
        found = {m.etiology for m in a.must_exclude}
        for m in exp.get("must_exclude", []):
            must_total += 1
            must_hits += m in found
            if show_misses and m not in found:
                misses.append(f"{v['id']} [{v['age_group']}] must_exclude {m} not listed")
        if show_misses and not top1:
            shown = ", ".join(f"{d.etiology} {d.probability:.2f}" for d in ranked[:4])
            misses.append(
                f"{v['id']} [{v['age_group']}] want {exp['top']} (ok: "
                f"{','.join(exp.get('acceptable_top3', []))}) got {shown}"
                + ("" if top3 else "  <-- not in top 3")
            )
    return {
        "per_group": per_group,
        "bands": bands,
        "must": (must_hits, must_total),
        "misses": misses,
    }


def report(name: str, result: dict) -> None:
    print(f"\n== {name}")
    print(f"{'age group':<10} {'n':>4} {'top-1':>7} {'top-3':>7}")
    all_rows: list[tuple[bool, bool]] = []
    for g in GROUPS:
        rows = result["per_group"].get(g, [])
        all_rows += rows
        if rows:
            t1 = sum(r[0] for r in rows) / len(rows)
            t3 = sum(r[1] for r in rows) / len(rows)
            print(f"{g:<10} {len(rows):>4} {t1:>7.2f} {t3:>7.2f}")
    if all_rows:
        t1 = sum(r[0] for r in all_rows) / len(all_rows)
        t3 = sum(r[1] for r in all_rows) / len(all_rows)
        print(f"{'all':<10} {len(all_rows):>4} {t1:>7.2f} {t3:>7.2f}")
    print("band calibration (items of the target finding; share that are the expected top):")
    for b in ("high", "moderate", "low"):
        rows = result["bands"].get(b, [])
        if rows:
            print(f"  {b:<9} {len(rows):>4} items, {sum(rows) / len(rows):.2f} correct")
    hits, total = result["must"]
    if total:
        print(f"must_exclude recall: {hits}/{total} = {hits / total:.2f}")
    for m in result["misses"]:
        print("  miss:", m)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument(
        "--blind", action="store_true", help="also score the first (consumed) blind set"
    )
    ap.add_argument("--blind2", action="store_true", help="also score the second (consumed) set")
    ap.add_argument(
        "--blind3", action="store_true", help="also score the blind set (once, aggregate only)"
    )
    ap.add_argument("--misses", action="store_true", help="list misses (tune, consumed blind)")
    args = ap.parse_args()
    if args.blind3 and args.misses:
        print("--misses is refused with --blind3 (blind: not inspected)", file=sys.stderr)
        return 2
    report("tune", score(DATA / "vignettes_tune.jsonl", args.misses))
    if args.blind:
        report("blind (consumed)", score(DATA / "vignettes_blind.jsonl", args.misses))
    if args.blind2:
        path = DATA / "vignettes_blind2.jsonl"
        if not path.exists():
            print(f"{path} not found", file=sys.stderr)
            return 2
        report("blind2 (consumed)", score(path, args.misses))
    if args.blind3:
        report("blind3", score(DATA / "vignettes_blind3.jsonl", False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
