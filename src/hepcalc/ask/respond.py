"""Route a question: measurements -> the engine; Chinese -> a zh-Hant answer; else None.

Why a router in front of the article retrieval: a question that carries sizes
("1.4 cm last time, 2.5 cm now") is answered by computing, not by the article
that best matches its words, and a question in Chinese must be answered in
Chinese. Only an English question without measurements falls through to the
English article retrieval of ``answer.py`` (``None`` here).
"""

from __future__ import annotations

import datetime as dt
import re

from hepcalc.ask.answer import _SOURCE_NOTE, Answer, _from_articles
from hepcalc.ask.catalog import articles, t
from hepcalc.ask.language import Language, detect_language, fold
from hepcalc.ask.measured import compose, missing_text, related
from hepcalc.ask.question import read_question
from hepcalc.ask.text import OTHER_ORGANS, terms
from hepcalc.regex_cache import re_compile

# Other organs in Chinese ("膽結石 5 mm" is a gallbladder question, not ours).
_OTHER_ORGANS_ZH = re_compile(
    r"腎|膀胱|膽囊|膽結石|甲狀腺|乳房|肺|胰|脾|攝護腺|前列腺|子宮|卵巢|心臟|冠狀動脈|主動脈|(?<!電)腦|牙|"
    r"睪丸|腎上腺|胎盤|眼|皮膚|肌肉|肩"
)
_LIVER = re_compile(r"肝|liver|hepat", re.I)
_CALC = re_compile(r"calci|calcium|鈣化", re.I)
# Chinese words -> the English words the article index knows, so a Chinese
# question without sizes finds its article (answered in Chinese around it).
_ZH_TERMS: tuple[tuple[str, str], ...] = (
    ("局部結節增生", "focal nodular hyperplasia"),
    ("胎兒蛋白", "AFP"),
    ("磁振造影", "MRI"),
    ("核磁共振", "MRI"),
    ("電腦斷層", "CT"),
    ("超音波", "ultrasound"),
    ("鈣化", "calcification"),
    ("變大", "grow"),
    ("長大", "grow"),
    ("增大", "grow"),
    ("切片", "biopsy"),
    ("癌", "cancer"),
    ("胎兒", "fetal"),
    ("嬰兒", "baby"),
    ("寶寶", "baby"),
    ("囊腫", "cyst"),
    ("化療", "chemotherapy"),
    ("結節", "nodule"),
    ("點狀", "punctate"),
    ("追蹤", "follow-up"),
    ("處理", "management"),
    ("怎麼辦", "what next"),
    ("轉移", "metastasis"),
    ("血管瘤", "hemangioma"),
    ("危險", "dangerous"),
    ("嚴重", "dangerous"),
    ("是什麼", "what is"),
    ("很小", "tiny"),
    ("擴散", "spread seeding"),
    ("針", "needle"),
    ("懷孕", "pregnancy"),
    ("產檢", "pregnancy scan"),
    ("黑點", "signal void"),
    ("藥", "drug"),
    ("常見", "common"),
    ("症狀", "symptoms"),
    ("原因", "cause"),
    ("膿瘍", "abscess"),
    ("寄生蟲", "parasite"),
    ("絛蟲", "hydatid"),
    ("肝", "liver"),
)


def other_organ(question: str) -> bool:
    """About another organ and not the liver (refused)."""
    if _LIVER.search(question):
        return False
    return bool(_OTHER_ORGANS_ZH.search(question) or set(terms(question)) & OTHER_ORGANS)


def _refused(lang: Language) -> Answer:
    return Answer(
        answer=t("general.refused", lang), related=related(lang), language=lang, refused=True
    )


def _english_terms(question: str) -> str:
    words = [en for zh, en in _ZH_TERMS if zh in question]
    latin = re.sub(r"[^\x00-\x7f]+", " ", fold(question))
    return " ".join([*words, latin]).strip() or question


def _zh_general(question: str) -> Answer:
    """A Chinese question without sizes: the cited article, introduced in Chinese."""
    from hepcalc.knowledge import load_kb

    found = _from_articles(_english_terms(question), "patient")
    if found.article is None:
        return Answer(
            answer=t("general.dont_know", "zh-Hant"),
            related=related("zh-Hant"),
            language="zh-Hant",
            refused=True,
        )
    art = load_kb().articles[found.article]
    ids = tuple(i for i in (*art.related, "can-calcifications-grow") if i != art.id)[:4]
    zh = articles("zh-Hant").get(art.id)
    lines = found.answer.split("\n")
    at = {_SOURCE_NOTE.sub("", sec.heading): i for i, sec in enumerate(art.sections)}
    chosen = [at[line] for line in lines if line in at]  # the English answer's order
    if zh is not None and chosen and len(zh["sections"]) == len(art.sections):
        parts = [zh["title"]]
        for i in chosen:
            sec = zh["sections"][i]
            keys = ", ".join(art.sections[i].citations)
            parts.append(f"{sec['heading']}\n{sec['patient'].strip()} [{keys}]")
        body = "\n\n".join(parts)
        intro = t("general.article", "zh-Hant")
    else:  # no translation yet: the English passage, said so
        body, intro = found.answer, t("general.article_english", "zh-Hant")
    text = "\n\n".join([intro, body, t("general.with_sizes", "zh-Hant")])
    return found.model_copy(
        update={"answer": text, "related": related("zh-Hant", ids), "language": "zh-Hant"}
    )


def respond(question: str, lang: Language | None, today: dt.date | None) -> Answer | None:
    """The answer, or None when the English article retrieval should answer."""
    language = lang or detect_language(question)
    reading = read_question(question, today=today, language=language)
    if reading.has_measurements or reading.problems:
        if other_organ(question):
            return _refused(language)
        # the article on the same topic: its id and score are reported with the
        # computed answer (and keep the retrieval's evaluation meaningful)
        topic = _from_articles(_english_terms(question), "patient")
        if topic.article is None and not (
            _LIVER.search(question) or _CALC.search(question) or reading.exams_named
        ):
            return _refused(language)
        if reading.problems or reading.case is None:
            return Answer(
                answer=missing_text(reading, language),
                related=related(language),
                language=language,
                article=topic.article,
                score=topic.score,
            )
        from hepcalc.pipeline import assess

        assessment = assess(reading.case)
        text, citations = compose(reading, assessment, language)
        return Answer(
            answer=text,
            citations=citations,
            related=related(language),
            language=language,
            case=reading.case.model_dump(mode="json", exclude_none=True),
            assessment=assessment.to_json_dict(),
            article=topic.article,
            score=topic.score,
        )
    if language == "en":
        return None
    if other_organ(question):
        return _refused(language)
    return _zh_general(question)


__all__ = ["respond"]
