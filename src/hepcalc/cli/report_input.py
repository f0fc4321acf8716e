"""`hepcalc assess report.txt`: a plain-text report read as one exam (issue 13).

A new user's first try is to hand ``assess`` the report they have. Reading
that as YAML gives "malformed YAML at line 18", which says nothing useful, so
the input is classified first:

* a case: JSON (``{``/``[``), a ``.json``/``.yaml``/``.yml`` file, or YAML with a
  top-level ``exams:``/``patient:`` key;
* a report: anything else that is text (``.txt`` files always), read as one
  exam's report; the modality comes from ``--modality`` or the report's title or
  technique, the patient from options (``--age``, ``--cirrhosis`` ...) and from
  what the report states (the engine fills unknown fields from the text);
* neither (binary data, an empty file): a clear message saying how to pass a
  report or a case.

No clinical logic here: this only builds a Case; the engine decides.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import PurePath
from typing import Any

from hepcalc.errors import InputError, parse_document, validate_as
from hepcalc.model import MAX_REPORT_CHARS, Case
from hepcalc.regex_cache import re_compile

HOW_TO = (
    "pass a case as JSON/YAML, or a report as plain UTF-8 text "
    "(e.g. 'hepcalc assess report.txt --modality US'; "
    "'--input-format text' for a report on stdin)"
)
_CASE_SUFFIXES = frozenset({".json", ".yaml", ".yml"})
_TEXT_SUFFIXES = frozenset({".txt", ".text", ".rpt", ".report"})
_CASE_KEY = re_compile(r"^(?:exams|patient|id)[ \t]*:", re.M)
_CONTROL = re_compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_MAX_CONTROL_FRACTION = 0.01


_FLAG_OF = {
    "chronic_hbv": "--hbv",
    "chronic_hcv": "--hcv",
    "extrahepatic_malignancy": "--known-cancer",
    "primary_cancer_site": "--known-cancer",
}


class InputFormat(StrEnum):
    auto = "auto"
    case = "case"
    text = "text"


@dataclass
class ReportOptions:
    """Exam and patient details given on the command line for a report."""

    modality: str | None = None
    date: str | None = None
    age: float | None = None
    sex: str | None = None
    risk_factors: dict[str, Any] = field(default_factory=dict)

    def given(self) -> list[str]:
        """The options set, by their flag names (to refuse them beside a case file)."""
        names = []
        for flag, value in (
            ("--modality", self.modality),
            ("--date", self.date),
            ("--age", self.age),
            ("--sex", self.sex),
        ):
            if value is not None:
                names.append(flag)
        for key in self.risk_factors:
            flag = _FLAG_OF.get(key, f"--{key.replace('_', '-')}")
            if flag not in names:
                names.append(flag)
        return names


def _decode(data: bytes, source: str) -> str:
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        raise InputError(
            [
                (
                    source,
                    f"not UTF-8 text (byte {e.start}): binary data is neither a case nor a "
                    f"report; {HOW_TO}",
                )
            ]
        ) from None
    if "\x00" in text or len(_CONTROL.findall(text[:100_000])) > _MAX_CONTROL_FRACTION * min(
        len(text), 100_000
    ):
        raise InputError(
            [(source, f"binary data (control characters), neither a case nor a report; {HOW_TO}")]
        )
    return text


def classify(data: bytes, source: str, forced: InputFormat = InputFormat.auto) -> InputFormat:
    """Whether ``data`` is a case or a report (see the module docstring)."""
    if forced is not InputFormat.auto:
        return forced
    suffix = PurePath(source).suffix.lower() if source != "-" else ""
    if suffix in _CASE_SUFFIXES:
        return InputFormat.case
    if suffix in _TEXT_SUFFIXES:
        return InputFormat.text
    text = _decode(data, source)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise InputError([(source, f"is empty; {HOW_TO}")])
    if stripped[0] in "{[" or stripped.startswith("---") or _CASE_KEY.search(text):
        return InputFormat.case
    return InputFormat.text


def case_from_report(data: bytes, source: str, options: ReportOptions) -> Case:
    """One exam's report text (and command-line details) as a Case."""
    text = _decode(data, source).lstrip("\ufeff")
    if not text.strip():
        raise InputError([(source, f"is empty; {HOW_TO}")])
    if len(text) > MAX_REPORT_CHARS:
        raise InputError(
            [
                (
                    source,
                    f"read as a report, it is {len(text)} characters; the limit for one "
                    f"exam's report is {MAX_REPORT_CHARS}. Pass one report per file, or a "
                    "case (JSON/YAML) with one exam per report",
                )
            ]
        )
    modality = options.modality
    if modality is None:
        from hepcalc.reports import read_report

        stated = read_report(text).modality
        if stated is None:
            raise InputError(
                [
                    (
                        source,
                        "read as a report, but the modality is not stated in its title or "
                        "technique: pass --modality US|CT|MRI|XR|PRENATAL_US (a case file "
                        "needs an 'exams' list)",
                    )
                ]
            )
        modality = stated.value
    exam: dict[str, Any] = {"modality": modality.upper(), "report_text": text}
    if options.date is not None:
        exam["date"] = options.date
    patient: dict[str, Any] = {}
    if options.age is not None:
        patient["age"] = options.age
    if options.sex is not None:
        patient["sex"] = options.sex
    if options.risk_factors:
        patient["risk_factors"] = dict(options.risk_factors)
    return validate_as(Case, {"patient": patient, "exams": [exam]})


def load(data: bytes, source: str, forced: InputFormat, options: ReportOptions) -> Case:
    """The Case to assess from a file given to ``hepcalc assess``, whatever its kind."""
    kind = classify(data, source, forced)
    if kind is InputFormat.text:
        return case_from_report(data, source, options)
    given = options.given()
    if given:
        raise InputError(
            [
                (
                    source,
                    f"{', '.join(given)} apply to a report text; for a case file put the "
                    "exam and patient details in the file",
                )
            ]
        )
    try:
        parsed = parse_document(data, source=source)
    except InputError as e:
        if _looks_like_prose(data):
            raise InputError(
                [
                    (
                        source,
                        "this looks like a report, not a case (JSON/YAML): "
                        f"{e.message.split(': ', 1)[-1]}. To read it as one exam's report use "
                        "'--input-format text' (or a .txt file) with --modality",
                    )
                ]
            ) from None
        raise
    is_case_like = isinstance(parsed, dict) and bool({"exams", "patient", "id"} & set(parsed))
    if not is_case_like and _looks_like_prose(data):
        raise InputError(
            [
                (
                    source,
                    "this looks like a report, not a case (JSON/YAML): use "
                    "'--input-format text' (or a .txt file) with --modality",
                )
            ]
        )
    return validate_as(Case, parsed)


def _looks_like_prose(data: bytes) -> bool:
    """Text with no JSON start and no top-level case key: a report, not a case."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    stripped = text.lstrip("\ufeff \t\r\n")
    return bool(stripped) and stripped[0] not in "{[" and not _CASE_KEY.search(text)
