"""Property test: any combination of codes renders in every format, FHIR validates,
and the patient text stays at grade 8 or below (the word tables cover every code)."""

from __future__ import annotations

import datetime as dt

import textstat
from fhir.resources.R4B.bundle import Bundle
from hypothesis import given, settings
from hypothesis import strategies as st

from hepcalc.knowledge import load_kb
from hepcalc.model import (
    Action,
    Assessment,
    Category,
    Contrast,
    DifferentialItem,
    FindingResult,
    Growth,
    GrowthPoint,
    GrowthStatus,
    Location,
    Pattern,
    Recommendation,
    Risk,
    RiskTier,
)
from hepcalc.render import FORMATS, clinician_text, patient_text, render

sizes = st.one_of(st.none(), st.floats(min_value=1, max_value=120).map(lambda x: round(x, 1)))
locations = st.builds(
    Location,
    lobe=st.one_of(st.none(), st.sampled_from(["right", "left", "caudate"])),
    segment=st.one_of(st.none(), st.integers(1, 8)),
)
intervals = st.one_of(
    st.none(),
    st.tuples(st.sampled_from([0, 1, 3, 6]), st.sampled_from([3, 6, 12])).map(
        lambda t: [float(min(t)), float(max(t))]
    ),
)


@st.composite
def assessments(draw: st.DrawFn) -> Assessment:
    n = draw(st.integers(1, 3))
    findings, growth = [], []
    for i in range(n):
        track = "ABC"[i]
        size = draw(sizes)
        findings.append(
            FindingResult(
                track=track,
                category=draw(st.sampled_from(list(Category))),
                kind=draw(st.sampled_from(["calcification", "lesion", "cyst"])),
                calcified=draw(st.booleans()),
                latest_size_mm=size,
                pattern=draw(st.one_of(st.none(), st.sampled_from(list(Pattern)))),
                count=draw(st.sampled_from([1, 2, "multiple"])),
                location=draw(locations),
            )
        )
        status = draw(st.sampled_from(list(GrowthStatus)))
        pts = [
            GrowthPoint(
                exam=f"us-{k}", date=dt.date(2023, 1 + 5 * k, 1), modality="US", size_mm=size
            )
            for k in range(draw(st.integers(1, 2)))
        ]
        growth.append(
            Growth(
                track=track,
                status=status,
                from_mm=size,
                to_mm=size,
                points=pts,
            )
        )
    recs = [
        Recommendation(
            action=draw(st.sampled_from(list(Action))),
            modality=draw(st.sampled_from([None, "US", "CT", "MRI", "CT or MRI"])),
            contrast=draw(st.one_of(st.none(), st.sampled_from(list(Contrast)))),
            interval_months=draw(intervals),
            duration_months=draw(st.sampled_from([None, 12.0, 24.0])),
            rule="rule-x",
            rationale="because",
            track=draw(st.sampled_from([None, "A"])),
        )
        for _ in range(draw(st.integers(1, 3)))
    ]
    diff = [
        DifferentialItem(etiology=e, rank=r + 1)
        for r, e in enumerate(
            draw(st.lists(st.sampled_from(sorted(load_kb().etiologies)), max_size=3, unique=True))
        )
    ]
    return Assessment(
        kb_version="prop",
        risk=Risk(tier=draw(st.sampled_from(list(RiskTier)))),
        findings=findings,
        growth=growth,
        differential=diff,
        recommendations=recs,
    )


@settings(max_examples=60, deadline=None)
@given(assessments())
def test_any_assessment_renders_and_stays_plain(a: Assessment) -> None:
    for fmt in FORMATS:
        for audience in ("clinician", "patient"):
            if (fmt, audience) == ("json", "patient"):
                continue  # refused: JSON carries both summaries
            assert render(a, fmt, audience).strip()
    Bundle.model_validate_json(render(a, "fhir"))
    Bundle.model_validate_json(render(a, "fhir", "patient"))
    text = patient_text(a)
    assert textstat.flesch_kincaid_grade(text) <= 8.0, text
    assert len(render(a, "text").split("\nREFERENCES\n")[0]) <= 3500
    assert len(clinician_text(a)) <= 1500
