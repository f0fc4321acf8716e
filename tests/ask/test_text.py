"""Question normalisation: lexicon, stemming, domain gate."""

from __future__ import annotations

from hepcalc.ask.index import default_index
from hepcalc.ask.text import in_domain, stem, terms


def test_lay_and_clinical_words_meet() -> None:
    assert terms("calcium spot")[0] == terms("calcified focus")[0] == "calcif"
    assert terms("alpha-fetoprotein") == terms("fetal protein") == terms("AFP") == ["afp"]
    assert set(terms("newborn baby fetus")) == {"child"}
    assert terms("magnetic resonance imaging") == ["mri"]


def test_stemmer_keeps_words_readable() -> None:
    assert stem("sizes") == "size"
    assert stem("scanned") == "scan"
    assert stem("boxes") == "box"
    assert stem("hepatitis") == "hepatitis"
    assert stem("stress") == "stress"


def test_domain_gate() -> None:
    topics = default_index().topic_terms
    assert in_domain(terms("punctate calcification"), topics)
    assert in_domain(terms("liver biopsy seeding"), topics)
    assert not in_domain(terms("fatty liver diet"), topics)
    assert not in_domain(terms("breast microcalcifications"), topics)
    assert in_domain(terms("breast cancer spread to the liver with calcification"), topics)


def test_lay_words_and_shorthand_fold() -> None:
    assert terms("calcium deposit")[:2] == ["calcif", "calcif"]
    assert terms("echogenic focus") == terms("calcified spot")
    assert terms("US f/u") == ["ultrasound", "followup"]
    assert terms("us") == []  # the pronoun is still a stopword
    assert terms("Can it become cancer?") == terms("Can it turn into cancer?")
    assert terms("How common are they?") == ["prevalence"]
    assert "prevalence" not in terms("How often should it be checked?")


def test_misspelt_domain_words_are_read_but_real_words_are_not() -> None:
    for typo, word in [
        ("calsification", "calcification"),
        ("calcifide", "calcified"),
        ("biopsey", "biopsy"),
        ("hemangeoma", "hemangioma"),
        ("metastisis", "metastasis"),
        ("ultrasond", "ultrasound"),
    ]:
        assert stem(typo) == stem(word), typo
    for real in [
        "classification",
        "clarification",
        "qualification",
        "calculation",
        "hematoma",
        "granular",
        "ultrasonic",
        "hydrated",
        "puncture",
    ]:
        assert stem(real) not in {stem(w) for w in ("calcification", "hemangioma", "granuloma")}
        assert stem(real) not in {"ultrasound", "hydatid", "punctate"}, real
