"""Ingest reports into the registry: one transaction per report, idempotent per report id.

For each input line ``{"id", "patient_id", "date", "modality", "text"}`` (plus the
optional ``"patient"`` context, and the additive ``"contrast"`` and ``"findings"``
documented in docs/registry.md) the registry:

1. hashes the whole line; a report id already stored with the same hash is
   skipped without writing anything (so a rerun changes nothing, audit included);
   a different hash under the same id becomes the next *version* of that report;
2. reads the findings from the text (``hepcalc.reports.extract_findings``), unless
   the line gives structured ``findings``;
3. assesses the patient's WHOLE stored history as one Case (every exam with the
   findings of its current report version), so a second report of the same
   patient yields growth across exams;
4. stores the assessment (with kb_version and the Case it was made from) and its
   recommendations with due dates, and supersedes the patient's earlier open
   recommendations (the new assessment covers the whole history, so it replaces
   them; ``superseded_by`` points at the new recommendation for the same track);
5. writes an audit row for every insert and update, then commits.

Because each report commits on its own and the skip check runs first, a batch
killed at any point (even ``kill -9``) keeps every committed report, and a rerun
finishes the rest without duplicates.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from hepcalc.errors import InputError, parse_document, validate_as
from hepcalc.model import (
    MAX_REPORT_CHARS,
    Assessment,
    Case,
    Contrast,
    Exam,
    Finding,
    Modality,
    Patient,
)
from hepcalc.registry import schedule
from hepcalc.registry.models import (
    STATUS_CANCELLED,
    STATUS_DONE,
    STATUS_OPEN,
    AssessmentRow,
    ExamRow,
    FindingRow,
    PatientRow,
    RecommendationRow,
    ReportRow,
)
from hepcalc.registry.store import Registry, RegistryError, audit, now

MAX_LINE_BYTES = MAX_REPORT_CHARS * 4 + 100_000  # a maximal report in UTF-8 plus its context
MAX_EXAMS_PER_CASE = 100  # Case.exams limit: the most recent 100 exams are assessed

ExtractFn = Callable[[str, Modality | None], list[Finding]]
AssessFn = Callable[[Case], Assessment]


class IngestLine(BaseModel):
    """One input line; unknown fields are refused so that typos are not silently lost."""

    model_config = ConfigDict(extra="forbid")

    id: Annotated[str, Field(min_length=1, max_length=120)]
    patient_id: Annotated[str, Field(min_length=1, max_length=120)]
    date: dt.date
    modality: Modality
    text: Annotated[str, Field(max_length=MAX_REPORT_CHARS)] = ""
    patient: Patient | None = None
    # Additive (docs/registry.md): the exam's contrast, and structured findings that
    # are stored instead of reading the text (as for Case exams).
    contrast: Contrast | None = None
    findings: list[Finding] | None = Field(default=None, max_length=200)

    @field_validator("id", "patient_id", mode="before")
    @classmethod
    def _ids_as_text(cls, v: Any) -> Any:
        if isinstance(v, int) and not isinstance(v, bool):
            return str(v)
        if isinstance(v, str) and not v.strip():
            raise ValueError("must not be blank")
        return v

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, v: Any) -> Any:
        if isinstance(v, str):
            try:
                return dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError("must be an ISO date YYYY-MM-DD") from None
        return v

    def content_hash(self) -> str:
        """SHA-256 of the canonical JSON of everything but the id (text, date, context...)."""
        data = self.model_dump(mode="json", exclude={"id"}, exclude_none=True)
        blob = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def parse_line(raw: str | bytes, where: str) -> IngestLine:
    """Parse one JSONL line; errors name the line (``line 3.date: ...``)."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_LINE_BYTES:
            raise InputError([(where, f"longer than {MAX_LINE_BYTES} bytes")])
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            raise InputError([(where, f"not UTF-8 text (byte {e.start})")]) from None
    text = raw.strip()
    if not text.startswith("{"):
        raise InputError([(where, "each line must be one JSON object")])
    return validate_as(IngestLine, parse_document(text, where), where)


