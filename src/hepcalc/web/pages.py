"""Server-rendered web pages: the form at ``/``, the result at ``/report/{token}``, ask.

The form posts to ``/assess``; a valid Case is assessed, stored in memory
under a random token and the browser is redirected (POST-redirect-GET) to
``/report/{token}``, so the clinician/patient toggle and the print view are
plain links to the same result, and reloading never resubmits. No patient data
ever goes into a URL. Pages work without JavaScript; a few lines of inline
script only switch wording without a reload and open the print dialog.

Every page is sent with a strict Content-Security-Policy (inline script only
with a per-response nonce), ``Referrer-Policy: no-referrer`` (a click on a cited
paper must not leak the report URL) and ``Cache-Control: no-store``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData

from hepcalc import __version__
from hepcalc.errors import InputError, validate_as
from hepcalc.model import (
    RISK_FACTOR_NAMES,
    Case,
    FindingKind,
    Modality,
    Pattern,
    Sex,
    Symptom,
)
from hepcalc.web import backend
from hepcalc.web.documents import offload

router = APIRouter(include_in_schema=False)

MAX_FORM_EXAMS = 3
TRI_STATE = {"yes": True, "no": False}


def _env() -> Environment:
    folder = resources.files("hepcalc.web") / "templates"
    env = Environment(
        loader=FileSystemLoader(str(folder)),
        autoescape=select_autoescape(["html", "j2"]),
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


_ENV = _env()


def page(name: str, status: int = 200, **context: Any) -> HTMLResponse:
    nonce = secrets.token_urlsafe(12)
    html = _ENV.get_template(name).render(nonce=nonce, version=__version__, **context)
    return HTMLResponse(
        html,
        status_code=status,
        headers={
            "Content-Security-Policy": (
                "default-src 'none'; style-src 'unsafe-inline'; "
                f"script-src 'nonce-{nonce}'; img-src data:; form-action 'self'; "
                "base-uri 'none'; frame-ancestors 'none'"
            ),
            "Referrer-Policy": "no-referrer",
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )


def _choices() -> dict[str, Any]:
    return {
        "sexes": [s.value for s in Sex],
        "risk_factors": list(RISK_FACTOR_NAMES),
        "symptoms": [s.value for s in Symptom],
        "modalities": [m.value for m in Modality],
        "kinds": [k.value for k in FindingKind],
        "patterns": [p.value for p in Pattern],
        "n_exams": MAX_FORM_EXAMS,
    }


@dataclass
class FormCase:
    """A Case built from form fields, and which form field each Case path came from."""

    data: dict[str, Any]
    field_of: dict[str, str] = field(default_factory=dict)
    problems: list[tuple[str, str]] = field(default_factory=list)


def _text(form: FormData, name: str, limit: int = 200_000) -> str:
    value = form.get(name)
    return value.strip()[:limit] if isinstance(value, str) else ""


def _number(form: FormData, name: str, path: str, problems: list[tuple[str, str]]) -> Any:
    raw = _text(form, name, 40)
    if not raw:
        return None
    try:
        return float(raw)
    except ValueError:
        problems.append((path, "must be a number"))
        return raw


def _patient_from_form(form: FormData, out: FormCase, problems: list[tuple[str, str]]) -> None:
    """The patient block: age, sex, tri-state risk factors, symptoms and AFP."""
    patient: dict[str, Any] = {}
    age = _number(form, "age", "patient.age", problems)
    out.field_of["patient.age"] = "age"
    if age is not None:
        patient["age"] = age
    sex = _text(form, "sex", 20)
    if sex:
        patient["sex"] = sex
        out.field_of["patient.sex"] = "sex"
    risk: dict[str, bool] = {}
    for name in RISK_FACTOR_NAMES:
        answer = _text(form, f"rf_{name}", 10)
        if answer in TRI_STATE:
            risk[name] = TRI_STATE[answer]
    if risk:
        patient["risk_factors"] = risk
    symptoms = [s for s in form.getlist("symptoms") if isinstance(s, str)][:10]
    if symptoms:
        patient["symptoms"] = symptoms
        out.field_of["patient.symptoms"] = "symptoms"
    afp = _number(form, "afp", "patient.labs.afp_ng_ml", problems)
    out.field_of["patient.labs.afp_ng_ml"] = "afp"
    if afp is not None:
        patient["labs"] = {"afp_ng_ml": afp}
    out.data["patient"] = patient


def _finding_from_form(
    form: FormData, i: int, n: int, out: FormCase, problems: list[tuple[str, str]]
) -> dict[str, Any]:
    """The one described finding of form exam ``i`` (Case exam ``n``), as track A."""
    finding: dict[str, Any] = {"track": "A", "kind": _text(form, f"exam{i}_kind", 20)}
    base = f"exams[{n}].findings[0]"
    size = _number(form, f"exam{i}_size", f"{base}.size_mm", problems)
    if size is not None:
        finding["size_mm"] = size
    pattern = _text(form, f"exam{i}_pattern", 20)
    if pattern:
        finding["pattern"] = pattern
    segment = _text(form, f"exam{i}_segment", 4)
    if segment:
        finding["location"] = {"segment": int(segment) if segment.isdigit() else segment}
    for key, suffix in (
        ("kind", "kind"),
        ("size_mm", "size"),
        ("pattern", "pattern"),
        ("location.segment", "segment"),
        ("location", "segment"),
    ):
        out.field_of[f"{base}.{key}"] = f"exam{i}_{suffix}"
    return finding


def _exam_from_form(
    form: FormData, i: int, n: int, out: FormCase, problems: list[tuple[str, str]]
) -> dict[str, Any] | None:
    """Form exam ``i`` as Case exam ``n``: a pasted report, else one described finding.

    None when the exam was left empty (no report text and no finding kind).
    """
    text = _text(form, f"exam{i}_text")
    kind = _text(form, f"exam{i}_kind", 20)
    date = _text(form, f"exam{i}_date", 20)
    if not text and not kind:
        return None
    exam: dict[str, Any] = {"modality": _text(form, f"exam{i}_modality", 20) or "US"}
    for key, suffix in (("date", "date"), ("modality", "modality")):
        out.field_of[f"exams[{n}].{key}"] = f"exam{i}_{suffix}"
    if date:
        exam["date"] = date
    if text:
        exam["report_text"] = text
        out.field_of[f"exams[{n}].report_text"] = f"exam{i}_text"
    else:
        exam["findings"] = [_finding_from_form(form, i, n, out, problems)]
    return exam


def case_from_form(form: FormData) -> FormCase:
    """Form fields -> Case data. Unanswered risk factors stay unknown (not 'no').

    Problems found while reading the form (a size that is not a number) are
    collected in ``problems`` with the Case path, so the page can mark the field.
    """
    out = FormCase(data={})
    problems: list[tuple[str, str]] = []
    _patient_from_form(form, out, problems)
    exams: list[dict[str, Any]] = []
    for i in range(1, MAX_FORM_EXAMS + 1):
        exam = _exam_from_form(form, i, len(exams), out, problems)
        if exam is not None:
            exams.append(exam)
    out.data["exams"] = exams
    if not exams:
        problems.append(("exams", "paste a report or describe a finding in at least one exam"))
    out.problems = problems
    return out


def _labelled(problems: list[tuple[str, str]], field_of: dict[str, str]) -> list[dict[str, str]]:
    out = []
    for path, message in problems:
        form_field = field_of.get(path, "")
        if not form_field:
            for known, name in field_of.items():
                if path.startswith(known):
                    form_field = name
        out.append({"path": path, "problem": message, "field": form_field})
    return out


@router.get("/", response_class=HTMLResponse)
async def index() -> HTMLResponse:
    return page("index.html.j2", values={}, errors=[], **_choices())


@router.post("/assess", response_model=None)
async def assess_form(request: Request) -> Response:
    form = await request.form(max_files=0, max_fields=200)
    client = request.client.host if request.client else ""
    return await offload(request, _assess_form, form, request.app.state.reports, client)


def _assess_form(form: FormData, reports: Any, client: str) -> Response:
    """The work of a form post, in the worker pool (web/work_pool.py)."""
    values: dict[str, Any] = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    values["symptoms"] = [s for s in form.getlist("symptoms") if isinstance(s, str)]
    built = case_from_form(form)
    field_of = built.field_of
    try:
        if built.problems:
            raise InputError(built.problems)
        case = validate_as(Case, built.data)
    except InputError as e:
        return page(
            "index.html.j2",
            status=422,
            values=values,
            errors=_labelled(e.problems, field_of),
            **_choices(),
        )
    assessment = backend.assess(case)
    # per-client bound: one client's posts cannot evict other clients' links
    token = reports.put(assessment, owner=f"form:{client}", limit=True)
    return RedirectResponse(f"/report/{token}", status_code=303)


def _result_context(assessment: Any, audience: str) -> dict[str, Any]:
    """What the result page shows, built from the renderer's pieces (no wording here)."""
    from hepcalc.render.clinician import growth_line
    from hepcalc.render.html import grouped_differential, growth_chart
    from hepcalc.render.liver_diagram import liver_svg
    from hepcalc.render.note import step_line
    from hepcalc.render.patient import compose_patient
    from hepcalc.render.sentence import impression_sentence
    from hepcalc.render.tidy import clean, link_text, strip_label
    from hepcalc.render.view import etiology_name, reference_link, references

    refs = references(assessment)
    patient = compose_patient(assessment).sections
    return {
        "a": assessment,
        "audience": audience,
        "impression": impression_sentence(assessment),
        "recs": [
            {
                "r": r,
                "step": step_line(r),
                "rationale": clean(r.rationale),
                "assumptions": [strip_label("Assumes", x) for x in r.assumptions],
                "cite": refs.cite(r.citations),
            }
            for r in assessment.recommendations
        ],
        "plain_steps": patient[3][1] if len(patient) > 3 else [],
        "plain_changes": patient[2][1] if len(patient) > 2 else [],
        "growth_lines": [
            {
                "g": g,
                "line": clean(growth_line(g)),
                "explanation": clean(g.explanation),
                "cite": refs.cite(g.citations),
            }
            for g in assessment.growth
        ],
        "must_exclude": [
            {"m": m, "name": etiology_name(m.etiology, m.name), "cite": refs.cite(m.citations)}
            for m in assessment.must_exclude
        ],
        "differential": grouped_differential(assessment, refs.cite),
        "warnings": [{"w": w, "cite": refs.cite(w.citations)} for w in assessment.warnings],
        "liver": liver_svg(assessment.findings),
        "chart": growth_chart(assessment.growth),
        "patient": [{"heading": h, "paragraphs": p} for h, p in patient],
        "refs": [
            {
                "n": refs.number[r.key],
                "r": r,
                "link": reference_link(r),
                "link_text": link_text(reference_link(r) or ""),
            }
            for r in refs.items
        ],
    }


