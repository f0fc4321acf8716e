"""Conditions: the small vocabulary in which the knowledge base speaks about a case.

Etiology evidence in ``etiologies.yaml`` says things like ``pattern:rim`` or
``risk:endemic_exposure``; this module evaluates them against one finding in
its clinical context. The vocabulary is a registry of predicates
(``REGISTRY``), filled by the ``@condition`` decorator: one entry per condition
name with the arguments it accepts. The knowledge base is checked against this
registry when it loads (``check``), so an unknown word or a typo in the data is
a load-time error naming the etiology and field, never a silent "false". Tests
import the registry, not a copy of it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from hepcalc.engine.risk import LIVER_RISK_FACTORS, RiskProfile
from hepcalc.engine.text_clues import DESCRIBED_CLUES, HISTORY_CLUES, stated
from hepcalc.model import (
    Associated,
    Features,
    Finding,
    FindingKind,
    GrowthStatus,
    Lobe,
    Modality,
    Patient,
    Pattern,
    RiskFactors,
    Sex,
    Symptom,
)

MUCINOUS_SITES = ("colon", "rect", "colorectal", "stomach", "gastric", "ovar", "pancrea", "append")

# Age groups of the evidence model (issue 11): the neonatal period is the first 28 days.
AGE_GROUPS = ("fetus", "neonate", "infant", "child", "adult")
NEONATE_MAX_YEARS = 28 / 365.25


def age_group(patient: Patient, prenatal: bool) -> str:
    """fetus / neonate (< 28 d) / infant (< 1 y) / child (1-17 y) / adult (or age unknown)."""
    if prenatal:
        return "fetus"
    age = patient.age
    if age is None or age >= 18:
        return "adult"  # the engine assumes an adult when age is not given (risk.py)
    if age < NEONATE_MAX_YEARS:
        return "neonate"
    if age < 1:
        return "infant"
    return "child"


@dataclass(frozen=True)
class AfpReading:
    """An AFP value judged against the upper limit for the patient's age."""

    raised: bool
    value: float
    limit: float
    reference: str  # which table row / source was used, for the output


@dataclass(frozen=True)
class Context:
    """Everything a condition may look at, for one finding."""

    finding: Finding
    patient: Patient
    profile: RiskProfile
    growth: GrowthStatus | None
    n_tracks: int
    # Additive (issue 11); defaults keep older callers working.
    modality: Modality | None = None
    background_liver: str | None = None
    earlier_kinds: tuple[FindingKind, ...] = ()
    afp: AfpReading | None = None
    group: str = field(default="")
    history_text: str = ""  # the exams' report text (history clues, HISTORY_CLUES)

    @property
    def age_group(self) -> str:
        return self.group or age_group(self.patient, self.profile.prenatal)


class UnknownCondition(ValueError):
    pass


Predicate = Callable[[Context, str], bool]


@dataclass(frozen=True)
class ConditionSpec:
    """One registered condition: its predicate and the arguments it accepts.

    ``args`` is None for a condition without argument, a frozenset of allowed
    words for an enumerated argument, or the string "number".
    """

    name: str
    predicate: Predicate
    args: frozenset[str] | str | None
    doc: str


REGISTRY: dict[str, ConditionSpec] = {}


def condition(
    name: str, args: frozenset[str] | str | None = None
) -> Callable[[Predicate], Predicate]:
    """Register a predicate under ``name`` (see ConditionSpec for ``args``)."""

    def register(fn: Predicate) -> Predicate:
        if name in REGISTRY:
            raise RuntimeError(f"condition {name!r} registered twice")
        REGISTRY[name] = ConditionSpec(name, fn, args, (fn.__doc__ or "").strip())
        return fn

    return register


