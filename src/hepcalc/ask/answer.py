"""Compose an answer: the best passages of the best article, cited, plus related
questions; or an honest "I don't know" with suggestions.

The answer is retrieval, not generation: every sentence shown is a sentence a
person wrote in a cited knowledge article, so it can be audited. Two gates stand
before an answer: the question must be about the liver or its calcifications
(``text.in_domain``), and the best article must use at least ``MIN_COVERAGE`` of
the question's specific words (idf-weighted, ``Index.coverage``). A raw BM25
score threshold did not separate answerable from unanswerable questions here,
because the generic words every article shares dominate short questions.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, Field

from hepcalc.ask.index import Hit, Index, default_index
from hepcalc.ask.language import Language, parse_language
from hepcalc.ask.text import DOMAIN_TERMS, GENERIC_TERMS, OTHER_ORGANS, in_domain, terms
from hepcalc.errors import InputError
from hepcalc.knowledge import load_kb
from hepcalc.regex_cache import re_compile

MAX_QUESTION_CHARS = 2000
# Minimum share of the question's specific words the best article must use. Set
# between the highest coverage of in-domain probe questions the articles do not
# answer (0.34) and the lowest coverage of a tuning question (0.38 before
# prepositions became stopwords); see docs/ask.md.
MIN_COVERAGE = 0.35
# A question that names both the liver and calcification is ours even when told
# as a long story, or in words no article uses ("how are they discovered?"): it
# is answered from the best article (for generic questions, the basics article).
MIN_COVERAGE_LIVER_CALCIFICATION = 0.0
# A question without a calcification word must score well above off-topic probes
# (best off-topic probe scored 1.7; lowest answerable tuning/dev one 3.75), and
# one without even a liver word must also be matched almost completely.
STRONG_COVERAGE = 0.9
STRONG_SCORE = 3.0
# A liver question without a calcification word ("how is liver cancer treated?")
# must score at least this (off-topic probes: at most 1.72 with enough coverage).
NONCALCIFICATION_MIN_SCORE = 2.5
# Words that make a liver question a calcification question ("spot" is how
# patients say it).
CALCIFICATION_WORDS = DOMAIN_TERMS | {"spot"}
# A second passage of the same article is shown when it scores at least this
# fraction of the best one.
SECOND_PASSAGE_RATIO = 0.5
MAX_RELATED = 4
# A question made only of generic words ("what is a calcified spot in the liver?",
# "what causes liver calcification on CT?") asks the general question; any
# article's score for it is noise between words half the sections share, so the
# general article answers it.
GENERAL_ARTICLE = "liver-calcification-basics"
GENERAL_QUESTION_TERMS = GENERIC_TERMS | {"ultrasound", "ct", "lesion", "cause"}

Audience = Literal["clinician", "patient"]
_SOURCE_NOTE = re_compile(r"\s*\((?:seed|TORCH)[^)]*\)\s*$")


class Answer(BaseModel):
    """What `hepcalc ask --format json` prints (``answer``, ``citations``, ``related``)."""

    answer: str
    citations: list[str] = Field(default_factory=list)
    related: list[str] = Field(default_factory=list)
    # Additive: which article answered (None = "don't know") and its score.
    article: str | None = None
    score: float = 0.0
    # Additive (issue 15): the answer's language, the Case read from a question
    # with measurements and the engine's Assessment of it (both null otherwise),
    # and whether the question was refused as outside what hepcalc answers.
    language: Language = "en"
    case: dict[str, Any] | None = None
    assessment: dict[str, Any] | None = None
    refused: bool = False

    @property
    def known(self) -> bool:
        return self.article is not None

    def to_json_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


def _validate(question: str, audience: str) -> str:
    if audience not in ("clinician", "patient"):
        raise InputError(
            [("audience", f"unknown audience {audience!r}; expected clinician or patient")]
        )
    q = question.strip()
    if not q:
        raise InputError([("question", "must not be empty")])
    if len(q) > MAX_QUESTION_CHARS:
        raise InputError([("question", f"longer than {MAX_QUESTION_CHARS} characters")])
    return q


def _related(hits: list[Hit], best: Hit | None) -> list[str]:
    """The related articles' first questions, then the runners-up, no repeats."""
    kb = load_kb()
    out: list[str] = []
    ids: list[str] = []
    if best is not None:
        ids += best.article.related
    ids += [h.article.id for h in hits if h.score > 0]
    for aid in ids:
        if best is not None and aid == best.article.id:
            continue
        art = kb.articles.get(aid)
        if art is None:
            continue
        q = art.questions[0] if art.questions else art.title
        if q not in out:
            out.append(q)
        if len(out) == MAX_RELATED:
            break
    return out


