"""FHIR R4 input -> Case: the translation every face (REST, CDS Hooks, registry) shares.

A FHIR Bundle (or the resources a CDS client prefetched) carries the same
facts as a Case, spread over resources: Patient (age, sex), Condition (risk
factors from the problem list), DiagnosticReport (one imaging exam each, its
text read later by ``hepcalc.reports``) and Observation (labs). This module
only translates; it decides nothing clinical. Structure is validated with
``fhir.resources`` (R4B models, structurally identical to R4 for these
resources); the code bindings that library does not enforce (statuses) are
checked here, and every problem names the place in the input.

Two modes: ``strict=True`` (REST: the caller sent this Bundle to be assessed,
so anything unusable is an error) and ``strict=False`` (CDS Hooks prefetch:
the EHR sends whatever the chart holds, so reports that are not liver-relevant
imaging are skipped instead of failing the call).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
import re
import threading
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from hepcalc.errors import InputError, from_validation_error, validate_as
from hepcalc.interop import codes
from hepcalc.model import MAX_REPORT_CHARS, Case, Labs, check_exam_date
from hepcalc.regex_cache import re_compile

SUPPORTED_TYPES = frozenset(
    {"Patient", "Condition", "DiagnosticReport", "Observation", "OperationOutcome"}
)

_MODALITY_WORDS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re_compile(r"\b(prenatal|fetal|obstetric)\b.*\b(us|ultrasound|sonograph\w*)\b", re.I),
        "PRENATAL_US",
    ),
    (re_compile(r"\b(ct|cat|computed tomograph\w*)\b", re.I), "CT"),
    (re_compile(r"\b(mri?|mr[ic]p|magnetic resonance)\b", re.I), "MRI"),
    (re_compile(r"\b(us|ultrasound|sonograph\w*|ultrasonograph\w*|sono|duplex)\b", re.I), "US"),
    (re_compile(r"\b(x-?ray|radiograph\w*|xr|kub)\b", re.I), "XR"),
)


@dataclass
class _Located:
    """A resource dict and where it sits in the caller's document (for error paths)."""

    resource: dict[str, Any]
    path: str
    full_url: str | None = None


@dataclass
class CaseBuild:
    """A Case plus what the translation skipped, so a face can say so."""

    case: Case | None
    skipped: list[tuple[str, str]] = field(default_factory=list)


def is_bundle(data: Any) -> bool:
    """True when a JSON document is a FHIR Bundle rather than a Case."""
    return isinstance(data, dict) and data.get("resourceType") == "Bundle"


def _model_class(resource_type: str) -> Any:
    from fhir.resources.R4B import get_fhir_model_class

    return get_fhir_model_class(resource_type)


class _ValidCache:
    """Digests of resources that passed validation, so an identical one is not re-validated.

    Why: building the ``fhir.resources`` models is the dearest step of reading
    FHIR (about 0.1 ms per resource), and CDS Hooks sends the same resources
    again and again: every time a chart is opened, the patient's problem list
    and past reports arrive unchanged. Validation is a pure function of the
    document, so a SHA-256 of its canonical JSON identifies a resource already
    found valid. Only successes are cached (an invalid document is validated
    every time, so its errors and their paths are exactly as before); only
    digests are kept, never content; the count is bounded (oldest dropped).
    """

    def __init__(self, max_items: int = 4096) -> None:
        self.max_items = max_items
        self._digests: OrderedDict[bytes, None] = OrderedDict()
        self._lock = threading.Lock()

    @staticmethod
    def digest(data: dict[str, Any]) -> bytes | None:
        try:
            canonical = json.dumps(data, sort_keys=True, separators=(",", ":"))
        except (TypeError, ValueError, RecursionError):
            return None  # not plain JSON data: validate without the cache
        return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).digest()

    def __contains__(self, digest: bytes) -> bool:
        with self._lock:
            if digest in self._digests:
                self._digests.move_to_end(digest)
                return True
            return False

    def add(self, digest: bytes) -> None:
        with self._lock:
            self._digests[digest] = None
            while len(self._digests) > self.max_items:
                self._digests.popitem(last=False)


