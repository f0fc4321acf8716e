"""CDS Hooks 2.0 routes: discovery, patient-view, order-select, feedback.

The service never calls out: everything it reads must arrive as prefetch.
When a required prefetch key is missing the answer is HTTP 412 even if the
request names a ``fhirServer`` (CDS Hooks 2.0 "Prefetch": a service that
cannot obtain the data SHALL return 412), with an OperationOutcome body
(3.0 recommends one).
"""

from __future__ import annotations

import datetime as dt
import threading
from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse

from hepcalc.errors import InputError, validate_as
from hepcalc.interop import case_from_resources, prefetch_entries
from hepcalc.interop.fhir_input import validate_resource
from hepcalc.model import Assessment
from hepcalc.web import backend
from hepcalc.web.auth import require_cds_client
from hepcalc.web.cds_cards import order_select_cards, patient_view_cards
from hepcalc.web.cds_models import (
    Card,
    CdsRequest,
    CdsResponse,
    FeedbackRequest,
    ServiceDefinition,
    wire,
)
from hepcalc.web.documents import (
    RawBody,
    json_body,
    offload,
    parse_raw,
    read_raw,
)
from hepcalc.web.report_store import ReportStore

REPORT_PLACEHOLDER = "about:hepcalc-report"
PATIENT_VIEW_ID = "hepcalc-liver-calcification"
ORDER_SELECT_ID = "hepcalc-imaging-order"

_PATIENT = "Patient/{{context.patientId}}"
_CONDITIONS = "Condition?patient={{context.patientId}}"
_REPORTS = (
    "DiagnosticReport?patient={{context.patientId}}"
    "&category=http://terminology.hl7.org/CodeSystem/v2-0074|RAD&_sort=-date&_count=10"
)
_AFP = "Observation?patient={{context.patientId}}&code=http://loinc.org|1834-1&_sort=-date&_count=1"

SERVICES: dict[str, ServiceDefinition] = {
    PATIENT_VIEW_ID: ServiceDefinition(
        hook="patient-view",
        id=PATIENT_VIEW_ID,
        title="hepcalc: liver calcification follow-up",
        description=(
            "Reads the patient's recent imaging reports, with problem-list risk factors, and "
            "shows a card when a liver calcification needs follow-up, work-up, or has grown."
        ),
        prefetch={
            "patient": _PATIENT,
            "conditions": _CONDITIONS,
            "imagingReports": _REPORTS,
            "afp": _AFP,
        },
        usageRequirements="Needs prefetch of the patient, conditions and imaging reports.",
    ),
    ORDER_SELECT_ID: ServiceDefinition(
        hook="order-select",
        id=ORDER_SELECT_ID,
        title="hepcalc: imaging choice for liver calcification",
        description=(
            "When MRI is ordered for a patient with a known liver calcification, suggests "
            "non-contrast CT, which characterises calcification far better than MRI."
        ),
        prefetch={"patient": _PATIENT, "conditions": _CONDITIONS, "imagingReports": _REPORTS},
        usageRequirements="Needs prefetch of the patient, conditions and imaging reports.",
    ),
}
REQUIRED_PREFETCH: dict[str, tuple[str, ...]] = {
    PATIENT_VIEW_ID: ("patient", "conditions", "imagingReports"),
    ORDER_SELECT_ID: ("patient", "conditions", "imagingReports"),
}

router = APIRouter(prefix="/cds-services", dependencies=[Depends(require_cds_client)])

_CDS_REQUEST_SCHEMA: dict[str, Any] = {
    "type": "object",
    "required": ["hook", "hookInstance", "context"],
    "properties": {
        "hook": {"type": "string", "enum": ["patient-view", "order-select"]},
        "hookInstance": {"type": "string", "minLength": 1},
        "fhirServer": {"type": "string"},
        "context": {
            "type": "object",
            "required": ["patientId"],
            "properties": {
                "patientId": {"type": "string", "minLength": 1},
                "userId": {"type": "string"},
                "selections": {"type": "array", "items": {"type": "string"}},
                "draftOrders": {"type": "object"},
            },
        },
        "prefetch": {
            "type": "object",
            "description": "CDS Hooks prefetch: each key a FHIR resource, a Bundle, or null",
            "properties": {
                key: {"type": ["object", "null"]}
                for key in ("patient", "conditions", "imagingReports", "afp")
            },
        },
    },
}


