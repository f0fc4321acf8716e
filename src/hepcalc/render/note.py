"""The clinician note: ``summary.clinician``, at most 1,500 characters.

Why a separate, short note: an EHR note field or a CDS card cannot carry the
14,000-character full report, and a clinician reading between patients needs
the decision first. The note says, in this order: the risk tier and why, one
line per finding (category, size, growth verdict), the plan (each step with its
urgency and interval, conditional steps kept conditional), what must be
excluded, the most likely cause per finding with its likelihood, and the one
warning that matters most. Everything else (evidence sentences, variability
bases, rationales, references) is in ``--format text`` and ``--detail``.

The limit is enforced, not hoped for: lines are added by priority and the
lowest-priority lines are dropped (with a pointer to the full report) when a
case has many findings or steps.
"""

from __future__ import annotations

from hepcalc.model import Action, Assessment, FindingResult, Growth, GrowthStatus, Recommendation
from hepcalc.render import words
from hepcalc.render.tidy import clean, clip, sentence
from hepcalc.render.view import (
    compared,
    condition_of,
    etiology_name,
    is_conditional,
    top_urgency,
)

NOTE_LIMIT = 1500
LINE_LIMIT = 240

# Warnings that are about method, not this patient: shown only when nothing else is.
BACKGROUND_WARNINGS: frozenset[str] = frozenset(
    {"measurement_variability_heuristic", "risk_unknown", "noncontrast_images_first"}
)

STATUS_WORDS: dict[GrowthStatus, str] = {
    GrowthStatus.new: "new",
    GrowthStatus.stable: "stable",
    GrowthStatus.decreased: "decreased",
    GrowthStatus.resolved: "resolved",
    GrowthStatus.within_variability: "within measurement variability",
    GrowthStatus.significant_growth: "growth beyond measurement variability",
    GrowthStatus.not_comparable: "not comparable",
}


def factor_phrase(factor: str) -> str:
    """'symptom:jaundice' -> 'jaundice'; 'chronic_hbv' -> 'chronic hepatitis B'."""
    from hepcalc.engine.risk import factor_words

    kind, _, name = factor.partition(":")
    if name:
        return name.replace("_", " ")
    return factor_words(kind)


def risk_line(a: Assessment) -> str:
    tier = a.risk.tier.value
    if a.risk.factors:
        why = ", ".join(factor_phrase(f) for f in a.risk.factors)
    else:
        why = "no risk factor recorded"
    unknown = len(a.risk.unknown)
    extra = f"; {unknown} factor{'s' if unknown != 1 else ''} not stated" if unknown else ""
    return f"Risk: {tier} ({why}{extra})."


def short_study(rec: Recommendation) -> str:
    return words.modality_words(rec.modality, rec.contrast)


def short_action(rec: Recommendation) -> str:
    """'non-contrast CT', 'MRI with hepatobiliary contrast to characterize', ..."""
    study = short_study(rec)
    a = rec.action
    text = {
        Action.no_further_workup: "no further imaging",
        Action.follow_up_imaging: f"follow-up {study or 'imaging'}",
        Action.surveillance_imaging: f"surveillance {study or 'imaging'}",
        Action.hcc_surveillance: "continue HCC surveillance ultrasound",
        Action.noncontrast_ct: "non-contrast CT",
        Action.characterize_contrast_imaging: (
            f"{study or 'multiphase CT or MRI'} to characterize"
        ),
        Action.multidisciplinary_discussion: "multidisciplinary discussion",
        Action.biopsy_consideration: "consider biopsy",
        Action.surgical_consultation: "surgical consultation",
        Action.specialist_referral: (
            f"referral to {rec.modality}" if rec.modality else "specialist referral"
        ),
        Action.laboratory_tests: "laboratory tests",
        Action.treat_underlying_cause: "treat the underlying cause",
    }[a]
    return text


def when_words(rec: Recommendation) -> str:
    """'in 3-6 months', 'within 3 months', 'every 6 months for 24 months' or ''."""
    iv = rec.interval_months
    if not iv:
        return ""
    lo, hi = iv[0], iv[-1]
    if rec.action in (Action.surveillance_imaging, Action.hcc_surveillance):
        text = f"every {words.months_range(iv)} months"
        if rec.duration_months:
            text += f" for {words.num(rec.duration_months)} months"
        return text
    if hi == 0:
        return "now"
    if lo == 0:
        return f"within {words.num(hi)} months"
    return f"in {words.months_range(iv)} months"


def step_line(rec: Recommendation) -> str:
    """'non-contrast CT (A), routine' with its condition when it has one."""
    text = short_action(rec)
    if rec.track:
        text += f" ({rec.track})"
    when = when_words(rec)
    if when:
        text += f", {when}"
    text += f"; urgency {rec.urgency}"
    if is_conditional(rec):
        text = f"{condition_of(rec)}: {text}"
    return text[:1].upper() + text[1:]


