"""What the reports say about the patient, filled into the case (issue 13).

A Case often carries only report text: "62-year-old man with chronic hepatitis B",
"nodular cirrhotic liver", "history of colorectal cancer". Those facts decide the
risk tier and whether LI-RADS applies, so leaving them in the text would give a
low-risk answer to a high-risk patient. This module fills the case from what
the reports state (``reports.patient_context``), under three rules:

* **Structured input wins** where it is given; only *unknown* fields are filled.
* **Every filled value says where it came from** (a line in
  ``risk.assumptions`` naming the exam and quoting the report), so a reader can
  check it against the report.
* **A disagreement is shown, and the safer reading is used**: a structured
  ``cirrhosis: false`` against a report that says cirrhotic is an
  ``input_contradiction`` warning naming both sources, and the patient is treated
  as cirrhotic (a missed HCC costs more than an extra MRI; rule
  ``input-contradiction``). For age and sex, where neither reading is safer,
  the structured value is kept and the warning asks for a check.

Only asserted statements are used: negated, hedged, hypothetical and family
statements never fill a field; hedged or hypothetical mentions of a risk factor
that stays unknown are listed as a note, because a clinician may want to ask.
Report statements only ever set a factor to *present*: "no cirrhosis" on one
ultrasound does not make cirrhosis known-absent.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hepcalc.engine.risk import factor_words
from hepcalc.engine.safety import contradiction_warning
from hepcalc.knowledge import KnowledgeBase
from hepcalc.model import RISK_FACTOR_NAMES, Exam, Patient, Sex, Warning
from hepcalc.reports.patient_context import Mention, PatientContext, read_patient_context

_FACTORS = (*RISK_FACTOR_NAMES, "on_chemotherapy")
_AGE_TOLERANCE_YEARS = 1.0  # "62-year-old" written a few months after a birthday
_INFANT_AGE_TOLERANCE_YEARS = 0.1  # about five weeks, for ages under two years


def _words(name: str) -> str:
    if name == "on_chemotherapy":
        return "current or recent chemotherapy"
    return factor_words(name)


@dataclass(frozen=True)
class StatedContext:
    """The patient after filling, and what to tell the reader about it."""

    patient: Patient
    notes: tuple[str, ...] = ()
    warnings: tuple[Warning, ...] = ()
    changed: bool = False
    filled: dict[str, str] = field(default_factory=dict)  # field -> source, for tests/faces


def _source(exam: Exam) -> str:
    """How an exam is named in a note: its id, and its date when known."""
    name = f"exam {exam.id}" if exam.id else "the exam"
    if exam.date is not None and exam.id and exam.date.isoformat() not in exam.id:
        name += f" of {exam.date.isoformat()}"
    return f"the report of {name}"


def _cited(exam: Exam, m: Mention) -> str:
    return f"{_source(exam)}: '{m.quote.rstrip('.;, ')}'"


def _upper_first(words: str) -> str:
    return words[:1].upper() + words[1:]


def _readings(exams: Sequence[Exam]) -> list[tuple[Exam, PatientContext]]:
    """Each exam with report text and what it says, latest exam first."""
    out = []
    for exam in reversed(list(exams)):
        if exam.report_text:
            out.append((exam, read_patient_context(exam.report_text)))
    return out


def _first(
    readings: list[tuple[Exam, PatientContext]], pick
) -> tuple[Exam, Mention] | tuple[None, None]:
    for exam, ctx in readings:
        m = pick(ctx)
        if m is not None:
            return exam, m
    return None, None


@dataclass
class _Filling:
    """What the filling steps accumulate, in the order the reader sees it."""

    kb: KnowledgeBase | None
    notes: list[str] = field(default_factory=list)
    warnings: list[Warning] = field(default_factory=list)
    filled: dict[str, str] = field(default_factory=dict)
    update: dict[str, object] = field(default_factory=dict)

    def contradiction(
        self, path: str, structured: object, stated: object, exam: Exam, m: Mention, safer: str
    ) -> None:
        """Warn that the structured input and a report disagree, quoting the report."""
        self.warnings.append(
            contradiction_warning(
                path,
                structured,
                stated,
                f"{_source(exam)} ('{m.quote.rstrip('.;, ')}')",
                safer=safer,
                kb=self.kb,
            )
        )


def _fill_risk_factors(
    readings: list[tuple[Exam, PatientContext]], patient: Patient, out: _Filling
) -> None:
    """Risk factors and the primary cancer site; a stated factor only ever sets *present*."""
    rf = patient.risk_factors
    rf_update: dict[str, object] = {}
    for name in _FACTORS:
        exam, m = _first(readings, lambda c, n=name: c.risk_factors.get(n))
        if exam is None or m is None:
            continue
        structured = getattr(rf, name)
        if structured is True:
            continue
        rf_update[name] = True
        out.filled[f"risk_factors.{name}"] = _source(exam)
        if structured is None:
            out.notes.append(f"{_upper_first(_words(name))}: taken from {_cited(exam, m)}.")
        else:
            out.contradiction(
                f"risk_factors.{name}",
                structured,
                True,
                exam,
                m,
                safer=f"{_words(name)} is treated as present",
            )

    if rf.primary_cancer_site is None:
        exam, m = _first(readings, lambda c: c.primary_cancer_site)
        if exam is not None and m is not None and m.detail:
            rf_update["primary_cancer_site"] = m.detail
            out.filled["risk_factors.primary_cancer_site"] = _source(exam)
            out.notes.append(f"Primary cancer site {m.detail}: taken from {_cited(exam, m)}.")

    _note_raised_factors(readings, patient, rf_update, out)
    if rf_update:
        out.update["risk_factors"] = rf.model_copy(update=rf_update)


def _note_raised_factors(
    readings: list[tuple[Exam, PatientContext]],
    patient: Patient,
    rf_update: dict[str, object],
    out: _Filling,
) -> None:
    """Hedged or hypothetical mentions of a factor that stays unknown: worth asking about."""
    for name in _FACTORS:
        if getattr(patient.risk_factors, name) is not None or name in rf_update:
            continue
        for exam, ctx in readings:
            raised = [
                m
                for m in ctx.mentions
                if m.name == name
                and (m.hedged or m.hypothetical)
                and not m.negated
                and not m.family
            ]
            if raised:
                out.notes.append(
                    f"{_upper_first(_words(name))} is raised but not stated as a fact in "
                    f"{_cited(exam, raised[0])}; not used as a fact."
                )
                break


def _fill_symptoms(
    readings: list[tuple[Exam, PatientContext]], patient: Patient, out: _Filling
) -> None:
    """Symptoms stated in any report are added to the structured ones."""
    symptoms = list(patient.symptoms)
    for exam, ctx in readings:
        for symptom, m in ctx.symptoms.items():
            if symptom not in symptoms:
                symptoms.append(symptom)
                out.filled[f"symptoms.{symptom.value}"] = _source(exam)
                out.notes.append(
                    f"Symptom {symptom.value.replace('_', ' ')}: taken from {_cited(exam, m)}."
                )
    if len(symptoms) != len(patient.symptoms):
        out.update["symptoms"] = symptoms


def _fill_age(
    readings: list[tuple[Exam, PatientContext]],
    exams: Sequence[Exam],
    patient: Patient,
    out: _Filling,
) -> None:
    """The stated age, moved on to the latest exam; a disagreement keeps the structured age."""
    exam, m = _first(readings, lambda c: c.age)
    if exam is None or m is None:
        return
    stated = float(m.value)
    # ages are at the latest exam (as for FHIR birth dates): a report from two years
    # before the latest exam is two years younger than the patient now
    latest = max((e.date for e in exams if e.date is not None), default=None)
    later = ""
    if exam.date is not None and latest is not None and latest > exam.date:
        stated = min(120.0, stated + (latest - exam.date).days / 365.25)
        stated = round(stated, 1) if stated >= 2 else round(stated, 3)
        later = f" (at the latest exam, {latest.isoformat()})"
    if patient.age is None:
        out.update["age"] = stated
        out.filled["age"] = _source(exam)
        out.notes.append(f"Age {_age_words(stated)}{later}: taken from {_cited(exam, m)}.")
        return
    tolerance = (
        _INFANT_AGE_TOLERANCE_YEARS if min(stated, patient.age) < 2 else _AGE_TOLERANCE_YEARS
    )
    if abs(stated - patient.age) > tolerance:
        out.contradiction(
            "patient.age",
            _age_words(patient.age),
            _age_words(stated),
            exam,
            m,
            safer="the structured age is kept; please check which is right",
        )


def _fill_sex(readings: list[tuple[Exam, PatientContext]], patient: Patient, out: _Filling) -> None:
    """The stated sex fills an unknown one; a disagreement keeps the structured sex."""
    exam, m = _first(readings, lambda c: c.sex)
    if exam is None or m is None:
        return
    if patient.sex is Sex.unknown:
        out.update["sex"] = m.value
        out.filled["sex"] = _source(exam)
        out.notes.append(f"Sex {m.value.value}: taken from {_cited(exam, m)}.")
    elif patient.sex in (Sex.male, Sex.female) and patient.sex is not m.value:
        out.contradiction(
            "patient.sex",
            patient.sex,
            m.value,
            exam,
            m,
            safer="the structured sex is kept; please check which is right",
        )


def apply_report_context(
    patient: Patient, exams: Sequence[Exam], kb: KnowledgeBase | None = None
) -> StatedContext:
    """Fill ``patient``'s unknown fields from the exams' report text (see module docstring)."""
    readings = _readings(exams)
    if not readings:
        return StatedContext(patient=patient)
    out = _Filling(kb=kb)
    _fill_risk_factors(readings, patient, out)
    _fill_symptoms(readings, patient, out)
    _fill_age(readings, exams, patient, out)
    _fill_sex(readings, patient, out)
    if not out.update:
        return StatedContext(patient=patient, notes=tuple(out.notes), warnings=tuple(out.warnings))
    return StatedContext(
        patient=patient.model_copy(update=out.update),
        notes=tuple(out.notes),
        warnings=tuple(out.warnings),
        changed=True,
        filled=out.filled,
    )


def _age_words(years: float) -> str:
    if years >= 2:
        return f"{years:g} years"
    if years >= 1 / 12:
        return f"{years * 12:.1f} months"
    return f"{years * 365.25 / 7:.1f} weeks"
