"""Etiologies as an evidence model, and the age-adjusted AFP table, validated at load.

``etiologies.yaml`` holds, per cause of a calcified liver focus: priors per age
group, context multipliers, likelihood ratios for observed features, hard
exclusions and must-exclude rules. Every number must carry its source (keys in
``references*.yaml``) or an ``expert_estimate`` with its reasoning; every
condition must be a word of the engine's condition registry. A defect fails the
load with the etiology and the field named, because a silently wrong number in
a differential is worse than no differential.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from hepcalc.datafiles import load_yaml

AGE_GROUPS = ("fetus", "neonate", "infant", "child", "adult")


class _KB(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _keys(v: Any) -> Any:
    """A source may be written as one key or a list of keys."""
    return [v] if isinstance(v, str) else v


class Sourced(_KB):
    """A number's basis: cited sources, or an expert estimate with its reasoning (one of)."""

    source: list[str] | None = None
    expert_estimate: str | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _source_keys(cls, v: Any) -> Any:
        return _keys(v)

    @model_validator(mode="after")
    def _one_basis(self) -> Sourced:
        if not self.source and not (self.expert_estimate and self.expert_estimate.strip()):
            raise ValueError("needs `source` (reference keys) or `expert_estimate` (reasoning)")
        return self


class Basis(Sourced):
    note: str | None = None


class EvidenceItem(Sourced):
    """A likelihood ratio applied when ``when`` holds (context multiplier or feature LR)."""

    when: str
    lr: float = Field(gt=0, le=1000)
    reason: str = Field(min_length=3)


class Exclusion(Sourced):
    """A hard exclusion beyond the null priors (e.g. Thorotrast under 65)."""

    when: str
    reason: str = Field(min_length=3)


class MustExcludeRule(_KB):
    """Listed in Assessment.must_exclude when every condition in ``when`` holds."""

    when: list[str] = Field(min_length=1)
    reason: str = Field(min_length=10)
    source: list[str] = Field(min_length=1)
    family: str | None = None  # one entry per family per finding (e.g. "malignancy")

    @field_validator("source", mode="before")
    @classmethod
    def _source_keys(cls, v: Any) -> Any:
        return _keys(v)


class Etiology(_KB):
    id: str
    name: str
    plain_name: str
    # The patient-register phrase after "It is most likely ..." (render); optional.
    plain_wording: str | None = None
    # Serious (malignant or possibly malignant): never named "most likely" to a patient.
    serious: bool
    group: Literal["infectious", "benign_tumor", "malignant", "cystic", "vascular", "other"]
    patterns: list[str]
    frequency: str  # how common as a cause of liver calcification, in words
    contexts: list[str] = Field(default_factory=list)
    prior: dict[str, float | None]
    prior_basis: Basis
    p_calcified: float = Field(gt=0, le=1)
    p_calcified_basis: Basis
    context: list[EvidenceItem] = Field(default_factory=list)
    evidence: list[EvidenceItem] = Field(default_factory=list)
    excludes: list[Exclusion] = Field(default_factory=list)
    must_exclude: list[MustExcludeRule] = Field(default_factory=list)
    citations: list[str] = Field(min_length=1)
    patient_text: str = ""

    @field_validator("prior")
    @classmethod
    def _priors(cls, v: dict[str, float | None]) -> dict[str, float | None]:
        missing = [g for g in AGE_GROUPS if g not in v]
        extra = [g for g in v if g not in AGE_GROUPS]
        if missing or extra:
            raise ValueError(
                f"needs exactly the age groups {', '.join(AGE_GROUPS)}"
                + (f" (missing {missing})" if missing else "")
                + (f" (unknown {extra})" if extra else "")
            )
        for g, p in v.items():
            if p is not None and not 0 < p < 1:
                raise ValueError(f"prior for {g} is {p}: must be in (0, 1) or null (excluded)")
        if all(p is None for p in v.values()):
            raise ValueError("excluded in every age group")
        return v

    def conditions(self) -> Iterable[tuple[str, str]]:
        """(field, condition) for every condition this etiology uses."""
        for i, e in enumerate(self.context):
            yield f"context[{i}].when", e.when
        for i, e in enumerate(self.evidence):
            yield f"evidence[{i}].when", e.when
        for i, x in enumerate(self.excludes):
            yield f"excludes[{i}].when", x.when
        for i, m in enumerate(self.must_exclude):
            for c in m.when:
                yield f"must_exclude[{i}].when", c

    def source_keys(self) -> Iterable[tuple[str, str]]:
        """(field, reference key) for every source this etiology cites."""
        for k in self.citations:
            yield "citations", k
        bases = (("prior_basis", self.prior_basis), ("p_calcified_basis", self.p_calcified_basis))
        for name, basis in bases:
            for k in basis.source or []:
                yield f"{name}.source", k
        for field_name, items in (
            ("context", self.context),
            ("evidence", self.evidence),
            ("excludes", self.excludes),
        ):
            for i, it in enumerate(items):
                for k in it.source or []:
                    yield f"{field_name}[{i}].source", k
        for i, m in enumerate(self.must_exclude):
            for k in m.source:
                yield f"must_exclude[{i}].source", k