_VALID = _ValidCache()


def validate_resource(data: Any, path: str) -> dict[str, Any]:
    """Validate one FHIR R4 resource; return it as a plain dict or raise InputError."""
    if isinstance(data, dict):
        digest = _VALID.digest(data)
        if digest is not None and digest in _VALID:
            return data
        _validate_resource(data, path)
        if digest is not None:
            _VALID.add(digest)
        return data
    return _validate_resource(data, path)


def _validate_resource(data: Any, path: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise InputError([(path, f"must be a FHIR resource object, not {type(data).__name__}")])
    rtype = data.get("resourceType")
    if not isinstance(rtype, str) or not rtype:
        raise InputError([(f"{path}.resourceType" if path else "resourceType", "is required")])
    try:
        cls = _model_class(rtype)
    except Exception:  # fhir.resources raises a bare error for unknown names
        raise InputError(
            [(f"{path}.resourceType" if path else "resourceType", f"unknown FHIR type {rtype!r}")]
        ) from None
    try:
        cls.model_validate(data)
    except ValidationError as exc:
        raise from_validation_error(exc, path) from None
    except RecursionError:
        raise InputError([(path, "nested too deeply")]) from None
    except Exception as exc:
        # fhir_core raises bare KeyError/TypeError for some inputs (an unknown or
        # empty nested resourceType, for one); to a client that is still bad input.
        raise InputError([(path, f"invalid FHIR {rtype} ({type(exc).__name__})")]) from None
    return data


def _check_entry_types(bundle: dict[str, Any], prefix: str) -> None:
    """Name the entry whose resourceType is missing or not FHIR R4.

    Why before validating the Bundle: the FHIR models fail on such an entry with
    a bare KeyError for the whole Bundle, which told the client nothing.
    """
    entries = bundle.get("entry")
    if not isinstance(entries, list):
        return
    for i, entry in enumerate(entries):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if not isinstance(resource, dict):
            continue
        where = f"{prefix}entry[{i}].resource.resourceType"
        rtype = resource.get("resourceType")
        if not isinstance(rtype, str) or not rtype:
            raise InputError([(where, "is required")])
        try:
            _model_class(rtype)
        except Exception:  # fhir.resources raises a bare error for unknown names
            raise InputError([(where, f"unknown FHIR type {rtype[:60]!r}")]) from None


def bundle_entries(bundle: dict[str, Any], path: str = "") -> list[_Located]:
    """Validate a Bundle as FHIR R4 and return its resources with their paths."""
    prefix = f"{path}." if path else ""
    if isinstance(bundle, dict):
        _check_entry_types(bundle, prefix)
    validate_resource(bundle, path)
    out: list[_Located] = []
    for i, entry in enumerate(bundle.get("entry") or []):
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict):
            full_url = entry.get("fullUrl")
            out.append(
                _Located(
                    resource,
                    f"{prefix}entry[{i}].resource",
                    full_url if isinstance(full_url, str) else None,
                )
            )
    return out


def prefetch_entries(prefetch: dict[str, Any]) -> list[_Located]:
    """Resources from a CDS Hooks prefetch: each value a resource, a Bundle, or null."""
    out: list[_Located] = []
    for key in sorted(prefetch):
        value = prefetch[key]
        if value is None:
            continue
        path = f"prefetch.{key}"
        if is_bundle(value):
            out.extend(bundle_entries(value, path))
        else:
            out.append(_Located(validate_resource(value, path), path))
    return out


def case_from_bundle(bundle: dict[str, Any]) -> Case:
    """REST input: a whole Bundle must yield a Case, or an InputError says why not."""
    build = case_from_resources(bundle_entries(bundle), strict=True)
    assert build.case is not None  # strict mode raises instead of returning None
    return build.case


