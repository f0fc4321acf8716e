"""The packaged knowledge base: integrity, honesty of its sources, and the choices it records.

These tests read the real YAML shipped in the package. They check what the loader
promises (every citation resolves, kb_version follows the content), what the
curation rules promise (no unverifiable source shipped as evidence, no UNVERIFIED
claim, every condition id in the engine's vocabulary) and that the conflicts between
the seed documents and the literature (shared/knowledge/facts.md) are recorded and
actually followed by the differential.
"""

from __future__ import annotations

import os
import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from hepcalc.engine.assess import assess
from hepcalc.engine.conditions import UnknownCondition
from hepcalc.engine.conditions import check as check_condition
from hepcalc.knowledge import KnowledgeBase, KnowledgeBaseError, Reference, build, load_kb
from hepcalc.model import Case

# CONTRACT.md section 3: ids every knowledge base must provide.
CONTRACT_ETIOLOGIES = (
    "calcified_granuloma",
    "hydatid_cyst",
    "healed_abscess",
    "hemangioma",
    "metastasis_calcified",
    "hepatocellular_carcinoma",
    "fibrolamellar_hcc",
    "cholangiocarcinoma",
    "focal_nodular_hyperplasia",
    "hepatic_adenoma",
    "mucinous_cystic_neoplasm",
    "cyst_prior_hemorrhage",
    "old_hematoma",
    "hepatoblastoma",
    "infantile_hemangioma",
    "congenital_infection",
    "mesenchymal_hamartoma",
    "intrahepatic_stone",
    "vascular_calcification",
    "pneumocystis_infection",
)

# The condition vocabulary is the engine's registry (hepcalc.engine.conditions.REGISTRY),
# imported here, never copied: the knowledge base is checked against it at load.

SEED_KEYS = ("Seed000", "Seed001", "Seed002", "Seed003")


def _data_texts() -> tuple[dict[str, str], list[tuple[str, str]]]:
    """The raw packaged texts, exactly as the loader reads them."""
    data = resources.files("hepcalc.knowledge") / "data"
    core = {"rules.yaml", "etiologies.yaml", "conflicts.yaml", "afp_reference.yaml"}
    texts = {
        p.name: p.read_text(encoding="utf-8")
        for p in data.iterdir()
        if p.name in core or (p.name.startswith("references") and p.name.endswith(".yaml"))
    }
    articles_dir = data / "articles"
    articles = (
        sorted(
            (p.name, p.read_text(encoding="utf-8"))
            for p in articles_dir.iterdir()
            if p.name.endswith(".yaml")
        )
        if articles_dir.is_dir()
        else []
    )
    return texts, articles


@pytest.fixture(scope="module")
def kb() -> KnowledgeBase:
    return load_kb()


# ----------------------------------------------------------------- integrity
def test_kb_loads_with_semver_plus_content_hash(kb: KnowledgeBase) -> None:
    assert re.fullmatch(r"\d+\.\d+\.\d+\+[0-9a-f]{12}", kb.version)
    assert len(kb.references) >= 80
    assert kb.conflicts


def test_packaged_texts_rebuild_to_the_same_version(kb: KnowledgeBase) -> None:
    texts, articles = _data_texts()
    assert build(texts, articles).version == kb.version


def test_every_citation_resolves(kb: KnowledgeBase) -> None:
    keys = set(kb.references)
    cited = [c for e in kb.etiologies.values() for c in e.citations]
    cited += [c for c in kb.conflicts for c in c.citations]
    cited += [c for r in kb.rules.values() for c in r.citations]
    assert cited
    assert sorted(set(cited) - keys) == []


def test_broken_citation_is_rejected_by_build() -> None:
    texts, articles = _data_texts()
    ets = yaml.safe_load(texts["etiologies.yaml"])
    ets[0]["citations"] = ["NoSuchReference1999"]
    broken = dict(texts, **{"etiologies.yaml": yaml.safe_dump(ets)})
    with pytest.raises(KnowledgeBaseError, match="NoSuchReference1999"):
        build(broken, articles)


