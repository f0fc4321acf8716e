"""Differential diagnosis: etiologies ranked by context and features.

Scores are the etiology's prior weight (``base``, how common it is as a cause
of liver calcification) plus the weights of the modifiers that hold for this
finding and patient. The numbers live in ``etiologies.yaml`` with their
citations; this module only adds them up and keeps the reasons, so every rank
can be explained ("supporting" and "against").
"""

from __future__ import annotations

from hepcalc.engine.conditions import Context
from hepcalc.engine.conditions import holds as condition_holds
from hepcalc.knowledge import KnowledgeBase
from hepcalc.model import DifferentialItem

MAX_ITEMS = 6


def rank_etiologies(ctx: Context, kb: KnowledgeBase, track: str | None) -> list[DifferentialItem]:
    memo: dict[str, bool] = {}

    def holds(cond: str) -> bool:
        """Each condition once per finding: many etiologies ask the same questions."""
        if cond not in memo:
            memo[cond] = condition_holds(cond, ctx)
        return memo[cond]

    # Score every etiology, but build output models only for the ones shown: most
    # etiologies do not make the top MAX_ITEMS, and a model costs more than its score.
    scored: list[tuple[float, str, list[str], list[str]]] = []
    for et in kb.etiologies.values():
        if any(holds(c) for c in et.excludes):
            continue
        if not all(holds(c) for c in et.requires):
            continue
        score = et.base
        supporting: list[str] = []
        against: list[str] = []
        for m in et.modifiers:
            if holds(m.when):
                score += m.weight
                (supporting if m.weight > 0 else against).append(m.reason)
        if not supporting:
            supporting.append(f"{et.frequency}")
        scored.append((-score, et.id, supporting, against))
    scored.sort(key=lambda t: (t[0], t[1]))
    out: list[DifferentialItem] = []
    for rank, (neg_score, etiology_id, supporting, against) in enumerate(
        scored[:MAX_ITEMS], start=1
    ):
        et = kb.etiologies[etiology_id]
        out.append(
            DifferentialItem(
                etiology=et.id,
                rank=rank,
                supporting=supporting,
                against=against,
                citations=list(et.citations),
                name=et.name,
                score=round(-neg_score, 2),
                track=track,
            )
        )
    return out
