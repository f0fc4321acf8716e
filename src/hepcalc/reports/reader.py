"""The report reader: free text in, liver calcification findings out.

Pipeline (each step its own module, all patterns compiled at import):

1. ``targets.candidate_positions``: substring searches; a report without a target
   stem is done, and only the sentences around the stems are read further.
2. ``sections``: HISTORY/INDICATION/COMPARISON text is never a current finding;
   organ headers ("LIVER:", "Spleen -") say which organ the text is about.
3. ``sentences``: sentences in each section holding a target, then clauses.
4. ``targets``: calcification words and signs in the clause.
5. ``context``: negated / resolved / hypothetical / historical / hedged.
6. ``organs``: the organ the target belongs to (only the liver is kept).
7. ``sizes``, ``locations``, ``attributes``: size (current and prior), count,
   pattern, host lesion, comparison, features.
8. merge: a finding repeated in the IMPRESSION (or a later "this calcification
   is stable") is one finding; the later mention fills gaps.

Every finding carries ``evidence``: the sentence and its span in the input, so
a reviewer sees why.
"""

from __future__ import annotations

import bisect
import itertools
import re
from dataclasses import dataclass, field
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from hepcalc.errors import InputError
from hepcalc.model import (
    MAX_REPORT_CHARS,
    Associated,
    Comparison,
    Evidence,
    Features,
    Finding,
    FindingKind,
    Location,
    Modality,
)
from hepcalc.regex_cache import re_compile
from hepcalc.reports import (
    attributes,
    context,
    duct_stones,
    liver_share,
    locations,
    observations,
    organs,
    resolver,
    sections,
    sentences,
    sizes,
    soft_tissue,
    tables,
)
from hepcalc.reports import targets as targets_module
from hepcalc.reports.targets import Target, candidate_positions, find_targets
from hepcalc.reports.word_gate import Has, WordGate

ExclusionReason = Literal["negated", "historical", "hypothetical", "resolved", "other_organ"]
BackgroundLiver = Literal["normal", "steatosis", "cirrhosis"]

# A report never holds more distinct findings than an Exam accepts (model: 200); reading
# stops collecting past these bounds so pathological input stays linear in time and memory.
MAX_FINDINGS = resolver.MAX_FINDINGS
_MAX_DRAFTS = 2_000
_MAX_EXCLUDED = 500
# No report names a calcification thousands of times; past this many target words the rest
# of the text is not read, which bounds the worst case in absolute time, not only in growth.
_MAX_TARGETS = 2_000
# Evidence is the sentence; a run-on "sentence" (no punctuation for pages) is cut to a
# window around the target so one finding never carries the whole report.
_MAX_EVIDENCE_CHARS = 600
# How far outside its clause a target looks for a location, organ or complex-cyst cue.
_NEAR = resolver.NEAR
_ORGAN_LOOKBACK = 4
_SENTENCE_WINDOW = 600

_NOT_CURRENT_SECTIONS = frozenset({"history", "indication", "comparison"})
_SUMMARY_SECTIONS = resolver.SUMMARY_SECTIONS
_ANOTHER = resolver.ANOTHER


class ExcludedMention(BaseModel):
    """A target that was read and deliberately not reported as a current liver finding."""

    model_config = ConfigDict(extra="forbid")

    reason: ExclusionReason
    term: str
    evidence: Evidence
    organ: str | None = None


class SectionInfo(BaseModel):
    """A section of the report as the reader saw it (offsets into the text)."""

    model_config = ConfigDict(extra="forbid")

    name: str
    category: str
    organ: str | None = None
    start: int
    end: int


class ReportReading(BaseModel):
    """Everything the reader found in one report."""

    model_config = ConfigDict(extra="forbid")

    findings: list[Finding] = Field(default_factory=list)
    excluded: list[ExcludedMention] = Field(default_factory=list)
    modality: Modality | None = None
    background_liver: BackgroundLiver | None = None
    sections: list[SectionInfo] = Field(default_factory=list)


_Draft = resolver.Draft
_LastHost = resolver.LastHost
_sentence_host = resolver.sentence_host
_compare = resolver.compare


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise InputError([("text", f"must be a string, not {type(text).__name__}")])
    if len(text) > MAX_REPORT_CHARS:
        raise InputError(
            [("text", f"report is {len(text)} characters; the limit is {MAX_REPORT_CHARS}")]
        )
    return text


# every word a reader's gate tests, found in one compiled pass (``word_gate``)
_WORD_GATE = WordGate(
    (*targets_module.CANDIDATE_GATE_WORDS, *duct_stones.GATE_WORDS, *observations.GATE_WORDS),
    cased_words=(targets_module.PAS_WORD,),
)


# every reader's gate needs one of these words (a set test rejects most reports at once)
_TRIGGERS = frozenset(
    (*targets_module.CANDIDATE_TRIGGERS, *duct_stones.GATE_WORDS, *observations.TRIGGERS)
)


def _may_hold_finding(has: Has) -> bool:
    """False only when every reader's gate rejects the text, so it has no finding."""
    return (
        targets_module.might_have_candidates(has)
        or duct_stones.might_have_stones(has)
        or observations.might_have_features(has)
    )


def extract_findings(text: str, modality: Modality | None = None) -> list[Finding]:
    """Liver calcification findings present now in ``text`` (see ``read_report``)."""
    text = _check(text)
    present = _WORD_GATE.present(text)
    if present is not None and (
        present.isdisjoint(_TRIGGERS) or not _may_hold_finding(present.__contains__)
    ):
        return []  # most reports: no word any reader needs (one pass, no lower-casing)
    low = text.lower()  # once: the gates below all look for lower-case words
    candidates = candidate_positions(text, low, present)
    if not candidates:
        # the common case: nothing that could be a calcification (an at-risk liver's
        # non-calcified LI-RADS observation is still read, behind its own cheap gate)
        found = duct_stones.read_duct_stones(text, None, low, present)
        return found + observations.read_observations(text, None, found, low, present)
    return _read(text, modality, full=False, candidates=candidates, gates=(low, present)).findings


def read_report(text: str, modality: Modality | None = None) -> ReportReading:
    """Findings, excluded mentions, modality, background liver and sections of a report."""
    text = _check(text)
    return _read(text, modality, full=True)


def _section_label(sec: sections.Section) -> str | None:
    if sec.organ:
        return f"{sec.category}:{sec.organ}" if sec.category != "body" else sec.organ
    return sec.category if sec.category != "body" else None


class _SectionSentences:
    """The sentences of one section, with what earlier sentences established, computed lazily.

    Only sentences holding a target are read in full; the organ a section was talking
    about ("The spleen is enlarged. A calcified granuloma...") and the last lesion with
    a size ("... hemangioma. Phlebolith within it") are looked up backwards on demand
    and memoised, so the work stays linear in the section's length.
    """

    def __init__(self, text: str, sec: sections.Section, first: int, last: int) -> None:
        self.text = text
        self.sec = sec
        # Split only around the targets (``first``..``last``): the few sentences before
        # them are all that organ/lesion look-backs use; long sections stay cheap.
        lo = max(sec.start, first - _SENTENCE_WINDOW)
        hi = min(sec.end, last + _SENTENCE_WINDOW)
        self.spans = sentences.split_sentences(text, lo, hi)
        self._organs: dict[int, list[organs.OrganMention]] = {}
        self._host_before: dict[int, _LastHost | None] = {}
        self._next_in_liver: dict[int, bool] = {}

    def organs_of(self, idx: int) -> list[organs.OrganMention]:
        found = self._organs.get(idx)
        if found is None:
            s, e = self.spans[idx]
            found = organs.find_organs(self.text, s, e)
            self._organs[idx] = found
        return found

    def organ_before(self, idx: int) -> str | None:
        """The organ the latest earlier sentence of this section named (else the header's).

        Looks back at most ``_ORGAN_LOOKBACK`` sentences: older talk is stale context.
        """
        for k in range(idx - 1, max(0, idx - _ORGAN_LOOKBACK) - 1, -1):
            mentions = self.organs_of(k)  # memoised per sentence
            if mentions:
                return organs.subject_organ(mentions)
        return self.sec.organ

    def next_places_in_liver(self, idx: int) -> bool:
        """True when the next sentence places "it" in the liver ("It is in segment 6.").

        Memoised per sentence, so many clauses of one sentence asking stay linear.
        """
        found = self._next_in_liver.get(idx)
        if found is None:
            found = False
            if idx + 1 < len(self.spans):
                n_start, n_end = self.spans[idx + 1]
                m = _IT_LIES.match(self.text, n_start, n_end) or _IT_OCCUPIES.match(
                    self.text, n_start, n_end
                )
                if m is not None and not targets_module.PREFILTER.search(self.text, n_start, n_end):
                    here = organs.find_organs(
                        self.text, m.end(), _landmark_cut(self.text, m.end(), n_end)
                    )
                    found = bool(here) and all(o.organ == "liver" for o in here)
                elif m is None:
                    found = self._items_in_liver(idx)
            self._next_in_liver[idx] = found
        return found

    def _items_in_liver(self, idx: int) -> bool:
        """True when the sentence heads a list ("Calcified granulomas:") whose first item
        opens on a place in the liver ("- right lobe: 4 mm", "1. segment 6, 3 mm")."""
        s_start, s_end = self.spans[idx]
        if not self.text[s_start:s_end].rstrip().endswith(":"):
            return False
        n_start, n_end = self.spans[idx + 1]
        bullet = _BULLET.match(self.text, n_start, n_end)
        if (
            bullet is None
            and _BULLET_BEFORE.search(self.text, max(0, n_start - 8), n_start) is None
        ):
            return False
        item = bullet.end() if bullet is not None else n_start
        if targets_module.PREFILTER.search(self.text, item, n_end):
            return False
        here = organs.find_organs(self.text, item, min(n_end, item + 24))
        return bool(here) and all(o.organ == "liver" for o in here)

    def restated_now(self, idx: int) -> bool:
        """True when the next sentence says "it" of the present ("Today it measures 9 mm",
        "It now measures ...", "On the current study it is ..."): the earlier exam's
        finding of this sentence is still there."""
        if idx + 1 >= len(self.spans):
            return False
        n_start, n_end = self.spans[idx + 1]
        return (
            _RESTATED_NOW.match(self.text, n_start, n_end) is not None
            and _GONE_NOW.search(self.text, n_start, n_end) is None
        )

    def host_before(self, idx: int) -> _LastHost | None:
        """The latest lesion described with a size in an earlier sentence of this section."""
        todo: list[int] = []
        i = idx - 1
        result: _LastHost | None = None
        while i >= 0:
            if i in self._host_before:
                result = self._host_before[i]
                break
            todo.append(i)
            i -= 1
        for k in reversed(todo):
            s, e = self.spans[k]
            host = _sentence_host(self.text, s, e)
            if host is not None:
                result = host
            self._host_before[k] = result
        return result


def _read(
    text: str,
    modality: Modality | None,
    full: bool,
    candidates: list[int] | None = None,
    gates: tuple[str, frozenset[str] | None] | None = None,
) -> ReportReading:
    """Read the report; ``gates`` (the lower-cased text and the gate words found in it),
    when the caller has them, spare the duct-stone and observation readers their scans."""
    if candidates is None:
        candidates = candidate_positions(text)
    drafts: list[_Draft] = []
    excluded: list[ExcludedMention] = []
    copied: list[_Draft] = []  # what an earlier report's copied lines measured
    secs: list[sections.Section] | None = None
    if candidates:
        secs = sections.find_sections(text, until=None if full else candidates[-1])
        head_end = max(secs[1].header_start if len(secs) > 1 else len(text), 200)
        # the title is before the first organ sub-section ("LIVER: Normal." is not a title)
        first_organ = next((x.header_start for x in secs if x.organ is not None), head_end)
        liver_report = organs.is_liver_report(text, min(head_end, max(first_organ, 1)))
        sentence_key = 0
        ci = 0
        targets_left = _MAX_TARGETS
        for sec in secs:
            while ci < len(candidates) and candidates[ci] < sec.start:
                ci += 1
            if ci >= len(candidates) or targets_left <= 0:
                break
            if candidates[ci] >= sec.end or len(drafts) >= _MAX_DRAFTS:
                continue
            cj = ci
            while cj + 1 < len(candidates) and candidates[cj + 1] < sec.end:
                cj += 1
            sents = _SectionSentences(text, sec, candidates[ci], candidates[cj])
            for idx, (s_start, s_end) in enumerate(sents.spans):
                sentence_key += 1
                while ci < len(candidates) and candidates[ci] < s_start:
                    ci += 1
                if ci >= len(candidates) or candidates[ci] >= s_end:
                    continue
                if len(drafts) >= _MAX_DRAFTS or targets_left <= 0:
                    break
                targets = [
                    t
                    for t in find_targets(text, s_start, s_end, candidates)
                    if not tables.is_column_name(text, t.start, t.end)
                ]
                if targets:
                    targets = targets[:targets_left]
                    targets_left -= len(targets)
                    before = len(drafts)
                    _read_sentence(
                        text, sec, sents, idx, targets, liver_report, sentence_key, drafts,
                        excluded if full else None, copied,
                    )  # fmt: skip
                    if len(drafts) > before:
                        _complete_from_previous_sentence(text, sents, idx, drafts, before)
                        _fold_record_restatements(text, s_start, s_end, drafts, before)
                        _label_record(text, s_start, s_end, drafts[before:])
                        tables.fill_from_row(text, s_start, s_end, drafts[before:])
                        _complete_from_next_sentence(text, sents, idx, drafts, candidates)
    if drafts:
        drafts = tables.drop_titles(text, _drop_corrected(text, drafts))
        drafts = _fold_same_record(drafts)
        drafts = _superseded_preliminary(text, drafts)
        _priors_from_copied(drafts, copied)
    return _reading(text, modality, full, secs, drafts, excluded, gates)


