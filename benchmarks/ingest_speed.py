"""Registry ingest against `scan --assess` on the same feed, in one run.

    .venv/bin/python benchmarks/ingest_speed.py [--patients 1000] [--per-patient 10]
        [--db sqlite|postgres|URL] [--workers 1] [--batch N] [--repeat 1]

The feed: the real MTSamples transcriptions (``../shared/data/mtsamples.jsonl``,
read in place, never copied into the repository) cycled into ``patients x
per-patient`` dated reports (default 1,000 x 10 = 10,000): each patient gets
consecutive documents of the corpus, dated six months apart, alternating US and
CT, with an age and sex, so the registry sees a real history per patient and the
reader real text (about 4 % of the documents mention a calcification).

What is timed, each as the real command in a subprocess (wall clock, from start
to exit, so start-up and migrations count against ingest):

1. ``hepcalc scan FEED --out OUT --assess --workers W``;
2. ``hepcalc registry ingest FEED --db DB --quiet --workers W [--batch N]`` into
   an empty database;
3. the same ingest again (everything unchanged: the idempotent re-run).

It prints the rates (reports/s), the ratio ingest/scan (the issue 17 goal is
>= 0.5), the load average before and after (the machine is shared; report it
with the numbers) and, with ``--repeat N``, each run and the range.

``--db postgres`` uses a throw-away schema in the test database at
127.0.0.1:5432 (``HEPCALC_TEST_PG`` to override), dropped afterwards.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEPCALC_SHARED", ROOT.parent / "shared"))
MTSAMPLES = SHARED / "data" / "mtsamples.jsonl"
HEPCALC = [sys.executable, "-c", "from hepcalc.cli import main; main()"]
PG_DEFAULT = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def feed_lines(patients: int, per_patient: int, texts: list[str]) -> Iterator[str]:
    """``patients x per_patient`` ingest lines over the corpus texts (cycled)."""
    cycle = itertools.cycle(texts)
    for p in range(patients):
        age = 30 + (p * 7) % 50
        sex = "female" if p % 2 else "male"
        for k in range(per_patient):
            year, half = divmod(k, 2)
            date = f"{2014 + year:04d}-{1 + 6 * half:02d}-{1 + p % 28:02d}"
            yield json.dumps(
                {
                    "id": f"b-{p:07d}-{k:02d}",
                    "patient_id": f"bp-{p:07d}",
                    "date": date,
                    "modality": "US" if k % 2 == 0 else "CT",
                    "text": next(cycle),
                    "patient": {"age": age, "sex": sex},
                }
            )


def corpus_texts() -> list[str]:
    """The MTSamples texts (the real corpus), bounded to the report limit."""
    from hepcalc.model import MAX_REPORT_CHARS

    if not MTSAMPLES.exists():
        sys.exit(f"benchmark needs {MTSAMPLES} (the shared data directory)")
    out = []
    with MTSAMPLES.open(encoding="utf-8") as f:
        for line in f:
            text = json.loads(line).get("text") or ""
            if text.strip():
                out.append(text[:MAX_REPORT_CHARS])
    return out


def write_feed(path: Path, patients: int, per_patient: int) -> int:
    n = 0
    with path.open("w", encoding="utf-8") as f:
        for line in feed_lines(patients, per_patient, corpus_texts()):
            f.write(line + "\n")
            n += 1
    return n


class Database:
    """A fresh database for one run: an SQLite file or a PostgreSQL schema."""

    def __init__(self, kind: str, tmp: Path) -> None:
        self.kind = kind
        self.schema: str | None = None
        if kind == "sqlite":
            self.url = f"sqlite:///{tmp / f'reg-{uuid.uuid4().hex[:8]}.sqlite'}"
        elif kind == "postgres" or kind.startswith("postgresql"):
            base = os.environ.get("HEPCALC_TEST_PG", PG_DEFAULT) if kind == "postgres" else kind
            import psycopg

            self.dsn = base.replace("postgresql+psycopg://", "postgresql://")
            self.schema = f"hc_bench_{uuid.uuid4().hex[:10]}"
            with psycopg.connect(self.dsn, autocommit=True) as conn:
                conn.execute(f'CREATE SCHEMA "{self.schema}"')
            self.url = f"{base}?options=-csearch_path%3D{self.schema}"
        else:
            self.url = kind

    def drop(self) -> None:
        if self.schema:
            import psycopg

            with psycopg.connect(self.dsn, autocommit=True) as conn:
                conn.execute(f'DROP SCHEMA IF EXISTS "{self.schema}" CASCADE')


def timed(cmd: list[str], src: str = "") -> float:
    """Wall seconds of a command; ``src`` = another source tree to import hepcalc from."""
    env = {**os.environ, "PYTHONPATH": src} if src else None
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, env=env)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        sys.exit(f"failed ({proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-2000:]}")
    return elapsed


def one_run(feed: Path, n: int, args: argparse.Namespace, tmp: Path) -> dict[str, float]:
    workers = ["--workers", str(args.workers)]
    scan_s = timed(
        [*HEPCALC, "scan", str(feed), "--out", str(tmp / "out.jsonl"), "--assess", *workers],
        args.scan_src,
    )
    db = Database(args.db, tmp)
    try:
        ingest = [*HEPCALC, "registry", "ingest", str(feed), "--db", db.url, "--quiet", *workers]
        if args.batch:
            ingest += ["--batch", str(args.batch)]
        ingest_s = timed(ingest)
        again_s = timed(ingest)
    finally:
        db.drop()
    return {
        "scan_per_s": n / scan_s,
        "ingest_per_s": n / ingest_s,
        "reingest_per_s": n / again_s,
        "ratio": scan_s / ingest_s,
    }


def _rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (reader workers), in MB."""
    total = 0
    pids = [pid]
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        pids += [int(c) for c in children]
    except OSError:
        pass
    for p in pids:
        try:
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
        except OSError:
            continue
    return total / 1024


