"""The ask message catalogs: both languages carry every message with the same
placeholders, and the zh-Hant texts follow docs/zh-hant-style.md where a
machine can check it (Traditional characters only, short sentences, Taiwan terms)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from hepcalc.ask import catalog as cat
from hepcalc.ask.language import LANGUAGES, detect_language, fold, parse_language

# Simplified-only characters (each has a different Traditional form) that a
# Chinese text about the liver, scans and doctors would most likely contain if it
# slipped into Simplified. Shipped here because OpenCC is not a dependency.
SIMPLIFIED_ONLY = set(
    "这钙点为发过时说会个们来对检医断层疗间现还问题变长没关门诊应该实际将结确认报图声"
    "体质肿胆脏肾脉级边线与从录扫处观韧营养疗药剂显验诊疡术数换优势险选误较测"
    "内种类备须经历总统计复杂单纯让谁讲两岁龄妇儿无"
)
# Mainland terms and their Taiwan hospital forms (docs/zh-hant-style.md).
AVOID_TERMS = {
    "B超": "超音波",
    "CT检查": "電腦斷層",
    "核磁": "磁振造影",
    "乙肝": "B型肝炎",
    "丙肝": "C型肝炎",
    "厘米": "公分",
    "毫米": "公釐",
    "造影剂": "顯影劑",
    "活检": "切片",
    "随访": "追蹤",
    "信息": "資訊",
    "醫生": "醫師",  # written Taiwanese medical text says 醫師
}
MAX_SENTENCE_CHARS = 60  # a sentence a patient reads in one breath (style guide)


def test_both_catalogs_have_the_same_ids_and_placeholders() -> None:
    cat.check()
    ref = cat.catalog("en")
    for lang in LANGUAGES:
        c = cat.catalog(lang)
        assert set(c) == set(ref), lang
        for key, text in ref.items():
            assert cat.placeholders(c[key]) == cat.placeholders(text), (lang, key)
            assert c[key].strip(), (lang, key)


def test_a_missing_message_or_placeholder_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    en = dict(cat.catalog("en"))
    zh = dict(cat.catalog("zh-Hant"))

    def fake(table: dict[str, str]) -> object:
        return lambda lang: en if lang == "en" else table

    broken = dict(zh)
    broken.pop("decides.text")
    monkeypatch.setattr(cat, "catalog", fake(broken))
    with pytest.raises(cat.CatalogError, match="missing"):
        cat.check()
    wrong = dict(zh, **{"growth.stable": "{spot}大小沒有改變。"})  # {before}/{after} dropped
    monkeypatch.setattr(cat, "catalog", fake(wrong))
    with pytest.raises(cat.CatalogError, match="placeholders"):
        cat.check()


def test_filling_a_message_needs_exactly_its_placeholders() -> None:
    assert cat.t("unit.cm", "zh-Hant", value="1.4") == "1.4 公分"
    with pytest.raises(cat.CatalogError):
        cat.t("unit.cm", "zh-Hant")
    with pytest.raises(cat.CatalogError):
        cat.t("unit.cm", "en", value="1", extra="2")


def _sentences(text: str) -> list[str]:
    text = re.sub(r"\{[a-z_]+\}", "", text)
    return [s for s in re.split(r"[。！？]", text) if s.strip()]


@pytest.mark.parametrize("key", sorted(cat.catalog("zh-Hant")))
def test_zh_hant_style(key: str) -> None:
    text = cat.catalog("zh-Hant")[key]
    assert not set(text) & SIMPLIFIED_ONLY, (key, set(text) & SIMPLIFIED_ONLY)
    for mainland in AVOID_TERMS:
        assert mainland not in text, (key, mainland)
    for sentence in _sentences(text):
        assert len(sentence) <= MAX_SENTENCE_CHARS, (key, sentence)
    if not key.startswith(("unit.", "list.", "risk.", "modality.")):
        assert re.search(r"[\u4e00-\u9fff]", text), key  # really translated


def test_taiwan_terms_are_used() -> None:
    allz = " ".join(cat.catalog("zh-Hant").values())
    for term in ("鈣化點", "超音波", "電腦斷層", "磁振造影", "肝硬化", "B型肝炎", "顯影劑", "公分"):
        assert term in allz, term


def test_language_detection_and_names() -> None:
    assert detect_language("上次1.4cm這次2.5cm echo") == "zh-Hant"
    assert detect_language("What is 鈣化 in my liver report?") == "en"
    assert detect_language("last time 1.4 cm") == "en"
    assert parse_language("zh-TW") == "zh-Hant" and parse_language(None) is None
    with pytest.raises(ValueError):
        parse_language("fr")
    assert fold("１．４公分") == "1.4公分"


# The assessment's patient text catalog (render/messages, issue 14) in zh-Hant:
# the same style rules, and the same ids/placeholders as its English catalog.
RENDER_MESSAGES = Path(cat.__file__).resolve().parents[1] / "render" / "messages"


def _render_catalog(lang: str) -> dict[str, str]:
    path = RENDER_MESSAGES / f"{lang}.yaml"
    if not path.is_file():
        pytest.skip(f"no render catalog {path.name} in this build")
    return cat._flatten(yaml.safe_load(path.read_text("utf-8")))


def test_render_zh_hant_matches_english_ids_and_placeholders() -> None:
    zh = _render_catalog("zh-Hant")
    en = _render_catalog("en")
    assert set(zh) == set(en)
    for key, text in en.items():
        assert cat.placeholders(zh[key]) == cat.placeholders(text), key


def test_render_zh_hant_style() -> None:
    zh = _render_catalog("zh-Hant")
    for key, text in zh.items():
        assert not set(text) & SIMPLIFIED_ONLY, (key, set(text) & SIMPLIFIED_ONLY)
        for term in AVOID_TERMS:
            assert term not in text, (key, term)
        for sentence in _sentences(text):
            assert len(sentence) <= MAX_SENTENCE_CHARS, (key, sentence)


def test_every_article_section_has_a_zh_hant_translation_in_style() -> None:
    from hepcalc.knowledge import load_kb

    zh = cat.articles("zh-Hant")
    kb = load_kb()
    assert set(zh) == set(kb.articles)
    for aid, art in kb.articles.items():
        sections = zh[aid]["sections"]
        assert len(sections) == len(art.sections), aid
        texts = [zh[aid]["title"]] + [s["heading"] for s in sections]
        texts += [s["patient"] for s in sections]
        for text in texts:
            assert re.search(r"[\u4e00-\u9fff]", text), (aid, text)
            assert not set(text) & SIMPLIFIED_ONLY, (aid, set(text) & SIMPLIFIED_ONLY)
            for term in AVOID_TERMS:
                assert term not in text, (aid, term)
            for sentence in _sentences(text):
                assert len(sentence) <= MAX_SENTENCE_CHARS, (aid, sentence)


def test_render_catalogs_name_every_cause_of_the_knowledge_base() -> None:
    from hepcalc.knowledge import load_kb

    zh = _render_catalog("zh-Hant")
    names = {k.split(".", 1)[1] for k in zh if k.startswith("cause.")}
    assert set(load_kb().etiologies) <= names