def check(cond: str) -> None:
    """Raise UnknownCondition (with the reason) when ``cond`` is not in the vocabulary.

    ``a+b`` is a conjunction (both must hold): an interaction term such as
    ``multiple+risk:immunocompromised``, when a pattern means more in a context.
    """
    if "+" in cond:
        for part in cond.split("+"):
            check(part)
        return
    name, sep, arg = cond.partition(":")
    spec = REGISTRY.get(name)
    if spec is None:
        raise UnknownCondition(f"unknown condition {cond!r}")
    if spec.args is None:
        if sep:
            raise UnknownCondition(f"condition {name!r} takes no argument (got {cond!r})")
        return
    if not sep:
        raise UnknownCondition(f"condition {name!r} needs an argument (got {cond!r})")
    if spec.args == "number":
        try:
            float(arg)
        except ValueError:
            raise UnknownCondition(f"condition {cond!r}: {arg!r} is not a number") from None
        return
    assert isinstance(spec.args, frozenset)
    if arg not in spec.args:
        raise UnknownCondition(
            f"condition {cond!r}: {arg!r} is not one of {', '.join(sorted(spec.args))}"
        )


def holds(cond: str, ctx: Context) -> bool:
    """Evaluate one condition id; raise UnknownCondition for words outside the vocabulary."""
    if "+" in cond:
        return all(holds(part, ctx) for part in cond.split("+"))
    name, _, arg = cond.partition(":")
    spec = REGISTRY.get(name)
    if spec is None:
        raise UnknownCondition(f"unknown condition {cond!r}")
    return spec.predicate(ctx, arg)


def compile_condition(cond: str) -> Callable[[Context], bool]:
    """A fast evaluator for one condition (resolved once per knowledge base, not per finding)."""
    if "+" in cond:
        parts = tuple(compile_condition(p) for p in cond.split("+"))
        return lambda ctx: all(p(ctx) for p in parts)
    name, _, arg = cond.partition(":")
    spec = REGISTRY.get(name)
    if spec is None:
        raise UnknownCondition(f"unknown condition {cond!r}")
    fn = spec.predicate
    return lambda ctx: fn(ctx, arg)


def _bool_fields(model: type[BaseModel]) -> frozenset[str]:
    return frozenset(n for n, f in model.model_fields.items() if f.annotation == (bool | None))


_PATTERNS = frozenset(p.value for p in Pattern if p is not Pattern.unknown)
_KINDS = frozenset(k.value for k in FindingKind)
_ASSOCIATED = frozenset(a.value for a in Associated if a not in (Associated.none,))
_FEATURES = _bool_fields(Features)
_RISKS = _bool_fields(RiskFactors)
_SEXES = frozenset({Sex.female.value, Sex.male.value})
_SYMPTOMS = frozenset(s.value for s in Symptom)
_MODALITIES = frozenset(m.value for m in Modality)
_GROUPS = frozenset(AGE_GROUPS)


# ------------------------------------------------------------------ the finding
@condition("pattern", _PATTERNS)
def _pattern(ctx: Context, arg: str) -> bool:
    """The calcification pattern is ``arg``."""
    return ctx.finding.pattern is not None and ctx.finding.pattern.value == arg


@condition("kind", _KINDS)
def _kind(ctx: Context, arg: str) -> bool:
    """The finding is a calcification / lesion / cyst."""
    return ctx.finding.kind.value == arg


@condition("associated", _ASSOCIATED)
def _associated(ctx: Context, arg: str) -> bool:
    """The calcification belongs to an associated lesion of this type."""
    return ctx.finding.associated is not None and ctx.finding.associated.value == arg


@condition("cystic")
def _cystic(ctx: Context, arg: str) -> bool:
    """A cyst, a rim (wall) calcification, or a calcification in a cyst."""
    f = ctx.finding
    return (
        f.kind is FindingKind.cyst
        or f.pattern is Pattern.rim
        or f.associated in (Associated.simple_cyst, Associated.complex_cyst)
    )


@condition("feature", _FEATURES)
def _feature(ctx: Context, arg: str) -> bool:
    """An imaging feature stated present."""
    return getattr(ctx.finding.features, arg) is True


@condition("feature_absent", _FEATURES)
def _feature_absent(ctx: Context, arg: str) -> bool:
    """An imaging feature stated absent."""
    return getattr(ctx.finding.features, arg) is False


@condition("calcified")
def _calcified(ctx: Context, arg: str) -> bool:
    """The finding is calcified (stated, a calcification, or a pattern given)."""
    return ctx.finding.is_calcified


