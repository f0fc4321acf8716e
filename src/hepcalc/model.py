"""The public data types of hepcalc: the Case (input) and the Assessment (output).

These types are the contract of ``../shared/CONTRACT.md`` sections 2 and 3. Field
names and code lists are stable; anything added here is additive and documented
in ``docs/contract-extensions.md``. Validation is strict on purpose: a wrong size
or an unknown code in a clinical input must be refused with the field named,
never guessed at.
"""

from __future__ import annotations

import datetime as dt
import math
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

# ---------------------------------------------------------------------------
# Code lists (CONTRACT.md)
# ---------------------------------------------------------------------------


class Sex(StrEnum):
    female = "female"
    male = "male"
    other = "other"
    unknown = "unknown"


class Symptom(StrEnum):
    abdominal_pain = "abdominal_pain"
    jaundice = "jaundice"
    weight_loss = "weight_loss"
    fever = "fever"
    palpable_mass = "palpable_mass"


class Modality(StrEnum):
    US = "US"
    CT = "CT"
    MRI = "MRI"
    XR = "XR"
    PRENATAL_US = "PRENATAL_US"


class Contrast(StrEnum):
    none = "none"
    iv = "iv"  # extracellular agent (CT iodine, MRI gadolinium ECA)
    hepatobiliary = "hepatobiliary"  # gadoxetate / gadobenate (HBA)


class FindingKind(StrEnum):
    calcification = "calcification"
    lesion = "lesion"
    cyst = "cyst"


class Pattern(StrEnum):
    punctate = "punctate"
    coarse = "coarse"
    rim = "rim"
    central = "central"
    amorphous = "amorphous"
    popcorn = "popcorn"
    capsular = "capsular"
    unknown = "unknown"


class Lobe(StrEnum):
    right = "right"
    left = "left"
    caudate = "caudate"


class Associated(StrEnum):
    none = "none"
    solid_mass = "solid_mass"
    simple_cyst = "simple_cyst"
    complex_cyst = "complex_cyst"
    hemangioma = "hemangioma"
    unknown = "unknown"


class Comparison(StrEnum):
    """What a report says about change since a prior exam (extracted or given)."""

    new = "new"
    stable = "stable"
    increased = "increased"
    decreased = "decreased"
    resolved = "resolved"


class ImageQuality(StrEnum):
    adequate = "adequate"
    degraded = "degraded"  # LI-RADS LR-NC when it prevents categorisation


class Visualization(StrEnum):
    A = "A"
    B = "B"
    C = "C"


class WashoutPhase(StrEnum):
    portal_venous = "portal_venous"
    delayed = "delayed"
    transitional = "transitional"
    hepatobiliary = "hepatobiliary"


class BenignCertainty(StrEnum):
    definite = "definite"  # LI-RADS LR-1 entity
    probable = "probable"  # LI-RADS LR-2 entity


class RiskTier(StrEnum):
    low = "low"
    high = "high"
    pediatric = "pediatric"


class Category(StrEnum):
    isolated_calcification = "isolated_calcification"
    calcified_solid_lesion = "calcified_solid_lesion"
    calcified_cystic_lesion = "calcified_cystic_lesion"
    noncalcified_lesion = "noncalcified_lesion"
    indeterminate = "indeterminate"


class GrowthStatus(StrEnum):
    new = "new"
    stable = "stable"
    decreased = "decreased"
    resolved = "resolved"
    within_variability = "within_variability"
    significant_growth = "significant_growth"
    not_comparable = "not_comparable"


class Action(StrEnum):
    no_further_workup = "no_further_workup"
    follow_up_imaging = "follow_up_imaging"
    surveillance_imaging = "surveillance_imaging"
    hcc_surveillance = "hcc_surveillance"
    noncontrast_ct = "noncontrast_ct"
    characterize_contrast_imaging = "characterize_contrast_imaging"
    multidisciplinary_discussion = "multidisciplinary_discussion"
    biopsy_consideration = "biopsy_consideration"
    surgical_consultation = "surgical_consultation"
    specialist_referral = "specialist_referral"
    laboratory_tests = "laboratory_tests"
    treat_underlying_cause = "treat_underlying_cause"


