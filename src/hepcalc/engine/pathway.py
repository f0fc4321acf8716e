"""The management pathway: from category, risk, growth and LI-RADS to next steps.

Every branch of seed 001 and seed 003 is here, corrected where the knowledge
base records a conflict (see docs/conflicts.md), plus the ACR Incidental
Findings rules (Gore 2017) for adults outside the LI-RADS population. Each
recommendation names its rule in ``rules.yaml``; the rule carries the
consequent (actions, study, interval, urgency) and the citations, so the
reasoning of every output can be audited. This module keeps the precedence.

Precedence, per finding (track); the first step that decides ends the track,
so one decision is made per finding. Only rules marked ``combines: true`` in
``rules.yaml`` add a second step beside it (growth, biopsy, urgency rules):

1. resolved findings: nothing.
2. MRI-only signal void / calcification not confirmed off MRI: non-contrast CT
   (rule ``mri-calcification-ct``); never MRI again.
3. significant growth: CT confirmation or characterisation (``growth-*``).
4. LI-RADS (where it applies and categorised the observation).
5. stopping rules: treatment response on chemotherapy
   (``treatment-response-oncology``), stability >= 2 years on CT/MRI
   (``stable-two-years``).
6. fetus and children, by age group and disease (``prenatal-*``,
   ``neonatal-*``, ``pediatric-*``).
7. adults by category: isolated calcification (with the ultrasound-only size
   limit ``us-only-large-calcification``), calcified solid lesion, calcified
   cystic lesion, non-calcified lesion (ACR incidental-findings table),
   indeterminate.
8. after the branch: a finding already characterised by contrast MRI (or
   dynamic CT) has any new characterisation study replaced by
   multidisciplinary discussion and referral (``already-characterised``).

Then, case-level steps (HCC surveillance, AFP, biopsy cautions) and the urgency
rules of the safety stage (``urgency-*``: cholangitis, febrile cystic lesion,
tumour in vein, jaundiced neonate, symptomatic child).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TypedDict

from hepcalc.engine import safety
from hepcalc.engine.afp import afp_for_age, afp_words
from hepcalc.engine.category import confirmed_off_mri
from hepcalc.engine.risk import RiskProfile, factor_words
from hepcalc.knowledge import KnowledgeBase
from hepcalc.knowledge.rules import in_scope
from hepcalc.model import (
    Action,
    Associated,
    Category,
    Contrast,
    Exam,
    Finding,
    FindingKind,
    Growth,
    GrowthStatus,
    LiradsCategory,
    LiradsResult,
    Modality,
    Patient,
    Pattern,
    Recommendation,
    Symptom,
    Warning,
)

SUBCENTIMETRE_MM = 10.0
_STUDY_ACTIONS = frozenset(
    {
        Action.follow_up_imaging,
        Action.surveillance_imaging,
        Action.hcc_surveillance,
        Action.noncontrast_ct,
        Action.characterize_contrast_imaging,
    }
)
_IMAGING = frozenset(
    {
        Action.follow_up_imaging,
        Action.surveillance_imaging,
        Action.hcc_surveillance,
    }
)
# contrast MRI with a hepatobiliary agent: the preferred characterisation study (seed 001)
MRI_HBA: dict = {"modality": "MRI", "contrast": Contrast.hepatobiliary}
ACR_MID_MM = 15.0


@dataclass(frozen=True)
class TrackView:
    """One lesion over time, as the pathway sees it."""

    track: str
    finding: Finding  # latest observation
    exam: Exam  # exam of the latest observation
    history: tuple[tuple[Exam, Finding], ...]
    category: Category
    growth: Growth | None
    lirads: LiradsResult | None
    resolved: bool = False


@dataclass
class Plan:
    """What the pathway decided; ``assess`` merges and orders it."""

    recommendations: list[Recommendation] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)


class _Builder:
    def __init__(self, kb: KnowledgeBase, profile: RiskProfile, patient: Patient):
        self.kb = kb
        self.profile = profile
        self.patient = patient
        self.plan = Plan()
        self.scope = safety.scope_context(patient, profile.age_group)
        self._in_scope: dict[str, bool] = {}

    def cite(self, keys: Sequence[str]) -> list[str]:
        """The keys whose reference scope fits this patient (never an empty list).

        A guideline outside its population or setting (Gore 2017 for a child or a
        symptomatic patient; a colorectal series for a breast primary) is dropped.
        """
        out = []
        for k in keys:
            ok = self._in_scope.get(k)
            if ok is None:
                ok = self._in_scope[k] = in_scope(self.kb.reference(k).scope, self.scope)
            if ok and k not in out:
                out.append(k)
        return out or list(dict.fromkeys(keys))

    def rec(
        self,
        action: Action,
        rule: str,
        rationale: str,
        *,
        track: str | None = None,
        modality: str | None = None,
        contrast: Contrast | None = None,
        interval: tuple[float, float] | None = None,
        duration: float | None = None,
        assumptions: Sequence[str] = (),
        also: Sequence[str] = (),
    ) -> None:
        """Add a recommendation; ``also`` names related rules whose citations it carries.

        Study, interval and urgency default to the rule's data; an argument given
        here is a branch-specific choice (e.g. the interval of one LI-RADS step).
        """
        r = self.kb.rule(rule)
        text = rationale
        if r.derived:
            text += " (Threshold or interval derived by hepcalc from the cited evidence.)"
        citations = list(r.citations)
        for other in also:
            citations.extend(k for k in self.kb.rule(other).citations if k not in citations)
        if interval is None and r.interval_months and action in _IMAGING:
            interval = r.interval_months
        if duration is None and action in _IMAGING:
            duration = r.duration_months
        self.plan.recommendations.append(
            Recommendation(
                action=action,
                modality=modality,
                contrast=contrast,
                interval_months=list(interval) if interval else None,
                duration_months=duration,
                rule=rule,
                rationale=text,
                citations=self.cite(citations),
                track=track,
                assumptions=list(assumptions),
                urgency=r.urgency,
                urgency_reason=r.urgency_reason if r.urgency != "routine" else "",
            )
        )

    def steps(self, rule_id: str, track: str | None, **fields: str) -> None:
        """Emit a rule's steps as written in rules.yaml (rationale templates are data)."""
        rule = self.kb.rule(rule_id)
        for step in rule.steps:
            imaging = step.action in _STUDY_ACTIONS
            self.rec(
                step.action,
                rule_id,
                step.text.format(**fields),
                track=track,
                modality=(step.modality or rule.modality) if imaging else None,
                contrast=(step.contrast or rule.contrast) if imaging else None,
            )

    def warn(self, code: str, rule: str, text: str) -> None:
        if any(w.code == code for w in self.plan.warnings):
            return
        self.plan.warnings.append(
            Warning(code=code, text=text, citations=self.cite(self.kb.rule(rule).citations))
        )

    # -- assumptions the recommendation depends on ---------------------------------
    def low_risk_assumptions(self) -> list[str]:
        unknown = self.profile.unknown_liver_factors()
        if self.profile.risk.tier.value != "low":
            return []
        out: list[str] = []
        if unknown:
            words = ", ".join(factor_words(f) for f in unknown)
            out.append(
                f"Assumes no {words} (not stated). If present, contrast-enhanced MRI or "
                "multiphase CT is needed instead."
            )
        if "extrahepatic_malignancy" in self.profile.risk.unknown:
            out.append(
                "Assumes no known cancer outside the liver (not stated). If there is one, "
                "contrast-enhanced MRI is needed to exclude metastasis."
            )
        if self.profile.adult_assumed:
            out.append("Assumes an adult (age not given).")
        if self.patient.symptoms == [] and not _labs_given(self.patient):
            out.append("Assumes no liver symptoms and normal liver tests (none given).")
        return out


