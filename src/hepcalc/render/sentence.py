"""The IMPRESSION line: one or two sentences a radiologist can paste into a report.

Style follows the ACR incidental-findings white papers: what it is (size,
pattern, where), what it most likely is, and what to do, e.g. "Isolated 4 mm
punctate hepatic calcification in segment 7, most consistent with a calcified
granuloma; no follow-up imaging is needed [Sirli2024]." The reference keys are
given so the statement can be traced to the knowledge base.
"""

from __future__ import annotations

from hepcalc.model import Assessment, Category, FindingResult, GrowthStatus
from hepcalc.render import words
from hepcalc.render.environment import render_template
from hepcalc.render.view import (
    condition_of,
    etiology_name,
    evidence_keys,
    is_conditional,
    is_serious,
    leading_cause,
    leading_finding,
)

_CATEGORY_NOUN: dict[Category, str] = {
    Category.isolated_calcification: "hepatic calcification",
    Category.calcified_solid_lesion: "calcified solid hepatic lesion",
    Category.calcified_cystic_lesion: "calcified cystic hepatic lesion",
    Category.noncalcified_lesion: "noncalcified hepatic lesion",
    Category.indeterminate: "indeterminate hepatic finding",
}


def _describe(f: FindingResult, prenatal: bool) -> str:
    noun = _CATEGORY_NOUN[f.category]
    if prenatal:
        noun = noun.replace("hepatic", "fetal hepatic")
    multiple = f.count == "multiple" or (isinstance(f.count, int) and f.count > 1)
    if multiple:
        noun = noun.replace("calcification", "calcifications").replace("lesion", "lesions")
        noun = noun.replace("finding", "findings")
    pattern = (
        f"{f.pattern.value} " if f.pattern is not None and f.pattern.value != "unknown" else ""
    )
    size = ""
    if f.latest_size_mm is not None:
        size = (
            f"up to {words.mm(f.latest_size_mm)} " if multiple else f"{words.mm(f.latest_size_mm)} "
        )
    lead = "Isolated " if f.category is Category.isolated_calcification and not multiple else ""
    if multiple:
        lead = f"{f.count if isinstance(f.count, int) else 'Multiple'} "
        text = f"{lead}{pattern}{noun}, {size.strip()}" if size else f"{lead}{pattern}{noun}"
    else:
        text = f"{lead}{size}{pattern}{noun}"
    if f.calcification_size_mm is not None and not multiple:
        text += f" with a {words.mm(f.calcification_size_mm)} calcification within it"
    place = words.clinician_place(f.location)
    if place:
        text += f" in {place}" if place.startswith("segment") else f" in the {place}"
    return text[0].upper() + text[1:]


def _growth_clause(a: Assessment, track: str) -> str:
    for g in a.growth:
        if g.track != track:
            continue
        since = ""
        dated = [p for p in g.points if p.date is not None]
        if len(dated) > 1:
            since = f" since {dated[0].date.isoformat()}" if dated[0].date else ""
        sizes = ""
        if g.from_mm is not None and g.to_mm is not None:
            same = words.num(g.from_mm) == words.num(g.to_mm)
            sizes = (
                f" at {words.mm(g.to_mm)}"
                if same
                else f" from {words.num(g.from_mm)} to {words.mm(g.to_mm)}"
            )
        s = g.status
        if s is GrowthStatus.significant_growth:
            return f", increased{sizes}{since}, beyond expected measurement variability"
        if s is GrowthStatus.within_variability:
            return f", unchanged within measurement variability ({sizes.strip()}{since})"
        if s is GrowthStatus.stable:
            return f", stable{since}"
        if s is GrowthStatus.decreased:
            return f", decreased{sizes}{since}"
        if s is GrowthStatus.resolved:
            return ", no longer seen"
        if s is GrowthStatus.not_comparable:
            return ", not comparable with prior imaging"
    return ""


def _cause_clause(a: Assessment, f: FindingResult) -> str:
    top = leading_cause(a, f.track)
    if top is None:
        return ""
    name = etiology_name(top.etiology, top.name).lower()
    if (
        top.likelihood == "high"
        and not is_serious(a, top.etiology)
        and f.category
        in (
            Category.isolated_calcification,
            Category.calcified_cystic_lesion,
        )
    ):
        return f", most consistent with {words.article(name)} {name}"
    ranked = [d for d in sorted(a.differential, key=lambda d: d.rank) if d.track in (None, f.track)]
    names = [etiology_name(d.etiology, d.name).lower() for d in ranked[:2]]
    return ", differential includes " + " and ".join(names) if names else ""


def _lirads_clause(a: Assessment, track: str) -> str:
    for lr in a.lirads or []:
        if lr.track == track:
            return f", LI-RADS {lr.category.value}"
    return ""


def impression_sentence(a: Assessment) -> str:
    f = leading_finding(a)
    prenatal = words.is_prenatal(a)
    if f is None:
        first = "No hepatic calcification or lesion identified for assessment"
    else:
        first = _describe(f, prenatal) + _growth_clause(a, f.track) + _lirads_clause(a, f.track)
        first += _cause_clause(a, f)
        others = len(a.findings) - 1
        if others:
            first += f" ({others} additional hepatic finding{'s' if others > 1 else ''} assessed)"
    phrases: list[str] = []
    keys: list[str] = []
    for rec in a.recommendations:
        phrase = words.clinician_action(rec)
        if is_conditional(rec) and rec is not a.recommendations[0]:
            phrase = f"{condition_of(rec)}, {phrase}"
        if phrase not in phrases:
            phrases.append(phrase)
        keys += [k for k in evidence_keys(rec.citations) if k not in keys]
    cite = f" [{', '.join(keys[:3])}]" if keys else ""
    if len(phrases) == 1 and phrases[0].startswith("no follow-up"):
        return render_template("sentence.txt.j2", first=f"{first}; {phrases[0]}{cite}.", second="")
    second = "; ".join(phrases)
    second = second[0].upper() + second[1:] + f"{cite}."
    return render_template("sentence.txt.j2", first=first + ".", second=second)


def patient_sentence(a: Assessment) -> str:
    """The patient's one-line answer: what the scan showed and the first step.

    Built from the same catalog messages as the patient text, so the two never
    disagree; one line a patient portal can show as a headline.
    """
    from hepcalc.render.patient import compose_patient

    sections = compose_patient(a).sections
    found = sections[0][1][0] if sections and sections[0][1] else ""
    first = found.split(". ")[0].rstrip(".") + "." if found else ""
    steps = sections[3][1] if len(sections) > 3 and sections[3][1] else []
    step = steps[0] if steps else ""
    return render_template("sentence.txt.j2", first=first, second=step)