class FeedbackStore:
    """Idempotent in-memory feedback log: the same item sent twice is stored once."""

    def __init__(self, max_items: int = 10_000) -> None:
        self._items: dict[tuple[str, str, str, str], dict[str, Any]] = {}
        self._lock = threading.Lock()
        self.max_items = max_items

    def add(self, service_id: str, item: dict[str, Any]) -> bool:
        key = (service_id, item["card"], item["outcome"], item["outcomeTimestamp"])
        with self._lock:
            if key in self._items:
                return False
            if len(self._items) >= self.max_items:
                self._items.pop(next(iter(self._items)))
            self._items[key] = item
            return True

    def items(self, service_id: str | None = None) -> list[dict[str, Any]]:
        with self._lock:
            return [v for k, v in self._items.items() if service_id in (None, k[0])]


def _precondition_failed(missing: list[str]) -> JSONResponse:
    return JSONResponse(
        status_code=412,
        content={
            "resourceType": "OperationOutcome",
            "issue": [
                {
                    "severity": "error",
                    "code": "required",
                    "diagnostics": f"prefetch key '{key}' is required; this service does not "
                    "query FHIR servers",
                }
                for key in missing
            ],
        },
    )


def _base_url(request: Request) -> str:
    """Where card links point: ``--public-url``, an allow-listed Host, or our own socket.

    Never a Host header the caller chose: a spoofed Host would put an attacker's
    address in a card the clinician clicks (issue 16).
    """
    settings = request.app.state.settings
    if settings.public_url:
        return str(settings.public_url)
    host = request.headers.get("host", "").strip().lower()
    if host and host in settings.allowed_hosts:
        return f"{request.url.scheme}://{host}"
    server = request.scope.get("server")
    if isinstance(server, tuple | list) and len(server) == 2:
        address, port = server
        shown = f"[{address}]" if ":" in str(address) else str(address)
        return f"{request.url.scheme}://{shown}:{port}"
    return "http://127.0.0.1"


@router.get("", summary="CDS Hooks discovery")
async def discovery() -> JSONResponse:
    return JSONResponse({"services": [wire(s) for s in SERVICES.values()]})


@router.post(
    "/{service_id}",
    summary="Call a CDS service",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": _CDS_REQUEST_SCHEMA}},
        }
    },
    responses={412: {"description": "required prefetch missing"}, 422: {"description": "bad"}},
)
async def call_service(service_id: str, request: Request) -> JSONResponse:
    service = SERVICES.get(service_id)
    if service is None:
        raise HTTPException(status_code=404, detail="no such CDS service")
    raw = await read_raw(request)
    reports: ReportStore = request.app.state.reports
    claims = getattr(request.state, "cds_claims", None)
    owner = f"cds:{claims['iss']}" if isinstance(claims, dict) else "cds"
    return await offload(
        request, _call_service, service_id, raw, _base_url(request), reports, owner
    )


def _call_service(
    service_id: str, raw: RawBody, base_url: str, reports: ReportStore, owner: str
) -> JSONResponse:
    """The work of a hook call, in the worker pool: parse, check, assess, cards."""
    service = SERVICES[service_id]
    req = validate_as(CdsRequest, parse_raw(raw))
    if req.hook != service.hook:
        raise InputError([("hook", f"this service answers {service.hook!r}")])
    patient_id = req.context.get("patientId")
    if not isinstance(patient_id, str) or not patient_id.strip():
        raise InputError([("context.patientId", "is required")])
    prefetch = req.prefetch or {}
    # absent, or replaced by an OperationOutcome (the client could not fetch it)
    missing = [
        k
        for k in REQUIRED_PREFETCH[service_id]
        if k not in prefetch
        or (isinstance(prefetch[k], dict) and prefetch[k].get("resourceType") == "OperationOutcome")
    ]
    if missing:
        return _precondition_failed(missing)
    patient = prefetch.get("patient")
    if isinstance(patient, dict) and patient.get("id") not in (None, patient_id):
        raise InputError([("prefetch.patient.id", "does not match context.patientId")])

    assessment, cards = _cards(service_id, req.context, prefetch, patient_id)
    if cards and assessment is not None:
        # the link carries a random token only; the assessment stays in memory here
        url = f"{base_url}/report/{reports.put(assessment, owner=owner)}"
        for card in cards:
            for link in card.links:
                if link.url == REPORT_PLACEHOLDER:
                    link.url = url
    return JSONResponse(wire(CdsResponse(cards=cards)) or {"cards": []})


