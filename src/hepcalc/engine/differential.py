"""Differential diagnosis as an evidence model: priors x likelihood ratios -> posterior.

For one finding, every etiology not excluded for the patient's age group gets a
weight: its prior share among calcified liver foci in that age group, times the
likelihood ratio of every context and feature in ``etiologies.yaml`` that holds
for this finding, times (1 - p_calcified) / p_calcified when the finding is seen
without calcification. The posterior is the weight over the sum of weights
(a naive-Bayes model over mutually exclusive causes). The numbers and their
sources are data; this module multiplies (adds logs), keeps the reasons that
fired for this patient, and turns the posterior into a band.

Bands (docs/differential.md): "high" >= 0.5, "moderate" >= 0.15, else "low".
``must_exclude`` is separate from rank: a diagnosis that must be ruled out
(HCC in a cirrhotic liver, metastasis with a known primary, ...) is listed
whatever its posterior, and is kept in the ranked list too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from hepcalc.engine.afp import afp_words
from hepcalc.engine.conditions import Context
from hepcalc.engine.conditions import holds as condition_holds
from hepcalc.knowledge import KnowledgeBase
from hepcalc.knowledge.etiologies import Etiology, EvidenceItem
from hepcalc.model import DifferentialItem, Likelihood, MustExclude

MAX_ITEMS = 6
HIGH_CUTOFF = 0.5
MODERATE_CUTOFF = 0.15
_AFP_CONDITIONS = ("afp_raised", "afp_normal")


def band(probability: float) -> Likelihood:
    """The likelihood band of a posterior probability (cut-offs in docs/differential.md)."""
    if probability >= HIGH_CUTOFF:
        return "high"
    if probability >= MODERATE_CUTOFF:
        return "moderate"
    return "low"


@dataclass
class _Scored:
    etiology: Etiology
    log_weight: float
    supporting: list[str]
    against: list[str]
    probability: float = 0.0
    log_odds: float = 0.0


def _reason(item: EvidenceItem, ctx: Context) -> str:
    if item.when in _AFP_CONDITIONS and ctx.afp is not None:
        return f"{item.reason} ({afp_words(ctx.afp)})"
    return item.reason


def _score(ctx: Context, kb: KnowledgeBase) -> list[_Scored]:
    memo: dict[str, bool] = {}

    def holds(cond: str) -> bool:
        """Each condition once per finding: many etiologies ask the same questions."""
        if cond not in memo:
            memo[cond] = condition_holds(cond, ctx)
        return memo[cond]

    group = ctx.age_group
    calcified = ctx.finding.is_calcified
    # An MRI signal void may be calcification: do not count "no calcification" against
    # causes that are always calcified (non-contrast CT decides; rule mri-calcification-ct).
    calcification_unknown = not calcified and ctx.finding.features.signal_void is True
    out: list[_Scored] = []
    for et in kb.etiologies.values():
        prior = et.prior.get(group)
        if prior is None:
            continue
        if any(holds(x.when) for x in et.excludes):
            continue
        log_w = math.log(prior)
        supporting: list[str] = []
        against: list[str] = []
        if not calcified and not calcification_unknown:
            pc = et.p_calcified
            if pc >= 1.0:
                continue  # always calcified: ruled out by a finding without calcification
            lr = (1 - pc) / pc
            log_w += math.log(lr)
            if lr > 1:
                supporting.append(f"no calcification: most of these do not calcify (~{pc:.0%} do)")
            else:
                against.append(f"no calcification: usually calcified (~{pc:.0%})")
        for item in (*et.context, *et.evidence):
            if item.lr == 1.0 or not holds(item.when):
                continue
            log_w += math.log(item.lr)
            (supporting if item.lr > 1 else against).append(_reason(item, ctx))
        out.append(_Scored(et, log_w, supporting, against))
    if not out:
        return out
    top = max(s.log_weight for s in out)
    weights = [math.exp(s.log_weight - top) for s in out]
    total = sum(weights)
    for s, w in zip(out, weights, strict=True):
        s.probability = w / total
        rest = total - w
        s.log_odds = 50.0 if rest <= 0 else max(-50.0, min(50.0, math.log(w / rest)))
    out.sort(key=lambda s: (-s.log_weight, s.etiology.id))
    return out


def _must_exclude(ctx: Context, scored: list[_Scored], track: str | None) -> list[MustExclude]:
    """Diagnoses to rule out whatever their rank: one per etiology, one per family."""
    memo: dict[str, bool] = {}

    def holds(cond: str) -> bool:
        if cond not in memo:
            memo[cond] = condition_holds(cond, ctx)
        return memo[cond]

    chosen: dict[str, MustExclude] = {}
    families: set[str] = set()
    # scored is in posterior order, so a family keeps its most probable member.
    for s in scored:
        for rule in s.etiology.must_exclude:
            if s.etiology.id in chosen:
                break
            if rule.family and rule.family in families:
                continue
            if all(holds(c) for c in rule.when):
                chosen[s.etiology.id] = MustExclude(
                    etiology=s.etiology.id,
                    track=track,
                    reason=rule.reason,
                    citations=list(rule.source),
                    name=s.etiology.name,
                )
                if rule.family:
                    families.add(rule.family)
    return list(chosen.values())


def assess_differential(
    ctx: Context, kb: KnowledgeBase, track: str | None
) -> tuple[list[DifferentialItem], list[MustExclude]]:
    """The ranked differential for one finding (ranks 1..n) and its must-exclude list."""
    scored = _score(ctx, kb)
    must = _must_exclude(ctx, scored, track)
    must_ids = {m.etiology for m in must}
    shown = scored[:MAX_ITEMS]
    shown += [s for s in scored[MAX_ITEMS:] if s.etiology.id in must_ids]
    items = [
        DifferentialItem(
            etiology=s.etiology.id,
            rank=rank,
            supporting=s.supporting,
            against=s.against,
            citations=list(s.etiology.citations),
            name=s.etiology.name,
            score=round(s.log_odds, 2),
            track=track,
            likelihood=band(s.probability),
            probability=round(s.probability, 3),
        )
        for rank, s in enumerate(shown, start=1)
    ]
    return items, must


def rank_etiologies(ctx: Context, kb: KnowledgeBase, track: str | None) -> list[DifferentialItem]:
    """The ranked differential only (kept for callers that do not need must_exclude)."""
    return assess_differential(ctx, kb, track)[0]
