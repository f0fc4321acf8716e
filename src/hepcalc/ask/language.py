"""Which language a question is written in, and the text forms both languages share.

Why here and not in ``text.py``: ``text.py`` normalises English words for the
BM25 retrieval; this module only decides *which language answers* and folds the
character forms a Taiwanese keyboard produces (full-width digits and letters,
full-width punctuation) into the ASCII forms the measurement reader expects.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal

from hepcalc.regex_cache import re_compile

Language = Literal["en", "zh-Hant"]
LANGUAGES: tuple[Language, ...] = ("en", "zh-Hant")

# Names accepted for the two languages (--lang, ?lang=, "language" in JSON).
_ALIASES: dict[str, Language] = {
    "en": "en",
    "en-us": "en",
    "en-gb": "en",
    "english": "en",
    "zh-hant": "zh-Hant",
    "zh-tw": "zh-Hant",
    "zh_tw": "zh-Hant",
    "zh-hant-tw": "zh-Hant",
    "zh": "zh-Hant",
}

_CJK = re_compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN = re_compile(r"[A-Za-z]")
# A question is Chinese when CJK characters make up at least this share of its
# letters. Chinese patients write units and terms in Latin letters ("cm", "CT",
# "echo"), each a few letters, while one CJK character is a whole word; a share
# of 0.2 keeps "上次1.4cm這次2.5cm echo" Chinese and an English question quoting
# one term ("what is 鈣化?") English.
MIN_CJK_SHARE = 0.2


def parse_language(value: str | None) -> Language | None:
    """A language name -> ``"en"``/``"zh-Hant"``; ``None``/empty -> ``None`` (detect).

    Raises ``ValueError`` for a language we have no catalog for.
    """
    if value is None or not value.strip():
        return None
    lang = _ALIASES.get(value.strip().lower())
    if lang is None:
        raise ValueError(f"unknown language {value!r}; expected one of {', '.join(LANGUAGES)}")
    return lang


def detect_language(text: str) -> Language:
    """``zh-Hant`` when enough of the question is written in Chinese characters."""
    cjk = len(_CJK.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk and cjk / (cjk + latin) >= MIN_CJK_SHARE:
        return "zh-Hant"
    return "en"


# "1,4 cm": a decimal comma, as many European keyboards write it (digits, a comma,
# one or two digits and a unit, no space).
_DECIMAL_COMMA = re_compile(r"(?<=\d),(?=\d{1,2}\s*(?:cm|mm|公分|公釐|毫米)(?![A-Za-z]))", re.I)


def fold(text: str) -> str:
    """Full-width digits, letters and punctuation -> ASCII (NFKC), one character each;
    a decimal comma before a unit -> a point.

    Both keep the string length, so positions found in the folded text point at
    the same characters of the question.
    """
    out = []
    for ch in text:
        folded = unicodedata.normalize("NFKC", ch)
        out.append(folded if len(folded) == 1 else ch)
    return _DECIMAL_COMMA.sub(".", "".join(out))
