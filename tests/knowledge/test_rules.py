"""Rules as data (issue 12): the knowledge base refuses a bad rule at load, naming it;
references carry their scope; every recommendation is cited with evidence in scope;
docs/pathway.md is generated from the data and is current.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from hepcalc.engine.assess import assess
from hepcalc.engine.pathway_doc import render
from hepcalc.engine.risk import age_group
from hepcalc.engine.safety import scope_context
from hepcalc.knowledge import KnowledgeBaseError, _article_texts, _data_files, _read, build
from hepcalc.knowledge.rules import ReferenceScope, ScopeContext, in_scope
from hepcalc.model import Case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = sorted((ROOT / "examples").glob("*.yaml"))


def _texts() -> dict[str, str]:
    return {name: _read(name) for name in _data_files()}


def _with_rule(extra: dict) -> dict[str, str]:
    """The packaged texts plus one rule appended to rules.yaml (a temporary broken yaml)."""
    texts = _texts()
    rules = yaml.safe_load(texts["rules.yaml"])
    rules.append(extra)
    texts["rules.yaml"] = yaml.safe_dump(rules, sort_keys=False)
    return texts


GOOD = {"id": "x-test-rule", "text": "t", "citations": ["Gore2017"], "actions": ["noncontrast_ct"]}


def test_the_packaged_rules_load() -> None:
    kb = build(_texts(), _article_texts())
    assert "urgency-cholangitis" in kb.rules
    assert build(_with_rule(GOOD), _article_texts()).rule("x-test-rule").actions


@pytest.mark.parametrize(
    "broken, words",
    [
        ({**GOOD, "citations": []}, "citations"),
        ({k: v for k, v in GOOD.items() if k != "citations"}, "citations"),
        ({**GOOD, "actions": ["teleport"]}, "actions"),
        ({**GOOD, "interval_months": [6, 3]}, "interval"),
        ({**GOOD, "interval_months": [3, 600]}, "interval"),
        ({**GOOD, "urgency": "whenever"}, "urgency"),
        ({**GOOD, "modality": "PET"}, "modality"),
        ({**GOOD, "citations": ["Seed001"]}, "seed"),
        ({**GOOD, "citations": ["NoSuchRef2099"]}, "unknown reference"),
    ],
)
def test_a_broken_rule_is_refused_at_load_naming_it(broken: dict, words: str) -> None:
    with pytest.raises(KnowledgeBaseError) as err:
        build(_with_rule(broken), _article_texts())
    assert "x-test-rule" in str(err.value)
    assert words in str(err.value)


def test_acr_incidental_findings_table_is_data_total_and_ordered() -> None:
    """Every combination of the facts the table reads meets exactly one deciding row."""
    import itertools

    from hepcalc.engine.pathway import acr_row

    kb = build(_texts(), _article_texts())
    rows = [r.id for r in kb.rules.values() if r.when is not None and r.when.table == "acr-if"]
    assert len(rows) == 10 and rows[0] == "acr-if-oncologic-referral"
    for inv, size, feat, risk in itertools.product(
        ("yes", "no"),
        ("lt10", "10to15", "gt15"),
        ("benign", "uncharacterised", "suspicious", "flash"),
        ("low", "high"),
    ):
        row = acr_row(kb, {"invasion": inv, "size": size, "features": feat, "risk": risk})
        if inv == "yes":
            assert row == "acr-if-oncologic-referral"
        elif size == "lt10":
            assert row == f"acr-if-lt1-{risk}"
        assert kb.rule(row).steps


def test_a_table_row_whose_step_is_not_declared_is_refused() -> None:
    row = {
        **GOOD,
        "when": {"table": "acr-if", "size": "lt10"},
        "steps": [{"action": "biopsy_consideration", "text": "x"}],
    }
    with pytest.raises(KnowledgeBaseError) as err:
        build(_with_rule(row), _article_texts())
    assert "x-test-rule" in str(err.value)
    assert "biopsy_consideration" in str(err.value)


def test_symptomatic_adult_is_outside_the_incidental_findings_table() -> None:
    lesion = {"kind": "lesion", "size_mm": 12, "features": {"flash_filling": True}}
    base = {
        "age": 50,
        "risk_factors": {
            "cirrhosis": False,
            "chronic_hbv": False,
            "prior_hcc": False,
            "extrahepatic_malignancy": False,
        },
    }
    exam = {"modality": "CT", "contrast": "iv", "date": "2024-01-01", "findings": [lesion]}
    quiet = assess(Case.model_validate({"patient": base, "exams": [exam]}))
    assert quiet.recommendations[0].rule == "acr-if-flash-low"
    ill = assess(Case.model_validate({"patient": {**base, "symptoms": ["fever"]}, "exams": [exam]}))
    assert ill.recommendations[0].action.value == "characterize_contrast_imaging"
    cited = {k for r in ill.recommendations for k in r.citations}
    assert "Gore2017" not in cited and "ACR-Assist-IF-Liver" not in cited


def test_seed_pages_are_marked_and_never_cited_by_a_rule() -> None:
    kb = build(_texts(), _article_texts())
    seeds = {k for k, r in kb.references.items() if r.seed}
    assert {"Seed000", "Seed001", "Seed002", "Seed003"} <= seeds
    for rule in kb.rules.values():
        assert not seeds & set(rule.citations), rule.id


def test_guideline_scopes() -> None:
    kb = build(_texts(), _article_texts())
    gore = kb.reference("Gore2017").scope
    assert gore is not None
    assert in_scope(gore, ScopeContext(age_group="adult"))
    assert not in_scope(gore, ScopeContext(age_group="adult", symptomatic=True))
    assert not in_scope(gore, ScopeContext(age_group="child"))
    crc = kb.reference("Easson1996").scope
    assert in_scope(crc, ScopeContext(cancer_site="colorectal"))
    assert in_scope(crc, ScopeContext(cancer_site="Rectal adenocarcinoma"))
    assert not in_scope(crc, ScopeContext(cancer_site="breast"))
    assert in_scope(None, ScopeContext(age_group="fetus"))
    assert in_scope(ReferenceScope(), ScopeContext(age_group="neonate", symptomatic=True))


# -- properties over every example and a spread of cases ---------------------------------------


def _spread() -> list[Case]:
    calc = {"kind": "calcification", "size_mm": 8, "associated": "none"}
    mass = {"kind": "lesion", "size_mm": 30, "calcified": True, "associated": "solid_mass"}
    cyst = {"kind": "cyst", "size_mm": 40, "calcified": True, "features": {"thick_wall": True}}
    out = []
    for patient in (
        {"age": 50},
        {"age": 50, "symptoms": ["fever", "jaundice"]},
        {"age": 60, "risk_factors": {"cirrhosis": True}},
        {
            "age": 55,
            "risk_factors": {"extrahepatic_malignancy": True, "primary_cancer_site": "breast"},
        },
        {"age": 0.05, "symptoms": ["jaundice"]},
        {"age": 8},
        {"age": 15, "symptoms": ["weight_loss"]},
    ):
        for f in (calc, mass, cyst):
            for modality, contrast in (("US", None), ("CT", "iv"), ("MRI", "hepatobiliary")):
                exam = {"modality": modality, "date": "2024-01-01", "findings": [f]}
                if contrast:
                    exam["contrast"] = contrast
                out.append(Case.model_validate({"patient": patient, "exams": [exam]}))
    return out


def _cases() -> list[tuple[str, Case]]:
    cases = [(p.name, Case.model_validate(yaml.safe_load(p.read_text()))) for p in EXAMPLES]
    cases.extend((f"spread-{i}", c) for i, c in enumerate(_spread()))
    return cases


@pytest.fixture(scope="module")
def assessed() -> list[tuple[str, Case, object]]:
    return [(name, c, assess(c)) for name, c in _cases()]


def test_every_recommendation_has_urgency_and_non_seed_evidence(assessed) -> None:
    kb = build(_texts(), _article_texts())
    for name, _case, a in assessed:
        for r in a.recommendations:
            assert r.urgency in ("routine", "soon", "urgent"), name
            assert (r.urgency == "routine") == (r.urgency_reason == ""), (name, r.rule)
            evidence = [
                k
                for k in r.citations
                if not kb.reference(k).seed and kb.reference(k).strength != "weak"
            ]
            assert evidence, (name, r.rule)
            assert not any(kb.reference(k).seed for k in r.citations), (name, r.rule)


def test_no_recommendation_cites_a_guideline_outside_its_scope(assessed) -> None:
    """Gore 2017 is never cited for a symptomatic patient or a child; CRC series never for
    a breast primary; fetal series never for adults."""
    kb = build(_texts(), _article_texts())
    for name, case, a in assessed:
        prenatal = case.patient.gestational_age_weeks is not None or any(
            e.modality.value == "PRENATAL_US" for e in case.exams
        )
        ctx = scope_context(case.patient, age_group(case.patient, prenatal))
        for r in a.recommendations:
            outside = [k for k in r.citations if not in_scope(kb.reference(k).scope, ctx)]
            assert not outside, (name, r.rule, outside)


def test_every_recommendation_uses_an_action_its_rule_declares(assessed) -> None:
    kb = build(_texts(), _article_texts())
    for name, _case, a in assessed:
        for r in a.recommendations:
            declared = kb.rule(r.rule).actions
            assert declared, f"rule {r.rule} declares no actions ({name})"
            assert r.action in declared, (name, r.rule, r.action)


def test_recommendations_agree_with_their_rule_data(assessed) -> None:
    """Where a rule states its study, contrast or interval, every step it emits agrees."""
    kb = build(_texts(), _article_texts())
    imaging = {"characterize_contrast_imaging", "follow_up_imaging", "noncontrast_ct"}
    for name, _case, a in assessed:
        for r in a.recommendations:
            rule = kb.rule(r.rule)
            if r.action.value not in imaging:
                continue
            if rule.modality is not None:
                assert r.modality == rule.modality, (name, r.rule, r.modality)
            if rule.contrast is not None:
                assert r.contrast == rule.contrast, (name, r.rule, r.contrast)
            if rule.interval_months is not None and r.action.value == "follow_up_imaging":
                assert tuple(r.interval_months or ()) == rule.interval_months, (name, r.rule)


def test_one_decision_per_finding_unless_a_rule_combines(assessed) -> None:
    """Per track, the rules that fired are one decision (one rule id) plus combining rules."""
    kb = build(_texts(), _article_texts())
    for name, _case, a in assessed:
        by_track: dict[str, set[str]] = {}
        for r in a.recommendations:
            for t in (r.track or "").split(", "):
                if t:
                    by_track.setdefault(t, set()).add(r.rule)
        for track, fired in by_track.items():
            deciding = {x for x in fired if not kb.rule(x).combines}
            assert len(deciding) <= 1, (name, track, sorted(fired))


def test_docs_pathway_md_is_generated_and_current() -> None:
    current = (ROOT / "docs" / "pathway.md").read_text(encoding="utf-8")
    assert current == render(), (
        "docs/pathway.md is stale: run python -m hepcalc.engine.pathway_doc > docs/pathway.md"
    )
