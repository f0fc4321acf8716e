"""Ingest through the library on real SQLite and PostgreSQL, with the real reader and engine.

Most reports here carry structured findings (the additive ``findings`` field), so
the tests pin the registry's own behaviour; the seed-000 test reads free text.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import func, select

from hepcalc.errors import InputError
from hepcalc.registry import store, worklist
from hepcalc.registry.ingest import DEFAULT_BATCH, IngestLine, Ingestor, ingest_records
from hepcalc.registry.models import (
    AssessmentRow,
    AuditRow,
    ExamRow,
    RecommendationRow,
    ReportRow,
)

SEED_PATIENT = {"age": 35, "sex": "female"}


def line(
    rid: str,
    date: str,
    sizes: list[float] | None = None,
    patient_id: str = "p-000",
    text: str = "",
    **extra: Any,
) -> IngestLine:
    data: dict[str, Any] = {
        "id": rid,
        "patient_id": patient_id,
        "date": date,
        "modality": "US",
        "text": text or f"Liver calcifications {sizes}",
        "patient": SEED_PATIENT,
    }
    if sizes is not None:
        data["findings"] = [
            {"kind": "calcification", "size_mm": s, "location": {"lobe": "right"}} for s in sizes
        ]
    data.update(extra)
    return IngestLine.model_validate(data)


@pytest.fixture(params=[1, DEFAULT_BATCH], ids=lambda n: f"batch{n}")
def reg(db_url: str, request: pytest.FixtureRequest) -> Iterator[store.Registry]:
    """A registry; every test here runs at batch size 1 and at the default batch."""
    r = store.open_registry(db_url)
    r.test_batch = request.param  # type: ignore[attr-defined]
    yield r
    r.dispose()


def ingest(reg: store.Registry, *lines: IngestLine, actor: str = "test") -> Any:
    batch = getattr(reg, "test_batch", DEFAULT_BATCH)
    return Ingestor(reg, actor, batch_size=batch).ingest_lines(
        (f"line {i + 1}", x) for i, x in enumerate(lines)
    )


def test_second_report_is_assessed_with_the_whole_history(reg: store.Registry) -> None:
    """Seed 000 as free text: the second report alone has no prior; the registry adds it."""
    first = line(
        "us-1",
        "2023-06-10",
        text="ULTRASOUND ABDOMEN. FINDINGS: Liver: Two calcifications in the right lobe "
        "measuring 1.4 cm and 0.9 cm.",
    )
    second = line(
        "us-2",
        "2023-12-23",
        text="ULTRASOUND ABDOMEN. FINDINGS: Liver: Two calcifications in the right lobe "
        "measuring 2.5 cm and 0.8 cm.",
    )
    result = ingest(reg, first, second)
    assert (result.new, result.updated, result.unchanged, result.rejected) == (2, 0, 0, [])
    with reg.sessions() as s:
        last = s.scalars(select(AssessmentRow).order_by(AssessmentRow.id.desc())).first()
        assert last is not None
        assert [e["id"] for e in last.case_json["exams"]] == ["us-1", "us-2"]
        growth = last.result["growth"]
        grown = [g for g in growth if g.get("from_mm") == 14 and g.get("to_mm") == 25]
        assert grown, growth
        assert grown[0]["status"] != "new"
        assert last.kb_version == last.result["kb_version"]


def test_same_input_twice_changes_nothing(reg: store.Registry) -> None:
    lines = [
        line("a1", "2023-06-10", [14, 9]),
        line("a2", "2023-12-23", [25, 8]),
        line("b1", "2024-01-05", [5], patient_id="p-001"),
    ]
    first = ingest(reg, *lines)
    assert first.new == 3
    counts = reg.table_counts()
    assert counts["audit"] > 0
    again = ingest(reg, *lines)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert reg.table_counts() == counts  # no row anywhere, audit included


def test_changed_report_makes_a_new_version_audited(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [14]))
    audit_before = reg.table_counts()["audit"]
    result = ingest(reg, line("a1", "2023-06-10", [15]), actor="corrector")
    assert result.updated == 1
    with reg.sessions() as s:
        exam = s.scalars(select(ExamRow).where(ExamRow.report_key == "a1")).one()
        assert exam.current_version == 2
        versions = s.scalars(
            select(ReportRow.version)
            .where(ReportRow.exam_id == exam.id)
            .order_by(ReportRow.version)
        ).all()
        assert versions == [1, 2]
        change = s.scalars(
            select(AuditRow).where(AuditRow.table_name == "exams", AuditRow.action == "update")
        ).one()
        assert change.actor == "corrector"
        assert change.old is not None and change.old["current_version"] == 1
        assert change.new is not None and change.new["current_version"] == 2
        assert s.scalar(select(func.count()).select_from(AssessmentRow)) == 2
    assert reg.table_counts()["audit"] > audit_before
    # the newest assessment uses version 2's finding
    with reg.sessions() as s:
        last = s.scalars(select(AssessmentRow).order_by(AssessmentRow.id.desc())).first()
        assert last is not None
        sizes = [f["size_mm"] for e in last.case_json["exams"] for f in e["findings"]]
        assert sizes == [15]


def test_new_assessment_supersedes_earlier_open_recommendations(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [14, 9]))
    with reg.sessions() as s:
        first_open = s.scalars(
            select(RecommendationRow).where(RecommendationRow.status == "open")
        ).all()
        first_ids = {r.id for r in first_open}
    ingest(reg, line("a2", "2023-12-23", [25, 8]))
    with reg.sessions() as s:
        for rid in first_ids:
            old = s.get(RecommendationRow, rid)
            assert old is not None
            assert old.status == "cancelled"
            assert old.superseded_by is not None
            newer = s.get(RecommendationRow, old.superseded_by)
            assert newer is not None and newer.assessment_id != old.assessment_id
            trail = s.scalars(
                select(AuditRow).where(
                    AuditRow.table_name == "recommendations",
                    AuditRow.row_id == rid,
                    AuditRow.action == "supersede",
                )
            ).all()
            assert len(trail) == 1
            assert trail[0].old is not None and trail[0].old["status"] == "open"
            assert trail[0].new is not None and trail[0].new["status"] == "cancelled"
        # every open recommendation now comes from the newest assessment
        latest = s.scalar(select(func.max(AssessmentRow.id)))
        open_now = s.scalars(
            select(RecommendationRow).where(RecommendationRow.status == "open")
        ).all()
        assert all(r.assessment_id == latest for r in open_now)


def test_due_dates_come_from_the_latest_exam_and_lower_bound(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [14, 9]), line("a2", "2023-12-23", [25, 8]))
    with reg.sessions() as s:
        latest = s.scalars(select(AssessmentRow).order_by(AssessmentRow.id.desc())).first()
        assert latest is not None
        assert latest.as_of_exam_date == dt.date(2023, 12, 23)
        recs = s.scalars(
            select(RecommendationRow).where(RecommendationRow.assessment_id == latest.id)
        ).all()
        engine_recs = latest.result["recommendations"]
        assert len(recs) == len(engine_recs)
        from hepcalc.registry.schedule import due_window

        for row, rec in zip(sorted(recs, key=lambda r: r.ordinal), engine_recs, strict=True):
            assert row.action == rec["action"]
            due, late = due_window(rec["action"], dt.date(2023, 12, 23), rec.get("interval_months"))
            assert (row.due_date, row.overdue_after) == (due, late)


def test_worklist_due_overdue_and_close(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [14, 9]), line("a2", "2023-12-23", [25, 8]))
    with reg.sessions() as s:
        open_recs = s.scalars(
            select(RecommendationRow).where(RecommendationRow.status == "open")
        ).all()
    assert open_recs, "the seed-000 history must leave something to follow up"
    first_due = min(r.due_date for r in open_recs if r.due_date)
    assert worklist.worklist(reg, first_due - dt.timedelta(days=1)) == []
    on_due = worklist.worklist(reg, first_due)
    assert on_due and {r["status"] for r in on_due} <= {"due", "overdue"}
    assert all(r["patient"] == "p-000" for r in on_due)
    far = first_due + dt.timedelta(days=3650)
    late = worklist.worklist(reg, far)
    assert late and all(r["status"] == "overdue" and r["days_overdue"] > 0 for r in late)
    # look-ahead lists upcoming ones too
    ahead = worklist.worklist(reg, first_due - dt.timedelta(days=1), days_ahead=2)
    assert ahead and ahead[0]["status"] == "upcoming"

    target = late[0]["id"]
    out = worklist.close(reg, target, "done at outside hospital", actor="nurse")
    assert out == {"id": target, "status": "done", "status_reason": "done at outside hospital"}
    assert target not in {r["id"] for r in worklist.worklist(reg, far)}
    with pytest.raises(worklist.AlreadyClosed):
        worklist.close(reg, target, "again", actor="nurse")
    with pytest.raises(worklist.RecommendationNotFound):
        worklist.close(reg, 10**9, "x", actor="nurse")
    with pytest.raises(InputError):
        worklist.close(reg, target, "   ", actor="nurse")
    with reg.sessions() as s:
        trail = s.scalars(
            select(AuditRow).where(AuditRow.action == "close", AuditRow.row_id == target)
        ).one()
        assert trail.actor == "nurse" and trail.new == {
            "status": "done",
            "status_reason": "done at outside hospital",
        }


def test_report_cannot_move_to_another_patient(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [14]))
    counts = reg.table_counts()
    result = ingest(reg, line("a1", "2023-06-10", [14], patient_id="someone-else"))
    assert result.new == result.updated == 0
    assert len(result.rejected) == 1 and "another patient" in result.rejected[0][1]
    assert reg.table_counts() == counts  # the rejected report wrote nothing


def test_records_are_validated_before_anything_is_written(reg: store.Registry) -> None:
    good = line("a1", "2023-06-10", [14]).model_dump(mode="json", exclude_none=True)
    bad = dict(good, id="a2", date="2023-02-30")
    with pytest.raises(InputError) as e:
        ingest_records(reg, [good, bad], actor="t")
    assert "reports[1].date" in e.value.message
    assert reg.table_counts()["reports"] == 0
    unknown = dict(good, id="a3", colour="red")
    with pytest.raises(InputError) as e:
        ingest_records(reg, [unknown], actor="t")
    assert "reports[0].colour" in e.value.message


def test_late_older_report_keeps_due_dates_on_the_latest_exam(reg: store.Registry) -> None:
    """Reports may arrive out of order: the history is sorted, the newest exam dates it."""
    ingest(reg, line("new", "2024-03-01", [10]), line("old", "2023-01-15", [9]))
    with reg.sessions() as s:
        last = s.scalars(select(AssessmentRow).order_by(AssessmentRow.id.desc())).first()
        assert last is not None
        assert [e["id"] for e in last.case_json["exams"]] == ["old", "new"]
        assert last.as_of_exam_date == dt.date(2024, 3, 1)
        dated = s.scalars(
            select(RecommendationRow).where(
                RecommendationRow.assessment_id == last.id,
                RecommendationRow.due_date.is_not(None),
            )
        ).all()
        assert all(r.due_date is not None and r.due_date >= dt.date(2024, 3, 1) for r in dated)


def test_patient_context_change_is_a_new_version_and_audited(reg: store.Registry) -> None:
    ingest(reg, line("a1", "2023-06-10", [8]))
    changed = line(
        "a1",
        "2023-06-10",
        [8],
        patient={"age": 35, "sex": "female", "risk_factors": {"cirrhosis": True}},
    )
    assert ingest(reg, changed).updated == 1
    with reg.sessions() as s:
        trail = s.scalars(
            select(AuditRow).where(AuditRow.table_name == "patients", AuditRow.action == "update")
        ).one()
        assert trail.old is not None
        assert "cirrhosis" not in trail.old["context"].get("risk_factors", {})
        assert trail.new is not None and trail.new["context"]["risk_factors"] == {"cirrhosis": True}
        last = s.scalars(select(AssessmentRow).order_by(AssessmentRow.id.desc())).first()
        assert last is not None and "cirrhosis" in last.result["risk"]["factors"]


def _state(reg: store.Registry) -> dict[str, Any]:
    """The registry's content without ids and clocks: what batching must not change."""
    with reg.sessions() as s:
        exams = {e.id: e.report_key for e in s.scalars(select(ExamRow))}
        assessments = [
            (a.case_json, {k: v for k, v in a.result.items() if k != "generated_at"})
            for a in s.scalars(select(AssessmentRow).order_by(AssessmentRow.id))
        ]
        recs = [
            (r.action, r.track, r.status, r.due_date, r.overdue_after, r.superseded_by is None)
            for r in s.scalars(select(RecommendationRow).order_by(RecommendationRow.id))
        ]
        reports = sorted(
            (exams[r.exam_id], r.version, r.content_hash) for r in s.scalars(select(ReportRow))
        )
        trail = sorted(
            (a.action, a.table_name, a.actor)
            for a in s.scalars(select(AuditRow).order_by(AuditRow.id))
        )
    return {"assessments": assessments, "recs": recs, "reports": reports, "audit": trail}