@condition("noncalcified")
def _noncalcified(ctx: Context, arg: str) -> bool:
    """The finding is not calcified."""
    return not ctx.finding.is_calcified


@condition("multiple")
def _multiple(ctx: Context, arg: str) -> bool:
    """More than one focus (count, or several tracks)."""
    f = ctx.finding
    return f.count == "multiple" or (isinstance(f.count, int) and f.count > 1) or ctx.n_tracks > 1


@condition("single")
def _single(ctx: Context, arg: str) -> bool:
    """One focus only."""
    return ctx.finding.count == 1 and ctx.n_tracks == 1


@condition("size_ge", "number")
def _size_ge(ctx: Context, arg: str) -> bool:
    """Size at least ``arg`` mm."""
    return ctx.finding.size_mm is not None and ctx.finding.size_mm >= float(arg)


@condition("size_lt", "number")
def _size_lt(ctx: Context, arg: str) -> bool:
    """Size below ``arg`` mm."""
    return ctx.finding.size_mm is not None and ctx.finding.size_mm < float(arg)


@condition("modality", _MODALITIES)
def _modality(ctx: Context, arg: str) -> bool:
    """The latest exam of this finding is of this modality."""
    return ctx.modality is not None and ctx.modality.value == arg


@condition("growth")
def _growth(ctx: Context, arg: str) -> bool:
    """Growth beyond measurement variability on comparable exams."""
    return ctx.growth is GrowthStatus.significant_growth


@condition("stable")
def _stable(ctx: Context, arg: str) -> bool:
    """Unchanged (stable or within measurement variability) on serial exams."""
    return ctx.growth in (GrowthStatus.stable, GrowthStatus.within_variability)


@condition("gained_soft_tissue")
def _gained_soft_tissue(ctx: Context, arg: str) -> bool:
    """Earlier a bare calcification, now a lesion or a solid component."""
    if FindingKind.calcification not in ctx.earlier_kinds:
        return False
    f = ctx.finding
    return f.kind is FindingKind.lesion or f.features.solid_component is True


# ------------------------------------------------------------------ the patient
@condition("risk", _RISKS)
def _risk(ctx: Context, arg: str) -> bool:
    """A risk factor stated present."""
    return getattr(ctx.patient.risk_factors, arg) is True


@condition("risk_absent", _RISKS)
def _risk_absent(ctx: Context, arg: str) -> bool:
    """A risk factor stated absent (unknown is not absent)."""
    return getattr(ctx.patient.risk_factors, arg) is False


@condition("high_risk_liver")
def _high_risk_liver(ctx: Context, arg: str) -> bool:
    """Cirrhosis, chronic HBV/HCV, other chronic liver disease or prior HCC stated."""
    rf = ctx.patient.risk_factors
    return any(getattr(rf, x) is True for x in LIVER_RISK_FACTORS)


@condition("cirrhotic_liver")
def _cirrhotic_liver(ctx: Context, arg: str) -> bool:
    """A liver at risk of HCC: high_risk_liver, or a cirrhotic background on the exam."""
    return _high_risk_liver(ctx, "") or ctx.background_liver == "cirrhosis"


@condition("mucinous_primary")
def _mucinous_primary(ctx: Context, arg: str) -> bool:
    """A known primary at a site that makes mucinous (calcifying) metastases."""
    rf = ctx.patient.risk_factors
    site = (rf.primary_cancer_site or "").lower()
    return rf.extrahepatic_malignancy is True and any(s in site for s in MUCINOUS_SITES)


@condition("on_chemotherapy")
def _on_chemotherapy(ctx: Context, arg: str) -> bool:
    """On (or after) chemotherapy."""
    return ctx.patient.risk_factors.on_chemotherapy is True


@condition("age_group", _GROUPS)
def _age_group(ctx: Context, arg: str) -> bool:
    """fetus / neonate / infant / child / adult."""
    return ctx.age_group == arg


@condition("age_lt", "number")
def _age_lt(ctx: Context, arg: str) -> bool:
    """Age (years) below ``arg`` (unknown age: false)."""
    return ctx.patient.age is not None and ctx.patient.age < float(arg)


