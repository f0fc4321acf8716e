"""FHIR R4 Bundle -> Case (hepcalc.interop) and the FHIR faces of /v1/assess."""

from __future__ import annotations

import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hepcalc.errors import InputError
from hepcalc.interop import case_from_bundle, case_from_resources, prefetch_entries
from hepcalc.interop.fhir_input import modality_of
from tests.web.conftest import (
    GROWING_1,
    GROWING_2,
    Server,
    afp,
    b64,
    bundle,
    condition,
    imaging_report,
    patient,
)


def test_bundle_maps_patient_conditions_reports_and_labs() -> None:
    case = case_from_bundle(
        bundle(
            patient(birth="1970-03-04", gender="female"),
            condition("19943007"),
            condition("61977001"),
            condition("B18.2", system="http://hl7.org/fhir/sid/icd-10-cm"),
            imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1),
            imaging_report(
                "r2", "CT abdomen with contrast", "2024-01-10", GROWING_2, as_form=False
            ),
            afp(12.5),
        )
    )
    p = case.patient
    assert p.sex.value == "female" and p.age == 53  # at the latest exam, 2024-01-10
    rf = p.risk_factors
    assert (rf.cirrhosis, rf.chronic_hbv, rf.chronic_hcv) == (True, True, True)
    assert rf.prior_hcc is None and rf.extrahepatic_malignancy is None  # unknown, not absent
    assert p.labs.afp_ng_ml == 12.5
    assert [e.id for e in case.exams] == ["r1", "r2"]
    assert [e.modality.value for e in case.exams] == ["CT", "CT"]
    assert case.exams[0].report_text == GROWING_1  # decoded from base64 presentedForm
    assert case.exams[1].report_text == GROWING_2  # from conclusion


def test_condition_status_rules() -> None:
    case = case_from_bundle(
        bundle(
            condition("19943007", verification="refuted"),
            condition("61977001", status="resolved"),  # resolved HBV: not asserted
            condition("109841003", status="resolved"),  # prior HCC: history counts
            condition("128302006", verification="entered-in-error"),
            imaging_report("r1", "US abdomen", "2024-01-10", GROWING_1),
        )
    )
    rf = case.patient.risk_factors
    assert rf.cirrhosis is False
    assert rf.chronic_hbv is None
    assert rf.prior_hcc is True
    assert rf.chronic_hcv is None


def test_infant_age_keeps_fraction() -> None:
    case = case_from_bundle(
        bundle(
            patient(birth="2023-07-10"),
            imaging_report("r1", "Ultrasound abdomen", "2024-01-10", GROWING_1),
        )
    )
    assert case.patient.age is not None and 0.4 < case.patient.age < 0.6


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("CT abdomen and pelvis", "CT"),
        ("MRI liver with gadoxetate", "MRI"),
        ("MR abdomen", "MRI"),
        ("US abdomen RUQ", "US"),
        ("Ultrasound, liver", "US"),
        ("Abdominal radiograph", "XR"),
        ("Obstetric ultrasound, fetal anatomy", "PRENATAL_US"),
        ("Lipid panel", None),
    ],
)
def test_modality_from_study_name(text: str, expected: str | None) -> None:
    assert modality_of({"code": {"text": text}}) == expected


def test_modality_from_loinc_when_no_name() -> None:
    report = {"code": {"coding": [{"system": "http://loinc.org", "code": "24532-4"}]}}
    assert modality_of(report) == "US"


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda b: b["entry"][0]["resource"].update(gender="femme"), "entry[0].resource.gender"),
        (
            lambda b: b["entry"][1]["resource"].update(status="finalised"),
            "entry[1].resource.status",
        ),
        (lambda b: b["entry"][1]["resource"].update(bogus=1), "entry[1].resource.bogus"),
        (
            lambda b: b["entry"][1]["resource"].update(effectiveDateTime="2024-13-40"),
            "entry[1].resource.effectiveDateTime",
        ),
        (
            lambda b: b["entry"][1]["resource"].update(code={"text": "Lipid panel"}),
            "entry[1].resource.code",
        ),
        (
            lambda b: b["entry"][1]["resource"]["presentedForm"][0].update(data="%%%notbase64"),
            "entry[1].resource.presentedForm[0].data",
        ),
        (lambda b: b["entry"].pop(1), "entry"),
    ],
)
def test_invalid_fhir_names_the_place(mutate: Any, field: str) -> None:
    b = bundle(patient(), imaging_report("r1", "CT abdomen", "2024-01-10", GROWING_1))
    mutate(b)
    with pytest.raises(InputError) as info:
        case_from_bundle(b)
    assert any(p.startswith(field) for p, _m in info.value.problems), info.value.problems


def test_two_reports_need_dates() -> None:
    b = bundle(
        imaging_report("r1", "CT", "2024-01-10", GROWING_1),
        imaging_report("r2", "CT", "2024-02-10", GROWING_2),
    )
    del b["entry"][1]["resource"]["effectiveDateTime"]
    with pytest.raises(InputError) as info:
        case_from_bundle(b)
    assert info.value.problems[0][0] == "entry[1].resource.effectiveDateTime"


