"""The follow-up worklist (what is due or overdue at a date) and closing recommendations.

Status at a worklist's as-of date (docs/registry.md):

* ``due``: open, ``due_date <= as_of <= overdue_after`` (inside the recommended window);
* ``overdue``: open and ``as_of > overdue_after`` (derived, never stored, so a
  worklist for any date is correct without a nightly job);
* open recommendations whose due date is still ahead are not on the worklist
  unless ``--days N`` looks ahead (``upcoming``);
* ``done`` and ``cancelled`` (superseded, or closed by a user) are never listed.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from typing import Any

from sqlalchemy import select

from hepcalc.errors import InputError
from hepcalc.registry.models import (
    STATUS_DONE,
    STATUS_OPEN,
    AssessmentRow,
    ExamRow,
    PatientRow,
    RecommendationRow,
    ReportRow,
)
from hepcalc.registry.store import Registry, audit, now
from hepcalc.registry.vocabulary import CLOSE_STATUSES, WORKLIST_FORMATS

COLUMNS = (
    "id",
    "patient",
    "status",
    "due_date",
    "overdue_after",
    "days_overdue",
    "action",
    "modality",
    "contrast",
    "interval_months",
    "finding",
    "track",
    "exam",
    "exam_date",
    "rule",
    "rationale",
    "kb_version",
)


class RecommendationNotFound(InputError):
    """No recommendation with that id (HTTP 404; CLI exit 2)."""


class AlreadyClosed(InputError):
    """The recommendation is not open any more (HTTP 409; CLI exit 2)."""


def derived_status(rec: RecommendationRow, as_of: dt.date) -> str:
    """open/done/cancelled as stored, with open split into upcoming, due and overdue."""
    if rec.status != STATUS_OPEN or rec.due_date is None:
        return rec.status
    if as_of < rec.due_date:
        return "upcoming"
    if rec.overdue_after is not None and as_of > rec.overdue_after:
        return "overdue"
    return "due"


def worklist(
    registry: Registry,
    as_of: dt.date,
    days_ahead: int = 0,
    patient: str | None = None,
) -> list[dict[str, Any]]:
    """Open follow-ups due by ``as_of + days_ahead``, most overdue first."""
    if days_ahead < 0:
        raise InputError([("days", "must be >= 0")])
    horizon = as_of + dt.timedelta(days=days_ahead)
    stmt = (
        select(RecommendationRow, PatientRow, AssessmentRow, ExamRow)
        .join(PatientRow, PatientRow.id == RecommendationRow.patient_id)
        .join(AssessmentRow, AssessmentRow.id == RecommendationRow.assessment_id)
        .join(ReportRow, ReportRow.id == AssessmentRow.report_id)
        .join(ExamRow, ExamRow.id == ReportRow.exam_id)
        .where(
            RecommendationRow.status == STATUS_OPEN,
            RecommendationRow.due_date.is_not(None),
            RecommendationRow.due_date <= horizon,
        )
        .order_by(RecommendationRow.due_date, RecommendationRow.id)
    )
    if patient is not None:
        stmt = stmt.where(PatientRow.pseudonym == patient)
    rows: list[dict[str, Any]] = []
    with registry.sessions() as s:
        for rec, pat, assessment, exam in s.execute(stmt):
            status = derived_status(rec, as_of)
            days_over = (
                (as_of - rec.overdue_after).days if status == "overdue" and rec.overdue_after else 0
            )
            interval = (
                [rec.interval_lo_months, rec.interval_hi_months]
                if rec.interval_lo_months is not None
                else None
            )
            rows.append(
                {
                    "id": rec.id,
                    "patient": pat.pseudonym,
                    "status": status,
                    "due_date": rec.due_date.isoformat() if rec.due_date else None,
                    "overdue_after": rec.overdue_after.isoformat() if rec.overdue_after else None,
                    "days_overdue": days_over,
                    "action": rec.action,
                    "modality": rec.modality,
                    "contrast": rec.contrast,
                    "interval_months": interval,
                    "finding": rec.finding_summary,
                    "track": rec.track,
                    "exam": exam.report_key,
                    "exam_date": assessment.as_of_exam_date.isoformat(),
                    "rule": rec.rule,
                    "rationale": rec.rationale,
                    "kb_version": assessment.kb_version,
                }
            )
    rows.sort(key=lambda r: (-r["days_overdue"], r["due_date"] or "", r["id"]))
    return rows


# A spreadsheet runs a cell that starts with one of these as a formula
# (=HYPERLINK(...) in a patient id): OWASP "CSV injection".
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _csv_cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def render(rows: list[dict[str, Any]], fmt: str, as_of: dt.date) -> str:
    """The worklist as JSON (an object with ``as_of`` and ``items``), CSV or a text table."""
    if fmt == "json":
        return json.dumps(
            {"as_of": as_of.isoformat(), "count": len(rows), "items": rows},
            indent=2,
            ensure_ascii=False,
        )
    if fmt == "csv":
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=list(COLUMNS), lineterminator="\n")
        w.writeheader()
        for r in rows:
            out = dict(r)
            if out["interval_months"] is not None:
                lo, hi = out["interval_months"]
                out["interval_months"] = f"{lo:g}-{hi:g}"
            w.writerow({k: _csv_cell(v) for k, v in out.items()})
        return buf.getvalue().rstrip("\n")
    if fmt == "text":
        if not rows:
            return f"No follow-ups due as of {as_of.isoformat()}."
        lines = [f"Follow-ups due as of {as_of.isoformat()}: {len(rows)}"]
        for r in rows:
            late = f" ({r['days_overdue']} days late)" if r["status"] == "overdue" else ""
            what = r["action"] + (f" {r['modality']}" if r["modality"] else "")
            lines.append(
                f"#{r['id']:<6} {r['status'].upper():<8} due {r['due_date']}{late}  "
                f"patient {r['patient']}  {what}  [{r['finding'] or 'patient-level'}]"
            )
        return "\n".join(lines)
    raise InputError(
        [("format", f"unknown format {fmt!r}; expected one of {', '.join(WORKLIST_FORMATS)}")]
    )


def close(
    registry: Registry,
    rec_id: int,
    reason: str,
    actor: str,
    status: str = STATUS_DONE,
) -> dict[str, Any]:
    """Mark an open recommendation done (or cancelled), with the reason, audited."""
    if status not in CLOSE_STATUSES:
        raise InputError(
            [("status", f"unknown status {status!r}; expected one of {', '.join(CLOSE_STATUSES)}")]
        )
    reason = reason.strip()
    if not reason:
        raise InputError([("reason", "is required (say why the follow-up is closed)")])
    if len(reason) > 2000:
        raise InputError([("reason", "longer than 2000 characters")])
    with registry.session() as s:
        # Locked (PostgreSQL; SQLite's writer holds the database lock): of two
        # simultaneous closes one wins, the other sees it closed (409), never both.
        rec = s.get(RecommendationRow, rec_id, with_for_update=True)
        if rec is None:
            raise RecommendationNotFound([("id", f"no recommendation {rec_id}")])
        if rec.status != STATUS_OPEN:
            raise AlreadyClosed(
                [("id", f"recommendation {rec_id} is already {rec.status}: {rec.status_reason}")]
            )
        at = now()
        old = {"status": rec.status, "status_reason": rec.status_reason}
        rec.status = status
        rec.status_reason = reason
        rec.updated_at = at
        audit(
            s,
            actor=actor,
            action="close",
            table="recommendations",
            row_id=rec.id,
            old=old,
            new={"status": status, "status_reason": reason},
            at=at,
        )
        return {"id": rec.id, "status": status, "status_reason": reason}
