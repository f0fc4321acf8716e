"""`hepcalc extract REPORT`: liver calcification findings from one free-text report.

Prints a JSON list of findings (each with ``calcified`` and ``evidence``); with
``--verbose`` an object ``{"findings", "excluded", "modality", "background_liver",
"sections", "patient_context"}`` that also shows what was read and deliberately left
out, and why.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from hepcalc.cli.common import read_input
from hepcalc.errors import InputError
from hepcalc.model import MAX_REPORT_CHARS, Modality

# UTF-8 needs at most 4 bytes per character: anything larger cannot be a valid report.
MAX_REPORT_BYTES = MAX_REPORT_CHARS * 4


class ModalityOption(StrEnum):
    US = "US"
    CT = "CT"
    MRI = "MRI"
    XR = "XR"
    PRENATAL_US = "PRENATAL_US"


def load_report_text(path: str) -> str:
    """Read a report file or stdin as UTF-8 text within the documented size limit."""
    data = read_input(path, MAX_REPORT_BYTES)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError([(path, f"not UTF-8 text (byte {e.start})")]) from None
    if len(text) > MAX_REPORT_CHARS:
        raise InputError(
            [(path, f"report is {len(text)} characters; the limit is {MAX_REPORT_CHARS}")]
        )
    return text


def extract_command(
    report: Annotated[str, typer.Argument(help="Report text file, or '-' for stdin.")],
    modality: Annotated[
        ModalityOption | None,
        typer.Option("--modality", "-m", help="Modality of the exam when the text does not say."),
    ] = None,
    verbose: Annotated[
        bool,
        typer.Option("--verbose", "-v", help="Also show excluded mentions, modality, sections."),
    ] = False,
) -> None:
    """Read one radiology report and print its liver calcification findings as JSON."""
    from hepcalc.batch import finding_json
    from hepcalc.reports import read_report
    from hepcalc.reports.patient_context import read_patient_context

    text = load_report_text(report)
    given = Modality(modality.value) if modality is not None else None
    reading = read_report(text, given)
    findings = [finding_json(f) for f in reading.findings]
    if not verbose:
        typer.echo(json.dumps(findings, indent=2, ensure_ascii=False))
        return
    out = {
        "findings": findings,
        "excluded": [e.model_dump(mode="json", exclude_none=True) for e in reading.excluded],
        "modality": reading.modality.value if reading.modality else None,
        "background_liver": reading.background_liver,
        "sections": [s.model_dump(mode="json") for s in reading.sections],
        # additive (issue 13): what the report says about the patient, each mention
        # with its status (asserted, negated, hedged, hypothetical, family)
        "patient_context": read_patient_context(text).to_json()["mentions"],
    }
    typer.echo(json.dumps(out, indent=2, ensure_ascii=False))


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_command)
