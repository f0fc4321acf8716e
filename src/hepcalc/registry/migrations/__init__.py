"""Alembic migrations of the registry schema, shipped inside the package.

``hepcalc db upgrade`` and the first use of a registry run them; see
``hepcalc.registry.store.upgrade``.
"""
