"""FHIR R4 output: a ``collection`` Bundle a receiving EHR can file or review.

Contents (see docs/renderings.md for the mapping and the code checks):
- one imaging **Observation** per finding: category ``imaging``, body site SNOMED CT
  10200004 |Liver structure|, value 18115005 |Pathologic calcification| for
  calcified findings. Hepatic calcification has no pre-coordinated SNOMED CT
  concept, so ``code`` carries the post-coordinated expression (clinical finding
  with finding site liver and morphology calcification) plus text, and a note says so;
- a **DiagnosticReport** (LOINC 18748-4 "Diagnostic imaging study") whose
  ``conclusion`` is the IMPRESSION sentence, pointing at the Observations;
- one **ServiceRequest** (status draft, intent proposal) per recommendation that asks
  for something, with its timing: an ``occurrencePeriod`` when the index exam date is
  known, otherwise an ``occurrenceTiming`` relative to it;
- one **RiskAssessment** with the risk tier and what is unknown.

Ids are UUIDs derived from the content (uuid5), never random and never from the
clock, so the same Assessment always gives the same bytes. The Patient is a
placeholder entry: an integrator replaces the reference with the real patient.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import json
import uuid
from html import escape as html_escape
from typing import Any

from hepcalc.model import Action, Assessment, FindingResult, Recommendation, RiskTier
from hepcalc.regex_cache import re_compile
from hepcalc.render import words
from hepcalc.render.sentence import impression_sentence
from hepcalc.render.tidy import clean
from hepcalc.render.view import evidence_keys

SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
V2_0074 = "http://terminology.hl7.org/CodeSystem/v2-0074"
RISK_PROBABILITY = "http://terminology.hl7.org/CodeSystem/risk-probability"
HEPCALC_CS = "urn:hepcalc:codesystem"

# Codes checked against authoritative sources (docs/renderings.md lists where).
LIVER_STRUCTURE = {"system": SNOMED, "code": "10200004", "display": "Liver structure"}
PATHOLOGIC_CALCIFICATION = {
    "system": SNOMED,
    "code": "18115005",
    "display": "Pathologic calcification, calcified structure",
}
# Post-coordinated: 404684003 |Clinical finding| : 363698007 |Finding site| = liver,
# 116676008 |Associated morphology| = pathologic calcification.
HEPATIC_CALCIFICATION_EXPRESSION = "404684003:{363698007=10200004,116676008=18115005}"
DIAGNOSTIC_IMAGING_STUDY = {
    "system": LOINC,
    "code": "18748-4",
    "display": "Diagnostic imaging study",
}
US_ABDOMEN_RUQ = {"system": LOINC, "code": "24532-4", "display": "US Abdomen RUQ"}

IMAGING_ACTIONS = frozenset(
    {
        Action.follow_up_imaging,
        Action.surveillance_imaging,
        Action.hcc_surveillance,
        Action.noncontrast_ct,
        Action.characterize_contrast_imaging,
    }
)

QUALITATIVE_RISK = {RiskTier.low: "low", RiskTier.high: "high"}


class _Ids:
    """Deterministic urn:uuid ids, namespaced by the Assessment's own content."""

    def __init__(self, a: Assessment) -> None:
        digest = hashlib.sha256(a.to_json().encode()).hexdigest()
        self.ns = uuid.uuid5(uuid.NAMESPACE_URL, f"urn:hepcalc:assessment:{digest}")

    def __call__(self, name: str) -> str:
        return f"urn:uuid:{uuid.uuid5(self.ns, name)}"


def add_months(day: dt.date, months: float) -> dt.date:
    """Calendar month arithmetic (fractional months as 30-day parts), end-of-month safe."""
    whole = int(months)
    extra_days = round((months - whole) * 30)
    y, m = divmod(day.month - 1 + whole, 12)
    year, month = day.year + y, m + 1
    d = min(day.day, calendar.monthrange(year, month)[1])
    return dt.date(year, month, d) + dt.timedelta(days=extra_days)


def index_date(a: Assessment, track: str | None) -> dt.date | None:
    """Date of the latest exam (of the track when given): intervals count from it."""
    dates = [
        p.date
        for g in a.growth
        if track is None or g.track == track
        for p in g.points
        if p.date is not None
    ]
    if not dates and track is not None:
        return index_date(a, None)
    return max(dates) if dates else None


def _quantity(value: float, unit: str, code: str) -> dict[str, Any]:
    return {"value": value, "unit": unit, "system": UCUM, "code": code}


# ASCII punctuation that markdown gives a meaning (links, emphasis, HTML, headings).
_MARKDOWN_SPECIAL = re_compile(r"([\\`*_{}\[\]()#+\-.!<>|~&:])")


def markdown_text(client_text: str) -> str:
    """A client's string (a track name, an exam id) as literal text in FHIR markdown.

    ``Annotation.text`` is markdown: a track named ``[open](http://evil)`` or
    ``<img src=x onerror=...>`` would become a link or HTML in the EHR's view
    (issue 16). CommonMark lets any ASCII punctuation be backslash-escaped.
    """
    return _MARKDOWN_SPECIAL.sub(r"\\\1", client_text)


