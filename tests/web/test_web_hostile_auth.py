"""Issue 16: a CDS bearer JWT is single-use (``jti``) and must be short-lived.

The probes: the same token accepted three times, a token expiring in ten years
accepted. CDS Hooks names ``jti`` the nonce "used to protect against replay
attacks" and asks clients for short-lived tokens (docs/security.md).
"""

from __future__ import annotations

import time
import uuid

import jwt

from hepcalc.web.auth import MAX_LIFETIME_S
from tests.web.conftest import Server
from tests.web.test_web_cds_auth import (  # noqa: F401  (auth_server is a fixture)
    AUDIENCE,
    DISCOVERY,
    ISSUER,
    RSA_KEY,
    auth_server,
    call,
    token,
)


def _signed(claims: dict[str, object]) -> str:
    return jwt.encode(claims, RSA_KEY, algorithm="RS384", headers={"kid": "rsa-1", "typ": "JWT"})


def test_the_same_token_is_accepted_once(auth_server: Server) -> None:  # noqa: F811
    bearer = token()
    assert call(auth_server, bearer) == 200
    assert call(auth_server, bearer) == 401
    assert call(auth_server, bearer) == 401
    assert call(auth_server, token()) == 200  # a fresh jti is fine


def test_replay_answer_says_why(auth_server: Server) -> None:  # noqa: F811
    bearer = token()
    with auth_server.client() as c:
        assert c.get(DISCOVERY, headers={"authorization": f"Bearer {bearer}"}).status_code == 200
        r = c.get(DISCOVERY, headers={"authorization": f"Bearer {bearer}"})
    assert r.status_code == 401 and "replay" in r.text
    assert bearer not in r.text


def test_long_lived_token_is_refused(auth_server: Server) -> None:  # noqa: F811
    assert call(auth_server, token(exp_in=10 * 365 * 24 * 3600)) == 401
    assert call(auth_server, token(exp_in=MAX_LIFETIME_S + 3600)) == 401
    assert call(auth_server, token(exp_in=MAX_LIFETIME_S)) == 200


def test_token_issued_in_the_future_is_refused(auth_server: Server) -> None:  # noqa: F811
    now = int(time.time())
    claims = {
        "iss": ISSUER,
        "aud": AUDIENCE + DISCOVERY,
        "iat": now + 3600,
        "exp": now + 3600 + 60,
        "jti": str(uuid.uuid4()),
    }
    assert call(auth_server, _signed(claims)) == 401
