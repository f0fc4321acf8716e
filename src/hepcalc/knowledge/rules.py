"""Rules and reference scopes: the data half of the management pathway.

Why this module: a rule's consequent (actions, study, contrast, interval,
urgency, scope, citations) used to be written in four places (rules.yaml,
rationale text, tuples in engine/pathway.py, docs/pathway.md). It now lives
once, in ``rules.yaml``, and is validated here when the knowledge base loads:
an unknown action, interval, urgency, modality or scope word is a build
defect, refused with the rule named, never a surprise at run time.

A reference's *scope* says for whom a guideline may be cited (Gore 2017 is
for asymptomatic adults with an incidental finding: not a symptomatic patient,
not a child; a colorectal series is not evidence for a breast primary).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hepcalc.model import Action, Contrast

AgeGroup = Literal["fetus", "neonate", "infant", "child", "adolescent", "adult"]
AGE_GROUPS: tuple[str, ...] = ("fetus", "neonate", "infant", "child", "adolescent", "adult")
URGENCIES: tuple[str, ...] = ("routine", "soon", "urgent")
Urgency = Literal["routine", "soon", "urgent"]
MODALITIES: tuple[str, ...] = (
    "US",
    "Doppler US",
    "CT",
    "MRI",
    "MRI or CT",
    "CT or MRI",
    "echocardiography",
)
MAX_INTERVAL_MONTHS = 60.0


class _Data(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ReferenceScope(_Data):
    """For whom a reference may be cited; an empty list means 'any'."""

    population: list[AgeGroup] = Field(default_factory=list)
    asymptomatic_only: bool = False  # e.g. incidental-findings guidance
    cancer_sites: list[str] = Field(default_factory=list)  # e.g. [colorectal]
    setting: str = ""  # in words, shown in docs


class TableWhen(_Data):
    """One row's conditions in a decision table (ACR incidental findings); "any" matches all.

    Rows are read in file order and the first matching row decides.
    """

    table: Literal["acr-if"]
    invasion: Literal["yes", "any"] = "any"  # vascular invasion or biliary dilatation
    size: Literal["lt10", "10to15", "gt15", "any"] = "any"  # mm; unknown size reads as gt15
    features: Literal["benign", "uncharacterised", "suspicious", "flash", "any"] = "any"
    risk: Literal["low", "high", "any"] = "any"


class RuleStep(_Data):
    """One recommendation a table row emits: the action and its rationale template."""

    action: Action
    text: str  # {size} is filled by the pathway
    modality: str | None = None  # the study of an imaging step (else the rule's)
    contrast: Contrast | None = None

    @field_validator("modality")
    @classmethod
    def _known_modality(cls, v: str | None) -> str | None:
        if v is not None and v not in MODALITIES:
            raise ValueError(f"unknown modality {v!r} (known: {', '.join(MODALITIES)})")
        return v


class Rule(_Data):
    """One management rule: its statement, its consequent and its evidence."""

    id: str
    text: str
    citations: list[str] = Field(min_length=1)
    derived: bool = False  # a heuristic inferred from evidence, not a guideline statement
    note: str | None = None
    # The consequent (issue 12: rules as data)
    actions: list[Action] = Field(default_factory=list)
    modality: str | None = None
    contrast: Contrast | None = None
    interval_months: tuple[float, float] | None = None
    duration_months: float | None = None
    urgency: Urgency = "routine"
    urgency_reason: str = ""
    scope: ReferenceScope | None = None
    combines: bool = False  # may fire beside another decision for the same finding
    rationale: str | None = None  # template; {size}, {what} filled by the pathway
    threshold_mm: float | None = None  # a size limit the rule applies
    threshold_amorphous_mm: float | None = None
    threshold_days: int | None = None  # a duration the rule requires
    when: TableWhen | None = None  # a decision-table row (see TableWhen)
    steps: list[RuleStep] = Field(default_factory=list)

    @model_validator(mode="after")
    def _steps_declared(self) -> Rule:
        for step in self.steps:
            if step.action not in self.actions:
                raise ValueError(f"step action {step.action.value!r} is not in actions")
        if self.when is not None and not self.steps:
            raise ValueError("a decision-table row needs steps")
        return self

    @field_validator("modality")
    @classmethod
    def _known_modality(cls, v: str | None) -> str | None:
        if v is not None and v not in MODALITIES:
            raise ValueError(f"unknown modality {v!r} (known: {', '.join(MODALITIES)})")
        return v

    @field_validator("interval_months")
    @classmethod
    def _sane_interval(cls, v: tuple[float, float] | None) -> tuple[float, float] | None:
        if v is not None:
            lo, hi = v
            if not (0 <= lo <= hi <= MAX_INTERVAL_MONTHS):
                raise ValueError(
                    f"unknown interval {list(v)!r}: need 0 <= low <= high <= "
                    f"{MAX_INTERVAL_MONTHS:g} months"
                )
        return v


def rule_from_data(raw: Any) -> Rule:
    """Validate one rule from YAML; the error names the rule (ValueError)."""
    rid = raw.get("id", "?") if isinstance(raw, dict) else "?"
    try:
        return Rule(**raw)
    except (ValidationError, TypeError) as exc:
        detail = str(exc)
        if isinstance(exc, ValidationError):
            detail = "; ".join(
                f"{'.'.join(str(x) for x in e['loc'])}: {e['msg']}" for e in exc.errors()
            )
        raise ValueError(f"rule {rid!r}: {detail}") from None


@dataclass(frozen=True)
class ScopeContext:
    """The facts about the patient in hand that decide whether a reference applies."""

    age_group: str = "adult"
    symptomatic: bool = False
    cancer_site: str | None = None


def in_scope(scope: ReferenceScope | None, ctx: ScopeContext) -> bool:
    """True when a reference (or rule) with this scope may be cited for this patient."""
    if scope is None:
        return True
    if scope.population and ctx.age_group not in scope.population:
        return False
    if scope.asymptomatic_only and ctx.symptomatic:
        return False
    if scope.cancer_sites and ctx.cancer_site is not None:
        site = ctx.cancer_site.strip().lower()
        if not any(s in site or site in s for s in scope.cancer_sites):
            return False
    return True