def case_from_resources(entries: Iterable[_Located], *, strict: bool) -> CaseBuild:
    """Translate resources into a Case. Non-strict mode returns case=None if no exam."""
    items = list(entries)
    skipped: list[tuple[str, str]] = []
    for loc in items:
        rtype = loc.resource.get("resourceType")
        if rtype not in SUPPORTED_TYPES:
            if strict:
                raise InputError(
                    [
                        (
                            f"{loc.path}.resourceType",
                            f"{rtype} is not used; a Bundle for hepcalc holds "
                            + ", ".join(sorted(SUPPORTED_TYPES - {"OperationOutcome"})),
                        )
                    ]
                )
            skipped.append((loc.path, f"{rtype} not used"))

    patients = [x for x in items if x.resource.get("resourceType") == "Patient"]
    if len({_patient_key(p.resource) for p in patients}) > 1:
        raise InputError([(patients[1].path, "a Bundle must describe one patient, not several")])
    _check_subjects(items, patients[0] if patients else None)

    exams, exam_paths, more_skipped = _exams(items, strict=strict)
    skipped.extend(more_skipped)
    if not exams:
        if strict:
            raise InputError(
                [
                    (
                        "entry",
                        "no usable imaging DiagnosticReport: one with status final (or "
                        "preliminary, amended, corrected, appended), a conclusion or a text/plain "
                        "presentedForm, and an imaging modality in code",
                    )
                ]
            )
        return CaseBuild(None, skipped)
    if len(exams) > 1 and any(e.get("date") is None for e in exams):
        if strict:
            path = next(p for e, p in zip(exams, exam_paths, strict=True) if e.get("date") is None)
            raise InputError(
                [(f"{path}.effectiveDateTime", "required when there is more than one report")]
            )
        # a chart may hold an undated report: compare the dated ones, say what was left out
        skipped.extend(
            (p, "no date") for e, p in zip(exams, exam_paths, strict=True) if e.get("date") is None
        )
        exams = [e for e in exams if e.get("date") is not None]
        if not exams:
            return CaseBuild(None, skipped)
    as_of = max((e["date"] for e in exams if e.get("date")), default=None)

    patient: dict[str, Any] = {}
    if patients:
        patient.update(_patient(patients[0], as_of))
    risk = _risk_factors([x for x in items if x.resource.get("resourceType") == "Condition"])
    if risk:
        patient["risk_factors"] = risk
    labs = _labs(
        [x for x in items if x.resource.get("resourceType") == "Observation"], strict=strict
    )
    if labs:
        patient["labs"] = labs
    exam_data: list[dict[str, Any]] = [dict(e) for e in exams]
    for e in exam_data:
        if e.get("date") is not None:
            e["date"] = e["date"].isoformat()
    data = {"patient": patient, "exams": exam_data}
    return CaseBuild(validate_as(Case, data), skipped)


# ---------------------------------------------------------------------------
# pieces
# ---------------------------------------------------------------------------


def _patient_key(resource: dict[str, Any]) -> str:
    return str(resource.get("id") or id(resource))


# Resources that are about one patient, and the element that names them.
_SUBJECT_OF = {"Condition": "subject", "DiagnosticReport": "subject", "Observation": "subject"}


def _reference_key(reference: str) -> str:
    """'http://x/fhir/Patient/p1/_history/2' -> 'Patient/p1' (relative form, no version)."""
    ref = reference.split("/_history/", 1)[0].rstrip("/")
    parts = ref.split("/")
    return "/".join(parts[-2:]) if len(parts) >= 2 else ref


def _check_subjects(items: list[_Located], patient: _Located | None) -> None:
    """Every clinical resource must be about the one patient (422 naming the entry).

    Why: a report of another patient merged into this one's growth track would
    compare two people's calcifications and schedule from the wrong history.
    The patient is the Bundle's Patient resource; without one, the first
    subject named. A resource that names no subject cannot contradict it.
    """
    expected: set[str] = set()
    described = "the Bundle's Patient"
    if patient is not None:
        pid = patient.resource.get("id")
        if isinstance(pid, str) and pid:
            expected.add(f"Patient/{pid}")
        if patient.full_url:
            expected.add(patient.full_url)
    for loc in items:
        element = _SUBJECT_OF.get(str(loc.resource.get("resourceType")))
        subject = loc.resource.get(element) if element else None
        reference = subject.get("reference") if isinstance(subject, dict) else None
        if not isinstance(reference, str) or not reference:
            continue
        keys = {reference, _reference_key(reference)}
        if not expected:
            expected = keys
            described = f"the first subject ({_reference_key(reference)[:80]})"
            continue
        if not keys & expected:
            raise InputError(
                [
                    (
                        f"{loc.path}.{element}",
                        f"refers to {_reference_key(reference)[:80]!r}, not {described}: "
                        "every resource must be about one patient",
                    )
                ]
            )


