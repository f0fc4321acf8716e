"""Non-calcified liver observations that a report describes with LI-RADS features.

The reader is built to find calcification, but in an at-risk liver the decision turns
on the observation beside it, or on one with no calcium at all: "17 mm observation in
segment 2 with arterial phase hyperenhancement and washout" is an LR-5 pattern, and if
it never reaches the engine the case reads as "no liver finding". This module returns
such an observation as a ``Finding`` with ``calcified=False`` (``kind`` lesion), its
size, place, comparison and the features the engine's LI-RADS step reads (APHE,
washout, enhancing capsule, rim APHE, delayed central enhancement, threshold growth),
so LI-RADS v2018 runs on it (Chernyak V, Fowler KJ, Kamaya A, et al. Liver Imaging
Reporting and Data System (LI-RADS) version 2018: imaging of hepatocellular carcinoma in
at-risk patients. Radiology 2018;289(3):816-830. doi:10.1148/radiol.2018181494).

Rules, all needed together, so ordinary prose stays silent:
  * a sentence of a current section (not history, indication or comparison) names an
    observation noun (observation, nodule, lesion, mass, tumour, focus, LR-x);
  * it states at least one LI-RADS major feature as present (APHE, washout, capsule) or
    "threshold growth" (an unpositive "no arterial enhancement" sets nothing);
  * it gives a current size (a LI-RADS category needs one);
  * it is about the liver: no other organ is its subject, and the noun is not negated
    ("no arterially enhancing lesion") or historical;
  * it holds no calcification target: those are the calcification reader's.

A restatement (the IMPRESSION's "17 mm observation segment 2, LR-5") of an observation
already read (same size) is not added again. Gate: a substring test for the feature
words, so reports without them cost one scan.
"""

from __future__ import annotations

import re

from hepcalc.model import Evidence, Features, Finding, FindingKind
from hepcalc.regex_cache import re_compile
from hepcalc.reports import (
    attributes,
    context,
    locations,
    organs,
    sections,
    sentences,
    sizes,
    targets,
)
from hepcalc.reports.word_gate import Has

_GATE = re_compile(r"arterial|aphe|wash[- ]?out|hyperenhanc|hypervascular|threshold", re.I)
# Words of which a LI-RADS major feature needs one ("aphe", "washout", "hypervascular",
# "threshold growth", "hyperenhancing"); "arterial" counts only with "enhanc" or "capsul",
# because alone it is in every cardiology note and no feature can be read from it.
_GATE_WORDS = ("aphe", "wash", "hyperenhanc", "hypervascular", "threshold")
_ARTERIAL_WITH = ("enhanc", "capsul")
_NOUN = re_compile(
    r"\b(?:observations?|nodules?|lesions?|mass(?:es)?|tumou?rs?|lr-?[345m]"
    r"|li-?rads[ \t\n]*[345m])\b",
    re.I,
)
_THRESHOLD = re_compile(r"\bthreshold[ \t\n]+growth\b", re.I)
_NO_BEFORE = re_compile(r"\b(?:no|without|not)\b[^.;]{0,20}$", re.I)
_MAJOR = ("aphe", "washout", "capsule", "rim_aphe")
# Any major feature or threshold growth anywhere in the text: an observation needs one, so
# a report passing the word gate with none ("raphe", "washed", "arterial blood gas", an
# audiology "threshold") is not split into sections and sentences at all.
_ANY_MAJOR = re_compile(
    "|".join(f"(?:{attributes.feature_pattern(n).pattern})" for n in _MAJOR)
    + f"|(?:{_THRESHOLD.pattern})",
    re.I,
)
# The words every alternative of _ANY_MAJOR starts with. Trying the pattern only where one
# of them stands (found with str.find) gives the same answer as a search of the whole text,
# about 20x faster: the pattern starts with a word boundary, so a plain search tries its
# whole alternation at every offset.
_MAJOR_STARTS = (
    "aphe",
    "arterial",
    "hyperenhanc",
    "hypervascular",
    "wash",
    "enhancing",
    "capsul",
    "rim",
    "peripheral",
    "threshold",
)
_NOT_CURRENT = frozenset({"history", "indication", "comparison"})
_MAX_OBSERVATIONS = 20  # a report lists a handful; bounded work on pathological text
_LIVER_ORGANS = frozenset({"liver"})


def might_have_features(has: Has) -> bool:
    """Cheap gate: does the text hold the words a LI-RADS feature needs? (``has(w)``: ``w``
    occurs in the lower-cased text; ``word_gate`` evaluates it for all readers in one pass.)"""
    return any(has(w) for w in _GATE_WORDS) or (
        has("arterial") and any(has(w) for w in _ARTERIAL_WITH)
    )


