"""Which organ a target belongs to.

hepcalc reads liver findings only: a splenic granuloma, a calcified gallstone,
a phlebolith in the pelvis or aortic wall calcification must never become a
liver finding. The rule, in order:

1. an organ adjective right before the target decides ("splenic granuloma",
   "hepatic calcification");
2. otherwise the organ word nearest the target in the same clause, then in the
   same sentence; a liver word coordinated with the nearest one ("hepatic and
   splenic granulomas") keeps the finding in the liver;
3. otherwise the organ of the sub-section header ("SPLEEN:") or of the latest
   sentence that named an organ in the same section;
4. otherwise the liver only when the report is about the liver (its title or
   opening names it), else the target is not attributed to the liver.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from hepcalc.regex_cache import re_compile
from hepcalc.reports import alternation, lexicon


def _organ_alternatives() -> list[tuple[str, str]]:
    """(organ code, alternative) in priority order, the liver's first, from
    ``data/organs.yaml``, checked (see ``lexicon``)."""
    data = lexicon.load("organs")
    out = [("liver", a) for a in lexicon.alternatives("organs.yaml: liver", data.get("liver"))]
    other = data.get("other")
    if not isinstance(other, dict) or not other:
        raise lexicon.LexiconError("organs.yaml: other: must be a mapping of organ codes")
    for code, alts in other.items():
        organ = lexicon.group_name("organs.yaml: other", code)
        out += [(organ, a) for a in lexicon.alternatives(f"organs.yaml: other.{code}", alts)]
    return out


_ALTERNATIVES = _organ_alternatives()
# One alternation with an empty group named organ__rank after each alternative, so that
# ``m.lastgroup`` says the organ; arranged by first letter for speed (``alternation``).
_ANY_CASE, _GROUPS_ANY_CASE = alternation.arrange(_ALTERNATIVES)
_LOWER, _GROUPS_LOWER = alternation.arrange(
    [(organ, alt.replace("(?-i:R|L)", "(?:r|l)")) for organ, alt in _ALTERNATIVES]
)
_GROUP_ORGAN = {**_GROUPS_ANY_CASE, **_GROUPS_LOWER}
# The leading lookahead lets the regex engine skip non-letters before trying the long
# alternation (about 40 % faster on report text). A word made a shape by "-like"
# ("plaque-like calcification of the liver capsule") names no structure.
_ORGAN = lexicon.compiled(
    "organs.yaml", rf"(?=[A-Za-z])\b(?:{_ANY_CASE})\b(?![ \t]?-[ \t]?like\b)", re.I
)
# The same pattern, case-sensitive, for lower-cased text (capital R/L lower-cased): about
# 3x faster than re.I.
_ORGAN_LOWER = lexicon.compiled("organs.yaml", rf"(?=[a-z])\b(?:{_LOWER})\b(?![ \t]?-[ \t]?like\b)")
# "hepatic and splenic", "in the brain and in the liver", "spleen as well as the liver"
_COORDINATED = re_compile(
    r"^[ \t\n]*(?:(?:,|and|or|&|/|,[ \t\n]*and|as[ \t\n]+well[ \t\n]+as)[ \t\n]*"
    r"(?:(?:also[ \t\n]+)?(?:in|within|of|throughout|involving)[ \t\n]+)?"
    r"(?:the[ \t\n]+|both[ \t\n]+)?)?$",
    re.I,
)
_COORDINATED_GAP = 30
# "... gallstones and the liver is normal": a new clause about the liver, not coordination
_LIVER_CLAUSE_AFTER = re_compile(
    r"[ \t\n]*,?[ \t\n]*(?:is|are|appears?|demonstrates?|shows?|was|remains?|measures?|has"
    r"|normal|unremarkable)\b",
    re.I,
)
_NORMAL_AFTER = re_compile(
    r"(?:[ \t]*/[ \t]*[a-z]+)?[ \t]*:?[ \t]*(?:(?:is|are|appears?|looks?)[ \t]+)?"
    r"(?:normal|nml|unremarkable|nad|wnl)\b",
    re.I,
)
_LOBED_ELSEWHERE = re_compile(r"\b(?:thyroid|lungs?|pulmonary|prostat[a-z]*|brain)\b", re.I)
_LIVER_FOCUS = re_compile(
    r"\b(?:liver|hepatic|hepatobiliary|right[ \t]+upper[ \t]+quadrant|ruq)\b", re.I
)


@dataclass(frozen=True, slots=True)
class OrganMention:
    start: int
    end: int
    organ: str  # "liver" or another organ code


# An organ named after these words is a landmark, not where the finding is: "a calcified
# mass displacing the liver", "calcification adjacent to the liver", "medial to the spleen".
# After "vs"/"versus" it is the other reading of a differential, not a place either
# ("?calcification vs vessel", "granuloma versus vascular flow void"). "Above the right
# lobe of the liver" makes the liver a landmark too.
_RELATIONAL = re_compile(
    r"\b(?:vs\.?|versus|displac(?:es|ing|ed)|compress(?:es|ing|ed)|indent(?:s|ing|ed)|abut(?:s|ting)"
    r"|adjacent[ \t\n]+to|next[ \t\n]+to|near|beside|separate[ \t\n]+from|distinct[ \t\n]+from"
    r"|apart[ \t\n]+from|exophytic[ \t\n]+from|(?:medial|lateral|anterior|posterior|inferior"
    r"|superior|deep|caudal|cranial)[ \t\n]+to|below|above|beneath|under(?:lying)?"
    r"|extend(?:s|ing)?[ \t\n]+(?:in)?to|invad(?:es|ing)|contact(?:ing)?|between)"
    r"[ \t\n]+(?:(?:the|a|an|right|left|middle|inferior|superior|posterior|anterior|lateral"
    r"|medial|main|hepatic|portal)"
    r"[ \t\n]+){0,3}(?:(?:lobe|segment[ \t\n]+(?:[1-8]|[ivx]{1,4})[ab]?)[ \t\n]+of[ \t\n]+the"
    r"[ \t\n]+)?$",
    re.I,
)


# The surgical removal of another organ ("post cholecystectomy", "(hx splenectomy)") is
# history: that organ is gone, so it cannot hold a finding of this exam. (A hepatectomy
# margin is still the liver, whose words are not checked.)
_REMOVAL = ("ectomy", "ectomies")


# The primary site of a metastasis is where the cancer began, not where the finding is:
# "calcified metastases from ovarian cancer in segments 5 and 6", "a deposit of colorectal
# origin". Both sides are required, so "pancreatic carcinoma with calcification" (no
# "from"/"of") keeps the pancreas.
_FROM_BEFORE = re_compile(
    r"\b(?:from|of)[ \t\n]+(?:(?:a|an|the|known|treated|primary|prior)[ \t\n]+){0,2}$"
    # ("metastases from medullary thyroid carcinoma": any words after "from")
    r"|\bfrom[ \t\n]+(?:[a-z-]+[ \t\n]+){0,2}$",
    re.I,
)
_CANCER_AFTER = re_compile(
    r"[ \t\n]+(?:cancers?|carcinomas?|ca|primary|origin|adenocarcinoma|malignancy"
    r"|tumou?rs?|neoplasm)\b",
    re.I,
)


# ... or named after the cancer word: "metastases from the known mucinous adenocarcinoma
# of the colon", "deposits from carcinoma of the breast"
_CANCER_OF_BEFORE = re_compile(
    r"\bfrom[ \t\n]+(?:[a-z-]+[ \t\n]+){0,4}?(?:cancers?|carcinomas?|adenocarcinomas?"
    r"|malignanc(?:y|ies)|tumou?rs?|neoplasms?|sarcomas?|primary)[ \t\n]+of[ \t\n]+"
    r"(?:the[ \t\n]+)?(?:(?:right|left|sigmoid|ascending|descending|transverse)[ \t\n]+)?$",
    re.I,
)


def _primary_site(text: str, start: int, m_start: int, m_end: int) -> bool:
    """True for an organ word that names where a cancer began ("from ovarian cancer",
    "from adenocarcinoma of the colon")."""
    if _CANCER_AFTER.match(text, m_end, m_end + 20) is not None and _FROM_BEFORE.search(
        text, max(start, m_start - 30), m_start
    ):
        return True
    lo = max(start, m_start - 90)
    if text.find("from", lo, m_start) < 0 and text.find("From", lo, m_start) < 0:
        return False  # (cheap test first: most organ words have no "from" before them)
    return _CANCER_OF_BEFORE.search(text, lo, m_start) is not None


def _between_segments(rel: re.Match[str], organ: str, word: str) -> bool:
    """True for "between segments 7 and 8": a place inside the liver, not a landmark
    (while "between the liver and the kidney" still is one); and for "between bowel loops",
    among the loops of the bowel: that is where the finding lies."""
    if rel.group(0)[:7].lower() != "between":
        return False
    if organ == "bowel":
        return word.lower() == "bowel"
    return organ == "liver" and word.lower().startswith("segments")


def find_organs(text: str, start: int, end: int) -> list[OrganMention]:
    """Organ words in ``text[start:end]``; lobes of the thyroid/lung are not the liver."""
    out: list[OrganMention] = []
    lobed_elsewhere: bool | None = None
    low = text[start:end].lower()
    if len(low) == end - start:
        matches = [(m, start) for m in _ORGAN_LOWER.finditer(low)]
    else:  # lower-casing changed the length: keep exact offsets with the slower pattern
        matches = [(m, 0) for m in _ORGAN.finditer(text, start, end)]
    for m, shift in matches:
        organ = _GROUP_ORGAN.get(m.lastgroup or "", "other")
        if organ == "liver":
            word = m.group(0).lower()
            if "lobe" in word:
                if lobed_elsewhere is None:
                    lobed_elsewhere = _LOBED_ELSEWHERE.search(text, start, end) is not None
                if lobed_elsewhere:
                    continue
        elif m.group(0).lower().endswith(_REMOVAL):
            continue  # "(hx cholecystectomy)": an organ taken out is no finding's place
        ms = m.start() + shift
        if ms > start and text[ms - 1] in " \t\n":  # (the relational words end in a blank)
            rel = _RELATIONAL.search(text, max(start, ms - 40), ms)
            if rel and not _between_segments(rel, organ, m.group(0)):
                continue  # "displacing the liver": a landmark, not the finding's organ
        if _primary_site(text, start, ms, m.end() + shift):
            continue  # "metastases from ovarian cancer": the primary, not the place
        out.append(OrganMention(ms, m.end() + shift, organ))
    return out


def mentions_between(mentions: list[OrganMention], lo: int, hi: int) -> list[OrganMention]:
    """The mentions starting in ``[lo, hi)`` of a list sorted by start (``find_organs``).

    Bisection, not a scan: a sentence with thousands of clauses and organ words asks
    this once per clause, and a scan of the whole list each time is quadratic.
    Example: mentions at 0, 10, 20 with ``lo=5, hi=20`` gives the one at 10.
    """
    i = bisect.bisect_left(mentions, lo, key=_start)
    j = bisect.bisect_left(mentions, hi, lo=i, key=_start)
    return mentions[i:j]


def _start(m: OrganMention) -> int:
    return m.start


def nearest_organ(text: str, mentions: list[OrganMention], lo: int, hi: int) -> str | None:
    """Organ for a target spanning [lo, hi) given the organ words of its clause or sentence."""
    if not mentions:
        return None
    # 0. the structure the target qualifies, right after it ("calcified thrombus in the
    # portal veins", "calcified lymph nodes"): that structure holds it, whatever precedes
    after = next((m for m in mentions if m.start >= hi), None)
    if after is not None and after.organ != "liver" and not text[hi : after.start].strip():
        return after.organ
    # 1. an adjective directly before the target ("splenic granuloma", "hepatic calcific focus")
    before = [m for m in mentions if m.end <= lo and lo - m.end <= 14]
    if before:
        adj = before[-1]
        gap = text[adj.end : lo]
        if _COPULA.fullmatch(gap):
            # "the right lobe is calcified costal cartilage": the subject is said to be
            # the organ named right after the target, which the target qualifies
            after = next((m for m in mentions if m.start >= hi), None)
            if after is not None and _ONE_WORD_GAP.fullmatch(text, hi, after.start):
                return after.organ
        if len(gap.split()) <= 1:
            if adj.organ != "liver" and _coordinated_with_liver(text, mentions, adj):
                return "liver"
            return adj.organ

    def distance(m: OrganMention) -> int:
        return lo - m.end if m.end <= lo else max(0, m.start - hi)

    # "mesenteric LN w calcification\nliver/spleen nml": an organ said to be normal after
    # the target is a statement of its own, not the finding's place
    ranked = sorted(
        (m for m in mentions if not _normal_after(text, m, hi)), key=distance
    ) or sorted(mentions, key=distance)
    best = ranked[0]
    if best.organ == "liver":
        return "liver"
    # 2. a liver word coordinated with the nearest organ keeps the finding in the liver
    if _coordinated_with_liver(text, mentions, best):
        return "liver"
    return best.organ


# a verb joining a subject organ to a target ("the right lobe is calcified ...")
_COPULA = re_compile(r"[ \t\n]+(?:is|are|was|were|represents?|reflects?)[ \t\n]+", re.I)
# at most one word between a target and the organ noun it qualifies ("calcified costal")
_ONE_WORD_GAP = re_compile(r"[ \t\n]+(?:[a-z-]+[ \t\n]+)?", re.I)


def _normal_after(text: str, mention: OrganMention, hi: int) -> bool:
    """True for an organ word after the target that is called normal ("liver normal",
    "liver/spleen nml", "the spleen is unremarkable")."""
    if mention.start < hi:
        return False
    return _NORMAL_AFTER.match(text, mention.end, mention.end + 40) is not None


def _coordinated_with_liver(text: str, mentions: list[OrganMention], other: OrganMention) -> bool:
    """True for "hepatic and splenic", "spleen and liver", and for a longer list that the
    liver closes ("in the mediastinal nodes, the spleen and the liver"): the finding is in
    every organ of the list, so also in the liver."""
    i = mentions.index(other)
    for step in (1, -1):
        a = other
        for k in range(i + step, i + step * (_MAX_LIST_ORGANS + 1), step):
            if not 0 <= k < len(mentions):
                break
            b = mentions[k]
            lo, hi = (a, b) if a.start < b.start else (b, a)
            if hi.start - lo.end >= _COORDINATED_GAP or not _COORDINATED.match(
                text[lo.end : hi.start]
            ):
                break
            if b.organ == "liver":
                return step < 0 or not _LIVER_CLAUSE_AFTER.match(text, b.end, b.end + 16)
            a = b
    return False


# how many organ words a coordinated list is followed through (bounded: a list of organs
# is short, and each clause asks once)
_MAX_LIST_ORGANS = 6


def subject_organ(mentions: list[OrganMention]) -> str | None:
    """The organ a sentence is about: its first organ word."""
    return mentions[0].organ if mentions else None


def is_liver_report(text: str, head_end: int) -> bool:
    """True when the title/opening of the report names the liver (or RUQ)."""
    return _LIVER_FOCUS.search(text, 0, min(head_end, 400)) is not None
