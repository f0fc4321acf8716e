"""Cases every rendering test runs on: the examples, hand-written vignettes, report texts.

Why so many sources: the limits (note <= 1,500 characters, report <= 3,500
before the references, patient grade <= 8) and the glitch scan must hold for
cases nobody tuned the wording on. The hand-written vignettes cover the
contexts the patient text must handle (a large mass, known cancer, a child, a
fetus, symptoms already present, CT-to-CT growth, hydatid with daughter cysts,
many findings); the development report texts (``tests/data/reports/dev*.jsonl``,
the reader's tuning split, never the held-out ones) add free-text cases; the
differential tuning vignettes join when that file exists (cases only; the blind
file is never read).
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

from hepcalc.model import Assessment, Case

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
REPORTS = ROOT / "tests" / "data" / "reports"
TUNE = ROOT / "tests" / "data" / "differential" / "vignettes_tune.jsonl"


def _us(date: str, findings: list[dict[str, Any]], modality: str = "US") -> dict[str, Any]:
    return {"date": date, "modality": modality, "findings": findings}


VIGNETTES: dict[str, dict[str, Any]] = {
    "mass-7cm-calcified": {
        "patient": {"age": 61, "sex": "female"},
        "exams": [
            {
                "modality": "CT",
                "contrast": "iv",
                "findings": [
                    {
                        "kind": "lesion",
                        "size_mm": 70,
                        "calcified": True,
                        "pattern": "central",
                        "location": {"segment": 6},
                        "associated": "solid_mass",
                    }
                ],
            }
        ],
    },
    "known-cancer-two-spots": {
        "patient": {"age": 66, "sex": "male", "risk_factors": {"extrahepatic_malignancy": True}},
        "exams": [
            {
                "modality": "CT",
                "findings": [
                    {"kind": "calcification", "size_mm": 9, "location": {"segment": 4}},
                    {"kind": "calcification", "size_mm": 5, "location": {"segment": 7}},
                ],
            }
        ],
    },
    "newborn": {
        "patient": {"age": 0.05, "sex": "male"},
        "exams": [{"modality": "US", "findings": [{"kind": "calcification", "size_mm": 4}]}],
    },
    "child-8y-mass": {
        "patient": {"age": 8, "sex": "female"},
        "exams": [
            {
                "modality": "US",
                "findings": [{"kind": "lesion", "size_mm": 45, "calcified": True}],
            }
        ],
    },
    "fetus-two-spots": {
        "patient": {"gestational_age_weeks": 22},
        "exams": [
            {
                "modality": "PRENATAL_US",
                "findings": [{"kind": "calcification", "size_mm": 2, "count": 2}],
            }
        ],
    },
    "jaundice-fever": {
        "patient": {"age": 54, "sex": "female", "symptoms": ["jaundice", "fever"]},
        "exams": [{"modality": "US", "findings": [{"kind": "calcification", "size_mm": 6}]}],
    },
    "pain-only": {
        "patient": {"age": 40, "sex": "male", "symptoms": ["abdominal_pain"]},
        "exams": [{"modality": "US", "findings": [{"kind": "calcification", "size_mm": 3}]}],
    },
    "ct-to-ct-growth": {
        "patient": {"age": 58, "sex": "male"},
        "exams": [
            _us("2023-01-10", [{"kind": "calcification", "size_mm": 10, "track": "A"}], "CT"),
            _us("2024-01-10", [{"kind": "calcification", "size_mm": 19, "track": "A"}], "CT"),
        ],
    },
    "ct-stable-same-size": {
        "patient": {"age": 50, "sex": "female"},
        "exams": [
            _us("2022-03-01", [{"kind": "calcification", "size_mm": 3, "track": "A"}], "CT"),
            _us("2024-03-01", [{"kind": "calcification", "size_mm": 3, "track": "A"}], "CT"),
        ],
    },
    "hydatid-daughter-cysts": {
        "patient": {"age": 35, "sex": "male", "risk_factors": {"endemic_exposure": True}},
        "exams": [
            {
                "modality": "CT",
                "findings": [
                    {
                        "kind": "cyst",
                        "size_mm": 80,
                        "calcified": True,
                        "pattern": "rim",
                        "features": {"daughter_cysts": True},
                    }
                ],
            }
        ],
    },
    "cirrhosis-us-growth": {
        "patient": {"age": 63, "sex": "male", "risk_factors": {"cirrhosis": True}},
        "exams": [
            _us("2023-05-01", [{"kind": "lesion", "size_mm": 12, "calcified": True, "track": "A"}]),
            _us("2023-11-01", [{"kind": "lesion", "size_mm": 22, "calcified": True, "track": "A"}]),
        ],
    },
    "three-findings-us": {
        "patient": {"age": 45, "sex": "female"},
        "exams": [
            _us(
                "2023-01-01",
                [
                    {"kind": "calcification", "size_mm": 5, "track": "A"},
                    {"kind": "calcification", "size_mm": 7, "track": "B"},
                    {"kind": "calcification", "size_mm": 9, "track": "C"},
                ],
            ),
            _us(
                "2023-07-01",
                [
                    {"kind": "calcification", "size_mm": 5, "track": "A"},
                    {"kind": "calcification", "size_mm": 8, "track": "B"},
                    {"kind": "calcification", "size_mm": 15, "track": "C"},
                ],
            ),
        ],
    },
    "mri-to-ct-not-comparable": {
        "patient": {"age": 70, "sex": "female"},
        "exams": [
            _us("2022-01-01", [{"kind": "calcification", "size_mm": 6, "track": "A"}], "MRI"),
            _us("2023-01-01", [{"kind": "calcification", "size_mm": 7, "track": "A"}], "CT"),
        ],
    },
    "resolved": {
        "patient": {"age": 30, "sex": "male"},
        "exams": [
            {
                "date": "2022-01-01",
                "modality": "CT",
                "findings": [{"kind": "calcification", "size_mm": 4, "track": "A"}],
            },
            {
                "date": "2023-01-01",
                "modality": "CT",
                "findings": [
                    {"kind": "calcification", "size_mm": 4, "track": "A", "comparison": "resolved"}
                ],
            },
        ],
    },
    "many-findings": {
        "patient": {"age": 59, "sex": "male", "risk_factors": {"extrahepatic_malignancy": True}},
        "exams": [
            {
                "modality": "CT",
                "findings": [
                    {
                        "kind": "calcification",
                        "size_mm": 3 + i,
                        "track": f"T{i}",
                        "location": {"segment": 1 + i % 8},
                    }
                    for i in range(12)
                ],
            }
        ],
    },
}


def _valid_case(data: Any) -> Case | None:
    try:
        return Case.model_validate(data)
    except Exception:  # a vignette the current model refuses is skipped, not an error here
        return None


@lru_cache(maxsize=1)
def all_cases() -> tuple[tuple[str, Case], ...]:
    """(name, Case) for every example, vignette, development report and tuning vignette."""
    cases: list[tuple[str, Case]] = []
    for path in sorted(EXAMPLES.glob("*.yaml")):
        case = _valid_case(yaml.safe_load(path.read_text(encoding="utf-8")))
        if case is not None:
            cases.append((f"example:{path.stem}", case))
    for name, data in VIGNETTES.items():
        case = _valid_case(data)
        if case is not None:
            cases.append((f"vignette:{name}", case))
    for path in sorted(REPORTS.glob("dev*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            if not row.get("expected"):
                continue  # negatives have nothing to render beyond the default
            modality = row.get("modality") or "US"
            case = _valid_case(
                {"exams": [{"modality": modality, "report_text": row["text"]}], "id": row["id"]}
            )
            if case is not None:
                cases.append((f"report:{row['id']}", case))
    if TUNE.is_file():
        for i, line in enumerate(TUNE.read_text(encoding="utf-8").splitlines()):
            if not line.strip():
                continue
            row = json.loads(line)
            case = _valid_case(row.get("case", row))
            if case is not None:
                cases.append((f"tune:{row.get('id', i)}", case))
    return tuple(cases)


@lru_cache(maxsize=1)
def all_assessments() -> tuple[tuple[str, Assessment], ...]:
    """Every case assessed once through the pipeline (summaries filled), for all tests."""
    from hepcalc.pipeline import assess

    out: list[tuple[str, Assessment]] = []
    for name, case in all_cases():
        try:
            out.append((name, assess(case)))
        except Exception as e:  # InputError for a case the engine refuses: say which
            from hepcalc.errors import InputError

            if isinstance(e, InputError):
                continue
            raise
    return tuple(out)
