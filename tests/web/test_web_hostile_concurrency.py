"""Issue 16: a service that never stalls. Real servers, real sockets.

* ``/healthz`` answers while the heaviest requests within the limits run
  (their work is in the worker pool, not on the event loop);
* a request over its time budget is 503 saying so; a full pool is 503 with
  ``Retry-After`` (back-pressure), and the service recovers;
* a stalled body is dropped (408) after the body timeout, and a client that
  goes away is logged at info, never as an error.

No timing thresholds beyond generous ones (a shared, loaded 2-core machine):
the 100 ms measurement lives in ``benchmarks/service_hostile.py``.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.web.conftest import Server, start_server, stop_server

# About 180 kB of plausible report: the reader's heaviest realistic input under the
# 200 kB report limit (about a second of CPU on the test machine).
HEAVY_TEXT = ("LIVER: 5 mm calcification in segment 6. " * 4500)[:180_000]
HEAVY = json.dumps({"text": HEAVY_TEXT, "modality": "CT"})
JSON = {"content-type": "application/json"}


def _heavy(server: Server, results: list[Any]) -> None:
    try:
        with httpx.Client(base_url=server.url, timeout=120) as c:
            r = c.post("/v1/extract", content=HEAVY, headers=JSON)
        results.append(r)
    except httpx.HTTPError as e:  # recorded, asserted on below
        results.append(e)


def _run_heavy(server: Server, n: int) -> tuple[list[threading.Thread], list[Any]]:
    results: list[Any] = []
    threads = [threading.Thread(target=_heavy, args=(server, results)) for _ in range(n)]
    for t in threads:
        t.start()
    return threads, results


def test_healthz_answers_while_heavy_requests_run(tmp_path: Path) -> None:
    # big bodies share one thread, so the last waits for the others: a budget that fits
    srv = start_server(
        tmp_path, "--max-body-bytes", "1000000", env={"HEPCALC_REQUEST_BUDGET_S": "300"}
    )
    try:
        threads, results = _run_heavy(srv, 4)
        time.sleep(0.5)  # let them reach the worker pool
        answered = 0
        with httpx.Client(base_url=srv.url, timeout=2.0) as c:
            while any(t.is_alive() for t in threads) or answered == 0:
                r = c.get("/healthz")  # raises (fails the test) if it takes > 2 s
                assert r.status_code == 200
                answered += 1
                time.sleep(0.05)
        for t in threads:
            t.join(120)
        assert answered >= 1
        assert len(results) == 4
        for r in results:
            assert isinstance(r, httpx.Response) and r.status_code == 200, r
            assert r.json()["findings"]
    finally:
        stop_server(srv)


@pytest.fixture()
def small_pool(tmp_path: Path) -> Iterator[Server]:
    srv = start_server(
        tmp_path,
        env={
            "HEPCALC_WORK_THREADS": "1",
            "HEPCALC_WORK_QUEUE": "1",
            "HEPCALC_REQUEST_BUDGET_S": "0.3",
        },
    )
    yield srv
    stop_server(srv)


def test_request_over_its_time_budget_is_503_saying_so(small_pool: Server) -> None:
    with small_pool.client() as c:
        r = c.post("/v1/extract", content=HEAVY, headers=JSON)
        assert r.status_code == 503, r.text
        problem = r.json()["detail"][0]["problem"]
        assert "time budget" in problem and "0.3 s" in problem
        # the service is still there once the abandoned work ends
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            ok = c.post("/v1/extract", json={"text": "LIVER: 5 mm calcification."})
            if ok.status_code == 200:
                break
            time.sleep(0.5)
        assert ok.status_code == 200, ok.text


def test_full_pool_is_503_with_retry_after(small_pool: Server) -> None:
    threads, results = _run_heavy(small_pool, 6)
    for t in threads:
        t.join(120)
    statuses = sorted(r.status_code for r in results if isinstance(r, httpx.Response))
    assert len(statuses) == 6, results
    busy = [
        r
        for r in results
        if isinstance(r, httpx.Response) and "busy" in r.text and r.status_code == 503
    ]
    assert busy, statuses  # 6 at once on 1 thread + 1 waiting: some are turned away
    for r in busy:
        assert r.headers["retry-after"] == "1"
    assert all(s in (200, 503) for s in statuses)
    with small_pool.client() as c:
        assert c.get("/healthz").status_code == 200


@pytest.fixture()
def short_body_timeout(tmp_path: Path) -> Iterator[Server]:
    srv = start_server(tmp_path, env={"HEPCALC_BODY_TIMEOUT_S": "1"})
    yield srv
    stop_server(srv)


def _raw_connection(server: Server) -> socket.socket:
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=30)
    return sock


def test_stalled_body_is_dropped_with_408(short_body_timeout: Server) -> None:
    sock = _raw_connection(short_body_timeout)
    try:
        sock.sendall(
            b"POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 1000\r\n\r\n" + b'{"exams": ['
        )
        started = time.monotonic()
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(4096)
            if not chunk:
                break
            answer += chunk
        waited = time.monotonic() - started
    finally:
        sock.close()
    assert answer.startswith(b"HTTP/1.1 408"), answer[:200]
    assert waited < 25  # dropped by the server, not by this socket's 30 s timeout


def test_client_disconnect_is_logged_at_info(short_body_timeout: Server) -> None:
    sock = _raw_connection(short_body_timeout)
    sock.sendall(
        b"POST /v1/assess HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: 1000\r\n\r\n" + b'{"exams": ['
    )
    time.sleep(0.2)
    sock.close()
    deadline = time.monotonic() + 20
    lines: list[dict[str, Any]] = []
    while time.monotonic() < deadline:
        lines = short_body_timeout.log_lines()
        if any(line.get("event") == "client_disconnected" for line in lines):
            break
        time.sleep(0.2)
    gone = [line for line in lines if line.get("event") == "client_disconnected"]
    assert gone and gone[0]["level"] == "info" and gone[0]["status"] == 499
    assert not [line for line in lines if line.get("level") in ("error", "critical")], lines
    assert not any("Traceback" in str(line.get("text", "")) for line in lines)
