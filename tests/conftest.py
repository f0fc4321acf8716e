"""Shared test fixtures.

Data from outside the project (``../shared/data``) is read in place, never
copied; tests that need it skip with a clear reason where it is absent (a
user's own clone). CI always has it.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("HEPCALC_SHARED", ROOT.parent / "shared"))
EXAMPLES = ROOT / "examples"
HEPCALC_BIN = Path(sys.executable).parent / "hepcalc"


def shared_file(rel: str) -> Path:
    """Path to a file in ../shared, or skip the test with the reason."""
    p = SHARED / rel
    if not p.exists():
        pytest.skip(f"{p} is absent: shared test data lives beside the project in ../shared")
    return p


@pytest.fixture
def shared() -> type:
    class _S:
        path = staticmethod(shared_file)

    return _S
