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

from hepcalc.regex_cache import re_compile
from hepcalc.reports import lexicon

_W = r"[ \t\n]+"


def _trigger(name: str) -> re.Pattern[str]:
    """Trigger set ``name`` of ``data/context_triggers.yaml``, checked and compiled."""
    where = f"context_triggers.yaml: {name}"
    alts = lexicon.alternatives(where, lexicon.load("context_triggers").get(name))
    return lexicon.compiled(where, "|".join(alts), re.I)


_PSEUDO = _trigger("pseudo")

_NEG_BEFORE = _trigger("neg_before")
_NEG_AFTER = _trigger("neg_after")
_RESOLVED_AFTER = _trigger("resolved_after")
# "No longer seen: hepatic calcification" ("no longer" is masked as a pseudo-negation)
_NO_LONGER_BEFORE = _trigger("no_longer_before")
# "calcification absent", "calcifications - none", "calcification: nil" right after the target
# (the word ends the phrase: "calcifications, none larger than 2 mm" bounds a size)
_NEG_RIGHT_AFTER = _trigger("neg_right_after")
# A measurement before the target makes it a present-day description ("cyst measuring 3.4 cm
# with wall calcification seen on prior CT" is a cyst seen now)
_MEASURED_NOW = _trigger("measured_now")
# "... calcification seen on the outside ultrasound", "calcification on prior CT"
_HISTORICAL_AFTER = _trigger("historical_after")
_RESOLVED_BEFORE = _trigger("resolved_before")
_HISTORICAL_BEFORE = _trigger("historical_before")
_CURRENT_CUE = _trigger("current_cue")
# Said anywhere in the sentence, these keep a finding first named as historical current:
# "Prior CT showed a calcified granuloma; it is again seen" (not "today", "now": those
# also describe the rest of the organ).
_STILL_THERE = _trigger("still_there")
_HYPOTHETICAL_BEFORE = _trigger("hypothetical_before")
_HYPOTHETICAL_AFTER = _trigger("hypothetical_after")
_RECOMMENDATION_AFTER = _trigger("recommendation_after")
_LIMITED = _trigger("limited")
_HEDGE_BEFORE = _trigger("hedge_before")
# (also radiograph projection: "calcific density projecting over the hepatic region" shows
# where a density projects, not which organ holds it, so the finding is hedged)
_HEDGE_AFTER = _trigger("hedge_after")
# A projected density explained by the next sentence (another organ's stone, a rib).
_EXPLAINED_NEXT = _trigger("explained_next")
# A projected density the next sentence shows is not in the liver (see ``_refuted_next``).
_PROJECTION = _trigger("projection")
# A finding its own sentence retracts (see ``_retracted``).
_RETRACTED_AS = _trigger("retracted_as")
_EMPTY_BOX_BEFORE = _trigger("empty_box_before")
_RETRACTED_DENIAL = _trigger("retracted_denial")
_REFUTED_NEXT = _trigger("refuted_next")
_STONES_NEXT = _trigger("stones_next")
_CALC_WORD = re_compile(r"calcif", re.I)
# Negation does not reach past these words (NegEx termination terms).
_TERMINATE = _trigger("terminate")


_WINDOW = 160  # characters either side of the target (about 25 words)


# "no foci consistent with calcification": the interpretation belongs to the negated noun
_NEGATED_SUBJECT_THEN = _trigger("negated_subject_then")


def _negation_reaches(before: str) -> bool:
    """True when a negation trigger in ``before`` reaches its end.

    As ``_last_trigger_reaches``, except that an interpretive termination right after
    a negated finding noun ("no echogenic foci consistent with calcification") does not
    end the negation: what is negated is the foci consistent with calcification.
    """
    last_end = -1
    for m in _NEG_BEFORE.finditer(before):
        last_end = m.end()
    if last_end < 0:
        return False
    pos = last_end
    while (t := _TERMINATE.search(before, pos)) is not None:
        if pos != last_end or not _NEGATED_SUBJECT_THEN.fullmatch(before, last_end, t.end()):
            return False
        pos = t.end()
    return True