def test_broken_conflict_citation_is_rejected_by_build() -> None:
    texts, articles = _data_texts()
    cs = yaml.safe_load(texts["conflicts.yaml"])
    cs[0]["citations"].append("Ghost2020")
    with pytest.raises(KnowledgeBaseError, match="Ghost2020"):
        build(dict(texts, **{"conflicts.yaml": yaml.safe_dump(cs)}), articles)


def test_duplicate_reference_key_across_files_is_rejected() -> None:
    texts, articles = _data_texts()
    refs = yaml.safe_load(texts["references.yaml"])
    extra = dict(texts, **{"references_dup.yaml": yaml.safe_dump([refs[0]])})
    with pytest.raises(KnowledgeBaseError, match="duplicate"):
        build(extra, articles)


def _with_extra_reference(texts: dict[str, str], **fields: str) -> dict[str, str]:
    """The packaged texts plus one new reference file holding a single entry."""
    entry = {
        "key": "Alias2099",
        "authors": "Nobody A",
        "title": "A second key for a paper already listed",
        "source": "J Test",
        "strength": "study",
        **fields,
    }
    return dict(texts, **{"references_alias.yaml": yaml.safe_dump([entry])})


@pytest.mark.parametrize("field", ["doi", "pmid"])
def test_same_paper_under_two_keys_is_rejected_naming_both(field: str) -> None:
    texts, articles = _data_texts()
    existing = next(r for r in yaml.safe_load(texts["references.yaml"]) if r.get(field))
    value = str(existing[field])
    if field == "doi":
        value = "https://doi.org/" + value.upper()  # same DOI, other spelling
    with pytest.raises(KnowledgeBaseError) as err:
        build(_with_extra_reference(texts, **{field: value}), articles)
    message = str(err.value)
    assert existing["key"] in message and "Alias2099" in message
    assert field.upper() in message


def test_distinct_identifiers_are_accepted() -> None:
    texts, articles = _data_texts()
    kb = build(_with_extra_reference(texts, pmid="99999999", doi="10.9999/unique"), articles)
    assert "Alias2099" in kb.references


def test_packaged_references_list_each_paper_once(kb: KnowledgeBase) -> None:
    by_title: dict[str, list[str]] = {}
    for ref in kb.references.values():
        by_title.setdefault(ref.title.strip().lower(), []).append(ref.key)
    assert [keys for keys in by_title.values() if len(keys) > 1] == []


def test_kb_version_changes_when_content_changes() -> None:
    texts, articles = _data_texts()
    base = build(texts, articles).version
    ets = yaml.safe_load(texts["etiologies.yaml"])
    ets[0]["evidence"][0]["lr"] = float(ets[0]["evidence"][0]["lr"]) + 0.1
    changed = build(dict(texts, **{"etiologies.yaml": yaml.safe_dump(ets)}), articles)
    assert changed.version != base
    assert changed.version.split("+")[0] == base.split("+")[0]  # same semver, new hash


def test_contract_etiology_ids_present(kb: KnowledgeBase) -> None:
    missing = [i for i in CONTRACT_ETIOLOGIES if i not in kb.etiologies]
    assert missing == []


# ------------------------------------------------------ honesty of the sources
def test_non_weak_references_are_identifiable(kb: KnowledgeBase) -> None:
    bad = [
        r.key
        for r in kb.references.values()
        if r.strength != "weak" and not (r.doi or r.pmid or r.url)
    ]
    assert bad == []


def test_reference_model_refuses_unidentifiable_evidence() -> None:
    with pytest.raises(ValueError, match="DOI, PMID or URL"):
        Reference(key="X", authors="A", title="T", source="J", strength="study")
    weak = Reference(key="Y", authors="A", title="T", source="blog", strength="weak")
    assert weak.doi is None


