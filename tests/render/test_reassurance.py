"""No reassuring word where the case is not safe: one predicate for the opening and
the cause's name, in English and Traditional Chinese (issue 14, false reassurance).

A harmless-named cause (hemangioma, FNH, a cyst with a calcified rim, an isolated
fetal focus) is varied over what makes reassurance unsafe: size, growth, a known
cancer, symptoms, several foci in a child. The base case must reassure, so the
properties cannot pass by never reassuring.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.model import Action, Assessment, DifferentialItem, Growth, Recommendation, RiskTier
from hepcalc.render import patient_text
from hepcalc.render.patient import REASSURE_BELOW_MM, reassurance_allowed

HARMLESS_EN = ("harmless", "Most are", "benign")
HARMLESS_ZH = ("無害", "良性", "大多數")
CAUSES = ("hemangioma", "focal_nodular_hyperplasia", "cyst_prior_hemorrhage")


def _variant(
    base: Assessment,
    cause: str = "hemangioma",
    size: float = 6,
    grew: bool = False,
    cancer: bool = False,
    symptom: str | None = None,
    count: int = 1,
    child: bool = False,
    settled: bool = True,
) -> Assessment:
    """The base case (a small, settled spot in a low-risk adult) with what a test changes."""
    a = base.model_copy(deep=True)
    if not settled:  # a next step is still open (a CT to confirm what it is)
        a.recommendations = [
            Recommendation(
                action=Action.noncontrast_ct,
                rule="growth-confirm-ct",
                rationale="Confirm size and nature with non-contrast CT.",
                citations=["Ray2010"],
                track="A",
            )
        ]
    f = a.findings[0]
    f.latest_size_mm = size
    f.count = count
    a.differential = [
        DifferentialItem(etiology=cause, rank=1, likelihood="high", probability=0.8, track="A")
    ]
    if grew:
        a.growth = [Growth(track="A", status="significant_growth", explanation="grew on CT")]
    if cancer:
        a.risk.factors.append("extrahepatic_malignancy")
    if symptom:
        a.risk.factors.append(f"symptom:{symptom}")
    if child:
        a.risk.tier = RiskTier.pediatric
    return a


def test_a_small_settled_spot_with_a_harmless_cause_reassures(
    punctate_low_risk: Assessment,
) -> None:
    a = _variant(punctate_low_risk)
    assert reassurance_allowed(a, a.findings[0])
    assert "harmless" in patient_text(a)
    assert "無害" in patient_text(a, "zh-Hant") or "良性" in patient_text(a, "zh-Hant")


def test_a_large_finding_still_in_work_up_is_named_without_harmless(
    punctate_low_risk: Assessment,
) -> None:
    a = _variant(punctate_low_risk, size=70, settled=False)
    text = patient_text(a)
    assert "a tangle of blood vessels (hemangioma)" in text
    assert "harmless" not in text
    assert "血管團（血管瘤）" in patient_text(a, "zh-Hant")


def test_a_large_settled_hemangioma_may_be_called_harmless(punctate_low_risk: Assessment) -> None:
    """Characterised, nothing more to do: 'harmless' is the truth, not false comfort."""
    a = _variant(punctate_low_risk, size=70)
    assert reassurance_allowed(a, a.findings[0])
    assert "harmless" in patient_text(a)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cause=st.sampled_from(CAUSES),
    size=st.floats(min_value=1, max_value=150, allow_nan=False),
    grew=st.booleans(),
    cancer=st.booleans(),
    symptom=st.sampled_from([None, "jaundice", "fever", "weight_loss"]),
    count=st.sampled_from([1, 3]),
    child=st.booleans(),
    settled=st.booleans(),
)
def test_unsafe_cases_never_hear_a_reassuring_word(
    punctate_low_risk: Assessment,
    cause: str,
    size: float,
    grew: bool,
    cancer: bool,
    symptom: str | None,
    count: int,
    child: bool,
    settled: bool,
) -> None:
    a = _variant(punctate_low_risk, cause, size, grew, cancer, symptom, count, child, settled)
    unsafe = (
        (size >= REASSURE_BELOW_MM and not settled)
        or grew
        or cancer
        or symptom is not None
        or (child and count > 1)
    )
    assert reassurance_allowed(a, a.findings[0]) is not unsafe
    if unsafe:
        en, zh = patient_text(a), patient_text(a, "zh-Hant")
        assert not any(word in en for word in HARMLESS_EN), en
        assert not any(word in zh for word in HARMLESS_ZH), zh
