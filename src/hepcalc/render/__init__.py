"""Assessment -> words and pictures for people and machines.

One Assessment, five renderings: canonical JSON, cited clinician text (a
1,500-character note for ``summary.clinician``, the concise report for
``--format text``, everything with ``detail``), the one-or-two-sentence
IMPRESSION line a radiologist pastes into a report, plain patient text (grade
8 or below), a self-contained printable HTML page, and a FHIR R4 Bundle. The
audience applies to every rendering with words; JSON carries both summaries,
so asking for it "for the patient" is refused rather than silently ignored.
All text comes from Jinja2 templates and the message catalog shipped in the
package; nothing here reaches the network, reads the clock, or decides
anything clinical: the engine decided, render only says it.
"""

from __future__ import annotations

from hepcalc.errors import InputError
from hepcalc.model import Assessment

FORMATS: tuple[str, ...] = ("text", "sentence", "html", "fhir", "json")
AUDIENCES: tuple[str, ...] = ("clinician", "patient")
# Languages of the patient text (render/messages/<lang>.yaml; issue 15). The other
# renderings are English only.
LANGUAGES: tuple[str, ...] = ("en", "zh-Hant")


def check_language(lang: str) -> str:
    """``lang`` if the patient text exists in it, else an input error (exit 2 / 422)."""
    if lang not in LANGUAGES:
        raise InputError(
            [("lang", f"unknown language {lang!r}; expected one of {list(LANGUAGES)}")]
        )
    return lang


def clinician_text(assessment: Assessment) -> str:
    """The clinician note, at most 1,500 characters (used for ``summary.clinician``)."""
    from hepcalc.render.note import render_note

    return render_note(assessment)


def clinician_report(assessment: Assessment, detail: bool = False) -> str:
    """The concise cited report (``--format text``), or everything with ``detail``."""
    from hepcalc.render.clinician import render_clinician_report, render_clinician_text

    return render_clinician_text(assessment) if detail else render_clinician_report(assessment)


def patient_text(assessment: Assessment, lang: str = "en") -> str:
    """Plain-language explanation for the patient (used for ``summary.patient``), in
    ``lang`` (``en`` or ``zh-Hant``)."""
    from hepcalc.render.patient import render_patient_text

    return render_patient_text(assessment, check_language(lang))


def render(
    assessment: Assessment,
    fmt: str,
    audience: str = "clinician",
    detail: bool = False,
    lang: str = "en",
) -> str:
    """Render ``assessment`` as ``fmt`` for ``audience``.

    Every rendering with words follows the audience: ``text`` (concise report,
    or everything with ``detail``; the patient text), ``sentence`` (IMPRESSION
    line, or the patient's one-line answer), ``html`` (patient explanation first)
    and ``fhir`` (the DiagnosticReport narrative). ``json`` carries both
    summaries, so ``json`` for the patient is refused; ``detail`` applies to the
    clinician's ``text`` only (the page always has its detail section) and is
    refused elsewhere. Unknown
    formats or audiences are input errors (exit 2 / HTTP 422 in the faces),
    never a traceback.
    """
    if fmt not in FORMATS:
        raise InputError([("format", f"unknown format {fmt!r}; expected one of {list(FORMATS)}")])
    if audience not in AUDIENCES:
        raise InputError(
            [("audience", f"unknown audience {audience!r}; expected one of {list(AUDIENCES)}")]
        )
    if fmt == "json" and audience == "patient":
        raise InputError(
            [
                (
                    "audience",
                    "json carries both summary.clinician and summary.patient; the patient "
                    "audience applies to text, sentence, html and fhir",
                )
            ]
        )
    if detail and (audience == "patient" or fmt != "text"):
        raise InputError(
            [
                (
                    "detail",
                    "detail applies to the clinician's text rendering only (the html page "
                    "always has an expandable detail section)",
                )
            ]
        )
    if check_language(lang) != "en" and not (
        fmt == "json" or (fmt == "text" and audience == "patient")
    ):
        raise InputError(
            [
                (
                    "lang",
                    f"{lang} applies to the patient text (text for the patient audience) and "
                    f"to summary.patient in json; the {fmt} rendering for the {audience} is "
                    "in English only",
                )
            ]
        )
    if fmt == "json":
        return assessment.to_json()
    if fmt == "text":
        return (
            patient_text(assessment, lang)
            if audience == "patient"
            else clinician_report(assessment, detail)
        )
    if fmt == "sentence":
        from hepcalc.render.sentence import impression_sentence, patient_sentence

        return (
            patient_sentence(assessment)
            if audience == "patient"
            else impression_sentence(assessment)
        )
    if fmt == "html":
        from hepcalc.render.html import render_html

        return render_html(assessment, audience=audience)
    from hepcalc.render.fhir import render_fhir

    return render_fhir(assessment, audience=audience)


__all__ = [
    "AUDIENCES",
    "FORMATS",
    "LANGUAGES",
    "check_language",
    "clinician_report",
    "clinician_text",
    "patient_text",
    "render",
]