def _labs_given(p: Patient) -> bool:
    labs = p.labs
    return any(v is not None for v in (labs.afp_ng_ml, labs.alt_u_l, labs.ast_u_l))


def _size(f: Finding) -> str:
    return f"{f.size_mm:g} mm" if f.size_mm is not None else "unknown size"


def _had_contrast_cross_sectional(history: Sequence[tuple[Exam, Finding]]) -> int:
    return sum(
        1
        for exam, _ in history
        if exam.modality in (Modality.CT, Modality.MRI)
        and exam.contrast in (Contrast.iv, Contrast.hepatobiliary)
    )


# ---------------------------------------------------------------------------
# LI-RADS management (Chernyak 2018 core p14)
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class _Step:
    """One management step of a LI-RADS category (core p14 table, rule lirads-management)."""

    action: Action
    text: str
    modality: str | None = None
    contrast: Contrast | None = None
    interval: tuple[float, float] | None = None


class _Where(TypedDict):
    """Where a step is done; a TypedDict so ``**`` spreads keep _Step's field types."""

    modality: str
    contrast: Contrast


_CT_MRI: _Where = {"modality": "CT or MRI", "contrast": Contrast.iv}
_US: _Where = {"modality": "US", "contrast": Contrast.none}
_MDD = "Multidisciplinary discussion for tailored work-up."

LIRADS_STEPS: dict[LiradsCategory, tuple[_Step, ...]] = {
    LiradsCategory.LR_NC: (
        _Step(
            Action.follow_up_imaging,
            "Repeat or alternative diagnostic imaging in 3 months or less.",
            interval=(0, 3),
            **_CT_MRI,
        ),
    ),
    LiradsCategory.LR_1: (
        _Step(Action.hcc_surveillance, "Return to routine surveillance.", interval=(6, 6), **_US),
    ),
    LiradsCategory.LR_2: (
        _Step(
            Action.hcc_surveillance,
            "Return to surveillance; consider repeat diagnostic imaging in 6 months or less.",
            interval=(6, 6),
            **_US,
        ),
    ),
    LiradsCategory.LR_3: (
        _Step(
            Action.follow_up_imaging,
            "Repeat or alternative diagnostic imaging in 3-6 months.",
            interval=(3, 6),
            **_CT_MRI,
        ),
    ),
    LiradsCategory.LR_4: (
        _Step(Action.multidisciplinary_discussion, _MDD),
        _Step(Action.biopsy_consideration, "Work-up may include biopsy."),
        _Step(
            Action.follow_up_imaging,
            "If neither biopsy nor treatment is planned, repeat or "
            "alternative imaging in 3 months or less.",
            interval=(0, 3),
            **_CT_MRI,
        ),
    ),
    LiradsCategory.LR_5: (
        _Step(
            Action.multidisciplinary_discussion,
            "HCC by imaging criteria; biopsy is not "
            "needed. Multidisciplinary discussion for management.",
        ),
    ),
    LiradsCategory.LR_M: (
        _Step(Action.multidisciplinary_discussion, _MDD),
        _Step(Action.biopsy_consideration, "Work-up often includes biopsy."),
    ),
    LiradsCategory.LR_TIV: (
        _Step(
            Action.multidisciplinary_discussion,
            "Multidisciplinary discussion; work-up may include biopsy.",
        ),
    ),
    LiradsCategory.US_1: (
        _Step(Action.hcc_surveillance, "Return to routine surveillance.", interval=(6, 6), **_US),
    ),
    LiradsCategory.US_2: (
        _Step(
            Action.follow_up_imaging,
            "Short-interval ultrasound in 3-6 months.",
            interval=(3, 6),
            **_US,
        ),
    ),
    LiradsCategory.US_3: (
        _Step(
            Action.characterize_contrast_imaging,
            "Multiphase contrast-enhanced CT or MRI.",
            modality="MRI or CT",
            contrast=Contrast.hepatobiliary,
        ),
    ),
}


def _lirads_plan(b: _Builder, tv: TrackView) -> bool:
    """Emit LI-RADS-driven management; True if LI-RADS decided this track."""
    lr = tv.lirads
    if lr is None:
        return False
    why = f"{lr.category.value}: {lr.reason}" if lr.reason else lr.category.value
    rule = "us-lirads-management" if lr.category.value.startswith("US-") else "lirads-management"
    for step in LIRADS_STEPS[lr.category]:
        b.rec(
            step.action,
            rule,
            f"{why}. {step.text}",
            track=tv.track,
            modality=step.modality,
            contrast=step.contrast,
            interval=step.interval,
        )
    return True


