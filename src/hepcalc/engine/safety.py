"""The safety stage: between categorisation and the pathway (DESIGN.md, second design step).

Why a separate stage: the pathway answers "what next for this finding?", but
some facts must be settled before that question is asked, or the answer is
unsafe whatever branch fires:

- **Input contradictions.** Two parts of the input disagree (structured risk
  factors against an exam's ``background_liver``, a report, or each other).
  The disagreement is shown as a ``Warning(code="input_contradiction")`` that
  names both sources, and the decision takes the *safer* reading (e.g. treat
  as cirrhotic), because a missed HCC costs more than one extra MRI.
- **Urgency.** How soon a step must happen (``routine`` / ``soon`` /
  ``urgent``) is a property of the patient's state (fever, jaundice, tumour
  in vein), not of the branch; it is set here from rules in ``rules.yaml``.
- **Stopping rules.** When a finding's work-up is already over (stable for two
  years on CT/MRI, already characterised, treatment response), the pathway
  must not start it again.

The stage is pure (no clock): "in the future" means later than the latest
other date in the case, never later than today.
"""

from __future__ import annotations

from collections.abc import Sequence

from hepcalc.knowledge import KnowledgeBase, load_kb
from hepcalc.knowledge.rules import URGENCIES, ScopeContext
from hepcalc.model import (
    Exam,
    Finding,
    Modality,
    Patient,
    Recommendation,
    Symptom,
    Warning,
)

CONTRADICTION_CODE = "input_contradiction"
CONTRADICTION_RULE = "input-contradiction"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "not stated"
    return str(getattr(value, "value", value))


def contradiction_warning(
    field: str,
    structured: object,
    other: object,
    other_source: str,
    *,
    safer: str | None = None,
    structured_source: str = "the structured case",
    kb: KnowledgeBase | None = None,
) -> Warning:
    """One ``input_contradiction`` warning, worded the same wherever it is raised.

    ``field`` names what disagrees (e.g. ``"risk_factors.cirrhosis"``),
    ``structured`` is the value in the structured input and ``other`` the value
    found in ``other_source`` (e.g. ``"exams[1].background_liver"`` or
    ``"the report of exam us-1 ('cirrhotic liver')"``). ``safer`` says which
    reading the decision takes; by default the text says the safer reading is
    used without naming it. Used by the engine's safety stage and by the report
    reader (issue 13), so both raise the same code with the same citations.
    """
    kb = kb or load_kb()
    text = (
        f"Input contradiction: {field} is {_show(structured)} in {structured_source} but "
        f"{_show(other)} in {other_source}."
    )
    if safer:
        text += f" The safer reading is used: {safer}."
    else:
        text += " The safer reading is used; please check the input."
    return Warning(
        code=CONTRADICTION_CODE,
        text=text,
        citations=list(kb.rule(CONTRADICTION_RULE).citations),
    )


# ---------------------------------------------------------------------------
# Input contradictions within the structured case
# ---------------------------------------------------------------------------

_OTHER_LIVER_FACTORS = ("chronic_hbv", "chronic_hcv", "chronic_liver_disease")
_ADULT_PRIMARY_SITES = ("colorectal", "colon", "rect", "breast", "prostate", "lung", "pancrea")
_NOT_FOR_A_FETUS = ("cirrhosis", "prior_hcc", "extrahepatic_malignancy")
_DAYS_PER_YEAR = 365.25


