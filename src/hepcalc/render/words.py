"""The vocabulary of the renderings: one place for every code -> words mapping.

Two registers live side by side: the clinician's (exact, the radiologist's own
terms) and the patient's (short words, every technical term explained the first
time, never alarming, never dismissive). Keeping them in one module makes it easy
to review that each code list of CONTRACT.md has words in both registers, and
that the patient words stay at a grade-8 reading level (tests measure it).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from hepcalc.model import (
    Action,
    Assessment,
    Contrast,
    Growth,
    GrowthStatus,
    Location,
    Recommendation,
)

# ---------------------------------------------------------------------------
# Numbers
# ---------------------------------------------------------------------------


def num(x: float) -> str:
    """A number without a useless trailing ``.0`` (14.0 -> "14", 2.5 -> "2.5")."""
    return f"{x:.1f}".rstrip("0").rstrip(".") if x != int(x) else str(int(x))


def mm(x: float | None) -> str:
    """Clinician size: always millimetres, as radiology reports give them."""
    return "size not given" if x is None else f"{num(x)} mm"


def plain_size(x: float | None) -> str:
    """Patient size: centimetres from 10 mm up (people know cm), millimetres below."""
    if x is None:
        return "a size that was not given"
    if x >= 10:
        return f"{num(round(x / 10, 1))} cm"
    return f"{num(x)} mm"


def months_range(interval: Sequence[float] | None) -> str:
    """[3, 6] -> "3-6", [6] or [6, 6] -> "6"."""
    if not interval:
        return ""
    lo, hi = interval[0], interval[-1]
    return num(lo) if lo == hi else f"{num(lo)}-{num(hi)}"


def plain_months(interval: Sequence[float] | None) -> str:
    """[3, 6] -> "3 to 6 months", [12] -> "12 months"."""
    if not interval:
        return ""
    lo, hi = interval[0], interval[-1]
    unit = "month" if hi == 1 else "months"
    return f"{num(lo)} {unit}" if lo == hi else f"{num(lo)} to {num(hi)} {unit}"


def plain_duration(months: float | None) -> str:
    """24 -> "2 years", 18 -> "18 months"."""
    if not months:
        return ""
    if months >= 12 and months % 12 == 0:
        years = int(months // 12)
        return "1 year" if years == 1 else f"{years} years"
    return f"{num(months)} months"


# ---------------------------------------------------------------------------
# Clinician register
# ---------------------------------------------------------------------------

if TYPE_CHECKING:
    from hepcalc.knowledge.etiologies import Etiology

# Etiology names, patient wording and "serious" flags live in the knowledge base only
# (etiologies.yaml: name, plain_wording, serious); render reads them from there.


def _etiology(etiology: str) -> Etiology | None:
    from hepcalc.knowledge import load_kb

    return load_kb().etiologies.get(etiology)


def is_serious(etiology: str | None) -> bool:
    """Malignant or possibly malignant (KB ``serious``): never "most likely" to a patient."""
    if etiology is None:
        return False
    et = _etiology(etiology)
    return et is not None and (et.serious or et.group == "malignant")


def __getattr__(name: str) -> frozenset[str]:
    """``SERIOUS_ETIOLOGIES``, derived from the knowledge base (not a copy of it)."""
    if name == "SERIOUS_ETIOLOGIES":
        from hepcalc.knowledge import load_kb

        return frozenset(e.id for e in load_kb().etiologies.values() if is_serious(e.id))
    raise AttributeError(name)


def etiology_name(etiology: str, given: str = "") -> str:
    """The clinician's name for an etiology id (engine-supplied name, else the KB's)."""
    if given:
        return given
    et = _etiology(etiology)
    return et.name if et is not None else etiology.replace("_", " ")


def article(phrase: str) -> str:
    """'a' or 'an' before a noun phrase (by its first letter; good enough for our names)."""
    return "an" if phrase[:1].lower() in "aeiou" else "a"


CONTRAST_WORDS: dict[Contrast, str] = {
    Contrast.none: "without contrast",
    Contrast.iv: "with IV contrast",
    Contrast.hepatobiliary: "with hepatobiliary contrast",
}


def modality_words(modality: str | None, contrast: Contrast | None) -> str:
    """'MRI with hepatobiliary contrast', 'CT without contrast', 'US'."""
    if not modality:
        return ""
    words = modality.replace("_", " ")
    if contrast is not None and not (contrast is Contrast.none and modality.upper() == "US"):
        words += " " + CONTRAST_WORDS[contrast]
    return words


def clinician_action(rec: Recommendation) -> str:
    """The action as a radiologist would write it in an IMPRESSION (no trailing period)."""
    study = modality_words(rec.modality, rec.contrast)
    interval = months_range(rec.interval_months)
    a = rec.action
    if a is Action.no_further_workup:
        return "no follow-up imaging is needed"
    if a is Action.follow_up_imaging:
        what = f"follow-up {study or 'imaging'}"
        return f"recommend {what} in {interval} months" if interval else f"recommend {what}"
    if a is Action.surveillance_imaging:
        text = f"recommend surveillance {study or 'imaging'}"
        if interval:
            text += f" every {interval} months"
        if rec.duration_months:
            text += f" for {num(rec.duration_months)} months"
        return text
    if a is Action.hcc_surveillance:
        every = interval or "6"
        return f"continue HCC surveillance ultrasound every {every} months"
    if a is Action.noncontrast_ct:
        return "recommend non-contrast CT of the liver to confirm calcification and its true size"
    if a is Action.characterize_contrast_imaging:
        what = study or "multiphase contrast-enhanced CT or MRI"
        text = f"recommend {what} for characterization"
        if rec.interval_months and rec.interval_months[0] == 0 and rec.interval_months[-1] > 0:
            return f"{text} within {num(rec.interval_months[-1])} months"
        return f"{text} in {interval} months" if interval and interval != "0" else text
    if a is Action.multidisciplinary_discussion:
        return "recommend multidisciplinary (tumor board) discussion"
    if a is Action.biopsy_consideration:
        return "consider biopsy if imaging remains indeterminate"
    if a is Action.surgical_consultation:
        return "recommend surgical consultation"
    if a is Action.specialist_referral:
        return (
            f"recommend referral to {rec.modality}"
            if rec.modality
            else "recommend specialist referral"
        )
    if a is Action.laboratory_tests:
        return "recommend laboratory evaluation"
    return "recommend treatment of the underlying cause"


# ---------------------------------------------------------------------------
# Patient register
# ---------------------------------------------------------------------------

PLAIN_UNSURE = (
    "Doctors cannot yet say what this spot is. More tests will help find out. "
    "Many spots like this turn out to be harmless, and some need treatment"
)


def plain_cause(etiology: str | None) -> str:
    """What the spot most likely is, in plain words (hedged for serious causes).

    The knowledge base's ``plain_wording`` ("It is most likely ..."), else its
    patient text; serious causes are never named as "most likely" (more tests
    will find out).
    """
    known = _etiology(etiology) if etiology is not None else None
    if known is None or is_serious(etiology):
        return PLAIN_UNSURE + "."
    if known.plain_wording:
        return "It is most likely " + known.plain_wording.strip() + "."
    if not known.patient_text.strip():
        return PLAIN_UNSURE + "."
    return known.patient_text.strip()


def plain_modality(modality: str | None, contrast: Contrast | None) -> str:
    """'an MRI scan (it uses a strong magnet)' and so on, with the dye explained."""
    text = (modality or "").upper()
    if "MRI" in text and "CT" in text:
        base = "a CT or MRI scan"
    elif "MRI" in text or text == "MR":
        base = "an MRI scan (it uses a strong magnet)"
    elif "CT" in text:
        base = "a CT scan (a detailed X-ray scan)"
    elif "US" in text or "ULTRASOUND" in text:
        base = "an ultrasound scan (it uses sound waves)"
    else:
        base = "a scan"
    if contrast in (Contrast.iv, Contrast.hepatobiliary):
        base += " with a dye put into a vein"
    elif contrast is Contrast.none and "ultrasound" not in base:
        base += " without dye"
    return base


def plain_when(interval: Sequence[float] | None) -> str:
    """' in about 3 to 6 months', ' soon' or ''."""
    if not interval:
        return ""
    if interval[-1] == 0:
        return " soon"
    if interval[0] == 0:
        return f" within the next {plain_months(interval[-1:])}"
    return f" in about {plain_months(interval)}"


def plain_action(rec: Recommendation) -> str:
    """One or two short sentences that say what happens next and when.

    The engine's own ``patient_text`` wins when present; this is the fallback,
    written in neutral voice so it reads right for a patient, a parent or a
    pregnant mother alike.
    """
    if rec.patient_text.strip():
        return rec.patient_text.strip()
    scan = plain_modality(rec.modality, rec.contrast)
    when = plain_when(rec.interval_months)
    a = rec.action
    if a is Action.no_further_workup:
        return "No more scans are needed for this spot."
    if a is Action.follow_up_imaging:
        return (
            f"One more check with {scan} is advised{when}, to make sure the spot has not changed."
        )
    if a is Action.surveillance_imaging:
        every = plain_months(rec.interval_months) or "few months"
        text = f"Check-up scans with {scan} are advised every {every}"
        if rec.duration_months:
            text += f" for up to {plain_duration(rec.duration_months)}"
        return text + ". This is to make sure the spot stays the same."
    if a is Action.hcc_surveillance:
        return (
            "Routine liver ultrasound checks every 6 months should go on as before. "
            "They look for liver changes early."
        )
    if a is Action.noncontrast_ct:
        return (
            f"A CT scan without dye is advised{when}. A CT scan is a detailed X-ray. "
            "It shows calcium very well and can measure the spot exactly."
        )
    if a is Action.characterize_contrast_imaging:
        return f"A scan is advised{when}: {scan}. This helps show what the spot is made of."
    if a is Action.multidisciplinary_discussion:
        return "A team of liver experts may look at the scans together and agree on a plan."
    if a is Action.biopsy_consideration:
        return (
            "A biopsy may be talked about. This means taking a tiny piece of tissue with a "
            "thin needle to look at it under a microscope."
        )
    if a is Action.surgical_consultation:
        return (
            "A visit with a surgeon is advised, to talk about whether the spot should be taken out."
        )
    if a is Action.specialist_referral:
        return "A visit with a specialist doctor is advised."
    if a is Action.laboratory_tests:
        return f"Some blood tests are advised{when}."
    return "If a cause is found, it can be treated."


def plain_growth(g: Growth, subject: str = "It") -> str:
    """Whether it changed, said plainly, with the sizes when we have both.

    ``subject`` is "It" for one spot or "The first spot" when there are several.
    """
    sizes = ""
    if g.from_mm is not None and g.to_mm is not None:
        sizes = f" (from {plain_size(g.from_mm)} to {plain_size(g.to_mm)})"
    obj = "it" if subject == "It" else subject[0].lower() + subject[1:]
    s = g.status
    if s is GrowthStatus.new:
        return f"{subject} was not seen on an earlier scan, or this is the first scan of it."
    if s is GrowthStatus.stable:
        return f"{subject} looks the same as on the last scan{sizes}. That is a good sign."
    if s is GrowthStatus.decreased:
        return f"{subject} is smaller than before{sizes}."
    if s is GrowthStatus.resolved:
        return f"{subject} can no longer be seen on the newest scan."
    if s is GrowthStatus.within_variability:
        return (
            f"{subject} looks a little different in size{sizes}. The change is small. Two scans "
            "often measure the same spot a little differently."
        )
    if s is GrowthStatus.significant_growth:
        return (
            f"{subject} looks bigger than on the last scan{sizes}. This may be real growth, or "
            "it may come from how it was measured. That is why more tests are advised."
        )
    return f"The scans were done in different ways, so the size of {obj} cannot be compared well."


LOBE_FOR_SEGMENT: dict[int, str] = {1: "caudate", 2: "left", 3: "left", 4: "left"} | {
    s: "right" for s in (5, 6, 7, 8)
}


def plain_place(location: Location | None) -> str:
    """' in the right side of the liver' or ''."""
    if location is None:
        return ""
    lobe = location.lobe.value if location.lobe else None
    if lobe is None and location.segment is not None:
        lobe = LOBE_FOR_SEGMENT[location.segment]
    if lobe in ("right", "left"):
        return f" in the {lobe} side of the liver"
    if lobe == "caudate":
        return " in a small middle part of the liver"
    return ""


def clinician_place(location: Location | None) -> str:
    """'segment 4a (left lobe)', 'right lobe' or ''."""
    if location is None:
        return ""
    parts: list[str] = []
    if location.segment is not None:
        parts.append(f"segment {location.segment}{location.subsegment or ''}")
    if location.lobe is not None:
        lobe = f"{location.lobe.value} lobe"
        parts.append(f"({lobe})" if parts else lobe)
    if location.dome:
        parts.append("hepatic dome")
    return " ".join(parts)


# ---------------------------------------------------------------------------
# Who is the reader? (patient, parent of a child, or a pregnant mother)
# ---------------------------------------------------------------------------


def is_prenatal(assessment: Assessment) -> bool:
    """A fetal finding: a prenatal exam in the growth points or a prenatal warning/rule.

    The Assessment has no "subject" field, so render infers it from what the
    engine reported; the engine marks prenatal cases with PRENATAL_US points or
    rule/warning codes that say so.
    """
    for g in assessment.growth:
        if any(p.modality.value == "PRENATAL_US" for p in g.points):
            return True
    codes = [w.code for w in assessment.warnings] + [r.rule for r in assessment.recommendations]
    return any("prenatal" in c or "fetal" in c for c in codes)


def reader(assessment: Assessment) -> dict[str, str]:
    """Words that change with who the scan belongs to."""
    if is_prenatal(assessment):
        return {"whose": "your baby's", "team": "your pregnancy care team", "who": "your baby"}
    if assessment.risk.tier.value == "pediatric":
        return {"whose": "your child's", "team": "your child's doctor", "who": "your child"}
    return {"whose": "your", "team": "your doctor", "who": "you"}