def test_identifiers_are_well_formed(kb: KnowledgeBase) -> None:
    for r in kb.references.values():
        if r.doi:
            assert re.fullmatch(r"10\.\d{4,9}/\S+", r.doi), r.key
        if r.pmid:
            assert r.pmid.isdigit(), r.key
        if r.url:
            assert r.url.startswith(("http://", "https://")), r.key


def test_facts_sheet_keys_used_verbatim(kb: KnowledgeBase) -> None:
    """Other engineers cite the fact-sheet keys directly; they must exist unchanged."""
    for key in (
        "Gore2017",
        "ACR-Assist-IF-Liver",
        "Sirli2024",
        "Silva2008",
        "Adams2017",
        "CaseiroAlves1996",
        "Tse2022",
        "Chernyak2018",
        "Marrero2018",
        "EASL2018",
        "Brunetti2010",
        *SEED_KEYS,
    ):
        assert key in kb.references, key
    assert kb.references["Gore2017"].doi == "10.1016/j.jacr.2017.07.018"
    assert kb.references["Silva2008"].strength == "systematic_review"


def test_seeds_and_ai_summaries_are_weak(kb: KnowledgeBase) -> None:
    for r in kb.references.values():
        if r.key in SEED_KEYS or r.key.startswith("droracle"):
            assert r.strength == "weak", r.key


def test_no_unverified_claims_shipped(kb: KnowledgeBase) -> None:
    """Statements hepcalc makes (not reference notes, which may honestly say what is unsure)."""
    claims: list[tuple[str, str]] = []
    for e in kb.etiologies.values():
        reasons = [m.reason for m in (*e.context, *e.evidence, *e.excludes, *e.must_exclude)]
        texts = [e.frequency, e.patient_text, *e.contexts, *reasons]
        claims += [(e.id, t) for t in texts]
    claims += [(r.id, r.text) for r in kb.rules.values()]
    claims += [(c.id, c.resolution) for c in kb.conflicts]
    for a in kb.articles.values():
        claims += [(a.id, f"{s.clinician} {s.patient}") for s in a.sections]
    assert claims
    for owner, text in claims:
        assert "UNVERIFIED" not in text.upper(), owner
        assert "\u26a0" not in text, owner  # the fact sheet's warning sign


def test_every_etiology_has_evidence_beyond_weak_sources_or_says_so(kb: KnowledgeBase) -> None:
    """An etiology supported only by weak sources must say in `frequency` that data are lacking."""
    for e in kb.etiologies.values():
        strengths = {kb.references[c].strength for c in e.citations}
        if strengths <= {"weak"}:
            assert "no " in e.frequency.lower(), e.id


# ------------------------------------------------------- condition vocabulary
def _valid_condition(cond: str) -> bool:
    try:
        check_condition(cond)
    except UnknownCondition:
        return False
    return True


def test_all_conditions_are_in_the_engine_vocabulary(kb: KnowledgeBase) -> None:
    bad = [
        (e.id, c)
        for e in kb.etiologies.values()
        for _field, c in e.conditions()
        if not _valid_condition(c)
    ]
    assert bad == []


def test_vocabulary_check_rejects_typos() -> None:
    assert not _valid_condition("pattern:eggshell")
    assert not _valid_condition("risk:cirrosis")
    assert not _valid_condition("age_lt:young")
    assert _valid_condition("feature:daughter_cysts")


def test_patient_text_is_plain(kb: KnowledgeBase) -> None:
    textstat = pytest.importorskip("textstat")
    for e in kb.etiologies.values():
        assert e.patient_text.strip(), e.id
        assert textstat.flesch_kincaid_grade(e.patient_text) <= 8.0, e.id