def _text_code(text: str, system_code: str | None = None) -> dict[str, Any]:
    cc: dict[str, Any] = {"text": text}
    if system_code:
        cc["coding"] = [{"system": HEPCALC_CS, "code": system_code}]
    return cc


def _observation(f: FindingResult, patient: str) -> dict[str, Any]:
    code: dict[str, Any]
    if f.calcified:
        code = {
            "coding": [
                {
                    "system": SNOMED,
                    "code": HEPATIC_CALCIFICATION_EXPRESSION,
                    "display": "Clinical finding: finding site liver, morphology calcification",
                }
            ],
            "text": f"Hepatic {f.kind.value}"
            + ("" if f.kind.value == "calcification" else ", calcified"),
        }
    else:
        code = {"text": f"Hepatic {f.kind.value}, not calcified"}
    components: list[dict[str, Any]] = [
        {
            "code": _text_code("hepcalc category", "category"),
            "valueCodeableConcept": _text_code(f.category.value, f.category.value),
        }
    ]
    if f.latest_size_mm is not None:
        components.append(
            {
                "code": {"text": "Longest diameter"},
                "valueQuantity": _quantity(f.latest_size_mm, "mm", "mm"),
            }
        )
    if f.calcification_size_mm is not None:
        components.append(
            {
                "code": {"text": "Longest diameter of the calcification within the lesion"},
                "valueQuantity": _quantity(f.calcification_size_mm, "mm", "mm"),
            }
        )
    if f.pattern is not None:
        components.append(
            {"code": {"text": "Calcification pattern"}, "valueString": f.pattern.value}
        )
    components.append({"code": {"text": "Count"}, "valueString": str(f.count)})
    place = words.clinician_place(f.location)
    obs: dict[str, Any] = {
        "resourceType": "Observation",
        "status": "preliminary",
        "category": [
            {"coding": [{"system": OBS_CATEGORY, "code": "imaging", "display": "Imaging"}]}
        ],
        "code": code,
        "subject": {"reference": patient},
        "bodySite": {"coding": [LIVER_STRUCTURE], "text": f"Liver{', ' + place if place else ''}"},
        "component": components,
        "note": [
            {
                "text": "No pre-coordinated SNOMED CT concept exists for hepatic calcification; "
                "code is the post-coordinated expression 404684003:{363698007=10200004,"
                "116676008=18115005}. Finding "
                + markdown_text(f.track)
                + "; exams "
                + ", ".join(markdown_text(e) for e in f.exams)
                + "."
            }
        ],
    }
    if f.calcified:
        obs["valueCodeableConcept"] = {
            "coding": [PATHOLOGIC_CALCIFICATION],
            "text": "Calcification present",
        }
    else:
        obs["valueCodeableConcept"] = {"text": f.category.value}
    return obs


def _service_code(rec: Recommendation, prenatal: bool) -> dict[str, Any]:
    text = words.clinician_action(rec)
    text = text[0].upper() + text[1:]
    if rec.action in IMAGING_ACTIONS:
        modality = (rec.modality or "").upper()
        if rec.action is Action.noncontrast_ct:
            modality = "CT"
        use_ruq = modality == "US" and not prenatal
        coding = US_ABDOMEN_RUQ if use_ruq else DIAGNOSTIC_IMAGING_STUDY
        return {"coding": [coding, {"system": HEPCALC_CS, "code": rec.action.value}], "text": text}
    return {"coding": [{"system": HEPCALC_CS, "code": rec.action.value}], "text": text}


def _occurrence(a: Assessment, rec: Recommendation) -> dict[str, Any]:
    interval = rec.interval_months
    if not interval:
        return {}
    lo, hi = interval[0], interval[-1]
    repeated = rec.action in (Action.surveillance_imaging, Action.hcc_surveillance)
    start = index_date(a, rec.track)
    if not repeated and start is not None:
        return {
            "occurrencePeriod": {
                "start": add_months(start, lo).isoformat(),
                "end": add_months(start, hi).isoformat(),
            }
        }
    repeat: dict[str, Any] = {"frequency": 1, "period": lo if lo > 0 else hi, "periodUnit": "mo"}
    if hi != lo and lo > 0:
        repeat["periodMax"] = hi
    when = f"{words.months_range(interval)} months"
    if repeated:
        if rec.duration_months:
            repeat["boundsDuration"] = {
                "value": rec.duration_months,
                "unit": "mo",
                "system": UCUM,
                "code": "mo",
            }
        text = f"every {when}" + (
            f" for {words.num(rec.duration_months)} months" if rec.duration_months else ""
        )
    else:
        repeat["count"] = 1
        text = f"once, {when} after the index examination"
    if start is not None and "boundsDuration" not in repeat:
        repeat["boundsPeriod"] = {"start": start.isoformat()}
    return {"occurrenceTiming": {"repeat": repeat, "code": {"text": text}}}


