"""Descriptors: count, pattern, host lesion, comparison, features, background, modality."""

from __future__ import annotations

import pytest

from hepcalc.model import Associated, Comparison, FindingKind, Modality, Pattern
from hepcalc.reports import attributes as a


def _count(text: str, target: str, plural: bool) -> int | str:
    return a.read_count(text, 0, text.index(target), plural)


@pytest.mark.parametrize(
    ("text", "plural", "count"),
    [
        ("a calcification", False, 1),
        ("single calcification", False, 1),
        ("two calcifications", True, 2),
        ("3 calcifications", True, 3),
        ("several calcifications", True, "multiple"),
        ("scattered calcifications", True, "multiple"),
        ("innumerable calcifications", True, "multiple"),
        ("calcifications", True, "multiple"),
        ("a few calcifications", True, "multiple"),
        ("segment 6 calcification", False, 1),
    ],
)
def test_count(text: str, plural: bool, count: int | str) -> None:
    assert _count(text, "calcification", plural) == count


@pytest.mark.parametrize(
    ("text", "pattern"),
    [
        ("punctate calcification", Pattern.punctate),
        ("coarse calcification", Pattern.coarse),
        ("rim calcification", Pattern.rim),
        ("mural calcification", Pattern.rim),
        ("peripheral calcification", Pattern.rim),
        ("eggshell calcification", Pattern.rim),
        ("central calcification", Pattern.central),
        ("capsular calcification", Pattern.capsular),
        ("amorphous calcification", Pattern.amorphous),
        ("popcorn calcification", Pattern.popcorn),
        ("calcification", None),
        ("tiny calcification", None),
    ],
)
def test_pattern(text: str, pattern: Pattern | None) -> None:
    i = text.index("calcification")
    assert a.read_pattern(text, i, i + 13, 0, len(text)) is pattern


@pytest.mark.parametrize(
    ("text", "target", "kind", "associated"),
    [
        ("calcified granuloma", "granuloma", FindingKind.calcification, None),
        ("hemangioma with calcification", "calcification", FindingKind.lesion,
         Associated.hemangioma),
        ("haemangioma with calcification", "calcification", FindingKind.lesion,
         Associated.hemangioma),
        ("calcified mass", "calcified", FindingKind.lesion, Associated.solid_mass),
        ("calcified metastasis", "calcified", FindingKind.lesion, Associated.solid_mass),
        ("cyst with wall calcification", "calcification", FindingKind.cyst, None),
        ("septated cyst with calcification", "calcification", FindingKind.cyst,
         Associated.complex_cyst),
        ("calcification without associated mass", "calcification", FindingKind.calcification,
         Associated.none),
        ("calcification adjacent to a cyst", "calcification", FindingKind.calcification, None),
        ("calcified lesion", "calcified", FindingKind.lesion, None),
        ("echogenic lesion, representing a calcification", "calcification",
         FindingKind.calcification, None),
    ],
)  # fmt: skip
def test_host(text: str, target: str, kind: FindingKind, associated: Associated | None) -> None:
    tk = "granuloma" if target == "granuloma" else "calc"
    if target == "calcified":
        tk = "calc_adjective"
    host = a.read_host(text, 0, len(text), text.index(target), tk)
    assert (host.kind, host.associated) == (kind, associated)


@pytest.mark.parametrize(
    ("text", "comparison"),
    [
        ("stable calcification", Comparison.stable),
        ("unchanged", Comparison.stable),
        ("no interval change", Comparison.stable),
        ("not significantly changed", Comparison.stable),
        ("increased in size", Comparison.increased),
        ("has enlarged since 2020", Comparison.increased),
        ("enlarged since 2020", Comparison.increased),
        ("smaller", Comparison.decreased),
        ("decreased", Comparison.decreased),
        ("new calcification", Comparison.new),
        ("no new lesions", None),
        ("again seen", None),
        ("two granulomas, the larger 5 mm", None),
        ("the liver is enlarged", None),
        ("no increase in size", Comparison.stable),
    ],
)
def test_comparison(text: str, comparison: Comparison | None) -> None:
    assert a.read_comparison(text, 0, len(text)) is comparison


def test_features() -> None:
    text = "Observation with arterial phase hyperenhancement and washout, no capsule."
    assert a.read_features(text, 0, len(text)) == {"aphe": True, "washout": True, "capsule": False}
    text = "signal void on MRI; posterior acoustic shadowing"
    assert a.read_features(text, 0, len(text)) == {"signal_void": True, "acoustic_shadowing": True}
    text = "capsular calcification along the liver capsule"
    assert "capsule" not in a.read_features(text, 0, len(text))


@pytest.mark.parametrize(
    ("text", "background"),
    [
        ("The liver is cirrhotic.", "cirrhosis"),
        ("Nodular liver contour.", "cirrhosis"),
        ("Hepatic steatosis.", "steatosis"),
        ("Increased hepatic echogenicity.", "steatosis"),
        ("The liver is normal in size.", "normal"),
        ("No evidence of cirrhosis.", None),
    ],
)
def test_background(text: str, background: str | None) -> None:
    assert a.read_background(text, 0, len(text)) == background


@pytest.mark.parametrize(
    ("text", "modality"),
    [
        ("US ABDOMEN", Modality.US),
        ("Ultrasound of the liver", Modality.US),
        ("CT ABDOMEN WITH CONTRAST", Modality.CT),
        ("MRI LIVER", Modality.MRI),
        ("Abdominal radiograph", Modality.XR),
        ("Fetal ultrasound", Modality.PRENATAL_US),
        ("let us see", None),
    ],
)
def test_modality(text: str, modality: Modality | None) -> None:
    assert a.read_modality(text, 0, len(text)) is modality


@pytest.mark.parametrize(
    ("text", "count"),
    [
        ("Liver: tortoise-shell pattern of septal and capsular calcification.", "multiple"),
        ("LIVER: fine reticular calcification in keeping with schistosomiasis.", "multiple"),
        ("Liver: a network of septal calcification.", "multiple"),
        ("Liver: calcification throughout the liver, old granulomatous disease.", "multiple"),
        ("Liver: calcification is seen throughout the hepatic parenchyma.", "multiple"),
        ("Liver: dense calcification scattered throughout both lobes.", "multiple"),
        # near misses: one focus stays one
        ("Liver: a 6 mm calcification in segment 4; no others throughout the liver.", 1),
        ("Liver: calcification in segment 7, 5 mm.", 1),
        ("Liver: solitary coarse calcification in the right lobe.", 1),
    ],
)
def test_calcification_spread_over_the_organ_is_several_foci(text: str, count: object) -> None:
    """A singular word for a network or a spread of calcification is not one focus."""
    from hepcalc.reports import extract_findings

    found = extract_findings(text, Modality.CT)
    assert [f.count for f in found] == [count], found