def _stored(url: str) -> int:
    from sqlalchemy import create_engine, text

    eng = create_engine(url)
    try:
        with eng.connect() as c:
            return int(c.execute(text("select coalesce(max(id), 0) from reports")).scalar_one())
    except Exception:  # schema not created yet
        return 0
    finally:
        eng.dispose()


def backfill(args: argparse.Namespace) -> None:
    """``--backfill N``: one ingest of N reports into an empty database, memory sampled.

    Prints a line every ``--every`` seconds (reports stored, rate, RSS of the
    command and its reader processes) and at the end the RSS at start, middle and
    end of the run: flat memory is the goal.
    """
    patients = max(1, args.backfill // args.per_patient)
    feed = (
        Path(args.feed)
        if args.feed
        else Path(tempfile.gettempdir()) / f"hc-feed-{args.backfill}.jsonl"
    )
    if not feed.exists():
        tmp_feed = feed.with_suffix(".part")
        n = write_feed(tmp_feed, patients, args.per_patient)
        tmp_feed.replace(feed)
    n = patients * args.per_patient
    with tempfile.TemporaryDirectory() as d:
        db = Database(args.db, Path(d))
        try:
            cmd = [*HEPCALC, "registry", "ingest", str(feed), "--db", db.url, "--quiet"]
            cmd += ["--workers", str(args.workers)]
            if args.batch:
                cmd += ["--batch", str(args.batch)]
            print(
                f"backfill {n} reports, db={args.db}, workers={args.workers}, "
                f"load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
            started = time.perf_counter()
            proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            samples: list[tuple[float, int, float]] = []
            while proc.poll() is None:
                time.sleep(args.every)
                rss = _rss_mb(proc.pid)
                done = _stored(db.url)
                t = time.perf_counter() - started
                if rss:
                    samples.append((t, done, rss))
                    print(
                        f"  {t:7.0f} s  {done:>9,} stored  {done / t:6.0f}/s  RSS {rss:6.0f} MB  "
                        f"load {os.getloadavg()[0]:.2f}",
                        flush=True,
                    )
            out, err = proc.communicate()
            elapsed = time.perf_counter() - started
            if proc.returncode != 0:
                sys.exit(f"ingest failed ({proc.returncode}): {err.decode()[-2000:]}")
            print(out.decode().strip())
            started_rows = [s for s in samples if s[1] > 0] or samples
            mid = min(samples, key=lambda s: abs(s[1] - n / 2))
            print(
                f"total {elapsed:,.0f} s, {n / elapsed:,.0f} reports/s; RSS MB at start "
                f"{started_rows[0][2]:.0f}, middle {mid[2]:.0f}, end {samples[-1][2]:.0f}, "
                f"max {max(s[2] for s in samples):.0f}"
            )
        finally:
            db.drop()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--patients", type=int, default=1000)
    ap.add_argument("--per-patient", type=int, default=10)
    ap.add_argument("--db", default="sqlite", help="sqlite, postgres or a database URL")
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--batch", type=int, default=0, help="reports per commit (default: ingest's)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument(
        "--scan-src",
        default="",
        help="time `scan --assess` from this source tree instead (e.g. an exported older "
        "commit's src/, when the reference reader changed)",
    )
    ap.add_argument("--backfill", type=int, default=0, help="one big ingest of N reports")
    ap.add_argument("--feed", default="", help="feed file for --backfill (made if missing)")
    ap.add_argument("--every", type=float, default=30.0, help="--backfill sampling seconds")
    args = ap.parse_args()
    if args.backfill:
        backfill(args)
        return
    with tempfile.TemporaryDirectory() as d:
        tmp = Path(d)
        feed = tmp / "feed.jsonl"
        n = write_feed(feed, args.patients, args.per_patient)
        print(
            f"scan from: {args.scan_src or 'this tree'}; feed: {n} reports "
            f"({args.patients} patients x {args.per_patient}), db={args.db}, "
            f"workers={args.workers}, batch={args.batch or 'default'}"
        )
        runs = []
        for i in range(args.repeat):
            load = os.getloadavg()[0]
            r = one_run(feed, n, args, tmp)
            r["load_before"] = load
            r["load_after"] = os.getloadavg()[0]
            runs.append(r)
            print(
                f"run {i + 1}: scan --assess {r['scan_per_s']:,.0f}/s, "
                f"ingest {r['ingest_per_s']:,.0f}/s, re-ingest {r['reingest_per_s']:,.0f}/s, "
                f"ratio ingest/scan {r['ratio']:.2f} "
                f"(load {r['load_before']:.2f} -> {r['load_after']:.2f})",
                flush=True,
            )
        if len(runs) > 1:
            for key in ("scan_per_s", "ingest_per_s", "reingest_per_s", "ratio"):
                vals = [r[key] for r in runs]
                print(f"{key}: {min(vals):,.2f} .. {max(vals):,.2f}")


if __name__ == "__main__":
    main()
