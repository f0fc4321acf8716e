"""Terminology maps used to read FHIR input: problem-list codes and lab codes.

These are translations, not clinical rules: a coded Condition on a problem list
says the same thing as a ``risk_factors`` flag in a Case. Only codes checked
against a primary or several independent sources are listed (see
``docs/service.md``, "FHIR input"); anything else is left for the user to state.
"""

from __future__ import annotations

from typing import Final

SNOMED: Final = "http://snomed.info/sct"
ICD10CM: Final = "http://hl7.org/fhir/sid/icd-10-cm"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
LOINC: Final = "http://loinc.org"

# (system, code) -> Case risk factor. SNOMED codes are the ones conventions.md
# section 2.2 marks VERIFIED; ICD-10(-CM) codes are the category titles of the
# published classification (B18.0/B18.1 chronic viral hepatitis B, B18.2 chronic
# viral hepatitis C, K74.6x other and unspecified cirrhosis, C22.0 liver cell
# carcinoma).
CONDITION_RISK_FACTORS: Final[dict[tuple[str, str], str]] = {
    (SNOMED, "19943007"): "cirrhosis",  # Cirrhosis of liver (disorder)
    (SNOMED, "61977001"): "chronic_hbv",  # Chronic type B viral hepatitis (disorder)
    (SNOMED, "128302006"): "chronic_hcv",  # Chronic hepatitis C (disorder)
    (SNOMED, "109841003"): "prior_hcc",  # Liver cell carcinoma (disorder)
    # Chronic viral hepatitis (disorder), the parent concept: chronic liver disease
    # is certain, the virus is not, so only the general flag is set.
    (SNOMED, "10295004"): "chronic_liver_disease",
    (ICD10CM, "B18.0"): "chronic_hbv",
    (ICD10CM, "B18.1"): "chronic_hbv",
    (ICD10CM, "B18.2"): "chronic_hcv",
    (ICD10CM, "K74.60"): "cirrhosis",
    (ICD10CM, "K74.69"): "cirrhosis",
    (ICD10CM, "C22.0"): "prior_hcc",
    (ICD10, "B18.0"): "chronic_hbv",
    (ICD10, "B18.1"): "chronic_hbv",
    (ICD10, "B18.2"): "chronic_hcv",
    (ICD10, "C22.0"): "prior_hcc",
}

# LOINC lab code -> (Case labs field, accepted UCUM units). Units outside the
# list are not converted: a conversion factor is clinical content and
# AFP in IU/mL has no single factor.
LAB_CODES: Final[dict[str, tuple[str, frozenset[str]]]] = {
    "1834-1": ("afp_ng_ml", frozenset({"ng/mL", "ug/L"})),  # Alpha-1-fetoprotein, mass/vol
    "1742-6": ("alt_u_l", frozenset({"U/L", "[IU]/L", "IU/L"})),  # ALT, enzymatic activity
    "1920-8": ("ast_u_l", frozenset({"U/L", "[IU]/L", "IU/L"})),  # AST, enzymatic activity
    "6768-6": ("alp_u_l", frozenset({"U/L", "[IU]/L", "IU/L"})),  # Alkaline phosphatase
    "1975-2": ("bilirubin_mg_dl", frozenset({"mg/dL"})),  # Bilirubin total, mass/vol
    "24108-3": ("ca19_9_u_ml", frozenset({"U/mL", "[U]/mL", "k[IU]/L"})),  # CA 19-9
    "2039-6": ("cea_ng_ml", frozenset({"ng/mL", "ug/L"})),  # CEA, mass/vol
}

# LOINC imaging codes -> modality. 24532-4 and 18748-4 are VERIFIED in
# conventions.md; the abdomen codes are "likely" there, so the name of the
# study (code.text / display) is always read too and wins when it disagrees.
IMAGING_LOINC_MODALITY: Final[dict[str, str]] = {
    "24532-4": "US",  # US Abdomen RUQ
    "24558-9": "US",  # US Abdomen
    "24556-3": "MRI",  # MR Abdomen
    "41806-1": "CT",  # CT Abdomen
}

# Condition clinicalStatus codes that mean "the patient has it now". A missing
# clinicalStatus (allowed for problem-list entries) is read as active.
CONDITION_ACTIVE_STATUSES: Final = frozenset({"active", "recurrence", "relapse"})
# Flags that describe history, so a resolved or inactive Condition still sets them.
HISTORY_RISK_FACTORS: Final = frozenset({"prior_hcc"})
CONDITION_PAST_STATUSES: Final = frozenset({"inactive", "remission", "resolved"})
# verificationStatus codes that make a Condition say nothing, or say "absent".
CONDITION_IGNORED_VERIFICATION: Final = frozenset(
    {"entered-in-error", "unconfirmed", "provisional", "differential"}
)
CONDITION_REFUTED: Final = "refuted"

DIAGNOSTIC_REPORT_STATUSES: Final = frozenset(
    {
        "registered",
        "partial",
        "preliminary",
        "final",
        "amended",
        "corrected",
        "appended",
        "cancelled",
        "entered-in-error",
        "unknown",
    }
)
DIAGNOSTIC_REPORT_UNUSABLE: Final = frozenset({"cancelled", "entered-in-error", "registered"})