def _parse_date(value: Any) -> dt.date | None:
    """A FHIR date/dateTime string -> date; partial dates (YYYY, YYYY-MM) -> None."""
    if not isinstance(value, str) or len(value) < 10:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


# Oldest plausible birth date: no one alive, and no imaging record, predates it.
EARLIEST_BIRTH_DATE = dt.date(1880, 1, 1)


def _birth_date(birth: str) -> dt.date | None:
    """Patient.birthDate (YYYY, YYYY-MM, YYYY-MM-DD) -> a date, partial ones mid-period."""
    if re.fullmatch(r"\d{4}", birth):
        return dt.date(int(birth), 7, 1)
    if re.fullmatch(r"\d{4}-\d{2}", birth):
        try:
            return dt.date(int(birth[:4]), int(birth[5:7]), 15)
        except ValueError:
            return None
    return _parse_date(birth)


def _check_birth_date(birth: Any, path: str) -> None:
    """A birth date in the future or before 1880 is a typing error, not an unknown age."""
    if not isinstance(birth, str):
        return
    born = _birth_date(birth)
    if born is None:
        return
    # one day of slack: the client's calendar may already be on tomorrow
    latest = dt.datetime.now(dt.UTC).date() + dt.timedelta(days=1)
    if born > latest:
        raise InputError([(f"{path}.birthDate", "is in the future")])
    if born < EARLIEST_BIRTH_DATE:
        raise InputError([(f"{path}.birthDate", f"is before {EARLIEST_BIRTH_DATE}")])


def _age_years(birth: str, as_of: dt.date) -> float | None:
    """Age at the latest exam; partial birth dates are placed mid-period (documented)."""
    born = _birth_date(birth)
    if born is None:
        return None
    days = (as_of - born).days
    if days < 0:
        return None
    years = days / 365.25
    # infants keep a fraction (ages in months matter there); adults whole years
    return round(years, 2) if years < 2 else float(int(years))


def _patient(loc: _Located, as_of: dt.date | None) -> dict[str, Any]:
    res = loc.resource
    out: dict[str, Any] = {}
    gender = res.get("gender")
    if gender in ("female", "male", "other", "unknown"):
        out["sex"] = gender
    elif gender is not None:
        raise InputError([(f"{loc.path}.gender", f"unknown code {gender!r}")])
    birth = res.get("birthDate")
    _check_birth_date(birth, loc.path)
    if isinstance(birth, str) and as_of is not None:
        age = _age_years(birth, as_of)
        if age is not None and age <= 120:
            out["age"] = age
    return out


def _codings(concept: Any) -> list[tuple[str, str]]:
    if not isinstance(concept, dict):
        return []
    return [
        (str(c.get("system", "")), str(c.get("code", "")))
        for c in concept.get("coding") or []
        if isinstance(c, dict)
    ]


def _status_code(concept: Any) -> str | None:
    for _system, code in _codings(concept):
        if code:
            return code
    return None


