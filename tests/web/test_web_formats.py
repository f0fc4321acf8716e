"""`?format=`, `Accept` and the OpenAPI enum come from the one list of output formats.

Over a real socket: the service offers exactly ``render.formats.names()``; a
format registered before the service starts (the plug-in in
``tests/render/plugin_format.py``, run as ``serve``) is in the OpenAPI enum,
reachable by name and by its media type, with no edit to the routes.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from hepcalc.cli.assess import load_case
from hepcalc.pipeline import assess
from hepcalc.render import formats, render
from tests.conftest import EXAMPLES, ROOT
from tests.render import plugin_format
from tests.web.conftest import Server, free_port, stop_server

SEED = EXAMPLES / "seed-000.yaml"
YAML = {"content-type": "application/yaml"}


def _format_enum(openapi: dict[str, Any]) -> list[str]:
    params = openapi["paths"]["/v1/assess"]["post"]["parameters"]
    schema = next(p for p in params if p["name"] == "format")["schema"]
    options = schema.get("anyOf", [schema])
    return next(o["enum"] for o in options if "enum" in o)


@pytest.fixture(scope="module")
def plugin_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """``hepcalc serve`` in a process that registered the plug-in format first."""
    tmp = tmp_path_factory.mktemp("formats")
    port = free_port()
    log_path = tmp / "server.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("HEPCALC_")}
    script = str(ROOT / "tests" / "render" / "plugin_format.py")
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, script, "serve", "--host", "127.0.0.1", "--port", str(port)],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            cwd=ROOT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            raise RuntimeError(f"server did not start: {log_path.read_text()}")
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    srv = Server(url, log_path, process)
    yield srv
    stop_server(srv)


def test_the_api_offers_the_list(server: Server) -> None:
    body = SEED.read_bytes()
    with server.client() as c:
        openapi = c.get("/openapi.json").json()
        sentence = c.post("/v1/assess?format=sentence", content=body, headers=YAML)
        # ?format= wins over Accept
        text = c.post(
            "/v1/assess?format=text", content=body, headers={**YAML, "accept": "text/html"}
        )
        unknown = c.post("/v1/assess?format=pdf", content=body, headers=YAML)
    assert _format_enum(openapi) == list(formats.names())
    media = openapi["paths"]["/v1/assess"]["post"]["responses"]["200"]["content"]
    assert set(media) == {f.media_type for f in formats.all_formats()}
    expected = render(assess(load_case(str(SEED))), "sentence")
    assert sentence.status_code == 200 and sentence.text == expected
    assert sentence.headers["content-type"].startswith("text/plain")
    assert text.status_code == 200 and text.headers["content-type"].startswith("text/plain")
    assert unknown.status_code == 422
    assert unknown.json()["detail"][0]["field"].endswith("format")


def test_a_registered_format_is_served_by_name_and_media_type(plugin_server: Server) -> None:
    body = SEED.read_bytes()
    with plugin_server.client() as c:
        openapi = c.get("/openapi.json").json()
        by_name = c.post(
            f"/v1/assess?format={plugin_format.NAME}&audience=patient", content=body, headers=YAML
        )
        by_accept = c.post(
            "/v1/assess", content=body, headers={**YAML, "accept": plugin_format.MEDIA_TYPE}
        )
    assert _format_enum(openapi) == [*formats.names(), plugin_format.NAME]
    assert (
        plugin_format.MEDIA_TYPE
        in openapi["paths"]["/v1/assess"]["post"]["responses"]["200"]["content"]
    )
    a = assess(load_case(str(SEED)))
    for response, audience in ((by_name, "patient"), (by_accept, "clinician")):
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith(plugin_format.MEDIA_TYPE)
        assert response.text == plugin_format.findings_csv(a, formats.RenderRequest(audience))