# A condition ("if there is concern for calcification") reaches past "there is".
_TERMINATE_HYPOTHESIS = _trigger("terminate_hypothesis")


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
        _negation_reaches(before)
        or bool(_NEG_AFTER.search(after))
        or bool(_NEG_RIGHT_AFTER.match(after_raw))
    )
    hypothetical = _last_trigger_reaches(
        before, _HYPOTHETICAL_BEFORE, _TERMINATE_HYPOTHESIS
    ) or bool(_HYPOTHETICAL_AFTER.search(_mask(after_raw, _RECOMMENDATION_AFTER)))
    if not hypothetical and _LIMITED.search(clause):
        # "evaluation for calcification is limited", "MRI is limited for calcification"
        hypothetical = bool(re.search(r"\b(?:evaluat|assess|sensitiv|detect)", clause, re.I))
    historical = (
        _last_trigger_reaches(before, _HISTORICAL_BEFORE)
        or (bool(_HISTORICAL_AFTER.search(after)) and not _MEASURED_NOW.search(before_raw))
    ) and not (_CURRENT_CUE.search(clause) or _STILL_THERE.search(text, *cue_span))
    negated = negated or (sentence is not None and _retracted(text, target_end, sentence[1]))
    negated = negated or unticked(before_raw)
    hedged = bool(_HEDGE_BEFORE.search(before_raw[-60:]) or _HEDGE_AFTER.search(after_raw))
    if hedged and not negated and sentence is not None:
        # "... overlies the right upper quadrant. Ultrasound: this corresponds to a gallstone"
        nxt = text[sentence[1] : sentence[1] + 2 * _WINDOW]
        negated = bool(_EXPLAINED_NEXT.match(nxt.lstrip(" .\t\n")))
        if not negated and (_PROJECTION.search(after_raw) or _PROJECTION.search(before_raw)):
            negated = _refuted_next(nxt)
    return Context(negated, resolved, historical, hypothetical, hedged)


def unticked(before: str) -> bool:
    """True when a form's empty checkbox opens the option that ``before`` ends in
    ("[ ] calcified", "[ ] cyst").

    Why: a checkbox form lists every option and ticks some ("[ ] calcified  [x]
    non-calcified"); an option left empty is not what was seen. A ticked box ("[x]
    calcified") or an empty box before another option ("[ ] steatosis [x] calcification")
    does not negate.
    """
    tail = before[-48:]
    if "]" not in tail and ")" not in tail and "\u2610" not in tail:
        return False
    return _EMPTY_BOX_BEFORE.search(tail) is not None


def _retracted(text: str, target_end: int, sentence_end: int) -> bool:
    """True when the target's own sentence takes it back: it "was a contrast-filled vessel"
    / "represents contrast in a vein" and then "no true calcification" / "does not represent
    calcification".

    Why: a reread of an earlier report or a second phase names the finding first and
    retracts it after; the reinterpretation alone may be a description ("is a calcified
    vessel wall"), so the denial of calcification is required too.
    """
    end = min(sentence_end, target_end + 2 * _WINDOW)
    m = _RETRACTED_AS.match(text, target_end, end)
    return m is not None and _RETRACTED_DENIAL.search(text, m.end(), end) is not None


def _refuted_next(nxt: str) -> bool:
    """True when the sentence after a projected density (radiograph, scout) shows that it
    is not in the liver: the liver has no calcification there ("the liver parenchyma is
    normal without calcification"), or gallstones are found and no calcification named
    ("the gallbladder contains multiple stones up to 1.5 cm").

    Only the next sentence is read: a later one may be about something else.
    """
    body = nxt.lstrip(" .\t\n")
    end = re.search(r"[.!?](?=\s|$)", body)
    sentence = body[: end.start()] if end else body
    if _REFUTED_NEXT.search(sentence):
        return True
    return bool(_STONES_NEXT.search(sentence)) and not _CALC_WORD.search(sentence)