# ---------------------------------------------------------------------------
# Branches
# ---------------------------------------------------------------------------


def _growth_words(g: Growth) -> str:
    """One sentence of numbers; the full explanation lives in ``growth[]``.

    A report that only states the increase ("increased in number since 2021", no earlier
    size) has no numbers to show: the sentence says so instead of failing.
    """
    if g.from_mm is None or g.to_mm is None:
        now = f", now {g.to_mm:g} mm" if g.to_mm is not None else ""
        return f"Track {g.track}: increase stated in the report{now}; no earlier size given."
    text = f"Track {g.track}: {g.from_mm:g} -> {g.to_mm:g} mm"
    if g.change_mm is not None and g.change_pct is not None:
        text += f" ({g.change_mm:+g} mm, {g.change_pct:+g}%)"
    if g.variability_mm is not None:
        text += f", beyond the measurement variability of about {g.variability_mm:g} mm"
    return text + "."


def _growth_plan(b: _Builder, tv: TrackView) -> bool:
    g = tv.growth
    if g is None or g.status is not GrowthStatus.significant_growth:
        return False
    t = tv.track
    latest = tv.exam.modality
    first = tv.history[0][0].modality if tv.history else latest
    same_cross_sectional = latest in (Modality.CT, Modality.MRI) and first is latest
    if same_cross_sectional:
        b.rec(
            Action.characterize_contrast_imaging,
            "growth-confirmed-characterize",
            f"Growth confirmed on {latest.value}: {_growth_words(g)}",
            track=t,
            **MRI_HBA,
        )
        b.rec(
            Action.multidisciplinary_discussion,
            "growth-confirmed-characterize",
            "Growth on cross-sectional imaging of the same modality warrants review.",
            track=t,
        )
        if (tv.finding.size_mm or 0) >= SUBCENTIMETRE_MM:
            b.rec(
                Action.biopsy_consideration,
                "biopsy-indications",
                "Documented growth is an indication to consider biopsy (core needle).",
                track=t,
            )
        return True
    b.rec(
        Action.noncontrast_ct,
        "growth-confirm-ct",
        f"{_growth_words(g)} Ultrasound size of a shadowing calcification is unreliable; "
        "non-contrast CT settles the true size and whether this is "
        "calcium, and shows any soft-tissue component.",
        track=t,
        modality="CT",
        contrast=Contrast.none,
    )
    b.rec(
        Action.characterize_contrast_imaging,
        "growth-confirm-ct",
        "If CT confirms growth or shows a soft-tissue component: contrast-enhanced MRI "
        "(hepatobiliary agent preferred) or multiphase CT to exclude an associated lesion; "
        "biopsy only if growth is confirmed.",
        track=t,
        **MRI_HBA,
    )
    return True


def _contrast_done(tv: TrackView) -> bool:
    return tv.exam.modality in (Modality.CT, Modality.MRI) and tv.exam.contrast in (
        Contrast.iv,
        Contrast.hepatobiliary,
    )


def _high_risk_liver_plan(b: _Builder, tv: TrackView, what: str) -> None:
    """Cirrhosis, chronic hepatitis or other chronic liver disease outside LI-RADS decisions.

    Never assume a granuloma: characterise, and if contrast imaging has already been done and
    the finding stays indeterminate, keep it under 3-6 monthly surveillance (seed 001 pitfalls).
    """
    t = tv.track
    f = tv.finding
    b.warn(
        "calcified_lesion_in_cirrhosis",
        "pitfall-cirrhosis",
        "High-risk liver: a calcified finding is not assumed to be a granuloma without "
        "characterisation; calcified HCC gets the same work-up as any HCC.",
    )
    if f.size_mm is not None and f.size_mm < SUBCENTIMETRE_MM:
        b.rec(
            Action.follow_up_imaging,
            "high-risk-subcentimetre",
            f"{_size(f)} {what} in a high-risk liver: follow-up MRI in 3-6 months (never later "
            "than 6 months).",
            track=t,
            **MRI_HBA,
            interval=(3, 6),
        )
    elif _contrast_done(tv):
        b.rec(
            Action.surveillance_imaging,
            "indeterminate-surveillance",
            f"{_size(f)} {what} in a high-risk liver, already imaged with contrast: surveillance "
            "imaging every 3-6 months for up to 2 years.",
            track=t,
            modality="MRI or CT",
            contrast=Contrast.iv,
            interval=(3, 6),
            duration=24,
        )
        b.warn(
            "followup_max_6_months",
            "pitfall-followup-max-6",
            "Do not delay follow-up of an indeterminate calcified lesion beyond 6 months in an "
            "at-risk patient.",
        )
    else:
        b.rec(
            Action.characterize_contrast_imaging,
            "high-risk-characterize",
            f"{what.capitalize()} ({_size(f)}) in a high-risk liver: dynamic contrast-enhanced "
            "MRI (hepatobiliary agent preferred) or multiphase CT with non-contrast images first.",
            track=t,
            **MRI_HBA,
        )


