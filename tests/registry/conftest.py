"""Registry fixtures: a fresh database per test on real SQLite and real PostgreSQL.

PostgreSQL is the server at 127.0.0.1:5432, database ``test`` (``.ci/run`` starts
it; override with ``HEPCALC_TEST_PG=postgresql+psycopg://user@host:port/db``). Each
test gets its own schema (``search_path`` set in the URL) that is dropped after,
so parallel runs never see each other's rows. Without a reachable server the
PostgreSQL variants skip and say why.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

PG_CANDIDATES = (
    "postgresql+psycopg://postgres@127.0.0.1:5432/test",
    "postgresql+psycopg://root@127.0.0.1:5432/test",
)

_pg_base: str | None = None
_pg_reason = ""


def pg_base_url() -> str | None:
    """The first PostgreSQL URL that accepts a connection (cached), else None."""
    global _pg_base, _pg_reason
    if _pg_base is not None or _pg_reason:
        return _pg_base
    try:
        import psycopg
    except ImportError:
        _pg_reason = "psycopg is not installed"
        return None
    candidates = [os.environ["HEPCALC_TEST_PG"]] if os.environ.get("HEPCALC_TEST_PG") else []
    candidates += list(PG_CANDIDATES)
    errors = []
    for url in candidates:
        dsn = url.replace("postgresql+psycopg://", "postgresql://")
        try:
            with psycopg.connect(dsn, connect_timeout=3) as conn:
                conn.execute("select 1")
            _pg_base = url
            return url
        except Exception as e:  # unreachable, auth refused...
            errors.append(f"{url}: {str(e).strip().splitlines()[0] if str(e) else e}")
    _pg_reason = "PostgreSQL unreachable (" + "; ".join(errors) + ")"
    return None


class PgSchema:
    """A throw-away schema in the test database, addressed through ``search_path``."""

    def __init__(self, base: str) -> None:
        import psycopg

        self.base = base
        self.dsn = base.replace("postgresql+psycopg://", "postgresql://")
        self.name = f"hc_test_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{self.name}"')

    @property
    def url(self) -> str:
        return f"{self.base}?options=-csearch_path%3D{self.name}"

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.dsn, autocommit=True) as conn:
            conn.execute(f'DROP SCHEMA IF EXISTS "{self.name}" CASCADE')


def _make_db(kind: str, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'registry.sqlite'}"
        return
    base = pg_base_url()
    if base is None:
        pytest.skip(_pg_reason)
    schema = PgSchema(base)
    try:
        yield schema.url
    finally:
        from hepcalc.registry import store

        store._migrated.discard(schema.url)
        schema.drop()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty registry database URL, on SQLite and on PostgreSQL."""
    yield from _make_db(request.param, tmp_path)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> Iterator[str]:
    yield from _make_db("sqlite", tmp_path)
