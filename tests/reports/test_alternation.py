"""An alternation arranged by first letter matches exactly what the plain one matches."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.reports import alternation


@pytest.mark.parametrize(
    ("alt", "expected"),
    [
        ("(?:upper|lower)[ ]+lobes?", ["upper[ ]+lobes?", "lower[ ]+lobes?"]),
        ("o?esophag", ["oesophag", "esophag"]),
        ("(?:hemi-?)?diaphragm", ["hemi-?diaphragm", "diaphragm"]),
        ("(?:portal )?(?:a|b)x", ["portal (?:a|b)x", "ax", "bx"]),  # only up to a literal
        # a group with a branch holding a class and an escaped bar stays one branch each
        ("(?:[|(]x|\\|y)z", ["[|(]xz", "\\|yz"]),
        # repeated or lazy groups cannot be distributed: left whole
        ("(?:ab)+c", ["(?:ab)+c"]),
        ("(?:ab)??c", ["(?:ab)??c"]),
        ("a??b", ["a??b"]),
        ("liver", ["liver"]),
    ],
)
def test_distribute(alt: str, expected: list[str]) -> None:
    assert alternation.distribute(alt) == expected


def test_an_alternative_without_a_leading_literal_leaves_the_order_flat() -> None:
    pattern, names = alternation.arrange([("a", "x+y"), ("b", "[xy]z"), ("a", "xq")])
    assert pattern == "x+y(?P<a__0>)|[xy]z(?P<b__1>)|xq(?P<a__2>)"
    assert names == {"a__0": "a", "b__1": "b", "a__2": "a"}


def test_alternatives_are_grouped_by_first_letter_in_their_order() -> None:
    pattern, names = alternation.arrange([("a", "lx"), ("b", "(?:r|l)y"), ("c", "lz")])
    assert pattern == "(?:lx(?P<a__0>)|ly(?P<b__2>)|lz(?P<c__3>))|(?:ry(?P<b__1>))"
    assert set(names.values()) == {"a", "b", "c"}


PIECES = ["a", "b", "ab", "ba", "(?:a|b)", "(?:ab)?", "a?", "[ab]", "b+", "(?:b|ab)"]


def _plain(entries: list[tuple[str, str]]) -> re.Pattern[str]:
    return re.compile("|".join(f"{alt}(?P<{n}__{i}>)" for i, (n, alt) in enumerate(entries)))


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(["p", "q"]), st.lists(st.sampled_from(PIECES), min_size=1)),
        min_size=1,
        max_size=6,
    ),
    st.text(alphabet="ab ", max_size=30),
)
def test_arranged_matches_what_the_plain_alternation_matches(
    raw: list[tuple[str, list[str]]], text: str
) -> None:
    entries = [(name, "".join(parts)) for name, parts in raw]
    arranged, names = alternation.arrange(entries)
    fast = re.compile(rf"\b(?:{arranged})")
    plain = _plain(entries)
    plain_names = {f"{n}__{i}": n for i, (n, _) in enumerate(entries)}
    got = [(m.span(), names[str(m.lastgroup)]) for m in fast.finditer(text)]
    want = [
        (m.span(), plain_names[str(m.lastgroup)])
        for m in re.finditer(rf"\b(?:{plain.pattern})", text)
    ]
    assert got == want
