"""Question sets for the `ask` tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from hepcalc.ask.evaluate import load_rows

HERE = Path(__file__).resolve().parent
QUESTIONS = HERE.parents[0] / "data" / "ask_questions.jsonl"
DEV = HERE / "dev_questions.jsonl"


@pytest.fixture(scope="session")
def question_rows() -> list[dict[str, Any]]:
    """The frozen set: tuning half, unseen half, out-of-scope questions."""
    return load_rows(QUESTIONS)


@pytest.fixture(scope="session")
def dev_rows() -> list[dict[str, Any]]:
    """Extra tuning questions written after the first unseen evaluation."""
    return load_rows(DEV)
