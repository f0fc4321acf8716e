"""What several renderings share: numbered references and per-track lookups.

References are numbered in the order the engine resolved them
(``Assessment.references`` is "in order of first use"), so [1] in the clinician
text, the HTML page and the FHIR narrative all mean the same paper. A citation
key that the engine used but did not resolve is still listed (marked
unresolved) rather than silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from hepcalc.model import Assessment, DifferentialItem, FindingResult, ReferenceOut


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
        numbers = sorted({self.number[k] for k in keys if k in self.number})
        unknown = [k for k in dict.fromkeys(keys) if k not in self.number]
        labels = [str(n) for n in numbers] + unknown
        return f"[{', '.join(labels)}]" if labels else ""


def references(a: Assessment) -> References:
    refs = References()
    for ref in a.references:
        if ref.key not in refs.number:
            refs.items.append(ref)
            refs.number[ref.key] = len(refs.items)
    for key in _all_citation_keys(a):
        if key not in refs.number:
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