def _service_request(
    a: Assessment, rec: Recommendation, patient: str, report: str, obs_by_track: dict[str, str]
) -> dict[str, Any]:
    sr: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "code": _service_code(rec, words.is_prenatal(a)),
        "subject": {"reference": patient},
        "supportingInfo": [{"reference": report}],
        "note": [
            {
                "text": f"{clean(rec.rationale)} (hepcalc rule {rec.rule}; citations: "
                f"{', '.join(evidence_keys(rec.citations)) or 'none'})"
            }
        ],
    }
    sr.update(_occurrence(a, rec))
    if rec.track and rec.track in obs_by_track:
        sr["reasonReference"] = [{"reference": obs_by_track[rec.track]}]
    if rec.assumptions:
        sr["note"].append({"text": "Assumes: " + "; ".join(rec.assumptions)})
    return sr


def _risk_assessment(a: Assessment, patient: str, observations: list[str]) -> dict[str, Any]:
    rationale = f"hepcalc risk tier {a.risk.tier.value}"
    if a.risk.factors:
        rationale += "; factors: " + ", ".join(a.risk.factors)
    if a.risk.unknown:
        rationale += "; unknown (not assumed absent): " + ", ".join(a.risk.unknown)
    prediction: dict[str, Any] = {
        "outcome": {"text": "Hepatic malignancy (population risk group, ACR incidental findings)"},
        "rationale": rationale,
    }
    if a.risk.tier in QUALITATIVE_RISK:
        prediction["qualitativeRisk"] = {
            "coding": [{"system": RISK_PROBABILITY, "code": QUALITATIVE_RISK[a.risk.tier]}]
        }
    ra: dict[str, Any] = {
        "resourceType": "RiskAssessment",
        "status": "preliminary",
        "subject": {"reference": patient},
        "method": {"text": f"hepcalc decision support, knowledge base {a.kb_version}"},
        "prediction": [prediction],
        "mitigation": "; ".join(words.clinician_action(r) for r in a.recommendations),
    }
    if observations:
        ra["basis"] = [{"reference": o} for o in observations]
    if a.risk.assumptions:
        ra["note"] = [{"text": "Assumptions: " + "; ".join(a.risk.assumptions)}]
    return ra


def narrative_div(text: str) -> str:
    """Plain text as a FHIR narrative: escaped XHTML, one <p> per line."""
    paragraphs = [html_escape(line.strip()) for line in text.splitlines() if line.strip()]
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    return f'<div xmlns="http://www.w3.org/1999/xhtml">{body}</div>'


def report_narrative(a: Assessment, audience: str) -> str:
    """The DiagnosticReport's human-readable text for the reader: note or patient text."""
    if audience == "patient":
        from hepcalc.render.patient import render_patient_text

        return render_patient_text(a)
    from hepcalc.render.note import render_note

    return render_note(a)


def fhir_bundle(a: Assessment, audience: str = "clinician") -> dict[str, Any]:
    """The Bundle as a JSON-ready dict; the report narrative is written for ``audience``."""
    ids = _Ids(a)
    patient = ids("patient")
    report = ids("report")
    entries: list[dict[str, Any]] = [
        {
            "fullUrl": patient,
            "resource": {
                "resourceType": "Patient",
                "active": True,
                "text": {
                    "status": "generated",
                    "div": '<div xmlns="http://www.w3.org/1999/xhtml">Placeholder patient: '
                    "replace with the real Patient reference.</div>",
                },
            },
        }
    ]
    obs_by_track: dict[str, str] = {}
    for f in a.findings:
        url = ids(f"observation:{f.track}")
        obs_by_track[f.track] = url
        entries.append({"fullUrl": url, "resource": _observation(f, patient)})
    entries.append(
        {
            "fullUrl": report,
            "resource": {
                "resourceType": "DiagnosticReport",
                "text": {
                    "status": "generated",
                    "div": narrative_div(report_narrative(a, audience)),
                },
                "status": "preliminary",
                "category": [
                    {"coding": [{"system": V2_0074, "code": "RAD", "display": "Radiology"}]}
                ],
                "code": {
                    "coding": [DIAGNOSTIC_IMAGING_STUDY],
                    "text": "Liver calcification assessment",
                },
                "subject": {"reference": patient},
                "result": [{"reference": u} for u in obs_by_track.values()],
                "conclusion": impression_sentence(a).strip(),
            },
        }
    )
    for i, rec in enumerate(a.recommendations):
        if rec.action is Action.no_further_workup:
            continue
        entries.append(
            {
                "fullUrl": ids(f"servicerequest:{i}"),
                "resource": _service_request(a, rec, patient, report, obs_by_track),
            }
        )
    entries.append(
        {
            "fullUrl": ids("riskassessment"),
            "resource": _risk_assessment(a, patient, list(obs_by_track.values())),
        }
    )
    return {"resourceType": "Bundle", "type": "collection", "entry": entries}


def render_fhir(a: Assessment, audience: str = "clinician") -> str:
    return json.dumps(fhir_bundle(a, audience), indent=2, ensure_ascii=False) + "\n"