def _isolated_plan(b: _Builder, tv: TrackView) -> None:
    t = tv.track
    f = tv.finding
    p = b.profile
    if p.known_cancer:
        b.rec(
            Action.characterize_contrast_imaging,
            "known-cancer-mri",
            f"Calcification ({_size(f)}) with a known cancer outside the liver: "
            "contrast-enhanced MRI to exclude a calcified metastasis (CT acceptable if the "
            "patient is due for routine staging CT).",
            track=t,
            modality="MRI",
            contrast=Contrast.iv,
        )
        return
    if p.liver_risk:
        _high_risk_liver_plan(b, tv, "calcified focus")
        return
    if p.symptomatic or p.afp_raised or p.liver_tests_abnormal:
        reasons = []
        if p.symptomatic:
            reasons.append(
                "symptoms ("
                + ", ".join(s.value.replace("_", " ") for s in b.patient.symptoms)
                + ")"
            )
        if p.afp_raised:
            reasons.append("raised AFP")
        if p.liver_tests_abnormal:
            reasons.append("abnormal liver tests")
        why = " and ".join(reasons)
        b.rec(
            Action.characterize_contrast_imaging,
            "symptoms-labs-workup",
            f"Calcification with {why}: not a case for 'no work-up'. Characterise with "
            "contrast-enhanced MRI or multiphase CT.",
            track=t,
            modality="MRI or CT",
            contrast=Contrast.iv,
        )
        return
    if _us_only_too_large(b, tv):
        return
    b.rec(
        Action.no_further_workup,
        "isolated-low-risk",
        f"Isolated {f.pattern.value + ' ' if f.pattern else ''}calcification ({_size(f)}) "
        "without an associated lesion in a low-risk adult: a typical benign finding, most "
        "often a healed granuloma. No further imaging is needed; a routine 6-month check "
        "(suggested by some summaries) is not supported by guidelines.",
        track=t,
        assumptions=b.low_risk_assumptions(),
        also=("isolated-single-followup-not-applied",),
    )


def _us_only_too_large(b: _Builder, tv: TrackView) -> bool:
    """A large (or large amorphous) calcification seen only on US/XR: non-contrast CT first."""
    f = tv.finding
    if f.size_mm is None or any(e.modality in (Modality.CT, Modality.MRI) for e, _ in tv.history):
        return False
    rule = b.kb.rule("us-only-large-calcification")
    limit = rule.threshold_mm or 20.0
    amorphous_limit = rule.threshold_amorphous_mm or limit
    amorphous = f.pattern is Pattern.amorphous
    if f.size_mm < limit and not (amorphous and f.size_mm >= amorphous_limit):
        return False
    shape = "amorphous calcification" if amorphous else "calcification"
    b.rec(
        Action.noncontrast_ct,
        "us-only-large-calcification",
        f"{shape.capitalize()} of {_size(f)} seen only on "
        f"{tv.exam.modality.value}: too large to call a benign isolated calcification without "
        "CT. Non-contrast CT shows whether it is calcium, its true size and any soft-tissue "
        "component; the answer follows the CT.",
        track=tv.track,
        modality="CT",
        contrast=Contrast.none,
    )
    return True


def _acr_facts(b: _Builder, f: Finding) -> dict[str, str]:
    """The facts the ACR incidental-findings table (rules.yaml, ``when: {table: acr-if}``) reads."""
    ft = f.features
    suspicious = ft.suspicious_imaging_features is True
    flash = ft.flash_filling is True
    benign = ft.benign_imaging_features is True or ft.peripheral_nodular_enhancement is True
    if benign and not suspicious:
        features = "benign"
    elif not (suspicious or flash):
        features = "uncharacterised"
    else:
        features = "suspicious" if suspicious else "flash"
    size = f.size_mm
    if size is not None and size < SUBCENTIMETRE_MM:
        band = "lt10"
    elif size is not None and size <= ACR_MID_MM:
        band = "10to15"
    else:
        band = "gt15"  # unknown size reads as the largest band (the safer reading)
    return {
        "invasion": "yes" if (ft.vascular_invasion or ft.biliary_dilatation) else "no",
        "size": band,
        "features": features,
        "risk": "high" if b.profile.high else "low",
    }


def acr_row(kb: KnowledgeBase, facts: dict[str, str]) -> str:
    """The first ACR table row (rule id, in rules.yaml order) whose conditions all match."""
    for rule in kb.rules.values():
        w = rule.when
        if (
            w is not None
            and w.table == "acr-if"
            and all(getattr(w, key) in ("any", value) for key, value in facts.items())
        ):
            return rule.id
    raise LookupError(f"no ACR incidental-findings row matches {facts}")  # KB defect


def _acr_if_plan(b: _Builder, tv: TrackView) -> None:
    """ACR Incidental Findings (Gore 2017) for a lesion in an asymptomatic adult outside LI-RADS.

    The decision table is data (rules.yaml); this function only computes the facts it reads.
    A symptomatic patient is outside the table's population: characterise instead.
    """
    t = tv.track
    f = tv.finding
    facts = _acr_facts(b, f)
    if b.profile.symptomatic and facts["invasion"] == "no":
        b.rec(
            Action.characterize_contrast_imaging,
            "symptoms-labs-workup",
            f"{_size(f)} lesion in a patient with symptoms: the incidental-findings table "
            "(asymptomatic adults) does not apply. Characterise with contrast-enhanced MRI or "
            "multiphase CT.",
            track=t,
            modality="MRI or CT",
            contrast=Contrast.iv,
        )
        return
    rule = b.kb.rule(acr_row(b.kb, facts))
    for step in rule.steps:
        study = step.action in (Action.characterize_contrast_imaging, Action.follow_up_imaging)
        b.rec(
            step.action,
            rule.id,
            step.text.format(size=_size(f)),
            track=t,
            modality=rule.modality if study else None,
            contrast=rule.contrast if study else None,
            interval=rule.interval_months if study else None,
            assumptions=b.low_risk_assumptions() if step.action is Action.no_further_workup else (),
        )


