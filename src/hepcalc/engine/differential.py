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
from collections.abc import Callable
from dataclasses import dataclass

from hepcalc.engine.afp import afp_words
from hepcalc.engine.conditions import Context, compile_condition
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


@dataclass(frozen=True)
class _Compiled:
    """One etiology with its logs taken and conditions resolved once per knowledge base."""

    etiology: Etiology
    log_prior: dict[str, float | None]
    log_noncalcified: float | None  # ln((1 - pc) / pc); None when always calcified
    items: tuple[tuple[str, float, EvidenceItem], ...]
    excludes: tuple[str, ...]


_COMPILED: dict[str, tuple[tuple[_Compiled, ...], dict[str, Callable[[Context], bool]]]] = {}


def _compile(
    kb: KnowledgeBase,
) -> tuple[tuple[_Compiled, ...], dict[str, Callable[[Context], bool]]]:
    """Per knowledge-base version: logs, evaluators; the per-finding work is then a lookup."""
    hit = _COMPILED.get(kb.version)
    if hit is not None:
        return hit
    ets: list[_Compiled] = []
    fns: dict[str, Callable[[Context], bool]] = {}
    for et in kb.etiologies.values():
        pc = et.p_calcified
        items = tuple(
            (item.when, math.log(item.lr), item)
            for item in (*et.context, *et.evidence)
            if item.lr != 1.0
        )
        ets.append(
            _Compiled(
                etiology=et,
                log_prior={g: (None if p is None else math.log(p)) for g, p in et.prior.items()},
                log_noncalcified=None if pc >= 1.0 else math.log((1 - pc) / pc),
                items=items,
                excludes=tuple(x.when for x in et.excludes),
            )
        )
        for _field, cond in et.conditions():
            if cond not in fns:
                fns[cond] = compile_condition(cond)
    _COMPILED[kb.version] = (tuple(ets), fns)
    return _COMPILED[kb.version]


def _reason(item: EvidenceItem, ctx: Context) -> str:
    if item.when in _AFP_CONDITIONS and ctx.afp is not None:
        return f"{item.reason} ({afp_words(ctx.afp)})"
    return item.reason


def _score(ctx: Context, kb: KnowledgeBase, fired: frozenset[str]) -> list[_Scored]:
    """Weights and posteriors; ``fired`` holds every knowledge-base condition true here."""
    compiled, _fns = _compile(kb)
    group = ctx.age_group
    calcified = ctx.finding.is_calcified
    # An MRI signal void may be calcification: do not count "no calcification" against
    # causes that are always calcified (non-contrast CT decides; rule mri-calcification-ct).
    calcification_unknown = not calcified and ctx.finding.features.signal_void is True
    out: list[_Scored] = []
    for c in compiled:
        log_w = c.log_prior.get(group)
        if log_w is None:
            continue
        if any(x in fired for x in c.excludes):
            continue
        et = c.etiology
        supporting: list[str] = []
        against: list[str] = []
        if not calcified and not calcification_unknown:
            if c.log_noncalcified is None:
                continue  # always calcified: ruled out by a finding without calcification
            log_w += c.log_noncalcified
            pc = et.p_calcified
            if c.log_noncalcified > 0:
                supporting.append(f"no calcification: most of these do not calcify (~{pc:.0%} do)")
            else:
                against.append(f"no calcification: usually calcified (~{pc:.0%})")
        for when, log_lr, item in c.items:
            if when in fired:
                log_w += log_lr
                (supporting if log_lr > 0 else against).append(_reason(item, ctx))
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


def _must_exclude(
    scored: list[_Scored], track: str | None, holds: Callable[[str], bool]
) -> list[MustExclude]:
    """Diagnoses to rule out whatever their rank: one per etiology, one per family."""
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
    _compiled, fns = _compile(kb)
    # Every condition the knowledge base uses, evaluated once for this finding; the
    # etiologies then only look up the answers (many ask the same questions).
    fired = frozenset(cond for cond, fn in fns.items() if fn(ctx))

    def holds(cond: str) -> bool:
        return cond in fired if cond in fns else condition_holds(cond, ctx)

    scored = _score(ctx, kb, fired)
    must = _must_exclude(scored, track, holds)
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
