"""`hepcalc serve` options: several workers, bad configuration refused with exit code 2."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import httpx
import pytest

from hepcalc.web.settings import ServiceSettings
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


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("HEPCALC_WORK_QUEUE", "lots", "HEPCALC_WORK_QUEUE: not an integer: 'lots'"),
        ("HEPCALC_MAX_BODY_BYTES", "1.5", "HEPCALC_MAX_BODY_BYTES: not an integer: '1.5'"),
        ("HEPCALC_REPORTS_PER_CLIENT", "0", "HEPCALC_REPORTS_PER_CLIENT: must be > 0"),
        ("HEPCALC_BODY_TIMEOUT_S", "inf", "HEPCALC_BODY_TIMEOUT_S: must be a finite number > 0"),
        ("HEPCALC_CDS_ISSUERS", "https://ehr.example.test", "needs all of HEPCALC_CDS_ISSUERS"),
    ],
)
def test_bad_environment_variable_exit_2(variable: str, value: str, message: str) -> None:
    """A bad HEPCALC_* value (read by pydantic-settings) is named; no worker starts."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    r = subprocess.run(
        [str(HEPCALC_BIN), "serve", "--port", "0"],
        capture_output=True,
        text=True,
        timeout=60,
        env={**env, variable: value},
    )
    assert r.returncode == 2, r.stderr
    assert message in r.stderr
    assert "Traceback" not in r.stderr
    assert "pydantic" not in r.stderr.lower()


def test_settings_read_the_documented_variables() -> None:
    """Names, comma lists, blanks and defaults as docs/service.md lists them."""
    s = ServiceSettings.from_env(
        {
            "HEPCALC_CORS_ORIGINS": "https://a.test, https://b.test,,",
            "HEPCALC_ALLOWED_HOSTS": "Svc.Example.TEST",
            "HEPCALC_PUBLIC_URL": "https://svc.example.test/",
            "HEPCALC_REPORTS_PER_CLIENT": "7",
            "HEPCALC_WORK_THREADS": "  ",  # blank: the default
            "HEPCALC_LOG_LEVEL": "debug",
            "HEPCALC_DB": "sqlite:///elsewhere.db",  # another layer's variable: ignored
        }
    )
    assert s.cors_origins == ("https://a.test", "https://b.test")
    assert s.allowed_hosts == ("svc.example.test",)
    assert s.public_url == "https://svc.example.test"
    assert s.reports_per_client == 7
    assert s.work_threads == 4 and s.max_body_bytes == 1_000_000
    assert s.log_level == "DEBUG" and s.cds_auth is None
    assert ServiceSettings.from_env({}) == ServiceSettings.defaults()
