"""LI-RADS v2018 CT/MRI diagnostic categories for patients at high risk of HCC.

The algorithm (Chernyak 2018; CT/MRI Core v2018 p.1; ACR Assist module), first
match wins:

1. **LR-NC**: the exam is degraded, or phases are omitted (a CT/MRI without
   contrast), so the observation cannot be categorized. A stated benign entity
   is still categorized on an unenhanced exam because the omission did not
   prevent it.
2. **LR-TIV**: definite tumor in vein, with or without a mass. Subtype: "may be
   due to non-HCC malignancy" when the contiguous mass is targetoid; "definitely
   due to HCC" when the contiguous mass meets LR-5 by the diagnostic table;
   otherwise "probably due to HCC" (also when no mass is seen).
3. **LR-1 / LR-2**: a definite / probable benign entity (decided before LR-M);
   LR-2 also for a *distinctive nodule* under 20 mm without major features or
   LR-M features.
4. **LR-M**: any targetoid feature (rim APHE, peripheral washout, delayed
   central enhancement, targetoid diffusion or transitional/HBP appearance)
   always; nontargetoid features (infiltrative, marked diffusion restriction,
   necrosis, other non-HCC malignancy features) only when the table does *not*
   give LR-5.
5. **Diagnostic table** (half-open size bins: <10, 10-19.9.., >=20 mm); only
   nonrim APHE counts; the additional major features are nonperipheral
   washout, enhancing capsule and threshold growth.
6. **Ancillary features** (optional): favoring malignancy upgrades by one, at
   most to LR-4 (never to LR-5); favoring benignity downgrades by one (LR-5 to
   LR-4, LR-3 to LR-2, LR-2 to LR-1); both kinds present: no change; never for
   LR-NC, LR-TIV or LR-M. Like the ACR Assist module, AFs are applied to LR-1/2
   too (definite benign + AF of malignancy -> LR-2); ``adjust_benign_categories``
   switches that off.

Washout with a hepatobiliary agent counts only in the portal venous phase;
transitional/HBP hypointensity is an ancillary feature the reader may list
(hepcalc does not add it, because ancillary features are optional and the peer
oracle does not). An unknown or equivocal major feature is absent. When the
size or APHE of an observation is unknown, ``categorize_ctmri`` applies the
LI-RADS tiebreaking rule (choose the category of lower certainty) over the
possible values and says so.

Threshold growth (v2018) is a size increase of a mass by >=50% within <=6
months, compared on CT/MRI. "6 months" is calendar months: the later exam date
is on or before the earlier date plus 6 months (the day clamped to the end of a
shorter month, e.g. 31 Aug + 6 months = 28/29 Feb). Exactly +50% on exactly
that date counts. A new observation >=10 mm, >=100% over more than 6 months,
or any smaller unequivocal increase are *subthreshold growth*, an ancillary
feature favoring malignancy, which hepcalc adds from the measurements it has.
It also adds "size stability >=2 years" and "size reduction" (ancillary features
favoring benignity) when CT/MRI measurements show them beyond measurement
variability. All computed ancillary features are named in the reason.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from hepcalc.engine import variability
from hepcalc.engine.tracks import Observation, Track, can_see
from hepcalc.model import (
    BenignCertainty,
    Case,
    Contrast,
    Exam,
    ImageQuality,
    LiradsCategory,
    LiradsResult,
    Modality,
    Patient,
)

CORE = "Chernyak2018"
ACR_CORE = "lirads-acr-core2018"
AASLD = "Marrero2018"
ACR_ASSIST = "lirads-acr-assist-module"
KAN = "lirads-kanmaniraja2020"
FOWLER = "lirads-fowler2020-lrm"
SANTILLAN = "lirads-santillan2020-hba"

SECTIONAL = (Modality.CT, Modality.MRI)

# Management per category: CT/MRI LI-RADS v2018 Core p.14 (as transcribed in
# lirads_v2018.md section 7; the LR-4 "<=3 months" clause is the CEUS analogue).
MANAGEMENT: dict[LiradsCategory, str] = {
    LiradsCategory.LR_NC: "Repeat or alternative diagnostic imaging in 3 months or less.",
    LiradsCategory.LR_1: "Return to surveillance in 6 months.",
    LiradsCategory.LR_2: (
        "Return to surveillance in 6 months; consider repeat diagnostic imaging in 6 months "
        "or less."
    ),
    LiradsCategory.LR_3: "Repeat or alternative diagnostic imaging in 3 to 6 months.",
    LiradsCategory.LR_4: (
        "Multidisciplinary discussion for tailored work-up, which may include biopsy; if "
        "neither biopsy nor treatment is planned, repeat or alternative diagnostic imaging in "
        "3 months or less."
    ),
    LiradsCategory.LR_5: (
        "HCC is diagnosed by imaging (biopsy not needed); multidisciplinary discussion for "
        "consensus management."
    ),
    LiradsCategory.LR_M: (
        "Multidisciplinary discussion for tailored work-up, often including biopsy."
    ),
    LiradsCategory.LR_TIV: (
        "Multidisciplinary discussion for tailored work-up, which may include biopsy."
    ),
}

TIV_NON_HCC = "may be due to non-HCC malignancy"
TIV_DEFINITE = "definitely due to HCC"
TIV_PROBABLE = "probably due to HCC"

_NUM = {
    1: LiradsCategory.LR_1,
    2: LiradsCategory.LR_2,
    3: LiradsCategory.LR_3,
    4: LiradsCategory.LR_4,
    5: LiradsCategory.LR_5,
}


# ---------------------------------------------------------------------------
# Applicability
# ---------------------------------------------------------------------------


def lirads_applies(patient: Patient) -> tuple[bool, str]:
    """Whether LI-RADS may be used for this patient, and why (Core: population at risk)."""
    rf = patient.risk_factors
    if patient.age is not None and patient.age < 18:
        return False, "LI-RADS is not used in patients under 18 years."
    if rf.cirrhosis_cause == "congenital_hepatic_fibrosis":
        return False, "LI-RADS is not used in cirrhosis due to congenital hepatic fibrosis."
    if rf.cirrhosis_cause == "vascular":
        return False, (
            "LI-RADS is not used in cirrhosis due to a vascular disorder (e.g. Budd-Chiari)."
        )
    present = [
        name
        for name, value in (
            ("cirrhosis", rf.cirrhosis),
            ("chronic hepatitis B", rf.chronic_hbv),
            ("current or prior HCC", rf.prior_hcc),
        )
        if value
    ]
    if present:
        return True, "LI-RADS applies: patient at high risk of HCC (" + ", ".join(present) + ")."
    unknown = [
        name
        for name, value in (
            ("cirrhosis", rf.cirrhosis),
            ("chronic hepatitis B", rf.chronic_hbv),
            ("prior HCC", rf.prior_hcc),
        )
        if value is None
    ]
    why = "LI-RADS does not apply: no LI-RADS risk factor (cirrhosis, chronic hepatitis B, "
    why += "current or prior HCC) is known"
    if unknown:
        why += " (unknown: " + ", ".join(unknown) + ")"
    return False, why + "."


# ---------------------------------------------------------------------------
# Dates and threshold growth
# ---------------------------------------------------------------------------


def add_months(d: dt.date, months: int) -> dt.date:
    """Calendar-month arithmetic; the day is clamped to the end of a shorter month."""
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    return dt.date(year, month, min(d.day, calendar.monthrange(year, month)[1]))


def within_six_months(earlier: dt.date, later: dt.date) -> bool:
    """True when ``later`` is on or before ``earlier`` + 6 calendar months."""
    return earlier <= later <= add_months(earlier, 6)


def is_threshold_growth(
    prior_mm: float, current_mm: float, prior_date: dt.date, current_date: dt.date
) -> bool:
    """LI-RADS v2018 threshold growth: >=50% size increase within <=6 months."""
    grows = round(current_mm - prior_mm, 6) * 2 >= round(prior_mm, 6)
    return grows and within_six_months(prior_date, current_date)


@dataclass
class GrowthEvidence:
    """What the CT/MRI measurements of one observation say, for LI-RADS."""

    threshold_growth: bool = False
    af_malignancy: list[str] = field(default_factory=list)
    af_benignity: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _sectional_points(track: Track, upto: Observation) -> list[Observation]:
    out: list[Observation] = []
    for obs in track.observations:
        if obs.exam.modality in SECTIONAL and obs.finding.size_mm is not None:
            out.append(obs)
        if obs is upto:
            break
    return out


def growth_evidence(track: Track, current: Observation, exams: Sequence[Exam]) -> GrowthEvidence:
    """Threshold growth and growth-based ancillary features for ``current`` (a CT/MRI obs)."""
    ev = GrowthEvidence()
    pts = [o for o in _sectional_points(track, current) if o.exam.date is not None]
    sub: list[str] = []
    for j in range(len(pts)):
        for i in range(j):
            a, b = pts[i], pts[j]
            sa, sb = a.finding.size_mm or 0.0, b.finding.size_mm or 0.0
            da, db = a.exam.date, b.exam.date
            assert da is not None and db is not None
            pct = (sb - sa) / sa * 100
            if is_threshold_growth(sa, sb, da, db):
                ev.threshold_growth = True
                ev.notes.append(
                    f"threshold growth: {sa:g} -> {sb:g} mm (+{pct:.1f}%) from {da} to {db}, "
                    "within 6 months"
                )
                continue
            band = variability.band(
                a.exam.modality, b.exam.modality, sa, a.finding.is_calcified
            ).limit_mm
            if pct >= 100 and not within_six_months(da, db):
                sub.append(f"+{pct:.1f}% from {da} to {db} (over more than 6 months)")
            elif sb - sa > band:
                sub.append(
                    f"{sa:g} -> {sb:g} mm (+{pct:.1f}%) from {da} to {db}, beyond the "
                    f"{band:g} mm measurement band but not >=50% within 6 months"
                )
    f = current.finding
    if not pts or pts[0] is current:
        earlier_could_see = [
            e
            for e in exams
            if e.modality in SECTIONAL
            and e.date is not None
            and current.exam.date is not None
            and e.date < current.exam.date
            and can_see(e.modality, f)
        ]
        seen_before = any(
            o is not current
            and o.exam.modality in SECTIONAL
            and o.exam.date is not None
            and current.exam.date is not None
            and o.exam.date < current.exam.date
            for o in track.observations
        )
        if earlier_could_see and not seen_before and (f.size_mm or 0) >= 10:
            sub.append(
                f"new observation of {f.size_mm:g} mm, not seen on the prior CT/MRI "
                f"({earlier_could_see[-1].id})"
            )
    if f.prior_size_mm is not None and f.size_mm is not None and len(pts) <= 1:
        band = variability.band(
            current.exam.modality, current.exam.modality, f.prior_size_mm, f.is_calcified
        ).limit_mm
        if f.size_mm - f.prior_size_mm > band:
            sub.append(
                f"report states {f.prior_size_mm:g} -> {f.size_mm:g} mm; the interval is not "
                "given, so threshold growth cannot be confirmed (tiebreak: lower certainty)"
            )
    elif f.comparison is not None and f.comparison.value == "increased" and len(pts) <= 1:
        sub.append("report states the observation increased (no prior measurement given)")
    if sub and not ev.threshold_growth:
        ev.af_malignancy.append("subthreshold growth")
        ev.notes.append("subthreshold growth (ancillary feature): " + "; ".join(sub))
    # Benign AFs from serial CT/MRI sizes.
    if len(pts) >= 2 and pts[-1] is current and not sub and not ev.threshold_growth:
        first, last = pts[0], pts[-1]
        s0, s1 = first.finding.size_mm or 0.0, last.finding.size_mm or 0.0
        band0 = variability.band(
            first.exam.modality, last.exam.modality, s0, first.finding.is_calcified
        ).limit_mm
        d0, d1 = first.exam.date, last.exam.date
        assert d0 is not None and d1 is not None
        if s1 - s0 < -band0:
            ev.af_benignity.append("size reduction")
            ev.notes.append(
                f"size reduction (ancillary feature favoring benignity): {s0:g} -> {s1:g} mm, "
                f"beyond the {band0:g} mm measurement band"
            )
        elif d1 >= add_months(d0, 24) and all(
            abs((o.finding.size_mm or 0.0) - s0) <= band0 for o in pts
        ):
            ev.af_benignity.append("size stability >=2 years")
            ev.notes.append(
                f"size stability >=2 years (ancillary feature favoring benignity): {d0} to {d1}, "
                f"all CT/MRI sizes within {band0:g} mm of {s0:g} mm"
            )
    return ev


# ---------------------------------------------------------------------------
# The pure algorithm
# ---------------------------------------------------------------------------


def table_category(
    nonrim_aphe: bool, size_mm: float, washout: bool, capsule: bool, threshold_growth: bool
) -> int:
    """The v2018 CT/MRI diagnostic table (3, 4 or 5); half-open size bins."""
    n = int(washout) + int(capsule) + int(threshold_growth)
    if not nonrim_aphe:
        if size_mm < 20:
            return 3 if n <= 1 else 4
        return 3 if n == 0 else 4
    if size_mm < 10:
        return 3 if n == 0 else 4
    if size_mm < 20:
        if n == 0:
            return 3
        if n == 1:
            return 4 if capsule else 5
        return 5
    return 4 if n == 0 else 5


_SIZE_PROBES = (5.0, 15.0, 25.0)  # one value in each half-open size bin


def _washout_counts(
    washout: bool | None, phase: str | None, contrast: str | None
) -> tuple[bool, str | None]:
    """Whether a reported washout is the major feature, and a note when it is not."""
    if not washout:
        return False, None
    p = (phase or "").lower().replace(" ", "_")
    c = (contrast or "").lower()
    hba = c in ("hba", "hepatobiliary")
    if p in ("transitional", "hepatobiliary", "hbp"):
        return False, (
            f"hypointensity in the {p.replace('_', ' ')} phase is not washout (ancillary "
            "feature favoring malignancy only if the reader lists it)"
        )
    if hba and p in ("delayed",):
        return False, (
            "with a hepatobiliary agent, washout counts only in the portal venous phase; the "
            "delayed (transitional) phase hypointensity is not washout"
        )
    return True, None


def _adjust(cat: int, mal: Sequence[str], ben: Sequence[str], steps: list[str]) -> int:
    if mal and ben:
        steps.append(
            "ancillary features favor both malignancy ("
            + ", ".join(mal)
            + ") and benignity ("
            + ", ".join(ben)
            + "): no adjustment"
        )
        return cat
    if mal:
        if cat >= 4:
            steps.append(
                "ancillary features favoring malignancy ("
                + ", ".join(mal)
                + f"): LR-{cat} kept (they upgrade at most to LR-4, never to LR-5)"
            )
            return cat
        steps.append(
            "ancillary features favoring malignancy ("
            + ", ".join(mal)
            + f"): upgraded LR-{cat} -> LR-{cat + 1}"
        )
        return cat + 1
    if ben:
        if cat <= 1:
            steps.append("ancillary features favoring benignity: LR-1 kept")
            return cat
        steps.append(
            "ancillary features favoring benignity ("
            + ", ".join(ben)
            + f"): downgraded LR-{cat} -> LR-{cat - 1}"
        )
        return cat - 1
    return cat


_TableStep = Callable[[], tuple[int | None, str]]
_Result = tuple[LiradsCategory | None, str | None, str]


def _table_step(
    *,
    ap: str | None,
    size_mm: float | None,
    wo: bool,
    caps: bool,
    tg: bool,
    tiebreak_unknown: bool,
) -> tuple[int | None, str]:
    """The diagnostic-table category and the step text that explains it.

    With ``tiebreak_unknown`` an unknown size takes the lower-certainty category of
    the possible size bins and unreported APHE counts as absent (LI-RADS tiebreaking);
    without it the category is None and the text says what is missing.
    """
    nonrim = ap == "nonrim"
    if size_mm is None and not tiebreak_unknown:
        return None, "size unknown"
    if ap is None and not tiebreak_unknown:
        return None, "arterial phase enhancement not assessed"
    sizes: Sequence[float | None] = [size_mm] if size_mm is not None else list(_SIZE_PROBES)
    cats = [table_category(nonrim, s or 0.0, wo, caps, tg) for s in sizes]
    cat = min(cats)
    feats = [n for n, v in (("washout", wo), ("capsule", caps), ("threshold growth", tg)) if v]
    text = (
        f"table: {'nonrim APHE' if nonrim else 'no nonrim APHE'}, "
        + (f"{size_mm:g} mm" if size_mm is not None else "size unknown")
        + ", additional major features: "
        + (", ".join(feats) if feats else "none")
        + f" -> LR-{cat}"
    )
    if size_mm is None and len(set(cats)) > 1:
        text += " (size unknown: the lower-certainty category of the possible size bins)"
    if ap is None:
        text += " (APHE not reported: treated as absent)"
    return cat, text


def _tiv_result(
    targetoid: list[str], lrm_stated: bool, size_mm: float | None, table: _TableStep
) -> _Result:
    """LR-TIV and its subtype: non-HCC if the mass is targetoid, else by whether it meets LR-5."""
    if targetoid or lrm_stated:
        sub = TIV_NON_HCC
        why = "the contiguous mass is targetoid (" + ", ".join(targetoid or ["LR-M"]) + ")"
    else:
        cat, ttext = table() if size_mm is not None else (None, "no discernible mass")
        if cat == 5:
            sub, why = TIV_DEFINITE, f"the contiguous mass meets LR-5 ({ttext})"
        else:
            sub, why = (
                TIV_PROBABLE,
                (
                    f"the contiguous mass does not meet LR-5 ({ttext})"
                    if cat is not None
                    else "no contiguous mass meeting LR-5 is described"
                ),
            )
    return LiradsCategory.LR_TIV, sub, f"LR-TIV, {sub}: tumor in vein; {why}."


def _nontargetoid_lrm(
    cat: int | None, ttext: str, lrm_nontargetoid: Sequence[str], steps: list[str]
) -> _Result | None:
    """LR-M for nontargetoid features unless LR-5 criteria are met (then a note only)."""
    if not lrm_nontargetoid:
        return None
    if cat == 5:
        steps.append(
            "nontargetoid LR-M features ("
            + ", ".join(lrm_nontargetoid)
            + ") do not override LR-5 criteria"
        )
        return None
    steps.append(ttext if cat is not None else f"table not computable ({ttext})")
    return (
        LiradsCategory.LR_M,
        None,
        "LR-M: nontargetoid malignancy features ("
        + ", ".join(lrm_nontargetoid)
        + ") and LR-5 criteria not met; "
        + "; ".join(steps)
        + ".",
    )


def _distinctive_lr2_step(
    distinctive_nodule: bool, size_mm: float | None, major: bool, lrm_nontargetoid: Sequence[str]
) -> str | None:
    """The LR-2 step for a distinctive nodule < 20 mm without major or LR-M features (v2018)."""
    if not distinctive_nodule or size_mm is None or size_mm >= 20 or major or lrm_nontargetoid:
        return None
    return f"distinctive nodule of {size_mm:g} mm (<20 mm) without major features -> LR-2"


def _targetoid_list(ap: str | None, lrm_targetoid: Sequence[str]) -> list[str]:
    """The targetoid features, with rim APHE first when the APHE value is rim."""
    targetoid = list(lrm_targetoid)
    if ap == "rim" and "rim APHE" not in targetoid:
        targetoid.insert(0, "rim APHE")
    return targetoid


def categorize_features(
    *,
    lr_nc: bool = False,
    nc_reason: str = "",
    tumor_in_vein: bool = False,
    benign: str | None = None,
    lrm_targetoid: Sequence[str] = (),
    lrm_nontargetoid: Sequence[str] = (),
    lrm_stated: bool = False,
    aphe: str | None = None,
    size_mm: float | None = None,
    washout: bool | None = None,
    washout_phase: str | None = None,
    contrast: str | None = None,
    capsule: bool | None = None,
    threshold_growth: bool | None = None,
    distinctive_nodule: bool = False,
    af_malignancy: Sequence[str] = (),
    af_benignity: Sequence[str] = (),
    tiebreak_unknown: bool = False,
    adjust_benign_categories: bool = True,
) -> tuple[LiradsCategory | None, str | None, str]:
    """LI-RADS v2018 category from normalized inputs: (category, TIV subtype, reason).

    ``aphe`` is "none", "nonrim", "rim" or None (not assessed). Category None
    means the inputs are incomplete (no size or APHE where the table needs it)
    and ``tiebreak_unknown`` is off; with it on, unknown values take the one
    giving the lower-certainty category (LI-RADS tiebreaking) and the reason says so.
    """
    steps: list[str] = []
    ap = (aphe or "").lower() or None
    if ap not in (None, "none", "nonrim", "rim"):
        raise ValueError(f"aphe must be none, nonrim, rim or None, not {aphe!r}")
    targetoid = _targetoid_list(ap, lrm_targetoid)
    nonrim = ap == "nonrim"
    wo, wo_note = _washout_counts(washout, washout_phase, contrast)
    caps, tg = bool(capsule), bool(threshold_growth)
    table = functools.partial(
        _table_step,
        ap=ap,
        size_mm=size_mm,
        wo=wo,
        caps=caps,
        tg=tg,
        tiebreak_unknown=tiebreak_unknown,
    )

    if lr_nc:
        return (
            LiradsCategory.LR_NC,
            None,
            "LR-NC: cannot be categorized" + (f" ({nc_reason})" if nc_reason else "") + ".",
        )
    if tumor_in_vein:
        return _tiv_result(targetoid, lrm_stated, size_mm, table)
    if benign in ("definite", "probable"):
        benign_cat = 1 if benign == "definite" else 2
        steps.append(f"{benign}ly benign entity -> LR-{benign_cat}")
        if adjust_benign_categories:
            benign_cat = _adjust(benign_cat, af_malignancy, af_benignity, steps)
        return _NUM[benign_cat], None, f"LR-{benign_cat}: " + "; ".join(steps) + "."
    if targetoid or lrm_stated:
        what = ", ".join(targetoid) if targetoid else "reader's LR-M appearance"
        return (
            LiradsCategory.LR_M,
            None,
            f"LR-M: targetoid / non-HCC malignancy feature ({what}) - LR-M even with HCC "
            "features; ancillary features not applied.",
        )
    if wo_note:
        steps.append(wo_note)
    major = nonrim or wo or caps or tg
    lr2_step = _distinctive_lr2_step(distinctive_nodule, size_mm, major, lrm_nontargetoid)
    if lr2_step is not None:
        steps.append(lr2_step)
        cat2 = _adjust(2, af_malignancy, af_benignity, steps)
        return _NUM[cat2], None, f"LR-{cat2}: " + "; ".join(steps) + "."
    cat, ttext = table()
    lrm = _nontargetoid_lrm(cat, ttext, lrm_nontargetoid, steps)
    if lrm is not None:
        return lrm
    if cat is None:
        return None, None, f"not categorizable from the inputs: {ttext}."
    steps.append(ttext)
    final = _adjust(cat, af_malignancy, af_benignity, steps)
    return _NUM[final], None, f"LR-{final}: " + "; ".join(steps) + "."


# ---------------------------------------------------------------------------
# From the Case model
# ---------------------------------------------------------------------------


def _citations(cat: LiradsCategory, reason: str) -> list[str]:
    cites = [CORE, ACR_CORE]
    if "ancillary" in reason:
        cites.append(ACR_ASSIST)
    if cat is LiradsCategory.LR_TIV or "threshold growth" in reason or "subthreshold" in reason:
        cites.append(KAN)
    if cat is LiradsCategory.LR_M or "nontargetoid" in reason:
        cites.append(FOWLER)
    if "hepatobiliary agent" in reason or "not washout" in reason:
        cites.append(SANTILLAN)
    cites.append(AASLD)
    return cites


def latest_sectional(track: Track) -> Observation | None:
    for obs in reversed(track.observations):
        if obs.exam.modality in SECTIONAL:
            return obs
    return None


def categorize_ctmri(track: Track, exams: list[Exam]) -> LiradsResult | None:
    """The LI-RADS category of the track's latest CT/MRI observation (None if it has none)."""
    obs = latest_sectional(track)
    if obs is None:
        return None
    exam, f = obs.exam, obs.finding
    ft = f.features
    benign = ft.benign_entity.value if isinstance(ft.benign_entity, BenignCertainty) else None
    nc_reason = ""
    if exam.image_quality is ImageQuality.degraded:
        nc_reason = "image degradation"
    elif exam.contrast is Contrast.none and benign is None:
        nc_reason = (
            "unenhanced exam: arterial and post-arterial phases omitted, so LI-RADS features "
            "cannot be assessed"
        )
    aphe = (
        "rim" if ft.rim_aphe else ("nonrim" if ft.aphe else ("none" if ft.aphe is False else None))
    )
    targetoid = [
        name
        for name, v in (
            ("rim APHE", ft.rim_aphe),
            ("peripheral washout", ft.peripheral_washout),
            ("delayed central enhancement", ft.delayed_central_enhancement),
            ("targetoid appearance", ft.targetoid),
        )
        if v
    ]
    nontargetoid = ["nontargetoid LR-M feature"] if ft.lrm_nontargetoid else []
    ev = growth_evidence(track, obs, exams)
    tg = ev.threshold_growth or bool(ft.threshold_growth)
    notes = list(ev.notes)
    if ft.threshold_growth and not ev.threshold_growth:
        notes.append("threshold growth as stated by the reader")
    contrast = {Contrast.hepatobiliary: "hba", Contrast.iv: "eca"}.get(exam.contrast)  # type: ignore[arg-type]
    phase = ft.washout_phase.value if ft.washout_phase is not None else None
    cat, sub, reason = categorize_features(
        lr_nc=bool(nc_reason),
        nc_reason=nc_reason,
        tumor_in_vein=bool(ft.tumor_in_vein),
        benign=benign,
        lrm_targetoid=targetoid,
        lrm_nontargetoid=nontargetoid,
        aphe=aphe,
        size_mm=f.size_mm,
        washout=ft.washout,
        washout_phase=phase,
        contrast=contrast,
        capsule=ft.capsule,
        threshold_growth=tg,
        distinctive_nodule=bool(ft.distinctive_nodule),
        af_malignancy=[*ft.ancillary_malignancy, *ev.af_malignancy],
        af_benignity=[*ft.ancillary_benignity, *ev.af_benignity],
        tiebreak_unknown=True,
    )
    if cat is None:  # pragma: no cover - tiebreak_unknown always yields a category
        return None
    if notes and cat not in (LiradsCategory.LR_NC,):
        reason += " Growth: " + "; ".join(notes) + "."
    unknown = [
        n
        for n, v in (("washout", ft.washout), ("capsule", ft.capsule))
        if v is None and cat not in (LiradsCategory.LR_NC, LiradsCategory.LR_TIV)
    ]
    if unknown and cat in (LiradsCategory.LR_3, LiradsCategory.LR_4, LiradsCategory.LR_2):
        reason += " Not reported and treated as absent: " + ", ".join(unknown) + "."
    if f.is_calcified and f.associated in (None, "none") and benign is None:
        reason += (
            " This is a calcified focus: if the radiologist judges it definitely benign (e.g. a "
            "typical calcified granuloma without soft tissue), mark it benign_entity=definite "
            "(LR-1)."
        )
    return LiradsResult(
        track=track.id,
        category=cat,
        reason=reason,
        exam=exam.id,
        subtype=sub,
        management=MANAGEMENT[cat],
        citations=_citations(cat, reason),
    )


