"""Category of a finding: what kind of thing is calcified, and with what.

The category chooses the branch of the management pathway (seed 001's first
question: isolated calcification, or one with an associated lesion).
"""

from __future__ import annotations

from collections.abc import Sequence

from hepcalc.model import Associated, Category, Exam, Finding, FindingKind, Modality

_CYSTIC = {Associated.simple_cyst, Associated.complex_cyst}
_SOLID = {Associated.solid_mass, Associated.hemangioma}


def confirmed_off_mri(history: Sequence[tuple[Exam, Finding]]) -> bool:
    """True when any exam other than MRI showed the finding (CT is the reference for calcium)."""
    return any(exam.modality is not Modality.MRI for exam, _ in history)


def categorize(finding: Finding, history: Sequence[tuple[Exam, Finding]]) -> tuple[Category, str]:
    """Category and a one-line reason, from the latest finding and its history."""
    latest_exam = history[-1][0] if history else None
    calcified = finding.is_calcified
    features = finding.features
    mri_only = (
        latest_exam is not None
        and latest_exam.modality is Modality.MRI
        and not confirmed_off_mri(history)
        and (features.signal_void is True or finding.kind is FindingKind.calcification)
    )
    if mri_only and finding.kind is FindingKind.calcification:
        return (
            Category.indeterminate,
            "calcification reported on MRI only (signal void may also be haemosiderin, air or "
            "flow); not confirmed by CT",
        )
    if finding.evidence is not None and finding.evidence.hedged and calcified:
        hedge = " (the report hedges: possible calcification)"
    else:
        hedge = ""

    if finding.kind is FindingKind.calcification:
        assoc = finding.associated
        if assoc in _SOLID:
            return Category.calcified_solid_lesion, f"calcification within a {assoc.value}{hedge}"
        if assoc in _CYSTIC:
            return Category.calcified_cystic_lesion, f"calcification in a cyst wall{hedge}"
        if assoc is Associated.unknown:
            return (
                Category.indeterminate,
                "calcification whose relation to a lesion is not stated",
            )
        if features.solid_component:
            return (
                Category.calcified_solid_lesion,
                f"calcification with a soft-tissue component{hedge}",
            )
        note = "" if assoc is Associated.none else " (no associated lesion described)"
        return (
            Category.isolated_calcification,
            f"calcification without an associated lesion{note}{hedge}",
        )
    if finding.kind is FindingKind.cyst:
        if calcified:
            return Category.calcified_cystic_lesion, f"cystic lesion with calcification{hedge}"
        return Category.noncalcified_lesion, "cystic lesion without calcification"
    # kind == lesion
    if calcified:
        if finding.associated in _CYSTIC:
            return Category.calcified_cystic_lesion, f"calcified cystic lesion{hedge}"
        return Category.calcified_solid_lesion, f"lesion containing calcification{hedge}"
    if finding.calcified is None and finding.pattern is None:
        return Category.noncalcified_lesion, "lesion; calcification not described"
    return Category.noncalcified_lesion, "lesion without calcification"