def test_lab_in_wrong_unit_is_refused_not_converted() -> None:
    b = bundle(imaging_report("r1", "CT", "2024-01-10", GROWING_1), afp(10, unit="[IU]/mL"))
    with pytest.raises(InputError) as info:
        case_from_bundle(b)
    assert "unit" in info.value.problems[0][1]


def test_prefetch_is_lenient_about_non_imaging_reports() -> None:
    lab_report = imaging_report("lab1", "Lipid panel", "2024-01-01", "LDL 3.1")
    entries = prefetch_entries(
        {
            "patient": patient(),
            "conditions": None,
            "imagingReports": bundle(lab_report, btype="searchset"),
        }
    )
    build = case_from_resources(entries, strict=False)
    assert build.case is None
    assert build.skipped and "not an imaging report" in build.skipped[0][1]


def test_prefetch_skips_undated_reports_and_bad_lab_values() -> None:
    undated = imaging_report("r0", "CT abdomen", "2020", GROWING_1)
    negative = afp(-5)
    entries = prefetch_entries(
        {
            "patient": patient(),
            "conditions": None,
            "imagingReports": bundle(
                undated,
                imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1),
                imaging_report("r2", "CT abdomen", "2024-01-10", GROWING_2),
                btype="searchset",
            ),
            "afp": bundle(negative, btype="searchset"),
        }
    )
    build = case_from_resources(entries, strict=False)
    assert build.case is not None
    assert [e.id for e in build.case.exams] == ["r1", "r2"]
    assert build.case.patient.labs.afp_ng_ml is None
    assert any(reason == "no date" for _p, reason in build.skipped)
    with pytest.raises(InputError) as info:
        case_from_bundle(bundle(imaging_report("r1", "CT", "2024-01-10", GROWING_1), negative))
    assert info.value.problems[0][0] == "entry[1].resource.valueQuantity.value"


_json = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                [
                    "resourceType",
                    "entry",
                    "resource",
                    "status",
                    "code",
                    "text",
                    "gender",
                    "birthDate",
                    "conclusion",
                    "id",
                ]
            ),
            children,
            max_size=5,
        )
    ),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=st.fixed_dictionaries(
        {
            "resourceType": st.just("Bundle"),
            "type": st.sampled_from(["collection", "x"]),
            "entry": st.lists(st.fixed_dictionaries({"resource": _json}), max_size=4),
        }
    )
)
def test_any_bundle_gives_a_case_or_an_input_error(data: dict[str, Any]) -> None:
    """Property: arbitrary JSON in a Bundle never escapes as anything but InputError."""
    try:
        case_from_bundle(data)
    except InputError as e:
        assert e.problems


def test_rest_accepts_bundle_and_returns_fhir(server: Server) -> None:
    from fhir.resources.R4B.bundle import Bundle

    b = bundle(
        patient(),
        condition("19943007"),
        imaging_report("r1", "CT abdomen", "2023-01-10", GROWING_1),
        imaging_report("r2", "CT abdomen", "2024-01-10", GROWING_2),
    )
    with server.client() as c:
        as_json = c.post("/v1/assess", json=b)
        as_fhir = c.post(
            "/v1/assess",
            content=json.dumps(b),
            headers={"content-type": "application/fhir+json", "accept": "application/fhir+json"},
        )
    assert as_json.status_code == 200, as_json.text
    assert as_json.json()["risk"]["tier"] == "high"
    assert "cirrhosis" in as_json.json()["risk"]["factors"]
    assert as_fhir.status_code == 200
    assert as_fhir.headers["content-type"].startswith("application/fhir+json")
    out = Bundle.model_validate(as_fhir.json())
    assert out.entry


def test_rest_invalid_bundle_is_422_naming_the_resource(server: Server) -> None:
    b = bundle(patient(gender="femme"), imaging_report("r1", "CT", "2024-01-10", b64("x")))
    with server.client() as c:
        r = c.post("/v1/assess", json=b)
    assert r.status_code == 422
    assert r.json()["detail"][0]["field"] == "entry[0].resource.gender"


def test_laboratory_upper_limit_comes_from_reference_range() -> None:
    """Observation.referenceRange.high becomes the Case's own limit when its unit fits."""

    def with_range(value: float, high: object, unit: str = "ng/mL") -> dict[str, Any]:
        obs = afp(value)
        obs["referenceRange"] = [{"high": {"value": high, "unit": unit, "code": unit}}]
        return obs

    def labs_of(obs: dict[str, Any]) -> Any:
        report = imaging_report("r1", "CT abdomen", "2024-01-10", GROWING_1)
        return case_from_bundle(bundle(patient(), report, obs)).patient.labs

    assert labs_of(with_range(12, 15)).afp_uln_ng_ml == 15
    assert labs_of(with_range(12, 15, unit="mg/L")).afp_uln_ng_ml is None  # unit not accepted
    assert labs_of(with_range(12, 5_000_000)).afp_uln_ng_ml is None  # implausible: ignored
    assert labs_of(afp(12)).afp_uln_ng_ml is None
