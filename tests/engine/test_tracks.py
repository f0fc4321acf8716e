"""Lesion matching across exams: explicit tracks, minimum-cost assignment, new/resolved."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.engine.tracks import MAX_MATCH_COST, assign, build_tracks, hungarian
from hepcalc.errors import InputError
from hepcalc.model import Case


def exams(*specs: tuple[str, str, list[dict[str, Any]]]):
    case = Case.model_validate(
        {"exams": [{"date": d, "modality": m, "findings": f} for d, m, f in specs]}
    )
    return case.sorted_exams()


def calc(size: float, **kw: Any) -> dict[str, Any]:
    return {"kind": "calcification", "size_mm": size, **kw}


def sizes(track) -> list[float | None]:
    return [o.finding.size_mm for o in track.observations]


def test_seed000_pairs_14_to_25_and_9_to_8() -> None:
    ts = build_tracks(
        exams(
            ("2023-06-10", "US", [calc(14), calc(9)]),
            ("2023-12-17", "US", [calc(25), calc(8)]),
        )
    )
    assert [(t.id, sizes(t)) for t in ts] == [("A", [14, 25]), ("B", [9, 8])]
    assert all(not t.new and not t.resolved for t in ts)
    assert "minimum-cost" in ts[0].matched_by and "size 14 then 25 mm" in ts[0].matched_by


def test_pairing_does_not_depend_on_the_order_findings_are_listed() -> None:
    ts = build_tracks(
        exams(
            ("2023-06-10", "US", [calc(9), calc(14)]),
            ("2023-12-17", "US", [calc(8), calc(25)]),
        )
    )
    assert sorted(sizes(t) for t in ts) == [[9, 8], [14, 25]]


def test_size_only_greedy_would_mispair_but_assignment_does_not() -> None:
    """A greedy nearest-size match takes 14->8 first; the assignment + rank term does not."""
    import math

    assert abs(math.log(8 / 14)) < abs(math.log(25 / 14))  # greedy's trap
    ts = build_tracks(
        exams(
            ("2023-01-01", "CT", [calc(14, location={"lobe": "right"}), calc(9)]),
            ("2023-03-01", "CT", [calc(8), calc(25, location={"lobe": "right"})]),
        )
    )
    assert sorted(sizes(t) for t in ts) == [[9, 8], [14, 25]]


def test_explicit_track_wins_over_sizes() -> None:
    ts = build_tracks(
        exams(
            ("2023-01-01", "US", [calc(14, track="X")]),
            ("2023-06-01", "US", [calc(25), calc(8, track="X")]),
        )
    )
    by_id = {t.id: t for t in ts}
    assert sizes(by_id["X"]) == [14, 8]
    assert "explicit" in by_id["X"].matched_by
    auto = by_id["A"]
    assert sizes(auto) == [25] and auto.new


def test_duplicate_explicit_track_in_one_exam_is_an_input_error() -> None:
    with pytest.raises(InputError) as err:
        build_tracks(exams(("2023-01-01", "US", [calc(5, track="A"), calc(6, track="A")])))
    assert "findings[1].track" in err.value.message


def test_different_lobe_and_threefold_size_is_not_the_same_lesion() -> None:
    ts = build_tracks(
        exams(
            ("2023-01-01", "CT", [calc(5, location={"lobe": "left"})]),
            ("2023-06-01", "CT", [calc(16, location={"lobe": "right"})]),
        )
    )
    assert [sizes(t) for t in ts] == [[5], [16]]
    assert ts[0].resolved and not ts[0].new
    assert ts[1].new and not ts[1].resolved


def test_calcification_missing_on_later_mri_is_not_resolved() -> None:
    ts = build_tracks(exams(("2023-01-01", "CT", [calc(5)]), ("2023-06-01", "MRI", [])))
    assert not ts[0].resolved
    ts = build_tracks(exams(("2023-01-01", "CT", [calc(5)]), ("2023-06-01", "CT", [])))
    assert ts[0].resolved


def test_a_lesion_skipping_an_exam_keeps_its_track() -> None:
    lesion = {"kind": "lesion", "size_mm": 12, "location": {"lobe": "right", "segment": 7}}
    ts = build_tracks(
        exams(
            ("2023-01-01", "CT", [lesion]),
            ("2023-04-01", "US", []),
            ("2023-07-01", "CT", [{**lesion, "size_mm": 13}]),
        )
    )
    assert len(ts) == 1 and sizes(ts[0]) == [12, 13]
    assert "1 exam(s) in between" in ts[0].matched_by


def test_auto_ids_skip_explicit_ids() -> None:
    ts = build_tracks(exams(("2023-01-01", "US", [calc(3, track="A"), calc(4), calc(5)])))
    assert [t.id for t in ts] == ["A", "B", "C"]


def _brute(cost: list[list[float]]) -> float:
    n = len(cost)
    return min(sum(cost[i][p[i]] for i in range(n)) for p in itertools.permutations(range(n)))


@settings(max_examples=150, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.lists(
            st.lists(st.floats(0, 10, allow_nan=False), min_size=n, max_size=n),
            min_size=n,
            max_size=n,
        )
    )
)
def test_hungarian_finds_the_minimum(cost: list[list[float]]) -> None:
    cols = hungarian(cost)
    assert sorted(cols) == list(range(len(cost)))
    total = sum(cost[i][c] for i, c in enumerate(cols))
    assert total == pytest.approx(_brute(cost), abs=1e-6)


def test_assign_leaves_expensive_pairs_unmatched() -> None:
    assert assign([[0.1, 5.0], [5.0, MAX_MATCH_COST + 0.1]]) == [(0, 0)]
    assert assign([]) == []


def test_fast_cost_equals_the_explained_cost() -> None:
    from hepcalc.engine.tracks import _Cand, _parts, pair_cost
    from hepcalc.model import Finding

    findings = [
        Finding.model_validate(f)
        for f in (
            calc(5),
            calc(7, location={"lobe": "right", "segment": 7}),
            calc(9, location={"lobe": "right", "segment": 6}),
            {"kind": "lesion", "size_mm": 12, "location": {"lobe": "left"}},
            {"kind": "lesion", "pattern": "coarse", "location": {"segment": 3}},
            {"kind": "cyst", "location": {"segment": 3}},
        )
    ]
    for a, b in itertools.product(findings, repeat=2):
        ca, cb = _Cand(a, 0, 0.0), _Cand(b, 2, 1.0)
        assert pair_cost(ca, cb) == pytest.approx(sum(c for _, c in _parts(ca, cb)))


def test_greedy_fallback_keeps_cut_off_and_is_one_to_one() -> None:
    from hepcalc.engine.tracks import assign_greedy

    pairs = assign_greedy([[0.1, 0.2], [0.15, 3.0], [2.5, 2.6]])
    assert pairs == [(0, 0)]  # cheapest first; the optimum would be (0, 1) + (1, 0)
