"""Sentences and clauses inside a section.

Sentences end at ``. ! ?`` followed by white space (so "1.4 cm" stays whole),
at a blank line, and at a line break followed by a capital, a digit or a bullet
(telegraphic and list-style reports put one finding per line). A few
abbreviations ("vs.", "approx.") do not end a sentence.

Clauses split a sentence where its subject or polarity can change: ``;``,
"but", "however", "although", "whereas", ", with a ...", and "and" followed by
a new noun phrase ("... in segment 6 and a 3 mm calcification ..."). Negation
and size lists are scoped to a clause, which is what keeps "no mass, but a
punctate calcification" from being read as negated.
"""

from __future__ import annotations

import re

from hepcalc.regex_cache import re_compile

# (also a run-together full stop between words: "granuloma.The spleen"). A "?" ends a
# sentence when it closes a word ("Is it calcified? No."), or stands after a word and a
# space before a capital ("calcified ? The spleen"); one that opens a query after a comma,
# a dash or a space ("4 mm focus in segment 2, ? calcification", "- ? granuloma") hedges
# what follows inside the sentence.
#
# Every alternative starts with its literal character (the look-behinds come after it), so
# the regex engine scans for the five end characters in C instead of trying the whole
# pattern at every offset: about 10x faster than with a leading look-behind.
_SENTENCE_END = re_compile(
    r"\.(?=\s|,[ \t]*[A-Z])|!(?=\s|,[ \t]*[A-Z])"
    # (not "a calcified nodule? in segment 2": a word queried mid-sentence, lower case after)
    r"|\?(?<![\s,;:(\-\u2013]\?)(?=\s*\Z|\s+(?!\s*[a-z])|,[ \t]*[A-Z])"
    r"|\?(?<=[^\s,;:(\-\u2013][ \t]\?)(?=\s+[A-Z])"
    r"|\.(?<=[a-z]{2}\.)(?=[A-Z][a-z])"
    r"|\n[ \t]*(?=\n|[A-Z0-9\u2022*\-|#])|\n[ \t]*\n"
)
# ("rt."/"lt." are right/left in dictation: "calcification lt. lobe 3 mm")
_ABBREVIATIONS = frozenset(
    {"vs", "approx", "e.g", "i.e", "eg", "ie", "dr", "seg", "no", "fig", "calc", "prev", "incl"}
    | {"rt", "lt"}
)

# a further group counted in a number the noun is left out after: "and 3 in the right
# lobe", "while 5 are seen in segment 2", "and six within the left lobe"
_COUNTED_GROUP = (
    r"(?:five|six|seven|eight|nine|ten|[2-9])[ \t\n]+(?:(?:more|others?)[ \t\n]+)?"
    r"(?:(?:are|lie)[ \t\n]+)?(?:seen[ \t\n]+)?(?:in|within)\b"
)
_BUT = r"(?:but|however|although|though|whereas|except)\b"


def _and_new(group: str) -> str:
    """ "and" before a new noun phrase or a counted group (captured as ``group``)."""
    return (
        r"and[ \t\n]+(?=(?:a|an|one|two|three|four|several|multiple"
        r"|few|numerous|scattered|another|there|no|additional)\b"
        rf"|(?P<{group}>{_COUNTED_GROUP}))"
    )


# A white-space run that starts here: the character just read is white space and the one
# before it is not.
_RUN = r"(?<=[ \t\n])(?<![ \t\n][ \t\n])[ \t\n]*"
# The pattern starts with the class of its first characters and tells the alternatives
# apart by looking behind, so the regex engine scans for ";", "," and white space in C
# instead of trying every alternative at every offset (a split of the same clauses as
# ",?(?<![ \t\n])[ \t\n]+but..." written plainly, about 3x faster).
_CLAUSE_SPLIT = re_compile(
    r"[;, \t\n](?:"
    # a ";" before a field of the same record ("segment 7; size 1.4 cm; T2: bright;
    # calcification: coarse") does not start a new clause, unless the field is negative,
    # nor before the next dated size of a series ("2020 4 mm; 2022 5 mm; today 7 mm")
    r"(?<=;)(?![ \t]*(?:sizes?|measur\w*|diameter|dimensions?)\b"
    r"|[ \t]*(?:(?:19|20)\d\d|today|now)[ \t:=\-]*\d"
    r"|[ \t]*[A-Za-z][A-Za-z0-9 ]{0,24}:(?![ \t]*(?:none|no|absent|negative)\b))"
    # ", but", " but", ", however" ...
    rf"|(?<=,)[ \t\n]+{_BUT}|{_RUN}{_BUT}"
    # ", with a ...", ", which two ...", ", while 3 are seen in ..."
    r"|(?<=,)[ \t\n]+(?=(?:with|while|which)[ \t\n]+(?:a|an|one|two|three|several|multiple|few|"
    rf"scattered|punctate|coarse|dense|small|tiny|stable|new)\b|while[ \t\n]+(?P<group>"
    rf"{_COUNTED_GROUP}))"
    # ", and a ...", " and another ...", " and 3 in ..."
    rf"|(?<=,)[ \t\n]+{_and_new('group2')}|{_RUN}{_and_new('group3')})",
    re.I,
)
_COUNTED_GROUPS = ("group", "group2", "group3")

