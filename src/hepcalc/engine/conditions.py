"""Conditions: the small vocabulary in which the knowledge base speaks about a case.

Etiology modifiers in ``etiologies.yaml`` say things like ``pattern:rim`` or
``risk:endemic_exposure``; this module evaluates them against one finding in
its clinical context. Keeping the vocabulary here (and only here) lets the
clinical content live as data while staying checkable: an unknown condition id
is a knowledge-base defect caught by the tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from hepcalc.engine.risk import LIVER_RISK_FACTORS, RiskProfile
from hepcalc.model import Finding, GrowthStatus, Patient

MUCINOUS_SITES = ("colon", "rect", "colorectal", "stomach", "gastric", "ovar", "pancrea", "append")


@dataclass(frozen=True)
class Context:
    """Everything a condition may look at, for one finding."""

    finding: Finding
    patient: Patient
    profile: RiskProfile
    growth: GrowthStatus | None
    n_tracks: int


class UnknownCondition(ValueError):
    pass


def _num(arg: str, cond: str) -> float:
    try:
        return float(arg)
    except ValueError:
        raise UnknownCondition(cond) from None


def holds(cond: str, ctx: Context) -> bool:
    """Evaluate one condition id; raise UnknownCondition for words outside the vocabulary."""
    f = ctx.finding
    p = ctx.patient
    rf = p.risk_factors
    name, _, arg = cond.partition(":")
    if name == "pattern":
        return f.pattern is not None and f.pattern.value == arg
    if name == "kind":
        return f.kind.value == arg
    if name == "associated":
        return f.associated is not None and f.associated.value == arg
    if name == "feature":
        if arg not in type(f.features).model_fields:
            raise UnknownCondition(cond)
        return getattr(f.features, arg) is True
    if name == "risk":
        if arg not in type(rf).model_fields:
            raise UnknownCondition(cond)
        return getattr(rf, arg) is True
    if name == "risk_absent":
        if arg not in type(rf).model_fields:
            raise UnknownCondition(cond)
        return getattr(rf, arg) is False
    if name == "high_risk_liver":
        return any(getattr(rf, x) is True for x in LIVER_RISK_FACTORS)
    if name == "mucinous_primary":
        site = (rf.primary_cancer_site or "").lower()
        return rf.extrahepatic_malignancy is True and any(s in site for s in MUCINOUS_SITES)
    if name == "on_chemotherapy":
        return rf.on_chemotherapy is True
    if name == "age_lt":
        return p.age is not None and p.age < _num(arg, cond)
    if name == "age_ge":
        return p.age is not None and p.age >= _num(arg, cond)
    if name == "prenatal":
        return ctx.profile.prenatal
    if name == "pediatric":
        return ctx.profile.pediatric
    if name == "adult":
        return not ctx.profile.pediatric
    if name == "sex":
        return p.sex.value == arg
    if name == "multiple":
        return (
            f.count == "multiple" or (isinstance(f.count, int) and f.count > 1) or ctx.n_tracks > 1
        )
    if name == "single":
        return f.count == 1 and ctx.n_tracks == 1
    if name == "size_ge":
        return f.size_mm is not None and f.size_mm >= _num(arg, cond)
    if name == "size_lt":
        return f.size_mm is not None and f.size_mm < _num(arg, cond)
    if name == "afp_raised":
        return ctx.profile.afp_raised
    if name == "liver_tests_abnormal":
        return ctx.profile.liver_tests_abnormal
    if name == "symptomatic":
        return ctx.profile.symptomatic
    if name == "fever":
        return any(s.value == "fever" for s in p.symptoms)
    if name == "growth":
        return ctx.growth is GrowthStatus.significant_growth
    if name == "calcified":
        return f.is_calcified
    if name == "noncalcified":
        return not f.is_calcified
    raise UnknownCondition(cond)
