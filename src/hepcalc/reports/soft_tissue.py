"""Soft tissue with a calcification: the sign that makes it a calcified lesion.

Why: a calcification "surrounded by a new thin rim of enhancing soft tissue", "with
a soft-tissue component" or "within an enhancing mass" is no longer an isolated
(granuloma-like) calcification; it is a calcified lesion, and the engine's
differential and pathway depend on that (issue 13: such a report was summarised as
"most consistent with a healed granuloma" next to a tumour-board recommendation).
A solid component within or around a calcified lesion is a recognised sign that
calls for characterisation (expert estimate of the reading rule; the clinical
weight of it is the knowledge base's, not the reader's).

Negated forms ("no soft-tissue component", "without enhancing soft tissue") do
not count.
"""

from __future__ import annotations

import re

from hepcalc.regex_cache import re_compile
from hepcalc.reports import context

_WS = r"[ \t\n]+"
_ST = r"soft[- \t\n]?tissue"
SOFT_TISSUE = re_compile(
    # "enhancing soft tissue", "soft-tissue component/rim/mass/nodule/thickening"
    rf"\b(?:(?:enhancing|solid|nodular){_WS}(?:(?:nodular|solid|enhancing){_WS})?"
    rf"(?:{_ST}|tissue|component|rim|nodule|portion|element)"
    rf"|{_ST}(?:{_WS}(?:density|attenuation))?{_WS}(?:component|rim|mass|nodule|nodularity"
    rf"|thickening|portion|element|lesion)s?"
    # "a rim of (thin/new) enhancing tissue", "surrounding soft tissue"
    rf"|rim{_WS}of{_WS}(?:[a-z]+{_WS}){{0,3}}?(?:enhancing{_WS})?(?:{_ST}|enhancement|tissue)"
    rf"|(?:surrounding|associated|adjacent){_WS}(?:enhancing{_WS})?(?:{_ST}|enhancement)"
    rf"|(?:enhancing|solid){_WS}(?:[a-z]+{_WS})?{_ST})\b",
    re.I,
)
_NEGATED = re_compile(
    r"\b(?:no|without|nor|absent|lacks?|lacking|absence[ \t\n]+of|negative[ \t\n]+for"
    r"|free[ \t\n]+of|not)\b[^.;:]{0,40}$",
    re.I,
)
# "soft tissues are unremarkable", "soft tissue component is not seen"
_NOT_AFTER = re_compile(
    r"s?[ \t\n]*(?:(?:is|are|was|were|appears?)[ \t\n]+)?(?:not|absent|normal|unremarkable)\b",
    re.I,
)
_CUT = re_compile(r"\b(?:but|however|although|whereas)\b", re.I)


def soft_tissue_in(text: str, start: int, end: int) -> re.Match[str] | None:
    """The first stated (not negated) soft-tissue cue in ``text[start:end]``, or None.

    Example: "... and is surrounded by a new thin rim of enhancing soft tissue" gives
    the match "rim of enhancing soft tissue"; "no soft tissue component" gives None.
    Only the 40 characters before a cue are checked for its negation, so the cost is
    bounded per cue and the whole search is linear in the span.
    """
    for m in SOFT_TISSUE.finditer(text, start, end):
        lo = max(start, m.start() - 40)
        neg = _NEGATED.search(text, lo, m.start())
        if neg is not None and not _CUT.search(text, neg.start(), m.start()):
            continue
        if _NOT_AFTER.match(text, m.end(), min(end, m.end() + 16)):
            continue
        if context.unticked(text[lo : m.start()]):
            continue  # "[ ] solid  [ ] mass": an option of a form left empty
        return m
    return None