class LiradsCategory(StrEnum):
    LR_NC = "LR-NC"
    LR_1 = "LR-1"
    LR_2 = "LR-2"
    LR_3 = "LR-3"
    LR_4 = "LR-4"
    LR_5 = "LR-5"
    LR_M = "LR-M"
    LR_TIV = "LR-TIV"
    US_1 = "US-1"
    US_2 = "US-2"
    US_3 = "US-3"


RISK_FACTOR_NAMES: tuple[str, ...] = (
    "cirrhosis",
    "chronic_hbv",
    "chronic_hcv",
    "chronic_liver_disease",
    "prior_hcc",
    "extrahepatic_malignancy",
    "immunocompromised",
    "endemic_exposure",
)

MAX_SIZE_MM = 300.0
MAX_REPORT_CHARS = 200_000  # documented limit for one report (docs/contract-extensions.md)
# Exam dates a follow-up can be scheduled from. Not a clinical rule: dates
# outside are typing errors, and near 9999-12-31 adding an interval overflows
# Python's calendar (issue 16). 1895: Roentgen's X-rays, the first imaging.
EARLIEST_EXAM_DATE = dt.date(1895, 1, 1)
LATEST_EXAM_DATE = dt.date(2199, 12, 31)


def check_exam_date(day: dt.date) -> dt.date:
    """Refuse exam dates outside [EARLIEST_EXAM_DATE, LATEST_EXAM_DATE] (ValueError)."""
    if not EARLIEST_EXAM_DATE <= day <= LATEST_EXAM_DATE:
        raise ValueError(f"must be between {EARLIEST_EXAM_DATE} and {LATEST_EXAM_DATE}")
    return day


# ---------------------------------------------------------------------------
# Case (input)
# ---------------------------------------------------------------------------


class _Strict(BaseModel):
    """Base for input models: unknown fields are errors, NaN/inf are refused."""

    model_config = ConfigDict(extra="forbid", allow_inf_nan=False, use_enum_values=False)


class RiskFactors(_Strict):
    """True = present, False = known absent, missing (None) = unknown, never 'absent'."""

    cirrhosis: bool | None = None
    chronic_hbv: bool | None = None
    chronic_hcv: bool | None = None
    chronic_liver_disease: bool | None = None
    prior_hcc: bool | None = None
    extrahepatic_malignancy: bool | None = None
    immunocompromised: bool | None = None
    endemic_exposure: bool | None = None
    # Additive (docs/contract-extensions.md): details that change the differential
    # or LI-RADS applicability.
    primary_cancer_site: str | None = Field(default=None, max_length=80)
    cirrhosis_cause: Literal["other", "congenital_hepatic_fibrosis", "vascular"] | None = None
    on_chemotherapy: bool | None = None


class Labs(_Strict):
    afp_ng_ml: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    alt_u_l: Annotated[float, Field(ge=0, le=100_000)] | None = None
    ast_u_l: Annotated[float, Field(ge=0, le=100_000)] | None = None
    alp_u_l: Annotated[float, Field(ge=0, le=100_000)] | None = None
    bilirubin_mg_dl: Annotated[float, Field(ge=0, le=100)] | None = None
    ca19_9_u_ml: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    cea_ng_ml: Annotated[float, Field(ge=0, le=1_000_000)] | None = None
    echinococcus_serology: Literal["positive", "negative"] | None = None
    # Additive: the reporting laboratory's own upper reference limits. When given they
    # replace hepcalc's typical adult defaults (rule labs-abnormal): ranges differ
    # between laboratories, assays and populations.
    afp_uln_ng_ml: Annotated[float, Field(gt=0, le=1_000_000)] | None = None
    alt_uln_u_l: Annotated[float, Field(gt=0, le=100_000)] | None = None
    ast_uln_u_l: Annotated[float, Field(gt=0, le=100_000)] | None = None
    bilirubin_uln_mg_dl: Annotated[float, Field(gt=0, le=100)] | None = None


