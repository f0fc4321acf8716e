"""Every example case in ``examples/*.yaml`` renders in all five formats."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import textstat
import yaml
from fhir.resources.R4B.bundle import Bundle

from hepcalc.engine.assess import assess
from hepcalc.model import Case
from hepcalc.render import FORMATS, render

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"


def _example_files() -> list[Path]:
    return sorted(p for p in EXAMPLES.glob("*.yaml") if p.is_file())


@pytest.mark.parametrize("path", _example_files(), ids=lambda p: p.stem)
def test_example_renders_everywhere(path: Path) -> None:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict) and "exams" in data, f"{path.name} is not a Case document"
    assessment = assess(Case.model_validate(data))
    for fmt in FORMATS:
        assert render(assessment, fmt).strip()
    Bundle.model_validate(json.loads(render(assessment, "fhir")))
    patient = render(assessment, "text", "patient")
    assert textstat.flesch_kincaid_grade(patient) <= 8.0, patient


def test_there_are_examples_or_a_reason() -> None:
    if not _example_files():
        pytest.skip("examples/*.yaml not written yet")
    assert len(_example_files()) >= 1
