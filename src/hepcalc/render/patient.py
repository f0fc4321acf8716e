"""Patient text: what the scan showed, what it could be, whether it changed, what
happens next and how soon, when to get help, and who decides.

Written for the person who will read it: the patient, the parents of a child,
or expectant parents (a fetal finding). Every sentence comes from the message
catalog (``render/messages/<lang>.yaml``) by id, so a translation can reorder
words; code only chooses which message fits the case and fills placeholders.

The choice is driven by context, because one reassuring opening for everyone
is false reassurance for some: a lump or a cyst is not "a small spot", a known
cancer, a child or an unborn baby never hears "most are harmless", symptoms the
reader already has are answered now ("see a doctor today"), not as "call if you
get them". Steps that depend on an earlier result stay conditional. Growth
between two scans of the same kind (CT to CT, MRI to MRI) is called real
change; only ultrasound growth is put down to how it may have been measured.
A hydatid cyst is never called inactive here (daughter cysts mean it is
active; only a specialist can tell). Serious causes are never named as the
likely answer: the text says more tests will find out.

The renderer also records which message ids it used; a test checks that those
decisions (urgency, next step, growth verdict) match the clinician text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from hepcalc.model import (
    Action,
    Assessment,
    Category,
    Contrast,
    FindingResult,
    Growth,
    GrowthStatus,
    Location,
    Modality,
    Recommendation,
)
from hepcalc.render import words
from hepcalc.render.messages import REFERENCE_LANG, catalog, msg
from hepcalc.render.view import (
    compared,
    is_conditional,
    is_serious,
    leading_cause,
    leading_finding,
    plain_etiology,
    top_urgency,
)

# Symptoms that need a doctor the same day when the reader already has them
# (jaundice and fever with a liver finding: possible obstruction or infection).
# Expert estimate (hepcalc): mirrors the engine's own "symptoms" work-up rule;
# the patient text must not defer a present alarm sign to the next scan.
TODAY_SIGNS: tuple[str, ...] = ("jaundice", "fever")
SIGN_ORDER: tuple[str, ...] = (
    "jaundice",
    "fever",
    "weight_loss",
    "abdominal_pain",
    "palpable_mass",
)
KNOWN_CANCER_FACTORS: frozenset[str] = frozenset({"extrahepatic_malignancy", "prior_hcc"})
# From this size on a finding is no longer "a small spot" and no cause is called
# harmless in the patient text. A wording choice (hepcalc), not a clinical
# threshold: the engine's work-up does not depend on it; it keeps the words from
# running ahead of the tests that a large finding gets.
REASSURE_BELOW_MM = 20.0
HYDATID: frozenset[str] = frozenset({"hydatid_cyst", "alveolar_echinococcosis"})


@dataclass
class PatientText:
    """The text plus the message ids chosen (what the text decided, for tests)."""

    sections: list[tuple[str, list[str]]] = field(default_factory=list)
    ids: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        blocks = [heading + "\n" + "\n".join(paras) for heading, paras in self.sections]
        return "\n\n".join(blocks) + "\n"


class _Writer:
    """Collects sentences by message id for one language."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.used: list[str] = []

    def __call__(self, key: str, **values: object) -> str:
        self.used.append(key)
        text = msg(key, self.lang, **values)
        return text[:1].upper() + text[1:]

    def word(self, key: str, **values: object) -> str:
        """A phrase used inside another message (not capitalised, not a decision)."""
        return msg(key, self.lang, **values)

    def size(self, x: float | None) -> str:
        """A patient size in this language (English: ``words.plain_size``)."""
        if self.lang == REFERENCE_LANG:
            return words.plain_size(x)
        if x is None:
            return self.word("size.none")
        if x >= 10:
            return self.word("size.cm", value=words.num(round(x / 10, 1)))
        return self.word("size.mm", value=words.num(x))

    def cause(self, etiology: str, neutral: bool = False) -> str | None:
        """The patient's name for a cause: the KB's for English, the catalog's otherwise.

        ``neutral`` asks for the name without reassurance ("a tangle of blood
        vessels", not "a harmless tangle ...") where the catalog has one: used when
        ``reassurance_allowed`` is false, so no word runs ahead of the tests.
        """
        neutral_key = f"cause_neutral.{etiology}"
        if neutral and neutral_key in catalog(self.lang):
            return self.word(neutral_key)
        plain = plain_etiology(etiology)
        if self.lang == REFERENCE_LANG or plain is None:
            return plain
        key = f"cause.{etiology}"
        return self.word(key) if key in catalog(self.lang) else None


# ---------------------------------------------------------------------------
# Who reads it
# ---------------------------------------------------------------------------


def reader_kind(a: Assessment) -> str:
    """'fetus' (expectant parents), 'child' (parents) or 'adult'."""
    if words.is_prenatal(a):
        return "fetus"
    if a.risk.tier.value == "pediatric":
        return "child"
    return "adult"


