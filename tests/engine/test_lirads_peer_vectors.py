"""The 303 LI-RADS test vectors of five public implementations, scored against v2018.

Each row of ``../shared/data/lirads_peer_vectors.csv`` carries the inputs a peer
tested and ``expected_v2018_recomputed``, the answer recomputed from the v2018
Core. hepcalc must give that answer on every row where it is computable (rows
marked UNDETERMINED have incomplete inputs). LR-TIV rows also check the
etiology subtype: the peer's own subtype where the peer is right, the v2018 one
(mass LR-5 -> "definitely due to HCC") where it is not.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from hepcalc.engine.lirads import (
    TIV_DEFINITE,
    TIV_NON_HCC,
    TIV_PROBABLE,
    categorize_features,
    lirads_applies,
)
from hepcalc.model import Patient, RiskFactors

CSV_REL = "data/lirads_peer_vectors.csv"
# Same location rule as tests/conftest.py (used here at collection time, to parametrize).
SHARED = Path(
    os.environ.get("HEPCALC_SHARED", Path(__file__).resolve().parents[2].parent / "shared")
)

TARGETOID = {
    "rim_aphe",
    "peripheral_washout",
    "delayed_central_enhancement",
    "targetoid_on_dwi",
    "targetoid_on_transitional_phase",
    "lrm_rim_aphe",
    "lrm_peripheral_washout",
    "lrm_delayed_central_enhancement",
    "peripheral washout",
}
NONTARGETOID = {
    "infiltrative_appearance",
    "infiltrative",
    "lrm_infiltrative",
    "lrm_marked_restriction",
    "lrm_necrosis",
    "lrm_other",
}
STATED_LRM = {"malignant non-hcc appearance", "malignancy not hcc"}


def _rows() -> Iterator[Any]:
    path = SHARED / CSV_REL
    if not path.exists():  # collected without the shared data: one skipping placeholder
        yield pytest.param(None, id="shared-data-absent")
        return
    with Path(path).open(newline="", encoding="utf-8") as fh:
        for i, row in enumerate(csv.DictReader(fh)):
            yield pytest.param(
                row, id=f"{i:03d}-{row['source_repo'].split('/')[1]}-{row['case_id']}"
            )


def _split(cell: str) -> list[str]:
    return [p.strip() for p in cell.split(";") if p.strip()]


def _bool(cell: str) -> bool:
    return cell.strip() == "True"


def inputs(row: dict[str, str]) -> dict[str, Any]:
    """The CSV row as categorize_features keyword arguments."""
    targetoid: list[str] = []
    nontargetoid: list[str] = []
    stated = False
    for feat in _split(row["lrm_features"]):
        key = feat.lower()
        if key in TARGETOID:
            targetoid.append(feat)
        elif key in NONTARGETOID:
            nontargetoid.append(feat)
        elif key in STATED_LRM:
            stated = True
        else:  # pragma: no cover - a new vocabulary in the CSV must be mapped on purpose
            raise AssertionError(f"unmapped LR-M feature {feat!r}")
    detail = row["tiv_detail"]
    if "contiguous targetoid mass" in detail:
        targetoid.append("contiguous targetoid mass")
    return {
        "lr_nc": _bool(row["lr_nc"]),
        "tumor_in_vein": _bool(row["tiv"]),
        "benign": row["benign"] or None,
        "lrm_targetoid": targetoid,
        "lrm_nontargetoid": nontargetoid,
        "lrm_stated": stated,
        "aphe": row["aphe"] or None,
        "size_mm": float(row["size_mm"]) if row["size_mm"] else None,
        "washout": _bool(row["washout"]),
        "washout_phase": row["washout_phase"] or None,
        "contrast": row["contrast"] or None,
        "capsule": _bool(row["capsule"]),
        "threshold_growth": _bool(row["threshold_growth"]),
        "af_malignancy": _split(row["af_malignancy"]),
        "af_benignity": _split(row["af_benignity"]),
    }


def expected_tiv_subtype(row: dict[str, str]) -> str | None:
    """The v2018 subtype for an LR-TIV row, or None when the row cannot tell."""
    source = row["expected_by_source"]
    detail = row["tiv_detail"]
    if "targetoid mass" in detail and "nontargetoid" not in detail:
        return TIV_NON_HCC
    if "not contiguous" in detail:
        return TIV_PROBABLE
    if "mass by table = LR-5" in detail:
        return TIV_DEFINITE
    if "mass by table = LR-" in detail:
        return TIV_PROBABLE
    for sub in (TIV_NON_HCC, TIV_DEFINITE, TIV_PROBABLE):
        if sub in source and row["tiv_subtype_check"] == "ok":
            return sub
    return None


def hepcalc_answer(row: dict[str, str]) -> tuple[str, str | None]:
    """hepcalc's category text for a row ("N/A ..." outside the population)."""
    if not _bool(row["at_risk"]):
        patient = Patient(
            age=50, risk_factors=RiskFactors(cirrhosis=False, chronic_hbv=False, prior_hcc=False)
        )
        applies, _ = lirads_applies(patient)
        return ("LR-?" if applies else "N/A (not at-risk population)"), None
    cat, sub, _reason = categorize_features(**inputs(row))
    return (cat.value if cat is not None else "UNDETERMINED (incomplete input)"), sub


@pytest.mark.parametrize("row", list(_rows()))
def test_peer_vector_matches_v2018(row: dict[str, str] | None, shared: Any) -> None:
    if row is None:
        shared.path(CSV_REL)  # skips with the reason
        return
    expected = row["expected_v2018_recomputed"]
    if expected.startswith("UNDETERMINED"):
        if row["size_mm"] and row["aphe"]:
            pytest.skip("incomplete in the source (features excluded), not visible in the row")
        # A missing size or APHE: hepcalc must not invent a table category.
        cat, _sub = hepcalc_answer(row)
        assert cat == expected, f"{row['case_id']}: incomplete inputs gave {cat}"
        return
    cat, sub = hepcalc_answer(row)
    assert cat == expected, f"{row['source_repo']} {row['case_id']}: expected {expected}, got {cat}"
    if cat == "LR-TIV":
        want = expected_tiv_subtype(row)
        if want is not None:
            assert sub == want, f"{row['case_id']}: TIV subtype {sub!r}, expected {want!r}"
