"""The patient message catalog: sentences by message id, with named placeholders.

Why a catalog and not f-strings: a patient sentence must be translatable as a
whole (word order differs between languages, zh-Hant is next), so every
sentence is one entry keyed by a stable id, and code only fills named
placeholders. Catalogs live in ``render/messages/<lang>.yaml``; English is the
reference. At import every catalog present is checked to have exactly the
English ids with exactly the same placeholders, so a missing or misspelled
placeholder is a build defect caught by the first test, never a gap in a
patient's letter.
"""

from __future__ import annotations

from functools import lru_cache
from importlib import resources
from string import Formatter
from typing import Any

from hepcalc.datafiles import load_yaml

REFERENCE_LANG = "en"


class CatalogError(RuntimeError):
    """A message catalog is inconsistent (a build defect, not user input)."""


def _flatten(tree: dict[str, Any], prefix: str = "") -> dict[str, str]:
    out: dict[str, str] = {}
    for key, value in tree.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "."))
        elif isinstance(value, str):
            out[name] = value
        else:
            raise CatalogError(f"message {name!r}: expected text, got {type(value).__name__}")
    return out


def placeholders(text: str) -> frozenset[str]:
    """The named placeholders of one message ('{size}' -> 'size')."""
    names = {field for _, field, _, _ in Formatter().parse(text) if field is not None}
    if "" in names or any(not n.isidentifier() for n in names):
        raise CatalogError(f"message {text!r}: placeholders must be named")
    return frozenset(names)


def languages() -> list[str]:
    """Languages with a catalog in the package, reference language first."""
    found = sorted(
        p.name.removesuffix(".yaml")
        for p in resources.files("hepcalc.render").joinpath("messages").iterdir()
        if p.name.endswith(".yaml")
    )
    return [REFERENCE_LANG] + [lang for lang in found if lang != REFERENCE_LANG]


@lru_cache(maxsize=8)
def catalog(lang: str = REFERENCE_LANG) -> dict[str, str]:
    """One language's messages, flattened to 'section.id' keys."""
    path = resources.files("hepcalc.render").joinpath("messages", f"{lang}.yaml")
    if not path.is_file():
        raise CatalogError(f"no message catalog for language {lang!r}")
    data = load_yaml(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict):
        raise CatalogError(f"catalog {lang!r} is not a mapping")
    return _flatten(data)


def check_catalogs() -> None:
    """Every catalog has the reference ids, each with the reference placeholders."""
    ref = catalog(REFERENCE_LANG)
    for lang in languages():
        cat = catalog(lang)
        missing = sorted(set(ref) - set(cat))
        extra = sorted(set(cat) - set(ref))
        if missing or extra:
            raise CatalogError(f"catalog {lang!r}: missing {missing}, unknown {extra}")
        for key, text in ref.items():
            if placeholders(cat[key]) != placeholders(text):
                raise CatalogError(
                    f"catalog {lang!r}, message {key!r}: placeholders "
                    f"{sorted(placeholders(cat[key]))} != {sorted(placeholders(text))}"
                )


def msg(key: str, lang: str = REFERENCE_LANG, **values: object) -> str:
    """Message ``key`` with its placeholders filled; exactly its placeholders are accepted.

    A missing or unexpected value raises (a wrong call must fail a test, not
    print '{size}' to a patient).
    """
    text = catalog(lang)[key]
    wanted = placeholders(text)
    if set(values) != wanted:
        raise CatalogError(f"message {key!r} takes {sorted(wanted)}, got {sorted(values)}")
    return text.format_map({k: str(v) for k, v in values.items()})


check_catalogs()

__all__ = ["CatalogError", "catalog", "check_catalogs", "languages", "msg", "placeholders"]
