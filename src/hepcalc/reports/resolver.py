"""From one clause's targets to draft findings: named, ordered passes over one ``Mention``.

Why this shape: the resolver used to be one 240-line function with twelve arguments,
where every new phrasing meant threading another local variable through all of it.
Here, as in medSpaCy's pipeline (without its runtime), one object -- the
``Mention``: a clause with its first target and what has been read about it so
far -- is carried through small passes, each reading one thing and writing it onto
the mention. ``PASSES`` is the order; ``resolve`` runs them and builds the drafts.
A new rule is a new pass (or a change to one), testable on its own.

Order matters and is part of the design:

1. ``host_pass``: the lesion the calcification sits in (cyst, hemangioma, mass),
   also from the clause before ("Haemangioma ..., with a central calcification").
2. ``size_pass``: current and prior sizes in the clause; a "2 mm-3 mm" range is one.
3. ``place_pass``: segment/lobe (clause, else nearby text), pattern, "within it",
   "adjacent to it".
4. ``lesion_link_pass``: a calcification that is part of a lesion described earlier
   (same sentence or section) becomes that lesion, with its size and place.
5. ``count_pass``: how many ("two", "x3", plural, the lesions' count for a lesion).
6. ``change_pass``: comparison and prior size, pattern of a calcification in a lesion,
   whether it may merge with an earlier mention.
7. ``size_group_pass``: one finding per size in a size list, or sizes paired with places.
8. ``split_pass``: one finding per segment or per lobe of a list, or one lesion over
   joined segments.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from hepcalc.model import (
    Associated,
    Comparison,
    Evidence,
    FindingKind,
    Location,
    Pattern,
)
from hepcalc.regex_cache import re_compile
from hepcalc.reports import attributes, locations, organs, sections, sizes
from hepcalc.reports.targets import Target

MAX_FINDINGS = 200
NEAR = 300  # characters around a clause that still speak about its target
SUMMARY_SECTIONS = frozenset({"impression"})
ANOTHER = re_compile(r"\b(?:another|second|third|additional|separate|other|also|further)\b", re.I)
# the glue of a size list; "a 3 mm and a 4 mm focus" repeats the article with each size
LIST_SEPARATORS = sizes.LIST_SEPARATORS
RANGE_SEPARATORS = frozenset({"-", "to", "\u2013"})
HOST_PRIORITY = {"heman": 0, "cyst": 1, "solid": 2, "lesion": 3}
ANAPHORA = re_compile(
    r"\b(?:within|in|inside|of)[ \t\n]+(?:it|this|the[ \t\n]+(?:lesion|mass|h(?:a)?emangioma"
    r"|cyst|nodule|observation|tumou?r))\b|\bits[ \t\n]+(?:wall|rim|periphery|center|centre)\b"
    # a bare "within" closing its phrase ("coarse calcifications within, corresponding to the
    # CT"), and the partitions of a cystic mass ("calcifications in the septa")
    r"|\b(?:within|inside)(?=[ \t]*(?:[,.;:)]|\(|$))"
    r"|\b(?:in|within|along|of)[ \t\n]+(?:the|its|some|several)[ \t\n]+"
    r"(?:septa[e]?|septum|septations?|locules?|loculi)\b",
    re.I | re.M,
)
# "Adjacent to it there is a 2 mm calcification": beside the lesion, not in it.
ADJACENT_TO_IT = re_compile(
    r"\b(?:adjacent|next|close|near|beside|alongside|lateral|medial|anterior|posterior|superior"
    r"|inferior|separate|distinct|apart)(?:[ \t\n]+from)?"
    r"(?:[ \t\n]+to)?[ \t\n]+(?:it|this|the[ \t\n]+(?:lesion|mass|cyst|nodule))\b",
    re.I,
)
# A calcification with these patterns and no place of its own is part of the lesion just
# described in the sentence ("... lesion with a thin peripheral rim of calcification").
PART_PATTERNS = frozenset({Pattern.rim, Pattern.central, Pattern.capsular})
WITH_START = re_compile(r"(?:with|containing|which[ \t\n]+(?:contains|has))\b", re.I)
# A later clause that names what the finding before it is ("; this is a calcified
# granuloma", "; findings compatible with calcification"), also as a query ("; ?
# calcification vs haemosiderin") or of an MRI sign ("; signal void may represent
# calcification", "; this corresponds to a calcified granuloma on CT"; "; appearances favour
# a calcified haemangioma")
REDESCRIBES = re_compile(
    # (also after the exam that showed it: "; on the prior CT this was a calcified granuloma")
    r"[^\w?]*(?:(?:on|in)[ \t\n]+(?:the[ \t\n]+)?(?:(?:prior|previous|earlier|outside|recent)"
    r"[ \t\n]+)?(?:ct|mri?|ultrasound|us|study|exam(?:ination)?|scan)[ \t\n]*,?[ \t\n]*"
    r"|(?:today|now|currently)[ \t\n]*,?[ \t\n]*)?"
    r"(?:\?|(?:and[ \t\n]+)?(?:this|these|it|they|which|findings?|appearances?"
    r"|(?:the[ \t\n]+)?signal[ \t\n]+voids?|the[ \t\n]+(?:focus|foci|finding|findings"
    r"|abnormality|appearance))\b[^.;]{0,40}?\b(?:is|are|was|were|represent(?:s|ed)?|reflects?|compatible"
    r"|consistent|keeping|likely|probably|c/w|suggest[a-z]*|correspond[a-z]*|may|might"
    r"|could|favou?rs?|favou?ring|indicat(?:es?|ing))\b)",
    re.I,
)
# a clause that only names, hedged, what the focus measured before it is: "; likely
# calcification", "; haemosiderin versus calcification" (the words before the target) and
# "; calcification versus haemosiderin" (the alternative after it)
HEDGED_NAME_BEFORE = re_compile(
    r"[^\w?]*(?:(?:most[ \t\n]+)?(?:likely|probabl[ey]|possibl[ey]|presum(?:ed|ably)"
    r"|(?:may|might|could)[ \t\n]+(?:represent|be|reflect)"
    r"|favou?r(?:ing|s)?|suggestive[ \t\n]+of|in[ \t\n]+keeping[ \t\n]+with"
    r"|consistent[ \t\n]+with|compatible[ \t\n]+with|(?:(?:a|an)[ \t\n]+)?[a-z]{3,20}"
    r"[ \t\n]+(?:versus|vs\.?))[ \t\n]+)?(?:(?:a|an)[ \t\n]+)?"
    r"(?:(?:tiny|small|minute|little|punctate|focal|faint)[ \t\n]+)?",
    re.I,
)
HEDGED_ALTERNATIVE_AFTER = re_compile(r"[ \t\n]+(?:versus|vs\.?)[ \t\n]+\w", re.I)
# "throughout the right, left and caudate lobes", "across both lobes": spread through the
# lobes named, not one group per lobe
THROUGHOUT = re_compile(
    r"\b(?:throughout|across|diffusely[ \t\n]+(?:in|within)|in[ \t\n]+all[ \t\n]+of"
    r"|scattered[ \t\n]+(?:through|over|in))[ \t\n]+(?:the[ \t\n]+)?(?:right|left|caudate"
    r"|both|all)\b",
    re.I,
)
# a group said to be spread over the whole liver ("throughout both lobes", "bilobar")
SPREAD_OVER_LIVER = re_compile(
    r"\b(?:throughout|across|scattered[ \t\n]+(?:through|over|in)|in|involving)[ \t\n]+"
    r"(?:the[ \t\n]+)?(?:both[ \t\n]+(?:hepatic[ \t\n]+)?lobes|(?:entire|whole)[ \t\n]+liver)\b"
    r"|\bbilobar\b|\bthroughout[ \t\n]+the[ \t\n]+liver\b",
    re.I,
)
# "calcified granuloma", "calcified hepatic granulomata": the adjective's noun is a granuloma
CALCIFIED_GRANULOMA = re_compile(r"[ \t\n]+(?:[a-z]+[ \t\n]+)?granulom(?:a|as|ata)\b", re.I)
# "new" said of the calcification itself ("with new coarse calcification", "has developed
# new peripheral calcification"), a few adjectives before the target word
NEW_BEFORE = re_compile(r"new(?:[ \t\n]+[a-z]+){0,3}[ \t\n]+$", re.I)
EACH = re_compile(r"[ \t]*(?:each|apiece)\b", re.I)
# "Segments 2 and 3 each contain a 3 mm granuloma", "a calcification in each of segments 6
# and 7", "one in each lobe": "each" deals one finding out to every place of the list
EACH_PLACE = re_compile(r"\b(?:each|apiece|per[ \t]+(?:segment|lobe))\b(?![ \t]+other\b)", re.I)
EACH_BEFORE = re_compile(r"\beach[ \t]+(?:measuring[ \t]+)?$", re.I)
LOBE_WORD = re_compile(r"\blobe\b", re.I)
# a host word naming a record of a list ("Observation 2:", "Lesion #1 -"), not a lesion
RECORD_LABEL = re_compile(r"[ \t]*(?:#[ \t]*)?\d{0,2}[ \t]*[:\-\u2013]", re.I)
# one lesion across the places of the list, not one in each
SPANNING = re_compile(r"\b(?:spann?(?:ing|s)|straddl[a-z]*|bridg[a-z]*|across|junction)\b", re.I)
# where two segments meet ("junction of 5 and 6", "segment V/VI"): in neither, nor in a lobe
JUNCTION = re_compile(
    r"\b(?:junction|boundary|border|interface|between[ \t]+segments)\b"
    r"|(?:\d[ab]?|\b[ivx]{1,4})[ \t]*/[ \t]*(?:\d|[ivx]{1,4}\b)",
    re.I,
)


@dataclass(slots=True)
class Draft:
    """A finding under construction (plain fields; validated once at the end)."""

    kind: FindingKind
    associated: Associated | None
    count: int | str
    pattern: Pattern | None
    location: Location
    size_mm: float | None
    prior_size_mm: float | None
    comparison: Comparison | None
    features: dict[str, bool]
    evidence: Evidence
    section_category: str
    sentence_key: int
    mergeable: bool
    count_after: bool = False  # the count was written after the noun ("granulomas: three")
    redescribes: bool = False  # "...; this is a calcified granuloma": the same finding again
    record: str | None = None  # the numbered record it is read from ("lesion 1")
    # the calcification's own size when the finding is the lesion holding it and the
    # lesion is measured too ("a 3.6 cm hemangioma with a 4 mm phlebolith": 4)
    calcification_mm: float | None = None


@dataclass(slots=True)
class LastHost:
    """The latest lesion described with a size in this section ("a 3.1 cm hemangioma")."""

    kind: FindingKind
    associated: Associated | None
    size_mm: float | None
    location: Location
    prior_size_mm: float | None = None
    comparison: Comparison | None = None
    features: dict[str, bool] = field(default_factory=dict)  # stated of the lesion


def sentence_host(text: str, s_start: int, s_end: int) -> LastHost | None:
    """The most specific lesion a sentence describes with a size, for later "within it"."""
    best: tuple[int, re.Match[str]] | None = None
    for m in attributes.HOST_WORDS.finditer(text, s_start, s_end):
        rank = HOST_PRIORITY[m.lastgroup or "lesion"]
        if best is None or rank < best[0]:
            best = (rank, m)
    if best is None:
        return None
    found = sizes.find_sizes(text, s_start, s_end)
    current = [z for z in found if not z.prior]
    if not current:
        return None
    prior = next((z.mm for z in found if z.prior), None)
    group = best[1].lastgroup
    if group in ("solid", "lesion") and attributes.cystic_host(text, s_start, best[1].start()):
        group = "cyst"  # "a multiloculated cystic mass ... 11 cm"
    kind, assoc = {
        "heman": (FindingKind.lesion, Associated.hemangioma),
        "cyst": (FindingKind.cyst, None),
        "solid": (FindingKind.lesion, Associated.solid_mass),
        "lesion": (FindingKind.lesion, None),
    }[group or "lesion"]
    if kind is FindingKind.cyst and attributes.complex_cyst_cue(text, s_start, s_end):
        assoc = Associated.complex_cyst  # "9 cm cyst with daughter cysts", "septated cyst"
    loc = locations.find_location(text, s_start, s_end, best[1].start())
    if loc.segment is not None and locations.joined_segments(text, s_start, s_end):
        # "9 cm mass in segments 5/6": one lesion over two segments keeps only its lobe
        loc = Location(lobe=loc.lobe, dome=loc.dome)
    comparison = attributes.read_comparison(text, s_start, s_end)
    features = attributes.read_features(text, s_start, s_end)
    return LastHost(kind, assoc, current[0].mm, loc, prior, comparison, features)


@dataclass(slots=True)
class Mention:
    """One clause with its targets, carried through the passes.

    The first block is given by the reader; the rest is filled in by the passes in
    order (each pass's docstring says what it writes). ``drafts`` set by a pass ends
    the run early with those findings.
    """

    text: str
    sec: sections.Section
    c_start: int
    c_end: int
    s_start: int
    s_end: int
    targets: list[Target]
    features: dict[str, bool]
    evidence: Evidence
    sentence_key: int
    host_before: Callable[[], LastHost | None]  # the section's latest sized lesion
    # written by the passes
    target_kind: str = ""
    near: tuple[int, int] = (0, 0)
    host: attributes.Host = field(
        default_factory=lambda: attributes.Host(FindingKind.calcification, None)
    )
    size_start: int = 0
    current: list[sizes.Size] = field(default_factory=list)
    priors: list[sizes.Size] = field(default_factory=list)
    loc: Location = field(default_factory=Location)
    anaphora: bool = False
    adjacent: bool = False
    pattern: Pattern | None = None
    inherited: LastHost | None = None
    inherited_size: float | None = None
    count: int | str = 1
    count_is_after: bool = False
    comparison: Comparison | None = None
    prior_mm: float | None = None
    mergeable: bool = True
    size_groups: list[float | None] = field(default_factory=list)
    per_count: int | str = 1
    paired: list[tuple[sizes.Size, Location]] | None = None
    segs: list[int] = field(default_factory=list)
    drafts: list[Draft] | None = None
    host_from_before: bool = False  # "Calcified cyst ..., with a calcified wall": same cyst
    calcification_mm: float | None = None  # its own size inside a measured lesion

    @property
    def first(self) -> Target:
        return self.targets[0]


# ---------------------------------------------------------------------------
# The passes
# ---------------------------------------------------------------------------


def host_pass(m: Mention) -> None:
    """Writes ``target_kind``, ``near``, ``host``, ``size_start``.

    Example: "Haemangioma in segment 7, 3.1 cm; with a central calcification" -> the
    clause "with a central calcification" has no host of its own, so the host is the
    hemangioma of the clause before, and sizes are read from the sentence start.
    """
    text, first = m.text, m.first
    m.target_kind = first.kind
    if first.kind == "calc" and first.term.lower().endswith(("ed", "ific")):
        m.target_kind = "calc_adjective"  # "calcified lesion": the lesion is the finding
        if CALCIFIED_GRANULOMA.match(text, first.end, m.c_end):
            # "a 12 mm lesion ..., presumably a densely calcified granuloma": the lesion is
            # named a granuloma, and a calcified granuloma is a calcification
            m.target_kind = "granuloma"
    m.near = (max(m.s_start, m.c_start - NEAR), min(m.s_end, m.c_end + NEAR))
    if m.sec.organ == "liver":  # "Daughter cysts present." may be its own sentence
        ctx = (max(m.sec.start, m.c_start - NEAR), min(m.sec.end, m.c_end + NEAR))
    else:
        ctx = m.near
    m.host = attributes.read_host(
        text, m.c_start, m.c_end, first.start, m.target_kind, ctx[0], ctx[1]
    )
    m.size_start = m.c_start
    if (
        (m.host.kind is FindingKind.calcification and m.host.associated is None)
        # "Hemangioma in segment 6, 3.8 cm, with a phlebolith": the hemangioma named
        # before is the host (a phlebolith alone only implies one)
        or (first.kind == "phlebolith" and m.host.word_start is None)
    ) and WITH_START.match(text, m.c_start, m.c_end):
        before = attributes.read_host(
            text, m.s_start, m.c_end, first.start, m.target_kind, ctx[0], ctx[1]
        )
        if before.kind is not FindingKind.calcification:
            m.host, m.size_start = before, m.s_start
            m.host_from_before = True


def size_pass(m: Mention) -> None:
    """Writes ``current`` and ``priors``.

    Example: "calcification 2 mm-3 mm" -> one current size, 3 mm (a range's upper end);
    "now 7 mm (previously 5 mm)" -> current 7 mm, prior 5 mm.
    """
    found = sizes.find_sizes(m.text, m.size_start, m.c_end)
    current = [z for z in found if not z.prior]
    m.priors = [z for z in found if z.prior]
    if len(current) == 2 and (
        " ".join(m.text[current[0].end : current[1].start].split()).lower() in RANGE_SEPARATORS
    ):
        current = [max(current, key=lambda z: z.mm)]
    if not current:
        current, m.priors = _size_of_redescribed(m) or (current, m.priors)
    m.current = current


def _size_of_redescribed(m: Mention) -> tuple[list[sizes.Size], list[sizes.Size]] | None:
    """The size of the focus an earlier clause of the sentence measured, when this clause
    only says what that focus is; None otherwise.

    Example: "9 mm T2 dark focus in segment 5, no enhancement; this corresponds to a
    calcified granuloma on CT" and "Segment 7, 8 mm, T1 dark; signal void may represent
    calcification" -> 9 mm and 8 mm. Why: MRI reports measure and place the sign first
    and name it after the semicolon. Not when the earlier clause names a lesion (the
    lesion rules decide) or has more than one size (whose would it be?).
    """
    if m.c_start <= m.s_start or (
        REDESCRIBES.match(m.text, m.c_start, m.first.start) is None and not _names_it_hedged(m)
    ):
        return None
    lo = max(m.s_start, m.c_start - NEAR)
    for host in attributes.HOST_WORDS.finditer(m.text, lo, m.c_start):
        if RECORD_LABEL.match(m.text, host.end(), m.c_start) is None:
            return None  # a lesion, not a record's name ("Observation 2: Segment 7, 8 mm")
    found = sizes.find_sizes(m.text, lo, m.c_start)
    current = [z for z in found if not z.prior]
    if len(current) != 1:
        return None
    return current, [z for z in found if z.prior]


def _names_it_hedged(m: Mention) -> bool:
    """The clause is a hedged name and nothing else: "likely calcification", "haemosiderin
    versus calcification", "calcification vs haemosiderin" (not a plain "calcification")."""
    before = HEDGED_NAME_BEFORE.fullmatch(m.text, m.c_start, m.first.start)
    if before is None or locations.find_location(m.text, m.first.end, m.c_end, m.first.end) != (
        Location()
    ):
        return False  # "; likely calcification in segment 2": a finding of its own
    if before.end() > before.start() and m.text[before.start() : before.end()].strip(" \t\n"):
        hedge = m.text[before.start() : before.end()].lower().split()
        if hedge and hedge[0] not in ("a", "an"):
            return True
    return HEDGED_ALTERNATIVE_AFTER.match(m.text, m.first.end, m.c_end) is not None


def place_pass(m: Mention) -> None:
    """Writes ``loc``, ``anaphora``, ``adjacent``, ``pattern``.

    Example: "punctate calcification within it" -> no place of its own (looked for
    in the nearby text next), ``anaphora`` true, pattern punctate.
    """
    text, first = m.text, m.first
    m.loc = locations.find_location(text, m.c_start, m.c_end, first.start)
    if m.loc == Location():
        m.loc = locations.find_location(text, m.near[0], m.near[1], first.start)
    if m.loc == Location() and m.sec.organ == "liver" and m.sec.header_start < m.sec.start:
        # under a "LEFT LOBE:" header of the liver, the header is the place
        header = text[m.sec.header_start : m.sec.start]
        m.loc = locations.find_location(header, 0, len(header), 0)
    m.anaphora = ANAPHORA.search(text, m.c_start, m.c_end) is not None
    m.adjacent = ADJACENT_TO_IT.search(text, m.c_start, m.c_end) is not None
    m.pattern = attributes.read_pattern(text, first.start, first.end, m.c_start, m.c_end)


def _same_sentence_lesion(m: Mention) -> LastHost | None:
    """The sized lesion an earlier clause of this sentence described, when this clause
    is a further description of it ("2.3 cm lesion seg 7; tiny peripheral calcification
    within it", "3.5 cm lesion ... and a central calcification")."""
    if m.c_start <= m.s_start or m.current or m.adjacent:
        return None
    same = sentence_host(m.text, max(m.s_start, m.c_start - NEAR), m.c_start)
    if same is None:
        return None
    if m.anaphora:
        return same
    host = m.host
    described_further = m.loc in (Location(), same.location) and m.first.kind != "granuloma"
    lesion_word = host.kind is not FindingKind.calcification and host.word_start is not None
    part = host.kind is FindingKind.calcification and m.pattern in PART_PATTERNS
    return same if described_further and (lesion_word or part) else None


def lesion_link_pass(m: Mention) -> None:
    """Writes ``host``, ``loc``, ``inherited``, ``inherited_size``, ``current``.

    Example: "3.1 cm hemangioma in segment 7. Small echogenic focus within it
    represents a phlebolith." -> the second sentence's finding is the hemangioma,
    31 mm, segment 7 (its own sizes, if any, are of the calcification inside).
    """
    same = _same_sentence_lesion(m)
    last: LastHost | None
    if same is not None:
        last = same
    elif m.anaphora or m.adjacent or m.first.kind == "phlebolith":
        last = m.host_before()
    else:
        return
    if last is None:
        return
    if m.adjacent and same is None:
        # "Adjacent to it there is a 2 mm calcification": its own finding, in that place
        if m.loc == Location():
            m.loc = last.location
        return
    host = m.host
    if not (
        same is not None
        or host.kind is FindingKind.calcification
        or host.associated is last.associated
        or host.associated is None
        or last.associated is None
    ):
        return
    if host.kind is FindingKind.calcification:
        m.host = attributes.Host(last.kind, last.associated)
    elif host.associated is None and last.associated is not None:
        m.host = attributes.Host(last.kind, last.associated, host.word_start)
    m.inherited_size = last.size_mm
    m.inherited = last
    m.calcification_mm = own_calcification_size(m.text, m.current, m.first, last.size_mm)
    for name, value in last.features.items():
        m.features.setdefault(name, value)  # the lesion's own enhancement, ducts, cysts
    if m.loc == Location() or (m.loc.segment is None and last.location.segment is not None):
        m.loc = last.location
    m.current = []


def count_pass(m: Mention) -> None:
    """Writes ``count`` and ``count_is_after``.

    Example: "calcified granulomas: three in the right lobe" -> 3, written after the
    noun; "calcified metastases" (the lesion is the finding) -> "multiple".
    """
    text, first, host = m.text, m.first, m.host
    if m.inherited is not None and host.kind is not FindingKind.calcification:
        m.count = 1  # "11 cm cystic mass ... a few calcifications in the septa": one mass
        return
    lesion_word = _lesion_word_before(m) if host.kind is not FindingKind.calcification else None
    if m.host_from_before and lesion_word is None:
        # "Known hemangioma in segment 6, 3.8 cm, with a few phleboliths": the lesion's own
        # count, not its calcifications'
        words = list(attributes.HOST_WORDS.finditer(text, m.s_start, m.c_start))
        if words:
            plural = attributes.plural_host_word(words[-1].group(0))
            m.count = attributes.read_count(text, m.s_start, words[-1].start(), plural)
            return
    if lesion_word is not None:
        # "a 4.5 cm lesion ..., containing a few small phleboliths" (a hemangioma named in
        # the next sentence): one lesion, however many calcifications it holds
        m.count = attributes.read_count(text, m.c_start, lesion_word[0], lesion_word[1])
    elif host.kind is FindingKind.calcification or host.word_start is None:
        plural = host.kind is FindingKind.calcification and any(
            t.plural for t in _same_organ_targets(m)
        )
        after = next(
            (n for t in m.targets if (n := attributes.count_after(text, t.end)) is not None),
            None,
        )
        m.count_is_after = after is not None
        sign = attributes.tied_sign(text, m.c_start, first.start) if after is None else None
        if sign is not None:
            # "Two signal voids ... correspond to the calcifications on CT": two
            m.count = attributes.read_count(text, m.c_start, sign[0], sign[1])
            return
        m.count = after or attributes.read_count(
            text, m.c_start, first.start, plural, target_end=first.end
        )
        if m.count == "multiple" and plural:
            m.count = attributes.restated_count(text, first.end, m.c_end) or m.count
    else:
        m.count = attributes.read_count(
            text, m.c_start, min(first.start, host.word_start), host.plural
        )
    if m.count == "multiple" and (
        LIVER_ONE.search(text, first.end, m.c_end)
        or ONE_OF_GROUP.search(text, m.c_start, first.start)
    ):
        # "granulomata in the spleen and the liver, the hepatic one in segment 7": one
        m.count = 1


# one member of a group named before the calcification is said of it: "Hepatic metastases,
# the dominant one in segment 3 ... with central calcification", "there is one that lies
# within the liver ..., calcified"
ONE_OF_GROUP = re_compile(
    r"\b(?:the[ \t\n]+(?:dominant|largest|biggest|index|main)|there[ \t\n]+is)[ \t\n]+one\b"
    r"(?![ \t\n]+(?:of|and|or)\b)",
    re.I,
)
# the liver's member of a finding given to several organs, in the singular
LIVER_ONE = re_compile(
    r"\b(?:the|a|an)[ \t\n]+(?:intra-?)?(?:hepatic|liver)[ \t\n]+one\b(?![ \t\n]*(?:of|and)\b)",
    re.I,
)


def _same_organ_targets(m: Mention) -> list[Target]:
    """The clause's targets up to the first one another organ's word stands before.

    Example: "calc granuloma seg 3 4mm spleen 12cm w 2 calcs" -> only "calc granuloma":
    the spleen's plural is not the liver finding's count.
    """
    out = [m.first]
    for t in m.targets[1:]:
        if any(o.organ != "liver" for o in organs.find_organs(m.text, out[-1].end, t.start)):
            break
        out.append(t)
    return out


def _lesion_word_before(m: Mention) -> tuple[int, bool] | None:
    """(start, plural) of the lesion noun before the target in its clause, when the host
    kind was read from around the clause rather than from a word of it (else None)."""
    if m.host.word_start is not None:
        return None
    words = list(attributes.HOST_WORDS.finditer(m.text, m.c_start, m.first.start))
    if not words:
        return None
    last = words[-1]
    return last.start(), attributes.plural_host_word(last.group(0))


def change_pass(m: Mention) -> None:
    """Writes ``comparison``, ``prior_mm``, ``pattern`` (in a lesion), ``mergeable``.

    Example: "stable calcification in a 2 cm mass, central and coarse" -> stable,
    pattern central (where it sits in the lesion says more than its texture).
    """
    text, first = m.text, m.first
    m.comparison = attributes.read_comparison(text, m.c_start, m.c_end)
    m.prior_mm = m.priors[0].mm if m.priors else None
    if m.host.kind is not FindingKind.calcification and m.pattern not in (None, *PART_PATTERNS):
        m.pattern = attributes.read_pattern(
            text, first.start, first.end, m.c_start, m.c_end, prefer_place=True
        )
    if m.inherited is not None:
        m.prior_mm = m.inherited.prior_size_mm if m.prior_mm is None else m.prior_mm
        m.comparison = m.comparison or m.inherited.comparison
    m.mergeable = ANOTHER.search(text, m.c_start, m.c_end) is None


def size_group_pass(m: Mention) -> None:
    """Writes ``size_groups``, ``paired``, ``per_count`` (and a comparison from sizes).

    Example: "measuring 1.4 cm and 0.9 cm" -> two groups (14, 9); "calc 3 mm seg 6,
    4 mm seg 7" -> sizes paired with places; "now 7 mm (previously 5 mm)" -> increased.
    """
    current = m.current
    if (
        len(current) > 1
        and all(is_list_gap(m.text[a.end : b.start]) for a, b in itertools.pairwise(current))
        and not any(z.largest for z in current)
    ):
        m.size_groups = [z.mm for z in current[:MAX_FINDINGS]]
    elif current:
        m.size_groups = [pick_size(current, m.first, m.host.kind, m.host.word_start)]
        if m.host.kind is not FindingKind.calcification and len(current) > 1:
            m.calcification_mm = own_calcification_size(m.text, current, m.first, m.size_groups[0])
    else:
        m.size_groups = [m.inherited_size]
    # a plural lesion noun naming the finding itself ("Calcified hepatic metastases: 1.6 cm
    # in segment 6 and 2.0 cm in segment 8") is no other lesion among the sizes
    own_host = (
        m.host.word_start
        if m.host.kind is not FindingKind.calcification
        and m.host.plural
        and m.host.word_start is not None
        and current
        and m.host.word_start < current[0].start
        else None
    )
    m.paired = sizes_with_places(m.text, m.c_start, m.c_end, current, own_host)
    if m.paired is not None and len(m.size_groups) == 1:
        m.size_groups = [z.mm for z, _ in m.paired]
    if len(m.size_groups) > 1:
        m.per_count = 1
    else:
        m.per_count = m.count
        if current and current[0].superlative and m.per_count == 1:
            m.per_count = "multiple"
    first_size = m.size_groups[0]
    if (
        first_size is not None
        and m.prior_mm is not None
        and (
            m.comparison is None
            or (
                m.comparison is Comparison.new
                and NEW_BEFORE.search(m.text, max(m.c_start, m.first.start - 40), m.first.start)
            )
        )
    ):
        # "the metastasis now 2.2 cm (previously 3.0 cm) with new coarse calcification":
        # what is new is its calcification; the finding, measured before, changed by size
        m.comparison = compare(first_size, m.prior_mm)


def _each_size(m: Mention) -> bool:
    """One size said of each member ("S3 & S5, 2 mm each", "each measuring 2 mm")."""
    if len(m.current) != 1:
        return False
    z = m.current[0]
    return (
        EACH.match(m.text, z.end, m.c_end) is not None
        or EACH_BEFORE.search(m.text, max(m.c_start, z.start - 16), z.start) is not None
    )


def split_pass(m: Mention) -> None:
    """Writes ``segs``, ``size_groups``, ``per_count``, ``loc``, or ``drafts`` directly.

    Example: "calcified granulomas in segments 2 and 6" -> two findings, one per
    segment; "in the right, left and caudate lobes" -> one per lobe; "one lesion
    spanning segments 7 and 8" -> its lobe, no segment.
    """
    if m.paired is not None and len(m.size_groups) == len(m.paired):
        counts = (
            item_counts(m.text, m.c_start, m.paired)
            if any(z.largest for z, _ in m.paired)
            else [1] * len(m.paired)
        )
        # "seg 5 1.1cm, seg 8 0.7cm (prev 1.5, 1.0cm)": one earlier size per member, in order
        priors: list[float | None] = [None] * len(m.paired)
        if len(m.priors) == len(m.paired) and m.priors[0].start > m.paired[-1][0].end:
            priors = [z.mm for z in m.priors]
        m.drafts = [
            _draft(m, size=z.mm, location=where, count=n, prior=prior, mergeable=False)
            for (z, where), n, prior in zip(m.paired, counts, priors, strict=True)
        ]
        for d in m.drafts:
            if d.prior_size_mm is not None and d.size_mm is not None:
                d.comparison = compare(d.size_mm, d.prior_size_mm)
        return
    text = m.text
    segs = locations.segment_list(text, m.c_start, m.c_end)
    if _dealt_to_each_place(m, segs):
        return
    unsized = m.size_groups == [None] or (_each_size(m) and len(m.size_groups) == 1)
    if (
        unsized
        and len(set(segs)) > 1
        and m.per_count != 1
        and (m.per_count == "multiple" or m.per_count == len(segs))
    ):
        m.size_groups = m.size_groups * len(segs)
        m.per_count = 1
        m.segs = segs
        return
    if not segs and unsized and m.per_count != 1:
        lobes = locations.lobe_list(text, m.c_start, m.c_end)
        if len(lobes) > 1 and THROUGHOUT.search(text, m.c_start, m.c_end):
            m.loc = Location()  # spread through every lobe named: one finding, no lobe
            return
        if len(lobes) > 1:
            mergeable = m.sec.category in SUMMARY_SECTIONS
            m.drafts = [
                _draft(m, m.size_groups[0], Location(lobe=lobe), 1, prior=None, mergeable=mergeable)
                for lobe in lobes
            ]
            return
    if len(m.size_groups) == 1:
        _joined_segments(m)
        if m.per_count == "multiple" and SPREAD_OVER_LIVER.search(text, m.c_start, m.c_end):
            # "throughout both lobes, the largest in segment 4a": the largest's place is not
            # the group's
            m.loc = Location()
        return
    if not segs and _sizes_dealt_to_lobes(m):
        return
    m.segs = segs


def _sizes_dealt_to_lobes(m: Mention) -> bool:
    """One finding per lobe of a lobe list that has exactly as many sizes, paired in
    order; True when it did so.

    Why: "in the right and left lobes measure 6 mm and 3 mm respectively" and "in the
    left and caudate lobes (2 and 4 mm)" name each size's lobe by its rank in the list,
    just as a segment list does; the nearest lobe word would give every size the same
    (last) lobe. A list of another length pairs nothing (left to the rules before).
    """
    lobes = locations.lobe_list(m.text, m.c_start, m.c_end)
    if len(lobes) < 2 or len(lobes) != len(m.size_groups):
        return False
    m.drafts = [
        _draft(m, size, Location(lobe=lobe), 1, prior=None, mergeable=False)
        for size, lobe in zip(m.size_groups, lobes, strict=True)
    ]
    return True


def _dealt_to_each_place(m: Mention, segs: list[int]) -> bool:
    """One finding (with the one size and count) for every segment or lobe of a list that
    "each" distributes over; True when it did so.

    Example: "Segment 2 and segment 3 each contain a 3 mm calcified granuloma" -> two
    findings of 3 mm, segments 2 and 3 (not one lesion spanning both); "the right and
    left lobes each hold two granulomas" -> two per lobe. A group with "each" after it
    ("calcifications in S3 & S5, 2 mm each") is left to the rules below, and one lesion
    "spanning" segments stays one.
    """
    each = EACH_PLACE.search(m.text, m.c_start, m.c_end)
    if each is None or len(m.size_groups) != 1 or SPANNING.search(m.text, m.c_start, m.c_end):
        return False
    if m.per_count != 1 and each.start() > m.first.start:
        return False  # "two granulomas, one in each of segments 3 and 5": ones, below
    if len(set(segs)) > 1:
        m.size_groups = m.size_groups * len(segs)
        m.segs = segs
        return True
    lobes = [] if segs else locations.lobe_list(m.text, m.c_start, m.c_end)
    if len(lobes) < 2:
        return False
    m.drafts = [
        _draft(m, m.size_groups[0], Location(lobe=lobe), m.per_count, prior=None, mergeable=False)
        for lobe in lobes
    ]
    return True


def _joined_segments(m: Mention) -> None:
    """One lesion "spanning segments 7 and 8 (of the right lobe)": its lobe, no segment; so
    too one group given one size over joined segments ("punctate calcifications in segments
    7 and 8, up to 2 mm"): a bound for the whole group places none of it in either.

    Only one lesion over both segments ("a 4 cm mass involving segments 3 and 4") keeps
    the lobe they imply: a group over two segments of one lobe ("scattered calcifications
    in segments 6 and 7, the largest 4 mm") and a finding at their junction ("at the
    junction of segments 5 and 6", "in segment V/VI") name no lobe unless one is written.
    """
    joined = locations.joined_segments(m.text, m.c_start, m.c_end)
    if joined and m.loc.segment in joined:
        lobes = {locations.location_for_segment(g).lobe for g in joined}
        stated = locations.find_location(m.text, m.c_start, m.c_end, m.first.start)
        at_junction = JUNCTION.search(m.text, m.c_start, m.c_end) is not None
        one_lesion = m.per_count == 1 and not at_junction
        lobe = m.loc.lobe if len(lobes) == 1 and one_lesion else None
        if stated.lobe is not None and LOBE_WORD.search(m.text, m.c_start, m.c_end):
            lobe = stated.lobe
        m.loc = Location(lobe=lobe)


PASSES: tuple[Callable[[Mention], None], ...] = (
    host_pass,
    size_pass,
    place_pass,
    lesion_link_pass,
    count_pass,
    change_pass,
    size_group_pass,
    split_pass,
)


def resolve(m: Mention) -> list[Draft]:
    """Run ``PASSES`` over the mention and return its draft findings."""
    for step in PASSES:
        step(m)
        if m.drafts is not None:
            return m.drafts
    return build_drafts(m)


def build_drafts(m: Mention) -> list[Draft]:
    """One draft per size group; a segment list gives each its own place.

    Example: "in segments 6 and 7 measuring 2 mm and 3 mm respectively" -> (seg 6,
    2 mm) and (seg 7, 3 mm).
    """
    groups = m.size_groups
    single = len(groups) == 1
    mergeable = m.mergeable and (single or restates_places(m.sec, groups))
    # "...; this is a calcified granuloma" names the finding before it again, and so does
    # a "with ..." clause that describes a part of the lesion the sentence opened on
    # ("Calcified hydatid cyst ..., 9.4 cm, with a thick rim of mural calcification"):
    # one finding, which the merge completes (here with its rim)
    redescribes = m.host_from_before or (
        m.c_start > m.s_start
        and (
            REDESCRIBES.match(m.text, m.c_start, m.first.start) is not None
            or _names_it_hedged(m)  # "...; may represent a calcified metastasis"
        )
    )
    out: list[Draft] = []
    for i, size in enumerate(groups):
        where = m.loc
        if len(m.segs) == len(groups):
            where = locations.location_for_segment(m.segs[i])
        d = _draft(
            m, size, where, m.per_count, prior=m.prior_mm if single else None, mergeable=mergeable
        )
        d.count_after = m.count_is_after
        d.redescribes = redescribes
        out.append(d)
    return out


def _draft(
    m: Mention,
    size: float | None,
    location: Location,
    count: int | str,
    prior: float | None,
    mergeable: bool,
) -> Draft:
    return Draft(
        kind=m.host.kind,
        associated=m.host.associated,
        count=count,
        pattern=m.pattern,
        location=location,
        size_mm=size,
        prior_size_mm=prior,
        comparison=m.comparison,
        features=m.features,
        evidence=m.evidence,
        section_category=m.sec.category,
        sentence_key=m.sentence_key,
        mergeable=mergeable,
        calcification_mm=m.calcification_mm if len(m.size_groups) == 1 else None,
    )


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------


def compare(current: float, prior: float) -> Comparison:
    """Comparison from the current and prior sizes."""
    if current > prior:
        return Comparison.increased
    if current < prior:
        return Comparison.decreased
    return Comparison.stable


def restates_places(sec: sections.Section, size_groups: list[float | None]) -> bool:
    """A summary naming places without sizes restates findings, it does not add them.

    "IMPRESSION: Two benign-appearing hepatic calcifications (segments 7 and 2)" after
    a 4 mm one in segment 7 and a 3 mm one in segment 2: each place merges into the
    finding already read there (2 findings, not 4). In FINDINGS such a list is new.
    """
    return sec.category in SUMMARY_SECTIONS and all(z is None for z in size_groups)


def sizes_with_places(
    text: str,
    c_start: int,
    c_end: int,
    current: list[sizes.Size],
    own_host: int | None = None,
) -> list[tuple[sizes.Size, Location]] | None:
    """Pair each size with its own segment/lobe when a clause lists both one-to-one.

    A "largest" size pairs too when every size is written after its own place
    ("right lobe three (largest 5 mm), left lobe one (3 mm)"): then it is that place's
    group's largest, not the whole clause's.
    """
    if len(current) < 2:
        return None
    if any(z.largest for z in current) and not _each_size_after_its_place(
        text, c_start, c_end, current
    ):
        return None
    host = attributes.HOST_WORDS.search(text, c_start, c_end)
    if host is not None and own_host is not None and host.start() <= own_host:
        host = attributes.HOST_WORDS.search(text, host.end(), c_end)  # the finding's own noun
    if host is not None:
        return None  # a lesion's size is among them ("... adjacent to a 2 cm cyst")
    places = _without_framing_lobe(locations.place_mentions(text, c_start, c_end), current)
    if len(places) != len(current) or len({repr(p) for _, p in places}) != len(places):
        return None
    # as many sizes as places, each list in reading order: "3 mm seg 6, 4 mm seg 7" and
    # "segment 6 (5 mm) and segment 7 (3 mm)" both pair the n-th size with the n-th place
    return [(z, place) for z, (_, place) in zip(current, places, strict=True)]


def _each_size_after_its_place(
    text: str, c_start: int, c_end: int, current: list[sizes.Size]
) -> bool:
    """Every size has a place mention between it and the size before it."""
    starts = [at for at, _ in locations.place_mentions(text, c_start, c_end)]
    lo = c_start
    for z in current:
        k = bisect.bisect_left(starts, lo)  # (sorted: linear in a long list, not quadratic)
        if k >= len(starts) or starts[k] >= z.start:
            return False
        lo = z.end
    return True


# a group's count stated in its own item of a place list ("right lobe three (largest 5 mm)")
_ITEM_COUNT = re_compile(
    r"\b(?P<word>one|single|two|three|four|five|six|seven|eight|nine|ten|several|multiple"
    r"|numerous|a[ \t\n]+few)\b(?![ \t\n-]*(?:segments?|lobes?|mm|cm)\b)"
    r"|(?<![\w.])[x\u00d7][ \t]?(?P<digit>[1-9]\d?)\b(?![ \t]*(?:mm|cm|\.\d))",
    re.I,
)


def item_counts(
    text: str, c_start: int, paired: list[tuple[sizes.Size, Location]]
) -> list[int | str]:
    """The count each item of a paired place list states (1 when none; several when its
    size is the largest of its group): "right lobe three (largest 5 mm), left lobe one
    (3 mm)" -> [3, 1]."""
    out: list[int | str] = []
    lo = c_start
    for z, _ in paired:
        m = _ITEM_COUNT.search(text, lo, z.start)
        if m is not None and m.group("digit"):
            out.append(int(m.group("digit")))  # "right lobe x3 (up to 4 mm)"
        elif m is not None:
            word = " ".join(m.group("word").lower().split())
            out.append(attributes.NUMBER_WORDS.get(word, "multiple"))
        else:
            out.append("multiple" if sizes.LARGEST_BEFORE.search(text, lo, z.start) else 1)
        lo = z.end
    return out


def _without_framing_lobe(
    places: list[tuple[int, Location]], current: list[sizes.Size]
) -> list[tuple[int, Location]]:
    """The places without a lobe named before every size that holds all the segments after
    it: "Within the right lobe there are two calcifications, of 3 mm in segment 7 and 8 mm
    in segment 5" pairs the sizes with segments 7 and 5 (both of the right lobe)."""
    if len(places) != len(current) + 1:
        return places
    (at, frame), rest = places[0], places[1:]
    if (
        frame.segment is not None
        or frame.lobe is None
        or at > current[0].start
        or any(p.segment is None or p.lobe is not frame.lobe for _, p in rest)
    ):
        return places
    return rest


is_list_gap = sizes.is_list_gap


def own_calcification_size(
    text: str, current: list[sizes.Size], first: Target, lesion_mm: float | None
) -> float | None:
    """The calcification's own size, when the clause measures it inside a lesion.

    Example: "A 3.6 cm hemangioma in segment 5 contains a 4 mm calcification" -> 4 (the
    finding stays the 36 mm hemangioma). Why: the engine decides on the lesion's size
    (LI-RADS, growth, work-up), while readers and annotators also want the size of the
    calcification itself. Only a size bound to the calcification's own words ("a 4 mm
    calcification", "calcification measuring 2.0 cm": nothing but a few words between,
    no comma, no lesion noun) and smaller than the lesion can be the part inside it;
    "3.1 cm in segment 6 and 2.0 cm in segment 7, the first containing a phlebolith"
    gives None.
    """
    # the sign the calcification is named by ("a 5 mm signal void that corresponds to a
    # calcification on CT") is its noun phrase too
    anchors = [(first.start, first.end)]
    anchors += attributes.sign_spans(text, max(0, first.start - _SIGN_WINDOW), first.start)
    bound = [z for z in current if any(_bound_to(text, z, a, b) for a, b in anchors)]
    if not bound:
        return None
    own = pick_size(bound, first, FindingKind.calcification)
    if lesion_mm is not None and own >= lesion_mm:
        return None
    return own


_OWN_SIZE_GAP = 32
_SIGN_WINDOW = 60


def _bound_to(text: str, z: sizes.Size, start: int, end: int) -> bool:
    """The size is written right before or after the words at ``start:end``, inside
    their noun phrase."""
    if z.end <= start:
        gap = text[z.end : start]
    elif z.start >= end:
        gap = text[end : z.start]
    else:
        return False
    if len(gap) > _OWN_SIZE_GAP or any(c in gap for c in ",;.:()\n"):
        return False
    return attributes.HOST_WORDS.search(gap) is None


def pick_size(
    current: list[sizes.Size], first: Target, kind: FindingKind, host_at: int | None = None
) -> float:
    """One size for the finding: the one nearest its noun (the lesion's for a lesion, the
    calcification's for a calcification)."""
    if len(current) == 1:
        return current[0].mm
    anchor_start, anchor_end = first.start, first.end
    if kind is not FindingKind.calcification:
        if host_at is None:
            return current[0].mm
        anchor_start = anchor_end = host_at

    def dist(z: sizes.Size) -> int:
        # a size right before its noun ("2.5 cm mass") binds tighter than one after it
        return anchor_start - z.end if z.end <= anchor_start else (z.start - anchor_end) + 5

    return min(current, key=dist).mm
