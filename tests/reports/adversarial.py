"""Adversarial inputs for the reader: every word it reacts to, repeated.

Shared by ``test_linear_time.py`` (operation counts) and
``benchmarks/reader_worst_case.py`` (seconds per 100 KB). The words are not a
hand-kept list that drifts from the code: ``lexicon_words()`` takes every word of
every regular expression in the reader's modules, so a trigger added tomorrow is
in the adversarial set at once. ``PHRASES`` adds the multi-word triggers and the
non-word pieces (numbers, units, labels, punctuation) the patterns are built from.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable, Iterator

READER_MODULES = (
    "targets",
    "organs",
    "locations",
    "sizes",
    "attributes",
    "sections",
    "sentences",
    "context",
    "reader",
    "resolver",
    "soft_tissue",
)

# Multi-word triggers and the non-word pieces of the grammar.
PHRASES = (
    "calc",
    "calcified",
    "calcification",
    "calcifications",
    "microcalcification",
    "granuloma",
    "granulomata",
    "phlebolith",
    "calcium deposit",
    "echogenic focus with shadowing",
    "echogenic",
    "shadowing",
    "hyperdense focus",
    "dense",
    "high attenuation foci",
    "fetal liver",
    "liver",
    "hepatic",
    "LIVER:",
    "Liver -",
    "FINDINGS:",
    "IMPRESSION:",
    "HISTORY:",
    "segment 6",
    "segments 5, 6 and 7",
    "seg 7",
    "S7",
    "SVII",
    "4a",
    "right lobe",
    "caudate",
    "5 mm",
    "1.4 cm",
    "2.3 x 1.8 x 1.1 cm",
    "3-5 mm",
    "0,3 cm",
    ".3 cm",
    "1",
    "1.",
    "x",
    "mm",
    "(",
    ")",
    "(5 mm in 2021)",
    "no",
    "not",
    "without",
    "no evidence of",
    "is not seen",
    "history of",
    "mother had",
    "previously",
    "prior CT showed",
    "again",
    "stable",
    "new",
    "increased from 8 to 11 mm",
    "if",
    "rule out",
    "within it",
    "adjacent to",
    "another",
    "and a",
    "but",
    "however",
    "spleen",
    "kidney",
    "gallbladder",
    "hemangioma",
    "cyst",
    "mass",
    "lesion",
    "the largest",
    "up to",
    "rim",
    "punctate",
    "?",
    ":",
    ";",
    ",",
    ".",
    "-",
    "\n",
    "\t",
    " ",
)

SEPARATORS = (" ", "-", ", ", ". ", "; ", "\n", "")


def lexicon_words() -> list[str]:
    """Every word (two letters or more) of every pattern in the reader's modules."""
    words: set[str] = set()
    for name in READER_MODULES:
        mod = importlib.import_module(f"hepcalc.reports.{name}")
        for value in vars(mod).values():
            if isinstance(value, re.Pattern):
                pattern = re.sub(r"\\[a-zA-Z]", " ", value.pattern)
                words.update(w.lower() for w in re.findall(r"[A-Za-z]{2,}", pattern))
    return sorted(words)


def all_tokens() -> list[str]:
    """The phrases first, then the lexicon words not already among them."""
    seen = set(PHRASES)
    return list(PHRASES) + [w for w in lexicon_words() if w not in seen]


def repeat(unit: str, size: int) -> str:
    """``unit`` repeated to exactly ``size`` characters (the last copy cut)."""
    if not unit:
        return ""
    return (unit * (size // len(unit) + 1))[:size]


def adversarial_inputs(
    pairs: bool = False, tokens: list[str] | None = None
) -> Iterator[tuple[str, Callable[[int], str]]]:
    """(name, make(size)) for every token with every separator, and optionally pairs."""
    toks = list(PHRASES) if tokens is None else tokens
    for tok in toks:
        for sep in SEPARATORS:
            unit = tok + sep
            yield repr(unit), (lambda size, u=unit: repeat(u, size))
    # a target before a long run of one trigger, and one after it (look-backs/-aheads)
    for tok in toks:
        yield (
            f"'calcification ' + {tok!r}*",
            lambda size, t=tok: "calcification " + repeat(t + " ", size - 14),
        )
        yield (
            f"{tok!r}* + ' calcification'",
            lambda size, t=tok: repeat(t + " ", size - 14) + "calcification",
        )
    if pairs:
        for a in toks:
            for b in toks:
                if a < b:
                    yield (
                        repr(a + " " + b + " "),
                        (lambda size, u=a + " " + b + " ": repeat(u, size)),
                    )
