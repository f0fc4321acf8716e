"""AFP judged against the upper limit for the patient's age (issue 11).

An infant's AFP is physiologically thousands of times the adult value; "raised"
must mean above the limit for the age in days, or a healthy 2-month-old looks
like a hepatoblastoma and a hepatoblastoma at 3 months is judged on the wrong
scale. The table and its sources are data (``afp_reference.yaml``); this module
only finds the row and words the result, naming the reference used.
"""

from __future__ import annotations

from hepcalc.engine.conditions import AfpReading
from hepcalc.knowledge import KnowledgeBase
from hepcalc.model import Patient

DAYS_PER_YEAR = 365.25


def _age_words(days: float) -> str:
    if days < 28:
        return f"{days:.0f} days"
    if days < 730:
        return f"{days / 30.44:.0f} months"
    return f"{days / DAYS_PER_YEAR:.0f} years"


def afp_for_age(patient: Patient, kb: KnowledgeBase, prenatal: bool) -> AfpReading | None:
    """The AFP reading for this patient, or None when there is no value to judge.

    Not judged before birth (a fetus has no serum AFP in the case; maternal
    serum AFP is a different test) nor when age is unknown under an adult
    assumption: then the adult row applies, as for any adult.
    """
    value = patient.labs.afp_ng_ml
    if value is None or prenatal or not kb.afp_limits:
        return None
    days = (patient.age if patient.age is not None else 99.0) * DAYS_PER_YEAR
    row = kb.afp_limits[-1]
    for r in kb.afp_limits:
        if r.from_days <= days and (r.to_days is None or days < r.to_days):
            row = r
            break
    lab = patient.labs.afp_uln_ng_ml
    if row.use_lab_limit and lab is not None:
        limit = lab
        reference = f"the laboratory's upper limit of {lab:g} ng/mL"
    else:
        limit = row.limit_at(days)
        where = "; term baby assumed" if days < 28 else ""
        reference = (
            f"upper limit for age {_age_words(days)} of ~{limit:,.0f} ng/mL "
            f"({row.basis}; {', '.join(row.source)}{where})"
        )
    raised = value > limit
    return AfpReading(raised=raised, value=value, limit=limit, reference=reference)


def afp_words(reading: AfpReading) -> str:
    """'AFP 5,000 ng/mL is above the upper limit for age 3 months of ~930 ng/mL (...)'."""
    side = "above" if reading.raised else "not above"
    return f"AFP {reading.value:,.6g} ng/mL is {side} the {reading.reference}"
