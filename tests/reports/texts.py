"""Report texts the equivalence tests read: the project's development sets and MTSamples.

Development sets only: the blind sets are read by the scorer and nothing else.
"""

from __future__ import annotations

import json

from tests.conftest import ROOT, shared_file


def own_texts(names: tuple[str, ...]) -> list[str]:
    """The texts of the named report sets under ``tests/data/reports``."""
    out: list[str] = []
    for name in names:
        with (ROOT / "tests" / "data" / "reports" / f"{name}.jsonl").open(encoding="utf-8") as f:
            out.extend(json.loads(line)["text"] for line in f if line.strip())
    return out


def mtsamples_texts() -> list[str]:
    """MTSamples' texts from ``../shared`` (the test skips, saying why, when it is absent)."""
    with shared_file("data/mtsamples.jsonl").open(encoding="utf-8") as f:
        return [json.loads(line).get("text") or "" for line in f]
