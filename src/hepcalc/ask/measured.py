"""The patient's answer to a question with measurements, worded from the engine's Assessment.

Why the answer is assembled here and not taken from ``summary.patient``: the
person asked a question, so the answer first says what was read from it and
last what had to be assumed; in between it follows the Assessment field by
field (growth verdict against measurement variability, the most likely cause,
the recommended next step, when to see a doctor sooner, who decides). Every
sentence is a whole catalog message (``ask/messages``) in the asker's language;
numbers come from the Case and the Assessment, never from the wording.
"""

from __future__ import annotations

from hepcalc.ask.catalog import has, join, t
from hepcalc.ask.language import Language
from hepcalc.ask.question import Reading, _fmt_num
from hepcalc.model import RISK_FACTOR_NAMES, Assessment, GrowthStatus, Modality, Recommendation

RELATED_MEASURED = (
    "can-calcifications-grow",
    "calcification-and-cancer",
    "biopsy-of-calcifications",
    "tiny-calcification-management",
)
_RISK_WORDS = ("chronic_hbv", "chronic_hcv", "cirrhosis", "prior_hcc", "extrahepatic_malignancy")


def size_text(mm: float, lang: Language, cm: bool) -> str:
    """A size in the unit the patient used (cm when they wrote cm)."""
    if cm:
        return t("unit.cm", lang, value=_fmt_num(round(mm / 10, 2)))
    return t("unit.mm", lang, value=_fmt_num(round(mm, 1)))


def is_conditional(rec: Recommendation) -> bool:
    """A step that only follows an earlier result ("If CT confirms growth ...")."""
    return rec.rationale.lstrip().lower().startswith("if ")


def _read_section(reading: Reading, lang: Language, cm: bool) -> list[str]:
    lines = []
    for i, ex in enumerate(reading.exams, 1):
        sizes = join([size_text(s.mm, lang, cm) for s in ex.sizes], lang)
        modality = t(f"modality.{(ex.modality or Modality.US).value}", lang)
        if ex.date is not None:
            lines.append(
                t("read.exam", lang, n=i, modality=modality, date=ex.date.isoformat(), sizes=sizes)
            )
        else:
            lines.append(t("read.exam_nodate", lang, n=i, modality=modality, sizes=sizes))
    rf = reading.patient.risk_factors
    yes = [t(f"risk.{n}", lang) for n in _RISK_WORDS if getattr(rf, n) is True]
    no = [t(f"risk.{n}", lang) for n in _RISK_WORDS if getattr(rf, n) is False]
    if yes:
        lines.append(t("read.risk_yes", lang, items=join(yes, lang)))
    if no:
        lines.append(t("read.risk_no", lang, items=join(no, lang)))
    if reading.patient.symptoms:
        items = [t(f"symptom.{x.value}", lang) for x in reading.patient.symptoms]
        lines.append(t("read.symptoms", lang, items=join(items, lang)))
    if reading.patient.age is not None:
        lines.append(t("read.age", lang, age=_fmt_num(reading.patient.age)))
    return lines


def _growth_section(reading: Reading, a: Assessment, lang: Language, cm: bool) -> list[str]:
    if len(reading.exams) < 2:
        return [t("growth.single", lang)]
    compared = [g for g in a.growth if g.from_mm is not None or len(g.points) > 1]
    kinds: list[Modality] = []
    for ex in reading.exams:
        if ex.modality is not None and ex.modality not in kinds:
            kinds.append(ex.modality)
    several = len(a.growth) > 1
    lines: list[str] = []
    for n, g in enumerate(sorted(a.growth, key=lambda g: g.track), 1):
        spot = t("spot.label", lang, n=n) if several else t("spot.only", lang)
        before = size_text(g.from_mm, lang, cm) if g.from_mm is not None else "?"
        after = size_text(g.to_mm, lang, cm) if g.to_mm is not None else "?"
        status = g.status.value
        if g not in compared and g.status is not GrowthStatus.resolved:
            status = "new"
        if status in ("significant_growth", "within_variability"):
            band = t("unit.mm", lang, value=_fmt_num(round(g.variability_mm or 0.0, 1)))
            lines.append(
                t(f"growth.{status}", lang, spot=spot, before=before, after=after, band=band)
            )
            if status == "significant_growth" and any(p.modality is Modality.US for p in g.points):
                lines.append(t("growth.significant_growth_us", lang))
        elif status == "new":
            lines.append(t("growth.new", lang, spot=spot, after=after))
        elif status == "resolved":
            lines.append(t("growth.resolved", lang, spot=spot))
        else:
            lines.append(t(f"growth.{status}", lang, spot=spot, before=before, after=after))
    if len(kinds) > 1:
        names = join([t(f"modality.{k.value}", lang) for k in kinds], lang)
        lines.append(t("growth.modality_changed", lang, kinds=names))
    return lines