GATE_WORDS = (*_GATE_WORDS, "arterial", *_ARTERIAL_WITH, *_MAJOR_STARTS)
# an observation needs one of these words (``might_have_features`` is false without them)
TRIGGERS = (*_GATE_WORDS, "arterial")


def _has_major(text: str, low: str, present: frozenset[str] | None = None) -> bool:
    """``_ANY_MAJOR.search(text) is not None``, tried only where a start word stands
    (and, with ``present``, only for the start words the word gate saw)."""
    if len(low) != len(text):
        return _ANY_MAJOR.search(text) is not None  # offsets differ: the plain search
    for word in _MAJOR_STARTS:
        i = low.find(word) if present is None or word in present else -1
        while i >= 0:
            if _ANY_MAJOR.match(text, i) is not None:
                return True
            i = low.find(word, i + 1)
    return False


def _features(text: str, start: int, end: int) -> dict[str, bool]:
    feats = {
        k: v
        for k, v in attributes.read_features(text, start, end).items()
        if k not in ("acoustic_shadowing", "signal_void")
    }
    growth = _THRESHOLD.search(text, start, end)
    if growth is not None:
        before = text[max(start, growth.start() - 30) : growth.start()]
        feats["threshold_growth"] = not _NO_BEFORE.search(before)
    return feats


def _about_liver(text: str, start: int, end: int, sec: sections.Section) -> bool:
    if sec.organ not in (None, "liver"):
        return False
    mentions = organs.find_organs(text, start, end)
    return all(m.organ in _LIVER_ORGANS for m in mentions)


def _observation(
    text: str, sec: sections.Section, start: int, end: int, candidates: list[int]
) -> Finding | None:
    """The observation one sentence describes, or None (see the module rules)."""
    noun = _NOUN.search(text, start, end)
    if noun is None:
        return None
    if any(start <= c < end for c in candidates) and targets.find_targets(
        text, start, end, candidates
    ):
        return None  # a calcification sentence: the calcification reader's
    feats = _features(text, start, end)
    if not any(feats.get(k) for k in (*_MAJOR, "threshold_growth")):
        return None
    if not _about_liver(text, start, end, sec):
        return None
    ctx = context.read_context(text, start, end, noun.start(), noun.end(), (start, end))
    if ctx.exclusion is not None:
        return None
    current = [z for z in sizes.find_sizes(text, start, end) if not z.prior]
    if not current:
        return None
    prior = next((z.mm for z in sizes.find_sizes(text, start, end) if z.prior), None)
    loc = locations.find_location(text, start, end, noun.start())
    return Finding(
        kind=FindingKind.lesion,
        calcified=False,
        size_mm=max(z.mm for z in current),
        location=loc,
        features=Features(**feats),
        comparison=attributes.read_comparison(text, start, end),
        prior_size_mm=prior,
        evidence=Evidence(
            sentence=text[start:end],
            start=start,
            end=end,
            section=sec.category if sec.category != "body" else None,
            hedged=ctx.hedged,
        ),
        label="non-calcified observation",
    )


def read_observations(
    text: str,
    secs: list[sections.Section] | None,
    known: list[Finding],
    low: str | None = None,
    present: frozenset[str] | None = None,
) -> list[Finding]:
    """Non-calcified observations with LI-RADS features, not already among ``known``.

    Example: "17 mm observation in segment 2 with arterial phase hyperenhancement and
    washout." -> one lesion, 17 mm, segment 2, ``calcified=False``, aphe and washout true.
    ``low`` and ``present`` (the gate words ``word_gate`` found), when the caller has them,
    spare the gate its own scans.
    """
    low = text.lower() if low is None else low
    has = low.__contains__ if present is None else present.__contains__
    if not might_have_features(has) or not _has_major(text, low, present):
        return []
    if secs is None:
        secs = sections.find_sections(text)
    candidates = targets.candidate_positions(text, low, present)
    out: list[Finding] = []
    seen: set[float | None] = {f.size_mm for f in known if f.size_mm is not None}
    for sec in secs:
        if sec.category in _NOT_CURRENT or not _GATE.search(text, sec.start, sec.end):
            continue
        for s_start, s_end in sentences.split_sentences(text, sec.start, sec.end):
            found = _observation(text, sec, s_start, s_end, candidates)
            if found is None:
                continue
            if found.size_mm in seen:
                continue  # the IMPRESSION restating it, or the calcified finding it is
            seen.add(found.size_mm)
            out.append(found)
            if len(out) >= _MAX_OBSERVATIONS:
                return out
    return out
