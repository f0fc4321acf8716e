"""Where the registry lives and how to open it: URL resolution, engine, migrations, audit.

Resolution order for the database URL (docs/registry.md):

1. an explicit URL (``--db URL`` on the command line, ``db_url=`` in code);
2. the ``HEPCALC_DB`` environment variable;
3. an SQLite file at ``$XDG_DATA_HOME/hepcalc/registry.sqlite``, or
   ``~/.local/share/hepcalc/registry.sqlite`` when ``XDG_DATA_HOME`` is unset.

Opening a registry runs the Alembic migrations up to head (first use creates the
schema), so a user never has to remember ``hepcalc db upgrade`` (which exists for
operators who prefer to migrate explicitly, e.g. before deploying the service).
"""

from __future__ import annotations

import datetime as dt
import getpass
import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, inspect
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from hepcalc.errors import InputError
from hepcalc.registry.models import AuditRow

MIGRATIONS = "hepcalc.registry:migrations"
ENV_DB = "HEPCALC_DB"
ENV_ACTOR = "HEPCALC_ACTOR"


class RegistryError(RuntimeError):
    """The registry cannot be used (database unreachable, migration failed...).

    Not an input error: the CLI exits 1 with this message, the service answers 503.
    """


def default_sqlite_path() -> Path:
    """The per-user SQLite file (XDG base directory spec, data home)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "hepcalc" / "registry.sqlite"


def resolve_url(db_url: str | None = None) -> str:
    """The database URL to use, from the argument, ``HEPCALC_DB`` or the default file."""
    url = db_url or os.environ.get(ENV_DB)
    if url:
        if "://" not in url:
            # A bare path is taken as an SQLite file: friendlier than an error.
            return f"sqlite:///{Path(url).expanduser().resolve()}"
        return url
    return f"sqlite:///{default_sqlite_path()}"


def default_actor() -> str:
    """Who the audit trail names for changes made from this process."""
    env = os.environ.get(ENV_ACTOR)
    if env:
        return env[:120]
    try:
        return f"cli:{getpass.getuser()}"[:120]
    except Exception:  # no user database entry (containers)
        return f"cli:uid{os.getuid()}"


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL + synchronous=NORMAL: every commit survives a killed process (kill -9).

    (Not a power cut: that needs synchronous=FULL, a documented trade-off.)
    """
    # The driver's own implicit transactions are off: SQLAlchemy's "begin" event
    # below emits BEGIN itself, so a writer can ask for BEGIN IMMEDIATE.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()


WRITE_OPTION = "hepcalc_write"


def _sqlite_begin(conn: Any) -> None:
    """Writers take SQLite's write lock when they begin, readers a plain snapshot.

    A deferred transaction that reads and then writes fails at once with
    SQLITE_BUSY (no busy timeout applies) when another writer committed since its
    read: the cause of the 500s under concurrent HTTP ingests (issue 16). BEGIN
    IMMEDIATE waits for the lock (``busy_timeout``) instead, so writers queue.
    """
    if conn.get_execution_options().get(WRITE_OPTION):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    else:
        conn.exec_driver_sql("BEGIN")


class LostRace(RegistryError):
    """A writer's reads disagree because a concurrent writer committed between them.

    PostgreSQL runs the registry's transactions at READ COMMITTED, where each
    statement sees what was committed before it: a patient created by another
    writer just after this writer's lock query (which found nothing, so locked
    nothing) is invisible to that query but its reports are visible to the next.
    The transaction is retried like any other lost race (``is_transient``); after
    the last attempt it surfaces as a RegistryError (exit 1, HTTP 503).
    """


def is_transient(e: BaseException) -> bool:
    """A failure a retry of the same transaction can cure (a concurrent writer won).

    Unique violations (two writers inserted the same patient or report first),
    PostgreSQL serialisation failures and deadlocks (SQLSTATE 40001, 40P01, 23505),
    SQLite's busy/locked after its busy timeout, and a LostRace.
    """
    from sqlalchemy.exc import DBAPIError, IntegrityError

    if isinstance(e, LostRace):
        return True
    if isinstance(e, IntegrityError):
        return True
    if not isinstance(e, DBAPIError):
        return False
    orig = e.orig
    state = getattr(orig, "sqlstate", None) or getattr(orig, "pgcode", None)
    if state in ("40001", "40P01", "23505", "55P03"):
        return True
    text = str(orig).lower()
    return "database is locked" in text or "database is busy" in text


