"""Descriptors of a finding read from its clause: count, pattern, host lesion,
comparison with a prior exam, imaging features, and report-level facts
(background liver, stated modality).

Each reader is a small table of phrases -> code, so adding a synonym is a data
change. Windows are bounded (a clause, or a few dozen characters around the
target), which keeps every search linear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from hepcalc.model import Associated, Comparison, FindingKind, Modality, Pattern
from hepcalc.regex_cache import re_compile
from hepcalc.reports import context, lexicon
from hepcalc.reports.locations import SEGMENT_WORD

_NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "single": 1,
    "solitary": 1,
    "isolated": 1,
    "lone": 1,
    "two": 2,
    "couple": 2,
    "pair": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
}
NUMBER_WORDS = _NUMBER_WORDS  # number words -> value, for the readers of form fields
_COUNT = re_compile(
    r"\b(?P<multi>several|multiple|numerous|scattered|innumerable|countless|few|many|various"
    r"|diffuse|clustered|cluster|multifocal|myriad|some|septal|reticular|network"
    r"|tortoise[ \t-]?shell|honeycomb(?:ing)?)\b"
    r"|\b(?P<word>a|an|one|single|solitary|isolated|lone|two|couple|pair|three|four|five|six"
    r"|seven|eight|nine|ten)\b"
    r"|(?<![\d.])(?P<digit>[1-9]\d?)(?![\d.])(?![ \t]*(?:-[ \t]*)?(?:mm|cm|[x\u00d7][ \t]*\d"
    r"|(?:-|\u2013|to)[ \t]*\d{1,3}(?:\.\d{1,2})?[ \t]*(?:mm|cm)"  # "2-3 mm": a size range
    r"|millim|centim|%|hu|/|weeks?|wks?|w\b|days?|months?|mo\b|years?|yrs?|y\b|yo\b|h\b|hours?|ml|cc\b|kg|g\b"
    r"|mg|units?|o'?clock|:|(?:st|nd|rd|th)\b))",
    re.I,
)

# "calcification throughout the liver": a singular word for calcification spread over the
# organ is many foci, not one (a count of 1 would read as a solitary focus)
_SPREAD_AFTER = re_compile(
    r"[ \t\n]+(?:(?:is|are)[ \t\n]+(?:seen|present|noted|visible)[ \t\n]+)?"
    r"(?:(?:scattered|distributed|diffusely)[ \t\n]+)?throughout[ \t\n]+"
    r"(?:the[ \t\n]+|both[ \t\n]+)?"
    r"(?:liver|hepatic|lobes|parenchyma|right[ \t\n]+and[ \t\n]+left)\b",
    re.I,
)
_PRONOUN_ONE = re_compile(r"[ \t\n]+(?:in|at|within|of|near|along)\b", re.I)
_NOT_A_COUNT = re_compile(
    rf"\b(?:{SEGMENT_WORD}|seg\.?|s|image|series|level|grade|type|stage|lr|li-rads|t|day|week|year"
    r"|ct|mri|no\.?)[ \t\n]*$|#[ \t\n]*$"
    rf"|\b(?:{SEGMENT_WORD}|seg\.?)[ \t]*(?:[1-8]|[ivx]{{1,4}})[ab]?"
    r"[ \t]*(?:,|and|or|&|/|-)[ \t]*$",
    re.I,
)

_PATTERN = (
    (Pattern.popcorn, re_compile(r"\bpopcorn\b", re.I)),
    (
        Pattern.capsular,
        re_compile(
            r"\bcapsular\b|\b(?:along|on|of)[ \t\n]+the[ \t\n]+(?:liver[ \t\n]+|hepatic[ \t\n]+)?"
            r"(?:capsule|capsular[ \t\n]+surface)\b|\bglisson'?s?[ \t\n]+capsule\b"
            # "capsule calcifications", "liver capsule calcification"
            r"|\bcapsule(?=[ \t\n]+(?:calcif|calc\b|calcs\b))",
            re.I,
        ),
    ),
    (
        Pattern.rim,
        re_compile(
            r"\b(?:rim|rims|mural|peripheral(?:ly)?|egg-?shell|curvilinear|ring-?like|ring|wall"
            r"|walls|marginal)\b",
            re.I,
        ),
    ),
    (Pattern.central, re_compile(r"\bcentral(?:ly)?\b", re.I)),
    (Pattern.amorphous, re_compile(r"\bamorphous\b", re.I)),
    (
        Pattern.coarse,
        re_compile(r"\b(?:coarse|coarsely|chunky|clumped|bulky|conglomerate)\b", re.I),
    ),
    (
        Pattern.punctate,
        re_compile(
            r"\b(?:punctate|pinpoint|pin-point|dot-?like|speckled|stippled|microcalcifications?"
            r"|micro-calcifications?)\b",
            re.I,
        ),
    ),
)

_HOST_GROUPS = ("cyst", "heman", "solid", "lesion")  # the code reads these group names


def _host_pattern(key: str) -> re.Pattern[str]:
    """The host-word alternation ``key`` of ``data/host_words.yaml``, checked."""
    where = f"host_words.yaml: {key}"
    groups = lexicon.load("host_words").get(key)
    if not isinstance(groups, dict) or tuple(groups) != _HOST_GROUPS:
        raise lexicon.LexiconError(f"{where}: must list exactly {', '.join(_HOST_GROUPS)}")
    joined = "|".join(
        rf"\b(?P<{g}>{'|'.join(lexicon.alternatives(f'{where}.{g}', alts))})\b"
        for g, alts in groups.items()
    )
    return lexicon.compiled(where, joined, re.I)


_HOST = _host_pattern("host")
# host nouns alone (for "within it" back-references across sentences)
HOST_WORDS = _host_pattern("back_reference")
_NOT_HOST = re_compile(
    r"\b(?:adjacent[ \t\n]+to|near|next[ \t\n]+to|separate[ \t\n]+from|abutting|apart[ \t\n]+from"
    r"|distinct[ \t\n]+from|no|without)[ \t\n]+(?:the[ \t\n]+|a[ \t\n]+|an[ \t\n]+"
    r"|any[ \t\n]+)?(?P<assoc>associated[ \t\n]+|underlying[ \t\n]+)?(?:[a-z0-9.-]+[ \t\n]+){0,3}$",
    re.I,
)
_NO_WORD = re_compile(r"(?:no|without)\b", re.I)
_UNCALCIFIED_BEFORE = re_compile(r"\b(?:non-?|un)calcified[ \t\n]+(?:[a-z-]+[ \t\n]+){0,2}$", re.I)
_DAUGHTER = re_compile(r"\bdaughter[ \t\n]*$", re.I)
_CONTAINS = re_compile(
    r"\b(?:with|contain[a-z]*|within|demonstrat[a-z]*|show[a-z]*|has|have|having|harbou?r[a-z]*"
    r"|includ[a-z]*)\b",
    re.I,
)
_REDESCRIBED = re_compile(
    r"\b(?:represent[a-z]*|consistent[ \t\n]+with|compatible[ \t\n]+with|in[ \t\n]+keeping"
    r"[ \t\n]+with|reflect[a-z]*|likely|probably|due[ \t\n]+to|suggest[a-z]*(?:[ \t\n]+of)?)"
    r"(?:[ \t\n]+(?:an?|the|coarse|punctate|small|tiny|dense|large))*[ \t\n]*$",
    re.I,
)
_COMPLEX = re_compile(
    r"\b(?:complex|septat[a-z]*|hydatid|echinococ[a-z]*|thick[- ]walled|multilocul[a-z]*"
    r"|multicystic|multivesicular|honeycomb|daughter|mural[ \t\n]+nodul[a-z]*"
    r"|solid[ \t\n]+component|water[- ]?lil(?:y|ies)|(?:who[- ])?ce[- ]?[1-5][ab]?|gharbi)\b",
    re.I,
)
# "a multiloculated cystic mass", "a cystic lesion": the mass word names a cyst
_CYSTIC_BEFORE = re_compile(
    r"\b(?:cystic|multicystic|multi-?locul[a-z]*|multiseptated)[ \t\n]+(?:[a-z]+[ \t\n]+)?$", re.I
)
_SOLID_TOO = re_compile(r"\bsolid\b", re.I)

# "none larger than 2 mm" bounds a size; it compares nothing with a prior exam
_THAN_N = r"[ \t\n]+than[ \t\n]+(?:\d|a[ \t\n]+few|one|two|three)"
# "similar foci", "similar calcified granulomas": other findings like this one, not a prior
_LIKE_NOUNS = (
    r"(?:foc(?:us|i)|lesions?|granulom[a-z]*|calcific[a-z]*|calcs?|nodules?|ones?|densit(?:y|ies)"
    r"|deposits?|spots?|findings?)\b"
)
_COMPARISON = (
    (
        Comparison.new,
        re_compile(
            # (also "has appeared / has developed since" the earlier exam)
            r"\b(?:new|newly|interval[ \t\n]+(?:development|appearance)"
            r"|not[ \t\n]+(?:seen|present|visible|identified|evident)[ \t\n]+(?:previously|before)"
            r"|(?:has|have)[ \t\n]+"
            r"(?:(?:since|now|recently)[ \t\n]+)?(?:appeared|developed|arisen|emerged)"
            r"|not[ \t\n]+previously"
            r"[ \t\n]+(?:seen|described|reported|identified|noted|present|visualized)"
            r"|not[ \t\n]+(?:previously"
            r"[ \t\n]+)?(?:seen|present|visible|visualized|identified)[ \t\n]+(?:on|in|at)[ \t\n]+"
            r"(?:the[ \t\n]+)?(?:prior|previous|earlier|baseline))\b",
            re.I,
        ),
    ),
    (
        Comparison.increased,
        re_compile(
            r"\b(?:increas(?:ed|ing|e)|enlarging|(?:has|have)[ \t\n]+enlarged"
            r"|enlarged[ \t\n]+(?:since|from|compared"
            r"|in[ \t\n]+the[ \t\n]+interval)|grown|grew|growing|growth|(?<!the )larger(?!"
            + _THAN_N
            + ")"
            r"|(?<!the )bigger(?!" + _THAN_N + ")"
            r"|progress(?:ed|ion|ing))\b",
            re.I,
        ),
    ),
    (
        Comparison.decreased,
        re_compile(
            r"\b(?:decreas(?:ed|ing|e)|smaller(?!" + _THAN_N + ")|reduc(?:ed|tion)|shrunk|shrinking"
            r"|regress(?:ed|ion)"
            r"|diminish(?:ed|ing))\b",
            re.I,
        ),
    ),
    (
        Comparison.stable,
        re_compile(
            # common dictation typos of "unchanged" and "stable" are read as the words
            r"\b(?:stable|stabel|unchanged|unchnaged|unchagned|unchaged|unchg|unchgd"
            # "similar foci in the spleen" likens the liver finding to other ones: no prior
            r"|similar(?![ \t\n]+(?:[a-z-]+[ \t\n]+)?" + _LIKE_NOUNS + ")"
            # "constant." / "remains constant in size" (a German or French "konstant")
            r"|constant(?=[ \t\n]*(?:[.,;:)]|$|in[ \t\n]+size|size|appearance|since|compared|from))"
            r"|no[ \t\n]+(?:significant[ \t\n]+"
            r"|interval[ \t\n]+)?"
            r"(?:change|growth|increase|enlargement|evolution|dynamics)"
            r"|not[ \t\n]+(?:significantly[ \t\n]+)?changed"
            # (also in non-native usage: "without dynamics", "size-constant")
            r"|size[ \t\n-]+constant"
            r"|without[ \t\n]+(?:significant[ \t\n]+|interval[ \t\n]+|any[ \t\n]+)?"
            r"(?:changes?|evolution|dynamics|modification))\b",
            re.I,
        ),
    ),
)
_NEG_NEW = re_compile(r"\b(?:no|without|not)[ \t\n]+(?:[a-z]+[ \t\n]+)?$", re.I)
_NO_GROWTH = re_compile(r"\b(?:no|without|not)[ \t\n]+(?:[a-z]+[ \t\n]+){0,2}$", re.I)

_FEATURES = (
    (
        "aphe",
        re_compile(
            r"\b(?:aphe|arterial[ \t\n]+(?:phase[ \t\n]+)?(?:hyper)?enhanc[a-z]*"
            r"|hyperenhanc[a-z]*[ \t\n]+(?:in|on|during)[ \t\n]+(?:the[ \t\n]+)?arterial"
            r"|arterially[ \t\n]+enhancing|hypervascular)\b",
            re.I,
        ),
    ),
    ("washout", re_compile(r"\bwash[- ]?out\b", re.I)),
    (
        "capsule",
        re_compile(r"\b(?:enhancing[ \t\n]+)?capsule\b|\bcapsular[ \t\n]+enhancement\b", re.I),
    ),
    ("signal_void", re_compile(r"\bsignal[ \t\n]+(?:void|loss|dropout)\b|\bblooming\b", re.I)),
    ("acoustic_shadowing", re_compile(r"\b(?:acoustic[ \t\n]+)?shadowing\b", re.I)),
    (
        "peripheral_nodular_enhancement",
        re_compile(
            r"\bperipheral[ \t\n]+(?:nodular|discontinuous|puddling)[ \t\n]+(?:enhancement"
            r"|filling)\b",
            re.I,
        ),
    ),
    ("septations", re_compile(r"\bseptat(?:ions?|ed)\b", re.I)),
    # LI-RADS v2018 LR-M targetoid features (Chernyak V et al. Radiology 2018;289(3):816-830.
    # doi:10.1148/radiol.2018181494): rim APHE and delayed central enhancement.
    (
        "rim_aphe",
        re_compile(
            r"\brim[ \t\n]+(?:aphe|(?:arterial[ \t\n]+(?:phase[ \t\n]+)?)?(?:hyper)?enhanc[a-z]*)"
            r"|\bperipheral[ \t\n]+rim[ \t\n]+(?:of[ \t\n]+)?(?:arterial[ \t\n]+)?enhanc[a-z]*",
            re.I,
        ),
    ),
    (
        "delayed_central_enhancement",
        re_compile(
            r"\b(?:progressive|delayed)[ \t\n]+(?:(?:and|delayed|progressive)[ \t\n]+)*central"
            r"[ \t\n]+enhanc[a-z]*|\bcentral[ \t\n]+(?:delayed|progressive)[ \t\n]+enhanc[a-z]*",
            re.I,
        ),
    ),
    (
        "biliary_dilatation",
        re_compile(
            r"\b(?:biliary|(?:bile[ \t\n]+)?duct(?:al)?)[ \t\n]+dilat[a-z]*"
            r"|\bdilat(?:ed|ation[ \t\n]+of[ \t\n]+the)[ \t\n]+(?:[a-z]+[ \t\n]+)?"
            r"(?:intrahepatic[ \t\n]+)?(?:bile[ \t\n]+)?ducts?\b",
            re.I,
        ),
    ),
    # Hydatid stages with daughter cysts: WHO-IWGE CE2 (multivesicular, honeycomb) and CE3b
    # (daughter cysts in a solid matrix); Gharbi type III (Brunetti E, Kern P, Vuitton DA.
    # Expert consensus for the diagnosis and treatment of cystic and alveolar echinococcosis
    # in humans. Acta Trop 2010;114(1):1-16. doi:10.1016/j.actatropica.2009.11.001).
    (
        "daughter_cysts",
        re_compile(
            r"\bdaughter[ \t\n]+(?:cysts?|vesicles?)\b|\bmultivesicular\b|\bhoneycomb"
            r"|\b(?:who[- ]?(?:iwge[ \t\n]+)?)?ce[- ]?(?:2|3b)\b"
            r"|\bgharbi[ \t\n]+(?:type[ \t\n]+)?(?:iii|3)\b",
            re.I,
        ),
    ),
)
# Substrings each feature pattern needs: a cheap test before the regex.
_FEATURE_KEYS: dict[str, tuple[str, ...]] = {
    "aphe": ("aphe", "arterial", "hypervascular"),
    "washout": ("wash",),
    "capsul": ("capsul",),
    "capsule": ("capsul",),
    "signal_void": ("signal", "blooming"),
    "acoustic_shadowing": ("shadowing",),
    "peripheral_nodular_enhancement": ("peripheral",),
    "septations": ("septat",),
    "rim_aphe": ("rim",),
    "delayed_central_enhancement": ("central",),
    "biliary_dilatation": ("dilat",),
    "daughter_cysts": ("daughter", "vesic", "honeycomb", "ce", "gharbi"),
}
_FEATURE_NEG = re_compile(
    r"\b(?:no|without|absent|lacks?|negative[ \t\n]+for)[ \t\n]+(?:[a-z]+[ \t\n]+){0,3}"
    # a negated list: "without arterial phase hyperenhancement or washout"
    r"(?:,?[ \t\n]*(?:or|nor)[ \t\n]+(?:[a-z]+[ \t\n]+){0,2})?$",
    re.I,
)
_RIM_BEFORE = re_compile(r"\brim[ \t\n]+(?:of[ \t\n]+)?$", re.I)
_NOT_LIRADS_CAPSULE = re_compile(r"\b(?:glisson|liver|hepatic|renal|splenic)\W+$", re.I)

_BACKGROUND = (
    (
        "cirrhosis",
        re_compile(
            r"\b(?:cirrho(?:sis|tic)|nodular[ \t\n]+(?:liver[ \t\n]+)?(?:contour|surface"
            r"|margin)|shrunken[ \t\n]+nodular)\b",
            re.I,
        ),
    ),
    (
        "steatosis",
        re_compile(
            r"\b(?:steatosis|steatotic|fatty[ \t\n]+(?:liver|infiltration|change)"
            r"|hepatic[ \t\n]+fat|increased[ \t\n]+(?:hepatic[ \t\n]+|liver[ \t\n]+)?echogenicity"
            r"|(?:masld|nafld))\b",
            re.I,
        ),
    ),
    (
        "normal",
        re_compile(
            r"\b(?:liver|hepatic[ \t\n]+parenchyma)[ \t\n]+(?:is|appears)[ \t\n]+"
            r"(?:otherwise[ \t\n]+)?(?:normal|unremarkable)|normal[ \t\n]+liver\b",
            re.I,
        ),
    ),
)
_BG_NEG = re_compile(
    r"\b(?:no|without|not|negative[ \t\n]+for|rule[ \t\n]+out|evaluate[ \t\n]+for)[ \t\n]+"
    r"(?:[a-z]+[ \t\n]+){0,4}$",
    re.I,
)

_MODALITY = (
    (
        Modality.PRENATAL_US,
        re_compile(r"\b(?:fetal|fetus|prenatal|obstetric(?:al)?|gestation)\b", re.I),
    ),
    (
        Modality.MRI,
        re_compile(
            r"\b(?:mri|mr[ \t\n]+(?:abdomen|liver|imaging|examination|exam)"
            r"|magnetic[ \t\n]+resonance|t1[- ]weighted|t2[- ]weighted|gadoxetate|eovist"
            r"|primovist|diffusion[- ]weighted)\b",
            re.I,
        ),
    ),
    (
        Modality.CT,
        re_compile(
            r"\b(?:ct|cta|computed[ \t\n]+tomography|cat[ \t\n]+scan|hounsfield|hu)\b", re.I
        ),
    ),
    (
        Modality.US,
        re_compile(
            r"\b(?:(?i:ultrasound|ultrasonography|sonograph(?:y|ic)|sonogram|sonographically"
            r"|doppler|echogenic|hypoechoic|hyperechoic|anechoic|duplex)|US)\b"
        ),
    ),
    (
        Modality.XR,
        re_compile(r"\b(?:radiograph[a-z]*|x-?ray|kub|plain[ \t\n]+film)\b", re.I),
    ),
)


@dataclass(frozen=True, slots=True)
class Host:
    """The lesion a calcification sits in (or none): drives kind and associated."""

    kind: FindingKind
    associated: Associated | None  # None: no host lesion stated (unknown is not "none")
    word_start: int | None = None  # where the host noun is, when there is one
    plural: bool = False  # "metastases", "cysts"


_TIMES_AFTER = re_compile(
    r"(?:[ \t]+(?:foci|focus|lesions?|granulomas?|densities|deposits|nodules?))?"
    # (also after a short place: "echogenic foci R lobe x3")
    r"(?:(?:[ \t]+(?:right|left|r|l|rt|lt|caudate)\.?[ \t]+lobe)?"
    r"[ \t]*\(?[ \t]*(?:x|n[ \t]*=)[ \t]?([1-9]\d?)\b(?![ \t]*(?:mm|cm|\.\d))\)?"
    # (the noun may follow the target word: "echogenic foci: two")
    r"|[ \t]*:[ \t]*(two|three|four|five|six|seven|eight|nine|ten|[2-9])\b(?![ \t]*(?:mm|cm|x)))",
    re.I,
)


def count_after(text: str, target_end: int) -> int | None:
    """A count written after the target: "calcs x3", "calcifications (x2)"."""
    m = _TIMES_AFTER.match(text, target_end, target_end + 24)
    if m is None:
        return None
    if m.group(1):
        return int(m.group(1))
    word = m.group(2).lower()  # "calcified granulomas: three in the right lobe ..."
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


_COUNT_WORD = r"(two|three|four|five|six|seven|eight|nine|ten|[2-9]|1\d)"
# a number restated after a plural noun: "granulomas in the right lobe, now five",
# "calcified granulomas, four in number", "calcifications (seven in total)"
_RESTATED_COUNT = re_compile(
    rf"[^.;:\n]{{0,40}}?[,(][ \t]*(?:(?:now|numbering|totall?ing)[ \t]+{_COUNT_WORD}"
    rf"(?![ \t]*(?:mm|cm|millim|centim|x\b|\u00d7|\.\d|%))\b"
    rf"|{_COUNT_WORD}[ \t]+in[ \t]+(?:number|total)\b)",
    re.I,
)


# a clause that opens on a further counted group of the same noun: "and three in the left
# lobe", "two more within segment 6", "while 4 lie in the right lobe" (the noun left out)
_COUNTED_MEMBER = re_compile(
    r"[ \t\n]*(?:(?:and|with|plus|while|whereas)[ \t\n]+)?"
    rf"{_COUNT_WORD}[ \t\n]+(?:(?:more|others?|further)[ \t\n]+)?"
    r"(?:(?:are|lie|sit|occur)[ \t\n]+)?(?:seen[ \t\n]+)?(?:in|within|at|involving)\b",
    re.I,
)


def counted_member(text: str, c_start: int, c_end: int) -> int | None:
    """The count of a clause that names a further group of the noun just read ("Two
    calcified granulomas in the right lobe and three in the left lobe": 3), else None.

    Why: per-lobe (or per-segment) counts leave the noun out of the second group; read as
    a bare continuation it would be one member and the first group would be split.
    """
    m = _COUNTED_MEMBER.match(text, c_start, c_end)
    if m is None:
        return None
    word = m.group(1).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


def restated_count(text: str, target_end: int, clause_end: int) -> int | None:
    """A count restated after a plural noun ("..., now six", ", four in number"), else None.

    Why: the noun is plural ("multiple") but the report gives the number a few words later;
    only a number with "now"/"numbering"/"in number/total" counts, never a size or a label.
    """
    m = _RESTATED_COUNT.match(text, target_end, clause_end)
    if m is None:
        return None
    word = (m.group(1) or m.group(2)).lower()
    return int(word) if word.isdigit() else _NUMBER_WORDS[word]


# "Two signal voids ... correspond to the calcifications seen on CT": the target is the
# object of a verb tying an MRI/US sign to it; the sign before the verb is what is counted
_TIED_TO = re_compile(
    r"(?:correspond(?:s|ed|ing)?[ \t\n]+(?:to|with)|match(?:es|ed|ing)?"
    r"|concordant[ \t\n]+with)[ \t\n]+(?:the[ \t\n]+|these[ \t\n]+|those[ \t\n]+)?"
    r"(?:[a-z-]+[ \t\n]+){0,2}$",
    re.I,
)
_SIGN = re_compile(r"signal[ \t\n]+(?:voids?|loss(?:es)?)|echogenic[ \t\n]+foc(?:us|i)", re.I)
_TIED_WINDOW = 40


def sign_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where a calcification's imaging sign is named ("signal void", "echogenic focus")."""
    return [m.span() for m in _SIGN.finditer(text, start, end)]


def tied_sign(text: str, clause_start: int, target_start: int) -> tuple[int, bool] | None:
    """(start, plural) of the sign a target is tied to by the verb before it ("Two rounded
    signal voids in segment 8, dark on every sequence, correspond to the calcifications seen
    on CT": the signal voids), else None: its count is the sign's count.

    Why: the calcification words of such a sentence name what the sign is; the report
    counts the sign ("two"), and the plural noun alone would read as "multiple".
    """
    lo = max(clause_start, target_start - _TIED_WINDOW)
    tie = _TIED_TO.search(text, lo, target_start)
    if tie is None:
        return None
    signs = list(_SIGN.finditer(text, clause_start, tie.start()))
    if not signs:
        return None
    sign = signs[-1]
    word = sign.group(0).lower()
    # ("signal loss" is one; "signal losses", "voids", "foci" are several)
    return sign.start(), word.endswith(("voids", "losses", "foci"))


# "both" opening the noun phrase of the target: two ("both calcified granulomas", "both of
# the calcifications"), not "both lobes" or "both sides" (a place)
_BOTH_BEFORE = re_compile(
    r"\bboth[ \t\n]+(?:of[ \t\n]+the[ \t\n]+)?"
    r"(?:(?!(?:lobes?|sides?|kidneys?|organs?)\b)[a-z-]+[ \t\n]+){0,2}$",
    re.I,
)


def read_count(
    text: str, clause_start: int, target_start: int, plural: bool, target_end: int | None = None
) -> int | str:
    """Count from words before the target ("two", "several", "3"), else plural -> multiple.

    A pattern that is a network ("septal", "tortoise-shell") or a singular word spread
    over the organ ("calcification throughout the liver", given ``target_end``) is
    several foci: "multiple".
    """
    window_start = max(clause_start, target_start - 45)
    found: int | str | None = None
    pronoun_one = False
    for m in _COUNT.finditer(text, window_start, target_start):
        if m.group("multi"):
            found = "multiple"
        elif m.group("word"):
            found = _NUMBER_WORDS[m.group("word").lower()]
            # "... and one in segment 8, in keeping with granulomata": "one" is the item
            pronoun_one = m.group("word").lower() == "one" and (
                _PRONOUN_ONE.match(text, m.end(), target_start) is not None
            )
        else:
            if _NOT_A_COUNT.search(text, max(clause_start, m.start() - 20), m.start()):
                continue  # "segment 6", "image 12"
            gap = text[m.end() : target_start]
            if len(gap.split()) > 3 or any(c in gap for c in ",;:()|"):
                continue  # a bare number counts only the noun phrase it opens
            found = int(m.group("digit"))
    if found == 1 and plural and not pronoun_one:
        found = None  # "a few calcifications", "an area of calcifications"
    if found is None and plural and _BOTH_BEFORE.search(text, window_start, target_start):
        found = 2  # "Both calcified granulomas in segment 6 measure 3 mm"
    if found is None:
        if plural or (target_end is not None and _SPREAD_AFTER.match(text, target_end)):
            return "multiple"
        return 1
    return found


_PLACE_PATTERNS = frozenset({Pattern.central, Pattern.rim, Pattern.capsular})


def read_pattern(
    text: str,
    lo: int,
    hi: int,
    clause_start: int,
    clause_end: int,
    prefer_place: bool = False,
) -> Pattern | None:
    """The pattern word nearest the target, within a few words either side in its clause.

    ``prefer_place``: for a calcification inside a lesion, where it sits in the lesion
    (central, rim, capsular) says more than its texture ("central coarse
    calcifications" of a mass is ``central``).
    """
    ws, we = max(clause_start, lo - 45), min(clause_end, hi + 45)
    best: tuple[int, Pattern] | None = None
    best_place: tuple[int, Pattern] | None = None
    for pattern, rx in _PATTERN:
        for m in rx.finditer(text, ws, we):
            d = lo - m.end() if m.end() <= lo else max(0, m.start() - hi)
            if best is None or d < best[0]:
                best = (d, pattern)
            if pattern in _PLACE_PATTERNS and (best_place is None or d < best_place[0]):
                best_place = (d, pattern)
    if prefer_place and best_place is not None:
        return best_place[1]
    return best[1] if best else None


_CYSTIC_WORD = re_compile(r"(?:multi)?cystic|multi-?locul[a-z]*|multiseptated", re.I)


def _cystic_mass(text: str, clause_start: int, word_start: int) -> bool:
    """True when a mass/lesion word is called cystic right before it, and not solid too.

    Example: "a large multiloculated cystic mass" -> True; "a solid and cystic mass" -> False.
    """
    before = text[max(clause_start, word_start - 40) : word_start]
    m = _CYSTIC_BEFORE.search(before)
    return m is not None and not _SOLID_TOO.search(before)


def _cystic_word_for(text: str, clause_start: int, m: re.Match[str]) -> re.Match[str]:
    """The "cystic" word before a mass/lesion word that it characterises, else ``m``.

    Example: "multiloculated cystic mass" -> the match of "cystic" (a cyst host).
    """
    if (m.group("solid") or m.group("lesion")) and _cystic_mass(text, clause_start, m.start()):
        found = _CYSTIC_WORD.search(text, max(clause_start, m.start() - 40), m.start())
        if found is not None:
            return found
    return m


def cystic_host(text: str, s_start: int, word_start: int) -> bool:
    """True when the mass/lesion word at ``word_start`` is called cystic (see _cystic_mass)."""
    return _cystic_mass(text, s_start, word_start)


def complex_cyst_cue(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` states a complex-cyst cue (septations, daughter cysts,
    a WHO CE stage, multilocular...) that is not negated ("no septations")."""
    return any(
        not _FEATURE_NEG.search(text, max(start, c.start() - 40), c.start())
        for c in _COMPLEX.finditer(text, start, end)
    )


# A host word heading a "Label: value" field names the list, not the finding: any host word
# in the value is nearer in meaning however far it is.
_LABEL_COLON = re_compile(r"[ \t]*:")
_LABEL_PENALTY = 10_000


def plural_host_word(word: str) -> bool:
    """Whether a lesion noun is plural ("metastases", "masses", "granulomata"; not "mass",
    "metastasis")."""
    low = word.lower()
    return low.endswith("masses") or (
        low.endswith(("s", "ata")) and not low.endswith(("ss", "cystic", "sis"))
    )


def _host_plural(text: str, m: re.Match[str], target_start: int) -> bool:
    """Whether the host word names several lesions ("metastases", "masses").

    A plural heading a "Label:" before the target names the list, not the finding:
    "Non-target lesions: calcified hepatic deposit in segment 2" is one deposit.
    """
    plural = plural_host_word(m.group(0))
    if plural and m.start() < target_start and _LABEL_COLON.match(text, m.end()):
        plural = False
    return plural


# "likely an old granuloma or burnt-out hydatid", "hemangioma versus metastasis": one of
# several natures offered, which does not say what the lesion is
_DIFFERENTIAL_BEFORE = re_compile(
    r"\b(?:or|versus|vs\.?|and/or)[ \t\n]+(?:an?[ \t\n]+|the[ \t\n]+)?(?:[a-z-]+[ \t\n]+){0,2}$",
    re.I,
)
_DIFFERENTIAL_AFTER = re_compile(
    r"(?:[ \t\n]+[a-z-]+)?[ \t\n]*,?[ \t\n]+(?:or|versus|vs\.?|and/or)[ \t\n]", re.I
)


def _in_differential(text: str, clause_start: int, clause_end: int, m: re.Match[str]) -> bool:
    """True when the host word ``m`` is one term of a differential ("granuloma or hydatid").

    Why: a generic "lesion" takes the nature a cyst or hemangioma word gives it, but a
    list of possible natures gives none; the lesion stays a lesion.
    """
    before = text[max(clause_start, m.start() - 40) : m.start()]
    return bool(_DIFFERENTIAL_BEFORE.search(before)) or bool(
        _DIFFERENTIAL_AFTER.match(text, m.end(), min(clause_end, m.end() + 30))
    )


# "a 3 cm cyst has an adjacent 2 mm punctate calcification", "a separate calcified focus":
# the calcification is beside the lesion named in the clause, not in it
_BESIDE_BEFORE = re_compile(
    r"\b(?:adjacent|neighbou?ring|nearby|separate|separately|distinct|juxta-?[a-z]+"
    r"|perilesional|extralesional)(?:[ \t\n]*,?[ \t\n]+[a-z0-9.,-]+){0,5}[ \t\n]*$",
    re.I,
)
# ... or after it: "a 3 mm calcification abuts a 2.4 cm simple cyst"
_BESIDE_AFTER = re_compile(
    r"[a-z-]*(?:[ \t\n]+(?:is|lies|sits|seen|located))?[ \t\n]+(?:abuts?|abutting"
    r"|adjacent[ \t\n]+to|next[ \t\n]+to|beside|alongside|separate[ \t\n]+from"
    r"|distinct[ \t\n]+from)\b",
    re.I,
)


def _beside_its_host(text: str, clause_start: int, target_start: int) -> bool:
    """True when the calcification's own noun phrase calls it beside the lesion.

    Example: "A 3.0 cm simple cyst in segment 8 has an adjacent 2 mm punctate
    calcification" -> True: a calcification with its own size, not the cyst.
    """
    before = text[max(clause_start, target_start - 40) : target_start]
    if _BESIDE_BEFORE.search(before) is not None:
        return True
    return _BESIDE_AFTER.match(text, target_start, target_start + 60) is not None


def read_host(
    text: str,
    clause_start: int,
    clause_end: int,
    target_start: int,
    target_kind: str,
    context_start: int | None = None,
    context_end: int | None = None,
) -> Host:
    """The lesion holding the calcification: cyst, hemangioma, mass, lesion, or none.

    ``context_start/end`` is where complex-cyst cues are looked for (the organ
    sub-section: "Daughter cysts present." is often its own sentence).
    """
    if target_kind == "granuloma" or _beside_its_host(text, clause_start, target_start):
        return Host(FindingKind.calcification, None)
    best: tuple[int, re.Match[str]] | None = None
    denied = False
    for m in _HOST.finditer(text, clause_start, clause_end):
        before = text[max(clause_start, m.start() - 40) : m.start()]
        nh = _NOT_HOST.search(before)
        if nh:
            # "without (an associated) mass", "no mass lesion": the text says there is none
            denied = (
                denied
                or nh.group("assoc") is not None
                or bool((m.group("solid") or m.group("lesion")) and _NO_WORD.match(nh.group(0)))
            )
            continue
        if (
            _DAUGHTER.search(before)
            or _UNCALCIFIED_BEFORE.search(before)
            or context.unticked(before)
        ):
            # "daughter cysts" are inside the host, not the host; "adjacent non-calcified
            # cyst (2.4 cm)" is another lesion; "[x] calcified focus [ ] cyst": an option of
            # a form left empty is no host
            continue
        d = abs(m.start() - target_start)
        if m.start() < target_start and _LABEL_COLON.match(text, m.end()):
            d += _LABEL_PENALTY  # "Non-target lesions: calcified metastasis": the value's noun
        if best is None or d < best[0]:
            best = (d, m)
    if target_kind == "phlebolith":
        return Host(FindingKind.lesion, Associated.hemangioma)
    if best is None:
        # "hepatic calcification without associated mass": stated, so "none" not unknown
        return Host(FindingKind.calcification, Associated.none if denied else None)
    m = best[1]
    if m.group("lesion"):
        # "complex cystic lesion ..., consistent with a hydatid cyst", "lesion ..., compatible
        # with hemangioma": a cyst or hemangioma named in the clause says what the lesion is
        specific = [
            h
            for h in _HOST.finditer(text, clause_start, clause_end)
            if (h.group("cyst") or h.group("heman"))
            and not _NOT_HOST.search(text, max(clause_start, h.start() - 40), h.start())
            and not _in_differential(text, clause_start, clause_end, h)
        ]
        if specific:
            m = min(specific, key=lambda h: abs(h.start() - target_start))
    where = m.start()
    plural = _host_plural(text, m, target_start)
    m = _cystic_word_for(text, clause_start, m)
    if _CYSTIC_WORD.fullmatch(m.group(0)) or m.group("cyst"):
        cs = clause_start if context_start is None else context_start
        complex_cyst = complex_cyst_cue(
            text, cs, clause_end if context_end is None else context_end
        )
        return Host(
            FindingKind.cyst, Associated.complex_cyst if complex_cyst else None, where, plural
        )
    if m.group("heman"):
        return Host(FindingKind.lesion, Associated.hemangioma, where, plural)
    if m.group("solid"):
        return Host(FindingKind.lesion, Associated.solid_mass, where, plural)
    # a generic "lesion" that the clause calls a calcification IS the calcification:
    # "echogenic lesion with posterior shadowing, representing a coarse calcification"
    lo, hi = sorted((m.end(), target_start))
    if target_kind != "calc_adjective" and (
        not _CONTAINS.search(text, lo, hi)
        or _REDESCRIBED.search(text, max(clause_start, target_start - 40), target_start)
    ):
        return Host(FindingKind.calcification, None)
    return Host(FindingKind.lesion, None, where, plural)


def read_comparison(text: str, start: int, end: int) -> Comparison | None:
    """Change since the prior exam as the clause words it ("stable", "new", "enlarged")."""
    for comparison, rx in _COMPARISON:
        for m in rx.finditer(text, start, end):
            before = text[max(start, m.start() - 30) : m.start()]
            if comparison is Comparison.new and _NEG_NEW.search(before):
                continue  # "no new lesions"
            if comparison in (Comparison.increased, Comparison.decreased) and _NO_GROWTH.search(
                before
            ):
                continue  # "no increase" is stable, read by the stable table
            if comparison is Comparison.increased and re.match(
                r"[ \t\n]+(?:hepatic[ \t\n]+|liver[ \t\n]+)?echogenicity",
                text[m.end() : m.end() + 30],
            ):
                continue
            return comparison
    return None


def feature_pattern(name: str) -> re.Pattern[str]:
    """The pattern that reads imaging feature ``name`` ("aphe", "washout", ...)."""
    return next(rx for n, rx in _FEATURES if n == name)


def read_features(text: str, start: int, end: int) -> dict[str, bool]:
    """Imaging features stated in the sentence, True or (when negated) False."""
    out: dict[str, bool] = {}
    low = text[start:end].lower()
    for name, rx in _FEATURES:
        if not any(k in low for k in _FEATURE_KEYS[name]):
            continue
        for m in rx.finditer(text, start, end):
            before = text[max(start, m.start() - 64) : m.start()]
            if name == "capsule" and (
                _NOT_LIRADS_CAPSULE.search(before)
                or re.match(r"\W*calcif", text[m.end() : m.end() + 12], re.I)
            ):
                continue
            if name == "aphe" and _RIM_BEFORE.search(before):
                continue  # "peripheral rim arterial enhancement" is rim APHE (LR-M), not APHE
            out[name] = not _FEATURE_NEG.search(before)
            break
    return out


def read_background(text: str, start: int, end: int) -> str | None:
    """Background liver stated in ``text[start:end]``: cirrhosis > steatosis > normal."""
    for name, rx in _BACKGROUND:
        for m in rx.finditer(text, start, end):
            before = text[max(start, m.start() - 50) : m.start()]
            if _BG_NEG.search(before):
                continue
            return name
    return None


def read_modality(text: str, start: int, end: int) -> Modality | None:
    """The modality a stretch of report names first (title/technique lines)."""
    best: tuple[int, Modality] | None = None
    for modality, rx in _MODALITY:
        m = rx.search(text, start, end)
        if m is None:
            continue
        if best is None or m.start() < best[0]:
            best = (m.start(), modality)
    return best[1] if best else None