_STRIP = " \t\r\n,:;-\u2013\u2014*\u2022"

# Structured templates describe one finding as a run of "Key: value" fields, each ending
# with a full stop or a line break ("Calcification: present. Size: 7 mm. Location: S7.").
# A field whose key names an attribute of a finding continues the record before it, so
# the run is read as one sentence and the size finds its calcification.
_FIELD = re_compile(r"[A-Za-z][A-Za-z0-9 /()\-]{0,40}:[ \t]*\S")
_ATTRIBUTE_FIELD = re_compile(
    r"(?:size|sizes|measurements?|diameter|dimensions?|location|site|segments?|lobe|pattern"
    r"|morphology|type|calcification|appearance|characteristics?|margins?|enhancement"
    r"|comparison|change|interval[ \t]+change|prior(?:[ \t]+size)?|previous(?:[ \t]+size)?"
    r"|number|count|description)[ \t]*:",
    re.I,
)
_FIELD_MAX_CHARS = 80


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """``text[start:end]`` without leading ``_STRIP`` and trailing blanks, "," and ";"."""
    part = text[start:end]
    kept = part.lstrip(_STRIP)
    start += len(part) - len(kept)
    return start, start + len(kept.rstrip(" \t\r\n,;"))


def split_sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Sentence spans (offsets into ``text``) covering ``text[start:end]``, empty ones dropped."""
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _SENTENCE_END.finditer(text, start, end):
        p = m.start()
        if text[p] == ".":
            before = text[max(cur, p - 8) : p]
            if before and before[-1].isalpha():
                word = before.rsplit(None, 1)[-1].lower() if before.strip() else ""
                if word.lstrip("([{'\"") in _ABBREVIATIONS:  # "(prev. 9 mm)"
                    continue
            elif before and before[-1].isdigit() and text[cur:p].strip().isdigit():
                continue  # "1. Calcified granuloma": a list number, not a sentence
        cut = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        s, e = _trim(text, cur, cut)
        if s < e:
            spans.append((s, e))
        cur = m.end()
    s, e = _trim(text, cur, end)
    if s < e:
        spans.append((s, e))
    return _join_field_runs(text, spans)


def _join_field_runs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Merge a "Key: value" field into the field before it when its key is an attribute."""
    out: list[tuple[int, int]] = []
    previous_is_field = False
    for s, e in spans:
        is_field = e - s <= _FIELD_MAX_CHARS and _FIELD.match(text, s) is not None
        if out and previous_is_field and is_field and _ATTRIBUTE_FIELD.match(text, s):
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
        previous_is_field = is_field
    return out


# a segment number right before "and 6 in ...": "segments 5 and 6 in the right lobe" is one
# list of segments, not a second counted group
_SEGMENT_NUMBER_BEFORE = re_compile(
    r"(?:seg[a-z]*\.?|s)[ \t]*(?:[1-8]|[ivx]{1,4})[ab]?[ \t,]*$", re.I
)


# "a 3 mm and a 4 mm focus": a size list with the article repeated, one noun after it
_SIZE_BEFORE = re_compile(
    r"(?:^|[ \t(])an?[ \t]+\d{1,3}(?:\.\d{1,2})?[ \t]*-?(?:mm|cm)[ \t]*,?[ \t]*$", re.I
)
_ARTICLE_SIZE_AFTER = re_compile(r"an?[ \t]+\d", re.I)


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans inside one sentence span."""
    spans: list[tuple[int, int]] = []
    cur = start
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        if any(m.group(g) for g in _COUNTED_GROUPS) and _SEGMENT_NUMBER_BEFORE.search(
            text, max(cur, m.start() - 16), m.start()
        ):
            continue
        if _ARTICLE_SIZE_AFTER.match(text, m.end(), end) and _SIZE_BEFORE.search(
            text, max(cur, m.start() - 16), m.start()
        ):
            continue
        s, e = _trim(text, cur, m.start())
        if s < e:
            spans.append((s, e))
        cur = m.end()
    s, e = _trim(text, cur, end)
    if s < e:
        spans.append((s, e))
    return spans
