"""Sizes in a clause: numbers with units, in millimetres, current or prior.

Handled shapes: "5 mm", "0.6cm", "5-mm", "1,2 cm" (a decimal comma when no space
follows it and the unit does; "1, 2 cm" is a list), "2.3 x 1.8 cm" and
"2.3 x 1.8 x 1.1 cm" (the longest diameter),
"3-5 mm" / "3 to 5 mm" (a range: the upper bound, as "up to"), "1.4 and 0.9 cm"
(a list sharing one unit: two sizes), and priors: a size after "previously",
"prior", "was", "from", "compared to/with", or before "on (the) prior/previous"
is the earlier measurement, not the current one ("now 19 mm (previously 12 mm)").

The measurement pattern has bounded repetition only ({0,2} dimensions), so it is
linear in the clause length.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

from hepcalc.model import MAX_SIZE_MM
from hepcalc.regex_cache import re_compile
from hepcalc.reports.locations import SEGMENT_WORD

# "0,3" (a decimal comma: no list starts with 0) and ".3" are decimals too, and so is
# "1,2 cm": a comma with no space, one or two digits and then the unit (a list of sizes
# is written "1, 2 cm" or "1 and 2 cm"; European reports write decimals with a comma)
_NUM = r"(?:0,\d{1,3}|\d{1,2},\d{1,2}(?=[ \t]*(?:mm|cm)\b)|\d{1,4}(?:\.\d{1,3})?|\.\d{1,3})"
_UNIT = r"(?P<unit>mms?|cms?|millimet(?:er|re)s?|centimet(?:er|re)s?)(?:\b|(?=calc))"  # "5mmcalc"
# A plane label written with each dimension ("9 mm (AP) x 14 mm (CC)", "4 mm AP x 7 mm TR",
# "AP 9 x CC 14 mm"): the dimensions still make one measurement, whose longest is the size.
_PLANE = (
    r"(?:\((?:ap|tr|trv|trans|cc|si|ml|lr|ax|axial|cor|coronal|sag|sagittal|long|l|w|h|d)\)"
    r"|(?-i:AP|TR|TRV|CC|SI|ML|LR))"
)
# A number run on from a capital is a label ("S3 - 2 mm", "T2 3 mm"), never a size's start.
_MEASURE = re_compile(
    rf"(?<![\d.])(?<!(?-i:[A-Z]))(?P<first>{_NUM})"
    rf"(?P<dims>(?:[ \t]*(?:(?:mm|cm)[ \t]*)?(?:{_PLANE}[ \t]*)?(?:x|\u00d7|by)[ \t]*"
    rf"(?:{_PLANE}[ \t]*)?{_NUM}){{0,2}})"
    rf"(?:[ \t]*(?:-|to|\u2013)[ \t]*(?P<upper>{_NUM}))?"
    rf"[ \t]*(?:-[ \t]*)?{_UNIT}",
    re.I,
)
_DIM_NUM = re_compile(_NUM)
# right after a current size: "(previously 4)", ", up from 4", "(was 0.4)" -- no unit
_BARE_PRIOR = re_compile(
    r"[ \t]*[,(;]?[ \t]*(?:up[ \t]+|down[ \t]+)?(?:previously|prior|prev\.?|was|from|formerly"
    r"|vs\.?|versus)[ \t:]*(\d{1,4}(?:\.\d{1,3})?)(?!\.?\d)"
    r"(?=[ \t]*(?:[).,;]|$|(?:in|on|at)\b))",
    re.I,
)
_WORD_NUMBERS = {
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10,
}  # fmt: skip
_WORD_MEASURE = re_compile(
    r"\b(one|two|three|four|five|six|seven|eight|nine|ten)[ \t-]+"
    r"(mm|cm|millimet(?:er|re)s?|centimet(?:er|re)s?)\b",
    re.I,
)
# "1.4 and 0.9 cm", "1.4, 1.1 and 0.9 cm": bare numbers sharing the unit that follows
_BARE_LIST = re_compile(rf"(?<![\d.])({_NUM})[ \t]*(?:,|and|&|\+|,[ \t]*and)[ \t]*$", re.I)
# a past date: "2023", "03/2024", "March 2023", "11/2023"
_DATE = r"(?:[a-z]{3,9}\.?[ \t]+)?(?:\d{1,2}/)?(?:19|20)\d\d"
_PRIOR_BEFORE = re_compile(
    r"(?:(?:previous(?:ly)?|prior|prev\.?)(?:[ \t]+(?:described|noted|seen|reported|demonstrated"
    r"|measured|identified|scan|study|exam|examination|ct|mri|us|ultrasound|imaging|size"
    r"|measurement|diameter|dimension))?"
    r"|formerly|earlier|was|were|from|compared[ \t]+(?:to|with)|before|than[ \t]+the|baseline"
    r"|versus|vs\.?|then|had[ \t]+measured|measured)[ \t:(]*(?:measuring|measured|at)?[ \t:(]*$"
    # a prior label or a past date just before: "Size (prior, 2023): 6 mm", "Size prior
    # (2024): 13 mm", "unchanged from 2024 (8 mm)"
    rf"|(?:prior|previous|prev\.?|from)[ \t]*[,(]?[ \t]*{_DATE}[ \t]*\)?[ \t]*[:=(][ \t]*$"
    # a dated size in brackets right after today's: "4 mm (2023: 4 mm)", "6 mm (03/2022 = 5 mm)"
    rf"|\d[ \t]*(?:mm|cm)[ \t]*[,;]?[ \t]*\([ \t]*{_DATE}[ \t]*[:=][ \t]*$",
    re.I,
)
_PRIOR_AFTER = re_compile(
    r"^[ \t)]*(?:on|in|at)[ \t]+(?:the[ \t]+)?(?:prior|previous|earlier|last|preceding)\b"
    r"|^[ \t]*(?:measured[ \t]+|seen[ \t]+|noted[ \t]+)?(?:previously|prev\.?|earlier|before)"
    r"(?![a-z])|^[ \t]*\)?[ \t]*(?:prior|before)\b"
    r"|^[ \t,]*(?:in|on)[ \t]+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b"
    r"|^[ \t,]*(?:last[ \t]+year|a[ \t]+year[ \t]+ago|\d{1,2}[ \t]+(?:months?|years?)[ \t]+ago)"
    r"|^[ \t,]*(?:in[ \t]+|on[ \t]+)?(?:19|20)\d\d\b|^[ \t,]*(?:in|on)[ \t]+\d{1,2}/"
    # an earlier exam named by its year: "(10 mm on the 2023 CT)"
    r"|^[ \t)]*(?:on|in|at)[ \t]+(?:the[ \t]+)?(?:19|20)\d\d[ \t]+(?:ct|mri?|us|ultrasound"
    r"|sonogram|study|exam|examination|scan|imaging)\b"
    r"|^[ \t,]*\d{1,2}/(?:\d{1,2}/)?(?:19|20)?\d\d\b",
    re.I,
)
# the earlier exam named after the size: "the same 8 mm as last year", "identical to its 6.5
# mm size on the study of 03/2022", "as on the previous scan"
_PRIOR_EXAM_AFTER = re_compile(
    r"[ \t,]*(?:as|than)[ \t]+(?:(?:on|in|at)[ \t]+)?(?:the[ \t]+)?"
    r"(?:last|prior|previous|earlier|preceding)\b"
    r"|[ \t,]*(?:size|measurement|diameter)?[ \t]*(?:on|in|at)[ \t]+(?:the[ \t]+)?"
    rf"(?:study|exam|examination|scan|ct|mri?|us|ultrasound)[ \t]+(?:of|from|dated)[ \t]+{_DATE}",
    re.I,
)
# a size in brackets after a no-change phrase restates the earlier one: "no change in size
# (5.2 cm)", "unchanged (3 mm at 20 weeks)", "no change compared with 2018 (3 cm)"
NO_CHANGE_BRACKET = re_compile(
    r"(?:no[ \t]+(?:interval[ \t]+|significant[ \t]+)?change|unchanged|stable)"
    r"(?:[ \t]+in[ \t]+(?:size|appearance))?"
    rf"(?:[ \t]+(?:from|since|compared[ \t]+(?:to|with))[ \t]+{_DATE})?[ \t]*\([ \t]*$",
    re.I,
)
_CURRENT_BEFORE = re_compile(
    r"(?:now|currently|today|(?<!compared )(?<!relative )(?<!similar )(?<!equal )to)"
    r"[ \t:(]*(?:measuring|measures)?[ \t]*$",
    re.I,
)
# a size dated right after it: "0.5 cm on 11/2023", "9 mm in March 2022"
_DATED_AFTER = re_compile(rf"[ \t,]*(?:in|on)[ \t]+{_DATE}(?!\d)", re.I)
# "1.2 cm vs 1.5 cm": a size compared with the one after it is the current one
_VERSUS_NEXT = re_compile(r"[ \t]*(?:vs\.?|versus)[ \t]+\d", re.I)
# "increased by 3 mm", "grew by 2 mm": a change, not a size
_INCREMENT = re_compile(r"\bby[ \t]*$", re.I)
_NOT_A_MEASURE = re_compile(
    r"(?:less[ \t]+than|smaller[ \t]+than|under|below|<|sub-?)[ \t]*$|(?:<|(?<![-=])>)[ \t]*$",
    re.I,
)
_LABEL_NUMBER = re_compile(
    rf"\b(?:{SEGMENT_WORD}|seg\.?|s|image|images|series|level|grade|lr|#|no\.?)[ \t]*$"
    # a member of an open segment list: "segment 6, 5 mm", "segments 2, 6 and 7, 4 and 3 mm"
    # (the 7; but the 4 after the closing "and 7" is a size)
    rf"|\b(?:{SEGMENT_WORD}|seg\.?)[ \t]*(?:[1-8]|[ivx]{{1,4}})[ab]?"
    r"(?:[ \t]*(?:,|/|-)[ \t]*(?:[1-8]|[ivx]{1,4})[ab]?){0,6}[ \t]*(?:,|and|or|&|/|-)[ \t]*$",
    re.I,
)
# An organ's own size is not a lesion's: "liver 15cm", "the liver measures 16.5 cm",
# "hepatic span of 17 cm", "spleen is 11 cm in length", "liver span: 14 cm".
_ORGAN_SIZE_BEFORE = re_compile(
    r"\b(?:liver|spleen|kidneys?|hepatic|splenic|renal)"
    r"(?:[ \t]+(?:span|length|size|diameter))?"
    # "liver normal in size 14 cm", "liver normal size 15cm", "spleen is mildly enlarged, 14 cm"
    r"(?:[ \t]+(?:(?:is|was)[ \t]+)?(?:(?:mildly|markedly|not)[ \t]+)?(?:normal|enlarged|upper"
    r"[ \t]+normal)(?:[ \t]+(?:in[ \t]+)?size)?[ \t]*,?)?"
    r"[ \t]*(?:(?:is|was|measures|measured|measuring"
    r"|of|at|spans?|:|=)[ \t]*){0,2}(?:approximately|approx\.?|about|~)?[ \t]*$"
    r"|\b(?:span|craniocaudal(?:[ \t]+(?:length|span|dimension))?)"
    r"[ \t]*(?:(?:is|of|measures|measuring|:|=)[ \t]*){0,2}(?:approximately|about|~)?[ \t]*$",
    re.I,
)
# A duct's, vessel's or fetal structure's own measurement is never a lesion's, whatever its
# size: "CBD 4 mm", "the portal vein measures 11 mm", "(atrium 11 mm)", "NT 1.8 mm"
_STRUCTURE_SIZE_BEFORE = re_compile(
    r"\b(?:cbd|common[ \t]+(?:bile[ \t]+)?duct|(?:common[ \t]+)?hepatic[ \t]+duct|chd"
    r"|pancreatic[ \t]+duct|portal[ \t]+vein|main[ \t]+portal[ \t]+vein|mpv|splenic[ \t]+vein"
    r"|aorta|aortic[ \t]+diameter|ivc|(?:lateral[ \t]+)?ventricular[ \t]+atrium|atrium"
    r"|atrial[ \t]+width"
    r"|nt|nuchal(?:[ \t]+(?:translucency|fold))?|bpd|hc|ac|fl|crl|efw|afi|mvp|cisterna[ \t]+magna"
    r"|cervical[ \t]+length|endometri(?:um|al)(?:[ \t]+thickness)?|(?:gallbladder[ \t]+)?wall"
    r"[ \t]+thickness|renal[ \t]+pelvis|apd|appendix)"
    r"[ \t]*(?:(?:diameter|width|thickness|size|caliber|calibre)[ \t]*)?(?:(?:is|was|measures?"
    r"|measuring|measured|of|at|:|=)[ \t]*){0,2}(?:approximately|approx\.?|about|~)?[ \t]*$",
    re.I,
)
# ... and at least this long (the smallest normal adult spleen or kidney is longer), so
# "a calcification in the liver measuring 5 mm" keeps its size.
_ORGAN_SIZE_MIN_MM = 60.0
# ... unless the organ is only where something else lies: "a mass in the right lobe of the
# liver measuring 8.4 x 7.9 x 9.1 cm" measures the mass (the participle follows a place).
_ORGAN_AS_PLACE = re_compile(
    r"\b(?:of|in|within)[ \t]+the[ \t]+(?:liver|spleen|kidneys?)[ \t]+measuring[ \t]*"
    r"(?:approximately|approx\.?|about|~)?[ \t]*$",
    re.I,
)
_ORGAN_SIZE_AFTER = re_compile(
    r"^[ \t]*(?:in[ \t]+)?(?:craniocaudal|cc|span|in[ \t]+length|long\b|length)", re.I
)
_BARE_VERSUS = re_compile(rf"(?<![\d.])({_NUM})[ \t]*(?:vs\.?|versus)[ \t]*$", re.I)
_ARROW = re_compile(r"[ \t]*(?:->|-->|=>|\u2192|>)[ \t]*")
# "increased (in size) from 12 to 19 mm" is a change; "ranging (in size) from 1 to 3 mm",
# "varying from" is a range of several (its upper end, as "up to")
_FROM_BEFORE = re_compile(r"\bfrom[ \t]*$", re.I)
# "ranging (in size) from 1 to 3 mm", "varying from 2 to 4 mm": a range, not a change
_RANGE_FROM_BEFORE = re_compile(
    r"\b(?:rang(?:e|es|ed|ing)|var(?:y|ies|ied|ying)|measuring)(?:[ \t]+in[ \t]+size)?"
    r"[ \t]+from[ \t]*$",
    re.I,
)
_LARGEST = re_compile(
    r"(?:largest|larger|biggest|up[ \t]+to|maximum|max|exceeding)\b[^.;]{0,30}$", re.I
)
# (searched in a window ending at a size: "the largest ... 5 mm" of one item of a list,
# whose own ``largest`` flag may have been set by the item before)
LARGEST_BEFORE = _LARGEST
# "the larger 5 mm" says there are several; "slightly larger at 7 mm" compares with before
_SUPERLATIVE = re_compile(r"(?:largest|the[ \t]+larger|biggest)\b[^.;]{0,30}$", re.I)
# "between 1 and 3 mm", "between 2 mm and 4 mm": a range, its upper end (as "up to"); the
# lower bound is no size of its own and the pair is no list of two
_BETWEEN_UPPER = re_compile(
    rf"\bbetween[ \t]+{_NUM}[ \t]*(?:{_UNIT})?[ \t]*(?:and|&|-)[ \t]*$", re.I
)
_BETWEEN_LOWER_HEAD = re_compile(r"\bbetween[ \t]*$", re.I)
_BETWEEN_LOWER_TAIL = re_compile(rf"[ \t]*(?:and|&)[ \t]*{_NUM}[ \t]*(?:-[ \t]*)?{_UNIT}", re.I)


@dataclass(frozen=True, slots=True)
class Size:
    """One measurement: ``mm`` is the longest diameter; ``prior`` marks an earlier size."""

    start: int
    end: int
    mm: float
    prior: bool
    largest: bool  # "the largest 3 mm", "up to 5 mm": the size of the biggest of several
    superlative: bool = False  # "the largest/larger": says there are several


def _float(number: str) -> float:
    """ "0,3" -> 0.3, ".3" -> 0.3, "12" -> 12.0."""
    return float(number.replace(",", "."))


def _unit_factor(text: str, start: int, end: int) -> float:
    """10 when the measurement at ``text[start:end]`` is in centimetres, else 1."""
    m = _MEASURE.match(text, start, end)
    return 10.0 if m is not None and m.group("unit").lower().startswith("c") else 1.0


def _to_mm(value: float, unit: str) -> float:
    factor = 10.0 if unit.lower().startswith("c") else 1.0
    return round(value * factor, 3)


def mm_of(number: str, unit: str) -> float:
    """A number as written and its unit in millimetres ("0,7", "cm" -> 7.0), rounded as
    every size the reader finds is, so that sizes read in different places compare equal."""
    return _to_mm(_float(number), unit)


def _change_sizes(text: str, m: re.Match[str], unit: str) -> list[Size]:
    """ "increased from 12 to 19 mm": a change (prior, then current), not a range."""
    out: list[Size] = []
    before = _to_mm(_float(m.group("first")), unit)
    if 0 < before < MAX_SIZE_MM:
        out.append(Size(m.start(), m.start("upper"), before, True, False))
    mm = _to_mm(_float(m.group("upper")), unit)
    if 0 < mm < MAX_SIZE_MM:
        out.append(Size(m.start("upper"), m.end(), mm, False, False))
    return out


def _bare_list_sizes(
    text: str, start: int, s: int, unit: str, prior: bool, largest: bool
) -> list[Size]:
    """Bare numbers before a measure that share its unit: "1.4 and 0.9 cm", in text order."""
    extra: list[Size] = []
    cursor = s
    while True:
        b = _BARE_LIST.search(text, max(start, cursor - 16), cursor)
        if b is None or _LABEL_NUMBER.search(text, max(start, b.start(1) - 40), b.start(1)):
            break  # "segment 6, 5 mm": the 6 names a segment, it is not a size
        v = _to_mm(_float(b.group(1)), unit)
        if 0 < v < MAX_SIZE_MM:
            extra.append(Size(b.start(1), b.end(1), v, prior, largest))
        cursor = b.start(1)
    return list(reversed(extra))


def _list_is_prior(text: str, start: int, s: int, unit: str) -> bool:
    """True when a prior label stands before a bare list that ends at this measure:
    "(prev 1.5, 1.0cm)" -> both are the earlier sizes."""
    found = _bare_list_sizes(text, start, s, unit, False, False)
    if not found:
        return False
    first = found[0].start
    return _PRIOR_BEFORE.search(text, max(start, first - 40), first) is not None


def _measure_sizes(text: str, start: int, end: int, m: re.Match[str]) -> list[Size]:
    """The sizes one measure match stands for (none when it bounds, changes or is an organ)."""
    unit = m.group("unit")
    numbers = [_float(m.group("first"))]
    numbers += [_float(x) for x in _DIM_NUM.findall(m.group("dims") or "")]
    if m.group("upper"):
        numbers.append(_float(m.group("upper")))
    mm = _to_mm(max(numbers), unit)
    s = m.start()
    head = text[max(start, s - 40) : s]
    if _NOT_A_MEASURE.search(head) or _INCREMENT.search(head):
        return []  # "less than 2 mm" bounds a size, "grew by 2 mm" changes one
    if _BETWEEN_LOWER_HEAD.search(head) and _BETWEEN_LOWER_TAIL.match(text, m.end(), end):
        return []  # "between 2 mm and 4 mm": the lower bound of a range
    if _STRUCTURE_SIZE_BEFORE.search(head):
        return []  # "CBD 4 mm", "(atrium 11 mm)": a structure's own measurement
    if mm >= _ORGAN_SIZE_MIN_MM and (
        (_ORGAN_SIZE_BEFORE.search(head) and not _ORGAN_AS_PLACE.search(head))
        or _ORGAN_SIZE_AFTER.match(text, m.end(), end)
    ):
        return []  # "liver 15cm", "spleen measures 11 cm", "16 cm in craniocaudal length"
    between = _BETWEEN_UPPER.search(head) is not None
    range_from = _RANGE_FROM_BEFORE.search(head) is not None
    ranged = between or (m.group("upper") is not None and range_from)
    if m.group("upper") and _FROM_BEFORE.search(head) and not ranged:
        return _change_sizes(text, m, unit)
    out: list[Size] = []
    tail = text[m.end() : min(end, m.end() + 30)]
    # "varying from 1 mm to 3 mm": the range's "from" is no prior either
    prior = (
        bool(
            (_PRIOR_BEFORE.search(head) and not ranged)
            or _PRIOR_AFTER.search(tail)
            or _PRIOR_EXAM_AFTER.match(text, m.end(), min(end, m.end() + 48))
        )
        and not range_from
    )
    # "now 6 mm"; "(1.2 cm vs 1.5 cm in January)": the first is now; but "7 mm today
    # (0.5 cm on 11/2023)": the "today" is the size before's
    if (
        prior
        and not _DATED_AFTER.match(tail)
        and (_CURRENT_BEFORE.search(head[-12:]) or _VERSUS_NEXT.match(tail))
    ):
        prior = False
    largest = bool(_LARGEST.search(head)) or ranged
    superlative = bool(_SUPERLATIVE.search(head))
    vs = _BARE_VERSUS.search(text, max(start, s - 16), s)
    if vs is not None:
        # "6 vs 4 mm": the first number is now, the second the prior (same unit)
        now = _to_mm(_float(vs.group(1)), unit)
        if 0 < now < MAX_SIZE_MM:
            out.append(Size(vs.start(1), vs.end(1), now, False, False))
        prior = True
    if not between and not prior and not range_from and _list_is_prior(text, start, s, unit):
        prior = True  # "(prev 1.5, 1.0cm)"
    if not between:
        out += _bare_list_sizes(text, start, s, unit, prior, largest)
    if 0 < mm < MAX_SIZE_MM:
        out.append(Size(s, m.end(), mm, prior, largest, superlative))
    return out


def _bare_priors(text: str, end: int, found: list[Size]) -> list[Size]:
    """ "6 mm (previously 4)", "6 mm, up from 4": a unitless prior in the same unit."""
    out: list[Size] = []
    for z in found:
        if z.prior:
            continue
        bare = _BARE_PRIOR.match(text, z.end, min(end, z.end + 40))
        if bare is not None:
            factor = _unit_factor(text, z.start, z.end)
            v = round(_float(bare.group(1)) * factor, 3)
            if 0 < v < MAX_SIZE_MM:
                out.append(Size(bare.start(1), bare.end(1), v, True, False))
    return out


def find_sizes(text: str, start: int, end: int) -> list[Size]:
    """All sizes in ``text[start:end]`` in order; out-of-range values are dropped."""
    out: list[Size] = []
    for m in _MEASURE.finditer(text, start, end):
        out += _measure_sizes(text, start, end, m)
    out += _bare_priors(text, end, out)
    for w in _WORD_MEASURE.finditer(text, start, end):
        # "three millimetres": a spelled size (rare; never a prior)
        mm = _to_mm(float(_WORD_NUMBERS[w.group(1).lower()]), w.group(2))
        out.append(Size(w.start(), w.end(), mm, False, False))
    if len(out) > 1 and any(z.start < y.start for y, z in itertools.pairwise(out)):
        out.sort(key=lambda z: z.start)
    out = _arrows(text, out)
    if len(out) > 1:
        out = _restated_priors(text, start, _plane_runs(text, start, end, out))
        out = _changed_to(text, start, out)
        out = _prior_lists(text, out)
    return _dated_series(text, start, end, out) if len(out) > 2 else out


# the glue of a size list ("1.4 cm and 0.9 cm", "3 mm, 5 mm", "a 3 mm and a 4 mm focus")
LIST_SEPARATORS = frozenset(
    {"", "and", "&", "+", ",", ", and", ",and", "and a", "and an", ", a", ", an", ", and a"}
)


def is_list_gap(gap: str) -> bool:
    """True for the glue of a size list: "", ",", "and", ", and" (with any spacing)."""
    return len(gap) < 40 and " ".join(gap.split()).strip(" ;").lower() in LIST_SEPARATORS


def _prior_lists(text: str, found: list[Size]) -> list[Size]:
    """A size listed right after an earlier size is an earlier size too.

    Example: "measuring 1.9 cm and 2.7 cm respectively, previously 2.5 cm and 3.6 cm" ->
    both 2.5 and 3.6 are priors (the label stands before the list only).
    """
    for i in range(1, len(found)):
        a, b = found[i - 1], found[i]
        gap = text[a.end : b.start]
        # (a written separator: a change "from 11 to 16 mm" gives two sizes with no gap)
        if a.prior and not b.prior and gap.strip() and is_list_gap(gap):
            found[i] = Size(b.start, b.end, b.mm, True, False)
    return found


# a change verb before the size it ends at: "the 3.1 cm lesion ... has regressed to 1.8 cm"
_CHANGED_TO = re_compile(
    r"\b(?:regress(?:ed|ing)|decreas(?:ed|ing)|reduc(?:ed|ing)|shr(?:unk|unken|ank|inking)"
    r"|diminish(?:ed|ing)|involut(?:ed|ing)|grown|grew|increas(?:ed|ing)|enlarg(?:ed|ing)"
    r"|progress(?:ed|ing))(?:[ \t]+in[ \t]+size)?[ \t]+(?:now[ \t]+)?to[ \t]*$",
    re.I,
)


def _changed_to(text: str, start: int, found: list[Size]) -> list[Size]:
    """The size a clause says a finding changed to is today's; the one measured before it
    in the clause is the earlier size.

    Example: "the 3.1 cm lesion in the right lobe has regressed to 1.8 cm" -> prior 31,
    current 18. Only when exactly one earlier size stands before it.
    """
    for i, z in enumerate(found):
        if i == 0 or z.prior or not _CHANGED_TO.search(text, max(start, z.start - 40), z.start):
            continue
        if any(y.prior for y in found[i + 1 :]):
            continue  # "decreased to 1.4 cm (from 2.2 cm)": the earlier size is given
        before = [j for j in range(i) if not found[j].prior]
        if (
            len(before) == 1
            and z.start - found[before[0]].end <= _CHANGED_TO_REACH
            and "\n" not in text[found[before[0]].end : z.start]  # (a form's other field)
        ):
            y = found[before[0]]
            found[before[0]] = Size(y.start, y.end, y.mm, True, False)
    return found


_CHANGED_TO_REACH = 60  # "the 3.1 cm lesion in the right lobe has regressed to": one phrase


def _restated_priors(text: str, start: int, found: list[Size]) -> list[Size]:
    """A size in brackets after a no-change phrase, once today's size is given, is the
    earlier one: "5.2 cm ...; no change in size (5.2 cm)" -> prior 5.2 cm. Alone ("stable
    (4 mm)") it stays today's size."""
    seen_current = False
    for i, z in enumerate(found):
        if z.prior:
            continue
        if seen_current and NO_CHANGE_BRACKET.search(text, max(start, z.start - 60), z.start):
            found[i] = Size(z.start, z.end, z.mm, True, False)
        else:
            seen_current = True
    return found


# A plane label written with each size of a list ("AP 3 mm, TR 5 mm, CC 4 mm", "3 mm AP,
# 5 mm TR and 4 mm CC", "transverse: 6 mm; craniocaudal: 9 mm"): the sizes are the
# dimensions of one measurement, whose longest is the size.
_PLANE_WORD = (
    r"(?:ap|tr|trv|trans|cc|si|ml|lr|transverse|craniocaudal|cranio-caudal|anteroposterior"
    r"|antero-posterior|mediolateral|medio-lateral|sagittal|coronal|axial)"
)
_PLANE_BEFORE = re_compile(rf"(?<![a-z])(?P<plane>{_PLANE_WORD})[ \t]*[:=]?[ \t]*$", re.I)
_PLANE_AFTER = re_compile(rf"[ \t]*\(?(?P<plane>{_PLANE_WORD})\)?(?![a-z])", re.I)
_PLANE_GLUE = re_compile(r"[ \t]*(?:,|;|/|and|&|,[ \t]*and)[ \t]*", re.I)


def _plane_of(text: str, start: int, end: int, z: Size, after: bool) -> str | None:
    """The plane label written right before (or, ``after``, right after) size ``z``."""
    if after:
        m = _PLANE_AFTER.match(text, z.end, min(end, z.end + 20))
    else:
        m = _PLANE_BEFORE.search(text, max(start, z.start - 20), z.start)
    return m.group("plane").lower() if m is not None else None


def _plane_run(text: str, start: int, end: int, found: list[Size], i: int, after: bool) -> int:
    """How many sizes from ``found[i]`` on form one run of distinct labelled planes."""
    planes = [_plane_of(text, start, end, found[i], after)]
    if planes[0] is None or found[i].prior:
        return 1
    j = i + 1
    while j < len(found) and not found[j].prior:
        plane = _plane_of(text, start, end, found[j], after)
        if plane is None or plane in planes:
            break
        # the gap between two sizes holds one plane label and the list's glue
        gap_start, gap_end = found[j - 1].end, found[j].start
        if after:
            cut = _PLANE_AFTER.match(text, gap_start, gap_end)
            gap_start = cut.end() if cut is not None else gap_start
        else:
            cut = _PLANE_BEFORE.search(text, max(gap_start, gap_end - 20), gap_end)
            gap_end = cut.start() if cut is not None else gap_end
        if _PLANE_GLUE.fullmatch(text, gap_start, gap_end) is None:
            break
        planes.append(plane)
        j += 1
    return j - i


def _plane_runs(text: str, start: int, end: int, found: list[Size]) -> list[Size]:
    """Fold each run of plane-labelled sizes into one size: the run's longest."""
    out: list[Size] = []
    i = 0
    while i < len(found):
        n = max(_plane_run(text, start, end, found, i, after) for after in (False, True))
        run = found[i : i + n]
        if n > 1:
            z = run[0]
            out.append(Size(z.start, run[-1].end, max(y.mm for y in run), False, z.largest))
        else:
            out.append(run[0])
        i += n
    return out


# the date of one size of a series: a year right before ("2020 4 mm", "2022: 5 mm") or
# right after it ("4 mm (2019)", "2.0 cm in 2021", "11 mm in March 2023")
_YEAR_BEFORE = re_compile(r"(?<!\d)((?:19|20)\d\d)\)?[ \t]*[:=\-\u2013]?[ \t]*$")
YEAR_AFTER = re_compile(
    r"[ \t]*[,(]?[ \t]*(?:(?:in|on)[ \t]+)?(?:[a-z]{3,9}\.?[ \t]+)?((?:19|20)\d\d)(?!\d)", re.I
)
# the size of this exam in the series: "today 7 mm", "2.6 cm today", "4 mm (today)", "now 9 mm"
_TODAY_BEFORE = re_compile(r"(?:today|now|current(?:ly)?)[ \t]*[:=\-\u2013]?[ \t]*$", re.I)
_TODAY_AFTER = re_compile(
    r"[ \t]*[,(]?[ \t]*(?:today|now|currently|current|this[ \t]+exam)\b", re.I
)


def _series_date(text: str, start: int, end: int, z: Size) -> int | None:
    """The year of one size of a dated series, 9999 for today's, None when undated."""
    head_start = max(start, z.start - 12)
    # a date written before the size labels it ("2021: 4 mm, today: 6 mm": the ", today"
    # after 4 mm is the next size's label)
    got = _YEAR_BEFORE.search(text, head_start, z.start)
    if got is not None:
        return int(got.group(1))
    if _TODAY_BEFORE.search(text, head_start, z.start):
        return 9999
    got = YEAR_AFTER.match(text, z.end, min(end, z.end + 20))
    if got is not None:
        return int(got.group(1))
    return 9999 if _TODAY_AFTER.match(text, z.end, min(end, z.end + 16)) else None


def _dated_series(text: str, start: int, end: int, found: list[Size]) -> list[Size]:
    """A series of three or more dated sizes ("2.0 cm in 2021, 2.2 cm in 2023 and 2.6 cm
    today", "2020 4 mm; 2022 5 mm; today 7 mm"): today's is the size, the most recent
    earlier one the prior; the older ones are dropped.

    Why: read one by one the dated sizes are a size list (one finding per size) or the
    oldest is taken as the prior; the corpus takes the most recent prior. Only a series
    whose every size is dated and exactly one is today's is read so.
    """
    dates = [_series_date(text, start, end, z) for z in found]
    if any(d is None for d in dates) or dates.count(9999) != 1:
        return found
    ranked = sorted((d, i) for i, d in enumerate(dates) if d is not None and d != 9999)
    latest_prior = ranked[-1][1]
    out: list[Size] = []
    for i, z in enumerate(found):
        if dates[i] == 9999:
            out.append(Size(z.start, z.end, z.mm, False, False))
        elif i == latest_prior:
            out.append(Size(z.start, z.end, z.mm, True, False))
    return out


def _arrows(text: str, found: list[Size]) -> list[Size]:
    """ "4 mm -> 6 mm": the size before the arrow is the prior one."""
    for i in range(len(found) - 1):
        a, b = found[i], found[i + 1]
        if _ARROW.fullmatch(text, a.end, b.start) and not a.prior:
            found[i] = Size(a.start, a.end, a.mm, True, a.largest, a.superlative)
    return found