class AfpLimit(_KB):
    """One row of the age-adjusted AFP upper-limit table (ng/mL).

    ``limit_ng_ml`` holds at ``from_days``; with ``half_life_days`` the limit
    falls exponentially across the row (X_t = X_0 * 2^(-t/HL), Ferraro2019).
    ``to_days`` None = open-ended. ``use_lab_limit``: the laboratory's own upper
    limit (when given) replaces the row (adult-type ranges from 4 years on).
    """

    from_days: float = Field(ge=0)
    to_days: float | None = None
    limit_ng_ml: float = Field(gt=0)
    half_life_days: float | None = Field(default=None, gt=0)
    use_lab_limit: bool = False
    basis: str
    source: list[str] = Field(min_length=1)

    @field_validator("source", mode="before")
    @classmethod
    def _source_keys(cls, v: Any) -> Any:
        return _keys(v)

    def limit_at(self, days: float) -> float:
        if self.half_life_days is None:
            return self.limit_ng_ml
        return self.limit_ng_ml * 2 ** (-(days - self.from_days) / self.half_life_days)


class EtiologyDataError(ValueError):
    """A defect in etiologies.yaml or afp_reference.yaml (names the etiology and field)."""


def _where(err: ValidationError) -> str:
    parts = []
    for e in err.errors():
        loc = ".".join(str(x) for x in e["loc"]) or "(entry)"
        parts.append(f"{loc}: {e['msg']}")
    return "; ".join(parts)


def parse_etiologies(
    text: str,
    references: set[str],
    check_condition: Callable[[str], None] | None,
) -> dict[str, Etiology]:
    """Validate etiologies.yaml; raise EtiologyDataError naming the etiology and field."""
    raw = load_yaml(text) or []
    out: dict[str, Etiology] = {}
    errors: list[str] = []
    for i, entry in enumerate(raw):
        eid = entry.get("id", f"#{i}") if isinstance(entry, dict) else f"#{i}"
        try:
            et = Etiology(**entry)
        except (ValidationError, TypeError) as exc:
            detail = _where(exc) if isinstance(exc, ValidationError) else str(exc)
            errors.append(f"etiology {eid}: {detail}")
            continue
        if et.id in out:
            errors.append(f"etiology {et.id}: duplicate id")
        for where, key in et.source_keys():
            if key not in references:
                errors.append(f"etiology {et.id}: {where} cites unknown reference {key!r}")
        if check_condition is not None:
            for where, cond in et.conditions():
                try:
                    check_condition(cond)
                except ValueError as exc:
                    errors.append(f"etiology {et.id}: {where}: {exc}")
        out[et.id] = et
    if errors:
        raise EtiologyDataError("; ".join(errors))
    return out


def parse_afp_table(text: str, references: set[str]) -> list[AfpLimit]:
    """Validate the AFP table: rows contiguous from day 0, sources known."""
    raw = load_yaml(text) or []
    rows: list[AfpLimit] = []
    for i, entry in enumerate(raw):
        try:
            rows.append(AfpLimit(**entry))
        except ValidationError as exc:
            raise EtiologyDataError(f"afp_reference row {i}: {_where(exc)}") from None
    rows.sort(key=lambda r: r.from_days)
    if not rows or rows[0].from_days != 0:
        raise EtiologyDataError("afp_reference: the table must start at day 0")
    for a, b in itertools.pairwise(rows):
        if a.to_days != b.from_days:
            raise EtiologyDataError(
                f"afp_reference: gap or overlap between day {a.to_days} and day {b.from_days}"
            )
    if rows[-1].to_days is not None:
        raise EtiologyDataError("afp_reference: the last row must be open-ended")
    for i, r in enumerate(rows):
        for k in r.source:
            if k not in references:
                raise EtiologyDataError(f"afp_reference row {i}: unknown reference {k!r}")
    return rows


def engine_condition_check() -> Callable[[str], None]:
    """The engine's condition registry check (imported late: the vocabulary is engine code)."""
    from hepcalc.engine.conditions import check

    return check
