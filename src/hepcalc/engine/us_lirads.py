"""US LI-RADS v2017: the category and visualization score of a surveillance ultrasound.

US LI-RADS (Morgan 2018; Rodgers 2019) scores the *whole exam*, not each
observation:

* **US-1 negative**: no observation, or only definitely benign ones -> repeat
  ultrasound in 6 months.
* **US-2 subthreshold**: an observation under 10 mm that is not definitely
  benign -> repeat ultrasound in 3-6 months (back to routine surveillance after
  2 years without growth, Tse 2022).
* **US-3 positive**: an observation of 10 mm or more that is not definitely
  benign, or a new thrombus in a vein -> multiphase contrast CT or MRI (or CEUS).
* **Visualization** A (no or minimal limitations), B (moderate: may obscure small
  masses), C (severe: sensitivity significantly lowered). It does not change
  the category or its management.

Which observations are "definitely benign" here:

* an observation the reader calls definitely benign (``benign_entity=definite``);
* a cyst without septations, thick wall, solid part or daughter cysts (a simple
  cyst).

**Calcified foci (decision, with its basis).** A shadowing calcified focus counts
as definitely benign, and so leaves the exam US-1, *only* when the reader says it
is definitely benign (for example a typical calcified granuloma without any
soft tissue). hepcalc does not infer that from calcification or acoustic
shadowing alone, because whether US LI-RADS lists dense calcification among its
definitely benign observations is UNVERIFIED in our sources (facts.md 4.3); WFUMB
guidance calls calcification a typical benign finding in otherwise healthy
people, which is not the at-risk population. Otherwise a calcified focus is an
observation like any other (US-2 or US-3 by size), which errs towards contrast
imaging, and the reason text says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from hepcalc.engine.tracks import Track
from hepcalc.model import (
    Associated,
    BenignCertainty,
    Exam,
    Finding,
    FindingKind,
    LiradsCategory,
    LiradsResult,
)

RODGERS = "uslirads-rodgers2019"
MORGAN = "uslirads-morgan2018"
TSE = "Tse2022"

US_MANAGEMENT: dict[LiradsCategory, str] = {
    LiradsCategory.US_1: "Repeat surveillance ultrasound in 6 months.",
    LiradsCategory.US_2: (
        "Repeat ultrasound in 3 to 6 months; return to routine 6-monthly surveillance if "
        "unchanged for 2 years."
    ),
    LiradsCategory.US_3: (
        "Multiphase contrast-enhanced CT or MRI (or contrast-enhanced ultrasound)."
    ),
}

VISUALIZATION_TEXT = {
    "A": "visualization A: no or minimal limitations",
    "B": "visualization B: moderate limitations that may obscure small masses",
    "C": (
        "visualization C: severe limitations that significantly lower sensitivity; repeat "
        "ultrasound remains acceptable because causes can resolve, or consider an alternative "
        "modality"
    ),
}

CALCIFIED_FOCUS_NOTE = (
    "calcified focus counted as an observation: hepcalc treats a shadowing calcification as "
    "definitely benign (US-1) only when the reader says so, because whether US LI-RADS lists "
    "dense calcification as definitely benign is unverified in its sources"
)


def definitely_benign(f: Finding) -> tuple[bool, str]:
    """Whether a US finding is definitely benign for US LI-RADS, and why."""
    ft = f.features
    if ft.benign_entity is BenignCertainty.definite:
        return True, "called definitely benign by the reader"
    if f.kind is FindingKind.cyst and f.associated in (
        None,
        Associated.none,
        Associated.simple_cyst,
    ):
        complex_parts = [
            n
            for n, v in (
                ("septations", ft.septations),
                ("thick wall", ft.thick_wall),
                ("solid component", ft.solid_component),
                ("daughter cysts", ft.daughter_cysts),
            )
            if v
        ]
        if not complex_parts and not f.is_calcified:
            return True, "simple cyst"
    return False, ""


def _label(track_id: str | None, f: Finding) -> str:
    size = f"{f.size_mm:g} mm" if f.size_mm is not None else "size not given"
    name = f"track {track_id}" if track_id else "observation"
    return f"{name} ({f.kind.value}, {size})"


def _track_ids(exam: Exam, findings: list[Finding], tracks: Sequence[Track]) -> dict[int, str]:
    """The track id of each finding of ``exam``, by finding index.

    Identity first (the same objects), then equal value (a copied exam), so two equal
    findings in one exam still map to two tracks.
    """
    track_of: dict[int, str] = {}
    for t in tracks:
        for obs in t.observations:
            if obs.exam.id != exam.id:
                continue
            idx = next((i for i, f in enumerate(findings) if f is obs.finding), None)
            if idx is None:
                idx = next(
                    (i for i, f in enumerate(findings) if f == obs.finding and i not in track_of),
                    None,
                )
            if idx is not None:
                track_of[idx] = t.id
    return track_of


@dataclass
class _Sorted:
    """The exam's findings sorted into the groups US LI-RADS decides on."""

    benign: list[str] = field(default_factory=list)
    positive: list[tuple[float, str, str]] = field(default_factory=list)  # (size, track, text)
    subthreshold: list[tuple[float, str, str]] = field(default_factory=list)
    thrombus: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def _sort_findings(findings: list[Finding], track_of: dict[int, str]) -> _Sorted:
    """Thrombus in vein, definitely benign, >=10 mm (positive) or <10 mm (subthreshold)."""
    out = _Sorted()
    for i, f in enumerate(findings):
        tid = track_of.get(i, "")
        label = _label(tid, f)
        if f.features.tumor_in_vein:
            out.thrombus.append((tid, label))
            continue
        ok, why = definitely_benign(f)
        if ok:
            out.benign.append(f"{label}: {why}")
            continue
        if f.is_calcified and f.kind is FindingKind.calcification:
            out.notes.append(f"{label}: {CALCIFIED_FOCUS_NOTE}")
        # Unknown size: tiebreak towards the category asking for more work-up is not
        # a LI-RADS rule; an observation of unknown size is treated as >=10 mm so a
        # possibly positive exam is not reported as subthreshold (said in the reason).
        if f.size_mm is None:
            out.positive.append((float("inf"), tid, f"{label}: size not given, treated as >=10 mm"))
        elif f.size_mm >= 10:
            out.positive.append((f.size_mm, tid, f"{label}: >=10 mm and not definitely benign"))
        else:
            out.subthreshold.append((f.size_mm, tid, f"{label}: <10 mm and not definitely benign"))
    return out


