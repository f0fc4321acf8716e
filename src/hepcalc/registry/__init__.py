"""The follow-up registry: patients, exams, versioned reports, findings, assessments,
recommendations with due dates and an audit trail, in SQL (SQLite by default,
PostgreSQL or any SQLAlchemy database by URL).

Modules: ``models`` (tables), ``store`` (URL, engine, migrations, audit helper),
``schedule`` (due dates), ``ingest`` (reports in), ``worklist`` (follow-ups out,
closing them). The registry is a face: it calls the reader and the engine and
holds no clinical logic of its own. See docs/registry.md.
"""

from hepcalc.registry.store import Registry, RegistryError, open_registry, resolve_url

__all__ = ["Registry", "RegistryError", "open_registry", "resolve_url"]
