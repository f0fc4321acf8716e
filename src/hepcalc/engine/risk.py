"""Risk tier: who is this patient, for the purpose of a liver calcification?

The tier decides which pathway applies (Gore 2017 risk groups; Sawatzki 2023
risk factors). Unknown factors are never treated as absent silently: they are
listed, and the assumption made is written down for every recommendation that
depends on it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hepcalc.model import RISK_FACTOR_NAMES, Modality, Patient, Risk, RiskTier

# Typical adult upper reference limits (rule labs-abnormal, derived).
AFP_ULN_NG_ML = 10.0
AMINOTRANSFERASE_ULN_U_L = 40.0
BILIRUBIN_ULN_MG_DL = 1.2
AFP_MIN_AGE_YEARS = 1.0  # AFP is physiologically very high in infants
NEONATE_MAX_YEARS = 28 / 365.25  # first 28 days of life
CHILD_FROM_YEARS = 1.0
ADOLESCENT_FROM_YEARS = 12.0
ADULT_FROM_YEARS = 18.0

LIVER_RISK_FACTORS = (
    "cirrhosis",
    "chronic_hbv",
    "chronic_hcv",
    "chronic_liver_disease",
    "prior_hcc",
)
HIGH_RISK_FACTORS = (*LIVER_RISK_FACTORS, "extrahepatic_malignancy")

# Symptoms that make an adult high risk (rule risk-tier). Sawatzki 2023 lists
# weight loss, fever and night sweats as risk factors for malignancy; jaundice and
# a palpable mass point at the liver itself. Abdominal pain alone does not: it is
# the usual reason the scan was done, the ACR and WFUMB low-risk groups are
# defined without it (Gore 2017; Sirli 2024), and a calcification rarely explains
# pain. It stays a stated symptom (rules that ask for it, such as a symptomatic
# hemangioma, still see it) and the assumption says so. In children every symptom
# counts (rule pediatric-symptomatic).
ADULT_TIER_SYMPTOMS = frozenset({"jaundice", "weight_loss", "fever", "palpable_mass"})
PAIN_ALONE_NOTE = (
    "Abdominal pain alone does not raise the risk tier: it is the usual reason for the "
    "scan and a typical calcification does not explain it; the pain is evaluated on its "
    "own. Fever, jaundice, weight loss, a palpable mass or abnormal liver tests would."
)

_FACTOR_WORDS = {
    "cirrhosis": "cirrhosis",
    "chronic_hbv": "chronic hepatitis B",
    "chronic_hcv": "chronic hepatitis C",
    "chronic_liver_disease": "other chronic liver disease",
    "prior_hcc": "prior hepatocellular carcinoma",
    "extrahepatic_malignancy": "a known cancer outside the liver",
    "immunocompromised": "immunosuppression",
    "endemic_exposure": "exposure to TB, histoplasmosis or echinococcus",
}


def factor_words(name: str) -> str:
    return _FACTOR_WORDS.get(name, name.replace("_", " "))


@dataclass(frozen=True)
class RiskProfile:
    """The risk output plus the facts the pathway needs, computed once."""

    risk: Risk
    prenatal: bool
    pediatric: bool
    adult_assumed: bool
    liver_risk: bool  # cirrhosis / HBV / HCV / CLD / prior HCC
    known_cancer: bool
    symptomatic: bool
    afp_raised: bool
    liver_tests_abnormal: bool
    lab_notes: tuple[str, ...] = field(default_factory=tuple)
    age_group: str = "adult"  # fetus / neonate / infant / child / adolescent / adult

    @property
    def tier(self) -> RiskTier:
        return self.risk.tier

    @property
    def high(self) -> bool:
        return self.risk.tier is RiskTier.high

    def unknown_liver_factors(self) -> list[str]:
        return [f for f in LIVER_RISK_FACTORS if f in self.risk.unknown]


def _above_limit(
    name: str, value: float, unit: str, lab_limit: float | None, default: float
) -> str | None:
    """The note for a result above its upper limit, else None.

    The laboratory's own limit wins when the caller gives it; otherwise the
    typical adult default is used and the note says so, because ranges differ
    between laboratories and assays.
    """
    if lab_limit is not None:
        if value > lab_limit:
            return (
                f"{name} {value:g} {unit} is above the laboratory's upper limit of {lab_limit:g}."
            )
        return None
    if value > default:
        return (
            f"{name} {value:g} {unit} is above {default:g} {unit} "
            "(typical adult upper limit; check the laboratory's own range)."
        )
    return None


def age_group(patient: Patient, prenatal: bool) -> str:
    """The age group the paediatric pathways and reference scopes are written for.

    An unknown age is an adult (the pathway says it assumed so); a prenatal exam
    makes the fetus the subject.
    """
    if prenatal:
        return "fetus"
    age = patient.age
    if age is None or age >= ADULT_FROM_YEARS:
        return "adult"
    if age < NEONATE_MAX_YEARS:
        return "neonate"
    if age < CHILD_FROM_YEARS:
        return "infant"
    if age < ADOLESCENT_FROM_YEARS:
        return "child"
    return "adolescent"


def assess_risk(patient: Patient, modalities: list[Modality]) -> RiskProfile:
    rf = patient.risk_factors
    present = [n for n in RISK_FACTOR_NAMES if getattr(rf, n) is True]
    unknown = [n for n in RISK_FACTOR_NAMES if getattr(rf, n) is None]
    assumptions: list[str] = []

    prenatal = Modality.PRENATAL_US in modalities or patient.gestational_age_weeks is not None
    adult_assumed = patient.age is None and not prenatal
    if adult_assumed:
        unknown.insert(0, "age")
        assumptions.append("Age not given: an adult is assumed.")
    pediatric = prenatal or (patient.age is not None and patient.age < 18)

    labs = patient.labs
    lab_notes: list[str] = []
    afp_raised = False
    if labs.afp_ng_ml is not None:
        if patient.age is not None and patient.age < AFP_MIN_AGE_YEARS:
            lab_notes.append("AFP is not interpreted under 1 year of age.")
        elif note := _above_limit(
            "AFP", labs.afp_ng_ml, "ng/mL", labs.afp_uln_ng_ml, AFP_ULN_NG_ML
        ):
            afp_raised = True
            lab_notes.append(note)
    liver_tests_abnormal = False
    for name, value, unit, lab_limit, default in (
        ("ALT", labs.alt_u_l, "U/L", labs.alt_uln_u_l, AMINOTRANSFERASE_ULN_U_L),
        ("AST", labs.ast_u_l, "U/L", labs.ast_uln_u_l, AMINOTRANSFERASE_ULN_U_L),
        ("Bilirubin", labs.bilirubin_mg_dl, "mg/dL", labs.bilirubin_uln_mg_dl, BILIRUBIN_ULN_MG_DL),
    ):
        if value is not None and (note := _above_limit(name, value, unit, lab_limit, default)):
            liver_tests_abnormal = True
            lab_notes.append(note)

    liver_risk = any(getattr(rf, f) is True for f in LIVER_RISK_FACTORS)
    known_cancer = rf.extrahepatic_malignancy is True
    stated = {s.value for s in patient.symptoms}
    symptomatic = bool(stated) if pediatric else bool(stated & ADULT_TIER_SYMPTOMS)
    if stated and not symptomatic:
        assumptions.append(PAIN_ALONE_NOTE)

    factors = list(present)
    if stated:
        factors.extend(f"symptom:{s.value}" for s in patient.symptoms)
    if afp_raised:
        factors.append("lab:afp_raised")
    if liver_tests_abnormal:
        factors.append("lab:liver_tests_abnormal")

    if pediatric:
        tier = RiskTier.pediatric
    elif liver_risk or known_cancer or symptomatic or afp_raised or liver_tests_abnormal:
        tier = RiskTier.high
    else:
        tier = RiskTier.low

    unknown_high = [f for f in HIGH_RISK_FACTORS if f in unknown]
    if tier is RiskTier.low and unknown_high:
        words = ", ".join(factor_words(f) for f in unknown_high)
        assumptions.append(
            f"Not stated, assumed absent for the risk tier: {words}. "
            "If any is present the patient is high risk and the recommendation changes."
        )
    elif unknown_high and tier is RiskTier.high:
        words = ", ".join(factor_words(f) for f in unknown_high)
        assumptions.append(f"Not stated (unknown): {words}.")
    assumptions.extend(lab_notes)

    return RiskProfile(
        risk=Risk(tier=tier, factors=factors, unknown=unknown, assumptions=assumptions),
        prenatal=prenatal,
        pediatric=pediatric,
        adult_assumed=adult_assumed,
        liver_risk=liver_risk,
        known_cancer=known_cancer,
        symptomatic=symptomatic,
        afp_raised=afp_raised,
        liver_tests_abnormal=liver_tests_abnormal,
        lab_notes=tuple(lab_notes),
        age_group=age_group(patient, prenatal),
    )