def _solid_plan(b: _Builder, tv: TrackView) -> None:
    t = tv.track
    f = tv.finding
    ft = f.features
    hemangioma = f.associated is Associated.hemangioma or ft.peripheral_nodular_enhancement
    if hemangioma:
        # Any stated symptom, pain included: pain is what makes a hemangioma a
        # surgical question (unlike the risk tier, where pain alone does not count).
        if b.patient.symptoms:
            b.rec(
                Action.surgical_consultation,
                "hemangioma-symptomatic",
                "Hemangioma with symptoms: surgical consultation.",
                track=t,
            )
        else:
            b.rec(
                Action.no_further_workup,
                "hemangioma-no-treatment",
                "Hemangioma (calcification, often phleboliths or a central scar, occurs in "
                "large lesions): no treatment and no routine follow-up unless symptomatic.",
                track=t,
                assumptions=b.low_risk_assumptions(),
            )
        return
    if b.profile.known_cancer:
        b.rec(
            Action.characterize_contrast_imaging,
            "known-cancer-mri",
            f"Calcified lesion ({_size(f)}) with a known cancer outside the liver: "
            "contrast-enhanced MRI (CT acceptable if due for routine staging CT).",
            track=t,
            modality="MRI",
            contrast=Contrast.iv,
        )
        return
    if b.profile.liver_risk:
        _high_risk_liver_plan(b, tv, "calcified lesion")
        return
    has_features = any(
        x is not None
        for x in (ft.benign_imaging_features, ft.suspicious_imaging_features, ft.flash_filling)
    )
    if has_features and not b.profile.pediatric:
        _acr_if_plan(b, tv)
        return
    b.rec(
        Action.characterize_contrast_imaging,
        "associated-lesion-characterize",
        f"Calcification with an associated lesion ({_size(f)}): contrast-enhanced MRI "
        "(hepatobiliary agent preferred) or multiphase CT with non-contrast images first.",
        track=t,
        **MRI_HBA,
    )


def _hydatid_suspected(b: _Builder, f: Finding) -> bool:
    rf = b.patient.risk_factors
    return bool(
        f.features.daughter_cysts
        or b.patient.labs.echinococcus_serology == "positive"
        or (rf.endemic_exposure and (f.pattern is not None and f.pattern.value == "rim"))
    )


def _cystic_plan(b: _Builder, tv: TrackView) -> None:
    t = tv.track
    f = tv.finding
    ft = f.features
    if _hydatid_suspected(b, f):
        b.rec(
            Action.laboratory_tests,
            "hydatid-referral",
            "Suspected hydatid (echinococcal) cyst: echinococcus serology.",
            track=t,
        )
        if ft.daughter_cysts:
            stage = (
                "Daughter cysts mean an active cyst (WHO-IWGE CE2 or CE3b), whatever the "
                "calcification: it needs treatment planning, not watch-and-wait."
            )
        else:
            stage = (
                "Only a completely calcified (CE5) cyst is inactive and suits watch-and-wait "
                "with ultrasound; the specialist stages it."
            )
        b.rec(
            Action.specialist_referral,
            "hydatid-referral",
            "Refer to an infectious-disease or hepatobiliary specialist for WHO-IWGE staging "
            "and treatment. " + stage,
            track=t,
        )
        b.warn(
            "hydatid_no_biopsy",
            "hydatid-no-biopsy",
            "Suspected hydatid cyst: do not biopsy or aspirate.",
        )
        return
    if (
        ft.thick_wall
        or ft.septations
        or ft.solid_component
        or f.associated is Associated.complex_cyst
    ):
        b.rec(
            Action.characterize_contrast_imaging,
            "complex-cyst-mri-surgery",
            "Calcified cystic lesion with a thick wall, septations or a solid component: "
            "contrast-enhanced MRI.",
            track=t,
            modality="MRI",
            contrast=Contrast.iv,
        )
        b.rec(
            Action.surgical_consultation,
            "complex-cyst-mri-surgery",
            "Surgical consultation: a mucinous cystic neoplasm needs complete excision.",
            track=t,
        )
        return
    if b.profile.known_cancer or b.profile.liver_risk:
        _solid_plan(b, tv)
        return
    b.rec(
        Action.no_further_workup,
        "cyst-thin-calcification",
        "Cyst with thin wall calcification and nothing else (no septations, thick wall or "
        "solid part): benign, often after an old bleed into the cyst. No treatment needed.",
        track=t,
        assumptions=b.low_risk_assumptions(),
    )


def _indeterminate_plan(b: _Builder, tv: TrackView) -> None:
    t = tv.track
    f = tv.finding
    if tv.exam.modality is Modality.MRI:
        b.rec(
            Action.noncontrast_ct,
            "mri-calcification-ct",
            f"MRI reports calcification or a signal void ({_size(f)}), not confirmed on CT or "
            "ultrasound: non-contrast CT confirms whether it is calcium (a signal void may also "
            "be haemosiderin, air or flow). Another MRI would not settle it.",
            track=t,
            modality="CT",
            contrast=Contrast.none,
        )
        b.warn(
            "mri_limited_for_calcification",
            "mri-calcification-ct",
            "MRI is unreliable for calcification (standard MRI sensitivity about 37%); CT is "
            "the reference standard.",
        )
        return  # the next step follows the CT: never another MRI to settle calcium
    b.rec(
        Action.characterize_contrast_imaging,
        "associated-lesion-characterize",
        f"Calcification ({_size(f)}) whose relation to a lesion is unclear: contrast-enhanced "
        "MRI or multiphase CT to look for an associated lesion.",
        track=t,
        **MRI_HBA,
    )


def _prenatal_plan(b: _Builder, tv: TrackView) -> None:
    t = tv.track
    f = tv.finding
    if f.pattern is Pattern.capsular:
        b.steps("prenatal-meconium-peritonitis", t)
        return
    b.steps("prenatal-calcification", t)


def _child_mass_plan(b: _Builder, tv: TrackView) -> None:
    """A calcified liver mass in a child: hepatoblastoma and infantile hemangioma lead."""
    t = tv.track
    f = tv.finding
    b.rec(
        Action.characterize_contrast_imaging,
        "pediatric-mass",
        f"Calcified lesion ({_size(f)}) in a child: MRI characterisation.",
        track=t,
        modality="MRI",
        contrast=Contrast.iv,
    )
    reading = afp_for_age(b.patient, b.kb, b.profile.prenatal)
    if reading is None:
        afp_text = (
            "AFP read against age-specific values (very high at birth, falling to adult levels "
            "over the first year or two): raised for age points to hepatoblastoma."
        )
    else:
        afp_text = afp_words(reading) + (
            ": raised for age, hepatoblastoma leads." if reading.raised else "."
        )
    b.rec(Action.laboratory_tests, "pediatric-mass", afp_text, track=t)
    b.rec(
        Action.specialist_referral,
        "pediatric-mass",
        "Refer to paediatric hepatology or oncology.",
        track=t,
    )
    group = b.profile.age_group
    hemangioma_like = (
        f.associated is Associated.hemangioma
        or f.features.peripheral_nodular_enhancement is True
        or group in ("neonate", "infant")
    )
    limit = b.kb.rule("pediatric-hemangioma-large").threshold_mm or 40.0
    large = (
        (f.size_mm is not None and f.size_mm >= limit)
        or f.count == "multiple"
        or (isinstance(f.count, int) and f.count > 1)
    )
    if hemangioma_like and large:
        b.steps("pediatric-hemangioma-large", t)


