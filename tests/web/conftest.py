"""Fixtures for the HTTP face: real uvicorn servers on free loopback ports.

Every test talks to the service over a real socket, as an EHR or a browser
would. Servers run as ``hepcalc serve`` subprocesses (the real command line),
with their log on a file the privacy tests read.
"""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import HEPCALC_BIN

CORS_ORIGIN = "http://ehr.example.test"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Server:
    url: str
    log_path: Path
    process: subprocess.Popen[bytes]

    def log_lines(self) -> list[dict[str, Any]]:
        """The service's JSON log lines so far (non-JSON lines are kept as text)."""
        out = []
        for line in self.log_path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                out.append(json.loads(line))
            except json.JSONDecodeError:
                out.append({"text": line})
        return out

    def client(self, **kwargs: Any) -> httpx.Client:
        return httpx.Client(base_url=self.url, timeout=30, **kwargs)


def start_server(tmp: Path, *args: str, env: dict[str, str] | None = None) -> Server:
    port = free_port()
    log_path = tmp / f"server-{port}.log"
    log = log_path.open("wb")
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    full_env.update(env or {})
    process = subprocess.Popen(
        [str(HEPCALC_BIN), "serve", "--host", "127.0.0.1", "--port", str(port), *args],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=full_env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {log_path.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return Server(url, log_path, process)
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("server did not start within 60 s")


def stop_server(server: Server) -> None:
    server.process.terminate()
    try:
        server.process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        server.process.kill()


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The default service: auth off, CORS for one origin, body limit 200 kB."""
    tmp = tmp_path_factory.mktemp("web")
    srv = start_server(
        tmp, "--cors-origin", CORS_ORIGIN, "--max-body-bytes", "200000", "--log-level", "INFO"
    )
    yield srv
    stop_server(srv)


# ---------------------------------------------------------------------------
# FHIR test data, built here (never copied from ../shared)
# ---------------------------------------------------------------------------

SNOMED = "http://snomed.info/sct"


def b64(text: str) -> str:
    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def patient(pid: str = "p1", gender: str = "female", birth: str = "1970-03-04") -> dict[str, Any]:
    return {"resourceType": "Patient", "id": pid, "gender": gender, "birthDate": birth}


def condition(
    code: str,
    status: str = "active",
    verification: str | None = None,
    system: str = SNOMED,
    pid: str = "p1",
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "Condition",
        "id": f"cond-{code.replace('.', '')}",
        "subject": {"reference": f"Patient/{pid}"},
        "clinicalStatus": {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                    "code": status,
                }
            ]
        },
        "code": {"coding": [{"system": system, "code": code}]},
    }
    if verification:
        res["verificationStatus"] = {
            "coding": [
                {
                    "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                    "code": verification,
                }
            ]
        }
    return res


def imaging_report(
    rid: str, modality_text: str, date: str, text: str, *, as_form: bool = True, pid: str = "p1"
) -> dict[str, Any]:
    res: dict[str, Any] = {
        "resourceType": "DiagnosticReport",
        "id": rid,
        "status": "final",
        "category": [
            {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "RAD"}]}
        ],
        "code": {"text": modality_text},
        "subject": {"reference": f"Patient/{pid}"},
        "effectiveDateTime": date,
    }
    if as_form:
        res["presentedForm"] = [{"contentType": "text/plain", "data": b64(text)}]
    else:
        res["conclusion"] = text
    return res


def afp(value: float, date: str = "2024-01-20", unit: str = "ng/mL") -> dict[str, Any]:
    return {
        "resourceType": "Observation",
        "id": "afp-1",
        "status": "final",
        "code": {"coding": [{"system": "http://loinc.org", "code": "1834-1"}]},
        "subject": {"reference": "Patient/p1"},
        "effectiveDateTime": date,
        "valueQuantity": {
            "value": value,
            "unit": unit,
            "system": "http://unitsofmeasure.org",
            "code": unit,
        },
    }


def bundle(*resources: dict[str, Any], btype: str = "collection") -> dict[str, Any]:
    return {"resourceType": "Bundle", "type": btype, "entry": [{"resource": r} for r in resources]}


GROWING_1 = "LIVER: A 14 mm coarse calcification in segment 7. No associated mass."
GROWING_2 = "LIVER: The coarse calcification in segment 7 now measures 25 mm. No associated mass."
STABLE_SMALL = "LIVER: A punctate 4 mm calcification in segment 6, unchanged. No focal lesion."
