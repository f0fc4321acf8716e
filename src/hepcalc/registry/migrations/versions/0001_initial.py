"""Initial registry schema: patients, exams, reports, findings, assessments,
recommendations, audit.

Revision ID: 0001_initial
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001_initial"
down_revision = None
branch_labels = None
depends_on = None

TZ = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "patients",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pseudonym", sa.String(120), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_patients"),
        sa.UniqueConstraint("pseudonym", name="uq_patients_pseudonym"),
    )
    op.create_table(
        "exams",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_key", sa.String(120), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("contrast", sa.String(20), nullable=True),
        sa.Column("current_version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_exams_patient_id_patients"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_exams"),
        sa.UniqueConstraint("report_key", name="uq_exams_report_key"),
    )
    op.create_index("ix_exams_patient_id", "exams", ["patient_id"])
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("exam_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("modality", sa.String(16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("received_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(["exam_id"], ["exams.id"], name="fk_reports_exam_id_exams"),
        sa.PrimaryKeyConstraint("id", name="pk_reports"),
        sa.UniqueConstraint("exam_id", "version", name="uq_reports_exam_version"),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("size_mm", sa.Float(), nullable=True),
        sa.Column("calcified", sa.Boolean(), nullable=False),
        sa.Column("evidence_sentence", sa.Text(), nullable=True),
        sa.Column("evidence_start", sa.Integer(), nullable=True),
        sa.Column("evidence_end", sa.Integer(), nullable=True),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_findings_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_findings"),
    )
    op.create_index("ix_findings_report_id", "findings", ["report_id"])
    op.create_table(
        "assessments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kb_version", sa.String(80), nullable=False),
        sa.Column("as_of_exam_date", sa.Date(), nullable=False),
        sa.Column("case_json", sa.JSON(), nullable=False),
        sa.Column("result", sa.JSON(), nullable=False),
        sa.Column("created_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_assessments_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["reports.id"], name="fk_assessments_report_id_reports"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_assessments"),
    )
    op.create_index("ix_assessments_patient_id", "assessments", ["patient_id"])
    op.create_table(
        "recommendations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("assessment_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("track", sa.String(40), nullable=True),
        sa.Column("finding_summary", sa.Text(), nullable=True),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("modality", sa.String(40), nullable=True),
        sa.Column("contrast", sa.String(20), nullable=True),
        sa.Column("interval_lo_months", sa.Float(), nullable=True),
        sa.Column("interval_hi_months", sa.Float(), nullable=True),
        sa.Column("duration_months", sa.Float(), nullable=True),
        sa.Column("rule", sa.String(120), nullable=False),
        sa.Column("rationale", sa.Text(), nullable=False),
        sa.Column("citations", sa.JSON(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=True),
        sa.Column("overdue_after", sa.Date(), nullable=True),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_reason", sa.Text(), nullable=True),
        sa.Column("superseded_by", sa.Integer(), nullable=True),
        sa.Column("created_at", TZ, nullable=False),
        sa.Column("updated_at", TZ, nullable=False),
        sa.ForeignKeyConstraint(
            ["assessment_id"],
            ["assessments.id"],
            name="fk_recommendations_assessment_id_assessments",
        ),
        sa.ForeignKeyConstraint(
            ["patient_id"], ["patients.id"], name="fk_recommendations_patient_id_patients"
        ),
        sa.ForeignKeyConstraint(
            ["superseded_by"],
            ["recommendations.id"],
            name="fk_recommendations_superseded_by_recommendations",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_recommendations"),
    )
    op.create_index("ix_recommendations_patient_id", "recommendations", ["patient_id"])
    op.create_index("ix_recommendations_status_due", "recommendations", ["status", "due_date"])
    op.create_table(
        "audit",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", TZ, nullable=False),
        sa.Column("actor", sa.String(120), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("table_name", sa.String(40), nullable=False),
        sa.Column("row_id", sa.Integer(), nullable=False),
        sa.Column("old", sa.JSON(), nullable=True),
        sa.Column("new", sa.JSON(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit"),
    )
    op.create_index("ix_audit_table_row", "audit", ["table_name", "row_id"])


def downgrade() -> None:
    op.drop_index("ix_audit_table_row", table_name="audit")
    op.drop_table("audit")
    op.drop_index("ix_recommendations_status_due", table_name="recommendations")
    op.drop_index("ix_recommendations_patient_id", table_name="recommendations")
    op.drop_table("recommendations")
    op.drop_index("ix_assessments_patient_id", table_name="assessments")
    op.drop_table("assessments")
    op.drop_index("ix_findings_report_id", table_name="findings")
    op.drop_table("findings")
    op.drop_table("reports")
    op.drop_index("ix_exams_patient_id", table_name="exams")
    op.drop_table("exams")
    op.drop_table("patients")
