"""Review of an imaging order against an Assessment (the CDS order-select decision).

The decision "an MRI is being ordered for a known liver calcification: suggest
non-contrast CT instead" is clinical (seed 003; Adams 2017), so it lives here in
the engine; the CDS Hooks face only words it as a card.
"""

from __future__ import annotations

from hepcalc.knowledge import KnowledgeBase, load_kb
from hepcalc.model import Action, Assessment, Contrast, Recommendation

MRI_RULE = "mri-calcification-ct"
CT_FIRST_RULE = "noncontrast-first"


def review_mri_order(
    assessment: Assessment, kb: KnowledgeBase | None = None
) -> Recommendation | None:
    """Non-contrast CT in place of an MRI order, or None when MRI is right for this patient.

    None when no calcified finding is known, or when the engine itself recommends MRI
    (for example to characterise an associated lesion): then the MRI order is wanted.
    """
    if not any(f.calcified for f in assessment.findings):
        return None
    if any(r.modality and "MR" in r.modality.upper() for r in assessment.recommendations):
        return None
    kb = kb or load_kb()
    citations = list(kb.rule(MRI_RULE).citations)
    citations += [k for k in kb.rule(CT_FIRST_RULE).citations if k not in citations]
    return Recommendation(
        action=Action.noncontrast_ct,
        modality="CT",
        contrast=Contrast.none,
        rule=MRI_RULE,
        rationale=f"{kb.rule(MRI_RULE).text}\n\n{kb.rule(CT_FIRST_RULE).text}",
        citations=citations,
    )