def iter_jsonl(path: Path) -> Iterator[tuple[int, bytes]]:
    """(line number, raw bytes) for each non-blank line, streaming (constant memory)."""
    with path.open("rb") as f:
        for n, raw in enumerate(f, start=1):
            if raw.strip():
                yield n, raw


def validate_file(path: Path, max_problems: int = 20) -> int:
    """Check every line before anything is written; returns the number of reports.

    A file with any bad line is refused as a whole (exit 2), so that a typo on line
    90,000 does not leave a half-ingested batch behind.
    """
    problems: list[tuple[str, str]] = []
    count = 0
    for n, raw in iter_jsonl(path):
        try:
            parse_line(raw, f"line {n}")
            count += 1
        except InputError as e:
            problems.extend(e.problems)
            if len(problems) >= max_problems:
                problems.append(("", f"stopped after {max_problems} problems"))
                break
    if problems:
        raise InputError(problems)
    if count == 0:
        raise InputError([(str(path), "contains no reports")])
    return count


# ---------------------------------------------------------------------------
# The layers this face calls (reader and engine), resolved lazily.
# ---------------------------------------------------------------------------


def default_extract(text: str, modality: Modality | None) -> list[Finding]:
    """Free text -> findings, with the project's reader."""
    from hepcalc.reports import extract_findings

    return list(extract_findings(text, modality=modality))


def default_assess(case: Case) -> Assessment:
    """Case -> Assessment through the pipeline (engine + summaries), as every face does."""
    from hepcalc.pipeline import assess

    return assess(case)


# ---------------------------------------------------------------------------
# Ingest
# ---------------------------------------------------------------------------


