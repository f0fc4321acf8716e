"""What several renderings share: numbered references and per-track lookups.

References are numbered in the order the engine resolved them
(``Assessment.references`` is "in order of first use"), so [1] in the clinician
text, the HTML page and the FHIR narrative all mean the same paper. A citation
key that the engine used but did not resolve is still listed (marked
unresolved) rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from hepcalc.model import (
    Action,
    Assessment,
    DifferentialItem,
    FindingResult,
    Growth,
    GrowthStatus,
    Recommendation,
    ReferenceOut,
)

if TYPE_CHECKING:  # the knowledge base is loaded lazily, on first use
    from hepcalc.knowledge.etiologies import Etiology


def _all_citation_keys(a: Assessment) -> list[str]:
    keys: list[str] = []
    for g in a.growth:
        keys += g.citations
    for lr in a.lirads or []:
        keys += lr.citations
    for r in a.recommendations:
        keys += r.citations
    for w in a.warnings:
        keys += w.citations
    for d in a.differential:
        keys += d.citations
    return keys


@dataclass
class References:
    """Resolved references with stable numbers."""

    items: list[ReferenceOut] = field(default_factory=list)
    number: dict[str, int] = field(default_factory=dict)

    def cite(self, keys: list[str]) -> str:
        """'[1, 3]' for the given keys, numbers ascending (unknown keys by name), '' for none."""
        keys = [k for k in keys if not is_seed(k)]
        numbers = sorted({self.number[k] for k in keys if k in self.number})
        unknown = [k for k in dict.fromkeys(keys) if k not in self.number]
        labels = [str(n) for n in numbers] + unknown
        return f"[{', '.join(labels)}]" if labels else ""


def is_seed(key: str) -> bool:
    """A seed page (AI-written Q&A that started the project): quoted, never cited as evidence.

    The knowledge base flags them; a rendering drops them from every citation
    list and reference section even when an upstream item still carries one.
    """
    from hepcalc.knowledge import load_kb

    ref = load_kb().references.get(key)
    return bool(ref is not None and getattr(ref, "seed", False))


def evidence_keys(keys: list[str]) -> list[str]:
    """Citation keys without seed pages, in order, without repeats."""
    return [k for k in dict.fromkeys(keys) if not is_seed(k)]


def references(a: Assessment) -> References:
    refs = References()
    for ref in a.references:
        if is_seed(ref.key):
            continue
        if ref.key not in refs.number:
            refs.items.append(ref)
            refs.number[ref.key] = len(refs.items)
    for key in _all_citation_keys(a):
        if key not in refs.number and not is_seed(key):
            refs.items.append(
                ReferenceOut(
                    key=key, text=f"{key} (not resolved in the knowledge base)", strength=""
                )
            )
            refs.number[key] = len(refs.items)
    return refs


def reference_link(ref: ReferenceOut) -> str | None:
    """The one kind of external URL a page may carry: a link to the cited paper."""
    if ref.doi:
        return f"https://doi.org/{ref.doi}"
    if ref.pmid:
        return f"https://pubmed.ncbi.nlm.nih.gov/{ref.pmid}/"
    return ref.url


def leading_cause(a: Assessment, track: str | None) -> DifferentialItem | None:
    """Rank-1 etiology for a track (or overall when the engine did not split by track)."""
    ranked = sorted(a.differential, key=lambda d: d.rank)
    for d in ranked:
        if track is not None and d.track == track:
            return d
    untracked = [d for d in ranked if d.track is None]
    return untracked[0] if untracked else (ranked[0] if ranked and track is None else None)


def leading_finding(a: Assessment) -> FindingResult | None:
    """The finding the first recommendation is about, else the first finding."""
    for rec in a.recommendations:
        if rec.track is not None:
            for f in a.findings:
                if f.track == rec.track:
                    return f
    return a.findings[0] if a.findings else None


# ---------------------------------------------------------------------------
# What both audiences must agree on
# ---------------------------------------------------------------------------

URGENCY_ORDER: dict[str, int] = {"routine": 0, "soon": 1, "urgent": 2}


def top_urgency(a: Assessment) -> str:
    """The most urgent step of the plan ('routine' when the engine said nothing more)."""
    return max((r.urgency for r in a.recommendations), key=URGENCY_ORDER.__getitem__)


def is_conditional(rec: Recommendation) -> bool:
    """A step that happens only if an earlier one finds something ("If CT confirms ...").

    The engine words such steps with a leading condition in the rationale; both
    audiences must keep them conditional, never turn them into a plain order.
    """
    return rec.rationale.lstrip().lower().startswith("if ")


def condition_of(rec: Recommendation) -> str:
    """'if CT confirms growth or shows a soft-tissue component' (no trailing ':')."""
    text = rec.rationale.strip()
    for stop in (":", ";", "."):
        if stop in text:
            text = text.split(stop, 1)[0]
    return text[:1].lower() + text[1:]


def compared(a: Assessment) -> list[Growth]:
    """Growth entries that compare two or more sizes (the ones with a verdict on change)."""
    return [g for g in a.growth if len(g.points) > 1 or g.from_mm is not None]


@dataclass(frozen=True)
class Decisions:
    """The decisions a reader takes away; the clinician and patient texts must agree."""

    urgency: str
    next_action: Action | None
    conditional: tuple[bool, ...]
    growth: dict[str, GrowthStatus]


def decisions(a: Assessment) -> Decisions:
    return Decisions(
        urgency=top_urgency(a),
        next_action=a.recommendations[0].action if a.recommendations else None,
        conditional=tuple(is_conditional(r) for r in a.recommendations),
        growth={g.track: g.status for g in compared(a)},
    )


# ---------------------------------------------------------------------------
# Names of causes: the knowledge base is the one source
# ---------------------------------------------------------------------------


def etiology_name(etiology: str, given: str = "") -> str:
    """The clinician's name: the engine's, else the knowledge base's, else the id in words."""
    if given:
        return given
    known = _kb_etiology(etiology)
    return known.name if known is not None else etiology.replace("_", " ")


def plain_etiology(etiology: str) -> str | None:
    """The patient's name for a cause ('an old healed infection spot'), None if unknown."""
    known = _kb_etiology(etiology)
    return known.plain_name if known is not None and known.plain_name.strip() else None


def is_serious(a: Assessment, etiology: str) -> bool:
    """A cause a patient text must not name as the likely answer (malignant or must-exclude)."""
    known = _kb_etiology(etiology)
    if known is not None and (known.group == "malignant" or getattr(known, "serious", False)):
        return True
    return any(m.etiology == etiology for m in a.must_exclude)


def _kb_etiology(etiology: str) -> Etiology | None:
    from hepcalc.knowledge import load_kb

    return load_kb().etiologies.get(etiology)


# ---------------------------------------------------------------------------
# Finding labels: "track A" is an internal handle, not words for a reader
# ---------------------------------------------------------------------------


def finding_label(track: str | None) -> str:
    """'Finding A' for track 'A'; tracks that are not short letters keep their own name."""
    if not track:
        return "all findings"
    return f"Finding {track}"
