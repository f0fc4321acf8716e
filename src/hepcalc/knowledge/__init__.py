"""The curated knowledge base: references, rules, etiologies, conflicts, articles.

All clinical content is data in this package (YAML), validated at load time:
every citation key must resolve and every rule and etiology must cite at least
one reference. ``kb_version`` is the semantic version plus a hash of the
content, so any change to a rule or a fact changes the version stamped on
every Assessment.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from importlib import resources
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from hepcalc.datafiles import load_yaml
from hepcalc.knowledge.etiologies import (
    AfpLimit,
    Etiology,
    EtiologyDataError,
    engine_condition_check,
    parse_afp_table,
    parse_etiologies,
)
from hepcalc.knowledge.rules import ReferenceScope, Rule, rule_from_data

KB_SEMVER = "1.0.0"

Strength = Literal["guideline", "systematic_review", "study", "review", "case", "weak"]


class _KB(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Reference(_KB):
    key: str
    authors: str
    title: str
    source: str  # journal or publisher
    year: int | None = None
    doi: str | None = None
    pmid: str | None = None
    url: str | None = None
    strength: Strength
    verification: Literal["abstract", "secondary", "full_text"] = "abstract"
    note: str | None = None
    # Issue 12: a seed page (AI-written Q&A) is quoted in docs, never cited by a rule;
    # a guideline's scope (population, setting) says for whom it may be cited.
    seed: bool = False
    scope: ReferenceScope | None = None

    @model_validator(mode="after")
    def _identifiable(self) -> Reference:
        if not (self.doi or self.pmid or self.url or self.strength == "weak"):
            raise ValueError(f"reference {self.key}: needs a DOI, PMID or URL")
        return self

    def citation_text(self) -> str:
        parts = [f"{self.authors}. {self.title}. {self.source}"]
        if self.year:
            parts[0] += f" {self.year}"
        if self.doi:
            parts.append(f"doi:{self.doi}")
        if self.pmid:
            parts.append(f"PMID {self.pmid}")
        return ". ".join(parts) + "."


# Etiologies (the differential's evidence model) and the AFP table live in their
# own module: hepcalc.knowledge.etiologies (issue 11).


class Conflict(_KB):
    id: str
    claim: str
    claimed_by: str
    evidence: str
    resolution: str
    citations: list[str] = Field(min_length=1)


class Article(_KB):
    """A knowledge article for `hepcalc ask`: sections with text and citations."""

    id: str
    title: str
    questions: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    sections: list[ArticleSection]


class ArticleSection(_KB):
    heading: str
    clinician: str
    patient: str
    citations: list[str] = Field(min_length=1)


Article.model_rebuild()


class KnowledgeBase(_KB):
    version: str
    references: dict[str, Reference]
    rules: dict[str, Rule]
    etiologies: dict[str, Etiology]
    conflicts: list[Conflict]
    articles: dict[str, Article]
    # Age-adjusted AFP upper limits (issue 11), rows ordered by age in days.
    afp_limits: list[AfpLimit] = Field(default_factory=list)

    def rule(self, rule_id: str) -> Rule:
        return self.rules[rule_id]

    def reference(self, key: str) -> Reference:
        return self.references[key]


class KnowledgeBaseError(RuntimeError):
    """The packaged knowledge base is inconsistent (a build defect, not user input)."""


_FILES = (
    "references.yaml",
    "rules.yaml",
    "etiologies.yaml",
    "conflicts.yaml",
    "afp_reference.yaml",
)


def _read(name: str) -> str:
    return (resources.files(__package__) / "data" / name).read_text(encoding="utf-8")


def _article_texts() -> list[tuple[str, str]]:
    folder = resources.files(__package__) / "data" / "articles"
    if not folder.is_dir():
        return []
    return sorted(
        (p.name, p.read_text(encoding="utf-8"))
        for p in folder.iterdir()
        if p.name.endswith(".yaml")
    )


def _content_version(texts: dict[str, str], article_texts: list[tuple[str, str]]) -> str:
    """Semver plus a hash of every data text, so any edit changes the stamped version."""
    digest = hashlib.sha256()
    for name in sorted(texts):
        digest.update(name.encode())
        digest.update(texts[name].encode())
    for name, text in article_texts:
        digest.update(name.encode())
        digest.update(text.encode())
    return f"{KB_SEMVER}+{digest.hexdigest()[:12]}"


def _normalised_doi(doi: str) -> str:
    """DOIs are case-insensitive and sometimes written as a resolver URL."""
    doi = doi.strip().lower()
    for prefix in ("https://doi.org/", "http://doi.org/", "https://dx.doi.org/", "doi:"):
        if doi.startswith(prefix):
            doi = doi[len(prefix) :]
    return doi


def _same_paper_problems(refs: list[Reference]) -> list[str]:
    """Two keys for one paper (same DOI or PMID): a citation count would double it.

    The differential and safety work once cited the same six papers under different
    keys; one key per paper keeps "cited by" lists and the reference list honest.
    """
    seen: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for ref in refs:
        ids = []
        if ref.doi:
            ids.append(("DOI", _normalised_doi(ref.doi)))
        if ref.pmid:
            ids.append(("PMID", ref.pmid.strip()))
        for ident in ids:
            first = seen.setdefault(ident, ref.key)
            if first != ref.key:
                problems.append(
                    f"references {first!r} and {ref.key!r} share {ident[0]} {ident[1]}"
                    " (one key per paper)"
                )
    return problems


def _parse_references(texts: dict[str, str]) -> dict[str, Reference]:
    """Merge every ``references*.yaml``; refuse a key or a paper listed twice."""
    refs = [
        Reference(**r)
        for name in sorted(texts)
        if name.startswith("references")
        for r in (load_yaml(texts[name]) or [])
    ]
    references: dict[str, Reference] = {}
    problems: list[str] = []
    for ref in refs:
        if ref.key in references:
            problems.append(f"duplicate reference key {ref.key!r}")
        references[ref.key] = ref
    problems += _same_paper_problems(refs)
    if problems:
        raise KnowledgeBaseError("; ".join(problems))
    return references


def _parse_rules(text: str) -> dict[str, Rule]:
    """Rules by id; a malformed or repeated rule is a build defect."""
    rules: dict[str, Rule] = {}
    for raw in load_yaml(text) or []:
        try:
            rule = rule_from_data(raw)
        except ValueError as exc:
            raise KnowledgeBaseError(str(exc)) from None
        if rule.id in rules:
            raise KnowledgeBaseError(f"duplicate rule id {rule.id!r}")
        rules[rule.id] = rule
    return rules


def _parse_articles(article_texts: list[tuple[str, str]]) -> dict[str, Article]:
    """Articles by id across all article files; ids must be unique."""
    articles: dict[str, Article] = {}
    for _name, text in article_texts:
        for a in load_yaml(text) or []:
            art = Article(**a)
            if art.id in articles:
                raise KnowledgeBaseError(f"duplicate article id {art.id}")
            articles[art.id] = art
    return articles


def _rule_problems(rules: dict[str, Rule], references: dict[str, Reference]) -> list[str]:
    """A rule may not rest on a seed page or on weak sources alone (house rules)."""
    problems: list[str] = []
    for r in rules.values():
        seeds = [k for k in r.citations if k in references and references[k].seed]
        if seeds:
            problems.append(f"rule {r.id} cites a seed page {seeds} (seeds are not evidence)")
        if r.citations and all(
            k in references and references[k].strength == "weak" for k in r.citations
        ):
            problems.append(f"rule {r.id} cites no reference stronger than 'weak'")
    return problems


def _citation_problems(
    references: dict[str, Reference],
    cited: list[tuple[str, list[str]]],
) -> list[str]:
    """Every (owner, keys) pair whose key does not resolve, in order."""
    return [
        f"{owner} cites unknown reference {k!r}"
        for owner, keys in cited
        for k in keys
        if k not in references
    ]


def _related_problems(articles: dict[str, Article]) -> list[str]:
    """An article's ``related`` must name an article that exists."""
    return [
        f"article {a.id} relates to unknown article {rel!r}"
        for a in articles.values()
        for rel in a.related
        if rel not in articles
    ]


