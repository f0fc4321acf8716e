"""assess(): Case in, Assessment out. The one entry point of the engine.

Pure: no I/O, no clock, no globals beyond the immutable knowledge base. The
same Case and kb_version give byte-identical JSON (``Assessment.to_json``),
which is what makes an Assessment auditable after the fact.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable

from hepcalc.engine import growth as growth_mod
from hepcalc.engine import lirads as lirads_mod
from hepcalc.engine import safety
from hepcalc.engine import tracks as tracks_mod
from hepcalc.engine.afp import afp_for_age
from hepcalc.engine.category import categorize
from hepcalc.engine.conditions import Context
from hepcalc.engine.differential import assess_differential
from hepcalc.engine.pathway import Plan, TrackView, plan
from hepcalc.engine.report_context import apply_report_context
from hepcalc.engine.risk import assess_risk
from hepcalc.knowledge import KnowledgeBase, load_kb
from hepcalc.model import (
    Action,
    Assessment,
    Case,
    DifferentialItem,
    Exam,
    FindingResult,
    Growth,
    MustExclude,
    Recommendation,
    ReferenceOut,
    Summary,
)

# Most pressing first: a reader scans from the top.
_ACTION_ORDER = {
    a: i
    for i, a in enumerate(
        [
            Action.specialist_referral,
            Action.multidisciplinary_discussion,
            Action.noncontrast_ct,
            Action.characterize_contrast_imaging,
            Action.surgical_consultation,
            Action.biopsy_consideration,
            Action.laboratory_tests,
            Action.treat_underlying_cause,
            Action.follow_up_imaging,
            Action.surveillance_imaging,
            Action.hcc_surveillance,
            Action.no_further_workup,
        ]
    )
}


def _with_findings(exams: list[Exam]) -> list[Exam]:
    """Fill ``findings`` from ``report_text`` where only text was given."""
    out = []
    for exam in exams:
        if exam.findings is None:
            findings = []
            if exam.report_text:
                from hepcalc.reports import extract_findings

                findings = extract_findings(exam.report_text, exam.modality)
            exam = exam.model_copy(update={"findings": findings})
        out.append(exam)
    return out


def _merge(recs: list[Recommendation]) -> list[Recommendation]:
    """One recommendation per distinct step; tracks joined; no 'nothing to do' beside a step."""
    merged: dict[tuple, Recommendation] = {}
    for r in recs:
        key = (
            r.action,
            r.modality,
            r.contrast,
            tuple(r.interval_months or ()),
            r.duration_months,
            r.rule,
        )
        if key in merged:
            prev = merged[key]
            tracks = [t for t in (prev.track or "").split(", ") if t]
            if r.track and r.track not in tracks:
                tracks.append(r.track)
            assumptions = list(dict.fromkeys([*prev.assumptions, *r.assumptions]))
            update: dict = {"track": ", ".join(tracks) or None, "assumptions": assumptions}
            if safety.more_urgent(r.urgency, prev.urgency) != prev.urgency:
                update.update(urgency=r.urgency, urgency_reason=r.urgency_reason)
            merged[key] = prev.model_copy(update=update)
        else:
            merged[key] = r
    out = list(merged.values())
    actionable = [r for r in out if r.action is not Action.no_further_workup]
    if actionable:
        out = actionable
    out.sort(key=lambda r: _ACTION_ORDER[r.action])  # stable: pathway order within an action
    return out


def _references(kb: KnowledgeBase, keys: Iterable[str]) -> list[ReferenceOut]:
    out: list[ReferenceOut] = []
    for key in dict.fromkeys(keys):
        ref = kb.reference(key)
        out.append(
            ReferenceOut(
                key=key,
                text=ref.citation_text(),
                strength=ref.strength,
                doi=ref.doi,
                pmid=ref.pmid,
                url=ref.url,
            )
        )
    return out


def _growth_is_informative(tr: tracks_mod.Track) -> bool:
    """Growth says something only with a second measurement, a stated prior, or a change."""
    latest = tr.observations[-1].finding
    return (
        len(tr.observations) > 1
        or tr.new
        or tr.resolved
        or latest.prior_size_mm is not None
        or latest.comparison is not None
    )


def assess(case: Case, kb: KnowledgeBase | None = None) -> Assessment:
    kb = kb or load_kb()
    exams = _with_findings(case.sorted_exams())
    # what the reports say about the patient fills the unknown fields (issue 13)
    stated = apply_report_context(case.patient, exams, kb)
    if stated.changed:
        case = case.model_copy(update={"patient": stated.patient})
    # safety stage (issue 12): contradictions in the input, the safer reading taken
    patient, contradictions = safety.reconcile(case.patient, exams, kb)
    if contradictions:
        case = case.model_copy(update={"patient": patient})
    profile = assess_risk(case.patient, [e.modality for e in exams])
    if stated.notes:
        risk = profile.risk.model_copy(
            update={"assumptions": [*profile.risk.assumptions, *stated.notes]}
        )
        profile = dataclasses.replace(profile, risk=risk)
    tracks = tracks_mod.build_tracks(exams)
    lirads_applies, _lirads_reason = lirads_mod.lirads_applies(case.patient)
    lirads_list = lirads_mod.lirads_results(case, tracks, exams) if lirads_applies else None
    lirads_by_track = {lr.track: lr for lr in (lirads_list or [])}

    views: list[TrackView] = []
    findings_out: list[FindingResult] = []
    growth_out: list[Growth] = []
    for tr in tracks:
        history = tuple((o.exam, o.finding) for o in tr.observations)
        exam, finding = history[-1]
        category, reason = categorize(finding, history)
        g = growth_mod.assess_growth(tr) if _growth_is_informative(tr) else None
        views.append(
            TrackView(
                track=tr.id,
                finding=finding,
                exam=exam,
                history=history,
                category=category,
                growth=g,
                lirads=lirads_by_track.get(tr.id),
                resolved=tr.resolved,
            )
        )
        if g is not None:
            growth_out.append(g)
        findings_out.append(
            FindingResult(
                track=tr.id,
                category=category,
                kind=finding.kind,
                calcified=finding.is_calcified,
                latest_size_mm=finding.size_mm,
                calcification_size_mm=finding.calcification_size_mm,
                exams=[e.id or "" for e, _ in history],
                count=finding.count,
                pattern=finding.pattern,
                location=finding.location,
                associated=finding.associated,
                evidence=[f.evidence for _, f in history if f.evidence is not None],
                category_reason=reason,
            )
        )

    the_plan: Plan = plan(kb, profile, case.patient, views, lirads_applies, contradictions)
    recommendations = _merge(the_plan.recommendations)
    if not recommendations:
        recommendations = [
            Recommendation(
                action=Action.no_further_workup,
                rule="no-liver-finding",
                rationale=(
                    "No current liver calcification or lesion was found in the exams given"
                    + (" (earlier findings have resolved)." if tracks else ".")
                ),
                citations=list(kb.rule("no-liver-finding").citations),
            )
        ]

    # Differential per finding (issue 11): every current finding, calcified or not.
    differential: list[DifferentialItem] = []
    must_exclude: list[MustExclude] = []
    live = [v for v in views if not v.resolved]
    afp = afp_for_age(case.patient, kb, profile.prenatal)
    history_text = "\n".join(e.report_text for e in exams if e.report_text)
    for tv in live:
        ctx = Context(
            finding=tv.finding,
            patient=case.patient,
            profile=profile,
            growth=tv.growth.status if tv.growth else None,
            n_tracks=len(live),
            modality=tv.exam.modality,
            background_liver=tv.exam.background_liver,
            earlier_kinds=tuple(f.kind for _, f in tv.history[:-1]),
            afp=afp,
            history_text=history_text,
        )
        items, must = assess_differential(ctx, kb, tv.track)
        differential.extend(items)
        must_exclude.extend(must)

    warnings = [*stated.warnings, *the_plan.warnings]
    keys: list[str] = []
    for r in recommendations:
        keys.extend(r.citations)
    for w in warnings:
        keys.extend(w.citations)
    for d in differential:
        keys.extend(d.citations)
    for m in must_exclude:
        keys.extend(m.citations)
    for g in growth_out:
        keys.extend(g.citations)
    for lr in lirads_list or []:
        keys.extend(lr.citations)

    return Assessment(
        kb_version=kb.version,
        risk=profile.risk,
        findings=findings_out,
        growth=growth_out,
        lirads=lirads_list,
        differential=differential,
        must_exclude=must_exclude,
        recommendations=recommendations,
        warnings=warnings,
        summary=Summary(),
        references=_references(kb, keys),
    )
