"""Ingest reports into the registry: batched transactions, idempotent per report id.

For each input line ``{"id", "patient_id", "date", "modality", "text"}`` (plus the
optional ``"patient"`` context, and the additive ``"contrast"`` and ``"findings"``
documented in docs/registry.md) the registry:

1. hashes the whole line; a report id already stored with the same hash is
   skipped without writing anything (so a rerun changes nothing, audit included);
   a different hash under the same id becomes the next *version* of that report;
2. reads the findings from the text (``hepcalc.reports.extract_findings``), unless
   the line gives structured ``findings``;
3. assesses the patient's WHOLE history as one Case (every exam with the findings
   of its current report version), so a second report of the same patient
   yields growth across exams;
4. stores the assessment (with kb_version and the Case it was made from) and its
   recommendations with due dates, and supersedes the patient's earlier open
   recommendations (the new assessment covers the whole history, so it replaces
   them; ``superseded_by`` points at the new recommendation for the same track);
5. writes an audit row for every insert and update, in the same transaction.

Why batches: profiling the one-transaction-per-report version (cProfile, 2,000
MTSamples reports) put 40 % of the time in rebuilding each patient's history
through ORM queries (one per exam and per report) and 30 % in ORM flushes (one
INSERT per row); reading and assessing were under 15 %. So ``batch_size``
reports (default ``DEFAULT_BATCH``) are written per transaction with Core
statements: one query per table for the batch's stored state, the patients'
histories loaded once and kept in memory for the batch (the per-patient
history cache), the batch's rows inserted with one multi-row INSERT ...
RETURNING per table, and the audit trail last, in the order of the changes.

Because a batch commits whole or not at all and the skip check runs first, a run
killed at any point (even ``kill -9``) keeps every committed batch, and a rerun
finishes the rest without duplicates. A transaction that loses a race with a
concurrent writer (unique violation, PostgreSQL serialisation failure or
deadlock, SQLite busy) is retried with backoff (``store.is_transient``).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import json
import random
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, field_validator
from sqlalchemy import Connection, and_, bindparam, func, insert, select, update
from sqlalchemy.exc import DBAPIError

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
    check_exam_date,
)
from hepcalc.registry import schedule
from hepcalc.registry.models import (
    STATUS_CANCELLED,
    STATUS_DONE,
    STATUS_OPEN,
    AssessmentRow,
    AuditRow,
    ExamRow,
    FindingRow,
    PatientRow,
    RecommendationRow,
    ReportRow,
)
from hepcalc.registry.store import LostRace, Registry, RegistryError, is_transient, now

MAX_LINE_BYTES = MAX_REPORT_CHARS * 4 + 100_000  # a maximal report in UTF-8 plus its context
MAX_EXAMS_PER_CASE = 100  # Case.exams limit: the most recent 100 exams are assessed
DEFAULT_BATCH = 500  # reports per transaction (``registry ingest --batch N``)
MAX_BATCH = 5000  # bounds the memory of one batch (its texts, histories and rows)
MAX_ATTEMPTS = 8  # transactions retried when a concurrent writer won a race
READ_CHUNK = 64  # lines per task for the reader processes of ``--workers N``

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
                v = dt.date.fromisoformat(v.strip())
            except ValueError:
                raise ValueError("must be an ISO date YYYY-MM-DD") from None
        # 9999-12-31 overflowed the due-date arithmetic (issue 16)
        return check_exam_date(v) if isinstance(v, dt.date) else v

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
    # Filled only when the Ingestor is made with collect_ids=True: a backfill of
    # millions of reports must not hold one id per recommendation (flat memory).
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


# ---------------------------------------------------------------------------
# Batched writing
# ---------------------------------------------------------------------------


@dataclass
class Prepared:
    """One validated line, hashed, with its findings once read: what a reader hands the writer.

    ``findings`` stays None until the text is read (lazily, only for reports that
    are not already stored unchanged); ``problems`` is set when the reader refused it.
    """

    where: str
    line: IngestLine
    digest: str
    findings: list[Finding] | None = None
    problems: list[tuple[str, str]] | None = None


def prepare(where: str, line: IngestLine) -> Prepared:
    return Prepared(where, line, line.content_hash())


def read_findings(p: Prepared, extract: ExtractFn) -> None:
    """Fill ``p.findings`` (structured findings as given, else read from the text)."""
    if p.findings is not None or p.problems is not None:
        return
    if p.line.findings is not None:
        p.findings = list(p.line.findings)
        return
    try:
        p.findings = extract(p.line.text, p.line.modality)
    except InputError as e:
        p.problems = _located(p.where, e.problems)


def _located(where: str, problems: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(p if p.startswith(where) else f"{where}: {p}" if p else where, m) for p, m in problems]


def read_raw_chunk(chunk: list[tuple[int, bytes]]) -> list[Prepared]:
    """A reader process's task (``--workers N``): parse, hash and read a run of lines."""
    out = []
    for n, raw in chunk:
        where = f"line {n}"
        p = prepare(where, parse_line(raw, where))
        read_findings(p, default_extract)
        out.append(p)
    return out


