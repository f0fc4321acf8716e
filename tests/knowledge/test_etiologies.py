"""etiologies.yaml and the AFP table: every number sourced, every condition known, bad data loud.

The knowledge base is checked against the engine's condition registry when it
loads; a broken file (unknown condition, a number without source, a prior outside
(0, 1)) must fail at load naming the etiology and the field. These tests write a
temporary broken YAML file and load it through the real loader.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import pytest
import yaml

from hepcalc.engine.afp import afp_for_age
from hepcalc.engine.conditions import REGISTRY, UnknownCondition, check
from hepcalc.knowledge import KnowledgeBase, KnowledgeBaseError, build, load_kb
from hepcalc.knowledge.etiologies import AGE_GROUPS
from hepcalc.model import Patient
from hepcalc.render import words


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


def _texts() -> tuple[dict[str, str], list[tuple[str, str]]]:
    data = resources.files("hepcalc.knowledge") / "data"
    texts = {
        p.name: p.read_text(encoding="utf-8") for p in data.iterdir() if p.name.endswith(".yaml")
    }
    folder = data / "articles"
    articles = sorted(
        (p.name, p.read_text(encoding="utf-8"))
        for p in folder.iterdir()
        if p.name.endswith(".yaml")
    )
    return texts, articles


def _load_broken(tmp_path: Path, mutate) -> None:
    """Write a mutated etiologies.yaml to disk, read it back, build the KB from it."""
    texts, articles = _texts()
    ets = yaml.safe_load(texts["etiologies.yaml"])
    mutate(ets)
    path = tmp_path / "etiologies.yaml"
    path.write_text(yaml.safe_dump(ets, sort_keys=False), encoding="utf-8")
    build({**texts, "etiologies.yaml": path.read_text(encoding="utf-8")}, articles)


def _by_id(ets: list[dict], eid: str) -> dict:
    return next(e for e in ets if e["id"] == eid)


# ------------------------------------------------------------- bad input is loud
def test_unknown_condition_fails_at_load_naming_etiology_and_field(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "hydatid_cyst")["evidence"][1]["when"] = "pattern:eggshell"

    with pytest.raises(KnowledgeBaseError, match=r"hydatid_cyst: evidence\[1\]\.when.*eggshell"):
        _load_broken(tmp_path, mutate)


def test_misspelt_condition_name_fails_at_load(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "hepatocellular_carcinoma")["context"][0]["when"] = "cirrosis"

    with pytest.raises(KnowledgeBaseError, match=r"hepatocellular_carcinoma: context\[0\]"):
        _load_broken(tmp_path, mutate)


def test_number_without_source_fails_at_load(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        item = _by_id(ets, "hepatoblastoma")["evidence"][0]
        item.pop("source", None)
        item.pop("expert_estimate", None)

    with pytest.raises(KnowledgeBaseError, match=r"hepatoblastoma: evidence\.0.*source"):
        _load_broken(tmp_path, mutate)


def test_prior_basis_without_source_fails_at_load(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "hemangioma")["prior_basis"] = {"note": "trust me"}

    with pytest.raises(KnowledgeBaseError, match=r"hemangioma: prior_basis"):
        _load_broken(tmp_path, mutate)


@pytest.mark.parametrize("bad", [0.0, 1.0, 1.5, -0.1])
def test_prior_outside_open_unit_interval_fails_at_load(tmp_path: Path, bad: float) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "calcified_granuloma")["prior"]["adult"] = bad

    with pytest.raises(KnowledgeBaseError, match=r"calcified_granuloma: prior.*adult.*\(0, 1\)"):
        _load_broken(tmp_path, mutate)


def test_missing_age_group_fails_at_load(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        del _by_id(ets, "hepatoblastoma")["prior"]["infant"]

    with pytest.raises(KnowledgeBaseError, match=r"hepatoblastoma: prior.*missing.*infant"):
        _load_broken(tmp_path, mutate)


def test_unknown_reference_in_an_lr_fails_at_load(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "hepatoblastoma")["evidence"][0]["source"] = ["Nobody2031"]

    with pytest.raises(KnowledgeBaseError, match=r"hepatoblastoma: evidence\[0\]\.source.*Nobody"):
        _load_broken(tmp_path, mutate)


def test_lr_must_be_positive(tmp_path: Path) -> None:
    def mutate(ets: list[dict]) -> None:
        _by_id(ets, "hemangioma")["evidence"][0]["lr"] = 0

    with pytest.raises(KnowledgeBaseError, match=r"hemangioma: evidence\.0\.lr"):
        _load_broken(tmp_path, mutate)


# ------------------------------------------------------------- the packaged data
def test_every_condition_is_a_registered_predicate(kb: KnowledgeBase) -> None:
    used = {c for e in kb.etiologies.values() for _f, c in e.conditions()}
    assert used
    for cond in used:
        check(cond)  # raises on an unknown word
    names = {part.partition(":")[0] for c in used for part in c.split("+")}
    assert names <= set(REGISTRY)


def test_registry_rejects_typos_and_wrong_arguments() -> None:
    for bad in ("pattern:eggshell", "risk:cirrosis", "age_lt:young", "multiple:3", "kind"):
        with pytest.raises(UnknownCondition):
            check(bad)
    check("feature:daughter_cysts")
    check("age_group:neonate")


def test_every_etiology_has_priors_for_all_age_groups_and_a_basis(kb: KnowledgeBase) -> None:
    for e in kb.etiologies.values():
        assert set(e.prior) == set(AGE_GROUPS), e.id
        assert e.prior_basis.source or e.prior_basis.expert_estimate, e.id
        assert e.p_calcified_basis.source or e.p_calcified_basis.expert_estimate, e.id
        for item in (*e.context, *e.evidence):
            assert item.source or item.expert_estimate, (e.id, item.when)


def test_hard_exclusions_the_issue_names(kb: KnowledgeBase) -> None:
    ets = kb.etiologies
    for eid in ("calcified_granuloma", "hydatid_cyst", "schistosomiasis"):
        assert ets[eid].prior["neonate"] is None and ets[eid].prior["fetus"] is None, eid
    for eid in ("fibrolamellar_hcc", "hepatic_adenoma", "hemangioma"):
        assert ets[eid].prior["infant"] is None, eid
    assert ets["hepatoblastoma"].prior["adult"] is None
    assert ets["congenital_infection"].prior["adult"] is None


def test_kb_is_the_one_source_of_names_wording_and_serious_flags(kb: KnowledgeBase) -> None:
    for gone in ("ETIOLOGY_NAMES", "PLAIN_ETIOLOGY"):
        assert not hasattr(words, gone), gone
    for e in kb.etiologies.values():
        assert words.etiology_name(e.id) == e.name
        plain = words.plain_cause(e.id)
        if e.serious or e.group == "malignant":
            assert e.id in words.SERIOUS_ETIOLOGIES
            assert "most likely" not in plain.lower()
        elif e.plain_wording:
            assert e.plain_wording.strip() in plain


# ------------------------------------------------------------- AFP for age
def test_afp_table_is_contiguous_and_never_rises_with_age(kb: KnowledgeBase) -> None:
    rows = kb.afp_limits
    assert rows[0].from_days == 0 and rows[-1].to_days is None
    limits = []
    for r in rows:
        limits.append(r.limit_at(r.from_days))
        if r.to_days is not None:
            limits.append(r.limit_at(r.to_days - 1e-9))
    assert limits == sorted(limits, reverse=True)
    assert all(r.source for r in rows)


@pytest.mark.parametrize(
    ("age_years", "afp", "raised"),
    [
        (0.003, 90_000, False),  # day 1: physiological
        (0.12, 3_000, False),  # 6 weeks
        (0.12, 60_000, True),
        (0.75, 200, True),  # 9 months: above Blohm's 87 ng/mL
        (0.75, 50, False),
        (3, 15, True),
        (40, 15, True),
        (40, 8, False),
    ],
)
def test_afp_is_judged_against_the_limit_for_age(
    kb: KnowledgeBase, age_years: float, afp: float, raised: bool
) -> None:
    reading = afp_for_age(Patient(age=age_years, labs={"afp_ng_ml": afp}), kb, prenatal=False)
    assert reading is not None and reading.raised is raised
    assert reading.reference  # the output can say which reference was used


def test_laboratory_limit_wins_in_adults(kb: KnowledgeBase) -> None:
    p = Patient(age=50, labs={"afp_ng_ml": 15, "afp_uln_ng_ml": 20})
    reading = afp_for_age(p, kb, prenatal=False)
    assert reading is not None and not reading.raised
    assert "laboratory" in reading.reference


def test_afp_not_judged_before_birth(kb: KnowledgeBase) -> None:
    p = Patient(gestational_age_weeks=30, labs={"afp_ng_ml": 100_000})
    assert afp_for_age(p, kb, prenatal=True) is None


def test_no_etiology_cites_a_seed_page() -> None:
    """The seed pages define the problem; they are never the evidence for a cause."""
    from hepcalc.knowledge import load_kb

    kb = load_kb()
    seeds = {key for key, ref in kb.references.items() if getattr(ref, "seed", False)}
    assert seeds, "the seed references should be flagged seed: true"
    for et in kb.etiologies.values():
        assert not seeds & set(et.citations), et.id
