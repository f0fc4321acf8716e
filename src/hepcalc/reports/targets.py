"""Target terms: the words that make a sentence worth reading.

A *target* is a word or short phrase that names a calcification, directly or by
its imaging sign:

* ``calc``: calcification(s), calcified, calcific, calcium deposit/density and
  common misspellings (calcificaton, calcfication, calcifed). "noncalcified",
  "calculus" (a stone), "calcitonin" and lab "calcium" are not targets.
* ``granuloma``: granuloma(s)/granulomata (in the liver these are calcified).
* ``shadowing``: an echogenic focus with posterior acoustic shadowing (US), or in
  the fetal liver.
* ``dense``: hyperdense / dense / high-attenuation focus or foci (CT).
* ``phlebolith``: a phlebolith (a calcified thrombus, typical of hemangioma).

``candidate_positions`` is the gate every report passes through first: plain
substring searches on the lower-cased text (several times faster than any regex
over the whole report) give the places where a target could start. A report
with none -- most reports in a health-system archive -- is done at once, and
for the others only the sentences around these places are read.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass

from hepcalc.regex_cache import re_compile
from hepcalc.reports import alternation, lexicon
from hepcalc.reports.word_gate import Has

# Every target contains one of these stems (case-insensitive); PREFILTER is the same
# gate as a regex, for callers that want one search over a short span.
PREFILTER = re_compile(r"calc|granulom|shadow|twinkl|dens[ei]|attenuat|phlebolith", re.I)


def _words(entry: str) -> tuple[list[str], list[str]]:
    """(stems, alternatives) of a target entry of ``targets.yaml``, checked."""
    where = f"targets.yaml: {entry}"
    value = _LEXICON.get(entry)
    if not isinstance(value, dict):
        raise lexicon.LexiconError(f"{where}: must be a mapping with stems and words")
    stems = value.get("stems")
    if (
        not isinstance(stems, list)
        or not stems
        or not all(isinstance(x, str) and x.isalpha() and x == x.lower() for x in stems)
    ):
        raise lexicon.LexiconError(f"{where}.stems: must be a list of lower-case words")
    words = lexicon.alternatives(f"{where}.words", value.get("words"))
    for i, alt in enumerate(words):
        if len(alternation.branches(alt)) > 1:
            raise lexicon.LexiconError(f"{where}.words[{i}]: {alt!r} holds a top-level '|'")
        # a stem at the top level: every match of the word holds it, as the gate assumes
        if not any(stem in alternation.top_literals(alt).lower() for stem in stems):
            raise lexicon.LexiconError(
                f"{where}.words[{i}]: {alt!r} holds none of the stems {stems} as plain letters"
            )
    return stems, words


def _plain_words(entry: str) -> tuple[str, ...]:
    value = _LEXICON.get(entry)
    if (
        not isinstance(value, list)
        or not value
        or not all(isinstance(x, str) and x.isalpha() and x == x.lower() for x in value)
    ):
        raise lexicon.LexiconError(f"targets.yaml: {entry}: must be a list of lower-case words")
    return tuple(value)


_LEXICON = lexicon.load("targets")
_GRANULOMA_STEMS, _GRANULOMA = _words("granuloma")
_PHLEBOLITH_STEMS, _PHLEBOLITH = _words("phlebolith")
_DENSE_STEMS, _DENSE = _words("dense_sign")
_ECHO_STEMS, _ECHO = _words("echo_sign")
_DENSE_NOUNS = lexicon.alternatives(
    "targets.yaml: dense_sign.nouns", _LEXICON["dense_sign"].get("nouns")
)
_ECHO_NOUNS = lexicon.alternatives(
    "targets.yaml: echo_sign.nouns", _LEXICON["echo_sign"].get("nouns")
)
_DIRECT_STEMS = (*_GRANULOMA_STEMS, *_PHLEBOLITH_STEMS)
# "calc..." words that are other words (calculus, calcaneus, calcitonin, calcineurin...),
# and the two letters after "calc" that start one of them, for the gate
_NOT_CALC_WORDS = _plain_words("not_calc")
if not all(w.startswith("calc") and len(w) >= 6 for w in _NOT_CALC_WORDS):
    raise lexicon.LexiconError("targets.yaml: not_calc: words must begin with 'calc' + 2 letters")
_NOT_CALC = tuple(sorted({w[4:6] for w in _NOT_CALC_WORDS}))

# what a sign names: a focus, a spot or an area ("echogenic, shadowing focus")
_DENSE_NOUN = rf"(?=(?:[ \t\n]+[a-z]+){{0,2}}?[ \t\n]+(?:{'|'.join(_DENSE_NOUNS)})\b)"
_ECHO_NOUN = rf"(?=(?:,?[ \t\n]+[a-z]+){{0,2}}?,?[ \t\n]+(?:{'|'.join(_ECHO_NOUNS)})\b)"
# Words run together with the target in hurried dictation ("5mmcalcification",
# "hepaticcalcification") still start a target; other letters before "calc" do not
# ("hypercalcaemia", "decalcified"). A digit run into the target ("2calcified foci",
# "segment6calcification") is a count or a label typed without its space: no English word
# has a digit before "calc", so the target starts there too.
_GLUE_WORDS = _plain_words("glue_words")
_GLUED_BEFORE = re_compile(rf"(?:{'|'.join(_GLUE_WORDS)})$", re.I)
_GLUE_LOOKBEHIND = "".join(f"|(?<={w})" for w in _GLUE_WORDS) + r"|(?<=\d)"
_CANDIDATE = lexicon.compiled(
    "targets.yaml",
    rf"(?:\b{_GLUE_LOOKBEHIND})(?:(?P<calc>(?:micro-?)?calc[a-z]*)"
    rf"|(?P<gran>{'|'.join(_GRANULOMA)})"
    rf"|(?P<phleb>{'|'.join(_PHLEBOLITH)})"
    rf"|(?P<dense>(?:{'|'.join(_DENSE)}){_DENSE_NOUN})"
    rf"|(?P<echo>(?:{'|'.join(_ECHO)}){_ECHO_NOUN}))",
    re.I,
)
_SIGN_START = lexicon.compiled(
    "targets.yaml",
    rf"\b(?:{'|'.join(_DENSE)}){_DENSE_NOUN}|\b(?:{'|'.join(_ECHO)}){_ECHO_NOUN}",
)
# Shadowing (or Doppler twinkling) marks calcification; "dirty" shadowing is gas.
_SIGN_STEMS = (*_DENSE_STEMS, *_ECHO_STEMS)
# "PAS" (capitals only) is posterior acoustic shadowing in ultrasound shorthand ("echogenic
# focus w/ PAS"); "pas"/"Pas" is another word.
# (literal first, the word boundary before it checked behind: a fast search)
_PAS = re_compile(r"PAS(?<!\wPAS)\b")
_SHADOWING = re_compile(r"(?<!dirty )\b(?:shadow(?:ing|s)?|twinkling|(?-i:PAS))\b", re.I)
_NO_SHADOWING = re_compile(
    r"\b(?:no|without|absent|lacks?|lacking)(?:[ \t\n]+[a-z]+){0,3}?[ \t\n]+(?:shadow|(?-i:PAS\b))",
    re.I,
)
# A fetal scan (named in the sentence or the 300 characters before it) and a liver word in
# the sentence: "echogenic focus in the fetal liver", "FETAL ABDOMEN: hepatic echogenic foci".
# Also the words of an obstetric scan that name no fetus: the estimated fetal weight
# ("EFW 1850 g"), prenatal/antenatal/obstetric, amniotic fluid, and a gestational age
# opening a line ("32 weeks: ...") or said as such ("22+3 weeks' gestation", "GA 28 weeks").
_FETAL = re_compile(
    r"\b(?:fetal|fetus|foetal|foetus|intra-?uterine|gestation(?:al)?|efw|prenatal|antenatal"
    r"|obstetric(?:al)?|amniotic)\b"
    r"|\bga[ \t:]+[1-4]\d[ \t]*(?:weeks?|wks?)\b"
    r"|^[ \t]*(?:1\d|2\d|3\d|4[0-2])(?:\+[0-6])?[ \t]*(?:weeks?|wks?)\b",
    re.I | re.M,
)
# the same cues as plain substrings, for the gate (a superset: the regex decides)
_FETAL_STEMS = (
    "fetal",
    "foetal",
    "fetus",
    "efw",
    "natal",
    "obstetric",
    "amniotic",
    "gestation",
    "week",
    "wks",
    "uterine",
)
_LIVER_WORD = re_compile(r"\b(?:liver|hepatic|intrahepatic)\b", re.I)
_FETAL_LOOKBACK = 300
_PLURAL_NOUN_AFTER = re_compile(
    r"(?:[ \t\n]+(?:hepatic|liver|small|tiny|punctate|coarse|dense|echogenic|hyperdense))?"
    r"[ \t\n]+(?:foci|lesions|nodules|densities|deposits|areas|spots|masses|opacities|cysts"
    r"|metastases|lymph)\b",
    re.I,
)
_CALCIUM_OK = re_compile(r"[ \t\n]{0,5}(?:deposit|densit|content|containing)", re.I)
_NON_PREFIX = re_compile(r"(?:\bnon|\bun)[- ]?$", re.I)


@dataclass(frozen=True, slots=True)
class Target:
    """One target word in a report: ``start``/``end`` are offsets into the report."""

    start: int
    end: int
    term: str
    kind: str  # calc | granuloma | phlebolith | dense | shadowing
    plural: bool


def _is_calc_word(word: str) -> bool:
    w = word.lower().removeprefix("micro").removeprefix("-")
    if w.startswith("calcinat"):
        return True  # "calcinate(s)": a calcification in Eastern European usage
    if w.startswith(_NOT_CALC_WORDS):
        return False
    if w.startswith("calcif") or w in ("calcific", "calc", "calcs"):
        return True
    # misspellings: calcfication, calcificaton, calcifcation, calcication, claci... keep
    # those with "fi"/"fy" or the "-cation" ending
    return len(w) >= 8 and (
        "fi" in w[4:] or "fy" in w[4:] or "fe" in w[5:] or w.endswith(("cation", "cations"))
    )


class _WordStarts:
    """Word starts for offsets asked in increasing order, in linear time overall.

    Walking back from every candidate to its word's start is quadratic on one long
    hyphen-joined "word" (``"calc-" * 40_000``: every candidate walks back to the
    start). Here the walk stops at the previous offset asked: if everything between
    them is letters or hyphens, both share the word start already found, so each
    character is looked at a bounded number of times. Example: in
    ``"calc-calc"`` offsets 0 and 5 both give 0, the second after looking at 5 chars.
    """

    __slots__ = ("_floor", "_last_core", "_last_i", "_text")

    def __init__(self, text: str, floor: int) -> None:
        self._text = text
        self._floor = floor
        self._last_i = -1
        self._last_core = -1

    def at(self, i: int) -> int:
        text, floor = self._text, self._floor
        stop = self._last_i if floor <= self._last_i <= i else floor
        ws = i
        while ws > stop and (text[ws - 1].isalpha() or text[ws - 1] == "-"):
            ws -= 1
        if ws == stop and stop == self._last_i and stop > floor:
            ws = self._last_core  # the run goes on past the previous offset: same word
        self._last_i, self._last_core = i, ws
        if ws - 5 >= floor and text[ws - 5 : ws].lower() == "high ":
            ws -= 5
        return ws


def _matches_at(text: str, start: int, end: int, positions: list[int]) -> list[re.Match[str]]:
    out: list[re.Match[str]] = []
    last_end = -1
    starts = _WordStarts(text, start)
    for k in range(bisect.bisect_left(positions, start), len(positions)):
        p = positions[k]
        if p >= end:
            break
        if p < last_end:
            continue
        ws = starts.at(p)
        if ws < last_end:
            ws = p  # "calc-calc": the hyphenated word began inside the previous match
        m = _CANDIDATE.match(text, ws, end)
        if (m is None or (ws > 0 and text[ws - 1].isalnum())) and p != ws:
            m = _CANDIDATE.match(text, p, end)  # "rim-calcified": the word after the hyphen
            if (
                m is not None
                and p > 0
                and text[p - 1].isalnum()
                and not _GLUED_BEFORE.search(text, max(0, p - 8), p)
            ):
                m = None
        elif m is not None and ws > 0 and text[ws - 1].isalpha():
            m = None  # (a digit before it is a glued count or label: "2calcified")
        if m is not None:
            out.append(m)
            last_end = m.end()
    return out


def find_targets(
    text: str, start: int, end: int, positions: list[int] | None = None
) -> list[Target]:
    """All targets in ``text[start:end]`` (one sentence), in order.

    With ``positions`` (from ``candidate_positions``) only those places are tried,
    which is faster than scanning the sentence.
    """
    out: list[Target] = []
    found = (
        _CANDIDATE.finditer(text, start, end)
        if positions is None
        else _matches_at(text, start, end, positions)
    )
    shadows: bool | None = None
    for m in found:
        s, e = m.start(), m.end()
        if m.group("calc") is not None:
            word = m.group("calc")
            lw = word.lower()
            if lw == "calcium":
                if not _CALCIUM_OK.match(text, e, min(end, e + 20)):
                    continue
            elif not _is_calc_word(word):
                continue
            if _NON_PREFIX.search(text, max(start, s - 4), s):
                continue  # noncalcified / non-calcified / uncalcified
            plural = lw.endswith("s") and not lw.endswith("ous")
            if not plural and lw.endswith(("ed", "ic")):
                # "calcific foci", "calcified liver lesions": the noun says how many
                noun = _PLURAL_NOUN_AFTER.match(text, e, min(end, e + 40))
                plural = noun is not None
            out.append(Target(s, e, word, "calc", plural))
        elif m.group("gran") is not None:
            word = m.group("gran")
            out.append(Target(s, e, word, "granuloma", word.lower() != "granuloma"))
        elif m.group("phleb") is not None:
            word = m.group("phleb")
            out.append(Target(s, e, word, "phlebolith", word.lower().endswith("s")))
        elif m.group("dense") is not None:
            word = m.group("dense")
            plural = text[e : e + 30].lower().split("foc", 1)[-1].startswith("i")
            out.append(Target(s, e, word, "dense", plural))
        else:
            word = m.group("echo")
            # an echogenic focus is a calcification only when it shadows, or in the fetal
            # liver (where shadowing is rarely seen and the focus is read as calcification)
            if shadows is None:  # once per sentence: many foci in one sentence stay linear
                shadows = bool(
                    _SHADOWING.search(text, start, end)
                    and not _NO_SHADOWING.search(text, start, end)
                )
            near_end = min(end, e + _FETAL_LOOKBACK)
            if shadows or (
                # (the liver may be the line's label: "Liver: single echogenic focus")
                _LIVER_WORD.search(text, max(0, s - _FETAL_LOOKBACK), near_end)
                and _FETAL.search(text, max(0, s - _FETAL_LOOKBACK), near_end)
            ):
                plural = text[e : e + 30].lower().split("foc", 1)[-1].startswith("i")
                out.append(Target(s, e, word, "shadowing", plural))
    return out


# every word a candidate needs, for the one-pass gate (``word_gate``), and the capital
# shorthand PAS as a whole word (a cased gate word, what ``_PAS`` finds)
PAS_WORD = "PAS"
CANDIDATE_GATE_WORDS = (
    "calc",
    *_DIRECT_STEMS,
    "echo",
    "shadow",
    "twinkl",
    *_FETAL_STEMS,
    "foc",
    *_SIGN_STEMS,
)


# a candidate needs one of these words (``might_have_candidates`` is false without them)
CANDIDATE_TRIGGERS = ("calc", *_DIRECT_STEMS, *_SIGN_STEMS)


def _signs_possible(has: Has, pas: Callable[[], bool]) -> bool:
    """Can an echogenic or dense sign be a target? Only next to a focus, or, for an
    echogenic one, with shadowing, twinkling, PAS (``pas()``) or a fetal scan's words."""
    return (
        has("echo")
        and (has("shadow") or has("twinkl") or any(has(w) for w in _FETAL_STEMS) or pas())
    ) or (has("foc") and (has("dens") or has("attenuat")))


