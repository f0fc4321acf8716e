"""Load test for the HTTP service: 32 concurrent clients on loopback.

Starts ``hepcalc serve`` on 127.0.0.1 (or uses ``--url`` of a running one),
then for each scenario runs ``--clients`` keep-alive connections that send
requests back to back: ``--warmup`` seconds unmeasured, then until
``--requests`` are done or ``--seconds`` have passed, whichever comes first.
Reports requests/s and p50/p90/p99/max latency. When the service ends a
connection (``Connection: close``, as its workers do to even out their
connection counts) the client reconnects, as any HTTP client does, and the
reconnect counts in that request's latency.

Scenarios:
* ``assess``: ``POST /v1/assess`` with a two-exam Case (structured findings);
* ``assess_text``: the same with report text (the reader runs too);
* ``healthz``: ``GET /healthz``, the framework's own cost (a baseline);
* ``cds``: a CDS Hooks ``patient-view`` call with prefetch (FHIR parsing,
  report reading, assessment, cards), the same call every time;
* ``cds_distinct``: the same but a different patient (ids, report text) on
  every call, so nothing the service remembers between calls helps.

The client is a minimal HTTP/1.1 keep-alive client on asyncio streams, so it
costs little CPU next to the server; on a 2-core machine it still shares
the cores with the server, so numbers are a lower bound. Goal (issue 6):
p99 < 100 ms and >= 500 req/s on 2 cores.

    .venv/bin/python benchmarks/service_load.py --workers 2 --seconds 10
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import gc
import json
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]

CASE = {
    "patient": {"age": 58, "sex": "male", "risk_factors": {"cirrhosis": False}},
    "exams": [
        {
            "date": "2023-01-10",
            "modality": "CT",
            "findings": [
                {
                    "track": "A",
                    "kind": "calcification",
                    "size_mm": 14,
                    "pattern": "coarse",
                    "location": {"segment": 7},
                }
            ],
        },
        {
            "date": "2024-01-10",
            "modality": "CT",
            "findings": [
                {
                    "track": "A",
                    "kind": "calcification",
                    "size_mm": 25,
                    "pattern": "coarse",
                    "location": {"segment": 7},
                }
            ],
        },
    ],
}
REPORT_1 = "LIVER: A 14 mm coarse calcification in segment 7. No associated mass."
REPORT_2 = "LIVER: The coarse calcification in segment 7 now measures 25 mm. No associated mass."
CASE_TEXT = {
    "patient": {"age": 58, "sex": "male"},
    "exams": [
        {"date": "2023-01-10", "modality": "CT", "report_text": REPORT_1},
        {"date": "2024-01-10", "modality": "CT", "report_text": REPORT_2},
    ],
}


def _report(rid: str, date: str, text: str) -> dict:
    return {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "code": {"text": "CT abdomen"},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": date,
        "presentedForm": [
            {"contentType": "text/plain", "data": base64.b64encode(text.encode()).decode()}
        ],
    }


CDS_CALL = {
    "hook": "patient-view",
    "hookInstance": "d1577c69-dfbe-44ad-ba6d-3e05e953b2ea",
    "context": {"userId": "Practitioner/1", "patientId": "p1"},
    "prefetch": {
        "patient": {
            "resourceType": "Patient",
            "id": "p1",
            "gender": "male",
            "birthDate": "1966-01-01",
        },
        "conditions": {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {
                    "resource": {
                        "resourceType": "Condition",
                        "id": "c1",
                        "subject": {"reference": "Patient/p1"},
                        "code": {
                            "coding": [{"system": "http://snomed.info/sct", "code": "19943007"}]
                        },
                    }
                }
            ],
        },
        "imagingReports": {
            "resourceType": "Bundle",
            "type": "searchset",
            "entry": [
                {"resource": _report("r2", "2024-01-10", REPORT_2)},
                {"resource": _report("r1", "2023-01-10", REPORT_1)},
            ],
        },
    },
}


def distinct_cds_calls(n: int) -> list[dict]:
    """``n`` patient-view calls that differ in every resource (ids, report text).

    The service remembers FHIR resources it already validated, and a real EHR
    resends the same ones on every chart open; these calls defeat that cache (and
    any other per-document reuse), so ``cds_distinct`` measures the cold cost.
    """
    calls = []
    for i in range(n):
        call = json.loads(json.dumps(CDS_CALL))
        pid = f"p{i}"
        call["context"]["patientId"] = pid
        call["prefetch"]["patient"]["id"] = pid
        cond = call["prefetch"]["conditions"]["entry"][0]["resource"]
        cond["id"] = f"c{i}"
        cond["subject"]["reference"] = f"Patient/{pid}"
        call["prefetch"]["imagingReports"]["entry"] = [
            {"resource": _report(f"r2-{i}", "2024-01-10", f"{REPORT_2} Accession {i}.")},
            {"resource": _report(f"r1-{i}", "2023-01-10", f"{REPORT_1} Accession {i}.")},
        ]
        calls.append(call)
    return calls


SCENARIOS: dict[str, tuple[str, dict | None]] = {
    "healthz": ("/healthz", None),  # baseline: the framework alone
    "assess": ("/v1/assess", CASE),
    "assess_text": ("/v1/assess", CASE_TEXT),
    "cds": ("/cds-services/hepcalc-liver-calcification", CDS_CALL),
    # a different patient on every call (see distinct_cds_calls)
    "cds_distinct": ("/cds-services/hepcalc-liver-calcification", None),
}
DISTINCT_CALLS = 3000  # x3 validated documents each: more than the service's cache holds


@dataclass
class Result:
    scenario: str
    requests: int
    errors: int
    seconds: float
    latencies_ms: list[float]
    reconnects: int = 0  # connections the server closed (Connection: close), reopened

    def summary(self) -> dict:
        lat = sorted(self.latencies_ms)

        def pct(p: float) -> float:
            if not lat:
                return float("nan")
            return round(lat[min(len(lat) - 1, int(p * len(lat)))], 1)

        return {
            "scenario": self.scenario,
            "requests": self.requests,
            "errors": self.errors,
            "seconds": round(self.seconds, 2),
            "req_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": pct(0.50),
            "p90_ms": pct(0.90),
            "p99_ms": pct(0.99),
            "max_ms": round(lat[-1], 1) if lat else float("nan"),
            "mean_ms": round(statistics.fmean(lat), 1) if lat else float("nan"),
            "reconnects": self.reconnects,
        }


@dataclass
class _Run:
    """What the clients of one scenario share: the request mix, the clock, the counts.

    Requests started before ``record_from`` are the warm-up: sent on the same
    connections, not counted. It lets the service reach its steady state first
    (connections accepted and spread over the workers, caches filled), so the
    measured window is not dominated by the first second of 32 connections
    arriving at once. ``--warmup 0`` measures from the first request.
    """

    requests: list[bytes]
    record_from: float
    stop_at: float
    budget: int
    sent: int = 0
    errors: int = 0
    reconnects: int = 0
    latencies: list[float] = field(default_factory=list)


async def _client(host: str, port: int, run: _Run) -> None:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while run.budget > 0 and time.perf_counter() < run.stop_at:
            request = run.requests[run.sent % len(run.requests)]
            run.sent += 1
            started = time.perf_counter()
            recording = started >= run.record_from
            if recording:
                run.budget -= 1
            writer.write(request)
            await writer.drain()
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head.split(b" ", 2)[1])
            length = 0
            close = False
            for line in head.split(b"\r\n"):
                lower = line.lower()
                if lower.startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
                elif lower.startswith(b"connection:") and b"close" in lower:
                    close = True
            await reader.readexactly(length)
            if close:  # the server ended this connection (HTTP/1.1): open a new one, as
                # every HTTP client does, and count the reconnect in this request's time
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
            if recording:
                run.latencies.append((time.perf_counter() - started) * 1000)
                run.errors += status != 200
                run.reconnects += close
    finally:
        writer.close()


async def run_scenario(
    url: str, name: str, clients: int, total: int, seconds: float, warmup: float = 2.0
) -> Result:
    path, body = SCENARIOS[name]
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    bodies = distinct_cds_calls(DISTINCT_CALLS) if name == "cds_distinct" else [body]
    requests = []
    for one in bodies:
        if one is None:
            requests.append(f"GET {path} HTTP/1.1\r\nHost: {host}:{port}\r\n\r\n".encode())
            continue
        payload = json.dumps(one).encode()
        requests.append(
            (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\n"
                f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n\r\n"
            ).encode()
            + payload
        )
    # The client's own garbage collector must not pause all 32 connections at once
    # (a full collection walking the 3,000 distinct calls showed up as server latency).
    del bodies
    gc.collect()
    gc.freeze()
    now = time.perf_counter()
    run = _Run(requests, record_from=now + warmup, stop_at=now + warmup + seconds, budget=total)
    await asyncio.gather(*(_client(host, port, run) for _ in range(clients)))
    elapsed = time.perf_counter() - run.record_from
    return Result(name, len(run.latencies), run.errors, elapsed, run.latencies, run.reconnects)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(workers: int, loop: str = "asyncio") -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    exe = Path(sys.executable).parent / "hepcalc"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    env["HEPCALC_LOG_LEVEL"] = "WARNING"  # one log line per request would be measured too
    proc = subprocess.Popen(
        [
            str(exe),
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "WARNING",
            "--loop",
            loop,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("server did not start")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", help="use a running service (loopback only)")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--loop", choices=["asyncio", "uvloop"], default="asyncio")
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--requests", type=int, default=20000, help="per scenario, at most")
    ap.add_argument("--seconds", type=float, default=10.0, help="per scenario, at most")
    ap.add_argument(
        "--warmup", type=float, default=2.0, help="seconds of load before measuring (per scenario)"
    )
    ap.add_argument("--repeat", type=int, default=1, help="rounds over the scenarios")
    ap.add_argument("--scenario", action="append", choices=sorted(SCENARIOS))
    ap.add_argument("--json", action="store_true", help="print JSON only")
    args = ap.parse_args(argv)
    if args.url and urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
        ap.error("--url must be a loopback address: this tool is for local measurement")
    proc = None
    url = args.url
    if url is None:
        proc, url = start_server(args.workers, args.loop)
    try:
        # rounds over all scenarios, so a burst of foreign load hits one round only
        results = [
            {
                **asyncio.run(
                    run_scenario(url, name, args.clients, args.requests, args.seconds, args.warmup)
                ).summary(),
                "round": rnd,
            }
            for rnd in range(1, args.repeat + 1)
            for name in (args.scenario or ["assess", "assess_text", "cds", "cds_distinct"])
        ]
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(timeout=10)
    meta = {
        "clients": args.clients,
        "workers": args.workers if proc else None,
        "loop": args.loop if proc else None,
        "cpus": len(os.sched_getaffinity(0)),
        # the machine may be shared: the load says how much else was running
        "load_avg_1min": round(os.getloadavg()[0], 2),
        "results": results,
    }
    if args.json:
        print(json.dumps(meta, indent=2))
        return 0
    print(
        f"{args.clients} clients, {meta['workers']} workers ({meta['loop']} loop), "
        f"{meta['cpus']} CPUs "
        f"(client and server share them), load average {meta['load_avg_1min']}"
    )
    print(
        f"{'round':>5} {'scenario':<12} {'requests':>8} {'errors':>6} {'req/s':>8} "
        f"{'p50 ms':>8} {'p99 ms':>8} {'reconn':>6}"
    )
    for r in results:
        print(
            f"{r['round']:>5} {r['scenario']:<12} {r['requests']:>8} {r['errors']:>6} "
            f"{r['req_per_s']:>8} {r['p50_ms']:>8} {r['p99_ms']:>8} {r['reconnects']:>6}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
