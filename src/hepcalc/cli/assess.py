"""`hepcalc assess CASE`: one case file (JSON or YAML, '-' for stdin) to an Assessment.

A plain-text report is accepted too (``hepcalc assess report.txt --modality US``):
``cli/report_input.py`` tells a report from a case and builds the one-exam Case.
"""

from __future__ import annotations

from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from hepcalc.cli import report_input
from hepcalc.cli.common import read_input
from hepcalc.errors import MAX_INPUT_BYTES, parse_document, validate_as
from hepcalc.model import Case, Modality
from hepcalc.render import formats

# The choices come from the one list of output formats (render/formats.py), read
# when this module is imported: a format registered before the CLI is loaded is
# offered, listed in --help and validated by the parser like the built-in ones.
if TYPE_CHECKING:
    FormatChoice = str
    AudienceChoice = str
    LanguageChoice = str
else:
    FormatChoice = Literal[formats.names()]
    AudienceChoice = Literal[formats.AUDIENCES]
    LanguageChoice = Literal[formats.LANGUAGES]


def load_case(
    path: str,
    input_format: report_input.InputFormat = report_input.InputFormat.case,
    options: report_input.ReportOptions | None = None,
) -> Case:
    """Read and validate a Case (or a report text); every problem is an InputError."""
    data = read_input(path, MAX_INPUT_BYTES)
    if input_format is report_input.InputFormat.case and options is None:
        return validate_as(Case, parse_document(data, source=path))
    return report_input.load(data, path, input_format, options or report_input.ReportOptions())


class SexOption(StrEnum):
    female = "female"
    male = "male"
    other = "other"


def assess_command(
    case: Annotated[
        str,
        typer.Argument(
            help="Case file (.json/.yaml), a report as plain text (.txt), or '-' for stdin."
        ),
    ],
    fmt: Annotated[FormatChoice, typer.Option("--format", "-f", help="Output format.")] = "json",
    audience: Annotated[AudienceChoice, typer.Option(help="Who reads the text.")] = "clinician",
    lang: Annotated[
        LanguageChoice,
        typer.Option(
            "--lang",
            help="Language of the patient text: en or zh-Hant (text for the patient, "
            "summary.patient in json).",
        ),
    ] = "en",
    input_format: Annotated[
        report_input.InputFormat,
        typer.Option(
            "--input-format",
            help="case (JSON/YAML), text (one exam's report) or auto (by suffix and content).",
        ),
    ] = report_input.InputFormat.auto,
    modality: Annotated[
        Modality | None,
        typer.Option(case_sensitive=False, help="Report only: the modality (else read from it)."),
    ] = None,
    date: Annotated[str | None, typer.Option(help="Report only: exam date YYYY-MM-DD.")] = None,
    age: Annotated[float | None, typer.Option(help="Report only: age in years.")] = None,
    sex: Annotated[SexOption | None, typer.Option(help="Report only: the patient's sex.")] = None,
    cirrhosis: Annotated[
        bool | None, typer.Option("--cirrhosis/--no-cirrhosis", help="Report only.")
    ] = None,
    hbv: Annotated[
        bool | None, typer.Option("--hbv/--no-hbv", help="Report only: chronic hepatitis B.")
    ] = None,
    hcv: Annotated[
        bool | None, typer.Option("--hcv/--no-hcv", help="Report only: chronic hepatitis C.")
    ] = None,
    prior_hcc: Annotated[
        bool | None, typer.Option("--prior-hcc/--no-prior-hcc", help="Report only.")
    ] = None,
    known_cancer: Annotated[
        str | None,
        typer.Option(
            help="Report only: a known cancer outside the liver, by primary site "
            "(e.g. colorectal, ovary; 'unknown' when the site is not known)."
        ),
    ] = None,
    detail: Annotated[
        bool,
        typer.Option(
            "--detail",
            help="Everything: evidence, variability bases, the full differential "
            "(clinician text only; other combinations exit 2).",
        ),
    ] = False,
) -> None:
    """Assess one case: risk tier, categories, growth, LI-RADS, differential, next steps."""
    from hepcalc.pipeline import assess
    from hepcalc.render import render

    risk: dict[str, object] = {}
    for name, value in (
        ("cirrhosis", cirrhosis),
        ("chronic_hbv", hbv),
        ("chronic_hcv", hcv),
        ("prior_hcc", prior_hcc),
    ):
        if value is not None:
            risk[name] = value
    if known_cancer is not None:
        risk["extrahepatic_malignancy"] = True
        if known_cancer.strip().lower() not in ("", "unknown"):
            risk["primary_cancer_site"] = known_cancer.strip()
    options = report_input.ReportOptions(
        modality=modality,
        date=date,
        age=age,
        sex=sex.value if sex is not None else None,
        risk_factors=risk,
    )
    # the combination is checked before the (slower) assessment: a refusal costs nothing
    formats.check(fmt, audience, detail, lang)
    assessment = assess(load_case(case, input_format, options), lang=lang)
    typer.echo(render(assessment, fmt, audience, detail=detail, lang=lang))


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