def present_signs(a: Assessment) -> list[str]:
    """Symptoms the reader already has, as the engine recorded them ('symptom:jaundice')."""
    found = {f.split(":", 1)[1] for f in a.risk.factors if f.startswith("symptom:")}
    return [s for s in SIGN_ORDER if s in found] + sorted(found - set(SIGN_ORDER))


def known_cancer(a: Assessment) -> bool:
    return bool(KNOWN_CANCER_FACTORS & set(a.risk.factors))


def reassurance_allowed(a: Assessment, f: FindingResult | None) -> bool:
    """Whether the patient text may use reassuring words ("harmless", "most are").

    One predicate for every such word, so the opening and the cause's name
    cannot disagree. Not allowed with a known cancer, symptoms already present,
    growth beyond measurement error, any urgency above routine, or several foci
    in a child or an unborn baby (congenital infection is part of that work-up);
    nor for a lump, or a finding of ``REASSURE_BELOW_MM`` or more, until it is
    settled (every step is "no further work-up", e.g. a hemangioma already
    characterised on MRI: calling that harmless is the truth, not false comfort).
    """
    if f is None:
        return False
    who = reader_kind(a)
    many = f.count == "multiple" or (isinstance(f.count, int) and f.count > 1)
    lump = f.category in (Category.calcified_solid_lesion, Category.noncalcified_lesion)
    large = f.latest_size_mm is not None and f.latest_size_mm >= REASSURE_BELOW_MM
    settled = bool(a.recommendations) and all(
        r.action is Action.no_further_workup for r in a.recommendations
    )
    return not (
        known_cancer(a)
        or present_signs(a)
        or any(g.status is GrowthStatus.significant_growth for g in a.growth)
        or top_urgency(a) != "routine"
        or (many and who in ("fetus", "child"))
        or ((lump or large) and not settled)
    )


# ---------------------------------------------------------------------------
# Small phrases
# ---------------------------------------------------------------------------


def _place(w: _Writer, location: Location | None) -> str:
    plain = words.plain_place(location)
    if "right" in plain:
        return w.word("place.right")
    if "left" in plain:
        return w.word("place.left")
    if plain:
        return w.word("place.middle")
    return ""


def _months(w: _Writer, interval: Sequence[float]) -> str:
    lo, hi = interval[0], interval[-1]
    if lo == hi:
        return w.word("months.one") if hi == 1 else w.word("months.many", n=words.num(hi))
    return w.word("months.range", lo=words.num(lo), hi=words.num(hi))


def _when(w: _Writer, interval: Sequence[float] | None) -> str:
    if not interval:
        return ""
    if interval[-1] == 0:
        return w.word("when.soon")
    if interval[0] == 0:
        return w.word("when.within", months=_months(w, interval[-1:]))
    return w.word("when.about", months=_months(w, interval))


