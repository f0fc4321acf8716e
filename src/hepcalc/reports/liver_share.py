"""The liver's share of a finding that a sentence first gives to another organ.

Why: a sentence may name calcifications of several organs and then hand one of them to
the liver ("A calcified granuloma in the right lower lobe of the lung and another in the
liver, in segment 4a, measuring 5 mm"; "The pancreas and the liver both contain
calcifications: the pancreatic ones are coarse, the liver shows one 3 mm focus in
segment 5"). The calcification word belongs to the other organ, so the organ rule
rightly excludes it, and the liver's part has no calcification word of its own. This
module finds that part -- a count word placed "in the liver", or "the liver shows/has"
a counted focus -- and reads it as a liver finding with its own count, size and place.

Not a share: a negated or normal liver ("the liver shows no focal lesion", "one in the
liver is not seen"), a lesion of another nature ("the liver has a 2 cm cyst"), and a
part holding its own calcification word (that part is read as a clause of its own).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from hepcalc.model import Evidence, FindingKind
from hepcalc.regex_cache import re_compile
from hepcalc.reports import attributes, locations, organs, sizes
from hepcalc.reports.resolver import Draft
from hepcalc.reports.targets import Target

_COUNT_WORD = (
    r"(?P<count>another|one|a[ \t\n]+second(?:[ \t\n]+one)?|the[ \t\n]+other|two|three|four"
    r"|several|a[ \t\n]+few|a[ \t\n]+couple|others|a|an|a[ \t\n]+single|a[ \t\n]+further)"
)
# "in the liver", "in the right lobe of the liver", "in segment 6 of the liver"
_IN_LIVER = (
    r"(?:in|within)[ \t\n]+the[ \t\n]+(?:(?:right|left|caudate)[ \t\n]+lobe[ \t\n]+of"
    r"[ \t\n]+the[ \t\n]+)?liver\b"
    r"|(?:in|within)[ \t\n]+(?:the[ \t\n]+)?(?:(?:right|left|caudate)[ \t\n]+(?:hepatic|liver)"
    r"[ \t\n]+lobe|(?:hepatic|liver)[ \t\n]+segment[ \t\n]+[1-8ivx]{1,4}[ab]?\b)"
)
# its size between the count and the place: "another, 4 mm, in the liver", "another (4 mm)
# in ...", "another measuring 4 mm in ..."
_SHARE_SIZE = (
    r"(?:[ \t\n]*[,(][ \t\n]*|[ \t\n]+(?:measuring[ \t\n]+)?)(?:about[ \t\n]+)?"
    r"[0-9]{1,3}(?:[.,][0-9])?[ \t\n]*(?:mm|cm)\b[ \t\n]*[,)]?"
)
# "another in the liver", "one within the liver", "several are seen in the liver"
_PLACED_IN_LIVER = re_compile(
    rf"\b{_COUNT_WORD}(?:[ \t\n]+(?:one|ones))?(?:{_SHARE_SIZE})?[ \t\n]+(?:(?:is|are|seen"
    rf"|noted|lies|lie|present|also)[ \t\n]+){{0,2}}(?:{_IN_LIVER})",
    re.I,
)
# "... in the spleen (largest 9 mm) and in the liver (largest 5 mm)": the same finding,
# coordinated, without a count word of its own (it takes the target's number)
_AND_IN_LIVER = re_compile(
    rf"\b(?:and|as[ \t\n]+well[ \t\n]+as)[ \t\n]+(?:also[ \t\n]+)?(?:{_IN_LIVER})", re.I
)
# "the liver shows one 3 mm focus", "the liver has two small ones", "liver with a single focus"
_LIVER_HOLDS = re_compile(
    r"\b(?:the[ \t\n]+)?liver[ \t\n]+(?:also[ \t\n]+)?(?:shows|has|contains|demonstrates|holds"
    rf"|with)[ \t\n]+(?:(?:only|just)[ \t\n]+)?{_COUNT_WORD}\b",
    re.I,
)
# what the liver's part must be about: a focus like the other organ's, not a new lesion
_SHARE_NOUN = re_compile(
    r"\b(?:focus|foci|ones?|spots?|similar|such|densit(?:y|ies)|deposits?)\b", re.I
)
_NOT_PRESENT = re_compile(
    r"\b(?:no|not|none|without|normal|unremarkable|spared|free|resolved|removed|resected|absent)\b",
    re.I,
)
_SHARE_CHARS = 160  # a share is a phrase, not the rest of a run-on sentence
_SHARE_WINDOW = 300  # how far after the other organ's target a share is looked for
_MULTI_WORDS = ("several", "few", "couple", "others")


@dataclass(frozen=True, slots=True)
class Share:
    """The liver's part of a sentence: its span and the count its first word gives."""

    start: int
    end: int
    count: int | str


