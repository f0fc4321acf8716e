"""The registry's words that the command line and the web validate before any work.

Kept apart from ``models`` and ``worklist`` (which need SQLAlchemy) so that the
CLI parser can offer them as choices in a core install without the
``[registry]`` extra: ``hepcalc registry worklist --format pdf`` is refused by
the parser (exit 2, choices listed in ``--help``), not after opening a database.
"""

from __future__ import annotations

# Recommendation status as stored. "overdue" is never stored: it is derived from
# the due window at the as-of date of a worklist query (see worklist.py).
STATUS_OPEN = "open"
STATUS_DONE = "done"
STATUS_CANCELLED = "cancelled"
STORED_STATUSES = (STATUS_OPEN, STATUS_DONE, STATUS_CANCELLED)
CLOSE_STATUSES = (STATUS_DONE, STATUS_CANCELLED)

WORKLIST_FORMATS = ("json", "csv", "text")
INGEST_SUMMARY_FORMATS = ("text", "json")
