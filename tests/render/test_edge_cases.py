"""Edge cases every rendering must survive: no findings, empty LI-RADS, odd counts."""

from __future__ import annotations

import json

import textstat
from fhir.resources.R4B.bundle import Bundle

from hepcalc.model import Assessment, FindingResult, LiradsResult, Location
from hepcalc.render import FORMATS, patient_text, render


def test_no_findings_renders_everywhere(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(
        update={"findings": [], "growth": [], "differential": []}, deep=True
    )
    for fmt in FORMATS:
        assert render(a, fmt).strip()
    assert render(a, "sentence").startswith("No hepatic calcification or lesion identified")
    Bundle.model_validate_json(render(a, "fhir"))
    assert textstat.flesch_kincaid_grade(patient_text(a)) <= 8


def test_lirads_applies_but_nothing_categorized(cirrhosis_lr4: Assessment) -> None:
    a = cirrhosis_lr4.model_copy(update={"lirads": []}, deep=True)
    assert "no observation categorized" in render(a, "text", detail=True)
    assert "LI-RADS applies; no observation categorized." in render(a, "html")


def test_multiple_calcifications_and_unknown_etiology(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.findings[0].count = "multiple"
    a.differential[0].etiology = "some_new_etiology_id"
    a.differential[0].name = ""
    sentence = render(a, "sentence")
    assert sentence.startswith("Multiple punctate hepatic calcifications, up to 4 mm")
    text = patient_text(a)
    assert "several small spots" in text
    assert "Doctors cannot yet say what this is" in text  # unknown id: no guess


def test_noncalcified_lesion_is_not_coded_as_calcification(cirrhosis_lr4: Assessment) -> None:
    a = cirrhosis_lr4.model_copy(deep=True)
    a.findings.append(
        FindingResult(
            track="B",
            category="noncalcified_lesion",
            kind="lesion",
            calcified=False,
            latest_size_mm=12,
            location=Location(segment=2),
        )
    )
    a.lirads = [*(a.lirads or []), LiradsResult(track="B", category="LR-3")]
    bundle = json.loads(render(a, "fhir"))
    Bundle.model_validate(bundle)
    obs = [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Observation"]
    b = next(o for o in obs if "not calcified" in o["code"]["text"])
    assert "18115005" not in json.dumps(b["valueCodeableConcept"])
