"""The registry through its real command-line face (subprocesses), on SQLite and PostgreSQL.

Includes the crash test: ``hepcalc registry ingest`` is SIGKILLed in the middle of
a large batch, and a rerun must finish it without losing or duplicating anything.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

HEPCALC = [str(Path(sys.executable).parent / "hepcalc")]  # the installed console script


def run(
    *args: str, stdin: str | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*HEPCALC, *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, **(env or {})},
    )


def report(i: int, patients: int = 50, size: int | None = None) -> dict[str, object]:
    p = i % patients
    year = 2020 + i // patients
    mm = size if size is not None else 5 + p % 9 + (i // patients) * 2
    return {
        "id": f"rep-{i}",
        "patient_id": f"pt-{p}",
        "date": f"{year}-{1 + p % 12:02d}-{1 + p % 27:02d}",
        "modality": "US",
        "text": (
            "ABDOMINAL ULTRASOUND. FINDINGS: Liver: There is a "
            f"{mm} mm calcification in segment {1 + p % 8}. No focal mass. "
            "Gallbladder: normal."
        ),
        # half the patients have cirrhosis, so they get follow-ups to track
        "patient": {
            "age": 40 + p % 30,
            "sex": "female",
            "risk_factors": {"cirrhosis": p % 2 == 0},
        },
    }


def write_jsonl(path: Path, rows: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def counts(db_url: str) -> dict[str, int]:
    eng = create_engine(db_url)
    try:
        with eng.connect() as c:
            out = {
                t: c.execute(text(f"select count(*) from {t}")).scalar_one()
                for t in ("patients", "exams", "reports", "assessments", "recommendations", "audit")
            }
            out["report_inserts"] = c.execute(
                text("select count(*) from audit where table_name='reports' and action='insert'")
            ).scalar_one()
            out["assessment_inserts"] = c.execute(
                text("select count(*) from audit where table_name='assessments'")
            ).scalar_one()
            out["distinct_keys"] = c.execute(
                text("select count(distinct report_key) from exams")
            ).scalar_one()
            return out
    finally:
        eng.dispose()


def test_ingest_worklist_close_roundtrip(db_url: str, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [report(i) for i in range(6)])
    first = run("registry", "ingest", str(src), "--db", db_url, "--format", "json")
    assert first.returncode == 0, first.stderr
    assert json.loads(first.stdout) == {"new": 6, "updated": 0, "unchanged": 0, "rejected": []}
    before = counts(db_url)
    again = run("registry", "ingest", str(src), "--db", db_url, "--format", "json")
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["unchanged"] == 6
    assert counts(db_url) == before

    wl = run("registry", "worklist", "--db", db_url, "--as-of", "2035-01-01", "--format", "json")
    assert wl.returncode == 0, wl.stderr
    items = json.loads(wl.stdout)["items"]
    assert items, "follow-ups of the generated calcifications must be listed"
    assert {"id", "patient", "finding", "action", "due_date", "status"} <= set(items[0])
    assert all(i["status"] == "overdue" for i in items)

    as_csv = run("registry", "worklist", "--db", db_url, "--as-of", "2035-01-01", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout)))
    assert [int(r["id"]) for r in rows] == [i["id"] for i in items]
    as_text = run("registry", "worklist", "--db", db_url, "--as-of", "2035-01-01")
    assert as_text.returncode == 0 and "OVERDUE" in as_text.stdout

    target = str(items[0]["id"])
    closed = run("registry", "close", target, "--reason", "scan done", "--db", db_url)
    assert closed.returncode == 0, closed.stderr
    assert json.loads(closed.stdout)["status"] == "done"
    twice = run("registry", "close", target, "--reason", "again", "--db", db_url)
    assert twice.returncode == 2 and "already done" in twice.stderr
    missing = run("registry", "close", "999999", "--reason", "x", "--db", db_url)
    assert missing.returncode == 2 and "no recommendation 999999" in missing.stderr
    wl2 = run("registry", "worklist", "--db", db_url, "--as-of", "2035-01-01", "--format", "json")
    assert int(target) not in [i["id"] for i in json.loads(wl2.stdout)["items"]]


def test_bad_line_refuses_the_whole_file(sqlite_url: str, tmp_path: Path) -> None:
    rows: list[dict[str, object]] = [report(0), report(1), report(2)]
    rows[1] = dict(rows[1], date="2023-13-01")
    src = write_jsonl(tmp_path / "bad.jsonl", rows)
    assert run("db", "upgrade", "--db", sqlite_url).returncode == 0
    res = run("registry", "ingest", str(src), "--db", sqlite_url)
    assert res.returncode == 2
    assert "line 2.date" in res.stderr and "Traceback" not in res.stderr
    assert counts(sqlite_url)["reports"] == 0
    (tmp_path / "junk.jsonl").write_text('{"id": "x"\n', encoding="utf-8")
    junk = run("registry", "ingest", str(tmp_path / "junk.jsonl"), "--db", sqlite_url)
    assert junk.returncode == 2 and "line 1" in junk.stderr
    nofile = run("registry", "ingest", str(tmp_path / "nope.jsonl"), "--db", sqlite_url)
    assert nofile.returncode == 2 and "no such file" in nofile.stderr


def test_stdin_and_env_database(tmp_path: Path) -> None:
    db = tmp_path / "env.sqlite"
    env = {"HEPCALC_DB": f"sqlite:///{db}"}
    res = run("registry", "ingest", "-", stdin=json.dumps(report(0)) + "\n", env=env)
    assert res.returncode == 0, res.stderr
    assert db.exists() and counts(f"sqlite:///{db}")["reports"] == 1


def test_default_database_is_the_per_user_file(tmp_path: Path) -> None:
    env = {"XDG_DATA_HOME": str(tmp_path / "xdg"), "HEPCALC_DB": ""}
    res = run("db", "upgrade", env=env)
    assert res.returncode == 0, res.stderr
    assert (tmp_path / "xdg" / "hepcalc" / "registry.sqlite").exists()
    assert "0001_initial" in res.stdout
    again = run("db", "upgrade", env=env)
    assert "already at revision" in again.stdout


def test_unreachable_database_exits_1_with_a_message(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [report(0)])
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2"
    res = run("registry", "ingest", str(src), "--db", url)
    assert res.returncode == 1
    assert "cannot open the registry database" in res.stderr and "Traceback" not in res.stderr


def _wait_for_reports(db_url: str, at_least: int, proc: subprocess.Popen[bytes]) -> int:
    eng = create_engine(db_url)
    try:
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            if proc.poll() is not None:
                pytest.fail("ingest finished before it could be killed: make the batch larger")
            try:
                with eng.connect() as c:
                    n = c.execute(text("select count(*) from reports")).scalar_one()
            except Exception:  # schema not created yet
                n = 0
            if n >= at_least:
                return n
            time.sleep(0.05)
    finally:
        eng.dispose()
    pytest.fail("ingest made no progress")


# 1,500 reports at batch 500: three batches, so a kill after the first commit lands mid-run
# (3,000 took twice as long and proved nothing more).
@pytest.mark.parametrize(("batch", "total"), [(1, 400), (500, 1500)])
def test_kill_9_mid_batch_loses_nothing_and_rerun_has_no_duplicates(
    db_url: str, tmp_path: Path, batch: int, total: int
) -> None:
    """SIGKILL after the first commits, at batch size 1 and at the default batch (500)."""
    rows = [report(i, patients=100) for i in range(total)]
    src = write_jsonl(tmp_path / "big.jsonl", rows)
    cmd = [*HEPCALC, "registry", "ingest", str(src), "--db", db_url, "--quiet"]
    proc = subprocess.Popen(
        [*cmd, "--batch", str(batch)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )
    try:
        _wait_for_reports(db_url, max(40, batch), proc)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == -signal.SIGKILL

    after_kill = counts(db_url)
    assert max(40, batch) <= after_kill["reports"] < total, "the kill must land mid-run"
    # a batch commits whole or not at all
    assert after_kill["reports"] % batch == 0
    # every committed report is whole: its exam, its assessment and its audit rows
    assert after_kill["exams"] == after_kill["reports"] == after_kill["assessments"]
    assert after_kill["report_inserts"] == after_kill["reports"]
    assert after_kill["assessment_inserts"] == after_kill["assessments"]

    rerun = run("registry", "ingest", str(src), "--db", db_url, "--format", "json")
    assert rerun.returncode == 0, rerun.stderr
    summary = json.loads(rerun.stdout)
    assert summary["unchanged"] == after_kill["reports"]
    assert summary["new"] == total - after_kill["reports"]

    final = counts(db_url)
    assert final["reports"] == final["exams"] == final["distinct_keys"] == total
    assert final["assessments"] == total
    assert final["report_inserts"] == total
    assert final["patients"] == 100
    # and a third run changes nothing at all
    third = run("registry", "ingest", str(src), "--db", db_url, "--format", "json")
    assert json.loads(third.stdout)["unchanged"] == total
    assert counts(db_url) == final


def test_parallel_readers_store_what_one_process_stores(db_url: str, tmp_path: Path) -> None:
    """--workers 2 (reader processes feeding one writer) gives the same registry."""
    rows = [report(i, patients=7) for i in range(60)]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    par = run("registry", "ingest", str(src), "--db", db_url, "--workers", "2", "--batch", "16")
    assert par.returncode == 0, par.stderr
    one_db = f"sqlite:///{tmp_path / 'one.sqlite'}"
    one = run("registry", "ingest", str(src), "--db", one_db, "--batch", "1")
    assert one.returncode == 0, one.stderr
    as_of = "2030-01-01"
    lists = [
        json.loads(
            run("registry", "worklist", "--db", url, "--as-of", as_of, "--format", "json").stdout
        )["items"]
        for url in (db_url, one_db)
    ]
    strip = [[{k: v for k, v in item.items() if k != "id"} for item in items] for items in lists]
    assert strip[0] == strip[1] and strip[0]
    assert counts(db_url) == counts(one_db)
    again = run(
        "registry", "ingest", str(src), "--db", db_url, "--workers", "2", "--format", "json"
    )
    assert json.loads(again.stdout)["unchanged"] == 60


@pytest.mark.parametrize(
    ("option", "value"), [("--batch", "0"), ("--batch", "5001"), ("--workers", "0")]
)
def test_bad_batch_or_workers_is_exit_2(
    sqlite_url: str, tmp_path: Path, option: str, value: str
) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", [report(0)])
    res = run("registry", "ingest", str(src), "--db", sqlite_url, option, value)
    assert res.returncode == 2, res.stderr
    assert option.lstrip("-") in res.stderr and "Traceback" not in res.stderr


def test_progress_bar_on_a_terminal_quiet_otherwise(sqlite_url: str, tmp_path: Path) -> None:
    import pty

    src = write_jsonl(tmp_path / "in.jsonl", [report(i) for i in range(120)])
    piped = run("registry", "ingest", str(src), "--db", sqlite_url, "--batch", "10")
    assert piped.returncode == 0 and piped.stderr == ""  # not a terminal: no progress
    other = f"sqlite:///{tmp_path / 'tty.sqlite'}"
    master, slave = pty.openpty()
    proc = subprocess.Popen(
        [*HEPCALC, "registry", "ingest", str(src), "--db", other, "--batch", "10"],
        stdout=subprocess.PIPE,
        stderr=slave,
        env={**os.environ, "COLUMNS": "120", "TERM": "xterm"},
    )
    os.close(slave)
    seen = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal closed when the process exited
            break
        if not chunk:
            break
        seen += chunk
    proc.wait(timeout=300)
    os.close(master)
    assert proc.returncode == 0
    screen = seen.decode("utf-8", "replace")
    assert "ingesting" in screen and "/120" in screen and "/s" in screen
