"""The in-memory report store behind CDS card and form links: exact, bounded, expiring."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from hepcalc.errors import parse_document, validate_as
from hepcalc.model import Case
from hepcalc.pipeline import assess
from hepcalc.web import backend
from hepcalc.web import report_store as store_mod
from hepcalc.web.report_store import ReportStore
from tests.conftest import EXAMPLES


def _case(name: str) -> Case:
    path = EXAMPLES / name
    data = parse_document(path.read_bytes(), source=str(path))
    return validate_as(Case, data.get("case", data))


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_round_trip_is_exact(name: str) -> None:
    case = _case(name)
    store = ReportStore()
    for assessment in (assess(case), backend.assess_for_cards(case)):
        token = store.put(assessment)
        assert store.get(token) == assessment


def test_stored_form_is_not_tracked_by_the_garbage_collector() -> None:
    """Why it is stored as text: live assessments made full collections slow (p99)."""
    store = ReportStore()
    store.put(assess(_case("seed-000.yaml")))
    (item,) = store._items.values()
    assert not gc.is_tracked(item.assessment_json)


def test_bounded_in_count_oldest_first() -> None:
    store = ReportStore(max_items=3)
    a = assess(_case("seed-002-punctate.yaml"))
    tokens = [store.put(a) for _ in range(5)]
    assert len(store) == 3
    assert store.get(tokens[0]) is None and store.get(tokens[1]) is None
    assert store.get(tokens[4]) == a


def test_expires_after_ttl(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [1000.0]
    monkeypatch.setattr(store_mod.time, "monotonic", lambda: now[0])
    store = ReportStore(ttl_s=60)
    token = store.put(assess(_case("seed-002-punctate.yaml")))
    now[0] += 59
    assert store.get(token) is not None
    now[0] += 2
    assert store.get(token) is None
    assert len(store) == 0


def test_unknown_token_is_none() -> None:
    assert ReportStore().get("no-such-token") is None


def test_examples_exist() -> None:
    assert len(list(Path(EXAMPLES).glob("*.yaml"))) >= 17