def growth_verdict(g: Growth | None) -> str:
    """'growth beyond measurement variability, 14 -> 25 mm over 193 d (+/-6.9 mm)'."""
    if g is None:
        return "no prior for comparison"
    text = STATUS_WORDS[g.status]
    if g.from_mm is not None and g.to_mm is not None and g.from_mm != g.to_mm:
        text += f", {words.num(g.from_mm)} -> {words.mm(g.to_mm)}"
    elif g.to_mm is not None and g.from_mm is not None:
        text += f", {words.mm(g.to_mm)} on both"
    if g.interval_days is not None:
        text += f" over {g.interval_days} d"
    if g.variability_mm is not None and g.status in (
        GrowthStatus.significant_growth,
        GrowthStatus.within_variability,
    ):
        text += f" (variability +/-{words.num(g.variability_mm)} mm)"
    return text


def finding_summary(f: FindingResult) -> str:
    """'isolated calcification, 25 mm, right lobe' (count when more than one)."""
    parts = [f.category.value.replace("_", " ")]
    if f.latest_size_mm is not None:
        parts.append(words.mm(f.latest_size_mm))
    if f.calcification_size_mm is not None:
        parts.append(f"calcification within it {words.mm(f.calcification_size_mm)}")
    if f.count != 1:
        parts.append(f"x{f.count}" if isinstance(f.count, int) else "multiple")
    place = words.clinician_place(f.location)
    if place:
        parts.append(place)
    return ", ".join(parts)


def growth_by_track(a: Assessment) -> dict[str, Growth]:
    return {g.track: g for g in compared(a)}


def top_causes(a: Assessment, track: str, limit: int = 2) -> list[str]:
    """'Healed (calcified) granuloma (low)' for the leading items of one finding."""
    ranked = sorted((d for d in a.differential if d.track == track), key=lambda d: d.rank)
    strong = [d for d in ranked if d.likelihood in ("high", "moderate")]
    chosen = (strong or ranked)[:limit]
    return [f"{etiology_name(d.etiology, d.name)} ({d.likelihood})" for d in chosen]


def key_warning(a: Assessment) -> str | None:
    """The one warning that matters: a contradiction first, then patient-specific ones."""
    if not a.warnings:
        return None
    ranked = sorted(
        a.warnings,
        key=lambda w: (
            w.code != "input_contradiction",
            w.code in BACKGROUND_WARNINGS,
        ),
    )
    w = ranked[0]
    more = len(a.warnings) - 1
    tail = f" (+{more} more in the full report)" if more else ""
    return f"Warning: {clip(sentence(w.text), LINE_LIMIT)}{tail}"


def lirads_by_track(a: Assessment) -> dict[str, str]:
    return {lr.track: lr.category.value for lr in a.lirads or []}


def render_note(a: Assessment) -> str:
    """The note within NOTE_LIMIT characters: lines chosen by priority, shown in reading order."""
    growth = growth_by_track(a)
    lirads = lirads_by_track(a)
    urgency = top_urgency(a)
    findings = []
    for f in a.findings:
        category = finding_summary(f) + (f", {lirads[f.track]}" if f.track in lirads else "")
        line = f"- {f.track}: {category}; {growth_verdict(growth.get(f.track))}."
        findings.append(clip(line, LINE_LIMIT))
    plan = [
        clip(f"{i}. {step_line(rec)}", LINE_LIMIT) + "."
        for i, rec in enumerate(a.recommendations, 1)
    ]
    exclude = [
        clip(
            f"- {etiology_name(m.etiology, m.name)}"
            + (f" ({m.track})" if m.track else "")
            + f": {sentence(m.reason)}",
            LINE_LIMIT,
        )
        for m in a.must_exclude
    ]
    warning = key_warning(a)
    likely = [
        clip(f"- {f.track}: {'; '.join(top_causes(a, f.track))}.", LINE_LIMIT)
        for f in a.findings
        if top_causes(a, f.track)
    ]
    # (reading order, header, lines); priority is the order of PRIORITY below
    sections: dict[str, tuple[str | None, list[str]]] = {
        "risk": (None, [risk_line(a)]),
        "findings": ("Findings:", findings),
        "plan": ("Plan" + (f" ({urgency})" if urgency != "routine" else "") + ":", plan),
        "exclude": ("Must exclude:", exclude),
        "warning": (None, [warning] if warning else []),
        "likely": ("Leading causes:", likely),
    }
    priority = ("risk", "plan", "findings", "exclude", "warning", "likely")
    tail = "Full report in the text rendering."
    chosen: dict[str, list[str]] = {k: [] for k in sections}

    def assembled() -> str:
        out: list[str] = []
        for key, (header, _) in sections.items():
            if chosen[key]:
                out += ([header] if header else []) + chosen[key]
        return "\n".join([*out, tail])

    for key in priority:
        for line in sections[key][1]:
            chosen[key].append(line)
            if len(clean(assembled())) > NOTE_LIMIT:
                chosen[key].pop()
    text = clean(assembled())
    return text if len(text) <= NOTE_LIMIT else clip(text, NOTE_LIMIT)
