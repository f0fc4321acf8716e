"""The registry over HTTP, on a real socket (uvicorn in a thread), SQLite and PostgreSQL."""

from __future__ import annotations

import json
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

from hepcalc.web import registry_routes

TOKEN = "s3cret-registry-token"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def base_url(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    monkeypatch.setenv(registry_routes.ENV_TOKEN, TOKEN)
    app = FastAPI()
    app.include_router(registry_routes.make_router(db_url))
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", lifespan="off")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    assert server.started
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def auth(token: str = TOKEN) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def reports() -> list[dict[str, Any]]:
    base = {
        "patient_id": "web-1",
        "modality": "US",
        "patient": {"age": 61, "sex": "male", "risk_factors": {"cirrhosis": True}},
    }
    return [
        dict(
            base,
            id="w-1",
            date="2023-06-10",
            text="Liver: There is a 8 mm calcification in segment 3.",
        ),
        dict(
            base,
            id="w-2",
            date="2023-12-23",
            text="Liver: There is a 9 mm calcification in segment 3.",
        ),
    ]


def test_every_route_needs_the_token(base_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as c:
        calls = [
            ("GET", "/v1/registry/worklist", None),
            ("POST", "/v1/registry/ingest", {"reports": reports()}),
            ("POST", "/v1/registry/recommendations/1/close", {"reason": "x"}),
        ]
        for method, path, body in calls:
            for headers in ({}, auth("wrong"), {"Authorization": "Basic abc"}):
                r = c.request(method, path, json=body, headers=headers)
                assert r.status_code == 401, (method, path, headers, r.text)
                assert r.headers["www-authenticate"] == "Bearer"
                assert TOKEN not in r.text
        # bad query values are not validated for an unauthorised caller either
        assert c.get("/v1/registry/worklist?days=-3").status_code == 401
        monkeypatch.delenv(registry_routes.ENV_TOKEN)
        r = c.get("/v1/registry/worklist", headers=auth())
        assert r.status_code == 401 and "disabled" in r.text


def test_ingest_worklist_close_over_http(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=120) as c:
        r = c.post("/v1/registry/ingest", json={"reports": reports()}, headers=auth())
        assert r.status_code == 200, r.text
        assert r.json() == {"new": 2, "updated": 0, "unchanged": 0, "rejected": []}
        # a bare array works too, and is idempotent
        r = c.post("/v1/registry/ingest", json=reports(), headers=auth())
        assert r.json()["unchanged"] == 2

        r = c.get("/v1/registry/worklist", params={"as_of": "2030-01-01"}, headers=auth())
        assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
        body = r.json()
        assert body["as_of"] == "2030-01-01" and body["count"] == len(body["items"]) > 0
        item = body["items"][0]
        assert item["patient"] == "web-1" and item["status"] == "overdue"
        assert item["exam"] == "w-2"  # the newest assessment's recommendations

        as_csv = c.get(
            "/v1/registry/worklist",
            params={"as_of": "2030-01-01", "format": "csv"},
            headers=auth(),
        )
        assert as_csv.headers["content-type"].startswith("text/csv")
        assert as_csv.text.splitlines()[0].startswith("id,patient,status")

        path = f"/v1/registry/recommendations/{item['id']}/close"
        r = c.post(path, json={"reason": "done elsewhere"}, headers={**auth(), "X-Actor": "qa"})
        assert r.status_code == 200 and r.json()["status"] == "done"
        assert c.post(path, json={"reason": "again"}, headers=auth()).status_code == 409
        missing = c.post("/v1/registry/recommendations/99999/close", json={"reason": "x"})
        assert missing.status_code == 401
        missing = c.post(
            "/v1/registry/recommendations/99999/close", json={"reason": "x"}, headers=auth()
        )
        assert missing.status_code == 404
        left = c.get("/v1/registry/worklist", params={"as_of": "2030-01-01"}, headers=auth())
        assert item["id"] not in [i["id"] for i in left.json()["items"]]


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/v1/registry/ingest", "not json", "body"),
        ("/v1/registry/ingest", json.dumps({"reports": []}), "reports"),
        ("/v1/registry/ingest", json.dumps({"reports": [{"id": "x"}]}), "reports[0].patient_id"),
        (
            "/v1/registry/ingest",
            json.dumps([dict(reports()[0], date="2023-02-30")]),
            "reports[0].date",
        ),
        ("/v1/registry/recommendations/1/close", json.dumps({}), "reason"),
        ("/v1/registry/recommendations/1/close", json.dumps({"reason": "x", "y": 1}), "y"),
        (
            "/v1/registry/recommendations/1/close",
            json.dumps({"reason": "x", "status": "open"}),
            "status",
        ),
    ],
)
def test_bad_input_is_422_naming_the_field(base_url: str, path: str, body: str, field: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as c:
        r = c.post(path, content=body, headers={**auth(), "content-type": "application/json"})
        assert r.status_code == 422, r.text
        assert field in [d["field"] for d in r.json()["detail"]]


def test_bad_worklist_query_is_422(base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=60) as c:
        for params, field in (
            ({"as_of": "yesterday"}, "as_of"),
            ({"days": "-1"}, "days"),
            ({"format": "xml"}, "format"),
        ):
            r = c.get("/v1/registry/worklist", params=params, headers=auth())
            assert r.status_code == 422
            assert r.json()["detail"][0]["field"] == field