def warm_up(assessment: Any) -> None:
    """Compile the page templates and the result pieces once (called at start-up)."""
    _ENV.get_template("index.html.j2").render(
        nonce="", version=__version__, values={}, errors=[], **_choices()
    )
    _ENV.get_template("result.html.j2").render(
        nonce="",
        version=__version__,
        token="",
        print_view=False,
        **_result_context(assessment, "clinician"),
    )


@router.get("/report/{token}", response_class=HTMLResponse)
async def report(
    request: Request,
    token: str,
    audience: str = "clinician",
    print_view: Annotated[str, Query(alias="print")] = "",
) -> HTMLResponse:
    if audience not in ("clinician", "patient"):
        audience = "clinician"
    reports = request.app.state.reports
    return await offload(request, _report_page, reports, token[:64], audience, bool(print_view))


def _report_page(reports: Any, token: str, audience: str, print_view: bool) -> HTMLResponse:
    """The result page, rendered in the worker pool."""
    assessment = reports.get(token)
    if assessment is None:
        return page("missing.html.j2", status=404)
    return page(
        "result.html.j2",
        token=token,
        print_view=print_view,
        **_result_context(assessment, audience),
    )


@router.get("/ask", response_class=HTMLResponse)
async def ask_link(
    request: Request, question: str = "", audience: str = "clinician", lang: str = ""
) -> HTMLResponse:
    """A related question followed as a link (GET), answered like the form's POST."""
    question = question.strip()[:1000]
    if audience not in ("clinician", "patient"):
        audience = "clinician"
    if lang not in ("en", "zh-Hant"):
        lang = ""
    if not question:
        return page(
            "answer.html.j2", status=422, question="", answer=None, error="Type a question first."
        )
    return await offload(request, _answer_page, question, audience, lang)