def _pediatric_plan(b: _Builder, tv: TrackView) -> None:
    """Fetus and children by age group and disease (JPGN 2022; fetal series)."""
    t = tv.track
    f = tv.finding
    p = b.profile
    group = p.age_group
    if p.prenatal:
        _prenatal_plan(b, tv)
        return
    cystic = tv.category is Category.calcified_cystic_lesion or f.kind is FindingKind.cyst
    if cystic and _hydatid_suspected(b, f):
        b.rec(
            Action.laboratory_tests,
            "pediatric-hydatid",
            "Suspected hydatid cyst in a child: echinococcus serology.",
            track=t,
        )
        active = (
            "Daughter cysts mean an active cyst (CE2/CE3b), not an inactive one. "
            if f.features.daughter_cysts
            else ""
        )
        b.rec(
            Action.specialist_referral,
            "pediatric-hydatid",
            active + "Refer to a paediatric infectious-disease or hepatobiliary surgical team "
            "for WHO-IWGE staging by ultrasound and treatment planning.",
            track=t,
        )
        b.warn(
            "hydatid_no_biopsy",
            "pediatric-hydatid",
            "Suspected hydatid cyst: no puncture, aspiration or biopsy outside a specialist "
            "protocol (risk of spillage and anaphylaxis).",
        )
        return
    jaundiced = Symptom.jaundice in b.patient.symptoms
    multiple = f.count == "multiple" or (isinstance(f.count, int) and f.count > 1)
    young = group in ("neonate", "infant")
    foci = tv.category in (Category.isolated_calcification, Category.indeterminate)
    if not foci:
        _child_mass_plan(b, tv)  # a mass decides; jaundice raises its urgency
        return
    if young and (jaundiced or multiple):
        b.rec(
            Action.laboratory_tests,
            "neonatal-congenital-infection",
            "Congenital-infection work-up: CMV PCR of urine or saliva (within the first 3 weeks "
            "of life to prove congenital infection), TORCH serology"
            + (", conjugated bilirubin and liver tests" if jaundiced else "")
            + ".",
            track=t,
        )
        b.rec(
            Action.specialist_referral,
            "neonatal-congenital-infection",
            "Paediatric hepatology or infectious-disease review"
            + (
                " now: a jaundiced baby is never followed with ultrasound alone."
                if jaundiced
                else "."
            ),
            track=t,
        )
    if young:
        b.steps("neonatal-vascular-catheter", t)
    reading = afp_for_age(b.patient, b.kb, p.prenatal)
    afp_raised = reading.raised if reading is not None else p.afp_raised  # age-adjusted
    symptomatic = p.symptomatic or afp_raised or p.liver_tests_abnormal
    if symptomatic and not (young and jaundiced):
        why = ", ".join(s.value.replace("_", " ") for s in b.patient.symptoms) or (
            "abnormal laboratory results"
        )
        b.rec(
            Action.characterize_contrast_imaging,
            "pediatric-symptomatic",
            f"Liver calcification ({_size(f)}) in a child with {why}: contrast-enhanced MRI, "
            "not serial ultrasound only.",
            track=t,
            modality="MRI",
            contrast=Contrast.iv,
        )
        b.rec(
            Action.laboratory_tests,
            "pediatric-symptomatic",
            "Liver tests, inflammatory markers and AFP read against age-specific values.",
            track=t,
        )
        b.rec(
            Action.specialist_referral,
            "pediatric-symptomatic",
            "Paediatric hepatology (or oncology if a mass is found) review.",
            track=t,
        )
        return
    if young and (jaundiced or multiple):
        return  # the work-up above decides; ultrasound follows the specialist's plan
    b.rec(
        Action.follow_up_imaging,
        "pediatric-isolated",
        f"Isolated calcification ({_size(f)}) in a child: serial ultrasound to document "
        "stability or regression.",
        track=t,
        modality="US",
        contrast=Contrast.none,
        interval=(3, 6),
    )


def _surveillance_after_contrast(b: _Builder, tv: TrackView) -> None:
    """Indeterminate after contrast imaging in a high-risk patient: 3-6 monthly for 2 years."""
    if not b.profile.high or tv.lirads is not None:
        return
    if tv.category not in (
        Category.calcified_solid_lesion,
        Category.indeterminate,
        Category.noncalcified_lesion,
    ):
        return
    if (
        tv.finding.features.benign_imaging_features
        or tv.finding.associated is Associated.hemangioma
    ):
        return
    if _had_contrast_cross_sectional(tv.history) == 0:
        return
    if any(
        r.track == tv.track
        and r.action in (Action.characterize_contrast_imaging, Action.follow_up_imaging)
        for r in b.plan.recommendations
    ):
        return  # the next study is already set; surveillance follows if it stays indeterminate
    if tv.exam.contrast not in (Contrast.iv, Contrast.hepatobiliary):
        return
    b.rec(
        Action.surveillance_imaging,
        "indeterminate-surveillance",
        "Indeterminate after contrast-enhanced imaging in a high-risk patient: surveillance "
        "imaging every 3-6 months for up to 2 years.",
        track=tv.track,
        modality="MRI or CT",
        contrast=Contrast.iv,
        interval=(3, 6),
        duration=24,
    )
    b.warn(
        "followup_max_6_months",
        "pitfall-followup-max-6",
        "Do not delay follow-up of an indeterminate calcified lesion beyond 6 months in an "
        "at-risk patient.",
    )


# ---------------------------------------------------------------------------


