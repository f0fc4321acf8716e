"""The patient message catalog: same ids and placeholders in every language, strict filling."""

from __future__ import annotations

import pytest
import textstat

from hepcalc.render.messages import (
    REFERENCE_LANG,
    CatalogError,
    catalog,
    check_catalogs,
    languages,
    msg,
    placeholders,
)
from hepcalc.render.patient import compose_patient
from tests.render.vignettes import all_assessments


def test_every_catalog_has_the_reference_ids_and_placeholders() -> None:
    check_catalogs()  # raises on any difference
    ref = catalog(REFERENCE_LANG)
    for lang in languages():
        cat = catalog(lang)
        assert set(cat) == set(ref), lang
        for key, text in ref.items():
            assert placeholders(cat[key]) == placeholders(text), (lang, key)


def test_filling_is_strict() -> None:
    assert msg("growth.sizes", before="1 cm", after="2 cm") == "from 1 cm to 2 cm"
    with pytest.raises(CatalogError):
        msg("growth.sizes", before="1 cm")  # a missing value is a defect, not "{after}"
    with pytest.raises(CatalogError):
        msg("growth.sizes", before="1 cm", after="2 cm", extra="x")
    with pytest.raises(CatalogError):
        placeholders("a {} positional placeholder")


# Catalog sections of phrases placed inside a whole sentence by a named placeholder.
PHRASE_SECTIONS = frozenset(
    {"heading", "reader", "place", "scan", "when", "months", "signs", "cause", "cause_neutral"}
    | {"size"}
)


def test_sentences_are_whole_and_plain() -> None:
    """Each message is one or more whole sentences (no fragments glued by code)."""
    for key, text in catalog(REFERENCE_LANG).items():
        section = key.split(".")[0]
        if section in PHRASE_SECTIONS:
            continue  # phrases placed inside a whole sentence by a named placeholder
        if key in ("growth.subject_one", "growth.subject_first", "growth.subject_second"):
            continue
        if key in ("growth.subject_finding", "growth.sizes", "next.engine"):
            continue
        assert text.rstrip().endswith((".", "?", "!", "}")), key
    long = [
        k
        for k, t in catalog(REFERENCE_LANG).items()
        if len(t.split()) > 12 and textstat.flesch_kincaid_grade(t) > 8
    ]
    assert long == [], long


def test_most_messages_are_reached_by_the_test_cases() -> None:
    """The vignettes exercise the variants (an unreachable message is untested wording)."""
    used: set[str] = set()
    for _, a in all_assessments():
        used |= set(compose_patient(a).ids)
    sentences = {
        k
        for k in catalog(REFERENCE_LANG)
        if k.split(".")[0]
        not in (
            "heading",
            "reader",
            "place",
            "scan",
            "when",
            "months",
            "signs",
            "cause",
            "cause_neutral",
            "size",
        )
        and not k.startswith("growth.subject")
        and k != "growth.sizes"
    }
    reached = len(used & sentences) / len(sentences)
    assert reached >= 0.6, sorted(sentences - used)