def _dont_know(hits: list[Hit], audience: Audience) -> Answer:
    if audience == "patient":
        text = (
            "I don't know. I can only answer questions about spots of calcium in the liver "
            "seen on scans. Please ask your doctor about this. You could also ask one of the "
            "questions below."
        )
    else:
        text = (
            "I don't know: the hepcalc knowledge base has no answer to this question. It "
            "covers hepatic calcifications on ultrasound, CT and MRI (causes, growth, "
            "management, imaging, biopsy, pediatric and prenatal findings). Related "
            "questions it can answer are listed below."
        )
    related = _related([h for h in hits if h.score > 0], None)
    if not related:
        kb = load_kb()
        related = [
            kb.articles[a].questions[0]
            for a in ("tiny-calcification-management", "can-calcifications-grow")
            if a in kb.articles
        ]
    return Answer(answer=text, citations=[], related=related, article=None, score=0.0, refused=True)


def strong_match(q_terms: list[str], coverage: float, score: float) -> bool:
    """A follow-up question that never names the liver ("was the size change an
    angle error?") is still ours when the best article uses all its words and
    scores well; a question about another organ never is."""
    if set(q_terms) & OTHER_ORGANS:
        return False
    return coverage >= STRONG_COVERAGE and score >= STRONG_SCORE


def answer(
    question: str,
    audience: str = "clinician",
    index: Index | None = None,
    lang: str | None = None,
    today: dt.date | None = None,
) -> Answer:
    """Answer ``question``: with the engine when it carries measurements, else from
    the knowledge articles for ``audience``.

    ``lang`` (``en``/``zh-Hant``; default: detected from the question) chooses the
    answer's language; ``today`` dates the latest exam when the question does not
    (default: the current date; stated in the answer). ``index`` defaults to the
    packaged articles; ``ask.tune`` passes indexes built with other weights.
    """
    q = _validate(question, audience)
    try:
        chosen = parse_language(lang)
    except ValueError as exc:
        raise InputError([("lang", str(exc))]) from None
    from hepcalc.ask.respond import respond

    handled = respond(q, chosen, today)
    if handled is not None:
        return handled
    return _from_articles(q, audience, index)


def _from_articles(q: str, audience: str, index: Index | None = None) -> Answer:
    """The English knowledge-article answer (the behaviour before issue 15)."""
    aud: Audience = "patient" if audience == "patient" else "clinician"
    q_terms = terms(q)
    index = index or default_index()
    hits = index.search(q_terms)
    if not hits or hits[0].score <= 0:
        return _dont_know([], aud)
    if set(q_terms) <= GENERAL_QUESTION_TERMS:
        hits = sorted(hits, key=lambda h: h.article.id != GENERAL_ARTICLE)
    best = hits[0]
    coverage = index.coverage(q_terms, best.article.id)
    if in_domain(q_terms, index.topic_terms):
        about_liver_calcification = {"liver", "calcif"} <= set(q_terms)
        if coverage < (
            MIN_COVERAGE_LIVER_CALCIFICATION if about_liver_calcification else MIN_COVERAGE
        ):
            return _dont_know(hits, aud)
        if not set(q_terms) & CALCIFICATION_WORDS and best.score < NONCALCIFICATION_MIN_SCORE:
            # "How is liver cancer treated?" shares words with the articles but is
            # not about calcification: without such a word the match must be strong.
            return _dont_know(hits, aud)
    elif not strong_match(q_terms, coverage, best.score):
        return _dont_know([], aud)
    top_score = best.passages[0][1]
    chosen = [best.passages[0][0]]
    for p, s in best.passages[1:2]:
        if s >= SECOND_PASSAGE_RATIO * top_score:
            chosen.append(p)
    parts = [best.article.title]
    citations: list[str] = []
    for p in chosen:
        body = p.section.patient if aud == "patient" else p.section.clinician
        heading = p.section.heading
        if aud == "patient":  # "(seed 001 conflict)" means nothing to a patient
            heading = _SOURCE_NOTE.sub("", heading)
        keys = ", ".join(p.section.citations)
        parts.append(f"{heading}\n{body.strip()} [{keys}]")
        citations += [k for k in p.section.citations if k not in citations]
    return Answer(
        answer="\n\n".join(parts),
        citations=citations,
        related=_related(hits, best),
        article=best.article.id,
        score=round(best.score, 3),
    )
