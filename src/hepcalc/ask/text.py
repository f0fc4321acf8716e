"""Question and passage text -> search terms.

Patients and clinicians ask the same thing in different words ("calcium spot",
"calcified focus", "calcification"; "baby", "fetal", "newborn"). A small domain
lexicon folds such variants onto one term before BM25 sees them, and a light
suffix stripper handles plurals and verb forms. Both are deliberately simple and
auditable: a reviewer can read exactly why two words match.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from hepcalc.regex_cache import re_compile

# Multi-word phrases first (applied to lowercased text before tokenizing).
PHRASES: tuple[tuple[str, str], ...] = (
    (r"alpha[\s-]*feto[\s-]*protein|feto[\s-]*protein|fetal protein|\ba\.?f\.?p\b", " afp "),
    (r"magnetic resonance( imaging)?", " mri "),
    (r"computed tomography|cat scan", " ct "),
    (r"ultra[\s-]?sound|sonograph\w*|ultrasonograph\w*", " ultrasound "),
    (r"follow[\s-]?up", " followup "),
    (r"needle[\s-]?tract|needle[\s-]?track", " seeding "),
    (r"signal[\s-]?void", " signalvoid "),
    (r"down'?s? syndrome", " karyotype "),
    (r"\bpre[\s-]?(?:cancer\w*|malignan\w*)", " precursor "),
    (r"check[\s-]?ups?", " followup "),
    (r"\bincreas\w* (?:my |the |your )?(?:risk|chance)", " risk "),
    (r"(focal )?nodular hyperplasia|\bfnh\b", " fnh "),
    (r"\bhcc\b|hepatocellular carcinoma", " hcc "),
    (r"high[\s-]risk", " highrisk "),
    (r"\bhow (?:common|frequent|many people)\b|\bcommon are\b", " prevalence "),
    (r"\btell (?:them |it )?apart\b", " versus "),
    (r"\b(?:change|changes|changing|changed) into\b", " turn "),
    (r"\bdeal(?:t|s|ing)? with\b", " manag "),
    (r"\bfluid[\s-]filled\b", " cyst "),
    # "increased AFP" is a raised level, not growth
    (r"\bincreas\w*(?= +(?:serum +)?afp\b)", " elevat "),
    # "What now?", "next step", "do anything about it": the asker wants management.
    (
        r"\bwhat (?:now|next)\b|\bnext steps?\b|\bdo anything\b|\bwhat to do\b|"
        r"\bwhat (?:should|do|can|must) (?:i|we|you|be) do(?:ne)?\b|\bbe done\b",
        " manag ",
    ),
)

_AGE = re_compile(r"\b(\d+)[\s-]*(year|yr|month|week|day)s?[\s-]*old\b")


def _age_word(match: re.Match[str]) -> str:
    """'2 year old' -> child, '40 year old' -> adult (the articles differ by age)."""
    years = int(match.group(1)) if match.group(2) in ("year", "yr") else 0
    return " child " if years < 16 else " adult "


# Word -> canonical term (after lowercasing, before stemming).
LEXICON: dict[str, str] = {}


def _fold(canonical: str, *variants: str) -> None:
    for v in variants:
        LEXICON[v] = canonical


_fold("liver", "liver", "livers", "hepatic", "hepato", "hepatically")
_fold(
    "calcif",
    "calcium",
    "calcified",
    "calcification",
    "calcifications",
    "calcific",
    "calcify",
    "calcifies",
    "calcifying",
    "microcalcification",
    "microcalcifications",
)
_fold(
    "child",
    "baby",
    "babies",
    "infant",
    "infants",
    "infantile",
    "newborn",
    "newborns",
    "neonate",
    "neonates",
    "neonatal",
    "fetus",
    "fetal",
    "foetal",
    "foetus",
    "prenatal",
    "antenatal",
    "pregnancy",
    "pregnant",
    "child",
    "children",
    "childs",
    "toddler",
    "toddlers",
    "pediatric",
    "paediatric",
    "kid",
    "kids",
    "unborn",
)
_fold("cancer", "cancer", "cancers", "malignant", "malignancy", "carcinoma", "cancerous")
_fold("precursor", "precursor", "precursors", "precancerous", "precancer", "premalignant")
_fold("tumor", "tumor", "tumors", "tumour", "tumours", "neoplasm", "neoplasms")
_fold("nodul", "nodule", "nodules", "nodular", "lump", "lumps")
_fold("metastasis", "metastasis", "metastases", "metastatic", "spread", "spreads", "spreading")
_fold(
    "chemotherapy",
    "chemo",
    "chemotherapy",
    "chemotherapies",
    "folfox",
    "folfiri",
    "folfirinox",
    "capox",
    "xelox",
    "capecitabine",
    "oxaliplatin",
    "irinotecan",
    "fluorouracil",
    "cycle",
    "cycles",
)
_fold(
    "grow",
    "grow",
    "grows",
    "grew",
    "growing",
    "growth",
    "bigger",
    "larger",
    "enlarge",
    "enlarged",
    "enlargement",
    "increase",
    "increased",
    "increases",
    "expand",
    "expands",
    "expanding",
)
_fold("shrink", "shrink", "shrank", "shrinks", "smaller", "decrease", "decreased", "regress")
_fold("punctate", "punctate", "dot", "dots", "speckled", "stippled", "specks", "flecks")
_fold("biopsy", "biopsy", "biopsies", "biopsied", "sample", "sampling")
_fold("mri", "mri", "mr")
_fold("cyst", "cyst", "cysts", "cystic")
_fold("granuloma", "granuloma", "granulomas", "granulomatous")
_fold(
    "hydatid",
    "hydatid",
    "echinococcus",
    "echinococcal",
    "echinococcosis",
    "tapeworm",
    "tapeworms",
)
_fold("manag", "manage", "managed", "management", "managing")
_fold("elevat", "elevated", "elevation", "raised", "raise", "high", "higher", "above")
_fold("benign", "benign", "harmless", "innocent", "noncancerous")
_fold("mucin", "mucin", "mucinous", "mucoid")
_fold("hemangioma", "hemangioma", "hemangiomas", "haemangioma", "haemangiomas")
_fold("scan", "scan", "scans", "imaging", "image", "images", "radiologist", "radiology")
_fold("tuberculosis", "tb", "tuberculosis", "tuberculous")
_fold(
    "karyotype",
    "karyotype",
    "chromosome",
    "chromosomes",
    "chromosomal",
    "trisomy",
    "genetic",
    "genes",
)
_fold(
    "risk",
    "risk",
    "risks",
    "risky",
    "safe",
    "safety",
    "unsafe",
    "danger",
    "dangerous",
    "harm",
    "harmful",
    "serious",
)
_fold("sign", "sign", "signs", "warning", "warn", "indicator", "indicate", "indicates")
_fold("cause", "cause", "causes", "caused", "causing", "reason", "reasons", "differential")
_fold(
    "followup",
    "followup",
    "check",
    "checks",
    "checked",
    "checking",
    "monitor",
    "monitored",
    "monitoring",
    "surveillance",
    "recheck",
)
_fold(
    "turn",
    "turn",
    "turns",
    "turned",
    "develop",
    "develops",
    "developed",
    "transform",
    "transforms",
    "transformation",
    "progress",
    "progresses",
    "progression",
)
_fold("risk", "chance", "chances", "likelihood", "odds", "probability", "likely")
_fold("viable", "viable", "dead", "die", "dies", "died", "kill", "killed", "necrosis", "necrotic")
_fold(
    "recommend",
    "recommend",
    "recommends",
    "recommended",
    "recommendation",
    "recommendations",
    "advice",
    "advise",
    "advised",
    "guideline",
    "guidelines",
)
_fold("incidental", "incidental", "incidentally", "accidental", "accidentally", "unexpected")
_fold("wall", "wall", "walls", "rim", "rims", "shell", "shells", "capsule")
_fold("miss", "miss", "missed", "misses", "overlook", "overlooked", "undetected")
_fold("size", "size", "sizes", "sized", "measure", "measured", "measurement", "measurements")

# Lay and shorthand words chosen from general knowledge of how patients and
# clinicians talk, not from the question sets: patients call a calcification a
# calcium deposit, a bright or white spot, a shadow; clinicians write calcs,
# mets, bx, f/u, ddx and "echogenic focus".
_fold("calcif", "calc", "calcs", "deposit", "deposits", "echogenic", "hyperechoic", "hyperdense")
_fold("spot", "spot", "spots", "speck", "fleck", "focus", "foci", "mark", "marks", "shadow")
_fold("spot", "shadows", "patch", "patches", "bright", "brighter", "blob", "blobs")
_fold("metastasis", "mets", "met", "secondaries", "secondary")
_fold("biopsy", "bx", "fna")
_fold("cause", "ddx", "etiology", "aetiology", "origin")
_fold("turn", "become", "becomes", "became", "becoming", "evolve", "evolves", "degenerate")
_fold("turn", "convert", "converts", "mutate", "mutates")
_fold("child", "utero", "womb", "gestation", "gestational", "obstetric", "embryo", "boy", "girl")
_fold("mri", "magnet", "magnetic")
_fold("afp", "marker", "markers")
_fold("small", "small", "tiny", "minute", "minuscule", "microscopic", "mini")
_fold("punctate", "pinpoint", "pinpoints", "pinhead")
_fold("versus", "versus", "vs", "same", "difference", "differences", "differ", "distinguish")
_fold("prevalence", "prevalence", "prevalent", "incidence", "commonly")
_fold("child", "birth", "born", "infancy", "adolescent", "teenager", "youngster")
_fold("manag", "handle", "handled", "handling", "approach", "approached")
_fold("cyst", "sac", "sacs")
_fold("isolat", "isolated", "single", "solitary", "lone", "solitary", "individual")


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


STOPWORDS: frozenset[str] = _words(
    """a an and are as at be been being but by can could did do does doing for from had has
    have having he her hers him his how i if in into is it its me my mine of on or our she
    should so than that the their them then there these they this those to too us was we
    were what when where which while who whom why will with would you your yours am any all
    also just about up out very much many more most some such only own no nor not
    get got gets mean means meaning tell please doctor doctors"""
) | _words(
    # General English verbs, adjectives and fillers that carry no topic: without
    # them an everyday word like "become" would look like an unknown topic word.
    """seem seems seemed see seeing seen saw look looks
    looking looked say says said saying know knows knew known think thought want wants
    wanted go goes going went come comes came make makes made take takes took put puts
    give gives gave find finds found keep keeps let lets try tries use used uses using
    possible possibly probably maybe perhaps really actually good bad better well okay ok
    fine normal thing things something anything way ways kind sort lot lots bit little
    now today still yet already ever never always often sometimes usually
    mention mentions mentioned mentioning report reports reported say wrote written
    worried worry worrying concern concerned concerning scared afraid help helps need needs
    needed future later eventually someday else apart throughout whole link linked
    related connected associated one two three four five six seven eight nine ten
    first second next last lead leads led mom mum mother father dad husband wife son
    daughter friend brother sister around near inside within under over across along
    behind beside onto upon via per done happen happens happened several step steps day
    days third plus slightly mildly somewhat viral finish finished"""
)

_TOKEN = re_compile(r"[a-z0-9]+")
UNITS: frozenset[str] = frozenset({"mm", "cm", "ml", "ng", "hu", "kpa", "mo", "yr", "yrs"})


# Patients misspell the long domain words ("calsification", "biopsey",
# "hemangeoma"). A word close to one of these (difflib ratio >= TYPO_CUTOFF) is
# read as it. The cutoff was chosen so that real words stay themselves:
# classification, clarification, qualification, calculation, hematoma, granular,
# ultrasonic, hydrated, puncture (tests/ask/test_text.py).
TYPO_TARGETS: tuple[str, ...] = (
    "calcification",
    "calcifications",
    "calcified",
    "calcium",
    "biopsy",
    "biopsied",
    "punctate",
    "metastases",
    "metastasis",
    "hemangioma",
    "granuloma",
    "ultrasound",
    "chemotherapy",
    "hydatid",
    "echinococcus",
)
TYPO_CUTOFF = 0.85
TYPO_MIN_LENGTH = 6


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A light suffix stripper: plurals, verb endings and a final "e", nothing clever.

    Lexicon words map to their canonical term; a near-miss spelling of a key
    domain word maps to that word. Other words lose a plural or verb ending and
    then a final "e", so "sample", "sampled" and "samples" all give "sampl" on
    both the question side and the article side.
    """
    if word in LEXICON:
        return LEXICON[word]
    if len(word) >= TYPO_MIN_LENGTH:
        close = difflib.get_close_matches(word, TYPO_TARGETS, n=1, cutoff=TYPO_CUTOFF)
        if close:
            return LEXICON.get(close[0], close[0])
    base = word
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if not word.endswith(suffix) or len(word) - len(suffix) < 3:
            continue
        if suffix == "s" and word.endswith(("ss", "us", "is")):
            break
        base = word[: -len(suffix)] + keep
        if suffix == "es" and not base.endswith(("s", "x", "z", "ch", "sh")):
            base = word[:-1]  # "sizes" -> "size", but "boxes" -> "box"
        if (
            suffix in ("ing", "ed")
            and len(base) > 3
            and base[-1] == base[-2]
            and base[-1] not in "lsz"
        ):
            base = base[:-1]  # "scanned" -> "scan"
        break
    for candidate in (base, base + "e"):
        if candidate in LEXICON:
            return LEXICON[candidate]
    if base.endswith("e") and len(base) > 4:
        base = base[:-1]
    return base


