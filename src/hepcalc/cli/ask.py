"""`hepcalc ask "QUESTION"`: an answer from the engine (when the question carries
measurements) or from the knowledge articles, with citations, in English or
Traditional Chinese."""

from __future__ import annotations

import datetime as dt
import json
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from hepcalc.render.formats import LANGUAGES  # light: hepcalc.ask would load its index

# The answer languages, validated and listed in --help by the parser (exit 2).
if TYPE_CHECKING:
    AskLanguage = str
else:
    AskLanguage = Literal[LANGUAGES]


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
    lang: Annotated[
        AskLanguage | None,
        typer.Option("--lang", help="Answer language (default: the question's)."),
    ] = None,
    today: Annotated[
        str | None,
        typer.Option(
            "--today",
            help="Date (YYYY-MM-DD) given to the latest exam when the question has none; "
            "default the current date.",
        ),
    ] = None,
) -> None:
    """Answer a question about liver calcifications from the cited knowledge base."""
    from hepcalc.ask import answer
    from hepcalc.ask.catalog import t
    from hepcalc.errors import InputError
    from hepcalc.knowledge import load_kb

    day: dt.date | None = None
    if today is not None:
        try:
            day = dt.date.fromisoformat(today)
        except ValueError:
            raise InputError([("today", f"not a date (YYYY-MM-DD): {today[:40]!r}")]) from None
    result = answer(question, audience.value, lang=lang, today=day)
    if fmt is AskFormat.json:
        typer.echo(json.dumps(result.to_json_dict(), indent=2, ensure_ascii=False))
        return
    kb = load_kb()
    language = result.language
    lines = [result.answer, ""]
    if result.citations:
        lines.append(f"{t('cited.sources', language)}:")
        for key in result.citations:
            ref = kb.references.get(key)
            lines.append(f"  [{key}] {ref.citation_text() if ref else key}")
        lines.append("")
    if result.related:
        lines.append(f"{t('cited.related', language)}:")
        lines += [f"  - {q}" for q in result.related]
        lines.append("")
    lines.append(t("general.footer", language, version=kb.version))
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    app.command("ask")(ask_command)