def _calcified_cautions(b: _Builder, tv: TrackView) -> None:
    """Seed 001/003 pitfalls that apply whatever branch decides the track."""
    if not tv.finding.is_calcified or tv.resolved:
        return
    if b.profile.liver_risk:
        b.warn(
            "calcified_lesion_in_cirrhosis",
            "pitfall-cirrhosis",
            "High-risk liver: a calcified finding is not assumed to be a granuloma without "
            "characterisation; calcified HCC gets the same work-up as any HCC.",
        )


def _contrast_ct_cautions(b: _Builder, tracks: Sequence[TrackView]) -> None:
    """Non-contrast images first whenever contrast CT may characterise a calcified finding."""
    calcified = {tv.track for tv in tracks if tv.finding.is_calcified and not tv.resolved}
    for r in b.plan.recommendations:
        names = set((r.track or "").split(", "))
        if (
            r.action
            in (
                Action.characterize_contrast_imaging,
                Action.follow_up_imaging,
                Action.surveillance_imaging,
            )
            and r.modality is not None
            and "CT" in r.modality
            and names & calcified
        ):
            b.warn(
                "noncontrast_images_first",
                "noncontrast-first",
                "If CT is used, acquire non-contrast images before the contrast phases: "
                "calcification and enhancement cannot be told apart otherwise.",
            )
            return


def _mri_only_void(tv: TrackView) -> bool:
    """Calcification or a signal void seen on MRI only: CT must settle it first."""
    if tv.exam.modality is not Modality.MRI or confirmed_off_mri(tv.history):
        return False
    if tv.category is Category.indeterminate:
        return True
    return tv.finding.features.signal_void is True and tv.lirads is None


def _stable_two_years(b: _Builder, tv: TrackView) -> bool:
    """Unchanged on CT/MRI over at least the rule's span (2 years)."""
    g = tv.growth
    if g is None or g.status not in (
        GrowthStatus.stable,
        GrowthStatus.within_variability,
        GrowthStatus.decreased,
    ):
        return False
    dated = [
        (e.date, f.size_mm)
        for e, f in tv.history
        if e.modality in (Modality.CT, Modality.MRI) and e.date is not None
    ]
    if len(dated) < 2:
        return False
    days = b.kb.rule("stable-two-years").threshold_days or 730
    return (dated[-1][0] - dated[0][0]).days >= days


def _stopping_plan(b: _Builder, tv: TrackView) -> bool:
    """Work-up already over: treatment response on chemotherapy, or 2-year stability."""
    f = tv.finding
    t = tv.track
    rf = b.patient.risk_factors
    if (
        b.profile.known_cancer
        and rf.on_chemotherapy is True
        and f.is_calcified
        and tv.category is not Category.calcified_cystic_lesion
    ):
        b.steps("treatment-response-oncology", t, size=_size(f))
        return True
    if _stable_two_years(b, tv):
        span = [e.date for e, _ in tv.history if e.modality in (Modality.CT, Modality.MRI)]
        years = (span[-1] - span[0]).days / 365.25  # type: ignore[operator]
        b.rec(
            Action.no_further_workup,
            "stable-two-years",
            f"Unchanged on CT/MRI over {years:.1f} years ({_size(f)}): the work-up of this "
            "finding is complete"
            + (" (also with the known cancer)." if b.profile.known_cancer else ".")
            + " No further imaging for it.",
            track=t,
        )
        return True
    return False


def _characterised(tv: TrackView) -> bool:
    """Already characterised: contrast MRI, or CT whose dynamic features were described."""
    ft = tv.finding.features
    dynamic_described = any(
        x is not None for x in (ft.aphe, ft.washout, ft.capsule, ft.peripheral_nodular_enhancement)
    )
    for exam, _ in tv.history:
        if exam.contrast not in (Contrast.iv, Contrast.hepatobiliary):
            continue
        if exam.modality is Modality.MRI:
            return True
        if exam.modality is Modality.CT and dynamic_described:
            return True
    return False


def _no_second_characterisation(b: _Builder, tv: TrackView, first: int) -> None:
    """Replace a new characterisation study of a characterised finding by MDT and referral."""
    if not _characterised(tv):
        return
    recs = b.plan.recommendations
    mine = [
        i
        for i in range(first, len(recs))
        if recs[i].track == tv.track and recs[i].action is Action.characterize_contrast_imaging
    ]
    if not mine:
        return
    for i in reversed(mine):
        del recs[i]
    f = tv.finding
    b.steps("already-characterised", tv.track, size=_size(f))


def plan_track(b: _Builder, tv: TrackView) -> None:
    """One decision per finding, in the order written in the module docstring."""
    if tv.resolved:
        return
    _calcified_cautions(b, tv)
    if _mri_only_void(tv):
        _indeterminate_plan(b, tv)
        return
    if _growth_plan(b, tv):
        return
    if _lirads_plan(b, tv):
        return
    if _stopping_plan(b, tv):
        return
    first = len(b.plan.recommendations)
    if b.profile.pediatric:
        _pediatric_plan(b, tv)
        _no_second_characterisation(b, tv, first)
        return
    cat = tv.category
    if cat is Category.isolated_calcification:
        _isolated_plan(b, tv)
    elif cat is Category.calcified_solid_lesion:
        _solid_plan(b, tv)
        _surveillance_after_contrast(b, tv)
    elif cat is Category.calcified_cystic_lesion:
        _cystic_plan(b, tv)
    elif cat is Category.noncalcified_lesion:
        if tv.finding.kind is FindingKind.cyst and not tv.finding.features.septations:
            b.rec(
                Action.no_further_workup,
                "acr-if-benign",
                "Simple-appearing cyst without calcification: benign, no follow-up.",
                track=tv.track,
                assumptions=b.low_risk_assumptions(),
            )
        else:
            _acr_if_plan(b, tv)
            _surveillance_after_contrast(b, tv)
    else:
        _indeterminate_plan(b, tv)
    _no_second_characterisation(b, tv, first)


