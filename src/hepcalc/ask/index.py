"""The BM25 index over article sections, built once per process.

Each document is one article section. Its text is the section (heading,
clinician and patient wording, so both registers of question match) plus the
article's title and its example questions, which carry the article's topic into
every section. An article's score is the best score of its sections.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import bm25s
import numpy as np

from hepcalc.ask.text import GENERIC_TERMS, terms
from hepcalc.knowledge import Article, ArticleSection, load_kb

# BM25 parameters: bm25s defaults (Lucene variant); documents are short and
# similar in length, so length normalisation matters little.
K1 = 1.5
B = 0.75
# How many times the title and the example questions count in each section.
TOPIC_WEIGHT = 2


@dataclass(frozen=True)
class Passage:
    article: Article
    section: ArticleSection


@dataclass(frozen=True)
class Hit:
    article: Article
    score: float
    passages: list[tuple[Passage, float]]  # this article's sections, best first


class Index:
    """BM25 over sections; ``search`` returns articles ranked by best section."""

    def __init__(self, articles: list[Article]) -> None:
        self.passages = [Passage(a, s) for a in articles for s in a.sections]
        corpus = [self._document(p) for p in self.passages]
        self.bm25 = bm25s.BM25(k1=K1, b=B)
        self.bm25.index(corpus, show_progress=False)
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
        for p, doc in zip(self.passages, corpus, strict=True):
            self.vocabulary.setdefault(p.article.id, set()).update(doc)

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

    @staticmethod
    def _document(p: Passage) -> list[str]:
        topic = terms(" ".join([p.article.title, *p.article.questions]))
        body = terms(" ".join([p.section.heading, p.section.clinician, p.section.patient]))
        return topic * TOPIC_WEIGHT + body

    def search(self, query_terms: list[str]) -> list[Hit]:
        if not query_terms:
            return []
        scores = np.asarray(self.bm25.get_scores(query_terms), dtype=float)
        by_article: dict[str, list[tuple[Passage, float]]] = {}
        for p, s in zip(self.passages, scores, strict=True):
            by_article.setdefault(p.article.id, []).append((p, float(s)))
        hits = []
        for a in self.articles:
            ranked = sorted(by_article[a.id], key=lambda ps: -ps[1])
            hits.append(Hit(article=a, score=ranked[0][1], passages=ranked))
        # Ties break by article id so answers are deterministic.
        return sorted(hits, key=lambda h: (-h.score, h.article.id))


@lru_cache(maxsize=1)
def default_index() -> Index:
    """The packaged articles, indexed once per process."""
    kb = load_kb()
    return Index(sorted(kb.articles.values(), key=lambda a: a.id))
