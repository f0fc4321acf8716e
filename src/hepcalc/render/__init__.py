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

from hepcalc.model import Assessment
from hepcalc.render import formats
from hepcalc.render.formats import AUDIENCES, LANGUAGES, RenderRequest, check_language

# The format names, in the order of the one list (render/formats.py). A snapshot taken
# at import: faces ask ``formats.names()`` so a format registered later is offered too.
FORMATS: tuple[str, ...] = formats.names()


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
    refused elsewhere. What each format accepts is its entry in
    ``render/formats.py``; unknown formats or audiences are input errors (exit 2 /
    HTTP 422 in the faces), never a traceback.
    """
    fmt_entry = formats.check(fmt, audience, detail, lang)
    return fmt_entry.renderer(assessment, RenderRequest(audience, detail, lang))


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
