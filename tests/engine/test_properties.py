"""Property: any valid Case gives a valid Assessment with >= 1 recommendation whose
citations all resolve, deterministically."""

from __future__ import annotations

import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.engine.assess import assess
from hepcalc.knowledge import load_kb
from hepcalc.model import (
    RISK_FACTOR_NAMES,
    Assessment,
    Associated,
    Case,
    Contrast,
    FindingKind,
    Modality,
    Pattern,
    Sex,
    Symptom,
)

maybe_bool = st.none() | st.booleans()

features = st.fixed_dictionaries(
    {},
    optional={
        k: st.booleans()
        for k in (
            "aphe",
            "washout",
            "capsule",
            "rim_aphe",
            "targetoid",
            "tumor_in_vein",
            "signal_void",
            "peripheral_nodular_enhancement",
            "septations",
            "thick_wall",
            "solid_component",
            "daughter_cysts",
            "suspicious_imaging_features",
            "flash_filling",
            "benign_imaging_features",
        )
    },
)

finding = st.fixed_dictionaries(
    {"kind": st.sampled_from([k.value for k in FindingKind])},
    optional={
        "size_mm": st.floats(min_value=0.5, max_value=250, allow_nan=False),
        "count": st.integers(1, 20) | st.just("multiple"),
        "calcified": st.booleans(),
        "pattern": st.sampled_from([p.value for p in Pattern]),
        "associated": st.sampled_from([a.value for a in Associated]),
        "location": st.fixed_dictionaries(
            {},
            optional={
                "lobe": st.sampled_from(["right", "left", "caudate"]),
                "segment": st.integers(1, 8),
            },
        ),
        "features": features,
        "track": st.sampled_from(["A", "B"]),
    },
)


@st.composite
def cases(draw: st.DrawFn) -> dict:
    n = draw(st.integers(1, 3))
    start = dt.date(2020, 1, 1)
    days = sorted(draw(st.lists(st.integers(0, 2000), min_size=n, max_size=n, unique=True)))
    exams = []
    for i in range(n):
        fs = draw(st.lists(finding, max_size=3))
        # an explicit track may appear once per exam only
        seen: set[str] = set()
        for f in fs:
            if f.get("track") in seen:
                f.pop("track")
            elif "track" in f:
                seen.add(f["track"])
        exam = {
            "modality": draw(st.sampled_from([m.value for m in Modality])),
            "date": (start + dt.timedelta(days=days[i])).isoformat(),
            "findings": fs,
        }
        c = draw(st.none() | st.sampled_from([c.value for c in Contrast]))
        if c:
            exam["contrast"] = c
        exams.append(exam)
    rf = {k: draw(maybe_bool) for k in RISK_FACTOR_NAMES}
    patient = {
        "risk_factors": {k: v for k, v in rf.items() if v is not None},
        "sex": draw(st.sampled_from([s.value for s in Sex])),
        "symptoms": draw(
            st.lists(st.sampled_from([s.value for s in Symptom]), max_size=2, unique=True)
        ),
        "labs": draw(
            st.fixed_dictionaries(
                {}, optional={"afp_ng_ml": st.floats(0, 5000), "alt_u_l": st.floats(0, 2000)}
            )
        ),
    }
    age = draw(st.none() | st.floats(0, 120))
    if age is not None:
        patient["age"] = age
    return {"patient": patient, "exams": exams}


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_any_valid_case_gives_a_valid_cited_assessment(data: dict) -> None:
    case = Case.model_validate(data)
    a = assess(case)
    Assessment.model_validate(a.model_dump())  # round-trips through the contract
    assert a.recommendations
    keys = load_kb().references
    for r in a.recommendations:
        assert r.citations and all(k in keys for k in r.citations)
        assert r.rule in load_kb().rules
    for w in a.warnings:
        assert all(k in keys for k in w.citations)
    for d in a.differential:
        assert all(k in keys for k in d.citations)
    assert a.to_json() == assess(case).to_json()
