"""`hepcalc serve` options: several workers, bad configuration refused with exit code 2."""

from __future__ import annotations

import subprocess
from pathlib import Path

import httpx

from tests.conftest import HEPCALC_BIN
from tests.web.conftest import start_server, stop_server


def test_two_workers_serve_the_api(tmp_path: Path) -> None:
    srv = start_server(tmp_path, "--workers", "2", "--max-body-bytes", "5000")
    try:
        with httpx.Client(base_url=srv.url, timeout=30) as c:
            statuses = {
                c.post("/v1/extract", json={"text": "Liver: 5 mm calcification."}).status_code
                for _ in range(6)
            }
            too_big = c.post("/v1/extract", json={"text": "x" * 6000})
        assert statuses == {200}
        assert too_big.status_code == 413  # the option reached the worker processes
    finally:
        stop_server(srv)


def test_bad_settings_exit_2(tmp_path: Path) -> None:
    missing = tmp_path / "nope.json"
    r = subprocess.run(
        [
            str(HEPCALC_BIN),
            "serve",
            "--cds-issuer",
            "https://ehr.example.test",
            "--cds-jwks",
            str(missing),
            "--cds-audience",
            "https://svc.example.test",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "no such file" in r.stderr
    assert "Traceback" not in r.stderr