# a preliminary (wet) read and the final read or addendum that supersedes it, each a
# label opening its line ("Prelim: ...", "Wet read: ...", "Final report: ...", "Addendum:")
_PRELIM_LABEL = re_compile(
    r"^[ \t]*(?:prelim(?:inary|\.)?(?:[ \t]+(?:read|report|reading|impression))?"
    r"|wet[ \t]+read(?:ing)?)[ \t]*[:\-]",
    re.I | re.M,
)
_FINAL_LABEL = re_compile(
    r"^[ \t]*(?:final(?:[ \t]+(?:read|report|reading|impression))?|addendum)[ \t]*[:\-]",
    re.I | re.M,
)
# the final read agreeing with the preliminary one without restating it
_CONFIRMS = re_compile(
    r"[^.\n]{0,40}?\b(?:confirm(?:s|ed)?|agree(?:s|d)?|concur(?:s|red)?|as[ \t]+(?:per[ \t]+"
    r"(?:the[ \t]+)?)?prelim|no[ \t]+change[ \t]+(?:to|from)[ \t]+(?:the[ \t]+)?prelim)",
    re.I,
)


def _superseded_preliminary(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """A preliminary read's findings yield to the final read (or addendum) that follows.

    Example: "Prelim: ?calcification segment 6. Final: the density in segment 6 is a
    surgical clip; no hepatic calcification." -> nothing. The final read decides: when it
    speaks of a calcification (restating, negating or explaining it) the preliminary's
    findings are dropped and the final's own stand; when it confirms the preliminary
    ("Final: confirmed.", "agree with prelim") they stand and are no longer hedged; a
    final read silent on calcification leaves them as they are.
    """
    low = text.lower()
    if "prelim" not in low and "wet read" not in low:
        return drafts
    m = _PRELIM_LABEL.search(text)
    f = _FINAL_LABEL.search(text, m.end()) if m is not None else None
    if m is None or f is None:
        return drafts
    early = [i for i, d in enumerate(drafts) if m.start() <= d.evidence.start < f.start()]
    if not early:
        return drafts
    if _CONFIRMS.match(text, f.end()) is not None:
        for i in early:
            ev = drafts[i].evidence
            drafts[i].evidence = ev.model_copy(update={"hedged": False})
        final_own = [d for d in drafts if d.evidence.start >= f.start()]
        if not final_own:
            return drafts
    elif targets_module.PREFILTER.search(text, f.end()) is None:
        return drafts
    gone = set(early)
    return [d for i, d in enumerate(drafts) if i not in gone]


def _same_place(a: Location, b: Location) -> bool:
    """True when two places name the same segment, or the same lobe and no segment."""
    if a.segment is not None or b.segment is not None:
        return a.segment == b.segment
    return a.lobe is not None and a.lobe == b.lobe


def _priors_from_copied(drafts: list[_Draft], copied: list[_Draft]) -> None:
    """A current finding restating a copied line of the earlier report takes its size as
    the prior size (and the comparison from the two sizes when none is stated).

    Example: "Previous findings (copied from 01/2025): calcified metastasis segment 7,
    1.8 cm. Current: the segment 7 calcified metastasis now measures 2.3 cm." -> 23 mm,
    prior 18 mm. Only one copied mention measured at that place counts (two would be
    ambiguous), and only for a later finding of the same place with a size of its own.
    """
    measured = [c for c in copied if c.size_mm is not None]
    for d in drafts if measured else ():
        if d.size_mm is None or d.prior_size_mm is not None:
            continue
        same = [
            c.size_mm
            for c in measured
            if c.evidence.start < d.evidence.start and _same_place(c.location, d.location)
        ]
        prior = same[0] if len(same) == 1 else None
        if prior is not None:
            d.prior_size_mm = prior
            if d.comparison is None:
                d.comparison = _compare(d.size_mm, prior)


# a record of a list opening its line: "Observation 2:", "LIVER LESION #1 -", "Nodule 3 -"
# (a segment or lobe label, "Segment 6: ...", is a place, and its line may list several)
_NUMBERED_RECORD = re_compile(
    r"[ \t]*(?!(?:segments?|seg|s|lobes?|couinaud|level|image|series)\b)[A-Za-z][A-Za-z ]{0,30}?"
    r"[ \t]*#?[ \t]*\d{1,2}[ \t]*[:\-\u2013]",
    re.I,
)
# a "Label: value" field starting a line or following ";" ("Type: calcified granuloma")
_FIELD_IN_SENTENCE = re_compile(rf"(?:^|(?<=[\n;]))[ \t]*{sections.FIELD_LABEL}[ \t]*[:=]", re.M)


# the label of a numbered record opening its sentence, as a findings record ("Lesion 1:",
# "Observation #2 -") or as its restatement ("Lesion 1 is a hemangioma", "1. Nodule 2 =
# ..."): a noun of the closed set below and its number
_RECORD_LABEL = re_compile(
    r"[ \t]*(?:\(?\d{1,2}[.)][ \t]*)?(?:[A-Za-z]+[ \t]+){0,2}?"
    r"(lesion|observation|nodule|mass|target|finding|focus|calcification|granuloma|cyst"
    r"|metastasis|tumou?r)[ \t]*(?:no\.?|#)?[ \t]*(\d{1,2})"
    r"(?=[ \t]*(?:[:=\-\u2013(]|(?:is|was|represents|remains|corresponds|measures|shows"
    r"|contains|appears|has|demonstrates)\b))",
    re.I,
)


def _label_record(text: str, s_start: int, s_end: int, drafts: list[_Draft]) -> None:
    """Give the one finding of a sentence opening on a record label that label."""
    if len(drafts) != 1:
        return
    m = _RECORD_LABEL.match(text, s_start, s_end)
    if m is not None:
        drafts[0].record = f"{m.group(1).lower().replace('tumour', 'tumor')} {int(m.group(2))}"


def _fold_same_record(drafts: list[_Draft]) -> list[_Draft]:
    """Fold a later finding read from a sentence opening on the same record label into the
    first: "Lesion 1: segment 7; size 1.4 x 1.1 cm; calcification: coarse." and
    "IMPRESSION: Lesion 1 is a hemangioma with coarse calcification." are one lesion. The
    restatement's interpretation names its kind: a lesion or cyst there makes the record's
    calcification (or generic lesion) that lesion or cyst, with the record's size and place.
    """
    first: dict[str, _Draft] = {}
    out: list[_Draft] = []
    for d in drafts:
        earlier = first.get(d.record) if d.record is not None else None
        if earlier is None or earlier.sentence_key == d.sentence_key or earlier.count != d.count:
            if d.record is not None:
                first.setdefault(d.record, d)
            out.append(d)
            continue
        generic = earlier.kind is FindingKind.calcification or (
            earlier.kind is FindingKind.lesion and earlier.associated is None
        )
        if generic and d.kind is not FindingKind.calcification:
            earlier.kind = d.kind  # "Observation 1 represents a calcified cyst"
            earlier.associated = d.associated or earlier.associated
        if earlier.size_mm is None:
            earlier.size_mm, earlier.prior_size_mm = d.size_mm, d.prior_size_mm
        earlier.pattern = earlier.pattern or d.pattern
        earlier.associated = earlier.associated or d.associated
        earlier.comparison = earlier.comparison or d.comparison
        earlier.location = _merged_location(earlier.location, d.location)
        for k, v in d.features.items():
            earlier.features.setdefault(k, v)
    return out


def _is_record_sentence(text: str, s_start: int, s_end: int) -> bool:
    """True when the sentence is one record of a form or list: it opens on a numbered
    record label ("Observation 2: ...") or holds two "Label: value" fields or more."""
    if _NUMBERED_RECORD.match(text, s_start, s_end):
        return True
    fields = _FIELD_IN_SENTENCE.finditer(text, s_start, s_end)
    return next(fields, None) is not None and next(fields, None) is not None


def _fold_record_restatements(
    text: str, s_start: int, s_end: int, drafts: list[_Draft], before: int
) -> None:
    """Fold a record's further unsized mention of its one lesion into its first finding.

    Example: "Observation 2: segment 3, 6 mm, signal void matching a calcification on CT;
    LR-1 (calcified granuloma)." and "Type: calcified granuloma (dark on all sequences;
    calcified on CT) / Size: 0.5 cm" are one finding each: a record describes one lesion,
    and its interpretation or a second field names it again. Only a later mention with a
    count of one, no "another", no place other than the first's and no size when the first
    has one is folded (the first then takes its size).
    """
    if len(drafts) < before + 2 or not _is_record_sentence(text, s_start, s_end):
        return
    first = drafts[before]
    if first.count != 1:
        return
    kept = drafts[: before + 1]
    for d in drafts[before + 1 :]:
        la, lb = first.location, d.location
        same_place = (la.segment is None or lb.segment is None or la.segment == lb.segment) and (
            la.lobe is None or lb.lobe is None or la.lobe == lb.lobe
        )
        both_sized = d.size_mm is not None and first.size_mm is not None
        if both_sized or d.count != 1 or not d.mergeable or not same_place:
            kept.append(d)
            continue
        if first.size_mm is None:
            first.size_mm, first.prior_size_mm = d.size_mm, d.prior_size_mm
        first.pattern = first.pattern or d.pattern
        first.associated = first.associated or d.associated
        first.comparison = first.comparison or d.comparison
        first.location = _merged_location(first.location, d.location)
        for k, v in d.features.items():
            first.features.setdefault(k, v)
    drafts[:] = kept


def _complete_from_previous_sentence(
    text: str, sents: _SectionSentences, idx: int, drafts: list[_Draft], before: int
) -> None:
    """A sentence that only says what the focus of the sentence before it is takes that
    focus's size and place.

    Example: "A 5 mm T2-dark focus in segment 3. This corresponds to a calcified granuloma
    on CT." and "... On the earlier CT it was a densely calcified focus." -> 5 mm, segment
    3. Why: MRI reports measure and place the sign in one sentence and name it in the
    next. Only when the naming sentence opens on the reference ("This ...", "On the prior
    CT it was ...") and has no size or place of its own, and the sentence before has no
    target, one size, and no other organ.
    """
    if idx == 0 or len(drafts) - before != 1:
        return
    d = drafts[-1]
    if d.size_mm is not None or d.location != Location():
        return
    s_start = sents.spans[idx][0]
    if resolver.REDESCRIBES.match(text, s_start, d.evidence.end) is None:
        return
    p_start, p_end = sents.spans[idx - 1]
    if find_targets(text, p_start, p_end, None) or any(
        o.organ != "liver" for o in sents.organs_of(idx - 1)
    ):
        return
    found = [z for z in sizes.find_sizes(text, p_start, p_end) if not z.prior]
    if len(found) != 1:
        return
    d.size_mm = found[0].mm
    d.location = locations.find_location(text, p_start, p_end, found[0].start)


def _complete_from_next_sentence(
    text: str,
    sents: _SectionSentences,
    idx: int,
    drafts: list[_Draft],
    candidates: list[int],
) -> None:
    """What the sentence after a finding adds to it: size, prior, tissue, place, another."""
    if drafts[-1].size_mm is None:
        _size_from_later_clause(text, sents.spans[idx], drafts[-1], candidates)
    if drafts[-1].size_mm is None:
        _size_from_next_sentence(text, sents, idx, drafts[-1])
    _prior_from_next_sentence(text, sents, idx, drafts[-1], candidates)
    _soft_tissue_from_next_sentence(text, sents, idx, drafts[-1], candidates)
    _place_from_next_sentence(text, sents, idx, drafts[-1], candidates)
    _place_from_record(text, sents, idx, drafts[-1], candidates)
    _size_from_record(text, sents, idx, drafts[-1], candidates)
    _from_comment_field(text, sents, idx, drafts[-1], candidates)
    _count_from_record(text, sents, idx, drafts, candidates)
    _pattern_from_record(text, sents, idx, drafts, candidates)
    _comparison_from_next_sentence(text, sents, idx, drafts[-1], candidates)
    d = drafts[-1]
    if d.size_mm is None and d.prior_size_mm is not None and d.comparison is Comparison.stable:
        d.size_mm = d.prior_size_mm  # "... measured 5 mm. Today it is unchanged."
    _another_in_next_sentence(text, sents, idx, drafts, candidates)
    _list_items_after(text, sents, idx, drafts, candidates)


# an item of a list written one per line: "1. ", "2) ", "(3) ", "- ", "* " (the sentence
# splitter trims a dash or star bullet, so that one is looked for just before the span)
_BULLET = re_compile(r"[ \t]*\(?\d{1,2}[.)][ \t]*")
_BULLET_BEFORE = re_compile(r"\n[ \t]*[-*\u2022][ \t]*$")
_MAX_LIST_ITEMS = 20


def _item_start(text: str, n_start: int, n_end: int, colon: bool) -> int | None:
    """Where a list line's content starts after its bullet, or None if it has none.

    A numbered line belongs to a head that ends with a colon ("Calcified lesions:"); after
    a head without one it is the next item of a numbered report ("1. Small calcified
    granuloma. 2. Segment 4, 3 mm hypodensity."), not a member of the finding.
    """
    numbered = _BULLET.match(text, n_start, n_end)
    if numbered is not None:
        return numbered.end() if colon else None
    if _BULLET_BEFORE.search(text, max(0, n_start - 8), n_start):
        return n_start
    return n_start if colon else None


def _list_items_after(
    text: str, sents: _SectionSentences, idx: int, drafts: list[_Draft], candidates: list[int]
) -> None:
    """An unsized finding heading a list ("Calcified lesions:" / "Calcified granulomas")
    whose next lines are only a place and a size each: one finding per line.

    Example: "Calcified lesions:\n1. Segment 7: 2.2 cm, previously 2.0 cm.\n2. Segment 4:
    1.1 cm, stable." -> (segment 7, 22 mm, prior 20, increased) and (segment 4, 11 mm,
    stable). A line with a target of its own, in another organ, or naming a lesion ends it.
    """
    head = drafts[-1]
    if head.size_mm is not None or head.location.segment is not None:
        return
    s_end = sents.spans[idx][1]
    colon = text[s_end - 1] == ":"
    items: list[_Draft] = []
    for k in range(idx + 1, min(len(sents.spans), idx + 1 + _MAX_LIST_ITEMS)):
        n_start, n_end = sents.spans[k]
        j = bisect.bisect_left(candidates, n_start)
        if j < len(candidates) and candidates[j] < n_end:
            break  # a line with its own target speaks for itself
        start = _item_start(text, n_start, n_end, colon)
        if start is None:
            break
        if not _is_place_and_size_item(text, start, n_end, sents.organs_of(k)):
            break
        extra = _continuation(text, start, n_end, head, head.sentence_key)
        if extra is None:
            break
        items.append(extra)
    if not items:
        return
    first = items.pop(0)
    head.size_mm, head.prior_size_mm, head.location = (
        first.size_mm,
        first.prior_size_mm,
        first.location,
    )
    head.comparison, head.count, head.mergeable = first.comparison, 1, False
    drafts.extend(items)


def _reading(
    text: str,
    modality: Modality | None,
    full: bool,
    secs: list[sections.Section] | None,
    drafts: list[_Draft],
    excluded: list[ExcludedMention],
    gates: tuple[str, frozenset[str] | None] | None = None,
) -> ReportReading:
    """The findings from the drafts, plus modality, background and sections when full."""
    low, present = gates if gates is not None else (text.lower(), None)
    stones = duct_stones.read_duct_stones(text, secs, low, present)
    if stones and drafts:
        drafts = [d for d in drafts if not _same_stone(text, stones[0], d)]
    findings = [_finalise(d) for d in _merge(drafts)[:MAX_FINDINGS]]
    findings += stones[: max(0, MAX_FINDINGS - len(findings))]
    findings += observations.read_observations(text, secs, findings, low, present)[
        : max(0, MAX_FINDINGS - len(findings))
    ]
    reading = ReportReading(findings=findings, excluded=excluded if full else [])
    if full:
        if secs is None:
            secs = sections.find_sections(text)
        reading.modality = modality or _stated_modality(text, secs)
        reading.background_liver = _background(text, secs)
        reading.sections = [
            SectionInfo(name=s.name, category=s.category, organ=s.organ, start=s.start, end=s.end)
            for s in secs
        ]
    elif modality is not None:
        reading.modality = modality
    return reading


# a target qualifying a stone ("calcified stones", "calcified intrahepatic duct calculi")
_STONE_AFTER = re_compile(r"(?:[ \t\n]+[a-z-]+){0,3}?[ \t\n]+(?:stones?|calculi|calculus)\b", re.I)


def _same_stone(text: str, stone: Finding, f: _Draft) -> bool:
    """True when a calcification draft is the duct-stone finding read again.

    Example: "Hepatolithiasis: calcified stones within dilated left lobe bile ducts, up to
    7 mm" -> the stone finding (labelled, which the engine weighs) and no calcification
    beside it: every target of the sentence qualifies a stone, and the two agree in size
    and place. "Intrahepatic duct stones; a separate 4 mm calcified granuloma in segment
    7" keeps the granuloma.
    """
    ev = stone.evidence
    if ev is None or (f.evidence.start, f.evidence.end) != (ev.start, ev.end):
        return False
    if f.size_mm is not None and stone.size_mm is not None and f.size_mm != stone.size_mm:
        return False
    a, b = f.location, stone.location
    if a.segment is not None and b.segment is not None and a.segment != b.segment:
        return False
    if a.lobe is not None and b.lobe is not None and a.lobe != b.lobe:
        return False
    found = find_targets(text, ev.start, ev.end)
    return bool(found) and all(
        _STONE_AFTER.match(text, t.end, min(ev.end, t.end + 60)) for t in found
    )


# A clause that names a further member of the group just described: "one in ...",
# "the other ...", "a second one measuring 3 mm", "another 4 mm in segment 7".
_CONTINUATION = re_compile(
    r"(?:and[ \t\n]+|with[ \t\n]+|plus[ \t\n]+)?(?:one|the[ \t\n]+other|another"
    r"|(?:the|a|an)[ \t\n]+(?:second|third|fourth|further|additional|separate|similar|smaller"
    r"|larger|remaining)(?:[ \t\n]+one)?)\b",
    re.I,
)


# "...; the right lobe a smaller punctate one", "; in segment 6 a similar one": a place, then
# "a/an ... one" standing for the noun of the clause before (the verb left out too)
_ELLIPTIC_ONE = re_compile(
    r"[^.;:]{0,60}?\b(?:a|an)[ \t\n]+(?:[a-z-]+[ \t\n]+){0,3}?one\b(?![ \t\n]*(?:of|another)\b)",
    re.I,
)


def _elliptic_member(text: str, c_start: int, c_end: int) -> bool:
    """A clause that places "a ... one" without a verb or noun ("; the right lobe a smaller
    punctate one") is a further member of the group just read.

    Why: the noun and the verb are carried over from the clause before, so no target is
    found in it; a place is required, so "; a small one" alone adds nothing new.
    """
    if c_end - c_start > 2 * _LIST_ITEM_CHARS or _ELLIPTIC_ONE.match(text, c_start, c_end) is None:
        return False
    return bool(locations.place_mentions(text, c_start, c_end))


_ONE_OF_GROUP = re_compile(r"\b(?:one|the[ \t\n]+first)\b", re.I)
_LIST_ITEM_CHARS = 48


def _is_place_and_size_item(
    text: str, c_start: int, c_end: int, sent_organs: list[organs.OrganMention]
) -> bool:
    """A short clause that is only a place and a size ("seg 6, 5 mm", "4 mm in segment 7")
    after a clause with a finding: the next item of a telegraphic list."""
    if c_end - c_start > 2 * _LIST_ITEM_CHARS:
        return False
    if any(o.organ != "liver" for o in organs.mentions_between(sent_organs, c_start, c_end)):
        return False
    found = sizes.find_sizes(text, c_start, c_end)
    if len([z for z in found if not z.prior]) != 1 or found[0].prior:
        return False
    # short but for its own prior, which may follow: "segment 3, 1.8 cm (previously 1.8 cm)"
    prior_chars = sum(z.end - z.start + 12 for z in found[1:])
    if c_end - c_start - prior_chars > _LIST_ITEM_CHARS:
        return False
    return bool(locations.place_mentions(text, c_start, c_end)) and not (
        attributes.HOST_WORDS.search(text, c_start, c_end)
    )


@dataclass
class _SentenceState:
    """What the clauses of one sentence share: the drafts just made and cached reads."""

    previous: list[_Draft] = field(default_factory=list)
    previous_split: bool = False
    features: dict[str, bool] | None = None
    hemangioma_said: bool | None = None
    share_end: int = -1  # clauses before this offset are the liver share just read


def _follow_on_clause(
    text: str,
    c_start: int,
    c_end: int,
    sent_organs: list[organs.OrganMention],
    sentence_key: int,
    drafts: list[_Draft],
    st: _SentenceState,
) -> None:
    """A clause without a target adds to the finding just read: its size, its prior, or
    a further member of its group ("one in X and one in Y")."""
    previous = st.previous
    if (
        len(previous) == 1
        and previous[0].size_mm is None
        and _IT_MEASURES.match(text, c_start, c_end)
    ):
        # "...; it is again seen and measures 3 mm": the size in the next clause
        _size_from_span(text, c_start, c_end, previous[0])
        if previous[0].size_mm is not None:
            return  # (else several sizes: members of the group, below)
    if (
        len(previous) == 1
        and previous[0].comparison is None
        and _ONLY_COMPARISON.match(text, c_start, c_end - (text[c_end - 1] in ".!"))
    ):
        # "... corresponding to a calcification on CT; stable.": the comparison alone
        previous[0].comparison = attributes.read_comparison(text, c_start, c_end)
        if previous[0].prior_size_mm is None:
            _prior_from_span(text, c_start, c_end, previous[0])  # "; no change (3 cm)."
        return
    if _members_by_size(text, c_start, c_end, drafts, st):
        return
    if len(previous) == 1 and previous[0].prior_size_mm is None:
        # "... now 7 mm; on the prior it measured 5 mm": a prior in the next clause
        _prior_from_span(text, c_start, c_end, previous[0])
    counted = attributes.counted_member(text, c_start, c_end) if previous else None
    continued = previous and (
        counted is not None
        or _CONTINUATION.match(text, c_start, c_end) is not None
        or _elliptic_member(text, c_start, c_end)
    )
    item = previous and not continued and _is_place_and_size_item(text, c_start, c_end, sent_organs)
    if continued or item:
        # "two calcified granulomas, one in the right lobe measuring 4 mm and one in
        # the left lobe measuring 3 mm": the second clause is the second finding
        extra = _continuation(text, c_start, c_end, previous[0], sentence_key)
        if extra is not None:
            # "two granulomas, one in X and one in Y": the group was split into
            # ones; "two granulomas in segment 6 and one in segment 7" was not, and
            # "granulomas: three in X and one in Y" states its count; "Two metastases:
            # segment 8, 3.4 cm; segment 3, 1.8 cm" lists its members, one per item
            split = st.previous_split or item or any(d.count == "multiple" for d in previous)
            if counted is not None:
                # "two in the right lobe and three in the left lobe": each group its count
                split, extra.count = False, counted
            for d in previous:
                if split and not d.count_after:
                    d.count = 1
            if (
                extra.size_mm is None
                and previous[0].size_mm is not None
                and _size_said_of_each_before(text, previous[0].evidence.start, c_start)
            ):
                # "Two calcified granulomas, both 3 mm, one in segment 2 and one in
                # segment 6": the size said of both is each member's
                extra.size_mm = previous[0].size_mm
            drafts.append(extra)
            _deal_sizes_in_order(text, c_start, c_end, drafts, sentence_key)
            st.previous = [extra]
            st.previous_split = True


def _size_said_of_each_before(text: str, start: int, end: int) -> bool:
    """True when ``text[start:end]`` gives a size said of every member ("both 3 mm")."""
    return any(_said_of_each(text, start, end, z) for z in sizes.find_sizes(text, start, end))


def _members_by_size(
    text: str, c_start: int, c_end: int, drafts: list[_Draft], st: _SentenceState
) -> bool:
    """A clause without a target that gives each member of the unsized group just read its
    own size and place ("Benign calcifications; the 3 mm focus is in segment 6 and the 5 mm
    focus in segment 2"): one finding per size, placed in order. True when it did so.

    Why: read as one clause with the group ("Calcifications: the 3 mm focus in segment 6
    and ...") the sizes pair with the places; a ";" after the group word cut them off, and
    the group kept no size and the nearest place only. Only a plural group with no size and
    no place but one of this clause's, and a clause with as many sizes as places, no prior.
    """
    previous = st.previous
    if len(previous) != 1 or previous[0].size_mm is not None or previous[0].count == 1:
        return False
    head = previous[0]
    if head is not drafts[-1]:
        return False
    everything = sizes.find_sizes(text, c_start, c_end)
    found = [z for z in everything if not z.prior]
    priors = [z for z in everything if z.prior]
    if len(found) < 2 or (priors and len(priors) != len(found)):
        return False  # (each member may have its earlier size: "14 mm (was 22 mm)")
    if head.count != "multiple" and head.count != len(found):
        return False
    pairs = resolver.sizes_with_places(text, c_start, c_end, found)
    if pairs is None:
        return False
    if head.location != Location() and all(
        (head.location.lobe, head.location.segment) != (where.lobe, where.segment)
        for _, where in pairs
    ):
        return False  # the group has a place of its own (not one read from this clause)
    members = []
    for i, (z, where) in enumerate(pairs):
        extra = _continuation(text, z.start, z.end, head, head.sentence_key)
        if extra is None:
            return False
        extra.size_mm, extra.location = z.mm, where
        extra.prior_size_mm = priors[i].mm if priors else None
        if extra.prior_size_mm is not None:
            extra.comparison = _compare(z.mm, extra.prior_size_mm)
        extra.mergeable = head.mergeable  # an impression restating the findings' members
        members.append(extra)
    drafts[-1:] = members
    st.previous = [members[-1]]
    st.previous_split = True
    return True


def _deal_sizes_in_order(
    text: str, c_start: int, c_end: int, drafts: list[_Draft], sentence_key: int
) -> None:
    """Deal a size list closing a continuation to every member of the group, in order.

    Why: "a calcified granuloma in segment 8 and another in segment 3, 4 and 2 mm
    respectively" measures both members at the end, the first size being the first
    member's; the continuation alone would take the first size and leave the first
    member unsized. Only when the members before have no size and the list has exactly
    one size per member (a list of another length is left as it was).
    """
    members = [d for d in drafts if d.sentence_key == sentence_key]
    if len(members) < 2 or any(d.size_mm is not None for d in members[:-1]):
        return
    found = sizes.find_sizes(text, c_start, c_end)
    current = [z for z in found if not z.prior]
    if len(current) == 1 and _said_of_each(text, c_start, c_end, current[0]):
        # "one in segment 3 and another in segment 6, each 2 mm": every member's size
        for d in members:
            d.size_mm = current[0].mm
        return
    if len(current) != len(members) or any(z.largest for z in current):
        return
    if not all(resolver.is_list_gap(text[a.end : b.start]) for a, b in itertools.pairwise(current)):
        return
    for d, z in zip(members, current, strict=True):
        d.size_mm = z.mm


def _said_of_each(text: str, c_start: int, c_end: int, z: sizes.Size) -> bool:
    """True when a size is said of each member: "each 2 mm", "each measuring 2 mm",
    "2 mm each", "2 mm apiece" (not "up to 2 mm", a group's largest)."""
    if z.largest or z.prior:
        return False
    return (
        resolver.EACH.match(text, z.end, c_end) is not None
        or resolver.EACH_BEFORE.search(text, max(c_start, z.start - 16), z.start) is not None
        or _ALL_BEFORE.search(text, max(c_start, z.start - 24), z.start) is not None
    )


# "both 3 mm", "all measuring about 2 mm": a size said of every member, as "each"
_ALL_BEFORE = re_compile(
    r"\b(?:both|all)[ \t]+(?:measur(?:e|es|ing)[ \t]+)?(?:about[ \t]+)?$", re.I
)


def _clause_organ(
    text: str,
    sents: _SectionSentences,
    idx: int,
    c_start: int,
    c_end: int,
    first: Target,
    liver_report: bool,
    st: _SentenceState,
) -> str | None:
    """The organ a clause's first target lies in: the clause, nearby words, the sentence
    before, the report's subject, then the next sentence's place."""
    s_start, s_end = sents.spans[idx]
    sent_organs = sents.organs_of(idx)
    clause_organs = organs.mentions_between(sent_organs, c_start, c_end)
    organ = organs.nearest_organ(text, clause_organs, first.start, first.end)
    if organ is None:
        near = organs.mentions_between(sent_organs, first.start - _NEAR, first.start + _NEAR + 1)
        organ = organs.nearest_organ(text, near, first.start, first.end)
    if organ is None and locations.names_couinaud_label(text, c_start, c_end):
        organ = "liver"  # "S8: 6 mm signal void, ?calcification": the label is the liver's
    if organ is None and not _OWN_UNKNOWN_ORGAN(text, first.end, c_end):
        organ = sents.organ_before(idx)
        if organ is None and liver_report:
            organ = "liver"
        if organ is None and sents.next_places_in_liver(idx):
            organ = "liver"  # "A 6 mm calcification. It lies within the caudate lobe."
        if organ is None and tables.row_place_in_liver(text, s_start, s_end):
            organ = "liver"  # "Calcified granuloma | 5 mm | VI" under "Lesion | Now | Seg"
    if organ == "liver" and _bare_lobe_of_lobed_section(text, clause_organs, sents.sec):
        organ = sents.sec.organ  # "THYROID: 7 mm calcification in the right lobe"
    if organ == "liver":
        moved_end = min(c_end, first.end + _NEAR)
        organ = _reattributed(text, first.end, moved_end, clause_organs) or organ
    elif organ is not None and _moved_into_liver(
        text, first.end, min(c_end, first.end + _NEAR), clause_organs
    ):
        organ = "liver"  # "the calcification described in the spleen is in fact in segment 6"
    if first.kind == "phlebolith" and organ is None:
        if st.hemangioma_said is None:  # once per sentence: many clauses stay linear
            st.hemangioma_said = _HEMANGIOMA.search(text, s_start, s_end) is not None
        if not st.hemangioma_said:
            organ = "pelvis"  # a phlebolith with no liver context is a pelvic vein's
    return organ


# Organs with lobes of their own: under their header "the right lobe" is theirs.
_LOBED_SECTION_ORGANS = frozenset({"thyroid", "lung", "pelvis"})
_LIVER_NAMED = re_compile(r"liver|hepat|caudate|segment|couinaud", re.I)


def _bare_lobe_of_lobed_section(
    text: str, clause_organs: list[organs.OrganMention], sec: sections.Section
) -> bool:
    """True when the clause's only liver words are bare lobes ("the right lobe") in the
    section of an organ that has lobes of its own (thyroid, lung, prostate).

    Example: "THYROID: 7 mm coarse calcification in the right lobe." -> the thyroid's lobe.
    """
    if sec.organ not in _LOBED_SECTION_ORGANS:
        return False
    liver = [m for m in clause_organs if m.organ == "liver"]
    return bool(liver) and not any(_LIVER_NAMED.search(text, m.start, m.end) for m in liver)


# An MRI signal void is hedged (it may be iron, gas, a clip), unless the report ties it to
# the calcification of a CT or radiograph ("corresponded to coarse calcification on the prior
# CT", "corresponding to the calcification seen on CT"): then it is that calcification.
_TIED_TO_CT = re_compile(
    r"\b(?:correspond(?:s|ed|ing)?[ \t\n]+(?:to|with)|match(?:es|ed|ing)?"
    r"|concordant[ \t\n]+with)\b"
    r"[^.;]{0,60}?\bcalcif[a-z]*\b[^.;]{0,40}?\b(?:ct|radiograph|x-?ray|scout)\b",
    re.I,
)


def _exclusion(context_reason: str | None, organ: str | None, sec: sections.Section) -> str | None:
    """Why a mention is not a current liver finding, if it is not (context, organ, section)."""
    if context_reason is not None:
        return context_reason
    if organ != "liver":
        return "other_organ"
    if sec.category in _NOT_CURRENT_SECTIONS:
        return "historical"
    return None


def _read_sentence(
    text: str,
    sec: sections.Section,
    sents: _SectionSentences,
    idx: int,
    targets: list[Target],
    liver_report: bool,
    sentence_key: int,
    drafts: list[_Draft],
    excluded: list[ExcludedMention] | None,
    copied: list[_Draft] | None = None,
) -> None:
    """Read the targets of one sentence; ``excluded`` None = do not record exclusions
    (``extract_findings``), which lets a target in another organ be dropped before its
    context is read; ``copied`` collects the mentions of an earlier report's copied text."""
    s_start, s_end = sents.spans[idx]
    sent_organs = sents.organs_of(idx)
    clauses = sentences.split_clauses(text, s_start, s_end)
    label = _section_label(sec)
    st = _SentenceState()
    ti = 0
    for c_start, c_end in clauses:
        if len(drafts) >= _MAX_DRAFTS:
            return
        while ti < len(targets) and targets[ti].start < c_start:
            ti += 1
        tj = ti
        while tj < len(targets) and targets[tj].start < c_end:
            tj += 1
        in_clause = targets[ti:tj]
        ti = tj
        if not in_clause:
            if c_start >= st.share_end:
                _follow_on_clause(text, c_start, c_end, sent_organs, sentence_key, drafts, st)
            continue
        st.previous = []
        first = in_clause[0]
        organ = _clause_organ(text, sents, idx, c_start, c_end, first, liver_report, st)
        if organ not in (None, "liver") and sec.category not in _NOT_CURRENT_SECTIONS:
            _liver_share_of(
                text, sec, (s_start, s_end), (c_start, c_end), (first, targets), label,
                sentence_key, st,
            )  # fmt: skip
            if st.previous:
                drafts.extend(st.previous)
        copied_prior = (
            organ == "liver" and sec.category == "comparison" and sec.name == sections.COPIED_PRIOR
        )
        if (excluded is None or len(excluded) >= _MAX_EXCLUDED) and (
            organ != "liver" or (sec.category in _NOT_CURRENT_SECTIONS and not copied_prior)
        ):
            continue  # excluded whatever its context says, and not recorded: skip reading it
        ctx = context.read_context(
            text, c_start, c_end, first.start, first.end, sentence=(s_start, s_end)
        )
        if st.features is None:
            st.features = attributes.read_features(text, s_start, s_end)
        features = dict(st.features)
        if first.kind == "shadowing":
            features["acoustic_shadowing"] = True
        hedged = ctx.hedged or (
            features.get("signal_void") is True and not _TIED_TO_CT.search(text, s_start, s_end)
        )
        ev_start, ev_end = _evidence_span(s_start, s_end, c_start, c_end)
        evidence = Evidence(
            sentence=text[ev_start:ev_end], start=ev_start, end=ev_end, section=label, hedged=hedged
        )
        reason, revived = _clause_reason(ctx.exclusion, organ, sec, sents, idx, ti >= len(targets))
        _collect_copied(
            copied if copied_prior and ctx.exclusion is None else None,
            text, sec, (c_start, c_end), in_clause, features, evidence, sentence_key, sents, idx,
        )  # fmt: skip
        if reason is not None:
            if excluded is None or len(excluded) >= _MAX_EXCLUDED:
                continue
            excluded.append(
                ExcludedMention(reason=reason, term=first.term, evidence=evidence, organ=organ)
            )
            continue
        st.previous = _drafts_for_clause(
            text, sec, c_start, c_end, s_start, s_end, in_clause, features, evidence,
            sentence_key, sents, idx,
        )  # fmt: skip
        if revived:
            _sizes_as_priors(st.previous)
        _soft_tissue_pass(text, c_start, s_end if ti >= len(targets) else c_end, st.previous)
        st.previous_split = (
            _ONE_OF_GROUP.search(text, in_clause[-1].end, min(c_end, in_clause[-1].end + _NEAR))
            is not None
        )
        drafts.extend(st.previous)


def _collect_copied(
    copied: list[_Draft] | None,
    text: str,
    sec: sections.Section,
    clause: tuple[int, int],
    in_clause: list[Target],
    features: dict[str, bool],
    evidence: Evidence,
    sentence_key: int,
    sents: _SectionSentences,
    idx: int,
) -> None:
    """Keep the mentions of an earlier report's copied line (``copied`` None: not one):
    what it measured is the prior size of today's finding at the same place."""
    if copied is not None:
        s_start, s_end = sents.spans[idx]
        copied += _drafts_for_clause(
            text, sec, clause[0], clause[1], s_start, s_end, in_clause, features, evidence,
            sentence_key, sents, idx,
        )  # fmt: skip


def _clause_reason(
    exclusion: str | None,
    organ: str | None,
    sec: sections.Section,
    sents: _SectionSentences,
    idx: int,
    last_clause: bool,
) -> tuple[str | None, bool]:
    """Why a clause's target is not a finding (None: it is), and whether a mention of
    the earlier exam was revived because the next sentence restates it as now.

    Example: "... when the calcification measured 6 mm. Today it measures 9 mm." -> the
    historical mention is read (revived), its 6 mm becoming the prior size.
    """
    reason = _exclusion(exclusion, organ, sec)
    revived = (
        exclusion == "historical"
        and reason == "historical"
        and last_clause
        and sents.restated_now(idx)
    )
    return (None if revived else reason), revived


def _sizes_as_priors(drafts: list[_Draft]) -> None:
    """A mention of the earlier exam that the next sentence restates as now: what it
    measured then is the prior size, the current one comes from the next sentence.

    Example: "Comparison with the CT of 2022, when the hepatic calcification measured
    6 mm. Today it measures 9 mm." -> prior 6 mm (size 9 mm, increased, added later).
    """
    for d in drafts:
        if d.size_mm is not None and d.prior_size_mm is None:
            d.prior_size_mm, d.size_mm = d.size_mm, None
            d.comparison = None


def _liver_share_of(
    text: str,
    sec: sections.Section,
    sentence: tuple[int, int],
    clause: tuple[int, int],
    first_and_all: tuple[Target, list[Target]],
    label: str | None,
    sentence_key: int,
    st: _SentenceState,
) -> None:
    """The liver's share of a finding given to another organ ("a calcified granuloma in
    the lung and another in the liver, 5 mm"), unless the clause says it is not there.

    ``first_and_all``: the clause's first target and all targets of the sentence (not
    a slice of them: a slice per clause would be quadratic in a long sentence).
    """
    s_start, s_end = sentence
    c_start, c_end = clause
    first, targets = first_and_all
    share = liver_share.find_share(text, first.end, s_end, targets)
    if share is None:
        return
    ctx = context.read_context(text, c_start, c_end, first.start, first.end, sentence=sentence)
    if ctx.exclusion is not None:
        return  # "no calcification in the spleen and one in the liver" is not read
    ev_start, ev_end = _evidence_span(s_start, s_end, share.start, share.end)
    evidence = Evidence(
        sentence=text[ev_start:ev_end], start=ev_start, end=ev_end, section=label,
        hedged=ctx.hedged,
    )  # fmt: skip
    st.previous = [liver_share.share_draft(text, share, evidence, sec.category, sentence_key)]
    st.share_end = share.end


# "Calcifications of the abdominal vasculature", "calcification in the tentorium": the
# clause names a place of its own that is not a liver word, so an earlier sentence's organ
# ("The liver is normal.") or a liver title must not claim it.
_OF_THE_PLACE = re_compile(
    r"[ \t\n]*(?:are|is|was|were|noted|seen|present|identified)?[ \t\n]*"
    r"(?:of|in|within|involving|along|at)[ \t\n]+the[ \t\n]+(?:[a-z]+[ \t\n]+)?(?P<word>[a-z]+)\b",
    re.I,
)
_LIVER_PLACE_WORDS = frozenset(
    {
        "liver",
        "hepatic",
        "right",
        "left",
        "caudate",
        "segment",
        "segments",
        "lobe",
        "lobes",
        "dome",
        "parenchyma",
        "periphery",
        "region",
        "area",
        "posterior",
        "anterior",
        "inferior",
        "superior",
        "medial",
        "lateral",
        "tip",
        "edge",
        "surface",
        "capsule",
        "same",
        "known",
        "prior",
        "previous",
        "previously",
        "mid",
        "central",
        "upper",
        "lower",
        "subcapsular",
        "bare",
        "lesion",
        "mass",
        "cyst",
        "wall",
        "rim",
        "hemangioma",
        "nodule",
        "tumor",
        "tumour",
        "center",
        "centre",
        "margin",
        "interior",
    }
)


def _own_unknown_organ(text: str, target_end: int, c_end: int) -> bool:
    """True when the words right after the target place it in a structure that is not the
    liver and that the organ lexicon does not know.

    Example: "Calcifications of the abdominal vasculature" -> True (if "vasculature"
    were not an organ word); "calcification in the right lobe" -> False.
    """
    m = _OF_THE_PLACE.match(text, target_end, min(c_end, target_end + 60))
    return m is not None and m.group("word").lower() not in _LIVER_PLACE_WORDS


_OWN_UNKNOWN_ORGAN = _own_unknown_organ


def _soft_tissue_pass(text: str, start: int, end: int, drafts: list[_Draft]) -> None:
    """A calcification with soft tissue around or with it is a calcified lesion.

    Example: "The calcification now measures 18 mm and is surrounded by a new thin rim
    of enhancing soft tissue" -> kind ``lesion``, ``associated: solid_mass``,
    ``features.solid_component``. The cue is looked for in the clause and, for the
    last clause with a target, in the rest of the sentence; the next sentence is
    ``_soft_tissue_from_next_sentence``'s.
    """
    if not drafts:
        return
    cue = soft_tissue.soft_tissue_in(text, start, end)
    if cue is None:
        return
    # "... surrounded by enhancing tissue measuring 2.1 cm overall": the lesion's size
    whole = [
        z.mm
        for z in sizes.find_sizes(text, cue.start(), min(end, cue.end() + _SOFT_SIZE_AFTER))
        if not z.prior
    ]
    for d in drafts:
        _make_solid(d)
        if whole and len(drafts) == 1 and (d.size_mm is None or max(whole) > d.size_mm):
            # the calcification's own size stays beside the lesion's
            d.calcification_mm = d.size_mm if d.calcification_mm is None else d.calcification_mm
            d.size_mm = max(whole)


_SOFT_SIZE_AFTER = 40


def _make_solid(d: _Draft) -> None:
    if d.associated is Associated.none:
        return  # the report also said "no associated mass": do not overrule it
    d.features["solid_component"] = True
    if d.kind is FindingKind.calcification:
        d.kind = FindingKind.lesion
    if d.kind is FindingKind.lesion and d.associated is None:
        d.associated = Associated.solid_mass


def _soft_tissue_from_next_sentence(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """ "A 2 cm calcification in segment 6. It has a new enhancing soft-tissue rim." """
    if idx + 1 >= len(sents.spans) or d.features.get("solid_component"):
        return
    n_start, n_end = sents.spans[idx + 1]
    k = bisect.bisect_left(candidates, n_start)
    if k < len(candidates) and candidates[k] < n_end:
        return  # a sentence with its own target speaks for itself
    if _REFERS_BACK.match(text, n_start, n_end) and soft_tissue.soft_tissue_in(
        text, n_start, n_end
    ):
        _make_solid(d)
        d.comparison = d.comparison or attributes.read_comparison(text, n_start, n_end)


# "Today it measures 9 mm", "On the current study, it ...": the present stated before "it"
_PRESENT = (
    r"(?:today|now|currently|at[ \t]+present|presently|on[ \t]+(?:the[ \t]+)?(?:current"
    r"|present|today'?s)(?:[ \t]+[a-z]+)?)"
)
_NOW = rf"(?:{_PRESENT},?[ \t]+)?"
# The words of a form's size field and place field ("Size: 6 mm", "Location: segment 3"),
# shared by the next-sentence, field and key:value record rules below.
_SIZE_WORDS = r"(?:size|diameter|dimensions?|measurements?)"
_PLACE_WORDS = r"(?:location|site|position)"
# "Stable." / "Unchanged from prior." / "New since the last exam.": a sentence that is only
# a comparison says it of the finding just read
_ONLY_COMPARISON = re_compile(
    # (also said of "it": "It is unchanged.", "Today it remains stable.")
    rf"[ \t]*(?:{_NOW}(?:it|this)[ \t]+(?:is|remains|appears|looks)[ \t]+)?"
    r"(?:stable|unchanged|new|increased|decreased|enlarg(?:ed|ing)|smaller|larger"
    r"|grown|not[ \t]+changed|no[ \t]+(?:interval[ \t]+)?change)\b[^.;\n]{0,30}$",
    re.I,
)


def _comparison_from_next_sentence(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """ "Liver: calc seg 7, 5 mm. Stable." -> comparison stable; also past a sentence that
    only gave the size ("Calcification is seen in S4. Size is 7 mm. No change.")."""
    if idx + 1 >= len(sents.spans) or d.comparison is not None:
        return
    n_start, n_end = sents.spans[idx + 1]
    if idx + 2 < len(sents.spans) and _IT_MEASURES.match(text, n_start, n_end):
        n_start, n_end = sents.spans[idx + 2]
    if n_end - n_start > 40:
        return
    k = bisect.bisect_left(candidates, n_start)
    if k < len(candidates) and candidates[k] < n_end:
        return
    end = n_end - 1 if text[n_end - 1] in ".!" else n_end
    if _ONLY_COMPARISON.match(text, n_start, end):
        d.comparison = attributes.read_comparison(text, n_start, n_end)


# the next sentence is about the finding just read ("It has ...", "There is now ...")
_REFERS_BACK = re_compile(
    r"[ \t\n]*(?:it|this|which|the[ \t\n]+(?:calcification|lesion|focus|finding)|there[ \t\n]+is"
    r"|(?:a|an)[ \t\n]+(?:new[ \t\n]+)?(?:surrounding|associated|enhancing|thin|thick))\b",
    re.I,
)


_HEMANGIOMA = re_compile(r"h(?:a)?emangioma", re.I)
# "The liver calcification is actually within the right kidney", "extrahepatic", "outside
# the liver": the report moves the finding out of the liver after naming it
_MOVED = re_compile(
    r"\b(?:actually|in[ \t\n]+fact|rather|instead|in[ \t\n]+retrospect|on[ \t\n]+review"
    r"|(?:is|are|lies|lie)[ \t\n]+(?:located[ \t\n]+|situated[ \t\n]+)?(?:with)?in[ \t\n]+the)\b",
    re.I,
)
_NO_BEFORE = re_compile(r"\b(?:no|without|nor)\b", re.I)
_NOT_LIVER = re_compile(
    r"\b(?:outside[ \t\n]+(?:of[ \t\n]+)?the[ \t\n]+liver|not[ \t\n]+(?:with)?in"
    r"[ \t\n]+the[ \t\n]+liver|not[ \t\n]+hepatic)\b",
    re.I,
)


_CORRECTION = re_compile(
    r"\b(?:addend(?:um|a)|on[ \t\n]+review|in[ \t\n]+retrospect|correction|amended)\b", re.I
)
_CORRECTION_KEYS = ("addend", "review", "retrospect", "correction", "amended")
_CORRECTION_SPAN = 300
_MAX_CORRECTIONS = 20  # a report has an addendum or two, not thousands


def _drop_corrected(text: str, drafts: list[_Draft]) -> list[_Draft]:
    """An addendum or correction that moves "the segment 6 focus" out of the liver ("lies
    within the right kidney, not the liver") removes the earlier finding at that segment."""
    low = text.lower()
    if not any(k in low for k in _CORRECTION_KEYS):
        return drafts
    for m in itertools.islice(_CORRECTION.finditer(text), _MAX_CORRECTIONS):
        end = text.find(".", m.end(), m.end() + _CORRECTION_SPAN)
        end = m.end() + _CORRECTION_SPAN if end < 0 else end
        end = min(end, len(text))
        here = organs.find_organs(text, m.end(), end)
        if _reattributed(text, m.end(), end, here) is None:
            continue
        segs = set(locations.segment_list(text, m.end(), end))
        if segs:
            drafts = [
                d for d in drafts if d.evidence.start > m.start() or d.location.segment not in segs
            ]
    return drafts


# a correction that moves a finding named in another organ into the liver
_MOVED_IN = re_compile(
    r"\b(?:is|are|was|were|lies|lie)[ \t\n]+(?:in[ \t\n]+fact|actually|rather|instead)[ \t\n]+"
    r"(?:(?:located|situated|seen)[ \t\n]+)?(?:with)?in\b",
    re.I,
)


def _moved_into_liver(
    text: str, target_end: int, c_end: int, clause_organs: list[organs.OrganMention]
) -> bool:
    """True when the clause moves a target named in another organ into the liver.

    Example: "Addendum: the calcification described in the spleen in the original report
    is in fact located in segment 6 of the liver" -> True.
    """
    low = text[target_end:c_end].lower()
    if "fact" not in low and "actual" not in low and "rather" not in low and "instead" not in low:
        return False  # (cheap test first: almost every clause has none of these words)
    moved = _MOVED_IN.search(text, target_end, c_end)
    if moved is None:
        return False
    later = [o for o in clause_organs if o.start >= moved.end()]
    return bool(later) and later[0].organ == "liver"


def _reattributed(
    text: str, target_end: int, c_end: int, clause_organs: list[organs.OrganMention]
) -> str | None:
    """The organ a clause moves a 'liver' target to, after the target ("... is actually
    within the right kidney"), or None when it does not."""
    out = _NOT_LIVER.search(text, target_end, c_end)
    if out is not None and not _NO_BEFORE.search(
        text, max(target_end, out.start() - 30), out.start()
    ):
        return "other"  # (but "without disease outside the liver" moves nothing)
    moved = _MOVED.search(text, target_end, c_end)
    if moved is None:
        return None
    later = [o for o in clause_organs if o.start >= moved.end()]
    return later[0].organ if later and later[0].organ != "liver" else None


_PRIOR_SENTENCE = re_compile(
    r"[ \t]*(?:(?:on|at|in)[ \t]+(?:the[ \t]+)?(?:prior|previous|earlier|last|\d{4}"
    # an earlier exam named by its date: "On the examination of 2020", "On the CT of March
    # 2021", "In the study from 05/2022"
    r"|(?:ct|mri?|us|ultrasound|scan|study|exam|examination|imaging)[ \t]+(?:of|from|dated)"
    r"[ \t]+(?:[a-z]{3,9}\.?[ \t]+)?(?:\d{1,2}/)?(?:19|20)\d\d)\b"
    r"[^.;\n]{0,30}?)?"
    r"(?:it|this|which|they)\b[^.;\n]{0,30}?\b(?:measured|was|were)\b",
    re.I,
)
# "Today it measures 9 mm", "It now measures ...", "On the current study it is ...": a
# sentence that says "it" of the present (a mention of the earlier exam before it is current)
_RESTATED_NOW = re_compile(
    rf"[ \t]*(?:{_PRESENT},?[ \t]+(?:it|this|they|(?:the|that|this|these|the[ \t]+same)[ \t]+"
    r"(?:calcifications?|calcified[ \t]+[a-z]+|focus|foci|granulomas?|lesion|finding|density))"
    r"|(?:it|this|they)[ \t]+(?:now|currently|today)"
    r"|(?:it|this|they)[ \t]+(?:is|are|measures|measure)[ \t]+now)\b",
    re.I,
)
# ... unless that sentence says it is gone ("Today it is no longer seen.")
_GONE_NOW = re_compile(
    r"\b(?:no[ \t]+longer|not|resolved|absent|disappeared|removed|resected|gone)\b", re.I
)
# the cross-sectional images confirming a projected density: "Axial images show these to
# lie in segment 6 of the liver, measuring up to 9 mm"
_IMAGES_SHOW_IT = (
    r"[ \t]*(?:the[ \t]+)?(?:(?:axial|cross-sectional|coronal|ct|ultrasound|us)[ \t]+)?"
    r"(?:images?|slices?|sections?)[ \t]+(?:show|confirm|demonstrate|place|locate)s?[ \t]+"
    r"(?:these|them|it|this|the[ \t]+(?:density|densities|calcifications?|foci|focus))\b"
)
_IT_MEASURES = re_compile(
    rf"{_IMAGES_SHOW_IT}[^.;\n]{{0,80}}?(?:,|\band)[ \t]+measur(?:es|ing)\b"
    rf"|[ \t]*{_NOW}(?:it|this|that|the|which)\b[^.;\n]{{0,40}}?\bmeasur(?:es|ing|ed)\b"
    # "This is located in the right lobe, segment 7, and measures 3 mm": the same subject
    # (also of a group: "These are located in both lobes and measure up to 1.2 cm")
    rf"|[ \t]*{_NOW}(?:it|this|which)\b[^.;\n]{{0,80}}?(?:,|\band)[ \t]+measur(?:es|ing)\b"
    rf"|[ \t]*{_NOW}(?:they|these)\b[^.;\n]{{0,80}}?(?:,|\band)[ \t]+measur(?:e|ing)\b"
    # "It is 5 mm.", "It is approximately 4 mm in diameter.", "Size: 6 mm."
    rf"|[ \t]*{_NOW}(?:it|this|which)[ \t]+(?:is|was)[ \t]+(?:about[ \t]+|approximately[ \t]+"
    r"|approx\.?[ \t]+|roughly[ \t]+|up[ \t]+to[ \t]+)?\d"
    # "It is unchanged at 4 mm.", "It remains stable in size at 6 mm."
    rf"|[ \t]*{_NOW}(?:it|this|which)[ \t]+(?:is|was|remains|appears)[ \t]+(?:now[ \t]+)?"
    r"(?:unchanged|stable|similar|larger|smaller|increased|decreased|enlarged)"
    r"(?:[ \t]+in[ \t]+size)?,?[ \t]+(?:at|measuring)[ \t]+\d"
    rf"|[ \t]*{_SIZE_WORDS}[ \t]*(?:[:=-]|[ \t]+(?:is|was))?[ \t]*\d"
    # a size said of every member of the group: "; each measures 4-6 mm", "They measure 3 mm"
    rf"|[ \t]*{_NOW}(?:each|both|they|these)(?:[ \t]+of[ \t]+them)?[ \t]+(?:now[ \t]+)?"
    r"(?:measures?|measuring|measured|is|are|was|were)[ \t]+(?:about[ \t]+|approximately[ \t]+"
    r"|approx\.?[ \t]+|roughly[ \t]+)?\d"
    # a bound on a group: "none exceeds 4 mm", "the largest is 5 mm", "none larger than 3 mm"
    r"|[ \t]*(?:none|neither|the[ \t]+largest|the[ \t]+biggest)\b[^.;\n]{0,20}?"
    r"\b(?:exceed[a-z]*|larger|bigger|greater|measur[a-z]*|is|was)\b",
    re.I,
)
# "A 5 mm calcification is noted. It is in segment 6." / "It lies in the right lobe." /
# "Today it measures 9 mm, in segment 5."
_IT_LIES = re_compile(
    rf"{_IMAGES_SHOW_IT}[ \t]+(?:to[ \t]+)?(?:lie|be|sit)[ \t]+(?:located[ \t]+)?(?:in|within)\b"
    rf"|[ \t]*{_NOW}(?:it|this|which|they|these|the[ \t]+(?:calcifications?|calcified[ \t]+focus"
    r"|focus|foci|lesion|finding|granulomas?))\b[^.;\n]{0,30}?\b(?:is|are|lies|lie|located"
    r"|situated|sits|seen|found|noted|measures|measuring)\b[^.;\n]{0,20}?\b(?:in|within|at"
    r"|along)\b"
    # a field sentence after the finding: "Location: left lateral segment (segment 3)."
    rf"|[ \t]*{_PLACE_WORDS}[ \t]*[:=-][ \t]*(?:the[ \t]+)?(?=[a-z])",
    re.I,
)
# A field sentence giving a size ("Dimensions 8 x 5 mm.") or a place ("Location: ..."):
# a run of two such fields after a finding ("Location: segment 3. Dimensions 8 x 5 mm.")
# is read as a whole, the size from the second when the first gives the place.
_SIZE_FIELD = re_compile(rf"[ \t]*{_SIZE_WORDS}[ \t]*[:=-]?", re.I)
_PLACE_FIELD = re_compile(rf"[ \t]*{_PLACE_WORDS}[ \t]*[:=-]", re.I)
# the same fields inside a sentence ("Site: segment 7. Measurement: 6 mm." may be one)
_SIZE_FIELD_IN = re_compile(rf"\b{_SIZE_WORDS}[ \t]*[:=-]?[ \t]*(?=\d)", re.I)
_PLACE_FIELD_IN = re_compile(rf"\b{_PLACE_WORDS}[ \t]*[:=-]", re.I)


# "The lesion measured 5.6 cm and occupied segments 6 and 7.": the lesion the finding is
# part of lies in the liver (the organ only: the calcification's own place in it is unknown)
_IT_OCCUPIES = re_compile(
    r"[ \t]*(?:it|this|the[ \t]+(?:lesion|mass|tumou?r|finding|abnormality))\b"
    r"(?:[^.;\n]|\.(?=\d)){0,40}?"
    r"\b(?:occup(?:ies|ied|ying)|involv(?:es|ed|ing)|spann?(?:s|ed|ing)|replac(?:es|ed|ing)"
    r"|extend(?:s|ed|ing)[ \t]+(?:into|across|through))\b",
    re.I,
)


# "It lies in segment 3, close to the falciform ligament": what follows "close to",
# "anterior to", "near" is a landmark beside the place, not the place
_LANDMARK = re_compile(
    r"\b(?:(?:close|adjacent|next|closely[ \t]+related|anterior|posterior|medial|lateral"
    r"|superior|inferior|deep|abutting|contiguous)[ \t]+to|near|abutting"
    r"|along[ \t]+the[ \t]+course)\b",
    re.I,
)


def _landmark_cut(text: str, start: int, end: int) -> int:
    """Where a landmark phrase begins in ``text[start:end]`` (else ``end``).

    Why: a sentence that places the finding ("It is in segment 6, adjacent to the
    gallbladder fossa") names a neighbour after the place; that organ is no place of it.
    """
    m = _LANDMARK.search(text, start, end)
    return m.start() if m is not None else end


def _place_from_next_sentence(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """ "A 5 mm calcification is noted. It is in segment 6." -> segment 6 (right lobe); a
    finding placed only by its lobe takes a segment of that lobe ("... in the left lobe. It
    lies in segment 3.")."""
    if idx + 1 >= len(sents.spans) or d.location.segment is not None:
        return
    if d.location not in (Location(), Location(lobe=d.location.lobe)):
        return
    n_start, n_end = sents.spans[idx + 1]
    if _SIZE_FIELD.match(text, n_start, n_end):  # "Size: 6 mm. Location: segment 7."
        field = _PLACE_FIELD_IN.search(text, n_start, n_end)
        if field is not None:
            n_start = field.start()
        elif idx + 2 < len(sents.spans):
            n_start, n_end = sents.spans[idx + 2]
    k = bisect.bisect_left(candidates, n_start)
    if k < len(candidates) and candidates[k] < n_end:
        return  # a sentence with its own target speaks for itself
    m = _IT_LIES.match(text, n_start, n_end)
    if m is None:
        return
    cut = _landmark_cut(text, m.end(), n_end)
    here = organs.find_organs(text, m.end(), cut)
    if any(o.organ != "liver" for o in here):
        return  # "It lies in the right kidney": not a place in the liver
    where = locations.find_location(text, m.end(), cut, m.end())
    if d.location == Location() or (where.segment is not None and where.lobe == d.location.lobe):
        d.location = where


# a key:value form line: "Segment: VIII", "Location: left lobe, lateral segment", "Lobe: right"
_RECORD_LINE = re_compile(rf"[ \t]*{sections.FIELD_LABEL}[ \t]*[:=]", re.I)
# a place field at a line start (a sentence of a form may hold several field lines)
_PLACE_LINE = re_compile(
    rf"^[ \t]*(?:segments?|seg\.?|{_PLACE_WORDS}|lobe|couinaud(?:[ \t]+segment)?)"
    r"[ \t]*[:=]",
    re.I | re.M,
)
_RECORD_REACH = 4  # fields of one record: a handful of lines on either side


# a size field at a line start ("Size: 0.4 cm", "Dimensions: 3 mm x 5 mm") and a change
# field ("Change: stable (prior 11 mm, 2023)", "Comparison: new since 2023")
_SIZE_LINE = re_compile(
    rf"^[ \t]*(?:{_SIZE_WORDS}|max(?:imum|\.)?[ \t]+diameter|largest|biggest|max(?:imum|\.)?)"
    r"[ \t]*[:=]",
    re.I | re.M,
)
_CHANGE_LINE = re_compile(
    r"^[ \t]*(?:change|interval[ \t]+change|comparison|evolution|trend|status)[ \t]*[:=]",
    re.I | re.M,
)
# "Change: none since 02/2024": no change is no change
_NO_CHANGE_VALUE = re_compile(r"[ \t]*(?:none|nil|no|not[ \t]+changed)\b", re.I)


_BLANK_LINE = re_compile(r"\n[ \t]*\n")


def _gap(spans: list[tuple[int, int]], a: int, b: int) -> tuple[int, int]:
    """The text between two neighbouring sentence spans (a blank line there ends a record)."""
    lo, hi = min(a, b), max(a, b)
    return spans[lo][1], spans[hi][0]


# a form's title line naming its finding in a few words, no number, no sentence
# ("Liver calcification", "Hepatic calcified granuloma:")
_RECORD_TITLE = re_compile(r"[ \t]*[A-Za-z-]+(?:[ \t]+[A-Za-z-]+){0,4}[ \t]*:?[ \t]*")


def _record_field(
    text: str,
    sents: _SectionSentences,
    idx: int,
    candidates: list[int],
    field: re.Pattern[str],
) -> tuple[re.Match[str], int] | None:
    """The nearest ``field`` line (its match and line end) of the key:value record that the
    finding's line belongs to, or None.

    Why: a form gives each fact its own line ("Segment: 2 / Finding: Coarse calcification /
    Size: 0,9 cm"), the field before or after the finding's line. Only "Label: value" lines
    without a target of their own are the same record: another finding's line or a line
    that is no field ends it.
    """
    if _RECORD_LINE.match(text, *sents.spans[idx]):
        steps: tuple[int, ...] = (-1, 1)
    elif _RECORD_TITLE.fullmatch(text, *sents.spans[idx]):
        steps = (1,)  # "Liver calcification / Number: 3 / Largest: 4 mm": the form's title
    else:
        return None
    for step in steps:
        for k in range(idx + step, idx + step * (_RECORD_REACH + 1), step):
            if not 0 <= k < len(sents.spans):
                break
            n_start, n_end = sents.spans[k]
            j = bisect.bisect_left(candidates, n_start)
            if (
                (j < len(candidates) and candidates[j] < n_end)
                or not _RECORD_LINE.match(text, n_start, n_end)
                or _BLANK_LINE.search(text, *_gap(sents.spans, k, k - step))
            ):
                break  # another finding's line, or the record ended
            found = field.search(text, n_start, n_end)
            if found is not None:
                return found, n_end
    return None


# a count field of a form ("Number: 3", "Count = two", "Number of foci: 4", "No.: 5", "No.
# of calcified foci: 3"), at a line start or after a full stop or ";" of a one-line record
_COUNT_FIELD = re_compile(
    r"(?:number|count|quantity|no\.)(?:[ \t]+of[ \t]+(?:(?:calcified|calcific)[ \t]+)?"
    r"(?:foci|lesions|calcifications|granulom(?:as|ata)|nodules|densities|deposits|spots))?"
    r"[ \t]*[:=][ \t]*(?P<n>[1-9]\d?|one|two|three|four|five|six|seven|eight|nine|ten"
    r"|multiple|several|numerous|innumerable)\b",
    re.I,
)
_FIELD_START = frozenset("\n.;|")  # "| Number: 2 |": a pipe form's field


def _count_field(text: str, start: int, end: int) -> int | str | None:
    """The value of the first count field in ``text[start:end]`` that starts a field."""
    for m in _COUNT_FIELD.finditer(text, start, end):
        before = text[max(start, m.start() - 3) : m.start()].rstrip(" \t")
        if m.start() == start or not before or before[-1] in _FIELD_START:
            n = m.group("n").lower()
            if n in ("multiple", "several", "numerous", "innumerable"):
                return "multiple"
            return int(n) if n.isdigit() else attributes.NUMBER_WORDS[n]
    return None


def _count_from_record(
    text: str, sents: _SectionSentences, idx: int, drafts: list[_Draft], candidates: list[int]
) -> None:
    """A finding takes the count field of its form: in its own sentence after it
    ("Calcification: punctate, 2 mm. Number: 3.") or on a field line of its record
    ("Hepatic calcifications: yes / Number: 3 / Largest: 4 mm")."""
    d = drafts[-1]
    if len(drafts) > 1 and drafts[-2].sentence_key == d.sentence_key:
        return  # several findings in one sentence: whose count would it be?
    if d.count not in (1, "multiple"):
        return
    s_start, s_end = sents.spans[idx]
    found = _count_field(text, s_start, s_end)
    if found is None:
        got = _record_field(text, sents, idx, candidates, _COUNT_FIELD)
        if got is not None:
            found = _count_field(text, got[0].start(), got[1])
    if found is not None and (found != "multiple" or d.count == 1):
        d.count = found


def _place_from_record(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """A finding without a place takes the place field of its key:value record
    ("Location: left lobe / Lesion: calcified granuloma"); the nearest one wins."""
    if d.location != Location():
        return
    got = _record_field(text, sents, idx, candidates, _PLACE_LINE)
    if got is not None:
        place, n_end = got
        d.location = locations.find_location(text, place.start(), n_end, place.end())


# a free-text comment field of a form ("Comment: single focus, segment 3, 3 mm.")
_COMMENT_LINE = re_compile(
    r"^[ \t]*(?:comments?|notes?|details?|remarks?|description)[ \t]*[:=]", re.I | re.M
)


def _from_comment_field(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """A finding of a form without a size or place takes them from its record's comment
    line ("Liver findings: [ ] steatosis [x] calcification / Comment: single focus,
    segment 3, 3 mm."): the comment describes the ticked finding. Only a comment line of
    the same record counts (no target of its own, see ``_record_field``)."""
    if d.size_mm is not None and d.location != Location():
        return
    got = _record_field(text, sents, idx, candidates, _COMMENT_LINE)
    if got is None:
        return
    comment, n_end = got
    line_end = text.find("\n", comment.end(), n_end)
    end = n_end if line_end < 0 else line_end
    if d.location == Location():
        d.location = locations.find_location(text, comment.end(), end, comment.end())
    if d.size_mm is None:
        _size_from_span(text, comment.end(), end, d)


def _size_from_record(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """A finding without a size takes the size field of its key:value record ("Finding:
    calcified granuloma / Organ: liver / Segment: VI / Size: 0.4 cm"), and a change field
    gives its comparison and prior ("Change: stable (prior 11 mm, 2023)").

    Why: the next-sentence rules reach one or two lines, a form may put the size four lines
    below the finding's line.
    """
    _prior_from_own_change_line(text, sents.spans[idx], d)
    if d.size_mm is None:
        got = _record_field(text, sents, idx, candidates, _SIZE_LINE)
        if got is not None:
            # the size field's own line: a change field below may give the prior size
            line_end = text.find("\n", got[0].end(), got[1])
            _size_from_span(text, got[0].end(), got[1] if line_end < 0 else line_end, d)
    if d.comparison is not None:
        return
    got = _record_field(text, sents, idx, candidates, _CHANGE_LINE)
    if got is None:
        return
    change, n_end = got
    line_end = text.find("\n", change.end(), n_end)
    _prior_from_change(text, change.end(), n_end if line_end < 0 else line_end, d)
    if d.size_mm is not None and d.prior_size_mm is None:
        _prior_from_span(text, change.end(), n_end, d)
    if d.comparison is None:
        d.comparison = attributes.read_comparison(text, change.end(), n_end)
    if d.comparison is None and _NO_CHANGE_VALUE.match(text, change.end(), n_end):
        d.comparison = Comparison.stable


# a change field written as prior -> current ("Change: 0.4 -> 0.6 cm", "4 mm => 5 mm")
_ARROW_CHANGE = re_compile(
    r"(?<![\d.,])(\d{1,3}(?:[.,]\d{1,2})?)[ \t]*(mm|cm)?[ \t]*(?:-+>|=>|\u2192)[ \t]*"
    r"(\d{1,3}(?:[.,]\d{1,2})?)[ \t]*(mm|cm)\b",
    re.I,
)
# a lone size in a change field that is today's, not the prior's ("increased to 6 mm")
_NOW_BEFORE_SIZE = re_compile(r"\b(?:to|now|measur[a-z]*|currently|at)[ \t]*$", re.I)


def _prior_from_own_change_line(text: str, span: tuple[int, int], d: _Draft) -> None:
    """The change field of a record read as one sentence ("Finding: calcified focus /
    Size: 0.7 cm / Change: 0.5 -> 0.7 cm"): its prior, when a size was given before it."""
    if d.size_mm is None or d.prior_size_mm is not None or "\n" not in text[span[0] : span[1]]:
        return
    own = _CHANGE_LINE.search(text, *span)
    if own is None or not sizes.find_sizes(text, span[0], own.start()):
        return
    line_end = text.find("\n", own.end(), span[1])
    _prior_from_change(text, own.end(), span[1] if line_end < 0 else line_end, d)


def _prior_from_change(text: str, start: int, end: int, d: _Draft) -> None:
    """A record's change field gives the prior size beside the size field's current one.

    Examples: "Size: 0.6 cm / Change: 0.4 -> 0.6 cm" -> prior 4 mm (prior -> current);
    "Size: 0.5 cm / Change: stable vs 03/2025 (0.5 cm)" -> prior 5 mm (a lone size in the
    change field is the earlier exam's, unless it is said of today: "increased to 6 mm").
    """
    if d.prior_size_mm is not None or d.size_mm is None:
        return
    m = _ARROW_CHANGE.search(text, start, end) if ">" in text[start:end] else None
    if m is not None:
        current = sizes.mm_of(m.group(3), m.group(4))
        if current == d.size_mm:
            d.prior_size_mm = sizes.mm_of(m.group(1), m.group(2) or m.group(4))
    else:
        found = sizes.find_sizes(text, start, end)
        if len(found) != 1 or _NOW_BEFORE_SIZE.search(
            text, max(start, found[0].start - 16), found[0].start
        ):
            return
        d.prior_size_mm = found[0].mm
    if d.prior_size_mm is not None and d.comparison is None:
        d.comparison = _compare(d.size_mm, d.prior_size_mm)


# a pattern field at a line start ("Pattern: coarse", "Morphology: punctate", "Calcification:
# rim"): its value is the pattern of the record's finding
_PATTERN_LINE = re_compile(
    r"^[ \t]*(?:pattern|morphology|appearance|character|configuration|type"
    r"|calcification(?:[ \t]+(?:pattern|type|morphology))?)[ \t]*[:=]",
    re.I | re.M,
)


def _pattern_from_record(
    text: str, sents: _SectionSentences, idx: int, drafts: list[_Draft], candidates: list[int]
) -> None:
    """A finding without a pattern takes the pattern field of its key:value record
    ("Finding: calcified granuloma / Size: 0.9 cm / Morphology: coarse").

    Why: the pattern word is read a few words either side of the target; a form puts it on
    a field line of its own, often several lines below. A record written without full
    stops is one sentence: its field line is read there when the sentence gave this one
    finding only; else the record's neighbouring field lines are (as for size and place).
    """
    d = drafts[-1]
    if d.pattern is not None:
        return
    s_start, s_end = sents.spans[idx]
    field: re.Match[str] | None = None
    line_end = s_end
    alone = len(drafts) < 2 or drafts[-2].sentence_key != d.sentence_key
    if alone and _RECORD_LINE.match(text, s_start, s_end):
        field = _PATTERN_LINE.search(text, s_start, s_end)
        if field is not None:
            nl = text.find("\n", field.end(), s_end)
            line_end = s_end if nl < 0 else nl
    if field is None:
        got = _record_field(text, sents, idx, candidates, _PATTERN_LINE)
        if got is None:
            return
        field, line_end = got
    value_end = min(line_end, field.end() + 40)
    d.pattern = attributes.read_pattern(text, field.end(), field.end(), field.end(), value_end)


def _size_from_next_sentence(text: str, sents: _SectionSentences, idx: int, d: _Draft) -> None:
    """ "... a calcified granuloma in segment 7. It measures 5 mm." -> size 5 mm; also
    past one place field: "A calcification. Location: segment 3. Dimensions 8 x 5 mm."."""
    for k in (idx + 1, idx + 2):
        if k >= len(sents.spans):
            return
        n_start, n_end = sents.spans[k]
        if _IT_MEASURES.match(text, n_start, n_end):
            _size_from_span(text, n_start, n_end, d)
            return
        if k > idx + 1 or not _PLACE_FIELD.match(text, n_start, n_end):
            return
        field = _SIZE_FIELD_IN.search(text, n_start, n_end)
        if field is not None:  # "Location: segment 3. Dimensions 8 x 5 mm." as one sentence
            _size_from_span(text, field.end(), n_end, d)
            return


def _prior_from_next_sentence(
    text: str, sents: _SectionSentences, idx: int, d: _Draft, candidates: list[int]
) -> None:
    """ "... measures 7 mm. On the prior CT it measured 5 mm." -> prior 5 mm; also past the
    sentence that gave the size: "Calcified focus in segment 4. It measures 7 mm. On the
    study of 2022 it measured 5 mm." """
    if idx + 1 >= len(sents.spans) or d.size_mm is None or d.prior_size_mm is not None:
        return
    n_start, n_end = sents.spans[idx + 1]
    if idx + 2 < len(sents.spans) and _IT_MEASURES.match(text, n_start, n_end):
        found = sizes.find_sizes(text, n_start, n_end)
        if len(found) == 1 and not found[0].prior and found[0].mm == d.size_mm:
            n_start, n_end = sents.spans[idx + 2]  # the size's own sentence says no more
    k = bisect.bisect_left(candidates, n_start)
    if k < len(candidates) and candidates[k] < n_end:
        return  # a sentence with its own target speaks for itself
    if _PRIOR_SENTENCE.match(text, n_start, n_end):
        _prior_from_span(text, n_start, n_end, d)


def _prior_from_span(text: str, c_start: int, c_end: int, d: _Draft) -> None:
    """Fill the prior size of a sized draft from a clause that gives only a prior size."""
    found = sizes.find_sizes(text, c_start, c_end)
    if d.size_mm is None:
        return
    if len(found) > 1 and _PRIOR_SENTENCE.match(text, c_start, c_end):
        found = _latest_of_past(text, c_start, c_end, found)
    elif len(found) == 1 and sizes.NO_CHANGE_BRACKET.search(
        text, max(c_start, found[0].start - 60), found[0].start
    ):  # "...; no change in size (5.2 cm)": the size before, restated
        found = [sizes.Size(found[0].start, found[0].end, found[0].mm, True, False)]
    if len(found) != 1 or not found[0].prior:
        return
    d.prior_size_mm = found[0].mm
    if d.comparison is None:
        d.comparison = _compare(d.size_mm, d.prior_size_mm)


_YEAR = re_compile(r"(?<!\d)(?:19|20)\d\d(?!\d)")


def _latest_of_past(
    text: str, c_start: int, c_end: int, found: list[sizes.Size]
) -> list[sizes.Size]:
    """The most recent of the sizes of a clause about earlier exams, as a prior: "it measured
    9 mm in 2021 and 7 mm in 2019" and "on the CT of March 2023 it measured 11 mm, and on the
    2020 study 9 mm" -> the 2021 and 2023 sizes. Every size needs its own year (the one
    right after it, else the last one between it and the size before); else none is taken.
    """
    dated: list[tuple[int, sizes.Size]] = []
    prev_end = c_start
    for z in found:
        after = sizes.YEAR_AFTER.match(text, z.end, min(c_end, z.end + 20))
        before = [int(y.group(0)) for y in _YEAR.finditer(text, prev_end, z.start)]
        year = int(after.group(1)) if after is not None else (before[-1] if before else None)
        if year is None:
            return []
        dated.append((year, z))
        prev_end = after.end() if after is not None else z.end
    years = [y for y, _ in dated]
    if len(set(years)) != len(years):
        return []
    z = max(dated, key=lambda p: p[0])[1]
    return [sizes.Size(z.start, z.end, z.mm, True, False)]


# a later clause of the sentence about the same finding: "; they are now numerous, ...,
# the largest 6 mm", "; it measures 4 mm"
_LATER_CLAUSE = re_compile(r";[ \t\n]*(?:they|it|these|this|each)\b[^;]{0,200}", re.I)


def _size_from_later_clause(
    text: str, sentence: tuple[int, int], d: _Draft, candidates: list[int]
) -> None:
    """A sizeless finding takes the size of a later clause of its sentence that refers
    back to it and names no target of its own.

    Example: "Hepatic calcifications are increased in number; they are now numerous,
    scattered through the right lobe, the largest 6 mm." -> 6 mm.
    """
    s_start, s_end = sentence
    k = bisect.bisect_left(candidates, s_start)
    last_target = s_start
    while k < len(candidates) and candidates[k] < s_end:
        last_target = candidates[k]
        k += 1
    m = _LATER_CLAUSE.search(text, last_target, s_end)
    if m is None:
        return
    if any(o.organ != "liver" for o in organs.find_organs(text, m.start(), m.end())):
        return  # "; it is in the spleen"
    _size_from_span(text, m.start(), m.end(), d)


def _size_from_span(text: str, n_start: int, n_end: int, d: _Draft) -> None:
    """Fill a sizeless draft from "It measures 5 mm (previously 4 mm)" at ``n_start``."""
    found = sizes.find_sizes(text, n_start, n_end)
    current = [z for z in found if not z.prior]
    priors = [z for z in found if z.prior]
    if len(current) != 1:
        return
    d.size_mm = current[0].mm
    if priors and d.prior_size_mm is None:
        d.prior_size_mm = priors[0].mm
    if d.comparison is None:
        d.comparison = attributes.read_comparison(text, n_start, n_end)
    if d.comparison is None and d.prior_size_mm is not None:
        # the prior from this sentence, or from the earlier exam a sentence before
        d.comparison = _compare(d.size_mm, d.prior_size_mm)


def _another_in_next_sentence(
    text: str, sents: _SectionSentences, idx: int, drafts: list[_Draft], candidates: list[int]
) -> None:
    """ "A 5 mm calcification in segment 7. Another, measuring 3 mm, is in segment 2.":
    a next sentence that opens on "another"/"a second one" and names no target itself is
    a further finding of the same kind, with its own size and place."""
    if idx + 1 >= len(sents.spans):
        return
    n_start, n_end = sents.spans[idx + 1]
    if not _CONTINUATION.match(text, n_start, n_end):
        return
    k = bisect.bisect_left(candidates, n_start)
    if k < len(candidates) and candidates[k] < n_end:
        return  # it names its own target: read as a sentence of its own
    model = drafts[-1]
    extra = _continuation(text, n_start, n_end, model, model.sentence_key)
    if extra is None:
        return
    if model.count == 2:
        model.count = 1
    ev_start, ev_end = _evidence_span(n_start, n_end, n_start, n_end)
    extra.evidence = Evidence(
        sentence=text[ev_start:ev_end],
        start=ev_start,
        end=ev_end,
        section=model.evidence.section,
        hedged=model.evidence.hedged,
    )
    drafts.append(extra)


def _evidence_span(s_start: int, s_end: int, c_start: int, c_end: int) -> tuple[int, int]:
    """The sentence, or for a run-on sentence a bounded window around the clause."""
    if s_end - s_start <= _MAX_EVIDENCE_CHARS:
        return s_start, s_end
    half = _MAX_EVIDENCE_CHARS // 2
    lo = max(s_start, min(c_start, c_end - half) - half // 2)
    hi = min(s_end, lo + _MAX_EVIDENCE_CHARS)
    return lo, hi


# "another of the same size", "a second one of similar size", "one more, identical in size"
_SAME_SIZE = re_compile(
    r"\b(?:(?:same|similar|equal|identical|comparable)(?:[ \t]+in)?[ \t]+size|same-sized"
    r"|equal-sized|similarly[ \t]+sized|equally[ \t]+sized)\b",
    re.I,
)


# "a smaller one", "a slightly larger punctate one": compared with its sibling, not with an
# earlier exam
_SIBLING_COMPARATIVE = re_compile(
    r"\b(?:smaller|larger|bigger)[ \t\n]+(?:[a-z-]+[ \t\n]+){0,2}?one\b", re.I
)


# "..., and a separate 1.2 cm simple cyst": a lesion that is not calcified
_NOT_CALCIFIED_LESION = re_compile(r"\b(?:simple|non-?calcified|uncalcified|benign)\b", re.I)


def _names_another_lesion(text: str, c_start: int, c_end: int, model: _Draft) -> bool:
    """True when a continuation clause names a lesion of its own that is not the model's
    kind ("a 3 mm calcified focus ..., and a separate 1.2 cm simple cyst in segment II"):
    that is another lesion, not a further calcification."""
    host = attributes.HOST_WORDS.search(text, c_start, c_end)
    if host is None:
        return False
    return model.kind is FindingKind.calcification or bool(
        _NOT_CALCIFIED_LESION.search(text, c_start, c_end)
    )


def _continuation(
    text: str, c_start: int, c_end: int, model: _Draft, sentence_key: int
) -> _Draft | None:
    """The further member of a group a clause names ("and another in segment 7, 3 mm"):
    its own size, prior and place; a size said to be the same as the first's is that
    size. None when the clause adds no size or place or is about another lesion."""
    if _names_another_lesion(text, c_start, c_end, model):
        return None
    found = sizes.find_sizes(text, c_start, c_end)
    current = [z for z in found if not z.prior]
    loc = locations.find_location(text, c_start, c_end, c_start)
    if not current and loc == Location():
        return None
    size = current[0].mm if current else None
    prior = next((z.mm for z in found if z.prior), None) if size is not None else None
    # the group's comparison carries over ("stable calcifications: one in ..., another in
    # ..."), not one the model drew from its own prior ("segment 5, 4 mm (was 3 mm)")
    shared = model.comparison if model.prior_size_mm is None else None
    comparison = (
        None
        if _SIBLING_COMPARATIVE.search(text, c_start, c_end)
        else (attributes.read_comparison(text, c_start, c_end))
    )
    comparison = comparison or (
        _compare(size, prior) if size is not None and prior is not None else shared
    )
    if size is None and _SAME_SIZE.search(text, c_start, c_end):
        # "... and another of the same size in the caudate lobe": the first one's size;
        # "similar" compares it with its sibling, not with an earlier exam
        size, comparison = model.size_mm, model.comparison
    return _Draft(
        kind=model.kind,
        associated=model.associated,
        count=1,
        # its own pattern when it says one ("...; the right lobe a smaller punctate one")
        pattern=attributes.read_pattern(text, c_start, c_end, c_start, c_end) or model.pattern,
        location=loc,
        size_mm=size,
        prior_size_mm=prior,
        comparison=comparison,
        features=dict(model.features),
        evidence=model.evidence,
        section_category=model.section_category,
        sentence_key=sentence_key,
        mergeable=False,
    )


def _drafts_for_clause(
    text: str,
    sec: sections.Section,
    c_start: int,
    c_end: int,
    s_start: int,
    s_end: int,
    in_clause: list[Target],
    features: dict[str, bool],
    evidence: Evidence,
    sentence_key: int,
    sents: _SectionSentences,
    idx: int,
) -> list[_Draft]:
    """The draft findings of one clause: a ``resolver.Mention`` through its passes."""
    mention = resolver.Mention(
        text=text,
        sec=sec,
        c_start=c_start,
        c_end=c_end,
        s_start=s_start,
        s_end=s_end,
        targets=in_clause,
        features=features,
        evidence=evidence,
        sentence_key=sentence_key,
        host_before=lambda: sents.host_before(idx),
    )
    return resolver.resolve(mention)


def _compatible(a: _Draft, b: _Draft) -> bool:
    """Can the later mention ``b`` be the same finding as the earlier ``a``?"""
    if (a.sentence_key == b.sentence_key and not b.redescribes) or not b.mergeable:
        return False
    if a.kind is not b.kind and not (a.sentence_key == b.sentence_key and b.redescribes):
        # (a clause of the same sentence naming what the finding may be, "...; may represent
        # a calcified metastasis", is that finding whatever kind its words give)
        return False
    if a.associated is not None and b.associated is not None and a.associated is not b.associated:
        return False
    if a.size_mm is not None and b.size_mm is not None and a.size_mm != b.size_mm:
        return False
    if b.size_mm is not None and (a.count == "multiple") != (b.count == "multiple"):
        return False
    la, lb = a.location, b.location
    if la.segment is not None and lb.segment is not None and la.segment != lb.segment:
        return False
    return la.lobe is None or lb.lobe is None or la.lobe == lb.lobe


def _merge(drafts: list[_Draft]) -> list[_Draft]:
    """Fold a repeated mention (impression, or "this calcification is stable") into the first."""
    out: list[_Draft] = []
    run_start = 0  # where the findings of out[-1]'s sentence begin in ``out``
    for d in drafts:
        # a mention is never merged with another of its own sentence unless it redescribes
        # it, so those (a contiguous tail of ``out``) are skipped unlooked-at: one sentence
        # listing thousands of findings stays linear
        same_tail = out and out[-1].sentence_key == d.sentence_key and not d.redescribes
        pool = itertools.islice(out, run_start) if same_tail else out
        target = next((o for o in pool if _compatible(o, d)), None)
        if target is None:
            if len(out) < MAX_FINDINGS:
                if not out or out[-1].sentence_key != d.sentence_key:
                    run_start = len(out)
                out.append(d)
            continue
        if target.size_mm is None:
            target.size_mm = d.size_mm
        if target.prior_size_mm is None:
            target.prior_size_mm = d.prior_size_mm
        if target.calcification_mm is None and d.size_mm == target.size_mm:
            target.calcification_mm = d.calcification_mm
        target.comparison = target.comparison or d.comparison
        target.pattern = target.pattern or d.pattern
        target.associated = target.associated or d.associated
        target.location = _merged_location(target.location, d.location)
        for k, v in d.features.items():
            target.features.setdefault(k, v)
    return out


def _merged_location(first: Location, later: Location) -> Location:
    """The place of a finding mentioned twice: the first mention's, made finer by the later.

    Why: "Findings: Calcific density, 6 mm, in the posterior right hepatic lobe.
    Impression: Calcified granuloma, segment VII." places the one finding in segment 7 of
    the right lobe; the impression names the segment the findings left out. The merge has
    already checked that the two lobes agree (or one is unknown); a first mention with a
    segment of its own keeps it.
    """
    if first == Location():
        return later
    if first.segment is not None or later.segment is None:
        return first
    return Location(
        lobe=first.lobe or later.lobe,
        segment=later.segment,
        subsegment=later.subsegment,
        dome=first.dome or later.dome,
    )


def _finalise(d: _Draft) -> Finding:
    feats = Features(**d.features) if d.features else Features()
    return Finding(
        kind=d.kind,
        size_mm=d.size_mm,
        count=d.count,
        calcified=True,
        pattern=d.pattern,
        location=d.location,
        associated=d.associated,
        features=feats,
        comparison=d.comparison,
        prior_size_mm=d.prior_size_mm,
        calcification_size_mm=d.calcification_mm,
        evidence=d.evidence,
    )


def _stated_modality(text: str, secs: list[sections.Section]) -> Modality | None:
    """The modality named in the title/technique, else in the findings (never in COMPARISON)."""
    for wanted in (("exam", "technique", "body"), ("findings", "other", "impression")):
        for sec in secs:
            if sec.category in wanted:
                found = attributes.read_modality(text, sec.header_start, sec.end)
                if found is not None:
                    return found
    return None


def _background(text: str, secs: list[sections.Section]) -> BackgroundLiver | None:
    found: set[str] = set()
    for sec in secs:
        if sec.category in _NOT_CURRENT_SECTIONS or sec.start >= sec.end:
            continue
        if sec.organ not in (None, "liver"):
            continue
        bg = attributes.read_background(text, sec.start, sec.end)
        if bg is not None:
            found.add(bg)
    for choice in ("cirrhosis", "steatosis", "normal"):
        if choice in found:
            return choice
    return None
