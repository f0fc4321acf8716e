"""Assessment -> words and pictures for people and machines.

One Assessment, five renderings: canonical JSON, dense cited clinician text,
the one-or-two-sentence IMPRESSION line a radiologist pastes into a report,
plain patient text (grade 8 or below), a self-contained printable HTML page,
and a FHIR R4 Bundle. All text comes from Jinja2 templates shipped in the
package; nothing here reaches the network, reads the clock, or decides
anything clinical: the engine decided, render only says it.
"""

from __future__ import annotations

from hepcalc.errors import InputError
from hepcalc.model import Assessment

FORMATS: tuple[str, ...] = ("text", "sentence", "html", "fhir", "json")
AUDIENCES: tuple[str, ...] = ("clinician", "patient")


def clinician_text(assessment: Assessment) -> str:
    """Dense, exact, cited text for a clinician (used for ``summary.clinician``)."""
    from hepcalc.render.clinician import render_clinician_text

    return render_clinician_text(assessment)


def patient_text(assessment: Assessment) -> str:
    """Plain-language explanation for the patient (used for ``summary.patient``)."""
    from hepcalc.render.patient import render_patient_text

    return render_patient_text(assessment)


def render(assessment: Assessment, fmt: str, audience: str = "clinician") -> str:
    """Render ``assessment`` as ``fmt`` for ``audience``.

    ``text`` + ``patient`` gives the patient text; the other formats ignore the
    audience except ``html``, which puts the patient explanation first when the
    reader is the patient. Unknown formats or audiences are input errors (exit 2 /
    HTTP 422 in the faces), never a traceback.
    """
    if fmt not in FORMATS:
        raise InputError([("format", f"unknown format {fmt!r}; expected one of {list(FORMATS)}")])
    if audience not in AUDIENCES:
        raise InputError(
            [("audience", f"unknown audience {audience!r}; expected one of {list(AUDIENCES)}")]
        )
    if fmt == "json":
        return assessment.to_json()
    if fmt == "text":
        return patient_text(assessment) if audience == "patient" else clinician_text(assessment)
    if fmt == "sentence":
        from hepcalc.render.sentence import impression_sentence

        return impression_sentence(assessment)
    if fmt == "html":
        from hepcalc.render.html import render_html

        return render_html(assessment, audience=audience)
    from hepcalc.render.fhir import render_fhir

    return render_fhir(assessment)


__all__ = ["AUDIENCES", "FORMATS", "clinician_text", "patient_text", "render"]
