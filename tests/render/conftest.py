"""Hand-built Assessments covering the scenarios the renderings must handle.

They are built directly from the contract types (not by the engine) so the
render tests pin render behaviour only; ``test_examples.py`` additionally
renders whatever the engine produces for ``examples/*.yaml`` once both exist.
"""

from __future__ import annotations

import datetime as dt

import pytest

from hepcalc.model import (
    Assessment,
    DifferentialItem,
    Evidence,
    FindingResult,
    Growth,
    GrowthPoint,
    LiradsResult,
    Location,
    Recommendation,
    ReferenceOut,
    Risk,
    Warning,
)

KB = "1.0.0+test"

REFS = {
    "Sirli2024": ReferenceOut(
        key="Sirli2024",
        text="Sirli R, et al. WFUMB review paper. Incidental findings in otherwise healthy "
        "subjects, how to manage: liver. Cancers 2024.",
        strength="guideline",
        doi="10.3390/cancers16162908",
    ),
    "Darlak1980": ReferenceOut(
        key="Darlak1980",
        text="Darlak JJ, Moskowitz M, Kattan KR. Calcifications in the liver. Radiol Clin "
        "North Am 1980.",
        strength="review",
        doi="10.1016/S0033-8389(22)01929-7",
    ),
    "Adams2017": ReferenceOut(
        key="Adams2017",
        text="Adams LC, et al. Diagnostic performance of susceptibility-weighted MRI for the "
        "detection of calcifications. Sci Rep 2017.",
        strength="systematic_review",
        doi="10.1038/s41598-017-15860-1",
        pmid="29138506",
    ),
    "Gore2017": ReferenceOut(
        key="Gore2017",
        text="Gore RM, et al. Management of incidental liver lesions on CT. J Am Coll Radiol 2017.",
        strength="guideline",
        pmid="28818386",
    ),
    "Chernyak2018": ReferenceOut(
        key="Chernyak2018",
        text="Chernyak V, et al. LI-RADS v2018. Radiology 2018.",
        strength="guideline",
        doi="10.1148/radiol.2018181494",
    ),
    "Lee2015-MCN": ReferenceOut(
        key="Lee2015-MCN",
        text="Lee CW, et al. Intrahepatic biliary mucinous cystic neoplasms. BMC Gastroenterol "
        "2015.",
        strength="study",
        doi="10.1186/s12876-015-0293-3",
    ),
    "Simchen2002": ReferenceOut(
        key="Simchen2002",
        text="Simchen MJ, et al. Fetal hepatic calcifications: prenatal diagnosis and outcome. "
        "Am J Obstet Gynecol 2002.",
        strength="study",
        doi="10.1067/mob.2002.127899",
        pmid="12501073",
    ),
}


def _refs(*keys: str) -> list[ReferenceOut]:
    return [REFS[k] for k in keys]


def _risk_low() -> Risk:
    return Risk(
        tier="low",
        factors=[],
        unknown=["chronic_hbv", "chronic_hcv"],
        assumptions=["hepatitis B and C status unknown: treated as low risk, stated here"],
    )


@pytest.fixture
def punctate_low_risk() -> Assessment:
    """Isolated 4 mm punctate calcification, low risk, nothing to do."""
    return Assessment(
        kb_version=KB,
        risk=_risk_low(),
        findings=[
            FindingResult(
                track="A",
                category="isolated_calcification",
                kind="calcification",
                calcified=True,
                latest_size_mm=4,
                exams=["us-2024-01-10"],
                pattern="punctate",
                location=Location(lobe="right", segment=7),
                associated="none",
                evidence=[
                    Evidence(
                        sentence="4 mm punctate calcification in segment 7.",
                        start=120,
                        end=162,
                        section="FINDINGS",
                    )
                ],
                category_reason="calcification without an associated soft-tissue lesion",
            )
        ],
        growth=[Growth(track="A", status="new", explanation="first exam of this finding")],
        differential=[
            DifferentialItem(
                etiology="calcified_granuloma",
                rank=1,
                supporting=["punctate pattern", "no soft-tissue component"],
                against=[],
                citations=["Darlak1980"],
                name="Calcified granuloma",
            ),
            DifferentialItem(
                etiology="hemangioma",
                rank=2,
                supporting=[],
                against=["hemangioma calcifies rarely (<10-20%)"],
                citations=["Darlak1980"],
            ),
        ],
        recommendations=[
            Recommendation(
                action="no_further_workup",
                rule="isolated-calcification-low-risk",
                rationale="Isolated calcification with a typical benign appearance in a low-risk "
                "adult needs no further imaging.",
                citations=["Sirli2024"],
                track="A",
            )
        ],
        references=_refs("Darlak1980", "Sirli2024"),
    )