class Patient(_Strict):
    age: Annotated[float, Field(ge=0, le=120)] | None = None
    sex: Sex = Sex.unknown
    risk_factors: RiskFactors = Field(default_factory=RiskFactors)
    symptoms: list[Symptom] = Field(default_factory=list, max_length=10)
    labs: Labs = Field(default_factory=Labs)
    # Additive: pregnancy context for PRENATAL_US exams (the fetus is the subject).
    gestational_age_weeks: Annotated[float, Field(ge=4, le=44)] | None = None


class Location(_Strict):
    lobe: Lobe | None = None
    segment: Annotated[int, Field(ge=1, le=8)] | None = None
    subsegment: Literal["a", "b"] | None = None  # 4a / 4b
    dome: bool | None = None


class Evidence(_Strict):
    """Where in a report a finding came from, so a reviewer can see why."""

    sentence: str
    start: Annotated[int, Field(ge=0)]
    end: Annotated[int, Field(ge=0)]
    section: str | None = None
    hedged: bool = False


class Features(_Strict):
    """Imaging features; True/False, or absent = unknown (treated as absent by LI-RADS)."""

    aphe: bool | None = None
    washout: bool | None = None
    capsule: bool | None = None
    rim_aphe: bool | None = None
    targetoid: bool | None = None
    tumor_in_vein: bool | None = None
    signal_void: bool | None = None
    peripheral_nodular_enhancement: bool | None = None
    septations: bool | None = None
    thick_wall: bool | None = None
    solid_component: bool | None = None
    daughter_cysts: bool | None = None
    acoustic_shadowing: bool | None = None
    # Additive LI-RADS detail (docs/contract-extensions.md)
    washout_phase: WashoutPhase | None = None
    peripheral_washout: bool | None = None
    delayed_central_enhancement: bool | None = None
    lrm_nontargetoid: bool | None = None  # infiltrative, marked restriction, necrosis...
    threshold_growth: bool | None = None  # stated by a reader when no prior is given
    benign_entity: BenignCertainty | None = None
    distinctive_nodule: bool | None = None
    ancillary_malignancy: list[str] = Field(default_factory=list, max_length=30)
    ancillary_benignity: list[str] = Field(default_factory=list, max_length=30)
    # Additive ACR incidental-findings descriptors
    benign_imaging_features: bool | None = None
    suspicious_imaging_features: bool | None = None
    flash_filling: bool | None = None
    vascular_invasion: bool | None = None
    biliary_dilatation: bool | None = None


class Finding(_Strict):
    track: str | None = Field(default=None, max_length=40)
    kind: FindingKind
    size_mm: Annotated[float, Field(gt=0, lt=MAX_SIZE_MM)] | None = None
    count: Annotated[int, Field(ge=1, le=1000)] | Literal["multiple"] = 1
    calcified: bool | None = None
    pattern: Pattern | None = None
    location: Location = Field(default_factory=Location)
    associated: Associated | None = None
    features: Features = Field(default_factory=Features)
    # Additive (docs/contract-extensions.md)
    treated: bool = False
    comparison: Comparison | None = None
    prior_size_mm: Annotated[float, Field(gt=0, lt=MAX_SIZE_MM)] | None = None
    # the calcification's own size inside a measured lesion (size_mm is the lesion's)
    calcification_size_mm: Annotated[float, Field(gt=0, lt=MAX_SIZE_MM)] | None = None
    evidence: Evidence | None = None
    label: str | None = Field(default=None, max_length=200)

    @field_validator("track")
    @classmethod
    def _track_not_blank(cls, v: str | None) -> str | None:
        if v is not None and not v.strip():
            raise ValueError("must not be blank")
        return v

    @model_validator(mode="after")
    def _treated_out_of_scope(self) -> Finding:
        if self.treated:
            raise ValueError(
                "treated observations are out of scope: treatment response (LI-RADS LR-TR / "
                "TRA) is not assessed by hepcalc"
            )
        return self

    @property
    def is_calcified(self) -> bool:
        """Calcified when stated, when it is a calcification, or when a pattern is given."""
        if self.calcified is not None:
            return self.calcified
        if self.kind is FindingKind.calcification:
            return True
        return self.pattern is not None and self.pattern is not Pattern.unknown