def _risk_factors(conditions: list[_Located]) -> dict[str, bool]:
    """Problem-list Conditions -> flags: present -> True, refuted -> False, else unknown.

    A problem list that does not mention cirrhosis does not show its absence,
    so nothing is ever set to False except by an explicit ``refuted``.
    """
    out: dict[str, bool] = {}
    for loc in conditions:
        res = loc.resource
        factors = {
            codes.CONDITION_RISK_FACTORS[key]
            for key in _codings(res.get("code"))
            if key in codes.CONDITION_RISK_FACTORS
        }
        if not factors:
            continue
        verification = _status_code(res.get("verificationStatus"))
        clinical = _status_code(res.get("clinicalStatus"))
        for factor in sorted(factors):
            if verification == codes.CONDITION_REFUTED:
                out.setdefault(factor, False)
                continue
            if verification in codes.CONDITION_IGNORED_VERIFICATION:
                continue
            if (
                clinical is None
                or clinical in codes.CONDITION_ACTIVE_STATUSES
                or (
                    clinical in codes.CONDITION_PAST_STATUSES
                    and factor in codes.HISTORY_RISK_FACTORS
                )
            ):
                out[factor] = True
    return out


def _upper_limit(res: dict[str, Any], units: frozenset[str]) -> float | None:
    """The laboratory's own upper reference limit (``referenceRange[0].high``), if usable.

    Only a numeric limit in an accepted unit counts; anything else is ignored and
    the engine falls back to its typical default (and says so).
    """
    ranges = res.get("referenceRange")
    if not isinstance(ranges, list) or not ranges or not isinstance(ranges[0], dict):
        return None
    high = ranges[0].get("high")
    if not isinstance(high, dict):
        return None
    value = high.get("value")
    unit = high.get("code") or high.get("unit")
    if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
        return None
    return float(value) if unit in units else None


def _lab_target(res: dict[str, Any]) -> tuple[str, frozenset[str]] | None:
    """The Labs field and accepted units for a lab Observation's LOINC code, if known."""
    for system, code in _codings(res.get("code")):
        if system == codes.LOINC and code in codes.LAB_CODES:
            return codes.LAB_CODES[code]
    return None


def _lab_value(loc: _Located, name: str, units: frozenset[str], *, strict: bool) -> float | None:
    """The Observation's numeric value if usable: numeric, in an accepted unit, plausible.

    Strict mode raises InputError naming the path; lenient mode skips the value (None).
    """
    qty = loc.resource.get("valueQuantity")
    if not isinstance(qty, dict) or not isinstance(qty.get("value"), int | float):
        if strict:
            raise InputError([(f"{loc.path}.valueQuantity", "a numeric value is required")])
        return None
    unit = qty.get("code") or qty.get("unit")
    if unit not in units:
        if strict:
            raise InputError(
                [
                    (
                        f"{loc.path}.valueQuantity.code",
                        f"unit {unit!r} not accepted for {name}; use one of "
                        + ", ".join(sorted(units)),
                    )
                ]
            )
        return None
    try:
        validate_as(Labs, {name: qty["value"]}, f"{loc.path}.valueQuantity.value")
    except InputError as e:
        if strict:
            raise InputError([(f"{loc.path}.valueQuantity.value", e.problems[0][1])]) from None
        return None
    return float(qty["value"])


def _with_limits(best: dict[str, tuple[dt.date, float, float | None]]) -> dict[str, float]:
    """Each lab value plus its laboratory's upper limit where the Labs model has a field."""
    out: dict[str, float] = {}
    for name, (_date, value, limit) in sorted(best.items()):
        out[name] = value
        limit_field = name.replace("_", "_uln_", 1)  # afp_ng_ml -> afp_uln_ng_ml
        if limit is not None and limit_field in Labs.model_fields:
            try:
                validate_as(Labs, {limit_field: limit})
            except InputError:
                continue  # an implausible limit is ignored, like a missing one
            out[limit_field] = limit
    return out


def _labs(observations: list[_Located], *, strict: bool) -> dict[str, float]:
    """Lab Observations -> Case labs; the latest value of each wins, with its own limit."""
    best: dict[str, tuple[dt.date, float, float | None]] = {}
    for loc in observations:
        res = loc.resource
        if res.get("status") in ("entered-in-error", "cancelled"):
            continue
        target = _lab_target(res)
        if target is None:
            continue
        name, units = target
        value = _lab_value(loc, name, units, strict=strict)
        if value is None:
            continue
        when = _parse_date(res.get("effectiveDateTime")) or _parse_date(res.get("issued"))
        key_date = when or dt.date.min
        if name not in best or key_date >= best[name][0]:
            best[name] = (key_date, value, _upper_limit(res, units))
    return _with_limits(best)