def _likely_section(a: Assessment, lang: Language) -> list[str]:
    lines: list[str] = []
    if a.differential:
        top = min(a.differential, key=lambda d: d.rank)
        key = f"cause.{top.etiology}" if has(f"cause.{top.etiology}") else "cause.other"
        lines.append(t(f"likely.{top.likelihood}", lang, cause=t(key, lang)))
    else:
        lines.append(t("likely.none", lang))
    top_id = min(a.differential, key=lambda d: d.rank).etiology if a.differential else None
    for m in a.must_exclude[:1]:
        if has(f"cause.{m.etiology}") and m.etiology != top_id:
            lines.append(t("likely.exclude", lang, cause=t(f"cause.{m.etiology}", lang)))
    lines.append(t("likely.caveat", lang))
    return lines


def _months(values: list[float] | None) -> str | None:
    if not values:
        return None
    return "-".join(_fmt_num(v) for v in sorted(set(values)))


def _next_section(a: Assessment, lang: Language) -> list[str]:
    lines: list[str] = []
    seen: set[str] = set()
    urgency = "routine"
    for i, rec in enumerate(a.recommendations):
        action = rec.action.value
        months = _months(rec.interval_months)
        if months and has(f"action.{action}_interval"):
            step = t(f"action.{action}_interval", lang, months=months)
        elif action == "hcc_surveillance":
            step = (
                t("action.hcc_surveillance", lang, months=months)
                if months
                else t("action.hcc_surveillance_plain", lang)
            )
        else:
            step = t(f"action.{action}", lang)
        if step in seen:
            continue
        seen.add(step)
        if i > 0 and is_conditional(rec):
            step = t("next.only_if", lang, step=step[:1].lower() + step[1:])
        lines.append(step)
        if rec.urgency == "urgent" or (rec.urgency == "soon" and urgency == "routine"):
            urgency = rec.urgency
    if urgency != "routine":
        lines.append(t(f"next.{urgency}", lang))
    return lines


def _sooner_section(reading: Reading, lang: Language) -> list[str]:
    lines = []
    if reading.patient.symptoms:
        items = [t(f"symptom.{x.value}", lang) for x in reading.patient.symptoms]
        lines.append(t("sooner.have", lang, items=join(items, lang)))
    lines.append(t("sooner.text", lang))
    return lines


def _assumed_section(reading: Reading, lang: Language) -> list[str]:
    lines: list[str] = []
    for n in reading.assumptions:
        text = t(n.key, lang, **n.kwargs())
        if text not in lines:
            lines.append(text)
    rf = reading.patient.risk_factors
    if all(getattr(rf, name) is None for name in RISK_FACTOR_NAMES):
        lines.append(t("assumed.risk_unknown", lang))
    return lines


def compose(reading: Reading, a: Assessment, lang: Language) -> tuple[str, list[str]]:
    """The answer text and its citation keys (order of first use)."""
    cm = any(s.unit == "cm" for s in reading.sizes)
    sections = [
        ("heading.read", _read_section(reading, lang, cm)),
        ("heading.changed", _growth_section(reading, a, lang, cm)),
        ("heading.likely", _likely_section(a, lang)),
        ("heading.next", _next_section(a, lang)),
        ("heading.sooner", _sooner_section(reading, lang)),
        ("heading.assumed", _assumed_section(reading, lang)),
        ("heading.decides", [t("decides.text", lang)]),
    ]
    sep = "" if lang == "zh-Hant" else " "
    text = "\n\n".join(f"{t(h, lang)}\n{sep.join(body)}" for h, body in sections if body)
    citations: list[str] = []
    keys = [k for g in a.growth for k in g.citations]
    keys += [k for r in a.recommendations for k in r.citations]
    if a.differential:
        keys += min(a.differential, key=lambda d: d.rank).citations
    for k in keys:
        if k not in citations:
            citations.append(k)
    return text, citations


def missing_text(reading: Reading, lang: Language) -> str:
    """The question back: what could not be read, and how to ask again."""
    body = [t("missing.intro", lang)]
    for n in reading.problems:
        text = t(n.key, lang, **n.kwargs())
        if text not in body:
            body.append(text)
    body.append(t("missing.example", lang))
    sep = "" if lang == "zh-Hant" else " "
    assumed = _assumed_section(reading, lang) if reading.assumptions else []
    parts = [f"{t('heading.missing', lang)}\n{sep.join(body)}"]
    if assumed:
        parts.append(f"{t('heading.assumed', lang)}\n{sep.join(assumed)}")
    parts.append(f"{t('heading.decides', lang)}\n{t('decides.text', lang)}")
    return "\n\n".join(parts)


def related(lang: Language, ids: tuple[str, ...] = RELATED_MEASURED) -> list[str]:
    return [t(f"related.{i}", lang) for i in ids if has(f"related.{i}")]
