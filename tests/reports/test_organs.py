"""Organ attribution: only liver findings are kept."""

from __future__ import annotations

import pytest

from hepcalc.reports.organs import find_organs, is_liver_report, nearest_organ


def _organ(text: str, target: str) -> str | None:
    i = text.index(target)
    return nearest_organ(text, find_organs(text, 0, len(text)), i, i + len(target))


@pytest.mark.parametrize(
    ("text", "target", "organ"),
    [
        ("splenic granuloma", "granuloma", "spleen"),
        ("hepatic granuloma", "granuloma", "liver"),
        ("Hepatic and splenic granulomas", "granulomas", "liver"),
        ("calcified granulomas in the liver and spleen", "granulomas", "liver"),
        ("Punctate calcifications in the gallbladder lumen", "calcifications", "gallbladder"),
        ("calcification within the right lobe of the liver", "calcification", "liver"),
        ("aortic calcification", "calcification", "vessel"),
        ("calcified costal cartilage", "calcified", "bone"),
        ("calcified nodule in the right lower lobe", "calcified", "lung"),
        ("calcification in segment VI", "calcification", "liver"),
        ("calcified porta hepatis lymph node", "calcified", "node"),
        ("placental calcifications", "calcifications", "placenta"),
        ("calcified gallstone", "calcified", "gallbladder"),
        ("renal calcification", "calcification", "kidney"),
        ("pancreatic calcifications", "calcifications", "pancreas"),
        ("adrenal calcification", "calcification", "adrenal"),
    ],
)
def test_nearest_organ(text: str, target: str, organ: str) -> None:
    assert _organ(text, target) == organ


def test_thyroid_lobe_is_not_the_liver() -> None:
    text = "calcification in the left lobe of the thyroid"
    assert all(m.organ != "liver" for m in find_organs(text, 0, len(text)))


def test_no_organ_words() -> None:
    assert _organ("a calcification", "calcification") is None


def test_liver_report_title() -> None:
    assert is_liver_report("US LIVER\nFINDINGS: ...", 9)
    assert is_liver_report("RUQ ultrasound", 14)
    assert not is_liver_report("CT CHEST\nFINDINGS: ...", 9)


def test_suprarenal_is_the_adrenal() -> None:
    """A calcified suprarenal mass is not a liver finding, even beside liver metastases."""
    from hepcalc.reports import extract_findings

    text = (
        "Left suprarenal neuroblastoma with coarse calcifications, 6.1 cm. "
        "Multiple non-calcified liver metastases, the largest 2.3 cm."
    )
    assert [f for f in extract_findings(text) if f.calcified] == []