def modality_of(report: dict[str, Any]) -> str | None:
    """Imaging modality from the study name (text/display), else the LOINC code."""
    code = report.get("code")
    concept: dict[str, Any] = code if isinstance(code, dict) else {}
    names = [str(concept.get("text") or "")]
    names += [
        str(c.get("display") or "") for c in concept.get("coding") or [] if isinstance(c, dict)
    ]
    for name in names:
        for pattern, modality in _MODALITY_WORDS:
            if name and pattern.search(name):
                return modality
    for system, code in _codings(concept):
        if system == codes.LOINC and code in codes.IMAGING_LOINC_MODALITY:
            return codes.IMAGING_LOINC_MODALITY[code]
    return None


def report_text(report: dict[str, Any], path: str) -> str | None:
    """The report's words: a text/plain presentedForm if any, else the conclusion."""
    for i, att in enumerate(report.get("presentedForm") or []):
        if not isinstance(att, dict) or not att.get("data"):
            continue
        ctype = str(att.get("contentType") or "text/plain").split(";")[0].strip().lower()
        if ctype != "text/plain":
            continue
        try:
            raw = base64.b64decode(att["data"], validate=True)
            text = raw.decode("utf-8")
        except (binascii.Error, ValueError):
            raise InputError(
                [(f"{path}.presentedForm[{i}].data", "not base64-encoded UTF-8 text")]
            ) from None
        if text.strip():
            return text
    conclusion = report.get("conclusion")
    if isinstance(conclusion, str) and conclusion.strip():
        return conclusion
    return None


def _exams(
    items: list[_Located], *, strict: bool
) -> tuple[list[dict[str, Any]], list[str], list[tuple[str, str]]]:
    exams: list[dict[str, Any]] = []
    paths: list[str] = []
    skipped: list[tuple[str, str]] = []
    seen_ids: set[str] = set()
    for loc in items:
        res = loc.resource
        if res.get("resourceType") != "DiagnosticReport":
            continue
        status = res.get("status")
        if status not in codes.DIAGNOSTIC_REPORT_STATUSES:
            raise InputError([(f"{loc.path}.status", f"unknown code {status!r}")])
        if status in codes.DIAGNOSTIC_REPORT_UNUSABLE:
            skipped.append((loc.path, f"status {status}"))
            continue
        modality = modality_of(res)
        if modality is None:
            if strict:
                raise InputError(
                    [
                        (
                            f"{loc.path}.code",
                            "cannot tell the imaging modality: give code.text such as "
                            "'CT abdomen' or a LOINC imaging code",
                        )
                    ]
                )
            skipped.append((loc.path, "not an imaging report"))
            continue
        text = report_text(res, loc.path)
        if text is None:
            if strict:
                raise InputError(
                    [(loc.path, "needs a conclusion or a text/plain presentedForm to read")]
                )
            skipped.append((loc.path, "no text"))
            continue
        if len(text) > MAX_REPORT_CHARS:
            raise InputError([(loc.path, f"report text longer than {MAX_REPORT_CHARS} chars")])
        raw_period = res.get("effectivePeriod")
        period: dict[str, Any] = raw_period if isinstance(raw_period, dict) else {}
        date = None
        for name, value in (
            ("effectiveDateTime", res.get("effectiveDateTime")),
            ("effectivePeriod.start", period.get("start")),
            ("issued", res.get("issued")),
        ):
            date = _parse_date(value)
            if date is not None:
                try:
                    check_exam_date(date)
                except ValueError as e:
                    raise InputError([(f"{loc.path}.{name}", str(e))]) from None
                break
        exam: dict[str, Any] = {"modality": modality, "report_text": text, "date": date}
        rid = res.get("id")
        if isinstance(rid, str) and rid and rid not in seen_ids and len(rid) <= 80:
            exam["id"] = rid
            seen_ids.add(rid)
        exams.append(exam)
        paths.append(loc.path)
    return exams, paths, skipped
