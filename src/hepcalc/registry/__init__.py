"""The follow-up registry: patients, exams, versioned reports, findings, assessments,
recommendations with due dates and an audit trail, in SQL (SQLite by default,
PostgreSQL or any SQLAlchemy database by URL).

Modules: ``models`` (tables), ``store`` (URL, engine, migrations, audit helper),
``schedule`` (due dates), ``ingest`` (reports in), ``worklist`` (follow-ups out,
closing them). The registry is a face: it calls the reader and the engine and
holds no clinical logic of its own. See docs/registry.md.

The package itself imports nothing heavy: ``registry.vocabulary`` (the words the
CLI parser offers as choices) must load in a core install without SQLAlchemy, so
the names below are loaded from ``store`` on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from hepcalc.registry.store import Registry, RegistryError, open_registry, resolve_url

__all__ = ["Registry", "RegistryError", "open_registry", "resolve_url"]


def __getattr__(name: str) -> Any:
    """Load the store's public names lazily (PEP 562)."""
    if name in __all__:
        from hepcalc.registry import store

        return getattr(store, name)
    raise AttributeError(f"module 'hepcalc.registry' has no attribute {name!r}")
