"""The registry's tables (SQLAlchemy 2 declarative models).

One row per thing a quality team needs to trace a follow-up back to its
origin: the (pseudonymous) patient, the imaging exam, each version of its
report text, the findings read from that version (with the sentence they came
from), the assessment that was made (the whole Assessment JSON and the
kb_version), the recommendations with their due dates and status, and an audit
row for every insert and update.

The schema is created and changed only by the Alembic migrations in
``registry/migrations``; ``tests/registry`` checks that these models and the
migrations agree, so the two never drift apart.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Recommendation statuses live in registry.vocabulary (the CLI parser offers them
# without SQLAlchemy); re-exported here, where the tables that store them are.
from hepcalc.registry.vocabulary import STATUS_CANCELLED as STATUS_CANCELLED
from hepcalc.registry.vocabulary import STATUS_DONE as STATUS_DONE
from hepcalc.registry.vocabulary import STATUS_OPEN as STATUS_OPEN
from hepcalc.registry.vocabulary import STORED_STATUSES as STORED_STATUSES

# Named constraints so that migrations (and SQLite batch mode) can refer to them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class PatientRow(Base):
    """A patient known only by the pseudonymous id the sender gives (never a name)."""

    __tablename__ = "patients"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pseudonym: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    # hepcalc.model.Patient as JSON (age, sex, risk factors...); {} when never given.
    context: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False, default=dict)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class ExamRow(Base):
    """One imaging study; identified by the report id of the ingest line."""

    __tablename__ = "exams"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_key: Mapped[str] = mapped_column(String(120), unique=True, nullable=False)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    modality: Mapped[str] = mapped_column(String(16), nullable=False)
    contrast: Mapped[str | None] = mapped_column(String(20))
    # The report version whose text and findings currently describe this exam.
    current_version: Mapped[int] = mapped_column(Integer, nullable=False)


class ReportRow(Base):
    """One version of a report's text; a changed text under the same id is a new version."""

    __tablename__ = "reports"
    __table_args__ = (UniqueConstraint("exam_id", "version", name="uq_reports_exam_version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    exam_id: Mapped[int] = mapped_column(ForeignKey("exams.id"), nullable=False)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    content_hash: Mapped[str] = mapped_column(String(64), nullable=False)
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    modality: Mapped[str] = mapped_column(String(16), nullable=False)
    text: Mapped[str] = mapped_column(Text, nullable=False)
    received_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class FindingRow(Base):
    """A finding read from one report version, with the evidence it came from."""

    __tablename__ = "findings"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), nullable=False, index=True)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    kind: Mapped[str] = mapped_column(String(20), nullable=False)
    size_mm: Mapped[float | None] = mapped_column(Float)
    calcified: Mapped[bool] = mapped_column(Boolean, nullable=False)
    evidence_sentence: Mapped[str | None] = mapped_column(Text)
    evidence_start: Mapped[int | None] = mapped_column(Integer)
    evidence_end: Mapped[int | None] = mapped_column(Integer)
    # The whole hepcalc.model.Finding as JSON: what the next assessment is built from.
    data: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)


class AssessmentRow(Base):
    """One engine run over a patient's whole stored history, triggered by a report."""

    __tablename__ = "assessments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id"), nullable=False)
    kb_version: Mapped[str] = mapped_column(String(80), nullable=False)
    as_of_exam_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    case_json: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    result: Mapped[dict[str, Any]] = mapped_column(JSON, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class RecommendationRow(Base):
    """A follow-up to track; due from the latest exam date plus the interval's lower bound."""

    __tablename__ = "recommendations"
    __table_args__ = (Index("ix_recommendations_status_due", "status", "due_date"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(ForeignKey("assessments.id"), nullable=False)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id"), nullable=False, index=True)
    ordinal: Mapped[int] = mapped_column(Integer, nullable=False)
    track: Mapped[str | None] = mapped_column(String(40))
    finding_summary: Mapped[str | None] = mapped_column(Text)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    modality: Mapped[str | None] = mapped_column(String(40))
    contrast: Mapped[str | None] = mapped_column(String(20))
    interval_lo_months: Mapped[float | None] = mapped_column(Float)
    interval_hi_months: Mapped[float | None] = mapped_column(Float)
    duration_months: Mapped[float | None] = mapped_column(Float)
    rule: Mapped[str] = mapped_column(String(120), nullable=False)
    rationale: Mapped[str] = mapped_column(Text, nullable=False)
    citations: Mapped[list[str]] = mapped_column(JSON, nullable=False, default=list)
    due_date: Mapped[dt.date | None] = mapped_column(Date)
    overdue_after: Mapped[dt.date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), nullable=False)
    status_reason: Mapped[str | None] = mapped_column(Text)
    superseded_by: Mapped[int | None] = mapped_column(ForeignKey("recommendations.id"))
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)


class AuditRow(Base):
    """Who changed what, when, with the old and new values (append-only)."""

    __tablename__ = "audit"
    __table_args__ = (Index("ix_audit_table_row", "table_name", "row_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), nullable=False)
    actor: Mapped[str] = mapped_column(String(120), nullable=False)
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    table_name: Mapped[str] = mapped_column(String(40), nullable=False)
    row_id: Mapped[int] = mapped_column(Integer, nullable=False)
    old: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    new: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    note: Mapped[str | None] = mapped_column(Text)
