"""Clinician text: the concise report (``--format text``) and the full detail (``--detail``).

Both are exact and cited, every recommendation traceable to its rule. The concise
report is what a clinician reads: one line per finding with its change and its
leading causes (grouped under the finding, ranks restart per finding), one
explanation of how change was judged, the steps with urgency, what must be
excluded, the warnings and the references. The detail keeps everything; its
order follows how a radiologist reads a case: who the patient is (risk tier,
what is unknown and what was assumed), what was seen (findings with the report
sentence they came from), what changed (growth per track), LI-RADS where it
applies, what to do (action, study, contrast, interval, rule id, rationale),
what to watch for (warnings), what it might be (differential with reasons), and
the numbered references.
"""

from __future__ import annotations

from hepcalc.model import Assessment, FindingResult, Growth, GrowthStatus
from hepcalc.render import words
from hepcalc.render.environment import render_template
from hepcalc.render.note import (
    factor_phrase,
    finding_summary,
    growth_by_track,
    growth_verdict,
    lirads_by_track,
    risk_line,
    step_line,
)
from hepcalc.render.tidy import clean, clip, single_stops, strip_label
from hepcalc.render.view import etiology_name, references

# How many causes the concise report lists under each finding (the rest: --detail).
TOP_CAUSES = 3
# The concise report's length before the references, and the findings it lists at most.
REPORT_LIMIT = 3500
MAX_FINDINGS = 8


def finding_line(f: FindingResult) -> str:
    """'calcification, punctate, 4 mm, x1, segment 7 (right lobe), associated: none'."""
    parts = [
        f.kind.value + (" (calcified)" if f.calcified and f.kind.value != "calcification" else "")
    ]
    if f.pattern is not None:
        parts.append(f.pattern.value)
    parts.append(words.mm(f.latest_size_mm))
    if f.calcification_size_mm is not None:
        parts.append(f"calcification within it {words.mm(f.calcification_size_mm)}")
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
        if words.num(g.from_mm) == words.num(g.to_mm):
            parts.append(f"{words.mm(g.to_mm)} on both exams{change}")
        else:
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
        how = g.matched_by.strip()
        parts.append(how if how.lower().startswith("matched") else f"matched by {how}")
    return "; ".join(parts)


def _ref_lines(a: Assessment) -> list[dict[str, object]]:
    refs = references(a)
    return [
        {
            "n": refs.number[r.key],
            "key": r.key,
            "text": single_stops(r.text),
            "strength": r.strength,
        }
        for r in refs.items
    ]


def _explanation(a: Assessment) -> dict[str, str] | None:
    """The one growth explanation worth reading: growth first, else the first comparison."""
    explained = [g for g in a.growth if g.explanation.strip()]
    if not explained:
        return None
    explained.sort(key=lambda g: g.status is not GrowthStatus.significant_growth)
    return {"track": explained[0].track, "text": explained[0].explanation.strip()}


def _short_cite(cite: str, keep: int = 3) -> str:
    """'[10, 11, 12, 13, 14]' -> '[10, 11, 12, ...]' (the full list is in --detail)."""
    labels = cite.strip("[]").split(", ") if cite else []
    if len(labels) <= keep:
        return cite
    return "[" + ", ".join(labels[:keep]) + ", ...]"


