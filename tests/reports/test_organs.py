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


# --- several organs in one sentence, the liver among them -----------------------------


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("calcified granulomas in the mediastinal nodes, the spleen and the liver", "granulomas"),
        ("calcifications within the kidneys, spleen and liver, unchanged", "calcifications"),
        ("granulomata of the lungs, the spleen, and the liver, all old", "granulomata"),
    ],
)
def test_a_list_of_organs_closed_by_the_liver_keeps_the_liver(text: str, target: str) -> None:
    assert _organ(text, target) == "liver"


@pytest.mark.parametrize(
    ("text", "target"),
    [
        # a list of organs ends, then a new clause says the liver is normal
        ("calcified granulomas in the lungs and spleen, liver normal", "granulomas"),
        ("calcifications in the spleen and kidneys and the liver is normal", "calcifications"),
        # "hepatic" as one adjective of a list of arteries or veins is the vessel's
        ("calcification of the hepatic and splenic arteries", "calcification"),
        ("calcified hepatic, splenic and renal arteries", "calcified"),
        ("calcification of the aorta and of the hepatic and splenic arteries", "calcification"),
        ("mural calcification in the hepatic and portal veins", "calcification"),
    ],
)
def test_organ_lists_that_do_not_hold_the_liver(text: str, target: str) -> None:
    assert _organ(text, target) != "liver"


def test_hepatic_and_splenic_granulomas_stay_in_the_liver() -> None:
    """The vessel rule looks only for an artery or vein noun ending the adjective list."""
    assert _organ("hepatic and splenic calcified granulomas", "granulomas") == "liver"
    assert _organ("hepatic, splenic and renal calcifications", "calcifications") == "liver"


@pytest.mark.parametrize(
    ("text", "size", "segment"),
    [
        (
            "A calcified granuloma lies in the left lower lobe of the lung and another in the"
            " liver, segment 6, 4 mm.",
            4,
            6,
        ),
        (
            "Calcified nodes are present at the splenic hilum, and one in the liver measuring"
            " 7 mm in segment 3.",
            7,
            3,
        ),
        (
            "Both kidneys and the liver contain small calcifications: the renal ones are"
            " medullary, the liver shows one 2 mm focus in segment 8.",
            2,
            8,
        ),
        (
            "Splenic calcified granulomas are again seen; the liver has a single 5 mm focus"
            " in segment 2.",
            5,
            2,
        ),
    ],
)
def test_the_liver_share_of_another_organs_calcification(
    text: str, size: float, segment: int
) -> None:
    from hepcalc.reports import extract_findings

    found = extract_findings(text)
    assert len(found) == 1, [f.model_dump(exclude_none=True) for f in found]
    assert (found[0].size_mm, found[0].location.segment, found[0].count) == (size, segment, 1)


@pytest.mark.parametrize(
    "text",
    [
        "A calcified granuloma in the right lower lobe of the lung; the liver shows no focal"
        " lesion.",
        "Pancreatic calcifications are coarse, the liver has a 2 cm simple cyst in segment 5.",
        "Calcified splenic granulomas, the liver shows a fatty infiltration.",
        "No calcified granuloma in the spleen and one in the liver was questioned before.",
        "Calcification of the aorta and of the hepatic and splenic arteries. No calcification"
        " in the liver or pancreas.",
        "Calcified granulomata in the lungs and spleen, the liver is normal.",
    ],
)
def test_no_liver_share(text: str) -> None:
    from hepcalc.reports import extract_findings

    assert extract_findings(text) == []


def test_several_in_the_liver_is_a_multiple_share() -> None:
    from hepcalc.reports import extract_findings

    found = extract_findings(
        "Calcified granulomas are seen in the spleen and several in the liver, up to 3 mm."
    )
    assert [(f.count, f.size_mm) for f in found] == [("multiple", 3)]


@pytest.mark.parametrize(
    "text",
    [
        "A 2 cm plaque of calcification of the liver capsule over segment 6.",
        "Plaques of calcification along the hepatic capsule, stable.",
        "Liver: a thin plaque of calcification at the capsule of segment 5.",
    ],
)
def test_a_plaque_of_calcification_is_a_shape_not_a_vessel(text: str) -> None:
    from hepcalc.model import Modality
    from hepcalc.reports import extract_findings

    assert extract_findings(text, Modality.CT), text


@pytest.mark.parametrize(
    "text",
    [
        "Calcified plaque in the abdominal aorta. The liver is normal.",
        "Liver: normal. A plaque of calcification in the aortic wall.",
        "Liver: normal. Atherosclerotic plaques with calcification along the hepatic artery.",
    ],
)
def test_vascular_plaque_is_still_a_vessel(text: str) -> None:
    from hepcalc.model import Modality
    from hepcalc.reports import extract_findings

    assert extract_findings(text, Modality.CT) == [], text


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("Blooming focus seg 6, 3 mm, may be calcification or clip (hx cholecystectomy)", "calc"),
        ("calcification in segment 7, post splenectomy", "calcification"),
        ("Segment 2 granuloma; s/p left nephrectomy", "granuloma"),
    ],
)
def test_a_removed_organ_is_not_the_findings_place(text: str, target: str) -> None:
    assert _organ(text, target) == "liver"


@pytest.mark.parametrize(
    ("text", "target", "organ"),
    [
        ("calcified gallstone after a cholecystitis episode", "calcified", "gallbladder"),
        ("calcification in the splenic hilum", "calcification", "spleen"),
        ("calcification at the hepatectomy margin, segment 6", "calcification", "liver"),
    ],
)
def test_organs_that_are_not_removals_still_place_it(text: str, target: str, organ: str) -> None:
    assert _organ(text, target) == organ


@pytest.mark.parametrize(
    ("text", "target", "organ"),
    [
        ("mesenteric LN w calcification\nliver/spleen nml", "calcification", "node"),
        ("calcified LNs at the porta, liver normal", "calcified", "node"),
        ("calcified node in the mesentery; the liver is unremarkable", "calcified", "node"),
        ("Calcified lymph node. Liver: normal.", "Calcified", "node"),
    ],
)
def test_an_organ_called_normal_after_the_target_is_not_its_place(
    text: str, target: str, organ: str
) -> None:
    assert _organ(text, target) == organ


@pytest.mark.parametrize(
    "text",
    [
        "calcification 3 mm seg 6, spleen normal",
        "calcification in the liver, otherwise normal",
        "calcification in the liver normal otherwise",
    ],
)
def test_a_liver_finding_stays_when_another_organ_is_normal(text: str) -> None:
    assert _organ(text, "calcification") == "liver"


@pytest.mark.parametrize(
    ("text", "liver"),
    [
        ("THYROID: 7 mm coarse calcification in the right lobe.\nLIVER: Normal.", False),
        ("LUNGS: calcified granuloma in the left lower lobe.\nLIVER: Normal.", False),
        ("THYROID: normal.\nLIVER: 5 mm calcification in the right lobe.", True),
        ("THYROID: calcification in the right lobe of the liver, incidentally seen.", True),
    ],
)
def test_a_bare_lobe_under_a_lobed_organs_header_is_that_organs(text: str, liver: bool) -> None:
    from hepcalc.model import Modality
    from hepcalc.reports import extract_findings

    assert bool(extract_findings(text, Modality.US)) is liver, text
