"""Where in the liver: lobe, Couinaud segment (Arabic or Roman, 4a/4b), dome.

When only a segment is given the lobe follows from it with the functional
(Couinaud) division used in radiology reports: segment 1 is the caudate lobe,
2-4 the left, 5-8 the right. A stated lobe always wins over the derived one.
"""

from __future__ import annotations

import re

from hepcalc.model import Lobe, Location
from hepcalc.regex_cache import re_compile

_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "v": 5, "vi": 6, "vii": 7, "viii": 8}
_SPELLED = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
}  # fmt: skip
_SEG_TOKEN = r"[1-8]|viii|vii|vi|iv|v|iii|ii|i|one|two|three|four|five|six|seven|eight"
# "segment(s)" and the dictation typos "segement", "segmnet" (sizes and counts read it too)
SEGMENT_WORD = r"seg(?:e)?m(?:en|ne)ts?"
# A target word run into the number ("segment6calcification") still ends the segment; the
# common typo "segement 7" is a segment.
_SEG_END = r"(?:\b|(?=calc|granulom))"
# The numeral may come first, as in Romance and Slavic usage: "in VIII segment", "the 6th
# segment" (a bare Roman "I" is the pronoun, never a segment).
_PRE_TOKEN = r"viii|vii|vi|iv|v|iii|ii|[1-8](?:st|nd|rd|th)"
_SEGMENT = re_compile(
    rf"(?:\b|(?<=in)(?=seg)|(?<=of)(?=seg))(?:{SEGMENT_WORD}(?:[ \t]*:)?|seg\.?|s)[ \t]*"
    rf"(?P<num>{_SEG_TOKEN})(?P<sub>[ab])?{_SEG_END}"
    rf"(?:[ \t]*(?:/|and|or|-|,|&)[ \t]*(?:(?:segment|seg\.?|s)[ \t]*)?(?P<num2>{_SEG_TOKEN})"
    rf"(?P<sub2>[ab])?\b)?"
    rf"|(?<![\w/.-])(?P<pre>{_PRE_TOKEN})(?P<presub>[ab])?[ \t]+(?:hepatic[ \t]+|liver[ \t]+)?"
    r"seg(?:e)?m(?:en|ne)t\b"
    # a subsegment of 4 alone in parentheses ("the medial segment of the left lobe (4b)"):
    # only segment 4 is halved into a and b, so the label needs no "segment" word
    r"|(?<![\w(])\((?P<paren>4|iv)(?P<parensub>[ab])\)",
    re.I,
)
_LOBE = re_compile(
    # "rt lobe" / "lt. lobe": the side abbreviated, as in dictation
    r"\b(?P<side>right|left|rt|lt|(?-i:R|L))\.?(?:[ \t\n]+|-)"
    r"(?:hepatic[ \t\n]+|liver[ \t\n]+)?lobe\b"
    r"|\b(?P<glued>right|left)lobe\b"  # run together: "rightlobe"
    # a section or segment of a side ("left lateral section", "right posterior segment")
    r"|\b(?P<lateral>left|right)[ \t\n]+(?:lateral|medial|anterior|posterior)[ \t\n]+"
    r"(?:segment|section|sector)"
    r"|\b(?P<caudate>caudate)\b"
    r"|\b(?P<liver_side>right|left)[ \t\n]+(?:hemi-?)?liver\b"  # "right hemiliver"
    # "liver right", and a form's lobe field ("Lobe: right")
    r"|\b(?:lobe(?:[ \t]*[:=])?|liver)[ \t\n]+(?P<after>right|left)\b"
    r"|(?<![A-Za-z])(?P<letter>(?-i:R|L))(?=[ \t]+\d)",
    re.I,
)
_SIDE = {"r": "right", "l": "left", "rt": "right", "lt": "left"}
_DOME = re_compile(r"\bdome\b", re.I)
_SEGMENT_LOBE = {1: Lobe.caudate, 2: Lobe.left, 3: Lobe.left, 4: Lobe.left}


