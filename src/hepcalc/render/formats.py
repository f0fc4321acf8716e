"""The one list of output formats: name, media type, audiences, options, renderer.

Why one list: the library (``render``), the CLI (``hepcalc assess --format``)
and the HTTP API (``?format=``, ``Accept``, the OpenAPI enum) each kept their
own copy, so a new format meant three edits that could drift. Each face now
derives its choices from ``names()`` and its media types from
``for_media_type``; adding a format is one ``register`` call here (or, for a
plug-in or a test, before the face is imported).

The order is the order of the choices everywhere, and it matters for ``Accept``:
two formats may share a media type (``text`` and ``sentence`` are both
``text/plain``); the first one registered is the one ``Accept`` selects, the
others are reached by name only.

Nothing here imports a renderer at import time: each renderer imports its
module when called, so listing the formats (``hepcalc --help``, the OpenAPI
document) costs no template loading.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hepcalc.errors import InputError
from hepcalc.model import Assessment

AUDIENCES: tuple[str, ...] = ("clinician", "patient")
# Languages of the patient text (render/messages/<lang>.yaml; issue 15). The other
# renderings are English only.
LANGUAGES: tuple[str, ...] = ("en", "zh-Hant")

# Why --detail is refused outside the clinician's text: the page already folds
# the detail in, and a silently ignored option would mislead.
DETAIL_REFUSAL = (
    "detail applies to the clinician's text rendering only (the html page "
    "always has an expandable detail section)"
)


@dataclass(frozen=True, slots=True)
class RenderRequest:
    """What the caller asked for besides the format (already validated)."""

    audience: str = "clinician"
    detail: bool = False
    lang: str = "en"


Renderer = Callable[[Assessment, RenderRequest], str]


@dataclass(frozen=True, slots=True)
class OutputFormat:
    """One rendering of an Assessment and what it accepts.

    ``audiences``: the audiences it can be written for; any other is refused with
    ``audience_refusal`` as the reason (never silently ignored).
    ``detail_audiences``: for whom ``--detail`` changes the output (empty: the
    option is refused). ``lang_audiences``: for whom the text follows ``--lang``
    (empty: English only); ``lang_note`` says so in the refusal of other languages.
    """

    name: str
    media_type: str
    renderer: Renderer
    description: str
    audiences: frozenset[str] = frozenset(AUDIENCES)
    audience_refusal: str = ""
    detail_audiences: frozenset[str] = frozenset()
    lang_audiences: frozenset[str] = frozenset()
    lang_note: str = ""


_FORMATS: dict[str, OutputFormat] = {}


def register(fmt: OutputFormat) -> OutputFormat:
    """Add ``fmt`` to the list (after the others); a second entry with its name is an error."""
    if fmt.name in _FORMATS:
        raise ValueError(f"output format {fmt.name!r} is already registered")
    _FORMATS[fmt.name] = fmt
    return fmt


def unregister(name: str) -> None:
    """Remove a format (for tests and plug-ins that registered one)."""
    _FORMATS.pop(name, None)


def all_formats() -> tuple[OutputFormat, ...]:
    return tuple(_FORMATS.values())


def names() -> tuple[str, ...]:
    """The format names in order: the CLI's and the API's choices."""
    return tuple(_FORMATS)


def for_media_type(media_type: str) -> OutputFormat | None:
    """The first format producing ``media_type`` (what ``Accept`` selects), or None."""
    wanted = media_type.strip().lower()
    return next((f for f in _FORMATS.values() if f.media_type == wanted), None)


def check_language(lang: str) -> str:
    """``lang`` if the patient text exists in it, else an input error (exit 2 / 422)."""
    if lang not in LANGUAGES:
        raise InputError(
            [("lang", f"unknown language {lang!r}; expected one of {list(LANGUAGES)}")]
        )
    return lang


def _join(items: list[str], last: str = " and ") -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + last + items[-1]


def check(name: str, audience: str, detail: bool = False, lang: str = "en") -> OutputFormat:
    """The format ``name`` if it accepts this audience, detail and language.

    Every refusal is an InputError naming the option (exit 2 / HTTP 422), in a
    fixed order: format, audience, detail, language.
    """
    fmt = _FORMATS.get(name)
    if fmt is None:
        raise InputError([("format", f"unknown format {name!r}; expected one of {list(names())}")])
    if audience not in AUDIENCES:
        raise InputError(
            [("audience", f"unknown audience {audience!r}; expected one of {list(AUDIENCES)}")]
        )
    if audience not in fmt.audiences:
        takers = [f.name for f in _FORMATS.values() if audience in f.audiences]
        raise InputError(
            [
                (
                    "audience",
                    f"{fmt.audience_refusal}; the {audience} audience applies to {_join(takers)}",
                )
            ]
        )
    if detail and audience not in fmt.detail_audiences:
        raise InputError([("detail", DETAIL_REFUSAL)])
    if check_language(lang) != "en" and audience not in fmt.lang_audiences:
        notes = [f.lang_note for f in _FORMATS.values() if f.lang_audiences and f.lang_note]
        raise InputError(
            [
                (
                    "lang",
                    f"{lang} applies to {' and to '.join(notes)}; the {fmt.name} rendering "
                    f"for the {audience} is in English only",
                )
            ]
        )
    return fmt


# ---- the built-in renderings (each imports its module when first used) ----


def _text(a: Assessment, req: RenderRequest) -> str:
    if req.audience == "patient":
        from hepcalc.render.patient import render_patient_text

        return render_patient_text(a, req.lang)
    from hepcalc.render.clinician import render_clinician_report, render_clinician_text

    return render_clinician_text(a) if req.detail else render_clinician_report(a)


def _sentence(a: Assessment, req: RenderRequest) -> str:
    from hepcalc.render.sentence import impression_sentence, patient_sentence

    return patient_sentence(a) if req.audience == "patient" else impression_sentence(a)


def _html(a: Assessment, req: RenderRequest) -> str:
    from hepcalc.render.html import render_html

    return render_html(a, audience=req.audience)


def _fhir(a: Assessment, req: RenderRequest) -> str:
    from hepcalc.render.fhir import render_fhir

    return render_fhir(a, audience=req.audience)


def _json(a: Assessment, req: RenderRequest) -> str:
    return a.to_json()


register(
    OutputFormat(
        name="text",
        media_type="text/plain",
        renderer=_text,
        description="the concise cited report (--detail: everything); the patient text",
        detail_audiences=frozenset({"clinician"}),
        lang_audiences=frozenset({"patient"}),
        lang_note="the patient text (text for the patient audience)",
    )
)
register(
    OutputFormat(
        name="sentence",
        media_type="text/plain",
        renderer=_sentence,
        description="the IMPRESSION sentence; the patient's one-line answer",
    )
)
register(
    OutputFormat(
        name="html",
        media_type="text/html",
        renderer=_html,
        description="a self-contained printable page",
    )
)
register(
    OutputFormat(
        name="fhir",
        media_type="application/fhir+json",
        renderer=_fhir,
        description="a FHIR R4 Bundle (DiagnosticReport narrative for the audience)",
    )
)
register(
    OutputFormat(
        name="json",
        media_type="application/json",
        renderer=_json,
        description="the Assessment, with both summaries",
        audiences=frozenset({"clinician"}),
        audience_refusal="json carries both summary.clinician and summary.patient",
        lang_audiences=frozenset(AUDIENCES),
        lang_note="summary.patient in json",
    )
)
