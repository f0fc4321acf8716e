"""`hepcalc ask "QUESTION"`: an answer from the knowledge articles, with citations."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer


class AskFormat(StrEnum):
    text = "text"
    json = "json"


class Audience(StrEnum):
    clinician = "clinician"
    patient = "patient"


def ask_command(
    question: Annotated[str, typer.Argument(help="The question, in quotes.")],
    fmt: Annotated[AskFormat, typer.Option("--format", "-f", help="Output format.")] = (
        AskFormat.text
    ),
    audience: Annotated[Audience, typer.Option(help="Who reads the answer.")] = (
        Audience.clinician
    ),
) -> None:
    """Answer a question about liver calcifications from the cited knowledge base."""
    from hepcalc.ask import answer
    from hepcalc.knowledge import load_kb

    result = answer(question, audience.value)
    if fmt is AskFormat.json:
        typer.echo(json.dumps(result.to_json_dict(), indent=2, ensure_ascii=False))
        return
    kb = load_kb()
    lines = [result.answer, ""]
    if result.citations:
        lines.append("Sources:")
        for key in result.citations:
            ref = kb.references.get(key)
            lines.append(f"  [{key}] {ref.citation_text() if ref else key}")
        lines.append("")
    if result.related:
        lines.append("Related questions:")
        lines += [f"  - {q}" for q in result.related]
        lines.append("")
    lines.append(
        f"Educational information from the hepcalc knowledge base ({kb.version}); "
        "it does not replace a doctor's advice."
    )
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