def make_engine(url: str) -> Engine:
    """An engine for ``url``; SQLite files get their directory created and safe pragmas."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise InputError([("db", f"not a database URL: {url!r}")]) from None
    if parsed.get_backend_name() == "sqlite":
        db = parsed.database
        if db and db != ":memory:" and not db.startswith("file:"):
            Path(db).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(parsed, pool_pre_ping=True)
    except ModuleNotFoundError as e:
        raise InputError(
            [("db", f"no database driver {e.name!r} for {parsed.drivername!r} is installed")]
        ) from None
    except ArgumentError as e:
        raise InputError([("db", str(e))]) from None


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", MIGRATIONS)
    cfg.attributes["connection"] = connection
    return cfg


def head_revision() -> str:
    """The newest migration shipped with this version of hepcalc."""
    from alembic.script import ScriptDirectory

    cfg = _alembic_config(None)
    head = ScriptDirectory.from_config(cfg).get_current_head()
    assert head is not None
    return head


def current_revision(engine: Engine) -> str | None:
    """The migration the database is at (None for an empty database)."""
    from alembic.runtime.migration import MigrationContext

    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Migrate the database to head; returns (revision before, revision after)."""
    from alembic import command

    try:
        before = current_revision(engine)
    except OperationalError as e:
        raise RegistryError(f"cannot open the registry database: {_short(e)}") from None
    head = head_revision()
    if before != head:
        try:
            with engine.begin() as conn:
                command.upgrade(_alembic_config(conn), "head")
        except Exception as e:
            # Another process may have migrated the same database at the same moment.
            if current_revision(engine) != head:
                raise RegistryError(f"migrating the registry failed: {_short(e)}") from None
    return before, head


def _short(e: Exception) -> str:
    text = str(getattr(e, "orig", None) or e).strip().splitlines()
    return text[0] if text else type(e).__name__


@dataclass
class Registry:
    """An opened registry: an engine and a session factory on a migrated database."""

    url: str
    engine: Engine
    sessions: sessionmaker[Session]

    @property
    def write_engine(self) -> Engine:
        """The engine for writing transactions (SQLite: BEGIN IMMEDIATE, see _sqlite_begin)."""
        return self.engine.execution_options(**{WRITE_OPTION: True})

    @property
    def is_postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session whose transaction commits on success and rolls back on any error."""
        with Session(self.write_engine, expire_on_commit=False) as s, s.begin():
            yield s

    @contextmanager
    def writer(self) -> Iterator[Connection]:
        """A Core connection in one writing transaction (commit on success, else rollback)."""
        with self.write_engine.begin() as conn:
            yield conn

    def table_counts(self) -> dict[str, int]:
        """Row count per registry table (used by tests, `db upgrade` and the docs)."""
        from sqlalchemy import func, select

        from hepcalc.registry.models import Base

        out: dict[str, int] = {}
        with self.sessions() as s:
            for name, table in Base.metadata.tables.items():
                out[name] = s.execute(select(func.count()).select_from(table)).scalar_one()
        return out

    def dispose(self) -> None:
        self.engine.dispose()


_open_lock = threading.Lock()
_migrated: set[str] = set()


def open_registry(db_url: str | None = None, migrate: bool = True) -> Registry:
    """Open (and on first use create/migrate) the registry at ``db_url``."""
    url = resolve_url(db_url)
    engine = make_engine(url)
    if migrate:
        with _open_lock:
            if url not in _migrated:
                upgrade(engine)
                _migrated.add(url)
    else:
        try:
            inspect(engine).get_table_names()
        except OperationalError as e:
            raise RegistryError(f"cannot open the registry database: {_short(e)}") from None
    return Registry(url=url, engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def now() -> dt.datetime:
    """The registry clock (UTC). The engine never reads a clock; the registry must."""
    return dt.datetime.now(dt.UTC)


def audit(
    session: Session,
    *,
    actor: str,
    action: str,
    table: str,
    row_id: int,
    old: dict[str, Any] | None = None,
    new: dict[str, Any] | None = None,
    note: str | None = None,
    at: dt.datetime | None = None,
) -> None:
    """Append one audit row in the caller's transaction (so it commits with the change)."""
    session.add(
        AuditRow(
            at=at or now(),
            actor=actor,
            action=action,
            table_name=table,
            row_id=row_id,
            old=old,
            new=new,
            note=note,
        )
    )


def redact_url(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid url>"
