"""CDS Hooks client authentication: bearer JWT checks (CDS Hooks 2.0 "Trusting CDS Clients")."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from tests.web.conftest import Server, start_server, stop_server

ISSUER = "https://ehr.example.test"
AUDIENCE = "https://hepcalc.example.test"
DISCOVERY = "/cds-services"

RSA_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
EC_KEY = ec.generate_private_key(ec.SECP384R1())
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwk(public_key: Any, kid: str, alg: str) -> dict[str, Any]:
    algo = jwt.algorithms.RSAAlgorithm if alg.startswith("RS") else jwt.algorithms.ECAlgorithm
    data = json.loads(algo.to_jwk(public_key))
    data.update(kid=kid, alg=alg, use="sig")
    return data


@pytest.fixture(scope="module")
def auth_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    tmp: Path = tmp_path_factory.mktemp("auth")
    jwks = tmp / "jwks.json"
    jwks.write_text(
        json.dumps(
            {
                "keys": [
                    _jwk(RSA_KEY.public_key(), "rsa-1", "RS384"),
                    _jwk(EC_KEY.public_key(), "ec-1", "ES384"),
                ]
            }
        )
    )
    srv = start_server(
        tmp, "--cds-issuer", ISSUER, "--cds-jwks", str(jwks), "--cds-audience", AUDIENCE
    )
    yield srv
    stop_server(srv)


def token(
    *,
    key: Any = RSA_KEY,
    alg: str = "RS384",
    kid: str = "rsa-1",
    iss: str = ISSUER,
    aud: str = AUDIENCE + DISCOVERY,
    exp_in: int = 300,
    drop: str = "",
) -> str:
    now = int(time.time())
    claims = {"iss": iss, "aud": aud, "exp": now + exp_in, "iat": now, "jti": str(uuid.uuid4())}
    claims.pop(drop, None)
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid, "typ": "JWT"})


def call(server: Server, bearer: str | None, path: str = DISCOVERY) -> int:
    headers = {"authorization": f"Bearer {bearer}"} if bearer is not None else {}
    with server.client() as c:
        return c.get(path, headers=headers).status_code


def test_valid_rsa_and_ec_tokens_are_accepted(auth_server: Server) -> None:
    assert call(auth_server, token()) == 200
    assert call(auth_server, token(key=EC_KEY, alg="ES384", kid="ec-1")) == 200
    # aud may also be the service base URL
    assert call(auth_server, token(aud=AUDIENCE)) == 200


def test_rest_and_pages_do_not_need_a_token(auth_server: Server) -> None:
    assert call(auth_server, None, "/healthz") == 200


def _unsigned(alg_header: dict[str, Any]) -> str:
    import base64

    def part(d: dict[str, Any]) -> str:
        return base64.urlsafe_b64encode(json.dumps(d).encode()).rstrip(b"=").decode()

    now = int(time.time())
    claims = {"iss": ISSUER, "aud": AUDIENCE + DISCOVERY, "exp": now + 300, "iat": now, "jti": "x"}
    return f"{part(alg_header)}.{part(claims)}."


@pytest.mark.parametrize(
    "bad",
    [
        pytest.param(None, id="no-token"),
        pytest.param("not-a-jwt", id="garbage"),
        pytest.param(_unsigned({"alg": "none", "typ": "JWT", "kid": "rsa-1"}), id="alg-none"),
        pytest.param(token(key="s" * 32, alg="HS256"), id="hs256"),
        pytest.param(token(aud="https://other.example.test/cds-services"), id="wrong-aud"),
        pytest.param(token(exp_in=-600), id="expired"),
        pytest.param(token(iss="https://rogue.example.test"), id="unknown-iss"),
        pytest.param(token(kid="nope"), id="unknown-kid"),
        pytest.param(token(key=STRANGER_KEY), id="wrong-signature"),
        pytest.param(token(drop="jti"), id="missing-jti"),
        pytest.param(token(drop="exp"), id="missing-exp"),
    ],
)
def test_bad_tokens_are_401(auth_server: Server, bad: str | None) -> None:
    assert call(auth_server, bad) == 401


def test_service_calls_are_protected_too(auth_server: Server) -> None:
    body = {
        "hook": "patient-view",
        "hookInstance": str(uuid.uuid4()),
        "context": {"patientId": "p1"},
        "prefetch": {},
    }
    path = "/cds-services/hepcalc-liver-calcification"
    with auth_server.client() as c:
        denied = c.post(path, json=body)
        allowed = c.post(
            path, json=body, headers={"authorization": f"Bearer {token(aud=AUDIENCE + path)}"}
        )
    assert denied.status_code == 401
    assert denied.headers["www-authenticate"].startswith("Bearer")
    assert allowed.status_code == 412  # authenticated; then the missing prefetch is reported


def test_half_configured_auth_refuses_to_start(tmp_path: Path) -> None:
    import subprocess

    from tests.conftest import HEPCALC_BIN

    r = subprocess.run(
        [str(HEPCALC_BIN), "serve", "--cds-issuer", ISSUER],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2
    assert "HEPCALC_CDS_JWKS" in r.stderr