def _escalable(r: Recommendation) -> bool:
    """Urgency applies to steps to take now, not to scheduled surveillance or 'nothing'."""
    if r.action in (
        Action.no_further_workup,
        Action.hcc_surveillance,
        Action.surveillance_imaging,
    ):
        return False
    return not (r.interval_months and r.interval_months[0] >= 3)


def _apply_urgency(b: _Builder, tracks: Sequence[TrackView]) -> None:
    """The safety stage's urgency rules, over the steps the pathway chose."""
    p = b.patient
    active = [tv for tv in tracks if not tv.resolved]
    case_rules: list[str] = []
    track_rules: dict[str, list[str]] = {}
    if safety.cholangitis_suspected(p, [tv.finding for tv in active]):
        b.rec(
            Action.specialist_referral,
            "urgency-cholangitis",
            "Biliary dilatation with "
            + " and ".join(s.value for s in p.symptoms if s in (Symptom.fever, Symptom.jaundice))
            + ": suspected acute cholangitis. Same-day clinical assessment (blood cultures, "
            "liver tests, Tokyo criteria) and biliary drainage planned by gastroenterology or "
            "surgery; the imaging below does not wait for a routine slot.",
        )
        case_rules.append("urgency-cholangitis")
    for tv in active:
        cystic = tv.category is Category.calcified_cystic_lesion
        if safety.febrile_cystic(p, tv.finding, cystic):
            b.steps("urgency-febrile-lesion", tv.track)
            track_rules.setdefault(tv.track, []).append("urgency-febrile-lesion")
        ft = tv.finding.features
        if ft.tumor_in_vein or ft.vascular_invasion:
            track_rules.setdefault(tv.track, []).append("urgency-tumour-in-vein")
    group = b.profile.age_group
    if (
        group in ("neonate", "infant")
        and Symptom.jaundice in p.symptoms
        and any(tv.finding.is_calcified for tv in active)
    ):
        case_rules.append("urgency-neonatal-jaundice")
    if b.profile.pediatric and not b.profile.prenatal and b.profile.symptomatic:
        case_rules.append("urgency-symptomatic-child")
    if not case_rules and not track_rules:
        return
    recs = b.plan.recommendations
    for i, r in enumerate(recs):
        if not _escalable(r):
            continue
        rules = list(case_rules)
        for name in (r.track or "").split(", "):
            rules.extend(track_rules.get(name, ()))
        for rule in rules:
            r = safety.escalate(r, b.kb, rule, allowed=set(b.cite(b.kb.rule(rule).citations)))
        recs[i] = r


def plan(
    kb: KnowledgeBase,
    profile: RiskProfile,
    patient: Patient,
    tracks: Sequence[TrackView],
    lirads_applies: bool,
    contradictions: Sequence[Warning] = (),
) -> Plan:
    b = _Builder(kb, profile, patient)
    b.plan.warnings.extend(contradictions)
    for tv in tracks:
        plan_track(b, tv)
    _apply_urgency(b, tracks)

    active = [tv for tv in tracks if not tv.resolved]
    _contrast_ct_cautions(b, active)
    actions = {r.action for r in b.plan.recommendations}
    # Case-level additions ------------------------------------------------------
    if profile.afp_raised and not profile.pediatric and not profile.liver_risk:
        b.rec(
            Action.laboratory_tests,
            "hepatology-referral-afp",
            "Repeat AFP and liver tests; " + " ".join(profile.lab_notes),
        )
        b.rec(
            Action.specialist_referral,
            "hepatology-referral-afp",
            "Gastroenterology or hepatology review of the raised AFP, with cross-sectional "
            "imaging follow-up.",
        )
    surveillance_population = patient.risk_factors.cirrhosis or patient.risk_factors.chronic_hbv
    if (
        lirads_applies
        and surveillance_population
        and Action.hcc_surveillance not in actions
        and Action.multidisciplinary_discussion not in actions
    ):
        b.rec(
            Action.hcc_surveillance,
            "hcc-surveillance",
            "Continue HCC surveillance: ultrasound with or without AFP every 6 months.",
            modality="US",
            contrast=Contrast.none,
            interval=(6, 6),
        )
    if any(r.action is Action.biopsy_consideration for r in b.plan.recommendations):
        b.warn(
            "biopsy_seeding",
            "biopsy-indications",
            "Biopsy only for growth, new arterial hyperenhancement or persistent "
            "uncertainty; never routinely under 1 cm. Needle-tract seeding after HCC biopsy "
            "is 2.7% overall and 0.9% per year (two measures, not a range).",
        )
        no_ct = not any(e.modality is Modality.CT for tv in active for e, _ in tv.history)
        if no_ct and any(tv.finding.is_calcified for tv in active):
            b.rec(
                Action.noncontrast_ct,
                "ct-before-biopsy",
                "Characterise the calcified lesion with CT before any biopsy.",
                modality="CT",
                contrast=Contrast.none,
            )
    if any(
        tv.growth is not None and len({pt.modality for pt in tv.growth.points}) > 1 for tv in active
    ):
        b.warn(
            "modality_changed",
            "variability-heuristic",
            "Sizes come from different modalities; the change is judged against the wider "
            "variability band or not compared.",
        )
    if any(
        tv.growth is not None and tv.growth.exceeds_measurement_variability is not None
        for tv in active
    ):
        b.warn(
            "measurement_variability_heuristic",
            "variability-heuristic",
            "Growth versus measurement error is judged against published limits of "
            "agreement; for ultrasound of calcified foci these are analogue data and a "
            "derived heuristic.",
        )
    if any(
        tv.category is Category.indeterminate and tv.exam.modality is Modality.MRI for tv in active
    ):
        b.warn(
            "mri_limited_for_calcification",
            "mri-calcification-ct",
            "MRI is unreliable for calcification; CT is the reference standard.",
        )
    if profile.risk.unknown and any(
        r.action is Action.no_further_workup and r.assumptions for r in b.plan.recommendations
    ):
        b.warn(
            "risk_unknown",
            "risk-unknown",
            "Some risk factors were not stated and were assumed absent; the "
            "recommendation lists what it assumed.",
        )
    return b.plan