def _mixed_feed() -> list[IngestLine]:
    """Several patients interleaved, a late older report, a correction of a report
    right after it (the same id twice in one batch) and a context change."""
    return [
        line("a1", "2023-06-10", [14, 9]),
        line("b1", "2023-02-01", [6], patient_id="p-001"),
        line("a2", "2023-12-23", [25, 8]),
        line("a2", "2023-12-23", [26, 8]),  # corrected at once: version 2
        line("b0", "2022-01-01", [5], patient_id="p-001"),  # older, arrives late
        line(
            "b2",
            "2024-02-01",
            [7],
            patient_id="p-001",
            patient={"age": 50, "sex": "male", "risk_factors": {"cirrhosis": True}},
        ),
        line("a3", "2024-06-01", [25, 8]),
    ]


def test_batch_size_changes_nothing_but_speed(reg: store.Registry, tmp_path: Any) -> None:
    """The same feed at batch size 1 and at the default batch stores the same registry."""
    ingest(reg, *_mixed_feed())
    batched = _state(reg)
    other_batch = 1 if getattr(reg, "test_batch", 1) != 1 else DEFAULT_BATCH
    other = store.open_registry(f"sqlite:///{tmp_path / 'other.sqlite'}")
    try:
        Ingestor(other, "test", batch_size=other_batch).ingest_lines(
            (f"line {i + 1}", x) for i, x in enumerate(_mixed_feed())
        )
        assert _state(other) == batched
    finally:
        other.dispose()
    # each report of a patient was assessed with every report stored before it
    with reg.sessions() as s:
        a_cases = [
            [e["id"] for e in a.case_json["exams"]]
            for a in s.scalars(select(AssessmentRow).order_by(AssessmentRow.id))
            if a.case_json["id"] == "p-000"
        ]
    assert a_cases == [["a1"], ["a1", "a2"], ["a1", "a2"], ["a1", "a2", "a3"]]


def test_rerun_of_a_batch_is_idempotent_and_versions_stay(reg: store.Registry) -> None:
    first = ingest(reg, *_mixed_feed())
    assert (first.new, first.updated, first.rejected) == (6, 1, [])
    counts = reg.table_counts()
    again = ingest(reg, *_mixed_feed()[4:])  # the tail again: the stored version of a2 stays
    assert (again.new, again.updated, again.unchanged) == (0, 0, 3)
    assert reg.table_counts() == counts
