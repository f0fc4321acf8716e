"""The layers below the web face, reached through one small adapter.

The face calls four things: assess (engine + summaries), extract (report
reading), render and ask. Keeping them behind this module means the routes hold
no clinical logic and tests can see exactly which function the service calls.
The imports are lazy so that starting the app does not pay for the ask index
or the renderers' templates until a request needs them.
"""

from __future__ import annotations

from typing import Any

from hepcalc.model import Assessment, Case, Modality


def assess(case: Case, lang: str = "en") -> Assessment:
    """Case -> Assessment through the pipeline (reads report text, runs the engine);
    ``lang`` is the language of ``summary.patient``."""
    from hepcalc.pipeline import assess as pipeline_assess

    return pipeline_assess(case, lang=lang)


def assess_for_cards(case: Case) -> Assessment:
    """Case -> Assessment from the engine alone, without the two summary texts.

    For CDS Hooks: the cards word the engine's actions themselves and the linked
    report page renders its own texts, so neither reads ``summary``; rendering
    both summaries (clinician text through a template, patient text) was about a
    fifth of a patient-view call. Every recommendation, finding and citation is
    the same as ``assess`` gives.
    """
    from hepcalc.engine.assess import assess as engine_assess

    return engine_assess(case)


def extract(text: str, modality: str | None = None) -> list[Any]:
    """Free text -> findings (``hepcalc.reports.extract_findings``)."""
    from hepcalc.reports import extract_findings

    return extract_findings(text, modality=Modality(modality) if modality is not None else None)


def render(assessment: Assessment, fmt: str, audience: str = "clinician", lang: str = "en") -> str:
    """Assessment -> text | sentence | html | fhir | json (``hepcalc.render.render``)."""
    from hepcalc.render import render as render_assessment

    return render_assessment(assessment, fmt, audience, lang=lang)


def ask(question: str, audience: str = "clinician", lang: str | None = None) -> dict[str, Any]:
    """A question -> ``{"answer", "language", "case", "assessment", "refused", "citations",
    "related", ...}``: computed by the engine when it carries measurements, else from the
    knowledge base; ``lang`` None = the question's language."""
    from hepcalc.ask import answer

    return answer(question, audience=audience, lang=lang).model_dump(mode="json")
