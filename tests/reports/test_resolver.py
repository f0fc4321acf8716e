"""Each resolver pass on its own, on its docstring example.

A pass reads one thing about a ``Mention`` and writes it; these tests run the passes
in order up to the one under test and check what it wrote, so a change to one pass
shows here, by name, before it shows as a corpus score.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from hepcalc.model import Associated, Comparison, Evidence, FindingKind, Location, Pattern
from hepcalc.reports import resolver, sections, sentences
from hepcalc.reports.resolver import LastHost, Mention
from hepcalc.reports.targets import candidate_positions, find_targets


def _mention(
    text: str, clause: int = -1, host_before: LastHost | None = None, section: str = "findings"
) -> Mention:
    """A mention for the ``clause``-th clause holding a target of a one-sentence text."""
    sec = sections.Section("FINDINGS", section, "liver", 0, 0, len(text))
    clauses = sentences.split_clauses(text, 0, len(text))
    targets = find_targets(text, 0, len(text), candidate_positions(text))
    with_targets = [
        (c0, c1, [t for t in targets if c0 <= t.start < c1])
        for c0, c1 in clauses
        if any(c0 <= t.start < c1 for t in targets)
    ]
    c0, c1, in_clause = with_targets[clause]
    return Mention(
        text=text,
        sec=sec,
        c_start=c0,
        c_end=c1,
        s_start=0,
        s_end=len(text),
        targets=in_clause,
        features={},
        evidence=Evidence(sentence=text, start=0, end=len(text)),
        sentence_key=1,
        host_before=lambda: host_before,
    )


def _run_until(m: Mention, last: Callable[[Mention], None]) -> Mention:
    for step in resolver.PASSES:
        step(m)
        if step is last:
            break
    return m


def test_passes_are_named_and_ordered() -> None:
    assert [p.__name__ for p in resolver.PASSES] == [
        "host_pass",
        "size_pass",
        "place_pass",
        "lesion_link_pass",
        "count_pass",
        "change_pass",
        "size_group_pass",
        "split_pass",
    ]
    for p in resolver.PASSES:
        assert p.__doc__ and "Example" in p.__doc__, p.__name__


def test_host_pass_takes_the_lesion_of_the_clause_before() -> None:
    m = _run_until(
        _mention("Haemangioma in segment 7, 3.1 cm; with a central calcification."),
        resolver.host_pass,
    )
    assert m.host.associated is Associated.hemangioma
    assert m.size_start == 0


def test_host_pass_keeps_a_bare_calcification() -> None:
    m = _run_until(_mention("A 4 mm calcification in segment 6."), resolver.host_pass)
    assert m.host.kind is FindingKind.calcification and m.host.associated is None


@pytest.mark.parametrize(
    ("text", "current", "priors"),
    [
        ("Liver calcification 2 mm-3 mm.", [3.0], []),
        ("Liver calcification now 7 mm (previously 5 mm).", [7.0], [5.0]),
    ],
)
def test_size_pass(text: str, current: list[float], priors: list[float]) -> None:
    m = _run_until(_mention(text), resolver.size_pass)
    assert [z.mm for z in m.current] == current
    assert [z.mm for z in m.priors] == priors


def test_place_pass_reads_anaphora_and_pattern() -> None:
    m = _run_until(_mention("Punctate calcification within it."), resolver.place_pass)
    assert m.anaphora is True and m.adjacent is False
    assert m.pattern is Pattern.punctate


def test_lesion_link_pass_inherits_the_sections_lesion() -> None:
    hemangioma = LastHost(
        FindingKind.lesion, Associated.hemangioma, 31.0, Location(segment=7), None, None
    )
    m = _run_until(
        _mention(
            "Small echogenic focus within it represents a phlebolith.", host_before=hemangioma
        ),
        resolver.lesion_link_pass,
    )
    assert m.host.associated is Associated.hemangioma
    assert m.inherited_size == 31.0 and m.loc.segment == 7


def test_lesion_link_pass_adjacent_keeps_its_own_finding() -> None:
    cyst = LastHost(FindingKind.cyst, None, 20.0, Location(segment=4), None, None)
    m = _run_until(
        _mention("Adjacent to it there is a 2 mm calcification.", host_before=cyst),
        resolver.lesion_link_pass,
    )
    assert m.host.kind is FindingKind.calcification
    assert m.inherited is None and m.loc.segment == 4


@pytest.mark.parametrize(
    ("text", "count", "after"),
    [
        ("Calcified granulomas: three in the right lobe.", 3, True),
        ("Two calcifications in segment 6.", 2, False),
        ("Calcified metastases in the right lobe.", "multiple", False),
    ],
)
def test_count_pass(text: str, count: int | str, after: bool) -> None:
    m = _run_until(_mention(text, clause=0), resolver.count_pass)
    assert (m.count, m.count_is_after) == (count, after)


def test_change_pass_prefers_the_place_in_a_lesion() -> None:
    m = _run_until(
        _mention("Stable 2 cm mass with a central coarse calcification."), resolver.change_pass
    )
    assert m.comparison is Comparison.stable
    assert m.pattern is Pattern.central


def test_change_pass_another_is_not_mergeable() -> None:
    m = _run_until(_mention("Another 3 mm calcification in segment 2."), resolver.change_pass)
    assert m.mergeable is False


@pytest.mark.parametrize(
    ("text", "groups", "comparison"),
    [
        ("Calcifications measuring 1.4 cm and 0.9 cm.", [14.0, 9.0], None),
        ("Calcification now 7 mm (previously 5 mm).", [7.0], Comparison.increased),
    ],
)
def test_size_group_pass(text: str, groups: list[float], comparison: Comparison | None) -> None:
    m = _run_until(_mention(text), resolver.size_group_pass)
    assert m.size_groups == groups
    assert m.comparison is comparison


def test_size_group_pass_pairs_sizes_with_places() -> None:
    m = _run_until(_mention("Calc 3 mm seg 6, 4 mm seg 7."), resolver.size_group_pass)
    assert m.paired is not None
    assert [(z.mm, loc.segment) for z, loc in m.paired] == [(3.0, 6), (4.0, 7)]


def test_split_pass_one_per_segment() -> None:
    m = _run_until(_mention("Calcified granulomas in segments 2 and 6."), resolver.split_pass)
    assert m.segs == [2, 6] and m.size_groups == [None, None] and m.per_count == 1


def test_split_pass_one_per_lobe() -> None:
    m = _run_until(
        _mention("Punctate calcifications in the right, left and caudate lobes."),
        resolver.split_pass,
    )
    assert m.drafts is not None
    assert [d.location.lobe.value for d in m.drafts if d.location.lobe] == [
        "right",
        "left",
        "caudate",
    ]


def test_split_pass_one_lesion_over_joined_segments() -> None:
    m = _run_until(
        _mention("A 4 cm calcified mass spanning segments 7 and 8."), resolver.split_pass
    )
    assert m.loc.segment is None and m.loc.lobe is not None and m.loc.lobe.value == "right"


def test_build_drafts_respectively() -> None:
    drafts = resolver.resolve(
        _mention("Calcifications in segments 6 and 7 measuring 2 mm and 3 mm respectively.")
    )
    assert [(d.location.segment, d.size_mm) for d in drafts] == [(6, 2.0), (7, 3.0)]


def test_summary_place_list_is_mergeable_but_a_findings_one_is_not() -> None:
    text = "Two calcifications (segments 7 and 2)."
    summary = resolver.resolve(_mention(text, section="impression"))
    findings = resolver.resolve(_mention(text, section="findings"))
    assert all(d.mergeable for d in summary)
    assert not any(d.mergeable for d in findings)
