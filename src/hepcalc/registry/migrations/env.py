"""Alembic environment: runs the migrations on the connection hepcalc hands over.

hepcalc never reads an ``alembic.ini``: ``store.upgrade`` builds the Alembic
config in code and passes an open connection in ``config.attributes``, so the
same code path serves SQLite, PostgreSQL (including a ``search_path`` chosen in
the URL) and tests. Running ``alembic`` by hand with ``-x url=...`` also works.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection, create_engine

from hepcalc.registry.models import Base

config = context.config
target_metadata = Base.metadata


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        # SQLite cannot ALTER most things; batch mode recreates tables instead.
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    url = context.get_x_argument(as_dictionary=True).get("url") or config.get_main_option(
        "sqlalchemy.url"
    )
    if not url:
        raise SystemExit("alembic: no database URL (pass -x url=... or set sqlalchemy.url)")
    engine = create_engine(url)
    with engine.begin() as conn:
        _run(conn)