def find_share(text: str, start: int, end: int, targets: list[Target]) -> Share | None:
    """The liver's share in ``text[start:end]`` (after a target given to another organ).

    Only the ``_SHARE_WINDOW`` characters after ``start`` are searched: a sentence of
    thousands of clauses asks once per clause, and must stay linear.
    """
    end = min(end, start + _SHARE_WINDOW)
    part = text[start:end]
    if part.isascii() and "liver" not in part.lower():
        return None  # both patterns need the word (cheap test first; exact for ASCII)
    m = (
        _PLACED_IN_LIVER.search(text, start, end)
        or _LIVER_HOLDS.search(text, start, end)
        or _AND_IN_LIVER.search(text, start, end)
    )
    if m is None:
        return None
    s_end = _share_end(text, m.start(), min(end, m.start() + _SHARE_CHARS), m.end())
    k = bisect.bisect_left(targets, m.start(), key=_start)
    if k < len(targets) and targets[k].start < s_end:
        return None  # it names its own calcification: read as a clause of its own
    if _NOT_PRESENT.search(text, m.start(), s_end) or attributes.HOST_WORDS.search(
        text, m.start(), s_end
    ):
        return None
    if m.re is _AND_IN_LIVER:
        # no count word: the number of the target word before ("granulomas" -> several)
        plural = k > 0 and targets[k - 1].plural
        return Share(m.start(), s_end, "multiple" if plural else 1)
    placed = m.re is _PLACED_IN_LIVER
    if not placed and not _SHARE_NOUN.search(text, m.end("count"), s_end):
        return None  # "the liver has a fatty infiltration": not a share of the finding
    return Share(m.start(), s_end, _count(m.group("count")))


def _start(t: Target) -> int:
    return t.start


def _share_end(text: str, start: int, end: int, after: int) -> int:
    """Where the share stops: the next ";" or the next organ that is not the liver."""
    semi = text.find(";", after, end)
    stop = end if semi < 0 else semi
    for o in organs.find_organs(text, after, stop):
        if o.organ != "liver":
            return o.start
    return stop


def _count(word: str) -> int | str:
    """ "another"/"one"/"a second" -> 1, "two" -> 2, "several"/"a few" -> multiple."""
    low = " ".join(word.lower().split())
    if any(w in low for w in _MULTI_WORDS):
        return "multiple"
    return {"two": 2, "three": 3, "four": 4}.get(low, 1)


def share_draft(
    text: str, share: Share, evidence: Evidence, section_category: str, sentence_key: int
) -> Draft:
    """The liver finding of a share, with its own size, prior, place and comparison."""
    found = sizes.find_sizes(text, share.start, share.end)
    current = [z for z in found if not z.prior]
    prior = next((z.mm for z in found if z.prior), None)
    size = max(z.mm for z in current) if current else None
    count = share.count
    if len(current) > 1 and count == 1:
        count = "multiple"
    return Draft(
        kind=FindingKind.calcification,
        associated=None,
        count=count,
        pattern=None,
        location=locations.find_location(text, share.start, share.end, share.start),
        size_mm=size,
        prior_size_mm=prior if size is not None else None,
        comparison=attributes.read_comparison(text, share.start, share.end),
        features=attributes.read_features(text, share.start, share.end),
        evidence=evidence,
        section_category=section_category,
        sentence_key=sentence_key,
        mergeable=True,
    )
