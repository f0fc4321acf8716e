"""A long regex alternation arranged so the engine picks alternatives by their first letter.

Why: Python's regex engine tries an alternation's branches one by one at every offset; a
branch that begins with a literal character is skipped in C when that character differs,
but a branch that begins with a group is entered. An organ pattern of two hundred
alternatives, tried at each word start of every sentence read, was the reader's costliest
search. Arranged here as one branch per first letter (``(?:liver...|lobe...)`` whose
common "l" the engine factors out), a word start costs a handful of comparisons.

The arrangement never changes what matches:

- a leading group is distributed over its branches (``(?:right|left) lobe`` ->
  ``right lobe|left lobe``), a leading optional group or letter into the forms with and
  without it (``o?esophag`` -> ``oesophag|esophag``), in the order the engine would
  have tried them;
- alternatives are grouped by first character keeping their order inside each group;
  two alternatives that start with different characters cannot both match at one offset,
  so their relative order never mattered;
- each alternative is followed by an empty named group (``spleen__12``), so
  ``m.lastgroup`` still says which entry matched.

An alternative that cannot be brought to start with a literal leaves the whole alternation
flat, in its original order (slower, same matches).
"""

from __future__ import annotations

import itertools
import re
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]

_MAX_DEPTH = 4  # leading groups distributed per alternative (the lexicons need two)


def _scan(pattern: str, start: int, stop_at_bar: bool) -> list[int]:
    """Offsets of the top-level '|' (``stop_at_bar``) or the end of the group opened at
    ``start``, skipping escapes and character classes."""
    depth, k, in_class, bars = 0, start, False, []
    while k < len(pattern):
        c = pattern[k]
        if c == "\\":
            k += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
            if pattern[k + 1 : k + 2] == "]":
                k += 1  # "[]...]": a literal ']' first
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
            if not stop_at_bar and depth == 0:
                return [k + 1]
        elif c == "|" and depth == 0 and stop_at_bar:
            bars.append(k)
        k += 1
    if not stop_at_bar:
        raise ValueError(f"unbalanced group in {pattern!r}")
    return bars


def branches(pattern: str) -> list[str]:
    """The top-level branches of ``pattern`` ("a|b(c|d)" -> ["a", "b(c|d)"])."""
    cuts = [-1, *_scan(pattern, 0, stop_at_bar=True), len(pattern)]
    return [pattern[a + 1 : b] for a, b in itertools.pairwise(cuts)]


def distribute(alt: str, depth: int = 0) -> list[str]:
    """Alternatives equivalent to ``alt``, in the engine's order, each starting with a
    literal where a leading non-capturing group or optional letter allows it.

    Example: ``distribute("(?:upper|lower)[ ]+lobes?")`` ->
    ``["upper[ ]+lobes?", "lower[ ]+lobes?"]``; ``distribute("o?esophag")`` ->
    ``["oesophag", "esophag"]``.
    """
    if depth > _MAX_DEPTH or not alt:
        return [alt]
    if alt.startswith("(?:"):
        end = _scan(alt, 0, stop_at_bar=False)[0]
        inner, rest = alt[3 : end - 1], alt[end:]
        if rest.startswith("?") and not rest.startswith(("??", "?+")):
            with_group = [x for b in branches(inner) for x in distribute(b + rest[1:], depth + 1)]
            return with_group + distribute(rest[1:], depth + 1)  # greedy: with it first
        if rest[:1] in ("*", "+", "{", "?"):
            return [alt]
        return [x for b in branches(inner) for x in distribute(b + rest, depth + 1)]
    if alt[0].isalpha() and alt[1:2] == "?" and alt[2:3] not in ("?", "+"):
        return distribute(alt[0] + alt[2:], depth + 1) + distribute(alt[2:], depth + 1)
    return [alt]


def top_literals(alt: str) -> str:
    """The characters ``alt`` matches literally at its top level, other parts as NUL.

    Every match of ``alt`` holds each run of these characters (a character in a group, a
    class or under a quantifier is not one). Example: ``top_literals("hyper-?dense")`` ->
    ``"hyper\\0dense"``.
    """
    return "".join(
        chr(av) if op is sre_constants.LITERAL else "\0" for op, av in sre_parser.parse(alt)
    )


def _first_literal(alt: str) -> int | None:
    """The code of the literal ``alt`` starts with, or None."""
    try:
        parsed = sre_parser.parse(alt)
    except re.error:
        return None
    if not len(parsed):
        return None
    op, av = parsed[0]
    return int(av) if op is sre_constants.LITERAL else None


def arrange(entries: list[tuple[str, str]]) -> tuple[str, dict[str, str]]:
    """(alternation, group name -> entry name) for ``(name, alternative)`` entries in
    priority order; group names are ``{name}__{rank}``."""
    derived = [(name, d) for name, alt in entries for d in distribute(alt)]
    names = {f"{name}__{rank}": name for rank, (name, _) in enumerate(derived)}
    tagged = [f"{alt}(?P<{name}__{rank}>)" for rank, (name, alt) in enumerate(derived)]
    firsts = [_first_literal(alt) for _, alt in derived]
    if any(f is None for f in firsts):
        return "|".join(tagged), names
    buckets: dict[int | None, list[str]] = {}
    for first, alt in zip(firsts, tagged, strict=True):
        buckets.setdefault(first, []).append(alt)
    return "|".join(f"(?:{'|'.join(b)})" for b in buckets.values()), names
