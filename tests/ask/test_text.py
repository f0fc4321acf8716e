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