def terms(text: str) -> list[str]:
    """Search terms for a question or a passage (order kept, stopwords dropped)."""
    # "US" in capitals is ultrasound, not the pronoun; "f/u" is follow-up.
    text = re.sub(r"\bUS\b", " ultrasound ", text)
    low = _AGE.sub(_age_word, text.lower()).replace("f/u", " followup ")
    for pattern, replacement in PHRASES:
        low = re.sub(pattern, replacement, low)
    out: list[str] = []
    for tok in _TOKEN.findall(low):
        # Numbers and units say how big, not what about: "3 mm" must not pull a
        # question towards the article that quotes the most millimetres.
        if tok in STOPWORDS or tok in UNITS or len(tok) < 2 or tok[0].isdigit():
            continue
        out.append(stem(tok))
    return out


# Words every article uses: they put a question in the domain but do not say
# which article answers it.
GENERIC_TERMS: frozenset[str] = frozenset({"liver", "calcif", "scan", "spot", "spots"})

# Words that by themselves put a question in the domain of the knowledge base:
# calcifications and the lesions the articles are about.
DOMAIN_TERMS: frozenset[str] = frozenset({"calcif", "granuloma", "hydatid", "punctate"})
# A question about another organ that never names the liver is not ours
# (breast, coronary, thyroid, kidney, spleen or placental calcifications are
# different subjects). Stemmed like every other term.
OTHER_ORGANS: frozenset[str] = frozenset(
    stem(w)
    for w in _words(
        """breast mammogram mammography coronary heart artery arteries arterial aortic
    aorta valve mitral carotid thyroid kidney kidneys renal brain pineal prostate lung lungs
    pancreas pancreatic gallbladder gallstone gallstones tendon shoulder joint dental tooth
    teeth spleen splenic lymph adrenal ovary ovarian uterus uterine fibroid testicle
    testicular scrotal bladder placenta placental eye skin muscle"""
    )
) | {"arteri", "pancrea"}


def in_domain(question_terms: list[str], topic_terms: frozenset[str]) -> bool:
    """True when the question is about liver calcifications or an article's topic.

    It must name a calcification-type word, or name the liver together with a
    word from some article's title or example questions ("liver" + "biopsy").
    "Liver" alone is not enough: the articles do not cover fatty liver, liver
    tests or transplants, and saying so beats answering beside the point.
    """
    t = set(question_terms)
    if t & OTHER_ORGANS and "liver" not in t:
        return False
    if t & DOMAIN_TERMS:
        return True
    return "liver" in t and bool((t - GENERIC_TERMS) & topic_terms)
