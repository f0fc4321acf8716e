"""Real text: MTSamples (CC0), read in place from ../shared, never copied.

``tests/data/mtsamples_liver_annotations.jsonl`` annotates, by id only, every MTSamples
document that mentions the liver together with calcification, calcified or granuloma.
Every other document must give no liver calcification finding at all: with 4,966
documents of every specialty it is the corpus's false-positive check.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import ROOT, shared_file

sys.path.insert(0, str(ROOT / "benchmarks"))
import accuracy_scoring as scoring

ANNOTATIONS = ROOT / "tests" / "data" / "mtsamples_liver_annotations.jsonl"
LIVER = re.compile(r"liver|hepat", re.IGNORECASE)
CALCIFICATION = re.compile(r"calcif|granuloma", re.IGNORECASE)


def _annotations() -> dict[str, dict[str, Any]]:
    with ANNOTATIONS.open(encoding="utf-8") as fh:
        rows = [json.loads(line) for line in fh if line.strip()]
    return {r["id"]: r for r in rows}


def _documents(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return _documents(shared_file("data/mtsamples.jsonl"))


@pytest.fixture(scope="module")
def extract() -> Callable[..., list[Any]]:
    """The reader under test."""
    from hepcalc.reports import extract_findings

    return extract_findings


def test_annotations_hold_ids_findings_and_notes_only() -> None:
    ann = _annotations()
    assert ann, "no annotations"
    for row in ann.values():
        assert set(row) == {"id", "expected", "note"}
        assert len(row["note"]) < 200
        for f in row["expected"]:
            assert set(f) == set(scoring.FIELDS)


def test_annotations_cover_every_liver_calcification_document(
    documents: list[dict[str, Any]],
) -> None:
    """The annotated ids are exactly the documents the issue asks to annotate."""
    wanted = {
        d["id"] for d in documents if LIVER.search(d["text"]) and CALCIFICATION.search(d["text"])
    }
    assert set(_annotations()) == wanted


def test_no_source_text_is_copied_into_the_notes(documents: list[dict[str, Any]]) -> None:
    by_id = {d["id"]: d["text"].lower() for d in documents}
    for row in _annotations().values():
        note = row["note"].lower()
        words = note.split()
        for i in range(len(words) - 5):
            chunk = " ".join(words[i : i + 6])
            assert chunk not in by_id[row["id"]], f"{row['id']}: note copies {chunk!r}"


def test_annotated_documents_are_read_as_annotated(
    documents: list[dict[str, Any]], extract: Callable[..., list[Any]]
) -> None:
    ann = _annotations()
    problems = []
    for doc in documents:
        if doc["id"] not in ann:
            continue
        predicted = [scoring.finding_from_model(f) for f in extract(doc["text"])]
        rs = scoring.score_report(doc["id"], ann[doc["id"]]["expected"], predicted)
        if not rs.ok(("detection", "location")):
            problems.append(f"{doc['id']} ({ann[doc['id']]['note']})")
    assert not problems, "\n".join(problems)


def test_no_liver_calcification_in_any_other_document(
    documents: list[dict[str, Any]], extract: Callable[..., list[Any]]
) -> None:
    """False-positive check over every MTSamples document not annotated as positive."""
    positives = {i for i, a in _annotations().items() if a["expected"]}
    false_alarms = []
    for doc in documents:
        if doc["id"] in positives:
            continue
        found = scoring.scored_predictions(
            scoring.finding_from_model(f) for f in extract(doc["text"])
        )
        if found:
            evidence = "; ".join(str(f.get("evidence"))[:80] for f in found)
            false_alarms.append(f"{doc['id']}: {evidence}")
    assert not false_alarms, f"{len(false_alarms)} false alarm(s):\n" + "\n".join(false_alarms)
