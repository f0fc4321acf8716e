"""Assessment -> CDS Hooks cards: presentation of what the engine decided.

Nothing here decides a recommendation. The engine chose the actions,
intervals and citations; this module words them for a card (using the
renderer's phrases), converts the interval into calendar dates (the same
arithmetic the registry uses), and picks the card's urgency from what the
engine returned:

* ``critical``: the engine assigned LI-RADS LR-5, LR-M or LR-TIV;
* ``warning``: significant growth, an overdue follow-up, or a work-up action
  (characterise, CT, biopsy, referral, discussion);
* ``info``: scheduled follow-up or surveillance not yet overdue.

The order-select card words the engine's order review
(``hepcalc.engine.orders.review_mri_order``, rule ``mri-calcification-ct``, seed
003): when the engine says an MRI order should be non-contrast CT, each draft MRI
order gets a card suggesting CT with the rule's own text and citations.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from typing import Any

from hepcalc.engine.orders import review_mri_order
from hepcalc.interop.fhir_input import modality_of
from hepcalc.knowledge import load_kb
from hepcalc.model import Action as Act
from hepcalc.model import Assessment, GrowthStatus, Recommendation
from hepcalc.render.view import reference_link
from hepcalc.render.words import clinician_action, modality_words
from hepcalc.web.cds_models import (
    SUMMARY_MAX,
    Action,
    Card,
    Coding,
    Link,
    Source,
    Suggestion,
)

WORKUP_ACTIONS = frozenset(
    {
        Act.noncontrast_ct,
        Act.characterize_contrast_imaging,
        Act.multidisciplinary_discussion,
        Act.biopsy_consideration,
        Act.surgical_consultation,
        Act.specialist_referral,
        Act.laboratory_tests,
        Act.treat_underlying_cause,
    }
)
IMAGING_ACTIONS = frozenset(
    {
        Act.follow_up_imaging,
        Act.surveillance_imaging,
        Act.hcc_surveillance,
        Act.noncontrast_ct,
        Act.characterize_contrast_imaging,
    }
)
CRITICAL_LIRADS = frozenset({"LR-5", "LR-M", "LR-TIV"})
OVERRIDE_SYSTEM = "urn:hepcalc:cds:override-reason"


def shorten(text: str, limit: int = SUMMARY_MAX) -> str:
    """One line of at most ``limit`` characters, cut at a word with an ellipsis."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


def _source(assessment: Assessment, citations: Iterable[str], rule: str | None) -> Source:
    """Label with the KB version; URL to the first cited paper that has a link."""
    refs = {r.key: r for r in assessment.references}
    url = None
    for key in citations:
        ref = refs.get(key)
        if ref is None:
            kb_ref = load_kb().references.get(key)
            if kb_ref is not None:
                url = (
                    f"https://doi.org/{kb_ref.doi}"
                    if kb_ref.doi
                    else f"https://pubmed.ncbi.nlm.nih.gov/{kb_ref.pmid}/"
                    if kb_ref.pmid
                    else kb_ref.url
                )
        else:
            url = reference_link(ref)
        if url:
            break
    label = f"hepcalc {assessment.kb_version}" + (f", rule {rule}" if rule else "")
    return Source(label=label[:120], url=url)


def _due(rec: Recommendation, latest_exam: dt.date | None, today: dt.date) -> str | None:
    """'overdue since …' / 'due now' / 'due from …', from the engine's interval."""
    if latest_exam is None or rec.action is Act.no_further_workup:
        return None
    from hepcalc.registry.schedule import due_window

    due, overdue_after = due_window(rec.action.value, latest_exam, rec.interval_months)
    if due is None or overdue_after is None:
        return None
    if today > overdue_after:
        return f"overdue since {overdue_after.isoformat()}"
    if today >= due:
        return f"due now (by {overdue_after.isoformat()})"
    return f"due from {due.isoformat()}"


def _service_request(
    description: str, patient_id: str, reason: str, period: tuple[dt.date, dt.date] | None
) -> dict[str, Any]:
    """A draft ServiceRequest proposal (FHIR R4); codes left as text (no unverified LOINC)."""
    resource: dict[str, Any] = {
        "resourceType": "ServiceRequest",
        "status": "draft",
        "intent": "proposal",
        "code": {"text": description},
        "subject": {"reference": f"Patient/{patient_id}"},
        "reasonCode": [{"text": reason}],
    }
    if period is not None:
        resource["occurrencePeriod"] = {
            "start": period[0].isoformat(),
            "end": period[1].isoformat(),
        }
    return resource


def _indicator(assessment: Assessment, primary: Recommendation | None, overdue: bool) -> str:
    if any(lr.category.value in CRITICAL_LIRADS for lr in assessment.lirads or []):
        return "critical"
    grew = any(g.status is GrowthStatus.significant_growth for g in assessment.growth)
    if grew or overdue or (primary is not None and primary.action in WORKUP_ACTIONS):
        return "warning"
    return "info"


