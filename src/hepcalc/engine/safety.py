"""The safety stage: between categorisation and the pathway (DESIGN.md, second design step).

Why a separate stage: the pathway answers "what next for this finding?", but
some facts must be settled before that question is asked, or the answer is
unsafe whatever branch fires:

- **Input contradictions.** Two parts of the input disagree (structured risk
  factors against an exam's ``background_liver``, a report, or each other).
  The disagreement is shown as a ``Warning(code="input_contradiction")`` that
  names both sources, and the decision takes the *safer* reading (e.g. treat
  as cirrhotic), because a missed HCC costs more than one extra MRI.
- **Urgency.** How soon a step must happen (``routine`` / ``soon`` /
  ``urgent``) is a property of the patient's state (fever, jaundice, tumour
  in vein), not of the branch; it is set here from rules in ``rules.yaml``.
- **Stopping rules.** When a finding's work-up is already over (stable for two
  years on CT/MRI, already characterised, treatment response), the pathway
  must not start it again.

The stage is pure (no clock): "in the future" means later than the latest
other date in the case, never later than today.
"""

from __future__ import annotations

from hepcalc.knowledge import KnowledgeBase, load_kb
from hepcalc.model import Warning

CONTRADICTION_CODE = "input_contradiction"
CONTRADICTION_RULE = "input-contradiction"


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "not stated"
    return str(getattr(value, "value", value))


def contradiction_warning(
    field: str,
    structured: object,
    other: object,
    other_source: str,
    *,
    safer: str | None = None,
    structured_source: str = "the structured case",
    kb: KnowledgeBase | None = None,
) -> Warning:
    """One ``input_contradiction`` warning, worded the same wherever it is raised.

    ``field`` names what disagrees (e.g. ``"risk_factors.cirrhosis"``),
    ``structured`` is the value in the structured input and ``other`` the value
    found in ``other_source`` (e.g. ``"exams[1].background_liver"`` or
    ``"the report of exam us-1 ('cirrhotic liver')"``). ``safer`` says which
    reading the decision takes; by default the text says the safer reading is
    used without naming it. Used by the engine's safety stage and by the report
    reader (issue 13), so both raise the same code with the same citations.
    """
    kb = kb or load_kb()
    text = (
        f"Input contradiction: {field} is {_show(structured)} in {structured_source} but "
        f"{_show(other)} in {other_source}."
    )
    if safer:
        text += f" The safer reading is used: {safer}."
    else:
        text += " The safer reading is used; please check the input."
    return Warning(
        code=CONTRADICTION_CODE,
        text=text,
        citations=list(kb.rule(CONTRADICTION_RULE).citations),
    )
