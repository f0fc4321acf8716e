"""Question sets for the `ask` tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hepcalc.ask.evaluate import load_rows
from tests.web.conftest import Server, start_server, stop_server

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


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """One default `hepcalc serve` (no options) for every `ask` module that talks HTTP:
    the modules only read from it, and each server start costs seconds."""
    srv = start_server(tmp_path_factory.mktemp("ask-http"))
    try:
        yield srv
    finally:
        stop_server(srv)
