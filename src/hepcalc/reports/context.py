"""Context of a target: negated, resolved, historical, hypothetical, hedged.

A NegEx/ConText-style reading scoped to the target's clause (see
``sentences.split_clauses``), with triggers as data:

* preceding triggers act on every target after them in the clause
  ("no evidence of calcified or noncalcified masses", "Liver: No calcifications");
* following triggers act on targets before them ("... is not seen",
  "... is no longer visualized", "calcifications: none");
* pseudo-triggers are phrases that contain a trigger word but do not negate
  ("no change", "not seen on the prior", "cannot be excluded") and are removed
  before the triggers are looked for.

Unlike medSpaCy's default rules there is no backward ``": no"`` rule, so a header
colon never swallows the negation that follows it.

All patterns are alternations of literal phrases with bounded gaps; the search
windows are one clause long.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_W = r"[ \t\n]+"

_PSEUDO = re.compile(
    r"\bno[ \t\n]+(?:significant[ \t\n]+|interval[ \t\n]+|appreciable[ \t\n]+|substantial[ \t\n]+)?"
    r"(?:change|changes|growth|increase|enlargement)\b"
    r"|\bnot[ \t\n]+(?:significantly[ \t\n]+)?(?:changed|enlarged|increased|grown)\b"
    r"|\bwithout[ \t\n]+(?:significant[ \t\n]+|interval[ \t\n]+)?(?:change|growth)\b"
    r"|\bnot[ \t\n]+(?:previously[ \t\n]+)?(?:seen|present|visible|visualized|identified|evident"
    r"|demonstrated|noted)[ \t\n]+(?:on|in|at)[ \t\n]+(?:the[ \t\n]+)?(?:prior|previous|earlier"
    r"|last|preceding|study|studies|exam|examination|ct|us|mri|ultrasound|scan|\d)"
    r"|\b(?:cannot|can[ \t\n]*not|could[ \t\n]+not)[ \t\n]+be[ \t\n]+(?:excluded|ruled[ \t\n]+out)"
    r"|\bnot[ \t\n]+(?:be[ \t\n]+)?(?:excluded|ruled[ \t\n]+out)"
    r"|\b(?:cannot|can[ \t\n]+not|could[ \t\n]+not)[ \t\n]+(?:exclude|rule[ \t\n]+out)\b"
    r"|\bno[ \t\n]+longer\b"
    r"|\bnot[ \t\n]+only\b|\bnot[ \t\n]+necessarily\b|\bwithout[ \t\n]+difficulty\b"
    r"|\bno[ \t\n]+(?:further|additional)[ \t\n]+(?:follow|work|imaging|evaluation)",
    re.I,
)

_NEG_BEFORE = re.compile(
    r"\b(?:no|not|without|negative[ \t\n]+for|free[ \t\n]+of|absence[ \t\n]+of|absent"
    r"|denies|neither|nor|none[ \t\n]+of|never|lack[ \t\n]+of|resolution[ \t\n]+of|nil"
    r"|no[ \t\n]+(?:sign|signs|suggestion|features?)[ \t\n]+of)\b",
    re.I,
)
_NEG_AFTER = re.compile(
    r"\b(?:(?:is|are|was|were|has|have)[ \t\n]+)?(?:not|no|can[ \t\n]*not)[ \t\n]+"
    r"(?:been[ \t\n]+|be[ \t\n]+)?"
    r"(?:seen|identified|visualized|visualised|demonstrated|present|appreciated|detected|noted"
    r"|evident|visible|shown|found|observed)\b"
    r"|\b(?:is|are)[ \t\n]+(?:absent|negative)\b"
    # "Calcification: none" negates; "Change: none", "Growth: no" in a template do not
    r"|(?<!change)(?<!growth)(?<!progression)(?<!enhancement)(?<!washout)(?<!interval)"
    r":[ \t\n]*(?:none|absent|negative|no)\b"
    r"|\bwere[ \t\n]+absent\b|\bruled[ \t\n]+out\b|\bexcluded\b"
    r"|\b(?:represent[a-z]*|is|was|are|were|reflect[a-z]*|due[ \t\n]+to|from|consistent[ \t\n]+with"
    r"|correspond[a-z]*[ \t\n]+to"
    r"|compatible[ \t\n]+with|in[ \t\n]+keeping[ \t\n]+with|likely|related[ \t\n]+to)[ \t\n]+"
    r"(?:an?[ \t\n]+|the[ \t\n]+)?(?:(?:retained|residual|surgical|post-?surgical|prior"
    r"|intrahepatic|biliary|portal[ \t\n]+venous)[ \t\n]+)?"
    r"(?:clips?|staples?|sutures?|lipiodol|ethiodi[sz]ed|oral[ \t\n]+contrast|pneumobilia|air|gas"
    r"|artifacts?|artefacts?|stents?|coils?|embolization|amiodarone|post-?procedural"
    r"|post-?ablation|post-?treatment|treatment[ \t\n]+related|barium|excreted[ \t\n]+contrast"
    r"|ethiodized[ \t\n]+oil|drains?|catheters?|foreign[ \t\n]+bod(?:y|ies)"
    r"|costal[ \t\n]+cartilages?|ribs?)\b",
    re.I,
)
_RESOLVED_AFTER = re.compile(
    r"\b(?:has|have)?[ \t\n]*(?:resolved|disappeared)\b"
    r"|\bnot[ \t\n]+(?:been[ \t\n]+)?re-?(?:demonstrated|identified|visuali[sz]ed|seen|imaged)\b"
    r"|\bno[ \t\n]+longer[ \t\n]+(?:seen|visualized|visualised|identified|present|evident"
    r"|demonstrated|visible|appreciated|apparent|noted|detected)\b",
    re.I,
)
# "No longer seen: hepatic calcification" ("no longer" is masked as a pseudo-negation)
_NO_LONGER_BEFORE = re.compile(
    r"\bno[ \t\n]+longer[ \t\n]+(?:seen|visuali[sz]ed|present|identified|evident|visible"
    r"|demonstrated|appreciated)\b",
    re.I,
)
# "calcification absent", "calcifications - none", "calcification: nil" right after the target
# (the word ends the phrase: "calcifications, none larger than 2 mm" bounds a size)
_NEG_RIGHT_AFTER = re.compile(
    r"[ \t\n,:\-\u2013]*(?:absent|none|nil|negative)[ \t]*(?:[.;,)\n]|$)", re.I
)
# A measurement before the target makes it a present-day description ("cyst measuring 3.4 cm
# with wall calcification seen on prior CT" is a cyst seen now)
_MEASURED_NOW = re.compile(r"\d[ \t]*(?:mm|cm)\b|\bmeasur", re.I)
# "... calcification seen on the outside ultrasound", "calcification on prior CT"
_HISTORICAL_AFTER = re.compile(
    r"^[^.;]{0,40}?\b(?:seen|noted|described|demonstrated|shown|reported|detected|identified"
    r"|found)[ \t\n]+(?:on|at|in|by)[ \t\n]+(?:the[ \t\n]+|an[ \t\n]+|a[ \t\n]+)?(?:outside"
    r"|prior|previous|earlier|old|recent|referring)\b"
    r"|^[ \t\n,]*(?:on|at|in)[ \t\n]+(?:the[ \t\n]+|an[ \t\n]+)?(?:outside|prior|previous"
    r"|earlier|old)[ \t\n]+(?:ct|us|mri|mr|ultrasound|sonogram|study|exam|examination|imaging"
    r"|scan|film|radiograph|x-?ray)\b",
    re.I,
)
_RESOLVED_BEFORE = re.compile(
    r"\b(?:resolution[ \t\n]+of|interval[ \t\n]+resolution|resolved)\b", re.I
)
_HISTORICAL_BEFORE = re.compile(
    r"\b(?:history[ \t\n]+of|hx[ \t\n]+of|h/o|known[ \t\n]+history|past[ \t\n]+history"
    r"|status[ \t\n]+post|s/p|previously[ \t\n]+(?:resected|treated|ablated|removed)"
    r"|(?:mother|father|sister|brother|sibling|parent|grandmother|grandfather|aunt|uncle"
    r"|family|relative)(?:'s)?[ \t\n]+(?:had|has|with|was|is|history)"
    r"|(?:prior|previous|old|outside)[ \t\n]+(?:ct|us|mri|mr|ultrasound|sonogram|study|exam"
    r"|examination|imaging|scan)[ \t\n]+(?:showed|demonstrated|revealed|described|noted|showing"
    r"|demonstrating|revealing|describing|with|reporting)"
    r"|(?:on|in)[ \t\n]+(?:the[ \t\n]+|an[ \t\n]+)?(?:prior|previous|earlier|outside|old)[ \t\n]+"
    r"(?:ct|us|mri|mr|ultrasound|sonogram|study|exam|examination|imaging|scan)"
    r"|comparison[ \t\n]+(?:is[ \t\n]+made[ \t\n]+)?(?:to|with)"
    r"|(?:follow[- ]?up|f/u|surveillance|re-?evaluation|evaluation|assessment|reassessment)"
    r"[ \t\n]+(?:of|for)(?:[ \t\n]+(?:the|a|an))?[ \t\n]+(?:previously|prior|known|recently)"
    r"|\bfor[ \t\n]+(?:the[ \t\n]+|a[ \t\n]+)?(?:previously|prior)[ \t\n]+(?:noted|seen"
    r"|described|reported|identified|detected|documented|demonstrated))\b",
    re.I,
)
_CURRENT_CUE = re.compile(
    r"\b(?:now|currently|today|again|persist[a-z]*|stable|unchanged|remains?|on[ \t\n]+the"
    r"[ \t\n]+current|present[ \t\n]+study)\b",
    re.I,
)
# Said anywhere in the sentence, these keep a finding first named as historical current:
# "Prior CT showed a calcified granuloma; it is again seen" (not "today", "now": those
# also describe the rest of the organ).
_STILL_THERE = re.compile(
    r"\b(?:again|persist[a-z]*|still|remains?|unchanged|stable|re-?demonstrated|re-?identified)\b",
    re.I,
)
_HYPOTHETICAL_BEFORE = re.compile(
    r"\b(?:evaluat(?:e|ion|ing)[ \t\n]+for|assess(?:ment)?[ \t\n]+for|if"
    r"|rule[ \t\n]+out|r/o|to[ \t\n]+(?:exclude|confirm|evaluate|assess|detect|look)"
    r"|sensitivity[ \t\n]+(?:for|to)|insensitive[ \t\n]+(?:for|to)"
    r"|detection[ \t\n]+of|correlat[a-z]*[ \t\n]+(?:with|for)|screen(?:ing)?[ \t\n]+for"
    r"|in[ \t\n]+case[ \t\n]+of|question[ \t\n]+of"
    r"|concern[ \t\n]+for[ \t\n]+possible|query|queried|whether|asks?|asking"
    r"|^[ \t\n]*(?:please[ \t\n]+)?(?:evaluate|assess|characteri[sz]e|re-?evaluate|exclude)"
    r"|(?:would|could|might|will|may)[ \t\n]+(?:better[ \t\n]+|more[ \t\n]+reliably[ \t\n]+)?"
    r"(?:depict|show|detect|demonstrate|characteri[sz]e|confirm|identify|visuali[sz]e"
    r"|exclude))\b",
    re.I,
)
_HYPOTHETICAL_AFTER = re.compile(
    r"\b(?:cannot|can[ \t\n]*not|could[ \t\n]+not)[ \t\n]+be[ \t\n]+"
    r"(?:assessed|evaluated|determined|characterized|excluded[ \t\n]+on)"
    r"|\b(?:is|are)[ \t\n]+(?:limited|not[ \t\n]+(?:well[ \t\n]+)?(?:assessed|evaluated))\b"
    r"|\bif[ \t\n]+(?:clinically|needed|required|indicated|desired|necessary|warranted)\b",
    re.I,
)
_LIMITED = re.compile(r"\blimited\b", re.I)
_HEDGE_BEFORE = re.compile(
    r"\boverl(?:ying|ies)[ \t\n]+the[ \t\n]+(?:liver|hepatic|right[ \t\n]+upper)|\?"
    r"|\b(?:cannot|can[ \t\n]+not|could[ \t\n]+not)[ \t\n]+(?:exclude|rule[ \t\n]+out)\b"
    r"|\b(?:possibl[ey]|probabl[ey]|likely|may[ \t\n]+(?:represent|be|reflect)|might|could"
    r"[ \t\n]+(?:represent|be|reflect)|questionable|question[ \t\n]+of|suspect(?:ed)?|suspicious"
    r"[ \t\n]+for|suggest(?:s|ive|ing)?(?:[ \t\n]+of)?|presum(?:ed|ably)|equivocal|indeterminate"
    r"|versus|vs\.?|concerning[ \t\n]+for|favou?r(?:ed|s)?)\b",
    re.I,
)
# A radiograph shows where a density projects, not which organ holds it: "calcific
# density projecting over the hepatic region" is a possible liver finding (hedged).
_PROJECTION = (
    r"\bproject(?:s|ing|ed)?[ \t\n]+(?:over|onto|upon|into|in)\b|\boverl(?:ies|ie|ying|ay|ays)\b"
    r"|\bsuperimposed\b|\b(?:hepatic|liver)[ \t\n]+(?:shadow|region|area|silhouette)\b"
    r"|\bregion[ \t\n]+of[ \t\n]+the[ \t\n]+liver\b"
)
_HEDGE_AFTER = re.compile(
    _PROJECTION + r"|"
    r"\b(?:cannot|can[ \t\n]*not|could[ \t\n]+not)[ \t\n]+be[ \t\n]+(?:excluded|ruled[ \t\n]+out)"
    r"|\bnot[ \t\n]+(?:be[ \t\n]+)?(?:excluded|ruled[ \t\n]+out)|\?|\bis[ \t\n]+(?:suspected"
    r"|possible|questioned)\b|\bversus\b|\bvs\.?[ \t\n]",
    re.I,
)
# Negation does not reach past these words (NegEx termination terms).
_TERMINATE = re.compile(
    r"\b(?:but|however|although|though|except|aside[ \t\n]+from|apart[ \t\n]+from|other[ \t\n]+than"
    r"|besides|save[ \t\n]+for|which|that"
    r"[ \t\n]+(?:is|are)|there[ \t\n]+(?:is|are)|who|now|compatible[ \t\n]+with|consistent"
    r"[ \t\n]+with|in[ \t\n]+keeping[ \t\n]+with|representing|represents?|likely"
    r"|probabl[ey]|favou?ring)\b",
    re.I,
)


_WINDOW = 160  # characters either side of the target (about 25 words)


# A condition ("if there is concern for calcification") reaches past "there is".
_TERMINATE_HYPOTHESIS = re.compile(r"\b(?:but|however|although|though|except|then)\b", re.I)


@dataclass(frozen=True, slots=True)
class Context:
    """The status of one target in its clause."""

    negated: bool = False
    resolved: bool = False
    historical: bool = False
    hypothetical: bool = False
    hedged: bool = False

    @property
    def exclusion(self) -> str | None:
        """Why the target is not a current finding, or None when it is one."""
        if self.resolved:
            return "resolved"
        if self.negated:
            return "negated"
        if self.hypothetical:
            return "hypothetical"
        if self.historical:
            return "historical"
        return None


def _mask(text: str, pattern: re.Pattern[str]) -> str:
    """``text`` with every match of ``pattern`` blanked out (same length, same offsets)."""
    return pattern.sub(lambda m: " " * (m.end() - m.start()), text)


def _last_trigger_reaches(
    before: str, trigger: re.Pattern[str], terminate: re.Pattern[str] | None = None
) -> bool:
    """True when a trigger in ``before`` is not cut off by a termination word after it."""
    last_end = -1
    for m in trigger.finditer(before):
        last_end = m.end()
    if last_end < 0:
        return False
    return (terminate or _TERMINATE).search(before, last_end) is None


def read_context(
    text: str,
    clause_start: int,
    clause_end: int,
    target_start: int,
    target_end: int,
    sentence: tuple[int, int] | None = None,
) -> Context:
    """Context of the target at [target_start, target_end) inside its clause.

    ``sentence`` (its span) is where a cue that the finding is still there is looked
    for: "Prior CT showed a calcified granuloma; it is again seen" is current.
    """
    cue_span = sentence or (clause_start, clause_end)
    # bounded, so that a run-on sentence with many targets stays linear
    cue_span = (
        max(cue_span[0], target_start - 2 * _WINDOW),
        min(cue_span[1], target_end + 2 * _WINDOW),
    )
    # NegEx-style windows: triggers act within a few words of the target, and bounded
    # windows keep long run-on clauses cheap.
    clause_start = max(clause_start, target_start - _WINDOW)
    clause_end = min(clause_end, target_end + _WINDOW)
    clause = text[clause_start:clause_end]
    rel_s, rel_e = target_start - clause_start, target_end - clause_start
    before_raw, after_raw = clause[:rel_s], clause[rel_e:]
    before = _mask(before_raw, _PSEUDO)
    after = _mask(after_raw, _PSEUDO)

    resolved = (
        bool(_RESOLVED_AFTER.search(after_raw))
        or _last_trigger_reaches(before, _RESOLVED_BEFORE)
        or _last_trigger_reaches(before_raw, _NO_LONGER_BEFORE)
    )
    negated = not resolved and (
        _last_trigger_reaches(before, _NEG_BEFORE)
        or bool(_NEG_AFTER.search(after))
        or bool(_NEG_RIGHT_AFTER.match(after_raw))
    )
    hypothetical = _last_trigger_reaches(
        before, _HYPOTHETICAL_BEFORE, _TERMINATE_HYPOTHESIS
    ) or bool(_HYPOTHETICAL_AFTER.search(after_raw))
    if not hypothetical and _LIMITED.search(clause):
        # "evaluation for calcification is limited", "MRI is limited for calcification"
        hypothetical = bool(re.search(r"\b(?:evaluat|assess|sensitiv|detect)", clause, re.I))
    historical = (
        _last_trigger_reaches(before, _HISTORICAL_BEFORE)
        or (bool(_HISTORICAL_AFTER.search(after)) and not _MEASURED_NOW.search(before_raw))
    ) and not (_CURRENT_CUE.search(clause) or _STILL_THERE.search(text, *cue_span))
    hedged = bool(_HEDGE_BEFORE.search(before_raw[-60:]) or _HEDGE_AFTER.search(after_raw))
    return Context(negated, resolved, historical, hypothetical, hedged)