# A Couinaud label in its short form ("S8", "S4a", "SVII"), capital S: only the liver is
# divided into these. Not a spine level ("L5-S1", "S1-S2") nor "S1 nerve root".
# A slash list of labels ("S2/S5/S8") is one too when a member is beyond the sacrum (S6-S8):
# "S1/S2" stays a spine level.
_S_SLASH_LIST = (
    r"(?-i:S)[1-8][ab]?(?:/(?-i:S)[1-8][ab]?){0,6}/(?-i:S)[6-8]|(?-i:S)[6-8](?:/(?-i:S)[1-8])"
)
_S_LABEL = re_compile(
    rf"(?<![-/\w])(?:{_S_SLASH_LIST}"
    r"|(?-i:S)(?:[1-8][ab]?|VIII|VII|VI|IV[ab]?|V|III|II|I)"
    rf"{_SEG_END}(?![-/][A-Za-z]?\d)(?![ \t]+(?:nerve|root|vertebra|foram|level)))"
)
_SPINE_LEVEL_BEFORE = re_compile(r"\b[CTLS]\d{1,2}[ \t]*[-/][ \t]*$")
_MAX_LABELS = 8  # a clause names a handful of places; more is a list, not a label


def names_couinaud_label(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` places something by a short Couinaud label.

    Why: telegraphic reports write "S8: 6 mm signal void, ?calcification" with no liver
    word at all; the label itself says the liver. Example: "S8:6mm calc" -> True;
    "calcified disc at L5 - S1" -> False.
    """
    for k, m in enumerate(_S_LABEL.finditer(text, start, end)):
        if k >= _MAX_LABELS:
            break
        if not _SPINE_LEVEL_BEFORE.search(text, max(start, m.start() - 8), m.start()):
            return True
    return False


def _bare_s(tok: str) -> bool:
    """True for an "s" that is not a segment label: a bare "s" must look like S7, S4a or
    an upper-case Roman "SVII", not the plural "s" of a word."""
    if tok[0] not in "sS" or tok[:3].lower() == "seg":
        return False
    return not (tok[1:2].isdigit() or (tok[0] == "S" and tok[1:2] in ("I", "V")))


def _seg(token: str) -> int:
    t = token.lower()
    if t[:1].isdigit():
        return int(t[0])  # "6", "6th"
    return _ROMAN.get(t) or _SPELLED[t]


def _num(m: re.Match[str]) -> str:
    """The segment numeral of a ``_SEGMENT`` match, written after or before the noun."""
    return m.group("num") or m.group("pre") or m.group("paren")


def _sub(m: re.Match[str]) -> str | None:
    """The 4a/4b letter of a ``_SEGMENT`` match, wherever its numeral is."""
    return m.group("sub") or m.group("presub") or m.group("parensub")


# Any place word at all: one pass that lets ``find_location`` skip a window without one
# (and start its three searches at the first place word), so that a target with no place
# in its clause pays one search of its nearby text, not three.
_ANY_PLACE = re_compile(rf"(?:{_SEGMENT.pattern})|(?:{_LOBE.pattern})|(?:{_DOME.pattern})", re.I)


# A lobe in a ratio of lobes is a measurement of the liver's shape, not a place: "the
# caudate-to-right lobe ratio is 0.9", "caudate/right lobe ratio", "ratio of the caudate
# to the right lobe".
_RATIO_AFTER = re_compile(
    r"[ \t]*(?:(?:hepatic[ \t]+)?lobes?[ \t]*)?(?:ratio\b|(?:-|/|:|[ \t]to)[ \t-]*(?:the[ \t]+)?"
    r"(?:right|left|caudate|rt|lt)\b[^.;\n]{0,16}?\bratio\b)",
    re.I,
)
_RATIO_BEFORE = re_compile(
    r"ratio[ \t]+of[ \t]+(?:the[ \t]+)?(?:(?:right|left|caudate)[ \t]+(?:lobe[ \t]+)?(?:to|/)"
    r"[ \t]+(?:the[ \t]+)?)?$",
    re.I,
)


def _in_ratio(text: str, m: re.Match[str], end: int) -> bool:
    """True when the lobe matched by ``m`` is a term of a ratio of lobes."""
    if _RATIO_AFTER.match(text, m.end(), min(end, m.end() + 40)):
        return True
    return _RATIO_BEFORE.search(text, max(0, m.start() - 40), m.start()) is not None


def _lobes(text: str, start: int, end: int) -> list[re.Match[str]]:
    """The lobe matches of ``text[start:end]`` that name a place (not a ratio's term)."""
    return [m for m in _LOBE.finditer(text, start, end) if not _in_ratio(text, m, end)]


def find_location(text: str, start: int, end: int, anchor: int) -> Location:
    """The location stated in ``text[start:end]``; the mention nearest ``anchor`` wins."""
    first = _ANY_PLACE.search(text, start, end)
    if first is None:
        return Location()
    start = first.start()
    seg_match = None
    best = None
    for m in _SEGMENT.finditer(text, start, end):
        tok = m.group(0)
        # a bare "s" must look like S7/S4a, not the plural "s" of a word
        if _bare_s(tok):
            continue
        d = abs(m.start() - anchor)
        if best is None or d < best:
            best, seg_match = d, m
    lobe: Lobe | None = None
    best = None
    for m in _lobes(text, start, end):
        side = (
            m.group("side")
            or m.group("lateral")
            or m.group("liver_side")
            or m.group("after")
            or m.group("letter")
            or m.group("glued")
        )
        side = _SIDE.get(side.lower(), side.lower()) if side else side
        value = Lobe.caudate if m.group("caudate") else Lobe(side)
        d = abs(m.start() - anchor)
        if best is None or d < best:
            best, lobe = d, value
    segment = subsegment = None
    if seg_match is not None:
        segment = _seg(_num(seg_match))
        sub = _sub(seg_match)
        if sub and segment == 4:
            subsegment = sub.lower()
        if lobe is None:
            lobe = _SEGMENT_LOBE.get(segment, Lobe.right)
    dome = True if _DOME.search(text, start, end) else None
    return Location(lobe=lobe, segment=segment, subsegment=subsegment, dome=dome)


# a number followed by a unit, a range or a dimension is a size ("segment 6, 3-4 mm")
_UNIT_AFTER = re_compile(
    r"(?:[ \t]*(?:-|to|\u2013|x|\u00d7|by|\.)[ \t]*\d{1,4}){0,3}[ \t]*(?:mm|cm|millim|centim)",
    re.I,
)


# a further member of a segment list, written bare ("5, 6 and 7") or as a label like
# the first ("S2/S5/S8", "S2, S5 and S8"); ``last`` is the closing "and"/"or"/"&"
_MORE_SEGMENTS = re_compile(
    rf"[ \t]*(?:(?P<last>,?[ \t]*(?:and|or|&))|,|/)[ \t]*"
    rf"(?P<label>(?:segment|seg\.?|(?-i:S))[ \t]*)?(?P<num>{_SEG_TOKEN})[ab]?\b",
    re.I,
)
_CLOSING_GLUE = re_compile(
    r"[ \t]*,?[ \t]*(?:and|or|&)[ \t]*(?:(?:segment|seg\.?|s)[ \t]*)?\w", re.I
)


def segment_list(text: str, start: int, end: int) -> list[int]:
    """Every segment named in ``text[start:end]`` in order ("segments 6 and 7" -> [6, 7])."""
    out: list[int] = []
    consumed = start
    for m in _SEGMENT.finditer(text, start, end):
        tok = m.group(0)
        if _bare_s(tok) or m.start() < consumed:
            continue
        out.append(_seg(_num(m)))
        if m.group("num2") and not _UNIT_AFTER.match(text, m.end("num2")):
            out.append(_seg(m.group("num2")))  # (not "segment 6, 5 mm": that 5 is a size)
            if _CLOSING_GLUE.match(text, m.end("num"), m.start("num2") + 1) is None:
                glue = text[m.end("num") : m.start("num2")]
                labelled = any(c.isalpha() for c in glue)
                consumed = _more_segments(text, m.end(), end, out, labelled)
    return out


def _more_segments(text: str, pos: int, end: int, out: list[int], labelled: bool) -> int:
    """Append the further members of a segment list ("segments 5, 6 and 7", "S2/S5/S8",
    "S2, S5 and S8") to ``out`` and return where the list ends.

    Why: the member after the closing "and" ends the list, so in "S2, S5 and S8, 3, 5
    and 2 mm respectively" the 3 that follows is the first size, not a fourth segment;
    in a list of labels ("S3/S6, 2 and 4 mm") a bare number is not a label either; and a
    label member ("and S8") is read once, as part of the list.
    """
    for _ in range(6):
        more = _MORE_SEGMENTS.match(text, pos, end)
        if more is None or _UNIT_AFTER.match(text, more.end()):
            break
        if labelled and not more.group("label"):
            break
        out.append(_seg(more.group("num")))
        pos = more.end()
        if more.group("last"):
            break
    return pos


def joined_segments(text: str, start: int, end: int) -> list[int]:
    """Segments named together in one phrase ("segments 7 and 8", "segment 7/8"), the first
    such phrase only; a number followed by a unit is a size, not a segment ("segment four,
    3 mm")."""
    for m in _SEGMENT.finditer(text, start, end):
        if m.group("num2") and not _UNIT_AFTER.match(text, m.end("num2")):
            a, b = _seg(m.group("num")), _seg(m.group("num2"))
            if a != b:
                return [a, b]
    r = _SEGMENT_RANGE.search(text, start, end)
    if r is not None and not _UNIT_AFTER.match(text, r.end()):
        # "occupying segments 4 to 8": every segment of the range
        a, b = _seg(r.group(1)), _seg(r.group(2))
        if a < b:
            return list(range(a, b + 1))
    return []


_SEGMENT_RANGE = re_compile(
    rf"\b{SEGMENT_WORD}[ \t]*({_SEG_TOKEN})[ \t]*(?:to|through|thru)[ \t]*({_SEG_TOKEN})\b",
    re.I,
)


_LOBE_WORD = r"(?:right|left|caudate)"
_LIST_GLUE = r"[ \t\n]*(?:,[ \t\n]*and|,|and|&|/|as[ \t\n]+well[ \t\n]+as)[ \t\n]*"
_LOBE_LIST = re_compile(
    # "the right, left and caudate lobes", "right and left hepatic lobes"
    rf"\b(?P<list>{_LOBE_WORD}(?:{_LIST_GLUE}{_LOBE_WORD}){{1,2}})[ \t\n]+"
    r"(?:hepatic[ \t\n]+|liver[ \t\n]+)?lobes\b"
    # "the right lobe and (in) the caudate lobe"
    rf"|\b(?P<a>{_LOBE_WORD})[ \t\n]+(?:hepatic[ \t\n]+)?lobe{_LIST_GLUE}(?:(?:in|within)"
    rf"[ \t\n]+)?(?:the[ \t\n]+)?(?P<b>{_LOBE_WORD})(?:[ \t\n]+(?:hepatic[ \t\n]+)?lobe)?\b",
    re.I,
)
_LOBE_NAME = re_compile(_LOBE_WORD, re.I)


def lobe_list(text: str, start: int, end: int) -> list[Lobe]:
    """The distinct lobes of the first coordinated list of lobes, in order, or [].

    Example: "in the right, left and caudate lobes" -> [right, left, caudate];
    "in the right lobe and the caudate lobe" -> [right, caudate]; "both lobes" -> []
    (no lobe is named: the finding keeps no lobe).
    """
    m = _LOBE_LIST.search(text, start, end)
    if m is None:
        return []
    words = _LOBE_NAME.findall(m.group("list")) if m.group("list") else [m.group("a"), m.group("b")]
    out: list[Lobe] = []
    for w in words:
        lobe = Lobe(w.lower())
        if lobe not in out:
            out.append(lobe)
    return out if len(out) > 1 else []


def location_for_segment(segment: int) -> Location:
    """A location given only by its segment (lobe derived as in ``find_location``)."""
    return Location(lobe=_SEGMENT_LOBE.get(segment, Lobe.right), segment=segment)


def place_mentions(text: str, start: int, end: int) -> list[tuple[int, Location]]:
    """Each segment or lobe named in ``text[start:end]`` with its offset, in order.

    The second member of a joined pair counts as its own place ("the caudate lobe, segment
    3 and segment 8 measure 2, 4 and 6 mm respectively": three places for three sizes),
    unless a unit follows it ("segment 6, 5 mm": that 5 is a size).
    """
    out: list[tuple[int, Location]] = []
    for m in _SEGMENT.finditer(text, start, end):
        tok = m.group(0)
        if _bare_s(tok):
            continue
        out.append((m.start(), location_for_segment(_seg(_num(m)))))
        if m.group("num2") and not _UNIT_AFTER.match(text, m.end("num2")):
            out.append((m.start("num2"), location_for_segment(_seg(m.group("num2")))))
    seg_starts = {p for p, _ in out}
    for m in _lobes(text, start, end):
        if m.start() in seg_starts:
            continue
        side = (
            m.group("side")
            or m.group("lateral")
            or m.group("liver_side")
            or m.group("after")
            or m.group("letter")
            or m.group("glued")
        )
        side = _SIDE.get(side.lower(), side.lower()) if side else side
        out.append((m.start(), Location(lobe=Lobe.caudate if m.group("caudate") else Lobe(side))))
    out.sort(key=lambda pl: pl[0])
    return out