def reconcile(
    patient: Patient, exams: Sequence[Exam], kb: KnowledgeBase
) -> tuple[Patient, list[Warning]]:
    """The patient the pathway should see, and one warning per contradiction found.

    Each contradiction names both sources; where one reading is safer (keeps
    the patient in surveillance or under work-up) that reading is taken.
    """
    warnings: list[Warning] = []
    rf = patient.risk_factors
    updates: dict[str, object] = {}

    cirrhotic = [
        f"exams[{i}].background_liver ({e.id or e.modality.value})"
        for i, e in enumerate(exams)
        if e.background_liver == "cirrhosis"
    ]
    if rf.cirrhosis is False and cirrhotic:
        warnings.append(
            contradiction_warning(
                "risk_factors.cirrhosis",
                False,
                "cirrhosis",
                ", ".join(cirrhotic),
                safer="the liver is treated as cirrhotic (HCC surveillance, LI-RADS)",
                kb=kb,
            )
        )
        updates["cirrhosis"] = True
    if (
        rf.prior_hcc is True
        and rf.cirrhosis is False
        and not any(getattr(rf, f) is True for f in _OTHER_LIVER_FACTORS)
        and "cirrhosis" not in updates
    ):
        warnings.append(
            contradiction_warning(
                "risk_factors.prior_hcc",
                True,
                "cirrhosis false and no chronic liver disease stated",
                "risk_factors.cirrhosis / chronic_hbv / chronic_hcv / chronic_liver_disease",
                safer=(
                    "prior HCC is kept: the patient stays high risk, in HCC surveillance and "
                    "LI-RADS (HCC usually arises in a diseased liver; check the history)"
                ),
                kb=kb,
            )
        )

    prenatal = patient.gestational_age_weeks is not None or any(
        e.modality is Modality.PRENATAL_US for e in exams
    )
    if prenatal:
        stated = [f for f in _NOT_FOR_A_FETUS if getattr(rf, f) is True]
        if stated:
            warnings.append(
                contradiction_warning(
                    "risk_factors." + "/".join(stated),
                    True,
                    "a prenatal examination (the fetus is the subject)",
                    "exams (PRENATAL_US) / patient.gestational_age_weeks",
                    safer=(
                        "the fetal pathway is kept; these factors probably describe the "
                        "mother and do not make the fetus high risk"
                    ),
                    kb=kb,
                )
            )
            for f in stated:
                updates[f] = None
    elif patient.age is not None and patient.age < 12 and rf.primary_cancer_site:
        site = rf.primary_cancer_site.lower()
        if any(s in site for s in _ADULT_PRIMARY_SITES):
            warnings.append(
                contradiction_warning(
                    "risk_factors.primary_cancer_site",
                    rf.primary_cancer_site,
                    f"age {patient.age:g} years",
                    "patient.age",
                    safer=(
                        "the known cancer is kept (metastasis stays in the work-up); check "
                        "the age and the primary site"
                    ),
                    kb=kb,
                )
            )

    dated = [(e.date, e.modality) for e in exams if e.date is not None]
    if dated:
        first = min(d for d, _ in dated)
        last = max(d for d, _ in dated)
        span_years = (last - first).days / _DAYS_PER_YEAR
        if patient.age is not None and not prenatal and span_years > patient.age + 0.1:
            warnings.append(
                contradiction_warning(
                    "exams[].date",
                    f"dates {first.isoformat()} to {last.isoformat()} "
                    f"({span_years:.1f} years apart)",
                    f"age {patient.age:g} years",
                    "patient.age",
                    structured_source="the exam list",
                    safer="each exam is read as dated; check the dates and the age",
                    kb=kb,
                )
            )
        prenatal_dates = [d for d, m in dated if m is Modality.PRENATAL_US]
        postnatal_dates = [d for d, m in dated if m is not Modality.PRENATAL_US]
        if prenatal_dates and postnatal_dates and max(prenatal_dates) > min(postnatal_dates):
            warnings.append(
                contradiction_warning(
                    "exams[].date",
                    f"a prenatal ultrasound dated {max(prenatal_dates).isoformat()}",
                    f"a postnatal exam dated {min(postnatal_dates).isoformat()}",
                    "the same exam list",
                    structured_source="the exam list",
                    safer="exams are read in date order; check the dates",
                    kb=kb,
                )
            )

    if updates:
        patient = patient.model_copy(
            update={"risk_factors": rf.model_copy(update=updates)}, deep=True
        )
    return patient, warnings


# ---------------------------------------------------------------------------
# Urgency
# ---------------------------------------------------------------------------

_RANK = {u: i for i, u in enumerate(URGENCIES)}


def more_urgent(a: str, b: str) -> str:
    """The more pressing of two urgencies."""
    return a if _RANK[a] >= _RANK[b] else b


def scope_context(patient: Patient, age_group: str) -> ScopeContext:
    """What decides whether a reference is in scope for this patient."""
    return ScopeContext(
        age_group=age_group,
        symptomatic=bool(patient.symptoms),
        cancer_site=patient.risk_factors.primary_cancer_site,
    )


def cholangitis_suspected(patient: Patient, findings: Sequence[Finding]) -> bool:
    """Biliary dilatation with fever or jaundice (TG13: cholangitis until proven otherwise)."""
    febrile_or_jaundiced = Symptom.fever in patient.symptoms or Symptom.jaundice in (
        patient.symptoms
    )
    return febrile_or_jaundiced and any(f.features.biliary_dilatation for f in findings)


def febrile_cystic(patient: Patient, finding: Finding, cystic: bool) -> bool:
    """Fever with a calcified cystic or thick-walled lesion: abscess or complicated cyst."""
    if Symptom.fever not in patient.symptoms:
        return False
    ft = finding.features
    return cystic or bool(ft.thick_wall or ft.daughter_cysts)


def escalate(
    rec: Recommendation, kb: KnowledgeBase, rule_id: str, allowed: set[str] | None = None
) -> Recommendation:
    """Raise a recommendation's urgency to the level of an urgency rule, with its reason."""
    rule = kb.rule(rule_id)
    level = more_urgent(rec.urgency, rule.urgency)
    if level == rec.urgency and rec.urgency_reason:
        return rec
    citations = list(rec.citations)
    for k in rule.citations:
        if k not in citations and (allowed is None or k in allowed):
            citations.append(k)
    return rec.model_copy(
        update={
            "urgency": level,
            "urgency_reason": rec.urgency_reason or rule.urgency_reason,
            "citations": citations,
        }
    )
