"""Intrahepatic bile-duct stones (hepatolithiasis) stated in a report.

A stone in an intrahepatic duct looks like a calcification on US and CT, and is one of
its commonest mimics: 164 of 891 sonographic liver calcifications had been mistaken for
stones or the reverse (knowledge: ``intrahepatic_stone``). With dilated ducts and fever
it is cholangitis, an emergency (Kiriyama S, Takada T, Strasberg SM, et al. New
diagnostic criteria and severity assessment of acute cholangitis in revised Tokyo
guidelines. J Hepatobiliary Pancreat Sci 2012;19(5):548-556. doi:10.1007/s00534-012-0537-3.
PMID 22825491). The calcification reader leaves stones out (a "stone" is a gallbladder
word); this module returns what the report says about intrahepatic ones as one finding
the engine can weigh: ``kind`` calcification, ``calcified`` true, ``label`` "intrahepatic
bile duct stone", the largest size, count, place, and the duct features
(``biliary_dilatation``, ``acoustic_shadowing``) that make the engine's
``intrahepatic_stone`` cause rank.

Read: "hepatolithiasis", "intrahepatic (duct) stones/calculi", "(calcified) intraductal
stones", "stones in the dilated left intrahepatic ducts". Not read: common bile duct
stones and choledocholithiasis (extrahepatic: not a liver finding), gallstones, negated
("no intrahepatic duct stones"), historical or hypothetical mentions, and sentences of
the history, indication or comparison sections.
"""

from __future__ import annotations

import re

from hepcalc.model import Evidence, Features, Finding, FindingKind, Location
from hepcalc.regex_cache import re_compile
from hepcalc.reports import attributes, context, locations, sections, sentences, sizes
from hepcalc.reports.word_gate import Has

LABEL = "intrahepatic bile duct stone"
# the words a duct-stone mention needs: looked for in the lower-cased report, then per section
GATE_WORDS = ("hepatolith", "intraductal", "intrahepatic", "intra-hepatic")
_GATE = re_compile("|".join(re.escape(w) for w in GATE_WORDS), re.I)
_WS = r"[ \t\n]+"
_STONE = r"(?:stones?|calculi|calculus)"
_MENTION = re_compile(
    r"\bhepatolithiasis\b"
    rf"|\b(?:intra-?hepatic|intraductal)(?:{_WS}(?:bile|biliary|duct|ductal|calcified|pigment)){{0,3}}"
    rf"{_WS}{_STONE}\b"
    rf"|\b{_STONE}(?:{_WS}[a-z]+){{0,4}}{_WS}(?:with)?in{_WS}(?:the{_WS})?(?:[a-z]+{_WS}){{0,3}}"
    rf"intra-?hepatic{_WS}(?:bile{_WS})?ducts?\b",
    re.I,
)
_NOT_CURRENT = frozenset({"history", "indication", "comparison"})
_COUNT_WORDS = re_compile(r"\b(?:multiple|several|numerous|many|few|stones|calculi)\b", re.I)


def _stone_in(text: str, sec: sections.Section, start: int, end: int) -> Finding | None:
    """The stone finding one sentence states, or None."""
    m = _MENTION.search(text, start, end)
    if m is None:
        return None
    ctx = context.read_context(text, start, end, m.start(), m.end(), (start, end))
    if ctx.exclusion is not None:
        return None
    found = [z for z in sizes.find_sizes(text, start, end) if not z.prior]
    feats = {
        k: v
        for k, v in attributes.read_features(text, start, end).items()
        if k in ("biliary_dilatation", "acoustic_shadowing")
    }
    if re.search(r"\bdilated\b", text[m.start() : m.end()], re.I):
        feats["biliary_dilatation"] = True  # "stones in dilated left intrahepatic ducts"
    plural = _COUNT_WORDS.search(text, m.start(), m.end()) or _COUNT_WORDS.search(
        text, max(start, m.start() - 20), m.start()
    )
    loc = locations.find_location(text, start, end, m.start())
    if loc.segment is not None and locations.joined_segments(text, start, end):
        loc = Location(lobe=loc.lobe)  # stones over "segments 2 and 3": their lobe only
    return Finding(
        kind=FindingKind.calcification,
        calcified=True,
        count="multiple" if plural else 1,
        size_mm=max((z.mm for z in found), default=None),
        location=loc,
        features=Features(**feats),
        evidence=Evidence(
            sentence=text[start:end],
            start=start,
            end=end,
            section=sec.category if sec.category != "body" else None,
            hedged=ctx.hedged,
        ),
        label=LABEL,
    )


def might_have_stones(has: Has) -> bool:
    """Does the text hold a word every duct-stone mention needs? (``has(w)``: ``w``
    occurs in the lower-cased text; ``word_gate`` evaluates it in one pass.)"""
    return any(has(w) for w in GATE_WORDS)


def read_duct_stones(
    text: str,
    secs: list[sections.Section] | None,
    low: str | None = None,
    present: frozenset[str] | None = None,
) -> list[Finding]:
    """At most one intrahepatic duct-stone finding per report, gaps filled by repeats.

    Example: "Multiple intraductal stones in segments 2 and 3, the largest 8 mm, with
    biliary dilatation." -> one calcification, multiple, 8 mm, ``biliary_dilatation``,
    labelled "intrahepatic bile duct stone". ``low`` and ``present`` (the gate words
    ``word_gate`` found), when the caller has them, spare the gate its own scans.
    """
    if present is not None:
        if not might_have_stones(present.__contains__):
            return []
    elif not might_have_stones((text.lower() if low is None else low).__contains__):
        return []
    if secs is None:
        secs = sections.find_sections(text)
    first: Finding | None = None
    for sec in secs:
        if sec.category in _NOT_CURRENT or not _GATE.search(text, sec.start, sec.end):
            continue
        for s_start, s_end in sentences.split_sentences(text, sec.start, sec.end):
            found = _stone_in(text, sec, s_start, s_end)
            if found is None:
                continue
            if first is None:
                first = found
                continue
            # a repeat (the IMPRESSION) fills what the first sentence left out
            feats = found.features.model_dump(exclude_none=True)
            feats.update(first.features.model_dump(exclude_none=True))
            first = first.model_copy(
                update={
                    "size_mm": first.size_mm or found.size_mm,
                    "features": Features(**feats),
                }
            )
    return [first] if first is not None else []
