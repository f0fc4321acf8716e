"""Clinician text: dense, exact and cited, every recommendation traceable to its rule.

The order follows how a radiologist reads a case: who the patient is (risk tier,
what is unknown and what was assumed), what was seen (findings with the report
sentence they came from), what changed (growth per track), LI-RADS where it
applies, what to do (action, study, contrast, interval, rule id, rationale),
what to watch for (warnings), what it might be (differential with reasons), and
the numbered references.
"""

from __future__ import annotations

from hepcalc.model import Assessment, FindingResult, Growth
from hepcalc.render import words
from hepcalc.render.environment import render_template
from hepcalc.render.view import references


def finding_line(f: FindingResult) -> str:
    """'calcification, punctate, 4 mm, x1, segment 7 (right lobe), associated: none'."""
    parts = [
        f.kind.value + (" (calcified)" if f.calcified and f.kind.value != "calcification" else "")
    ]
    if f.pattern is not None:
        parts.append(f.pattern.value)
    parts.append(words.mm(f.latest_size_mm))
    parts.append(f"count {f.count}")
    place = words.clinician_place(f.location)
    if place:
        parts.append(place)
    if f.associated is not None:
        parts.append(f"associated: {f.associated.value}")
    return ", ".join(parts)


def growth_line(g: Growth) -> str:
    """'14 mm -> 25 mm (+11 mm, +78.6%) over 190 d; exceeds variability (+/-5 mm, basis)'."""
    parts: list[str] = []
    if g.from_mm is not None and g.to_mm is not None:
        change = ""
        if g.change_mm is not None:
            change = f"{g.change_mm:+.1f} mm"
            if g.change_pct is not None:
                change += f", {g.change_pct:+.1f}%"
            change = f" ({change})"
        parts.append(f"{words.mm(g.from_mm)} -> {words.mm(g.to_mm)}{change}")
    if g.interval_days is not None:
        parts.append(f"over {g.interval_days} d")
    if g.exceeds_measurement_variability is not None:
        v = "exceeds" if g.exceeds_measurement_variability else "within"
        detail = ""
        if g.variability_mm is not None:
            detail = f" (+/-{words.num(g.variability_mm)} mm"
            detail += f"; {g.variability_basis})" if g.variability_basis else ")"
        parts.append(f"{v} measurement variability{detail}")
    if g.lirads_threshold_growth is not None:
        parts.append(f"LI-RADS threshold growth: {'yes' if g.lirads_threshold_growth else 'no'}")
    if g.matched_by:
        parts.append(f"matched by {g.matched_by}")
    return "; ".join(parts)


def render_clinician_text(a: Assessment) -> str:
    refs = references(a)
    findings = [
        {
            "track": f.track,
            "category": f.category.value,
            "line": finding_line(f),
            "exams": ", ".join(f.exams),
            "reason": f.category_reason,
            "evidence": [
                {
                    "sentence": e.sentence.strip(),
                    "where": (f"{e.section}, " if e.section else "") + f"chars {e.start}-{e.end}",
                    "hedged": e.hedged,
                }
                for e in f.evidence
            ],
        }
        for f in a.findings
    ]
    growth = [
        {
            "track": g.track,
            "status": g.status.value,
            "line": growth_line(g),
            "explanation": g.explanation,
            "cite": refs.cite(g.citations),
        }
        for g in a.growth
    ]
    lirads = (
        None
        if a.lirads is None
        else [
            {
                "track": lr.track,
                "category": lr.category.value,
                "visualization": lr.visualization.value if lr.visualization else None,
                "subtype": lr.subtype,
                "exam": lr.exam,
                "reason": lr.reason,
                "management": lr.management,
                "cite": refs.cite(lr.citations),
            }
            for lr in a.lirads
        ]
    )
    recs = [
        {
            "action": r.action.value,
            "track": r.track,
            "study": words.modality_words(r.modality, r.contrast),
            "interval": words.months_range(r.interval_months),
            "duration": words.num(r.duration_months) if r.duration_months else "",
            "rule": r.rule,
            "rationale": r.rationale,
            "assumptions": r.assumptions,
            "cite": refs.cite(r.citations),
        }
        for r in a.recommendations
    ]
    warnings = [
        {"code": w.code, "text": w.text, "cite": refs.cite(w.citations)} for w in a.warnings
    ]
    differential = [
        {
            "rank": d.rank,
            "name": words.etiology_name(d.etiology, d.name),
            "id": d.etiology,
            "track": d.track,
            "supporting": d.supporting,
            "against": d.against,
            "cite": refs.cite(d.citations),
        }
        for d in sorted(a.differential, key=lambda d: (d.rank, d.etiology))
    ]
    ref_lines = [
        {"n": refs.number[r.key], "key": r.key, "text": r.text, "strength": r.strength}
        for r in refs.items
    ]
    return render_template(
        "clinician.txt.j2",
        a=a,
        risk=a.risk,
        findings=findings,
        growth=growth,
        lirads=lirads,
        recs=recs,
        warnings=warnings,
        differential=differential,
        refs=ref_lines,
    )
