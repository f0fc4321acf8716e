"""Findings as plain dicts, so a test states what it expects in one literal.

Shared by the wording-class tests (``test_generalisation.py``, ``test_reader_*.py``).
"""

from __future__ import annotations

from typing import Any

from hepcalc.model import Finding
from hepcalc.reports import extract_findings

ALL_FIELDS = ("kind", "size", "count", "seg", "lobe", "prior", "comp", "pattern", "assoc")


def _fields(f: Finding) -> dict[str, Any]:
    return {
        "kind": f.kind.value,
        "size": f.size_mm,
        "count": f.count,
        "seg": f.location.segment,
        "lobe": f.location.lobe.value if f.location.lobe else None,
        "prior": f.prior_size_mm,
        "comp": f.comparison.value if f.comparison else None,
        "pattern": f.pattern.value if f.pattern else None,
        "assoc": f.associated.value if f.associated else None,
    }


def summary(text: str, fields: tuple[str, ...] = ALL_FIELDS) -> list[dict[str, Any]]:
    """The findings of ``text``, each as the dict of ``fields`` that are not None."""
    out = []
    for f in extract_findings(text):
        d = _fields(f)
        out.append({k: d[k] for k in fields if d[k] is not None})
    return out