@router.post("/ask", response_class=HTMLResponse)
async def ask_form(request: Request) -> HTMLResponse:
    form = await request.form(max_files=0, max_fields=10)
    question = _text(form, "question", 1000)
    audience = _text(form, "audience", 20)
    if audience not in ("clinician", "patient"):
        audience = "clinician"
    lang = _text(form, "lang", 20)
    if lang not in ("en", "zh-Hant"):
        lang = ""  # detected from the question
    if not question:
        return page(
            "answer.html.j2", status=422, question="", answer=None, error="Type a question first."
        )
    return await offload(request, _answer_page, question, audience, lang)


def _answer_page(question: str, audience: str, lang: str = "") -> HTMLResponse:
    from hepcalc.ask.catalog import t

    result = backend.ask(question, audience, lang or None)
    result["citations"] = [_reference(key) for key in result.get("citations", [])]
    language = result.get("language", "en")
    labels = {"sources": t("cited.sources", language), "related": t("cited.related", language)}
    return page(
        "answer.html.j2",
        question=question,
        answer=result,
        error=None,
        audience=audience,
        labels=labels,
    )


def _reference(key: Any) -> dict[str, Any]:
    """A citation key -> its full reference text and link, for display."""
    from hepcalc.knowledge import load_kb

    ref = load_kb().references.get(str(key))
    if ref is None:
        return {"key": key, "text": str(key), "link": None}
    link = (
        f"https://doi.org/{ref.doi}"
        if ref.doi
        else f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
        if ref.pmid
        else ref.url
    )
    return {"key": key, "text": ref.citation_text(), "link": link}