class Exam(_Strict):
    id: str | None = Field(default=None, max_length=80)
    date: dt.date | None = None
    modality: Modality
    contrast: Contrast | None = None
    report_text: str | None = Field(default=None, max_length=MAX_REPORT_CHARS)
    findings: list[Finding] | None = Field(default=None, max_length=200)
    # Additive (docs/contract-extensions.md)
    image_quality: ImageQuality | None = None
    visualization: Visualization | None = None
    background_liver: Literal["normal", "steatosis", "cirrhosis", "unknown"] | None = None

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date_only(cls, v: Any) -> Any:
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError("must be an ISO date YYYY-MM-DD") from None
        if isinstance(v, dt.datetime):
            return v.date()
        return v

    @field_validator("date")
    @classmethod
    def _schedulable_date(cls, v: dt.date | None) -> dt.date | None:
        return None if v is None else check_exam_date(v)


class Case(_Strict):
    patient: Patient = Field(default_factory=Patient)
    exams: list[Exam] = Field(min_length=1, max_length=100)
    # Additive: an identifier the caller may pass through (never logged by the service).
    id: str | None = Field(default=None, max_length=120)

    @model_validator(mode="after")
    def _dates_and_ids(self) -> Case:
        if len(self.exams) > 1:
            for i, exam in enumerate(self.exams):
                if exam.date is None:
                    raise ValueError(
                        f"exams[{i}].date: required when the case has more than one exam"
                    )
        seen: set[str] = set()
        for i, exam in enumerate(self.exams):
            if exam.id is not None:
                if exam.id in seen:
                    raise ValueError(f"exams[{i}].id: duplicate exam id {exam.id!r}")
                seen.add(exam.id)
        return self

    def sorted_exams(self) -> list[Exam]:
        """Exams in date order (stable for equal dates), with ids filled in."""
        indexed = list(enumerate(self.exams))
        indexed.sort(key=lambda p: (p[1].date or dt.date.min, p[0]))
        out: list[Exam] = []
        for i, (orig, exam) in enumerate(indexed):
            if exam.id is None:
                suffix = exam.date.isoformat() if exam.date else str(orig + 1)
                exam = exam.model_copy(
                    update={"id": f"{exam.modality.value.lower()}-{suffix}-{i + 1}"}
                )
            out.append(exam)
        return out


# ---------------------------------------------------------------------------
# Assessment (output)
# ---------------------------------------------------------------------------


Likelihood = Literal["high", "moderate", "low"]
Urgency = Literal["routine", "soon", "urgent"]


class _Out(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Risk(_Out):
    tier: RiskTier
    factors: list[str] = Field(default_factory=list)
    unknown: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)


class FindingResult(_Out):
    track: str
    category: Category
    kind: FindingKind
    calcified: bool
    latest_size_mm: float | None = None
    exams: list[str] = Field(default_factory=list)
    # Additive: the calcification's own size inside the measured lesion (latest exam)
    calcification_size_mm: float | None = None
    # Additive
    count: int | Literal["multiple"] = 1
    pattern: Pattern | None = None
    location: Location | None = None
    associated: Associated | None = None
    evidence: list[Evidence] = Field(default_factory=list)
    category_reason: str = ""