@pytest.fixture
def seed000_growth() -> Assessment:
    """Seed 000: 14 -> 25 mm on US, and 9 -> 8 mm: growth beyond variability."""
    pts_a = [
        GrowthPoint(exam="us-2023-06", date=dt.date(2023, 6, 10), modality="US", size_mm=14),
        GrowthPoint(exam="us-2023-12", date=dt.date(2023, 12, 17), modality="US", size_mm=25),
    ]
    pts_b = [
        GrowthPoint(exam="us-2023-06", date=dt.date(2023, 6, 10), modality="US", size_mm=9),
        GrowthPoint(exam="us-2023-12", date=dt.date(2023, 12, 17), modality="US", size_mm=8),
    ]
    return Assessment(
        kb_version=KB,
        risk=Risk(tier="low", unknown=["cirrhosis", "chronic_hbv", "chronic_hcv"]),
        findings=[
            FindingResult(
                track="A",
                category="isolated_calcification",
                kind="calcification",
                calcified=True,
                latest_size_mm=25,
                exams=["us-2023-06", "us-2023-12"],
                location=Location(lobe="right"),
            ),
            FindingResult(
                track="B",
                category="isolated_calcification",
                kind="calcification",
                calcified=True,
                latest_size_mm=8,
                exams=["us-2023-06", "us-2023-12"],
                location=Location(segment=3),
            ),
        ],
        growth=[
            Growth(
                track="A",
                status="significant_growth",
                from_mm=14,
                to_mm=25,
                interval_days=190,
                change_mm=11,
                change_pct=78.6,
                exceeds_measurement_variability=True,
                lirads_threshold_growth=False,
                explanation="+79% exceeds the ~35% limits of agreement of 2D ultrasound.",
                variability_mm=4.9,
                variability_basis="derived US diameter LOA",
                points=pts_a,
                citations=["Sirli2024"],
            ),
            Growth(
                track="B",
                status="within_variability",
                from_mm=9,
                to_mm=8,
                interval_days=190,
                change_mm=-1,
                change_pct=-11.1,
                exceeds_measurement_variability=False,
                points=pts_b,
            ),
        ],
        differential=[
            DifferentialItem(
                etiology="calcified_granuloma",
                rank=1,
                supporting=["dense calcification"],
                against=["apparent growth"],
                citations=["Darlak1980"],
                track="A",
            ),
        ],
        recommendations=[
            Recommendation(
                action="noncontrast_ct",
                modality="CT",
                contrast="none",
                rule="growth-beyond-variability-confirm-ct",
                rationale="Apparent growth beyond US measurement variability: confirm that it is "
                "calcium and measure it on non-contrast CT.",
                citations=["Adams2017"],
                track="A",
                assumptions=["no soft-tissue component reported"],
            )
        ],
        warnings=[
            Warning(
                code="derived_threshold",
                text="The growth threshold is a derived heuristic, not a guideline rule.",
                citations=["Sirli2024"],
            )
        ],
        references=_refs("Sirli2024", "Darlak1980", "Adams2017"),
    )


@pytest.fixture
def cirrhosis_lr4() -> Assessment:
    """Cirrhosis with a 15 mm calcified observation categorized LR-4."""
    return Assessment(
        kb_version=KB,
        risk=Risk(tier="high", factors=["cirrhosis", "chronic_hbv"]),
        findings=[
            FindingResult(
                track="A",
                category="calcified_solid_lesion",
                kind="lesion",
                calcified=True,
                latest_size_mm=15,
                exams=["mri-2024-03-01"],
                pattern="coarse",
                location=Location(lobe="right", segment=8),
                associated="solid_mass",
            )
        ],
        growth=[Growth(track="A", status="new")],
        lirads=[
            LiradsResult(
                track="A",
                category="LR-4",
                visualization=None,
                reason="10-19 mm with nonrim APHE and no other major feature",
                exam="mri-2024-03-01",
                management="multidisciplinary discussion; repeat or alternative imaging in <=3 "
                "months, or biopsy",
                citations=["Chernyak2018"],
            )
        ],
        differential=[
            DifferentialItem(
                etiology="hepatocellular_carcinoma",
                rank=1,
                supporting=["cirrhosis", "APHE"],
                against=["calcification is rare in untreated HCC"],
                citations=["Chernyak2018"],
            ),
            DifferentialItem(etiology="hemangioma", rank=2, citations=["Darlak1980"]),
        ],
        recommendations=[
            Recommendation(
                action="multidisciplinary_discussion",
                rule="lirads-lr4",
                rationale="LR-4: probably HCC.",
                citations=["Chernyak2018"],
                track="A",
            ),
            Recommendation(
                action="characterize_contrast_imaging",
                modality="MRI",
                contrast="hepatobiliary",
                interval_months=[0, 3],
                rule="lirads-lr4",
                rationale="Repeat or alternative diagnostic imaging in 3 months or less.",
                citations=["Chernyak2018"],
                track="A",
            ),
            Recommendation(
                action="hcc_surveillance",
                modality="US",
                interval_months=[6],
                rule="hcc-surveillance-cirrhosis",
                rationale="Cirrhosis: 6-monthly ultrasound surveillance.",
                citations=["Chernyak2018"],
            ),
        ],
        references=_refs("Chernyak2018", "Darlak1980"),
    )