def _cards(
    service_id: str, context: dict[str, Any], prefetch: dict[str, Any], patient_id: str
) -> tuple[Assessment | None, list[Card]]:
    """The work of a hook call once the request is checked: prefetch -> assessment -> cards."""
    build = case_from_resources(prefetch_entries(prefetch), strict=False)
    assessment = backend.assess_for_cards(build.case) if build.case is not None else None
    latest = None
    if build.case is not None:
        dates = [e.date for e in build.case.exams if e.date is not None]
        latest = max(dates) if dates else None

    if service_id == PATIENT_VIEW_ID:
        cards = (
            patient_view_cards(
                assessment,
                patient_id=patient_id,
                latest_exam=latest,
                today=dt.datetime.now(dt.UTC).date(),
                report_url=REPORT_PLACEHOLDER,
            )
            if assessment is not None
            else []
        )
    else:
        drafts = _draft_orders(context.get("draftOrders"))
        selections = context.get("selections")
        cards = order_select_cards(
            assessment,
            draft_orders=drafts,
            selections=[s for s in selections if isinstance(s, str)]
            if isinstance(selections, list)
            else None,
            patient_id=patient_id,
            report_url=REPORT_PLACEHOLDER,
        )
    return assessment, cards


def _warm_up_prefetch() -> dict[str, Any]:
    """A made-up chart (one patient, cirrhosis, two CT reports) used only by ``warm_up``."""

    def searchset(*resources: dict[str, Any]) -> dict[str, Any]:
        return {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [{"resource": r} for r in resources],
        }

    def report(rid: str, date: str, text: str) -> dict[str, Any]:
        return {
            "resourceType": "DiagnosticReport",
            "id": rid,
            "status": "final",
            "code": {"text": "CT abdomen"},
            "subject": {"reference": "Patient/warm"},
            "effectiveDateTime": date,
            "conclusion": text,
        }

    return {
        "patient": {"resourceType": "Patient", "id": "warm", "gender": "female"},
        "conditions": searchset(
            {
                "resourceType": "Condition",
                "id": "warm-c",
                "subject": {"reference": "Patient/warm"},
                "code": {"coding": [{"system": "http://snomed.info/sct", "code": "19943007"}]},
            }
        ),
        "imagingReports": searchset(
            report("warm-2", "2024-01-10", "Liver: the calcification in segment 7 is 25 mm."),
            report("warm-1", "2023-01-10", "Liver: 14 mm calcification in segment 7."),
        ),
        "afp": searchset(
            {
                "resourceType": "Observation",
                "id": "warm-o",
                "status": "final",
                "code": {"coding": [{"system": "http://loinc.org", "code": "1834-1"}]},
                "valueQuantity": {"value": 5, "unit": "ng/mL", "code": "ng/mL"},
            }
        ),
    }


def warm_up() -> None:
    """Run both services once on a made-up chart (called at start-up, before gc.freeze).

    Why: the FHIR models (``fhir.resources``) are imported and built on first use,
    tens of thousands of objects; created during the first real call they would
    land after the start-up heap is frozen, and every full garbage collection
    would walk them again (measured: about 55 ms per collection, the CDS call's
    p99). Built here they are frozen with the rest.
    """
    prefetch = _warm_up_prefetch()
    _cards(PATIENT_VIEW_ID, {"patientId": "warm"}, prefetch, "warm")
    order = {
        "resourceType": "ServiceRequest",
        "id": "warm-sr",
        "status": "draft",
        "intent": "order",
        "code": {"text": "MRI abdomen"},
        "subject": {"reference": "Patient/warm"},
    }
    context = {
        "patientId": "warm",
        "selections": ["ServiceRequest/warm-sr"],
        "draftOrders": {
            "resourceType": "Bundle",
            "type": "collection",
            "entry": [{"resource": order}],
        },
    }
    _cards(ORDER_SELECT_ID, context, prefetch, "warm")


def _draft_orders(bundle: Any) -> list[dict[str, Any]]:
    """ServiceRequests from context.draftOrders (a FHIR Bundle), validated."""
    if bundle is None:
        raise InputError([("context.draftOrders", "is required for order-select")])
    validate_resource(bundle, "context.draftOrders")
    if bundle.get("resourceType") != "Bundle":
        raise InputError([("context.draftOrders.resourceType", "must be Bundle")])
    out = []
    for entry in bundle.get("entry") or []:
        resource = entry.get("resource") if isinstance(entry, dict) else None
        if isinstance(resource, dict) and resource.get("resourceType") == "ServiceRequest":
            out.append(resource)
    return out


def known_service(service_id: str) -> str:
    """404 for a service id we do not offer, before the body is read (as before)."""
    if service_id not in SERVICES:
        raise HTTPException(status_code=404, detail="no such CDS service")
    return service_id


@router.post("/{service_id}/feedback", summary="Feedback on cards (accepted / overridden)")
async def feedback(
    request: Request,
    service_id: Annotated[str, Depends(known_service)],
    req: Annotated[FeedbackRequest, json_body(FeedbackRequest)],
) -> JSONResponse:
    store: FeedbackStore = request.app.state.feedback
    added = 0
    for item in req.feedback:
        added += store.add(service_id, item.model_dump(mode="json", exclude_none=True))
    return JSONResponse({"received": len(req.feedback), "new": added})
