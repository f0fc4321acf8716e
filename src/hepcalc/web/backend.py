"""The layers below the web face, reached through one small adapter.

The face calls four things: assess (engine + summaries), extract (report
reading), render, ask. They are resolved by name on first use so that a layer
that is missing in a partial checkout gives HTTP 503 with a clear message
instead of an import error at start-up, and so tests can see exactly which
function the service calls.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from functools import cache
from typing import Any

from hepcalc.model import Assessment, Case


class LayerUnavailable(RuntimeError):
    """A layer the request needs is not installed in this build (HTTP 503)."""


def _resolve(candidates: tuple[tuple[str, str], ...]) -> Callable[..., Any]:
    for module_name, attr in candidates:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as e:
            if e.name and module_name.startswith(e.name):
                continue
            raise
        fn = getattr(module, attr, None)
        if callable(fn):
            return fn
    names = ", ".join(f"{m}.{a}" for m, a in candidates)
    raise LayerUnavailable(f"not available in this build: {names}")


@cache
def _assess_fn() -> Callable[[Case], Assessment]:
    return _resolve((("hepcalc.pipeline", "assess"), ("hepcalc.engine", "assess")))


@cache
def _engine_assess_fn() -> Callable[[Case], Assessment]:
    return _resolve((("hepcalc.engine.assess", "assess"), ("hepcalc.engine", "assess")))


@cache
def _extract_fn() -> Callable[..., list[Any]]:
    return _resolve((("hepcalc.reports", "extract_findings"),))


@cache
def _render_fn() -> Callable[..., str]:
    return _resolve((("hepcalc.render", "render"),))


@cache
def _ask_fn() -> Callable[..., Any]:
    return _resolve((("hepcalc.ask", "answer"),))


def assess(case: Case) -> Assessment:
    """Case -> Assessment through the pipeline (reads report text, runs the engine)."""
    return _assess_fn()(case)


def assess_for_cards(case: Case) -> Assessment:
    """Case -> Assessment from the engine alone, without the two summary texts.

    For CDS Hooks: the cards word the engine's actions themselves and the linked
    report page renders its own texts, so neither reads ``summary``; rendering
    both summaries (clinician text through a template, patient text) was about a
    fifth of a patient-view call. Every recommendation, finding and citation is
    the same as ``assess`` gives.
    """
    return _engine_assess_fn()(case)


def extract(text: str, modality: str | None = None) -> list[Any]:
    """Free text -> findings (``hepcalc.reports.extract_findings``)."""
    return _extract_fn()(text, modality=modality)


def render(assessment: Assessment, fmt: str, audience: str = "clinician") -> str:
    """Assessment -> text | sentence | html | fhir | json (``hepcalc.render.render``)."""
    return _render_fn()(assessment, fmt, audience)


def ask(question: str, audience: str = "clinician") -> dict[str, Any]:
    """A question -> ``{"answer", "citations", "related"}`` from the knowledge base."""
    result = _ask_fn()(question, audience=audience)
    if hasattr(result, "model_dump"):
        return result.model_dump(mode="json")
    if isinstance(result, dict):
        return result
    raise LayerUnavailable("hepcalc.ask.answer returned an unexpected type")


def growth_chart_svg(assessment: Assessment) -> str | None:
    """The growth chart from ``hepcalc.render.chart`` when that module is present."""
    try:
        fn = _resolve((("hepcalc.render.chart", "growth_chart_svg"),))
    except LayerUnavailable:
        return None
    return fn(assessment)


def available() -> dict[str, bool]:
    """Which layers this build has (reported by /healthz)."""
    out = {}
    for name, fn in (
        ("assess", _assess_fn),
        ("extract", _extract_fn),
        ("render", _render_fn),
        ("ask", _ask_fn),
    ):
        try:
            fn()
            out[name] = True
        except LayerUnavailable:
            out[name] = False
    return out