@pytest.fixture
def cystic_septations() -> Assessment:
    """Calcified cystic lesion with septations in a 50-year-old woman."""
    return Assessment(
        kb_version=KB,
        risk=Risk(tier="low", factors=[], unknown=["endemic_exposure"]),
        findings=[
            FindingResult(
                track="A",
                category="calcified_cystic_lesion",
                kind="cyst",
                calcified=True,
                latest_size_mm=48,
                exams=["ct-2024-05-02"],
                pattern="coarse",
                location=Location(lobe="left", segment=4, subsegment="a"),
                associated="complex_cyst",
            )
        ],
        growth=[Growth(track="A", status="new")],
        differential=[
            DifferentialItem(
                etiology="mucinous_cystic_neoplasm",
                rank=1,
                supporting=["septations", "coarse mural calcification", "middle-aged woman"],
                citations=["Lee2015-MCN"],
            ),
            DifferentialItem(
                etiology="hydatid_cyst",
                rank=2,
                supporting=["calcified wall"],
                against=["no daughter cysts"],
                citations=["Lee2015-MCN"],
            ),
        ],
        recommendations=[
            Recommendation(
                action="characterize_contrast_imaging",
                modality="MRI",
                contrast="iv",
                rule="calcified-complex-cyst",
                rationale="Septated calcified cyst: MRI to characterize.",
                citations=["Lee2015-MCN"],
                track="A",
            ),
            Recommendation(
                action="surgical_consultation",
                rule="calcified-complex-cyst",
                rationale="Mucinous cystic neoplasm cannot be excluded; resection is advised "
                "for MCN.",
                citations=["Lee2015-MCN"],
                track="A",
            ),
        ],
        references=_refs("Lee2015-MCN"),
    )


@pytest.fixture
def prenatal() -> Assessment:
    """Isolated fetal hepatic calcification at 20 weeks."""
    return Assessment(
        kb_version=KB,
        risk=Risk(tier="pediatric", assumptions=["fetal finding on prenatal ultrasound"]),
        findings=[
            FindingResult(
                track="A",
                category="isolated_calcification",
                kind="calcification",
                calcified=True,
                latest_size_mm=2,
                exams=["prenatal-2024-02-01"],
                location=Location(lobe="right"),
            )
        ],
        growth=[
            Growth(
                track="A",
                status="new",
                points=[
                    GrowthPoint(
                        exam="prenatal-2024-02-01",
                        date=dt.date(2024, 2, 1),
                        modality="PRENATAL_US",
                        size_mm=2,
                    )
                ],
            )
        ],
        differential=[
            DifferentialItem(
                etiology="congenital_infection",
                rank=2,
                supporting=["classic association"],
                against=["infection found in only ~0-5% of isolated cases"],
                citations=["Simchen2002"],
            ),
            DifferentialItem(
                etiology="vascular_calcification",
                rank=1,
                supporting=["isolated parenchymal focus"],
                citations=["Simchen2002"],
            ),
        ],
        recommendations=[
            Recommendation(
                action="laboratory_tests",
                rule="prenatal-isolated-workup",
                rationale="Maternal TORCH and parvovirus B19 serology; offer karyotype if other "
                "anomalies.",
                citations=["Simchen2002"],
            ),
            Recommendation(
                action="follow_up_imaging",
                modality="US",
                interval_months=[1, 2],
                rule="prenatal-isolated-workup",
                rationale="Detailed anatomy scan follow-up and postnatal ultrasound.",
                citations=["Simchen2002"],
            ),
        ],
        references=_refs("Simchen2002"),
    )


@pytest.fixture(
    params=["punctate_low_risk", "seed000_growth", "cirrhosis_lr4", "cystic_septations", "prenatal"]
)
def any_case(request: pytest.FixtureRequest) -> Assessment:
    return request.getfixturevalue(request.param)