def build(texts: dict[str, str], article_texts: list[tuple[str, str]]) -> KnowledgeBase:
    """Validate raw YAML texts into a KnowledgeBase; raise KnowledgeBaseError on defects."""
    version = _content_version(texts, article_texts)
    references = _parse_references(texts)
    rules = _parse_rules(texts["rules.yaml"])
    try:
        etiologies = parse_etiologies(
            texts["etiologies.yaml"], set(references), engine_condition_check()
        )
        afp_limits = parse_afp_table(
            texts.get("afp_reference.yaml") or _read("afp_reference.yaml"), set(references)
        )
    except EtiologyDataError as exc:
        raise KnowledgeBaseError(str(exc)) from None
    conflicts = [Conflict(**c) for c in load_yaml(texts["conflicts.yaml"])]
    articles = _parse_articles(article_texts)

    cited: list[tuple[str, list[str]]] = [(f"rule {r.id}", r.citations) for r in rules.values()]
    cited += [(f"etiology {e.id}", e.citations) for e in etiologies.values()]
    cited += [(f"conflict {c.id}", c.citations) for c in conflicts]
    cited += [
        (f"article {a.id}/{s.heading}", s.citations) for a in articles.values() for s in a.sections
    ]
    problems = _citation_problems(references, cited)
    problems += _rule_problems(rules, references)
    problems += _related_problems(articles)
    if problems:
        raise KnowledgeBaseError("; ".join(problems))
    return KnowledgeBase(
        version=version,
        references=references,
        rules=rules,
        etiologies=etiologies,
        afp_limits=afp_limits,
        conflicts=conflicts,
        articles=articles,
    )


def _data_files() -> list[str]:
    """The core files plus any ``references_*.yaml`` that a topic adds."""
    folder = resources.files(__package__) / "data"
    extra = sorted(
        p.name
        for p in folder.iterdir()
        if p.name.startswith("references_") and p.name.endswith(".yaml")
    )
    return [*_FILES, *extra]


@lru_cache(maxsize=1)
def load_kb() -> KnowledgeBase:
    """The packaged knowledge base, loaded and validated once per process."""
    return build({name: _read(name) for name in _data_files()}, _article_texts())
