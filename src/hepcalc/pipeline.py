"""The full pipeline the faces call: engine assessment plus the two summaries.

The engine may not import the renderers (layers, DESIGN.md), yet the contract's
``summary`` holds a clinician and a patient text. This module sits above both
and joins them, so every face (CLI, HTTP, registry, batch) gives the same
Assessment for the same Case.
"""

from __future__ import annotations

from hepcalc.engine.assess import assess as engine_assess
from hepcalc.knowledge import KnowledgeBase
from hepcalc.model import Assessment, Case, Summary


def assess(case: Case, kb: KnowledgeBase | None = None, lang: str = "en") -> Assessment:
    """``lang`` (``en``/``zh-Hant``) is the language of ``summary.patient`` (issue 15)."""
    from hepcalc.render import clinician_text, patient_text

    assessment = engine_assess(case, kb)
    summary = Summary(clinician=clinician_text(assessment), patient=patient_text(assessment, lang))
    return assessment.model_copy(update={"summary": summary})