def _cirrhosis_on_imaging(patient: Patient, exams: Sequence[Exam]) -> bool:
    return patient.risk_factors.cirrhosis is None and any(
        e.background_liver == "cirrhosis" for e in exams
    )


def _gone_on_later_ctmri(track: Track, exams: Sequence[Exam]) -> bool:
    """True when a CT/MRI after the track's last CT/MRI observation could show it but does not."""
    last = latest_sectional(track)
    if last is None:
        return False
    idx = next((i for i, e in enumerate(exams) if e is last.exam), None)
    if idx is None:
        idx = next((i for i, e in enumerate(exams) if e.id == last.exam.id), len(exams))
    return any(
        e.modality in SECTIONAL and can_see(e.modality, last.finding) for e in exams[idx + 1 :]
    )


def lirads_results(case: Case, tracks: list[Track], exams: list[Exam]) -> list[LiradsResult] | None:
    """LI-RADS results for the case, or None when LI-RADS does not apply to the patient.

    One CT/MRI result per track that has a CT/MRI observation (skipped when a later
    CT/MRI that could show it no longer does; a later ultrasound that does not
    mention it does not remove it), preceded by one US LI-RADS result for the latest
    surveillance ultrasound, if any (its ``track`` is the observation that sets the
    US category, or "none").
    """
    from hepcalc.engine.us_lirads import categorize_us

    applies, _why = lirads_applies(case.patient)
    if not applies:
        blocked = case.patient.age is not None and case.patient.age < 18
        blocked = blocked or case.patient.risk_factors.cirrhosis_cause in (
            "congenital_hepatic_fibrosis",
            "vascular",
        )
        if blocked or not _cirrhosis_on_imaging(case.patient, exams):
            return None
    results: list[LiradsResult] = []
    for t in tracks:
        if _gone_on_later_ctmri(t, exams):
            continue
        r = categorize_ctmri(t, exams)
        if r is not None:
            results.append(r)
    us = [e for e in exams if e.modality is Modality.US]
    if us:
        # First, so that a caller indexing results by track lets the CT/MRI category of
        # an already characterized observation win over the exam-level US category.
        results.insert(0, categorize_us(us[-1], tracks))
    return results
