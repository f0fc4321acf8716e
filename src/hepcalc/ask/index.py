"""The BM25 indexes over the knowledge articles, built once per process.

Two views of the same articles are searched and fused:

* the **section view**: one document per article section (heading, clinician
  and patient wording, so both registers of question match) plus the article's
  title and example questions, which carry the article's topic into every
  section. An article scores as its best section; this score also picks the
  passages shown and feeds the relevance gates in ``answer.py``.
* the **topic view**: one document per article, made of its title (weighted)
  and its example questions only. Long sections share many words (every article
  talks about cancer, size, follow-up), so the section view often ranks a
  neighbouring article first; what a question is *about* is best said by the
  titles. The topic view breaks such near-ties.

The ranking score is ``section + TOPIC_MIX * topic`` (weights chosen by
two-fold cross-validation on the development questions, docs/ask.md).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from hepcalc.ask.text import GENERIC_TERMS, terms
from hepcalc.knowledge import Article, ArticleSection, load_kb


@dataclass(frozen=True)
class Params:
    """Retrieval weights; the defaults are the cross-validated ones (docs/ask.md)."""

    k1: float = 1.5
    b: float = 0.75
    # How many times the title and the example questions count in each section.
    topic_weight: int = 2
    # Topic view: how many times the title counts against the example questions.
    title_weight: int = 1
    # Weight of the topic-view score in the ranking (0 = section view only).
    topic_mix: float = 0.5


@dataclass(frozen=True)
class Passage:
    article: Article
    section: ArticleSection


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float  # best section score: the evidence the gates judge
    passages: list[tuple[Passage, float]]  # this article's sections, best first
    rank_score: float = 0.0  # section + topic_mix * topic: what orders the hits


class Index:
    """BM25 over sections fused with BM25 over titles; ``search`` ranks articles."""

    def __init__(self, articles: list[Article], params: Params | None = None) -> None:
        self.params = params or Params()
        p = self.params
        self.passages = [Passage(a, s) for a in articles for s in a.sections]
        corpus = [self._document(x) for x in self.passages]
        self.bm25 = bm25s.BM25(k1=p.k1, b=p.b)
        self.bm25.index(corpus, show_progress=False)
        self.topic_bm25 = bm25s.BM25(k1=p.k1, b=p.b)
        self.topic_bm25.index([self._topic_document(a) for a in articles], show_progress=False)
        self.articles = articles
        self.n_docs = len(corpus)
        self.df: dict[str, int] = {}
        for doc in corpus:
            for t in set(doc):
                self.df[t] = self.df.get(t, 0) + 1
        # Words of the article titles and example questions: what the articles are about.
        self.topic_terms: frozenset[str] = (
            frozenset(t for a in articles for t in terms(" ".join([a.title, *a.questions])))
            - GENERIC_TERMS
        )
        self.vocabulary: dict[str, set[str]] = {}
        for x, doc in zip(self.passages, corpus, strict=True):
            self.vocabulary.setdefault(x.article.id, set()).update(doc)

    def idf(self, term: str) -> float:
        """BM25-style idf; a word no article uses gets the highest weight."""
        df = self.df.get(term, 0)
        return math.log(1 + (self.n_docs - df + 0.5) / (df + 0.5))

    def coverage(self, query_terms: list[str], article_id: str) -> float:
        """Share of the question's specific words (idf-weighted) that the article uses.

        Generic words (liver, calcification, scan, spot) are left out: every article
        has them, so they say nothing about whether this article answers the question.
        A question made only of generic words is fully covered.
        """
        specific = {t for t in query_terms if t not in GENERIC_TERMS}
        if not specific:
            return 1.0
        vocab = self.vocabulary[article_id]
        total = sum(self.idf(t) for t in specific)
        return sum(self.idf(t) for t in specific if t in vocab) / total

    def _document(self, x: Passage) -> list[str]:
        topic = terms(" ".join([x.article.title, *x.article.questions]))
        body = terms(" ".join([x.section.heading, x.section.clinician, x.section.patient]))
        return topic * self.params.topic_weight + body

    def _topic_document(self, a: Article) -> list[str]:
        return terms(a.title) * self.params.title_weight + terms(" ".join(a.questions))

    def search(self, query_terms: list[str]) -> list[Hit]:
        if not query_terms:
            return []
        scores = np.asarray(self.bm25.get_scores(query_terms), dtype=float)
        topic = np.asarray(self.topic_bm25.get_scores(query_terms), dtype=float)
        by_article: dict[str, list[tuple[Passage, float]]] = {}
        for x, s in zip(self.passages, scores, strict=True):
            by_article.setdefault(x.article.id, []).append((x, float(s)))
        hits = []
        for a, t in zip(self.articles, topic, strict=True):
            ranked = sorted(by_article[a.id], key=lambda ps: -ps[1])
            best = ranked[0][1]
            hits.append(
                Hit(
                    article=a,
                    score=best,
                    passages=ranked,
                    rank_score=best + self.params.topic_mix * float(t),
                )
            )
        # Ties break by article id so answers are deterministic.
        return sorted(hits, key=lambda h: (-h.rank_score, h.article.id))


@lru_cache(maxsize=1)
def default_index() -> Index:
    """The packaged articles, indexed once per process."""
    kb = load_kb()
    return Index(sorted(kb.articles.values(), key=lambda a: a.id))