def _duration(w: _Writer, months: float | None) -> str:
    if not months:
        return ""
    if months >= 12 and months % 12 == 0:
        years = int(months // 12)
        length = w.word("months.years_one") if years == 1 else w.word("months.years", n=years)
    else:
        length = w.word("months.many", n=words.num(months))
    return w.word("months.span", duration=length)


def _scan(w: _Writer, modality: str | None, contrast: Contrast | None) -> str:
    text = (modality or "").upper()
    dye = contrast in (Contrast.iv, Contrast.hepatobiliary)
    if "MRI" in text and "CT" in text:
        return w.word("scan.ct_or_mri_dye" if dye else "scan.ct_or_mri")
    if "MRI" in text or text == "MR":
        return w.word("scan.mri_dye" if dye else "scan.mri")
    if "CT" in text:
        if dye:
            return w.word("scan.ct_dye")
        return w.word("scan.ct_plain" if contrast is Contrast.none else "scan.ct")
    if "US" in text or "ULTRASOUND" in text:
        return w.word("scan.us")
    return w.word("scan.any")


def _signs(w: _Writer, signs: list[str]) -> str:
    names = [w.word(f"signs.{s}") for s in signs if f"signs.{s}" in _known_signs(w)]
    if len(names) == 1:
        return names[0]
    if len(names) == 2:
        return w.word("signs.two", a=names[0], b=names[1])
    return w.word("signs.list", items=", ".join(names[:-1]), last=names[-1])


def _known_signs(w: _Writer) -> set[str]:
    from hepcalc.render.messages import catalog

    return {k for k in catalog(w.lang) if k.startswith("signs.")}


# ---------------------------------------------------------------------------
# Sections
# ---------------------------------------------------------------------------


def _found(w: _Writer, a: Assessment, f: FindingResult | None, who: str) -> list[str]:
    if f is None:
        return [w("found.none")]
    whose = w.word(f"reader.{who}_whose")
    place = _place(w, f.location)
    size = w.size(f.latest_size_mm) if f.latest_size_mm is not None else None
    many = f.count == "multiple" or (isinstance(f.count, int) and f.count > 1)
    spot_kind = True
    if who == "fetus":
        out = [w("found.fetus_many") if many else w("found.fetus", place=place)]
    elif f.category in (Category.calcified_solid_lesion, Category.noncalcified_lesion):
        spot_kind = False
        plain = f.category is Category.noncalcified_lesion
        key = "found.lump_plain" if plain else "found.lump"
        out = [
            w(key, whose=whose, size=size, place=place)
            if size
            else w(key + "_nosize", whose=whose, place=place)
        ]
    elif f.category is Category.calcified_cystic_lesion:
        spot_kind = False
        out = [
            w("found.cyst", whose=whose, size=size, place=place)
            if size
            else w("found.cyst_nosize", whose=whose, place=place)
        ]
    elif f.category is Category.indeterminate:
        out = [w("found.unclear", whose=whose, place=place)]
    elif many:
        out = [
            w("found.spot_many", whose=whose, count=f.count)
            if isinstance(f.count, int)
            else w("found.spot_several", whose=whose)
        ]
    elif f.latest_size_mm is not None and f.latest_size_mm >= 10:
        out = [w("found.spot_big", whose=whose, size=size, place=place)]
    else:
        out = [w("found.spot_one", whose=whose, place=place)]
    others = len(a.findings) - 1
    if others == 1:
        out.append(w("found.more_one"))
    elif others > 1:
        out.append(w("found.more", count=others))
    if spot_kind:
        out.append(w("found.what_calcium"))
    out.append(_context_sentence(w, a, f, who, spot_kind))
    return [" ".join(s for s in out if s)]


def _context_sentence(
    w: _Writer, a: Assessment, f: FindingResult, who: str, spot_kind: bool
) -> str:
    """One sentence that fits who reads and what is at stake; reassurance only when safe."""
    if who == "fetus":
        return w("found.fetus_care")
    if who == "child":
        return w("found.child")
    if known_cancer(a):
        return w("found.cancer")
    if present_signs(a):
        return w("found.symptoms")
    if not spot_kind:
        if a.recommendations and a.recommendations[0].action is Action.no_further_workup:
            return ""
        if f.category is Category.calcified_cystic_lesion:
            return w("found.cyst_check")
        return w("found.lump_check")
    top = leading_cause(a, f.track)
    safe = (
        f.category is Category.isolated_calcification
        and reassurance_allowed(a, f)
        and not a.must_exclude
        and a.risk.tier.value == "low"
        and (top is None or not is_serious(a, top.etiology))
    )
    return w("found.reassure") if safe else ""


def _likely(w: _Writer, a: Assessment, f: FindingResult | None) -> list[str]:
    top = leading_cause(a, f.track) if f is not None else None
    out: list[str] = []
    neutral = not reassurance_allowed(a, f)
    plain = w.cause(top.etiology, neutral) if top is not None else None
    if top is None or plain is None or is_serious(a, top.etiology):
        out.append(w("likely.unsure"))
    else:
        out.append(w(f"likely.{top.likelihood}", cause=plain))
    if top is not None and top.etiology in HYDATID:
        out.append(w("likely.hydatid"))
    if a.must_exclude:
        out.append(w("likely.must_rule_out"))
    return [" ".join(out)]


def _subjects(w: _Writer, growth: list[Growth]) -> dict[str, str]:
    if len(growth) == 1:
        return {growth[0].track: w.word("growth.subject_one")}
    if len(growth) == 2:
        ordered = sorted(growth, key=lambda g: -(g.to_mm or 0.0))
        if (ordered[0].to_mm or 0.0) != (ordered[1].to_mm or 0.0):
            return {
                ordered[0].track: w.word("growth.subject_first"),
                ordered[1].track: w.word("growth.subject_second"),
            }
    return {g.track: w.word("growth.subject_finding", letter=g.track) for g in growth}


def _growth_sentence(w: _Writer, g: Growth, subject: str) -> str:
    s = g.status
    sizes = None
    same = False
    if g.from_mm is not None and g.to_mm is not None:
        before, after = w.size(g.from_mm), w.size(g.to_mm)
        same = before == after
        sizes = w.word("growth.sizes", before=before, after=after)
    if s is GrowthStatus.significant_growth:
        if sizes is None:
            return w("growth.grew_nosize", subject=subject)
        kinds = {p.modality for p in g.points}
        if kinds & {Modality.US, Modality.PRENATAL_US}:
            return w("growth.grew_us", subject=subject, sizes=sizes)
        if len(kinds) > 1:
            return w("growth.grew_maybe", subject=subject, sizes=sizes)
        return w("growth.grew_real", subject=subject, sizes=sizes)
    if s in (GrowthStatus.stable, GrowthStatus.within_variability) and same:
        return w("growth.same_size", subject=subject, size=w.size(g.to_mm))
    if s is GrowthStatus.stable:
        return (
            w("growth.stable", subject=subject, sizes=sizes)
            if sizes
            else w("growth.stable_nosize", subject=subject)
        )
    if s is GrowthStatus.within_variability:
        return (
            w("growth.small_change", subject=subject, sizes=sizes)
            if sizes
            else w("growth.small_change_nosize", subject=subject)
        )
    if s is GrowthStatus.decreased:
        return (
            w("growth.decreased", subject=subject, sizes=sizes)
            if sizes
            else w("growth.decreased_nosize", subject=subject)
        )
    if s is GrowthStatus.resolved:
        return w("growth.resolved", subject=subject)
    if s is GrowthStatus.new:
        return w("growth.new", subject=subject)
    return w("growth.not_comparable")


def _changed(w: _Writer, a: Assessment) -> list[str]:
    growth = compared(a)
    if not growth:
        return [w("growth.first")]
    subjects = _subjects(w, growth)
    return [_growth_sentence(w, g, subjects[g.track]) for g in growth]


def plain_step(w: _Writer, rec: Recommendation) -> str:
    """One step in plain words; the engine's own patient sentence wins when given."""
    if rec.patient_text.strip():
        return w("next.engine", text=rec.patient_text.strip())
    when = _when(w, rec.interval_months)
    a = rec.action
    if a is Action.no_further_workup:
        return w("next.no_more")
    if a is Action.follow_up_imaging:
        return w("next.follow_up", scan=_scan(w, rec.modality, rec.contrast), when=when)
    if a is Action.surveillance_imaging:
        every = _months(w, rec.interval_months) if rec.interval_months else w.word("months.few")
        return w(
            "next.surveillance",
            scan=_scan(w, rec.modality, rec.contrast),
            every=every,
            span=_duration(w, rec.duration_months),
        )
    if a is Action.hcc_surveillance:
        return w("next.liver_checks")
    if a is Action.noncontrast_ct:
        return w("next.ct_plain", when=when)
    if a is Action.characterize_contrast_imaging:
        return w("next.scan", when=when, scan=_scan(w, rec.modality, rec.contrast))
    if a is Action.multidisciplinary_discussion:
        return w("next.team")
    if a is Action.biopsy_consideration:
        return w("next.biopsy")
    if a is Action.surgical_consultation:
        return w("next.surgeon")
    if a is Action.specialist_referral:
        return w("next.specialist")
    if a is Action.laboratory_tests:
        return w("next.blood", when=when)
    return w("next.treat")


def _next(w: _Writer, a: Assessment) -> list[str]:
    lines: list[str] = []
    for rec in a.recommendations:
        step = plain_step(w, rec)
        if is_conditional(rec) and rec is not a.recommendations[0]:
            step = w("next.only_if", step=step[:1].lower() + step[1:])
        if step not in lines:
            lines.append(step)
    urgency = top_urgency(a)
    if urgency != "routine":
        lines.append(w(f"urgency.{urgency}"))
    return lines


def _help(w: _Writer, a: Assessment, who: str) -> list[str]:
    out: list[str] = []
    signs = [s for s in present_signs(a) if f"signs.{s}" in _known_signs(w)]
    if signs and who != "fetus":
        today = any(s in TODAY_SIGNS for s in signs)
        prefix = "child_" if who == "child" else ""
        key = f"help.{prefix}symptom_{'today' if today else 'soon'}"
        out.append(w(key, signs=_signs(w, signs)))
        out.append(w(f"help.{'child' if who == 'child' else 'adult'}_new"))
    else:
        out.append(w(f"help.{who}"))
    return [" ".join(out)]


def compose_patient(a: Assessment, lang: str = REFERENCE_LANG) -> PatientText:
    """Choose and fill the messages for this assessment and its reader."""
    w = _Writer(lang)
    who = reader_kind(a)
    f = leading_finding(a)
    out = PatientText()
    for heading, body in (
        ("heading.found", _found(w, a, f, who)),
        ("heading.likely", _likely(w, a, f)),
        ("heading.changed", _changed(w, a)),
        ("heading.next", _next(w, a)),
        ("heading.help", _help(w, a, who)),
        ("heading.decides", [w(f"decides.{who}")]),
    ):
        out.sections.append((w.word(heading), [b for b in body if b.strip()]))
    out.ids = w.used
    return out


def render_patient_text(a: Assessment, lang: str = REFERENCE_LANG) -> str:
    text = compose_patient(a, lang).text
    if lang.startswith("zh"):  # Chinese sentences follow each other without a space
        text = re.sub(r"(?<=[。！？）」])[ \t]+(?=\S)", "", text)
    return text