def might_have_candidates(has: Has) -> bool:
    """False only when ``candidate_positions`` must find nothing.

    ``has(w)``: ``w`` occurs in the lower-cased text; ``has(PAS_WORD)``: "PAS" stands as a
    whole word. Example: a report whose only near word is "echocardiogram" -> False.
    """
    return (
        has("calc")
        or any(has(s) for s in _DIRECT_STEMS)
        # a sign target starts at one of the sign stems ("echocardiogram" holds none)
        or (any(has(s) for s in _SIGN_STEMS) and _signs_possible(has, lambda: has(PAS_WORD)))
    )


def candidate_positions(
    text: str, low: str | None = None, present: frozenset[str] | None = None
) -> list[int]:
    """Sorted offsets where a target may start; empty means the report has none.

    Works on ``text.lower()`` (``low``, when the caller has it) with ``str.find``; when
    lower-casing changes the length (a few non-ASCII letters do) it falls back to the
    regex so offsets stay exact. ``present``: the gate words ``word_gate`` found in the
    text, when the caller has them (they answer the sign gate without more scans).
    """
    low = text.lower() if low is None else low
    if len(low) != len(text):
        return [m.start() for m in _CANDIDATE.finditer(text)]
    out: list[int] = []
    # with ``present``, a word the gate did not see is not searched for at all
    i = low.find("calc") if present is None or "calc" in present else -1
    while i >= 0:
        rest = low[i + 4 : i + 7]
        if rest.startswith("ium"):
            if _CALCIUM_OK.match(low, i + 7, i + 27):
                out.append(i)
        elif not rest.startswith(_NOT_CALC) or rest == "ina":  # ("calcinate": a target)
            out.append(i)
        i = low.find("calc", i + 4)
    for stem in _DIRECT_STEMS:
        i = low.find(stem) if present is None or stem in present else -1
        while i >= 0:
            out.append(i)
            i = low.find(stem, i + len(stem))
    # the sign stems count only next to a focus, or to shadowing for an echogenic one
    if present is not None:
        signs = _signs_possible(present.__contains__, lambda: PAS_WORD in present)
    else:
        signs = _signs_possible(low.__contains__, lambda: _PAS.search(text) is not None)
    if signs:
        for stem in _SIGN_STEMS:
            starts = _WordStarts(low, 0)
            i = low.find(stem) if present is None or stem in present else -1
            while i >= 0:
                ws = starts.at(i)
                if _SIGN_START.match(low, ws):
                    out.append(ws)
                i = low.find(stem, i + len(stem))
    out.sort()
    return out