def _category(groups: _Sorted) -> tuple[LiradsCategory, str, list[str]]:
    """The category, the track that drives it (largest first) and the reason's parts."""
    parts: list[str] = []
    if groups.thrombus:
        parts.append("thrombus in vein: " + "; ".join(t for _, t in groups.thrombus))
        parts.append(
            "US LI-RADS counts a *new* thrombus in vein as positive; whether it is new is not "
            "checked against earlier exams"
        )
        return LiradsCategory.US_3, groups.thrombus[0][0], parts
    if groups.positive:
        positive = sorted(groups.positive, key=lambda p: -p[0])
        parts.extend(p[2] for p in positive)
        parts.extend(p[2] for p in sorted(groups.subthreshold, key=lambda p: -p[0]))
        return LiradsCategory.US_3, positive[0][1], parts
    if groups.subthreshold:
        subthreshold = sorted(groups.subthreshold, key=lambda p: -p[0])
        parts.extend(p[2] for p in subthreshold)
        return LiradsCategory.US_2, subthreshold[0][1], parts
    parts.append("no observation" if not groups.benign else "only definitely benign observations")
    return LiradsCategory.US_1, "", parts


def categorize_us(exam: Exam, tracks: Sequence[Track]) -> LiradsResult:
    """US-1/2/3 and the visualization score for one surveillance ultrasound exam.

    ``LiradsResult.track`` is the id of the observation that sets the category
    (the largest one that is not definitely benign), or "none" for a US-1 exam
    with no such observation.
    """
    findings = list(exam.findings or [])
    groups = _sort_findings(findings, _track_ids(exam, findings, tracks))
    cat, driver, parts = _category(groups)
    benign, notes = groups.benign, groups.notes
    if benign:
        parts.append("definitely benign: " + "; ".join(benign))
    parts.extend(notes)
    vis = exam.visualization
    if vis is not None:
        parts.append(VISUALIZATION_TEXT[vis.value] + " (does not change management)")
    else:
        parts.append("visualization score not reported")
    cites = [MORGAN, RODGERS]
    if cat is LiradsCategory.US_2:
        cites.append(TSE)
    return LiradsResult(
        track=driver or "none",
        category=cat,
        visualization=vis,
        reason=f"{cat.value}: " + "; ".join(parts) + ".",
        exam=exam.id,
        management=US_MANAGEMENT[cat],
        citations=cites,
    )