@condition("age_ge", "number")
def _age_ge(ctx: Context, arg: str) -> bool:
    """Age (years) at least ``arg`` (unknown age: false)."""
    return ctx.patient.age is not None and ctx.patient.age >= float(arg)


@condition("prenatal")
def _prenatal(ctx: Context, arg: str) -> bool:
    """A fetus (prenatal ultrasound or gestational age given)."""
    return ctx.profile.prenatal


@condition("pediatric")
def _pediatric(ctx: Context, arg: str) -> bool:
    """Under 18 years, or a fetus."""
    return ctx.profile.pediatric


@condition("adult")
def _adult(ctx: Context, arg: str) -> bool:
    """18 or older (or age unknown: adult assumed)."""
    return not ctx.profile.pediatric


@condition("sex", _SEXES)
def _sex(ctx: Context, arg: str) -> bool:
    """Sex stated."""
    return ctx.patient.sex.value == arg


@condition("symptom", _SYMPTOMS)
def _symptom(ctx: Context, arg: str) -> bool:
    """A symptom stated."""
    return any(s.value == arg for s in ctx.patient.symptoms)


@condition("fever")
def _fever(ctx: Context, arg: str) -> bool:
    """Fever (kept for older data; same as symptom:fever)."""
    return _symptom(ctx, "fever")


@condition("symptomatic")
def _symptomatic(ctx: Context, arg: str) -> bool:
    """Any symptom stated."""
    return ctx.profile.symptomatic


@condition("charcot_triad")
def _charcot(ctx: Context, arg: str) -> bool:
    """Fever, jaundice and abdominal pain together (Charcot triad, TG13)."""
    return all(_symptom(ctx, s) for s in ("fever", "jaundice", "abdominal_pain"))


@condition("fever_and_jaundice")
def _fever_and_jaundice(ctx: Context, arg: str) -> bool:
    """Fever and jaundice, without the full Charcot triad."""
    return _symptom(ctx, "fever") and _symptom(ctx, "jaundice") and not _charcot(ctx, "")


@condition("afp_raised")
def _afp_raised(ctx: Context, arg: str) -> bool:
    """AFP above the upper limit for the patient's age (engine.afp)."""
    return ctx.afp is not None and ctx.afp.raised


@condition("afp_normal")
def _afp_normal(ctx: Context, arg: str) -> bool:
    """AFP measured and not above the upper limit for age."""
    return ctx.afp is not None and not ctx.afp.raised


@condition("liver_tests_abnormal")
def _liver_tests_abnormal(ctx: Context, arg: str) -> bool:
    """ALT, AST or bilirubin above the upper limit."""
    return ctx.profile.liver_tests_abnormal


@condition("echinococcus_serology", frozenset({"positive", "negative"}))
def _echino_serology(ctx: Context, arg: str) -> bool:
    """Echinococcus serology result."""
    return ctx.patient.labs.echinococcus_serology == arg


# History clues and descriptions in free text (engine.text_clues): generic clinical
# vocabulary for what the Case has no field for; a negated clue does not count.
@condition("history", frozenset(HISTORY_CLUES))
def _history(ctx: Context, arg: str) -> bool:
    """A history clue stated (not negated) in the report text of the exams."""
    return stated(HISTORY_CLUES[arg], ctx.history_text)


@condition("described", frozenset(DESCRIBED_CLUES))
def _described(ctx: Context, arg: str) -> bool:
    """A description (not negated) in the finding's label or the exams' report text."""
    pattern = DESCRIBED_CLUES[arg]
    return stated(pattern, ctx.finding.label or "") or stated(pattern, ctx.history_text)


@condition("lobe", frozenset(lobe.value for lobe in Lobe))
def _lobe(ctx: Context, arg: str) -> bool:
    """The finding is in this lobe (left, right, caudate)."""
    lobe = ctx.finding.location.lobe
    return lobe is not None and lobe.value == arg


@condition("ancillary_benignity")
def _ancillary_benignity(ctx: Context, arg: str) -> bool:
    """At least one LI-RADS ancillary feature favouring benignity is stated."""
    return bool(ctx.finding.features.ancillary_benignity)