def patient_view_cards(
    assessment: Assessment,
    *,
    patient_id: str,
    latest_exam: dt.date | None,
    today: dt.date,
    report_url: str,
) -> list[Card]:
    """Cards for chart-open: only when there is something to do or something changed."""
    actionable = [r for r in assessment.recommendations if r.action is not Act.no_further_workup]
    grown = [g for g in assessment.growth if g.status is GrowthStatus.significant_growth]
    if not actionable and not grown:
        return []
    cards: list[Card] = []
    link = Link(label="Open the hepcalc report", url=report_url, type="absolute")
    if actionable:
        primary = actionable[0]
        due = _due(primary, latest_exam, today)
        overdue = bool(due and due.startswith("overdue"))
        action_words = clinician_action(primary)
        summary = "Liver calcification: " + action_words + (f", {due}" if due else "")
        lines = []
        for rec in actionable:
            when = _due(rec, latest_exam, today)
            line = f"- **{clinician_action(rec)}**" + (f" ({when})" if when else "")
            line += f": {rec.rationale}" if rec.rationale else ""
            if rec.citations:
                line += f" [{', '.join(rec.citations)}]"
            lines.append(line)
        for assumption in assessment.risk.assumptions:
            lines.append(f"\n_Assumed:_ {assumption}")
        suggestions: list[Suggestion] = []
        imaging = next((r for r in actionable if r.action in IMAGING_ACTIONS and r.modality), None)
        if imaging is not None:
            study = modality_words(imaging.modality, imaging.contrast) or str(imaging.modality)
            period = None
            if latest_exam is not None and imaging.interval_months:
                from hepcalc.registry.schedule import due_window

                lo, hi = due_window(imaging.action.value, latest_exam, imaging.interval_months)
                if lo is not None and hi is not None:
                    period = (lo, hi)
            suggestions.append(
                Suggestion(
                    label=shorten(f"Order {study} of the liver", 80),
                    uuid=str(uuid.uuid4()),
                    isRecommended=True,
                    actions=[
                        Action(
                            type="create",
                            description=f"Order {study} (hepcalc rule {imaging.rule})",
                            resource=_service_request(
                                f"{study} abdomen (liver)",
                                patient_id,
                                "Liver calcification work-up or follow-up (hepcalc)",
                                period,
                            ),
                        )
                    ],
                )
            )
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=shorten(summary),
                detail="\n".join(lines),
                indicator=_indicator(assessment, primary, overdue),
                source=_source(assessment, primary.citations, primary.rule),
                suggestions=suggestions,
                selectionBehavior="at-most-one" if suggestions else None,
                links=[link],
            )
        )
    for g in grown:
        change = (
            f"{g.from_mm:g} to {g.to_mm:g} mm"
            if g.from_mm is not None and g.to_mm is not None
            else "in size"
        )
        months = f" in {round(g.interval_days / 30.44)} months" if g.interval_days else ""
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=shorten(
                    f"Liver finding {g.track} grew {change}{months}, beyond measurement variability"
                ),
                detail=g.explanation or None,
                indicator="warning",
                source=_source(assessment, g.citations, None),
                links=[link],
            )
        )
    return cards


def order_select_cards(
    assessment: Assessment | None,
    *,
    draft_orders: list[dict[str, Any]],
    selections: list[str] | None,
    patient_id: str,
    report_url: str | None,
) -> list[Card]:
    """Word the engine's order review (seed 003: CT, not MRI, for calcium) as cards."""
    if assessment is None:
        return []
    review = review_mri_order(assessment)
    if review is None:
        return []
    cards: list[Card] = []
    for order in draft_orders:
        order_id = order.get("id")
        ref = f"ServiceRequest/{order_id}" if isinstance(order_id, str) else None
        if selections and ref not in selections:
            continue
        if modality_of(order) != "MRI":
            continue
        actions = []
        if ref is not None:
            actions.append(
                Action(type="delete", description="Remove the draft MRI order", resourceId=ref)
            )
        actions.append(
            Action(
                type="create",
                description="Order CT of the liver, non-contrast images first",
                resource=_service_request(
                    "CT abdomen (liver) without contrast; add contrast phases only after the "
                    "non-contrast series",
                    patient_id,
                    "Characterise known liver calcification (MRI is unreliable for calcium)",
                    None,
                ),
            )
        )
        detail = f"{review.rationale}\n\nCitations: {', '.join(review.citations)}."
        cards.append(
            Card(
                uuid=str(uuid.uuid4()),
                summary=shorten(
                    "Known liver calcification: MRI is unreliable for calcium; "
                    "non-contrast CT characterises it"
                ),
                detail=detail,
                indicator="warning",
                source=_source(assessment, review.citations, review.rule),
                suggestions=[
                    Suggestion(
                        label="Order non-contrast CT instead of this MRI",
                        uuid=str(uuid.uuid4()),
                        isRecommended=True,
                        actions=actions,
                    )
                ],
                selectionBehavior="at-most-one",
                overrideReasons=[
                    Coding(
                        code="mri-for-lesion",
                        system=OVERRIDE_SYSTEM,
                        display="MRI is for an associated lesion, not the calcification",
                    ),
                    Coding(
                        code="ct-contraindicated",
                        system=OVERRIDE_SYSTEM,
                        display="CT radiation or contrast not acceptable for this patient",
                    ),
                ],
                links=[Link(label="Open the hepcalc report", url=report_url, type="absolute")]
                if report_url
                else [],
            )
        )
    return cards
