"""Does ``/healthz`` answer within 100 ms while the worst requests within the limits run?

Issue 16: one 199 kB report of hyphen-joined words kept the service busy for
minutes and ``/healthz`` timed out, because reading ran on the event loop. The
reading now runs in the worker pool (``hepcalc.web.work_pool``). This starts
``hepcalc serve`` (or uses ``--url``), keeps ``--heavy`` worst-case requests
running back to back for ``--seconds`` and polls ``/healthz`` every 50 ms
on a separate connection, then prints the health-check latency (p50, p99,
max), how many heavy requests finished and how long each took.

Worst cases (each inside the 200 kB report limit):
``hyphens``: ``"calcified-" * 19,900``; ``short``: ``"calc-" * 39,800``;
``report``: 180 kB of realistic sentences, every one a finding.

    .venv/bin/python benchmarks/service_hostile.py --seconds 20 --heavy 4

Goal: health p99 < 100 ms. No assertion here (shared machines vary); the tests
check only that /healthz answers (tests/web/test_web_hostile_concurrency.py).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]

WORST = {
    "hyphens": ("calcified-" * 19_900)[:199_000],
    "short": ("calc-" * 39_800)[:199_000],
    "report": ("LIVER: 5 mm calcification in segment 6. " * 4500)[:180_000],
}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(threads: int | None) -> tuple[str, subprocess.Popen[bytes]]:
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    if threads:
        env["HEPCALC_WORK_THREADS"] = str(threads)
    exe = Path(sys.executable).parent / "hepcalc"
    proc = subprocess.Popen(
        [str(exe), "serve", "--port", str(port), "--max-body-bytes", "1000000"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return url, proc
        except httpx.HTTPError:
            time.sleep(0.3)
    proc.kill()
    raise SystemExit("the service did not start")


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--url", help="a running service (default: start one)")
    ap.add_argument("--seconds", type=float, default=20.0)
    ap.add_argument("--heavy", type=int, default=4, help="concurrent worst-case clients")
    ap.add_argument("--case", choices=sorted(WORST), default="report")
    ap.add_argument("--threads", type=int, help="HEPCALC_WORK_THREADS for the started service")
    args = ap.parse_args()

    proc = None
    url = args.url
    if url is None:
        url, proc = _start(args.threads)
    body = json.dumps({"text": WORST[args.case], "modality": "CT"})
    stop = time.monotonic() + args.seconds
    heavy_times: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def heavy() -> None:
        with httpx.Client(base_url=url, timeout=300) as c:
            while time.monotonic() < stop:
                t0 = time.perf_counter()
                r = c.post(
                    "/v1/extract", content=body, headers={"content-type": "application/json"}
                )
                with lock:
                    heavy_times.append(time.perf_counter() - t0)
                    statuses[r.status_code] = statuses.get(r.status_code, 0) + 1

    workers = [threading.Thread(target=heavy, daemon=True) for _ in range(args.heavy)]
    for w in workers:
        w.start()
    time.sleep(0.5)
    health: list[float] = []
    failures = 0
    with httpx.Client(base_url=url, timeout=10) as c:
        while time.monotonic() < stop:
            t0 = time.perf_counter()
            try:
                ok = c.get("/healthz").status_code == 200
            except httpx.HTTPError:
                ok = False
            health.append((time.perf_counter() - t0) * 1000)
            failures += not ok
            time.sleep(0.05)
    for w in workers:
        w.join()
    if proc is not None:
        proc.terminate()
        proc.wait(10)

    load = os.getloadavg()
    print(f"case {args.case} ({len(WORST[args.case]):,} chars), {args.heavy} heavy clients")
    print(f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}, {os.cpu_count()} CPUs")
    print(
        f"/healthz: {len(health)} checks, {failures} failed; "
        f"p50 {statistics.median(health):.1f} ms, p99 {_pct(health, 0.99):.1f} ms, "
        f"max {max(health):.1f} ms"
    )
    if heavy_times:
        print(
            f"heavy: {len(heavy_times)} done {statuses}; "
            f"median {statistics.median(heavy_times):.2f} s, max {max(heavy_times):.2f} s"
        )


if __name__ == "__main__":
    main()