@dataclass
class IngestResult:
    """What a batch did; ``rejected`` lists (where, message) per refused report."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: list[tuple[str, str]] = field(default_factory=list)
    recommendation_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + len(self.rejected)

    def as_dict(self) -> dict[str, Any]:
        return {
            "new": self.new,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": [{"where": w, "problem": m} for w, m in self.rejected],
        }


def _finding_summary(assessment: Assessment, track: str | None) -> str | None:
    """A short human label of the finding a recommendation is about (for worklists)."""
    if track is None:
        return None
    for f in assessment.findings:
        if f.track != track:
            continue
        parts = [f"{f.track}: {f.kind.value}"]
        if f.latest_size_mm is not None:
            parts.append(f"{f.latest_size_mm:g} mm")
        if f.location is not None:
            if f.location.lobe is not None:
                parts.append(f"{f.location.lobe.value} lobe")
            if f.location.segment is not None:
                parts.append(f"segment {f.location.segment}")
        parts.append(f"({f.category.value})")
        return " ".join(parts)
    return track


def _rec_snapshot(r: RecommendationRow) -> dict[str, Any]:
    return {
        "status": r.status,
        "status_reason": r.status_reason,
        "superseded_by": r.superseded_by,
        "due_date": r.due_date.isoformat() if r.due_date else None,
    }


class Ingestor:
    """Ingests lines into one registry; ``extract``/``assess`` are injectable for tests."""

    def __init__(
        self,
        registry: Registry,
        actor: str,
        extract: ExtractFn | None = None,
        assess: AssessFn | None = None,
    ) -> None:
        self.registry = registry
        self.actor = actor
        self.extract = extract or default_extract
        self.assess = assess or default_assess

    # -- one report -----------------------------------------------------------------

    def ingest_one(self, line: IngestLine, where: str = "") -> tuple[str, list[int]]:
        """Store one report in its own transaction; returns (outcome, recommendation ids).

        outcome is ``new``, ``updated`` or ``unchanged``. Raises InputError (nothing
        written) when the report conflicts with the registry or the engine refuses it.
        """
        digest = line.content_hash()
        for attempt in range(2):
            try:
                with self.registry.session() as s:
                    return self._ingest_in(s, line, digest, where)
            except IntegrityError:
                # A concurrent writer inserted the same patient/report first: the
                # retry sees its row and takes the normal path.
                if attempt == 1:
                    raise
        raise AssertionError("unreachable")

    def _ingest_in(
        self, s: Session, line: IngestLine, digest: str, where: str
    ) -> tuple[str, list[int]]:
        at = now()
        exam = s.scalars(select(ExamRow).where(ExamRow.report_key == line.id)).one_or_none()
        patient = s.scalars(
            select(PatientRow).where(PatientRow.pseudonym == line.patient_id)
        ).one_or_none()
        if exam is not None:
            current = s.scalars(
                select(ReportRow).where(
                    ReportRow.exam_id == exam.id, ReportRow.version == exam.current_version
                )
            ).one()
            if current.content_hash == digest:
                return "unchanged", []
            if patient is None or exam.patient_id != patient.id:
                raise InputError(
                    [
                        (
                            f"{where}.patient_id" if where else "patient_id",
                            f"report {line.id!r} is stored for another patient; a report id "
                            "cannot move between patients (use a new report id)",
                        )
                    ]
                )

        if patient is None:
            patient = PatientRow(
                pseudonym=line.patient_id,
                context=line.patient.model_dump(mode="json", exclude_none=True)
                if line.patient
                else {},
                created_at=at,
                updated_at=at,
            )
            s.add(patient)
            s.flush()
            audit(
                s,
                actor=self.actor,
                action="insert",
                table="patients",
                row_id=patient.id,
                new={"pseudonym": patient.pseudonym, "context": patient.context},
                at=at,
            )
        elif line.patient is not None:
            context = line.patient.model_dump(mode="json", exclude_none=True)
            if context != patient.context:
                old = patient.context
                patient.context = context
                patient.updated_at = at
                audit(
                    s,
                    actor=self.actor,
                    action="update",
                    table="patients",
                    row_id=patient.id,
                    old={"context": old},
                    new={"context": context},
                    note=f"context from report {line.id}",
                    at=at,
                )

        if exam is None:
            outcome, version = "new", 1
            exam = ExamRow(
                report_key=line.id,
                patient_id=patient.id,
                date=line.date,
                modality=line.modality.value,
                contrast=line.contrast.value if line.contrast else None,
                current_version=1,
            )
            s.add(exam)
            s.flush()
            audit(
                s,
                actor=self.actor,
                action="insert",
                table="exams",
                row_id=exam.id,
                new={
                    "report_key": exam.report_key,
                    "date": str(exam.date),
                    "modality": exam.modality,
                },
                at=at,
            )
        else:
            outcome, version = "updated", exam.current_version + 1
            old = {
                "date": str(exam.date),
                "modality": exam.modality,
                "current_version": exam.current_version,
            }
            exam.date = line.date
            exam.modality = line.modality.value
            exam.contrast = line.contrast.value if line.contrast else None
            exam.current_version = version
            audit(
                s,
                actor=self.actor,
                action="update",
                table="exams",
                row_id=exam.id,
                old=old,
                new={"date": str(exam.date), "modality": exam.modality, "current_version": version},
                note=f"report {line.id} changed: version {version}",
                at=at,
            )

        report = ReportRow(
            exam_id=exam.id,
            version=version,
            content_hash=digest,
            date=line.date,
            modality=line.modality.value,
            text=line.text,
            received_at=at,
        )
        s.add(report)
        s.flush()
        audit(
            s,
            actor=self.actor,
            action="insert",
            table="reports",
            row_id=report.id,
            new={"report_key": line.id, "version": version, "content_hash": digest},
            at=at,
        )

        findings = (
            list(line.findings)
            if line.findings is not None
            else self.extract(line.text, line.modality)
        )
        finding_ids: list[int] = []
        for i, f in enumerate(findings):
            row = FindingRow(
                report_id=report.id,
                ordinal=i,
                kind=f.kind.value,
                size_mm=f.size_mm,
                calcified=f.is_calcified,
                evidence_sentence=f.evidence.sentence if f.evidence else None,
                evidence_start=f.evidence.start if f.evidence else None,
                evidence_end=f.evidence.end if f.evidence else None,
                data=f.model_dump(mode="json", exclude_none=True),
            )
            s.add(row)
            s.flush()
            finding_ids.append(row.id)
        audit(
            s,
            actor=self.actor,
            action="insert",
            table="findings",
            row_id=report.id,
            new={"report_id": report.id, "finding_ids": finding_ids},
            note="findings of one report version (row_id = report id)",
            at=at,
        )

        rec_ids = self._assess_patient(s, patient, exam, report, line, at)
        return outcome, rec_ids

    # -- the patient's history --------------------------------------------------------

    def build_case(self, s: Session, patient: PatientRow) -> Case:
        """All the patient's exams (current report versions) with stored findings, as a Case."""
        exams = s.scalars(
            select(ExamRow)
            .where(ExamRow.patient_id == patient.id)
            .order_by(ExamRow.date.desc(), ExamRow.id.desc())
            .limit(MAX_EXAMS_PER_CASE)
        ).all()
        case_exams: list[Exam] = []
        for e in reversed(exams):
            report = s.scalars(
                select(ReportRow).where(
                    ReportRow.exam_id == e.id, ReportRow.version == e.current_version
                )
            ).one()
            rows = s.scalars(
                select(FindingRow)
                .where(FindingRow.report_id == report.id)
                .order_by(FindingRow.ordinal)
            ).all()
            case_exams.append(
                Exam(
                    id=e.report_key,
                    date=e.date,
                    modality=Modality(e.modality),
                    contrast=Contrast(e.contrast) if e.contrast else None,
                    findings=[Finding.model_validate(r.data) for r in rows],
                )
            )
        return Case(
            patient=Patient.model_validate(patient.context or {}),
            exams=case_exams,
            id=patient.pseudonym,
        )

    def _assess_patient(
        self,
        s: Session,
        patient: PatientRow,
        exam: ExamRow,
        report: ReportRow,
        line: IngestLine,
        at: dt.datetime,
    ) -> list[int]:
        case = self.build_case(s, patient)
        assessment = self.assess(case)
        as_of = max(x.date for x in case.exams if x.date is not None)
        row = AssessmentRow(
            patient_id=patient.id,
            report_id=report.id,
            kb_version=assessment.kb_version,
            as_of_exam_date=as_of,
            case_json=case.model_dump(mode="json", exclude_none=True),
            result=assessment.to_json_dict(),
            created_at=at,
        )
        s.add(row)
        s.flush()
        audit(
            s,
            actor=self.actor,
            action="insert",
            table="assessments",
            row_id=row.id,
            new={"kb_version": row.kb_version, "report_id": report.id, "as_of": str(as_of)},
            at=at,
        )

        earlier_open = s.scalars(
            select(RecommendationRow)
            .where(
                RecommendationRow.patient_id == patient.id,
                RecommendationRow.status == STATUS_OPEN,
            )
            .order_by(RecommendationRow.id)
        ).all()

        new_rows: list[RecommendationRow] = []
        for i, rec in enumerate(assessment.recommendations):
            due, overdue = schedule.due_window(rec.action.value, as_of, rec.interval_months)
            interval = sorted(rec.interval_months) if rec.interval_months else None
            nothing = rec.action.value in schedule.NOTHING_TO_SCHEDULE
            r = RecommendationRow(
                assessment_id=row.id,
                patient_id=patient.id,
                ordinal=i,
                track=rec.track,
                finding_summary=_finding_summary(assessment, rec.track),
                action=rec.action.value,
                modality=rec.modality,
                contrast=rec.contrast.value if rec.contrast else None,
                interval_lo_months=interval[0] if interval else None,
                interval_hi_months=interval[-1] if interval else None,
                duration_months=rec.duration_months,
                rule=rec.rule,
                rationale=rec.rationale,
                citations=list(rec.citations),
                due_date=due,
                overdue_after=overdue,
                status=STATUS_DONE if nothing else STATUS_OPEN,
                status_reason="nothing to schedule" if nothing else None,
                created_at=at,
                updated_at=at,
            )
            s.add(r)
            s.flush()
            new_rows.append(r)
            audit(
                s,
                actor=self.actor,
                action="insert",
                table="recommendations",
                row_id=r.id,
                new={
                    "action": r.action,
                    "track": r.track,
                    "due_date": str(due) if due else None,
                    "status": r.status,
                    "assessment_id": row.id,
                },
                at=at,
            )

        by_track: dict[str | None, int] = {}
        for r in new_rows:
            by_track.setdefault(r.track, r.id)
        first_id = new_rows[0].id
        for old in earlier_open:
            before = _rec_snapshot(old)
            replacement = by_track.get(old.track, first_id)
            old.status = STATUS_CANCELLED
            old.status_reason = (
                f"superseded by assessment {row.id} after report {line.id} "
                f"(recommendation {replacement})"
            )
            old.superseded_by = replacement
            old.updated_at = at
            audit(
                s,
                actor=self.actor,
                action="supersede",
                table="recommendations",
                row_id=old.id,
                old=before,
                new=_rec_snapshot(old),
                at=at,
            )
        return [r.id for r in new_rows]

    # -- batches ----------------------------------------------------------------------

    def ingest_lines(
        self,
        lines: Iterable[tuple[str, IngestLine]],
        on_progress: Callable[[str, str], None] | None = None,
    ) -> IngestResult:
        """Ingest (where, line) pairs, each in its own transaction.

        A report the engine or the registry refuses (InputError) is rolled back and
        listed in ``rejected``; the batch goes on. Any other error (database down)
        stops the batch: what was committed stays, a rerun continues from there.
        """
        result = IngestResult()
        for where, line in lines:
            try:
                outcome, rec_ids = self.ingest_one(line, where)
            except OperationalError as e:
                done = result.new + result.updated + result.unchanged
                raise RegistryError(
                    f"database error at {where} after {done} reports "
                    f"(all committed; rerun to continue): {str(e.orig or e).strip()[:300]}"
                ) from None
            except InputError as e:
                result.rejected.extend(
                    (p if p.startswith(where) else f"{where}: {p}" if p else where, m)
                    for p, m in e.problems
                )
                if on_progress:
                    on_progress(where, "rejected")
                continue
            setattr(result, outcome, getattr(result, outcome) + 1)
            result.recommendation_ids.extend(rec_ids)
            if on_progress:
                on_progress(where, outcome)
        return result

    def ingest_file(
        self,
        path: Path,
        on_progress: Callable[[str, str], None] | None = None,
        validate: bool = True,
    ) -> IngestResult:
        """Validate the whole file (unless the caller just did), then ingest it streaming."""
        if validate:
            validate_file(path)

        def lines() -> Iterator[tuple[str, IngestLine]]:
            for n, raw in iter_jsonl(path):
                where = f"line {n}"
                yield where, parse_line(raw, where)

        return self.ingest_lines(lines(), on_progress)


def ingest_records(
    registry: Registry,
    records: list[dict[str, Any]],
    actor: str,
    extract: ExtractFn | None = None,
    assess: AssessFn | None = None,
) -> IngestResult:
    """Ingest already-parsed records (the HTTP face); all are validated first."""
    parsed: list[tuple[str, IngestLine]] = []
    problems: list[tuple[str, str]] = []
    for i, rec in enumerate(records):
        where = f"reports[{i}]"
        try:
            parsed.append((where, validate_as(IngestLine, rec, where)))
        except InputError as e:
            problems.extend(e.problems)
    if problems:
        raise InputError(problems)
    return Ingestor(registry, actor, extract, assess).ingest_lines(parsed)
