"""The ask message catalogs (``ask/messages/<lang>.yaml``): whole sentences by id.

Why its own small catalog (not ``render/messages``): the ask answer speaks to a
person who typed a question (what I read, what I assumed, what is missing),
which no assessment text says; keeping its sentences here lets both be
translated without touching each other. The rule is the same: one entry per
sentence, named placeholders only, every language with exactly the English ids
and placeholders, checked at import so a gap is a build defect, not a blank in a
patient's answer.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Formatter
from typing import Any

from hepcalc.ask.language import LANGUAGES, Language
from hepcalc.datafiles import load_yaml

REFERENCE = "en"


class CatalogError(RuntimeError):
    """A catalog is inconsistent (a build defect, not user input)."""


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise CatalogError(f"message {name!r} is not text")
    return out


@lru_cache(maxsize=1024)
def placeholders(text: str) -> frozenset[str]:
    """Named placeholders of one message; positional ones are refused."""
    names = {f for _, f, _, _ in Formatter().parse(text) if f is not None}
    if any(not n.isidentifier() for n in names):
        raise CatalogError(f"message {text!r}: placeholders must be named")
    return frozenset(names)


@lru_cache(maxsize=4)
def catalog(lang: Language) -> dict[str, str]:
    path = resources.files("hepcalc.ask").joinpath("messages", f"{lang}.yaml")
    if not path.is_file():
        raise CatalogError(f"no ask catalog for {lang!r}")
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogError(f"ask catalog {lang!r} is not a mapping")
    return _flatten(data)


@lru_cache(maxsize=4)
def articles(lang: Language) -> dict[str, Any]:
    """Translated patient text of the knowledge articles (``articles.<lang>.yaml``):
    article id -> {title, sections: [{heading, patient}]} in the KB's section order;
    empty when the language has none (English is the KB itself)."""
    path = resources.files("hepcalc.ask").joinpath("messages", f"articles.{lang}.yaml")
    if not path.is_file():
        return {}
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogError(f"article translations {lang!r} are not a mapping")
    return data


def check() -> None:
    """Every language has the reference ids with the reference placeholders."""
    ref = catalog(REFERENCE)
    for lang in LANGUAGES:
        cat = catalog(lang)
        if set(cat) != set(ref):
            raise CatalogError(
                f"ask catalog {lang!r}: missing {sorted(set(ref) - set(cat))}, "
                f"unknown {sorted(set(cat) - set(ref))}"
            )
        for key, text in ref.items():
            if placeholders(cat[key]) != placeholders(text):
                raise CatalogError(f"ask catalog {lang!r}, {key!r}: placeholders differ")


def has(key: str) -> bool:
    return key in catalog(REFERENCE)


def t(key: str, lang: Language, **values: object) -> str:
    """Message ``key`` in ``lang`` with exactly its placeholders filled."""
    text = catalog(lang)[key]
    wanted = placeholders(text)
    if set(values) != wanted:
        raise CatalogError(f"message {key!r} takes {sorted(wanted)}, got {sorted(values)}")
    return text.format_map({k: str(v) for k, v in values.items()})


def join(items: list[str], lang: Language) -> str:
    """'a', 'a and b', 'a, b and c' in the language's own list form."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    if len(items) == 2:
        return t("list.two", lang, first=items[0], second=items[1])
    sep = catalog(lang)["list.sep"]
    return t("list.more", lang, items=sep.join(items[:-1]), last=items[-1])


check()

__all__ = ["CatalogError", "articles", "catalog", "check", "has", "join", "placeholders", "t"]
