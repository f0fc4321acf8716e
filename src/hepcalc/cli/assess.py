"""`hepcalc assess CASE`: one case file (JSON or YAML, '-' for stdin) to an Assessment."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from hepcalc.cli.common import read_input
from hepcalc.errors import MAX_INPUT_BYTES, parse_document, validate_as
from hepcalc.model import Case


class OutputFormat(StrEnum):
    json = "json"
    text = "text"
    sentence = "sentence"
    html = "html"
    fhir = "fhir"


class Audience(StrEnum):
    clinician = "clinician"
    patient = "patient"


def load_case(path: str) -> Case:
    """Read and validate a Case; every problem becomes an InputError naming the field."""
    data = parse_document(read_input(path, MAX_INPUT_BYTES), source=path)
    return validate_as(Case, data)


def assess_command(
    case: Annotated[str, typer.Argument(help="Case file (.json/.yaml) or '-' for stdin.")],
    fmt: Annotated[OutputFormat, typer.Option("--format", "-f", help="Output format.")] = (
        OutputFormat.json
    ),
    audience: Annotated[Audience, typer.Option(help="Who reads the text.")] = Audience.clinician,
) -> None:
    """Assess one case: risk tier, categories, growth, LI-RADS, differential, next steps."""
    from hepcalc.pipeline import assess
    from hepcalc.render import render

    assessment = assess(load_case(case))
    typer.echo(render(assessment, fmt.value, audience.value))


def register(app: typer.Typer) -> None:
    app.command("assess")(assess_command)