class _Ref:
    """The id of a row inserted later in the batch (filled in by the writer's RETURNING)."""

    __slots__ = ("id",)

    def __init__(self, id: int | None = None) -> None:
        self.id = id


class _Lazy:
    """A value computed once the batch's ids are known (audit texts that name ids)."""

    __slots__ = ("fn",)

    def __init__(self, fn: Callable[[], Any]) -> None:
        self.fn = fn


def _superseded_reason(assessment: _Ref, report_key: str, replacement: _Ref | None) -> str:
    """Audit text of a superseded recommendation, built once the batch's ids are known."""
    return (
        f"superseded by assessment {assessment.id} after report {report_key} "
        f"(recommendation {replacement.id if replacement else None})"
    )


def _resolve(v: Any) -> Any:
    if isinstance(v, _Ref):
        return v.id
    if isinstance(v, _Lazy):
        return v.fn()
    if isinstance(v, dict):
        return {k: _resolve(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_resolve(x) for x in v]
    return v


@dataclass
class _ExamState:
    ref: _Ref
    key: str
    date: dt.date
    order: int  # tie-break for equal dates: the exam id (new exams after stored ones)
    exam: Exam


@dataclass
class _OpenRec:
    ref: _Ref
    track: str | None
    status_reason: str | None
    superseded_by: int | None
    due_date: dt.date | None


@dataclass
class _PatientState:
    """A patient's history as the batch sees it (stored rows plus the batch's own)."""

    ref: _Ref
    pseudonym: str
    context: dict[str, Any]
    patient: Patient
    exams: dict[str, _ExamState] = field(default_factory=dict)
    open_recs: list[_OpenRec] = field(default_factory=list)


@dataclass
class _Rows:
    """Everything one batch writes, in dependency order; refs resolve as inserts return."""

    inserts: dict[str, list[tuple[_Ref, dict[str, Any]]]] = field(
        default_factory=lambda: {t: [] for t in _INSERT_ORDER}
    )
    updates: dict[str, list[dict[str, Any]]] = field(
        default_factory=lambda: {t: [] for t in ("patients", "exams", "recommendations")}
    )
    audit: list[dict[str, Any]] = field(default_factory=list)


_INSERT_ORDER: tuple[str, ...] = (
    "patients",
    "exams",
    "reports",
    "findings",
    "assessments",
    "recommendations",
)
_NEW_ORDER = 10**15  # exams created in this batch sort after every stored exam of a date


def _tables() -> dict[str, Any]:
    return {
        "patients": PatientRow.__table__,
        "exams": ExamRow.__table__,
        "reports": ReportRow.__table__,
        "findings": FindingRow.__table__,
        "assessments": AssessmentRow.__table__,
        "recommendations": RecommendationRow.__table__,
        "audit": AuditRow.__table__,
    }


def _copy_value(v: Any) -> Any:
    """A value for PostgreSQL COPY: refs resolved, JSON columns as JSON text."""
    v = _resolve(v)
    if isinstance(v, dict | list):
        return json.dumps(v, ensure_ascii=False)
    return v


def _chunks(items: list[Any], size: int = 900) -> Iterator[list[Any]]:
    """Bounded IN lists (SQLite's variable limit, PostgreSQL plan size)."""
    for i in range(0, len(items), size):
        yield items[i : i + size]


@dataclass
class _Outcome:
    outcome: str  # new, updated, unchanged, rejected
    problems: list[tuple[str, str]] | None = None
    rec_refs: list[_Ref] = field(default_factory=list)


class Ingestor:
    """Ingests lines into one registry in batched transactions.

    ``batch_size`` reports are written per transaction (1 = one per report). Every
    guarantee of the one-report path holds per batch: a batch commits whole or not
    at all (kill -9 loses at most the uncommitted batch, a rerun skips what is
    stored), the audit rows are in the same transaction as the change, and a report
    refused by the registry or the engine is left out alone while the others of its
    batch are stored. ``extract``/``assess`` are injectable for tests.
    """

    def __init__(
        self,
        registry: Registry,
        actor: str,
        extract: ExtractFn | None = None,
        assess: AssessFn | None = None,
        batch_size: int = DEFAULT_BATCH,
        collect_ids: bool = False,
    ) -> None:
        if not 1 <= batch_size <= MAX_BATCH:
            raise InputError([("batch", f"must be from 1 to {MAX_BATCH}")])
        self.registry = registry
        self.actor = actor
        self.extract = extract or default_extract
        self.assess = assess or default_assess
        self.batch_size = batch_size
        self.collect_ids = collect_ids
        self.t = _tables()

    # -- batches ----------------------------------------------------------------------

    def ingest_lines(
        self,
        lines: Iterable[tuple[str, IngestLine]],
        on_progress: Callable[[str, str], None] | None = None,
    ) -> IngestResult:
        """Ingest (where, line) pairs in batches of ``batch_size`` reports.

        A report the engine or the registry refuses (InputError) is left out and
        listed in ``rejected``; the batch goes on. A database failure that retries
        cannot cure stops the run with RegistryError: what was committed stays, a
        rerun continues from there.
        """
        return self.ingest_prepared(
            (prepare(where, line) for where, line in lines), on_progress, read=True
        )

    def ingest_prepared(
        self,
        items: Iterable[Prepared],
        on_progress: Callable[[str, str], None] | None = None,
        read: bool = True,
    ) -> IngestResult:
        """Ingest prepared lines; ``read`` = findings still have to be read here."""
        result = IngestResult()
        batch: list[Prepared] = []
        keys: set[str] = set()
        for p in items:
            # A report id twice in one batch (a correction right after the report)
            # closes the batch first, so each batch holds one version per report.
            if len(batch) >= self.batch_size or p.line.id in keys:
                self._commit(batch, result, on_progress, read)
                batch, keys = [], set()
            batch.append(p)
            keys.add(p.line.id)
        if batch:
            self._commit(batch, result, on_progress, read)
        return result

    def ingest_file(
        self,
        path: Path,
        on_progress: Callable[[str, str], None] | None = None,
        validate: bool = True,
        workers: int = 1,
    ) -> IngestResult:
        """Validate the whole file (unless the caller just did), then ingest it streaming.

        ``workers`` > 1 reads (parses, hashes, reads the text) in that many
        processes, in input order with bounded read-ahead, while this process only
        writes: the database work overlaps the reading.
        """
        if validate:
            validate_file(path)
        if workers <= 1:

            def lines() -> Iterator[tuple[str, IngestLine]]:
                for n, raw in iter_jsonl(path):
                    where = f"line {n}"
                    yield where, parse_line(raw, where)

            return self.ingest_lines(lines(), on_progress)
        return self.ingest_prepared(self._read_parallel(path, workers), on_progress, read=False)

    def _read_parallel(self, path: Path, workers: int) -> Iterator[Prepared]:
        import multiprocessing
        import sys
        from collections import deque
        from itertools import islice

        ctx = multiprocessing.get_context("fork" if sys.platform.startswith("linux") else "spawn")
        raw = iter_jsonl(path)
        with ctx.Pool(workers) as pool:
            pending: deque[Any] = deque()
            while True:
                chunk = list(islice(raw, READ_CHUNK))
                if chunk:
                    pending.append(pool.apply_async(read_raw_chunk, (chunk,)))
                if not pending:
                    break
                if len(pending) >= workers * 4 or not chunk:
                    yield from pending.popleft().get()

    def _commit(
        self,
        batch: list[Prepared],
        result: IngestResult,
        on_progress: Callable[[str, str], None] | None,
        read: bool,
    ) -> None:
        done = result.new + result.updated + result.unchanged
        try:
            if read:
                self._read_changed(batch)
            outcomes = self._write_with_retry(batch)
        except DBAPIError as e:
            raise RegistryError(
                f"database error at {batch[0].where} after {done} reports "
                f"(all committed; rerun to continue): {str(e.orig or e).strip()[:300]}"
            ) from None
        for p, o in zip(batch, outcomes, strict=True):
            if o.outcome == "rejected":
                result.rejected.extend(o.problems or [(p.where, "rejected")])
            else:
                setattr(result, o.outcome, getattr(result, o.outcome) + 1)
                if self.collect_ids:
                    result.recommendation_ids.extend(r.id for r in o.rec_refs if r.id is not None)
            if on_progress:
                on_progress(p.where, o.outcome)

    def _read_changed(self, batch: list[Prepared]) -> None:
        """Read the texts of the reports not already stored unchanged (outside any lock)."""
        exams, reports = self.t["exams"], self.t["reports"]
        stored: dict[str, str] = {}
        with self.registry.engine.connect() as conn:
            for chunk in _chunks([p.line.id for p in batch]):
                q = (
                    select(exams.c.report_key, reports.c.content_hash)
                    .join(
                        reports,
                        and_(
                            reports.c.exam_id == exams.c.id,
                            reports.c.version == exams.c.current_version,
                        ),
                    )
                    .where(exams.c.report_key.in_(chunk))
                )
                # Rows by column name: the table columns are untyped, the names are not.
                stored.update((row.report_key, row.content_hash) for row in conn.execute(q))
        for p in batch:
            if stored.get(p.line.id) != p.digest:
                read_findings(p, self.extract)

    def _write_with_retry(self, batch: list[Prepared]) -> list[_Outcome]:
        """One transaction for the batch, retried with backoff when a concurrent writer won."""
        for attempt in range(MAX_ATTEMPTS):
            try:
                with self.registry.writer() as conn:
                    return self._write(conn, batch)
            except (DBAPIError, LostRace) as e:
                if not is_transient(e) or attempt == MAX_ATTEMPTS - 1:
                    raise
                time.sleep(min(2.0, 0.02 * 2**attempt) * (0.5 + random.random()))
        raise AssertionError("unreachable")

    # -- one batch, in one transaction ------------------------------------------------------

    def _write(self, conn: Connection, batch: list[Prepared]) -> list[_Outcome]:
        t = self.t
        patients, exams, reports = t["patients"], t["exams"], t["reports"]
        # Lock the batch's known patients first (PostgreSQL; SQLite's writer already
        # holds the database lock): a concurrent batch of the same patient waits,
        # then sees this one's rows, so histories and versions never interleave.
        pseudonyms = sorted({p.line.patient_id for p in batch})
        pat_rows: dict[str, Any] = {}
        for chunk in _chunks(pseudonyms):
            q = (
                select(patients.c.id, patients.c.pseudonym, patients.c.context)
                .where(patients.c.pseudonym.in_(chunk))
                .order_by(patients.c.pseudonym)
            )
            if self.registry.is_postgres:
                q = q.with_for_update()
            pat_rows.update((r.pseudonym, r) for r in conn.execute(q))
        exam_rows: dict[str, Any] = {}
        for chunk in _chunks([p.line.id for p in batch]):
            q = (
                select(
                    exams.c.id,
                    exams.c.report_key,
                    exams.c.patient_id,
                    exams.c.date,
                    exams.c.modality,
                    exams.c.current_version,
                    reports.c.content_hash,
                    patients.c.pseudonym.label("owner"),
                )
                .join(
                    reports,
                    and_(
                        reports.c.exam_id == exams.c.id,
                        reports.c.version == exams.c.current_version,
                    ),
                )
                .join(patients, patients.c.id == exams.c.patient_id)
                .where(exams.c.report_key.in_(chunk))
            )
            exam_rows.update((r.report_key, r) for r in conn.execute(q))

        outcomes: list[_Outcome] = []
        todo: list[tuple[int, Prepared]] = []
        for i, p in enumerate(batch):
            ex = exam_rows.get(p.line.id)
            if ex is not None:
                if ex.content_hash == p.digest:
                    outcomes.append(_Outcome("unchanged"))
                    continue
                pat = pat_rows.get(p.line.patient_id)
                if pat is None and ex.owner == p.line.patient_id:
                    # PostgreSQL: the patient and this report were committed by another
                    # writer after the lock query above found (and locked) nothing.
                    raise LostRace(f"patient {ex.owner!r} was created by a concurrent writer")
                if pat is None or ex.patient_id != pat.id:
                    field_name = f"{p.where}.patient_id" if p.where else "patient_id"
                    problem = (
                        f"report {p.line.id!r} is stored for another patient; a report id "
                        "cannot move between patients (use a new report id)"
                    )
                    outcomes.append(_Outcome("rejected", [(field_name, problem)]))
                    continue
            read_findings(p, self.extract)  # raced: changed since the read-only check
            if p.problems is not None:
                outcomes.append(_Outcome("rejected", p.problems))
                continue
            outcomes.append(_Outcome("new" if ex is None else "updated"))
            todo.append((i, p))
        if not todo:
            return outcomes

        n_updates = sum(1 for _, p in todo if p.line.id in exam_rows)
        states = self._load_states(
            conn,
            [pat_rows[p.line.patient_id] for _, p in todo if p.line.patient_id in pat_rows],
            MAX_EXAMS_PER_CASE + n_updates,
        )
        rows = _Rows()
        for seq, (i, p) in enumerate(todo):
            try:
                outcomes[i].rec_refs = self._apply(
                    p, states, exam_rows.get(p.line.id), rows, _NEW_ORDER + seq
                )
            except InputError as e:
                outcomes[i] = _Outcome("rejected", _located(p.where, e.problems))
        self._flush(conn, rows)
        return outcomes

    def _load_states(
        self, conn: Connection, pats: list[Any], limit: int
    ) -> dict[str, _PatientState]:
        """The stored history of the batch's known patients: the per-patient cache."""
        t = self.t
        exams, reports, findings, recs = (
            t["exams"],
            t["reports"],
            t["findings"],
            t["recommendations"],
        )
        states: dict[str, _PatientState] = {}
        by_id: dict[int, _PatientState] = {}
        for r in pats:
            if r.pseudonym in states:
                continue
            ctx = dict(r.context or {})
            st = _PatientState(_Ref(r.id), r.pseudonym, ctx, Patient.model_validate(ctx))
            states[r.pseudonym] = st
            by_id[r.id] = st
        if not by_id:
            return states
        rn = (
            func.row_number()
            .over(
                partition_by=exams.c.patient_id,
                order_by=(exams.c.date.desc(), exams.c.id.desc()),
            )
            .label("rn")
        )
        exam_rows: list[Any] = []
        for chunk in _chunks(list(by_id)):
            ranked = (
                select(
                    exams.c.id,
                    exams.c.patient_id,
                    exams.c.report_key,
                    exams.c.date,
                    exams.c.modality,
                    exams.c.contrast,
                    exams.c.current_version,
                    rn,
                )
                .where(exams.c.patient_id.in_(chunk))
                .subquery()
            )
            q = (
                select(ranked, reports.c.id.label("report_id"), reports.c.text.label("report_text"))
                .join(
                    reports,
                    and_(
                        reports.c.exam_id == ranked.c.id,
                        reports.c.version == ranked.c.current_version,
                    ),
                )
                .where(ranked.c.rn <= limit)
            )
            exam_rows.extend(conn.execute(q))
        found: dict[int, list[Finding]] = {r.report_id: [] for r in exam_rows}
        for chunk in _chunks(list(found)):
            q = (
                select(findings.c.report_id, findings.c.data)
                .where(findings.c.report_id.in_(chunk))
                .order_by(findings.c.report_id, findings.c.ordinal)
            )
            for row in conn.execute(q):
                found[row.report_id].append(Finding.model_validate(row.data))
        for r in exam_rows:
            exam = Exam(
                id=r.report_key,
                date=r.date,
                modality=Modality(r.modality),
                contrast=Contrast(r.contrast) if r.contrast else None,
                findings=found[r.report_id],
                # the engine reads what each report says about the patient (history,
                # risk factors) as `assess` and `scan --assess` do for the same text
                report_text=r.report_text or None,
            )
            by_id[r.patient_id].exams[r.report_key] = _ExamState(
                _Ref(r.id), r.report_key, r.date, r.id, exam
            )
        for chunk in _chunks(list(by_id)):
            q = (
                select(
                    recs.c.id,
                    recs.c.patient_id,
                    recs.c.track,
                    recs.c.status_reason,
                    recs.c.superseded_by,
                    recs.c.due_date,
                )
                .where(recs.c.patient_id.in_(chunk), recs.c.status == STATUS_OPEN)
                .order_by(recs.c.id)
            )
            for r in conn.execute(q):
                by_id[r.patient_id].open_recs.append(
                    _OpenRec(_Ref(r.id), r.track, r.status_reason, r.superseded_by, r.due_date)
                )
        return states

    def _apply(
        self,
        p: Prepared,
        states: dict[str, _PatientState],
        stored_exam: Any,
        rows: _Rows,
        new_order: int,
    ) -> list[_Ref]:
        """Assess one report against its patient's history and queue its rows.

        Everything that can refuse the report (the engine, the schedule) runs before
        the batch's state changes, so a refused report leaves no trace.
        """
        line = p.line
        at = now()
        st = states.get(line.patient_id)
        context = line.patient.model_dump(mode="json", exclude_none=True) if line.patient else None
        if st is None:
            ctx = context if context is not None else {}
            patient_model = Patient.model_validate(ctx)
        else:
            ctx = context if context is not None else st.context
            patient_model = st.patient if ctx == st.context else Patient.model_validate(ctx)
        assert p.findings is not None
        exam = Exam(
            id=line.id,
            date=line.date,
            modality=line.modality,
            contrast=line.contrast,
            findings=p.findings,
            report_text=line.text or None,
        )
        previous = st.exams.get(line.id) if st is not None else None
        order = previous.order if previous else stored_exam.id if stored_exam else new_order
        this = _ExamState(previous.ref if previous else _Ref(), line.id, line.date, order, exam)
        history = [e for k, e in (st.exams.items() if st else ()) if k != line.id] + [this]
        history.sort(key=lambda e: (e.date, e.order))
        history = history[-MAX_EXAMS_PER_CASE:]
        case = Case(
            patient=patient_model,
            exams=[e.exam for e in history],
            id=line.patient_id,
        )
        assessment = self.assess(case)
        as_of = max(e.date for e in history)
        windows = []
        for rec in assessment.recommendations:
            try:
                windows.append(schedule.due_window(rec.action.value, as_of, rec.interval_months))
            except InputError:
                raise
            except (OverflowError, ValueError):
                raise InputError(
                    [("date", "too far in the future to schedule a follow-up")]
                ) from None

        # -- from here on the report is accepted: change the batch's state and queue rows
        ins, upd, aud = rows.inserts, rows.updates, rows.audit

        def audit_row(
            action: str,
            table: str,
            row_id: Any,
            old: Any = None,
            new: Any = None,
            note: str | None = None,
        ) -> None:
            aud.append(
                {
                    "at": at,
                    "actor": self.actor,
                    "action": action,
                    "table_name": table,
                    "row_id": row_id,
                    "old": old,
                    "new": new,
                    "note": note,
                }
            )

        if st is None:
            st = _PatientState(_Ref(), line.patient_id, ctx, patient_model)
            states[line.patient_id] = st
            ins["patients"].append(
                (
                    st.ref,
                    {"pseudonym": st.pseudonym, "context": ctx, "created_at": at, "updated_at": at},
                )
            )
            audit_row("insert", "patients", st.ref, new={"pseudonym": st.pseudonym, "context": ctx})
        elif ctx != st.context:
            old_ctx = st.context
            upd["patients"].append({"b_id": st.ref, "context": ctx, "updated_at": at})
            audit_row(
                "update",
                "patients",
                st.ref,
                old={"context": old_ctx},
                new={"context": ctx},
                note=f"context from report {line.id}",
            )
            st.context, st.patient = ctx, patient_model

        contrast = line.contrast.value if line.contrast else None
        if stored_exam is None:
            version = 1
            ins["exams"].append(
                (
                    this.ref,
                    {
                        "report_key": line.id,
                        "patient_id": st.ref,
                        "date": line.date,
                        "modality": line.modality.value,
                        "contrast": contrast,
                        "current_version": 1,
                    },
                )
            )
            audit_row(
                "insert",
                "exams",
                this.ref,
                new={
                    "report_key": line.id,
                    "date": str(line.date),
                    "modality": line.modality.value,
                },
            )
        else:
            version = stored_exam.current_version + 1
            this.ref.id = stored_exam.id
            upd["exams"].append(
                {
                    "b_id": this.ref,
                    "date": line.date,
                    "modality": line.modality.value,
                    "contrast": contrast,
                    "current_version": version,
                }
            )
            audit_row(
                "update",
                "exams",
                this.ref,
                old={
                    "date": str(stored_exam.date),
                    "modality": stored_exam.modality,
                    "current_version": stored_exam.current_version,
                },
                new={
                    "date": str(line.date),
                    "modality": line.modality.value,
                    "current_version": version,
                },
                note=f"report {line.id} changed: version {version}",
            )
        st.exams[line.id] = this

        report = _Ref()
        ins["reports"].append(
            (
                report,
                {
                    "exam_id": this.ref,
                    "version": version,
                    "content_hash": p.digest,
                    "date": line.date,
                    "modality": line.modality.value,
                    "text": line.text,
                    "received_at": at,
                },
            )
        )
        audit_row(
            "insert",
            "reports",
            report,
            new={"report_key": line.id, "version": version, "content_hash": p.digest},
        )
        finding_refs = []
        for i, f in enumerate(p.findings):
            ref = _Ref()
            finding_refs.append(ref)
            ins["findings"].append(
                (
                    ref,
                    {
                        "report_id": report,
                        "ordinal": i,
                        "kind": f.kind.value,
                        "size_mm": f.size_mm,
                        "calcified": f.is_calcified,
                        "evidence_sentence": f.evidence.sentence if f.evidence else None,
                        "evidence_start": f.evidence.start if f.evidence else None,
                        "evidence_end": f.evidence.end if f.evidence else None,
                        "data": f.model_dump(mode="json", exclude_none=True),
                    },
                )
            )
        audit_row(
            "insert",
            "findings",
            report,
            new={"report_id": report, "finding_ids": finding_refs},
            note="findings of one report version (row_id = report id)",
        )

        arow = _Ref()
        ins["assessments"].append(
            (
                arow,
                {
                    "patient_id": st.ref,
                    "report_id": report,
                    "kb_version": assessment.kb_version,
                    "as_of_exam_date": as_of,
                    "case_json": case.model_dump(mode="json", exclude_none=True),
                    "result": assessment.to_json_dict(),
                    "created_at": at,
                },
            )
        )
        audit_row(
            "insert",
            "assessments",
            arow,
            new={"kb_version": assessment.kb_version, "report_id": report, "as_of": str(as_of)},
        )

        new_recs: list[_OpenRec] = []
        rec_refs: list[_Ref] = []
        for i, (rec, (due, overdue)) in enumerate(
            zip(assessment.recommendations, windows, strict=True)
        ):
            interval = sorted(rec.interval_months) if rec.interval_months else None
            nothing = rec.action.value in schedule.NOTHING_TO_SCHEDULE
            ref = _Ref()
            rec_refs.append(ref)
            status = STATUS_DONE if nothing else STATUS_OPEN
            reason = "nothing to schedule" if nothing else None
            ins["recommendations"].append(
                (
                    ref,
                    {
                        "assessment_id": arow,
                        "patient_id": st.ref,
                        "ordinal": i,
                        "track": rec.track,
                        "finding_summary": _finding_summary(assessment, rec.track),
                        "action": rec.action.value,
                        "modality": rec.modality,
                        "contrast": rec.contrast.value if rec.contrast else None,
                        "interval_lo_months": interval[0] if interval else None,
                        "interval_hi_months": interval[-1] if interval else None,
                        "duration_months": rec.duration_months,
                        "rule": rec.rule,
                        "rationale": rec.rationale,
                        "citations": list(rec.citations),
                        "due_date": due,
                        "overdue_after": overdue,
                        "status": status,
                        "status_reason": reason,
                        "superseded_by": None,
                        "created_at": at,
                        "updated_at": at,
                    },
                )
            )
            audit_row(
                "insert",
                "recommendations",
                ref,
                new={
                    "action": rec.action.value,
                    "track": rec.track,
                    "due_date": str(due) if due else None,
                    "status": status,
                    "assessment_id": arow,
                },
            )
            if not nothing:
                new_recs.append(_OpenRec(ref, rec.track, None, None, due))

        by_track: dict[str | None, _Ref] = {}
        for ref, rec in zip(rec_refs, assessment.recommendations, strict=True):
            by_track.setdefault(rec.track, ref)
        first = rec_refs[0] if rec_refs else None
        for old in st.open_recs:
            replacement = by_track.get(old.track, first)
            reason_text = _Lazy(functools.partial(_superseded_reason, arow, line.id, replacement))
            before = {
                "status": STATUS_OPEN,
                "status_reason": old.status_reason,
                "superseded_by": old.superseded_by,
                "due_date": old.due_date.isoformat() if old.due_date else None,
            }
            upd["recommendations"].append(
                {
                    "b_id": old.ref,
                    "status": STATUS_CANCELLED,
                    "status_reason": reason_text,
                    "superseded_by": replacement,
                    "updated_at": at,
                }
            )
            audit_row(
                "supersede",
                "recommendations",
                old.ref,
                old=before,
                new={
                    "status": STATUS_CANCELLED,
                    "status_reason": reason_text,
                    "superseded_by": replacement,
                    "due_date": before["due_date"],
                },
            )
        st.open_recs = new_recs
        return rec_refs

    def _flush(self, conn: Connection, rows: _Rows) -> None:
        """Write the batch: inserts in dependency order (ids back by RETURNING), then
        updates, then the audit trail in the order the changes were made."""
        if self.registry.is_postgres:
            self._flush_copy(conn, rows)
            return
        for name in _INSERT_ORDER:
            items = rows.inserts[name]
            if not items:
                continue
            table = self.t[name]
            data = [{k: _resolve(v) for k, v in row.items()} for _, row in items]
            stmt = insert(table).returning(table.c.id, sort_by_parameter_order=True)
            ids: Sequence[int] = conn.execute(stmt, data).scalars().all()
            for (ref, _), new_id in zip(items, ids, strict=True):
                ref.id = new_id
            if name == "patients":
                self._update(conn, "patients", rows.updates["patients"])
            elif name == "exams":
                self._update(conn, "exams", rows.updates["exams"])
        if not rows.inserts["patients"]:
            self._update(conn, "patients", rows.updates["patients"])
        if not rows.inserts["exams"]:
            self._update(conn, "exams", rows.updates["exams"])
        self._update(conn, "recommendations", rows.updates["recommendations"])
        if rows.audit:
            data = [{k: _resolve(v) for k, v in row.items()} for row in rows.audit]
            conn.execute(insert(self.t["audit"]), data)

    def _flush_copy(self, conn: Connection, rows: _Rows) -> None:
        """PostgreSQL: ids drawn from each table's sequence in one query, rows sent by COPY.

        Measured: multi-row INSERT ... RETURNING spent most of PostgreSQL's time
        building, sending and parsing large parameterised statements; COPY sends the
        rows as a stream (same transaction, same constraints). Ids are sorted so that
        the batch's rows keep the order of the input, as with one INSERT per row.
        """
        cur = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            for name in _INSERT_ORDER:
                items = rows.inserts[name]
                if items:
                    cur.execute(
                        "SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                        "FROM generate_series(1, %s)",
                        (name, len(items)),
                    )
                    ids = sorted(r[0] for r in cur.fetchall())
                    for (ref, _), new_id in zip(items, ids, strict=True):
                        ref.id = new_id
                    cols = list(items[0][1])
                    self._copy(
                        cur,
                        name,
                        ["id", *cols],
                        ([r.id, *(row[c] for c in cols)] for r, row in items),
                    )
                if name in ("patients", "exams"):
                    self._update(conn, name, rows.updates[name])
            self._update(conn, "recommendations", rows.updates["recommendations"])
            if rows.audit:
                cols = list(rows.audit[0])
                self._copy(cur, "audit", cols, ([row[c] for c in cols] for row in rows.audit))
        except DBAPIError:
            raise
        except Exception as e:
            # The driver's own errors (raw cursor): wrapped as SQLAlchemy's, so that the
            # retry (unique violation: a concurrent writer inserted the patient) and the
            # error messages treat them like every other statement's.
            import psycopg

            if isinstance(e, psycopg.Error):
                raise DBAPIError.instance("COPY", None, e, psycopg.Error) from e
            raise
        finally:
            cur.close()

    @staticmethod
    def _copy(cur: Any, table: str, cols: list[str], values: Iterable[list[Any]]) -> None:
        with cur.copy(f"COPY {table} ({', '.join(cols)}) FROM STDIN") as cp:
            for row in values:
                cp.write_row([_copy_value(v) for v in row])

    def _update(self, conn: Connection, name: str, items: list[dict[str, Any]]) -> None:
        if not items:
            return
        table = self.t[name]
        cols = [k for k in items[0] if k != "b_id"]
        stmt = (
            update(table)
            .where(table.c.id == bindparam("b_id"))
            .values({c: bindparam(f"v_{c}") for c in cols})
        )
        data = [
            {"b_id": _resolve(r["b_id"])} | {f"v_{c}": _resolve(r[c]) for c in cols} for r in items
        ]
        conn.execute(stmt, data)


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