# -------------------------------------------------------- recorded conflicts
@pytest.mark.parametrize(
    ("conflict_id", "must_cite"),
    [
        ("seed002-metastases-most-common", {"Seed002", "Darlak1980"}),
        ("seed002-drugs-and-liver-disease", {"Seed002", "Jones1985"}),
        ("seed001-granuloma-and-hemangioma", {"Seed001", "RadAssist-Baron"}),
        ("seed001-seeding-range", {"Seed001", "Silva2008"}),
        ("seed001-small-indeterminate-followup", {"Seed001", "Gore2017"}),
        ("seed003-twenty-patient-study", {"Seed003", "Adams2017"}),
        ("seed000-fnh-adenoma", {"Seed000", "CaseiroAlves1996"}),
        ("hemangioma-calcification-rate", {"RadAssist-Baron"}),
        ("flc-calcification-rate", {"Medscape-FLC"}),
        ("torch-vs-outcome", {"Simchen2002", "Bronshtein1995"}),
        ("easson-mucinous", {"Easson1996"}),
    ],
)
def test_seed_conflicts_are_recorded(kb: KnowledgeBase, conflict_id: str, must_cite: set) -> None:
    by_id = {c.id: c for c in kb.conflicts}
    assert conflict_id in by_id
    c = by_id[conflict_id]
    assert must_cite <= set(c.citations)
    assert len(c.resolution) > 40


def test_seeding_conflict_states_both_measures(kb: KnowledgeBase) -> None:
    c = next(c for c in kb.conflicts if c.id == "seed001-seeding-range")
    assert "2.7%" in c.resolution and "0.9% per year" in c.resolution


def test_drugs_are_not_causes_of_calcification(kb: KnowledgeBase) -> None:
    words = ("amiodarone", "methotrexate", "hemochromatosis", "haemochromatosis", "biliary chol")
    for e in kb.etiologies.values():
        assert not any(w in f"{e.id} {e.name}".lower() for w in words), e.id


# ---------------------------------- the resolutions, as followed by the engine
def _top(case: dict) -> list[str]:
    a = assess(Case.model_validate(case))
    return [d.etiology for d in sorted(a.differential, key=lambda d: d.rank)]


def _adult_calcification(**risk: bool | str) -> dict:
    return {
        "patient": {"age": 50, "sex": "male", "risk_factors": dict(risk)},
        "exams": [
            {
                "date": "2024-01-10",
                "modality": "CT",
                "findings": [{"kind": "calcification", "size_mm": 4, "pattern": "punctate"}],
            }
        ],
    }


def test_unselected_adult_punctate_calcification_is_granuloma_first() -> None:
    """facts.md 1.1: granuloma leads; metastasis does not without a known primary."""
    ranked = _top(_adult_calcification(extrahepatic_malignancy=False))
    assert ranked[0] == "calcified_granuloma"
    assert ranked[0] != "metastasis_calcified"


def test_known_mucinous_primary_with_multiple_calcified_lesions_puts_metastasis_first() -> None:
    case = {
        "patient": {
            "age": 64,
            "sex": "female",
            "risk_factors": {"extrahepatic_malignancy": True, "primary_cancer_site": "colon"},
        },
        "exams": [
            {
                "date": "2024-01-10",
                "modality": "CT",
                "contrast": "iv",
                "findings": [
                    {
                        "kind": "lesion",
                        "size_mm": 18,
                        "count": "multiple",
                        "calcified": True,
                        "pattern": "amorphous",
                    }
                ],
            }
        ],
    }
    assert _top(case)[0] == "metastasis_calcified"


def test_isolated_prenatal_focus_is_not_led_by_congenital_infection() -> None:
    """facts.md 6.1: infection found in only ~0-5% of isolated fetal calcifications."""
    case = {
        "patient": {"gestational_age_weeks": 22},
        "exams": [
            {
                "date": "2024-03-01",
                "modality": "PRENATAL_US",
                "findings": [{"kind": "calcification", "size_mm": 2, "count": 1}],
            }
        ],
    }
    ranked = _top(case)
    assert ranked[0] != "congenital_infection"
    assert "calcified_granuloma" not in ranked  # adult causes are excluded before birth