class GrowthPoint(_Out):
    exam: str
    date: dt.date | None = None
    modality: Modality
    size_mm: float | None = None


class Growth(_Out):
    track: str
    status: GrowthStatus
    from_mm: float | None = None
    to_mm: float | None = None
    interval_days: int | None = None
    change_mm: float | None = None
    change_pct: float | None = None
    exceeds_measurement_variability: bool | None = None
    lirads_threshold_growth: bool | None = None
    explanation: str = ""
    # Additive
    variability_mm: float | None = None
    variability_basis: str | None = None
    matched_by: str | None = None
    points: list[GrowthPoint] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)


class LiradsResult(_Out):
    track: str
    category: LiradsCategory
    visualization: Visualization | None = None
    reason: str = ""
    # Additive
    exam: str | None = None
    subtype: str | None = None
    management: str | None = None
    citations: list[str] = Field(default_factory=list)


class DifferentialItem(_Out):
    etiology: str
    rank: int
    supporting: list[str] = Field(default_factory=list)
    against: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    # Additive
    name: str = ""
    score: float = 0.0
    track: str | None = None
    # Additive (evidence model): posterior probability among the causes listed for
    # this finding, and its band ("high" >= 0.5, "moderate" >= 0.15, else "low";
    # cut-offs documented in docs/differential.md).
    likelihood: Likelihood = "low"
    probability: float | None = None


class MustExclude(_Out):
    """A diagnosis that must be ruled out whatever its rank in the differential."""

    etiology: str
    track: str | None = None
    reason: str
    citations: list[str] = Field(default_factory=list)
    name: str = ""


class Recommendation(_Out):
    action: Action
    modality: str | None = None
    contrast: Contrast | None = None
    interval_months: list[float] | None = None
    duration_months: float | None = None
    rule: str
    rationale: str
    citations: list[str] = Field(default_factory=list)
    # Additive
    track: str | None = None
    assumptions: list[str] = Field(default_factory=list)
    patient_text: str = ""
    # Additive (safety layer): how soon the step should happen, and why.
    urgency: Urgency = "routine"
    urgency_reason: str = ""


class Warning(_Out):
    code: str
    text: str
    citations: list[str] = Field(default_factory=list)


class Summary(_Out):
    clinician: str = ""
    patient: str = ""


class ReferenceOut(_Out):
    key: str
    text: str
    strength: str
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None


class Assessment(_Out):
    kb_version: str
    risk: Risk
    findings: list[FindingResult] = Field(default_factory=list)
    growth: list[Growth] = Field(default_factory=list)
    lirads: list[LiradsResult] | None = None
    differential: list[DifferentialItem] = Field(default_factory=list)
    # Additive: diagnoses to rule out whatever their rank (empty when none applies).
    must_exclude: list[MustExclude] = Field(default_factory=list)
    recommendations: list[Recommendation] = Field(min_length=1)
    warnings: list[Warning] = Field(default_factory=list)
    summary: Summary = Field(default_factory=Summary)
    # Additive: every citation key used above, resolved, in order of first use.
    references: list[ReferenceOut] = Field(default_factory=list)

    def to_json_dict(self) -> dict[str, Any]:
        """JSON-ready dict; ``lirads`` is omitted when LI-RADS does not apply."""
        data = self.model_dump(mode="json")
        if data.get("lirads") is None:
            data.pop("lirads", None)
        return data

    def to_json(self) -> str:
        """Canonical JSON: sorted keys, fixed separators, so equal inputs give equal bytes."""
        import json

        return json.dumps(self.to_json_dict(), sort_keys=True, ensure_ascii=False, indent=2)


def finite(x: float) -> bool:
    """True for a real, finite number (NaN/inf never reach the engine, but be explicit)."""
    return not (math.isnan(x) or math.isinf(x))
