"""Every seed scenario and every "similar Q&A" case of seed 000 gets its expected answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from hepcalc.errors import parse_document, validate_as
from hepcalc.model import Case
from hepcalc.pipeline import assess
from tests.conftest import EXAMPLES

# example -> (risk tier, first action, actions that must be present, actions that must not)
EXPECTED: dict[str, tuple[str, str, set[str], set[str]]] = {
    "seed-000.yaml": (
        "low",
        "noncontrast_ct",
        {"characterize_contrast_imaging"},
        {"no_further_workup", "biopsy_consideration"},
    ),
    "seed-000-qa-small-calcification.yaml": ("low", "no_further_workup", set(), set()),
    "seed-000-qa-cyst-surface-calcification.yaml": ("low", "no_further_workup", set(), set()),
    "seed-000-qa-metastatic-crc.yaml": (
        "high",
        "specialist_referral",  # calcified foci on chemotherapy: treatment response, oncology
        {"characterize_contrast_imaging"},  # the non-calcified lesions are still characterised
        {"no_further_workup"},
    ),
    "seed-000-qa-afp-17.yaml": (
        "high",
        "specialist_referral",
        {"laboratory_tests", "characterize_contrast_imaging"},
        {"no_further_workup"},
    ),
    "seed-001-isolated-low-risk.yaml": ("low", "no_further_workup", set(), set()),
    "seed-001-cirrhosis-us-12mm.yaml": (
        "high",
        "characterize_contrast_imaging",
        {"hcc_surveillance"},
        {"no_further_workup"},
    ),
    "seed-001-cirrhosis-ct-lr4.yaml": (
        "high",
        "multidisciplinary_discussion",
        {"biopsy_consideration"},
        {"no_further_workup"},
    ),
    "seed-001-known-cancer.yaml": (
        "high",
        "characterize_contrast_imaging",
        set(),
        {"no_further_workup"},
    ),
    "seed-001-hemangioma.yaml": ("low", "no_further_workup", set(), set()),
    "seed-001-complex-cyst.yaml": (
        "low",
        "characterize_contrast_imaging",
        {"surgical_consultation"},
        set(),
    ),
    "seed-001-hydatid.yaml": (
        "low",
        "specialist_referral",
        {"laboratory_tests"},
        {"biopsy_consideration"},
    ),
    "seed-001-pediatric.yaml": ("pediatric", "follow_up_imaging", set(), set()),
    "seed-001-prenatal.yaml": (
        "pediatric",
        "specialist_referral",
        {"laboratory_tests", "follow_up_imaging"},
        set(),
    ),
    "seed-001-symptoms.yaml": (
        "high",
        "characterize_contrast_imaging",
        set(),
        {"no_further_workup"},
    ),
    "seed-002-punctate.yaml": ("low", "no_further_workup", set(), set()),
    "seed-003-mri-signal-void.yaml": ("low", "noncontrast_ct", set(), set()),
}


def load(name: str) -> Case:
    return validate_as(Case, parse_document((EXAMPLES / name).read_text()))


def test_every_example_has_an_expectation() -> None:
    names = {p.name for p in Path(EXAMPLES).glob("*.yaml")}
    assert names == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_answer(name: str) -> None:
    tier, first, present, absent = EXPECTED[name]
    a = assess(load(name))
    actions = [r.action.value for r in a.recommendations]
    assert a.risk.tier.value == tier
    assert actions[0] == first, actions
    assert present <= set(actions), actions
    assert not (absent & set(actions)), actions
    for r in a.recommendations:
        assert r.rule and r.rationale and r.citations
    assert a.summary.clinician and a.summary.patient


def test_seed_000_growth_explained() -> None:
    a = assess(load("seed-000.yaml"))
    g = {x.track: x for x in a.growth}
    assert g["A"].exceeds_measurement_variability is True
    assert g["A"].change_mm == 11 and g["A"].change_pct == pytest.approx(78.6, abs=0.1)
    assert g["B"].exceeds_measurement_variability is False
    assert "derived" in g["A"].explanation or "heuristic" in g["A"].explanation


def test_lirads_present_only_where_it_applies() -> None:
    assert assess(load("seed-001-cirrhosis-ct-lr4.yaml")).lirads[0].category.value == "LR-4"
    assert assess(load("seed-001-cirrhosis-us-12mm.yaml")).lirads[0].category.value == "US-3"
    assert assess(load("seed-000.yaml")).lirads is None


def test_metastatic_crc_differential_leads_with_metastasis() -> None:
    a = assess(load("seed-000-qa-metastatic-crc.yaml"))
    calc = [d for d in a.differential if d.track == "C"]
    assert calc[0].etiology == "metastasis_calcified"