def _report_text(a: Assessment, level: int) -> str:
    """The concise report at one level of brevity (0 = fullest)."""
    refs = references(a)
    growth = growth_by_track(a)
    lirads = lirads_by_track(a)
    top = TOP_CAUSES if level == 0 else (1 if level < 5 else 0)
    shown = a.findings if level < 4 else a.findings[: MAX_FINDINGS if level == 4 else 3]
    findings: list[dict[str, object]] = []
    for f in shown:
        ranked = sorted((d for d in a.differential if d.track == f.track), key=lambda d: d.rank)
        strong = [d for d in ranked if d.likelihood in ("high", "moderate")]
        chosen = (strong or ranked[:2])[:top]
        causes = [
            f"{i}. {etiology_name(d.etiology, d.name)} ({d.likelihood})"
            + (f" {_short_cite(refs.cite(d.citations))}" if d.citations else "")
            for i, d in enumerate(chosen, 1)
        ]
        if len(ranked) > len(chosen):
            causes.append(f"+{len(ranked) - len(chosen)} more (--detail)")
        g = growth.get(f.track)
        findings.append(
            {
                "track": f.track,
                "line": finding_summary(f),
                "lirads": lirads.get(f.track, ""),
                "growth": growth_verdict(g),
                "growth_cite": _short_cite(refs.cite(g.citations)) if g is not None else "",
                "causes": causes,
            }
        )
    if len(shown) < len(a.findings):
        findings.append(
            {
                "track": "+",
                "line": f"{len(a.findings) - len(shown)} more findings (--detail)",
                "lirads": "",
                "growth": "see --detail",
                "growth_cite": "",
                "causes": [],
            }
        )
    assumptions: list[str] = []
    for r in a.recommendations:
        for s in r.assumptions:
            if s not in assumptions:
                assumptions.append(s)
    unknown = [factor_phrase(x) for x in a.risk.unknown]
    rationale_limit = 10_000 if level < 2 else 200
    text = render_template(
        "clinician_report.txt.j2",
        a=a,
        risk_line=risk_line(a).removeprefix("Risk: "),
        assumed=", ".join(unknown) if a.risk.tier.value == "low" else "",
        findings=findings,
        explanation=_explanation(a) if level < 3 else None,
        recs=[
            {
                "step": step_line(r),
                "rule": r.rule,
                "cite": refs.cite(r.citations),
                "rationale": clip(r.rationale, rationale_limit),
                "urgency_reason": r.urgency_reason,
            }
            for r in a.recommendations
        ],
        assumptions=[clip(s, rationale_limit) for s in assumptions],
        must_exclude=[
            {
                "name": etiology_name(m.etiology, m.name),
                "track": m.track,
                "reason": clip(m.reason, rationale_limit),
                "cite": refs.cite(m.citations),
            }
            for m in a.must_exclude
        ],
        warnings=[
            {"code": w.code, "text": clip(w.text, rationale_limit), "cite": refs.cite(w.citations)}
            for w in a.warnings
        ],
        refs=_ref_lines(a),
    )
    return clean(text)


def body_length(report: str) -> int:
    """Characters before the reference list (what the REPORT_LIMIT counts)."""
    return len(report.split("\nREFERENCES\n", 1)[0])


def render_clinician_report(a: Assessment) -> str:
    """The concise report (``--format text``), within REPORT_LIMIT before the references.

    Brevity steps in only when a case needs it: fewer causes per finding, then
    shorter rationales, then no growth explanation, then fewer findings, each
    pointing to ``--detail`` for what it left out.
    """
    text = ""
    for level in range(6):
        text = _report_text(a, level)
        if body_length(text) <= REPORT_LIMIT:
            return text
    return text


def render_clinician_text(a: Assessment) -> str:
    """The full detail (``--detail``): everything the engine reported, cited."""
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
                "reason": strip_label(lr.category.value, lr.reason),
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
            "urgency": r.urgency,
            "rationale": r.rationale,
            "assumptions": [strip_label("Assumes", x) for x in r.assumptions],
            "cite": refs.cite(r.citations),
        }
        for r in a.recommendations
    ]
    warnings = [
        {"code": w.code, "text": w.text, "cite": refs.cite(w.citations)} for w in a.warnings
    ]
    order = {f.track: i for i, f in enumerate(a.findings)}
    differential = [
        {
            "rank": d.rank,
            "name": etiology_name(d.etiology, d.name),
            "id": d.etiology,
            "track": d.track,
            "likelihood": d.likelihood,
            "supporting": d.supporting,
            "against": d.against,
            "cite": refs.cite(d.citations),
        }
        for d in sorted(
            a.differential, key=lambda d: (order.get(d.track or "", len(order)), d.rank, d.etiology)
        )
    ]
    ref_lines = _ref_lines(a)
    text = render_template(
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
        must_exclude=[
            {
                "name": etiology_name(m.etiology, m.name),
                "track": m.track,
                "reason": m.reason,
                "cite": refs.cite(m.citations),
            }
            for m in a.must_exclude
        ],
    )
    return clean(text)
