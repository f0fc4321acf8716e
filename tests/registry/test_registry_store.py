"""The registry's storage layer: URL resolution, migrations, due-date arithmetic."""

from __future__ import annotations

import calendar
import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import inspect

from hepcalc.errors import InputError
from hepcalc.registry import schedule, store
from hepcalc.registry.models import Base


def test_default_path_follows_xdg(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv("HEPCALC_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert store.resolve_url() == f"sqlite:///{tmp_path / 'xdg' / 'hepcalc' / 'registry.sqlite'}"
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert store.default_sqlite_path() == (
        tmp_path / "home" / ".local" / "share" / "hepcalc" / "registry.sqlite"
    )


def test_env_and_argument_override_default(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HEPCALC_DB", "postgresql+psycopg://u@h/db")
    assert store.resolve_url() == "postgresql+psycopg://u@h/db"
    assert store.resolve_url("sqlite:///x.db") == "sqlite:///x.db"
    # a bare path is an SQLite file
    assert store.resolve_url(str(tmp_path / "r.sqlite")) == f"sqlite:///{tmp_path / 'r.sqlite'}"


def test_bad_url_is_an_input_error() -> None:
    with pytest.raises(InputError) as e:
        store.make_engine("nosuchdialect://x/y")
    assert "db" in e.value.message


def test_first_use_creates_the_schema_at_head(db_url: str) -> None:
    reg = store.open_registry(db_url)
    try:
        names = set(inspect(reg.engine).get_table_names())
        assert set(Base.metadata.tables) <= names
        assert "alembic_version" in names
        assert store.current_revision(reg.engine) == store.head_revision()
        # a second upgrade is a no-op
        before, after = store.upgrade(reg.engine)
        assert before == after == store.head_revision()
    finally:
        reg.dispose()


def test_models_and_migrations_agree(db_url: str) -> None:
    """Autogenerate finds nothing to change: the migration builds exactly the models."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext

    reg = store.open_registry(db_url)
    try:
        with reg.engine.connect() as conn:
            ctx = MigrationContext.configure(conn, opts={"compare_type": True})
            diffs = compare_metadata(ctx, Base.metadata)
        assert diffs == []
    finally:
        reg.dispose()


def test_unreachable_database_is_a_registry_error() -> None:
    with pytest.raises(store.RegistryError) as e:
        store.open_registry("postgresql+psycopg://nobody@127.0.0.1:1/none?connect_timeout=2")
    assert "cannot open" in str(e.value)


# -- due dates -----------------------------------------------------------------------


def test_add_months_clamps_to_month_end() -> None:
    assert schedule.add_months(dt.date(2024, 1, 31), 1) == dt.date(2024, 2, 29)
    assert schedule.add_months(dt.date(2023, 1, 31), 1) == dt.date(2023, 2, 28)
    assert schedule.add_months(dt.date(2023, 6, 10), 6) == dt.date(2023, 12, 10)
    assert schedule.add_months(dt.date(2023, 11, 15), 3) == dt.date(2024, 2, 15)
    assert schedule.add_months(dt.date(2023, 6, 10), 1.5) == dt.date(2023, 7, 25)


def test_due_window_uses_both_interval_bounds() -> None:
    exam = dt.date(2023, 12, 23)
    assert schedule.due_window("follow_up_imaging", exam, [6, 12]) == (
        dt.date(2024, 6, 23),
        dt.date(2024, 12, 23),
    )
    # bounds in either order
    assert schedule.due_window("follow_up_imaging", exam, [12, 6])[0] == dt.date(2024, 6, 23)
    due, late = schedule.due_window("characterize_contrast_imaging", exam, None)
    assert due == exam
    assert late == exam + dt.timedelta(days=schedule.GRACE_DAYS_WITHOUT_INTERVAL)
    assert schedule.due_window("no_further_workup", exam, None) == (None, None)


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.integers(min_value=0, max_value=240),
)
def test_add_whole_months_properties(day: dt.date, months: int) -> None:
    out = schedule.add_months(day, months)
    assert out >= day
    assert (out.year * 12 + out.month) - (day.year * 12 + day.month) == months
    assert out.day == min(day.day, calendar.monthrange(out.year, out.month)[1])


@given(
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2200, 1, 1)),
    st.floats(min_value=0, max_value=120),
    st.floats(min_value=0, max_value=120),
)
def test_due_never_after_overdue(day: dt.date, a: float, b: float) -> None:
    due, late = schedule.due_window("follow_up_imaging", day, [a, b])
    assert due is not None and late is not None
    assert day <= due <= late


def test_bad_interval_refused() -> None:
    with pytest.raises(ValueError):
        schedule.add_months(dt.date(2024, 1, 1), float("nan"))
    with pytest.raises(ValueError):
        schedule.add_months(dt.date(2024, 1, 1), -1)