def test_calcified_central_scar_mass_in_young_normal_liver_favours_flc_over_fnh() -> None:
    """facts.md 1.8 / 3.2: FNH calcifies in 1.4%; calcification points to fibrolamellar."""
    case = {
        "patient": {
            "age": 24,
            "sex": "female",
            "risk_factors": {"cirrhosis": False, "chronic_hbv": False, "chronic_hcv": False},
        },
        "exams": [
            {
                "date": "2024-05-02",
                "modality": "CT",
                "contrast": "iv",
                "findings": [
                    {"kind": "lesion", "size_mm": 70, "calcified": True, "pattern": "central"}
                ],
            }
        ],
    }
    ranked = _top(case)
    assert "fibrolamellar_hcc" in ranked
    if "focal_nodular_hyperplasia" in ranked:
        assert ranked.index("fibrolamellar_hcc") < ranked.index("focal_nodular_hyperplasia")


def test_isolated_calcification_never_ranks_hemangioma_with_granuloma() -> None:
    """facts.md 1.3: hemangioma is a cause but not one of the most common."""
    ranked = _top(_adult_calcification())
    assert ranked[0] == "calcified_granuloma"
    assert "hemangioma" not in ranked[:2]


# -------------------------------------------------------- docs/conflicts.md
DOCS_CONFLICTS = Path(__file__).resolve().parents[2] / "docs" / "conflicts.md"

_CONFLICTS_INTRO = """\
# Conflicts between sources, and what hepcalc does about them

The seed documents that started hepcalc (`seeds/000`-`003`: a patient Q&A, two
AI-generated summaries and an anonymous web FAQ) disagree with each other and, in
places, with the literature. hepcalc records every such conflict in
`src/hepcalc/knowledge/data/conflicts.yaml`: the claim, who made it, what the
better evidence says, and the choice hepcalc makes. The engine and the articles
follow the resolution.

This page is generated from that file and checked by `tests/knowledge/test_kb.py`.
After editing `conflicts.yaml`, regenerate it with
`HEPCALC_REGEN_DOCS=1 .venv/bin/python -m pytest tests/knowledge -k conflicts_doc`.

Source strength: **guideline**, **systematic review**, **study**, **review**,
**case**, **weak** (blogs, Q&A sites, AI-generated summaries, the seeds). Weak
sources are listed so that a claim can be traced to who made it; they are never
the only support for a recommendation.
"""


def render_conflicts_md(kb: KnowledgeBase) -> str:
    """docs/conflicts.md as it must read for the packaged conflicts.yaml."""
    out = [_CONFLICTS_INTRO, "| id | claim (short) | claimed by |", "| --- | --- | --- |"]
    for c in kb.conflicts:
        claim = c.claim if len(c.claim) < 90 else c.claim[:87].rsplit(" ", 1)[0] + " ..."
        out.append(f"| [`{c.id}`](#{c.id}) | {claim} | {c.claimed_by} |")
    out.append("")
    for c in kb.conflicts:
        out += [
            f"## {c.id}",
            "",
            f"**Claim.** {c.claim}",
            "",
            f"**Claimed by.** {c.claimed_by}",
            "",
            f"**Evidence.** {c.evidence}",
            "",
            f"**hepcalc's choice.** {c.resolution}",
            "",
            "**Sources.**",
            "",
        ]
        for k in c.citations:
            r = kb.references[k]
            ident = (
                f"doi:{r.doi}"
                if r.doi
                else f"PMID {r.pmid}"
                if r.pmid
                else r.url or "no identifier (weak source)"
            )
            year = f" {r.year}" if r.year else ""
            out.append(
                f"- `{k}` ({r.strength}) - {r.authors}. {r.title}. {r.source}{year}. {ident}"
            )
        out.append("")
    return "\n".join(out)


def test_conflicts_doc_is_current(kb: KnowledgeBase) -> None:
    expected = render_conflicts_md(kb)
    if os.environ.get("HEPCALC_REGEN_DOCS") == "1":
        DOCS_CONFLICTS.write_text(expected, encoding="utf-8")
    assert DOCS_CONFLICTS.read_text(encoding="utf-8") == expected, (
        "docs/conflicts.md is stale: regenerate it (see the note at its top)"
    )
    for c in kb.conflicts:
        assert f"## {c.id}" in expected
