"""Issue 13, clinical review: free-text classes that must reach the engine safely.

Each test uses wordings written for this file (not the review's case text): a lesion
described in two sentences stays one finding with its own size and features; a cystic
mass with calcified septa is a complex cyst, not a bare calcification; hydatid stages
with daughter cysts set ``features.daughter_cysts``; non-calcified LI-RADS observations,
bile-duct stones and vascular calcification are read as what they are.
"""

from __future__ import annotations

from hepcalc.model import Associated, FindingKind, Lobe
from hepcalc.reports import extract_findings, read_report


def _calcified(text: str) -> list:
    return [f for f in extract_findings(text) if f.is_calcified]


# --- (f) one lesion in two sentences, bare "within" --------------------------------
def test_bare_within_links_calcifications_to_the_mass_of_the_sentence_before() -> None:
    text = (
        "FINDINGS: A 6.4 cm lobulated mass occupies segments 7/8 with rim arterial "
        "enhancement. Dense calcifications within, matching the prior CT.\n"
        "IMPRESSION: Calcified hepatic mass."
    )
    found = _calcified(text)
    assert len(found) == 1
    f = found[0]
    assert f.kind is FindingKind.lesion and f.size_mm == 64
    assert f.associated is Associated.solid_mass
    assert f.location.segment is None and f.location.lobe is Lobe.right  # spans 7/8
    assert f.features.rim_aphe is True
    assert f.count == 1


def test_bare_within_does_not_link_a_calcification_with_its_own_organ() -> None:
    text = "The spleen contains two granulomas within. Liver normal."
    assert _calcified(text) == []


# --- (d) cystic mass with calcified septa --------------------------------------------
def test_calcification_in_the_septa_of_a_cystic_mass_is_that_complex_cyst() -> None:
    text = (
        "Ultrasound: a multilocular cystic lesion of the left lobe, 7.5 x 6 cm, with "
        "several coarse calcifications along the septations."
    )
    found = _calcified(text)
    assert len(found) == 1
    f = found[0]
    assert f.kind is FindingKind.cyst and f.size_mm == 75
    assert f.associated is Associated.complex_cyst
    assert f.count == 1


def test_solid_and_cystic_mass_stays_a_solid_lesion() -> None:
    text = "A 5 cm solid and cystic mass in segment 6 with a coarse calcification in it."
    (f,) = _calcified(text)
    assert f.kind is FindingKind.lesion and f.associated is Associated.solid_mass


# --- (c) hydatid features -------------------------------------------------------------
def test_daughter_cysts_in_the_clause_before_reach_the_calcified_wall_finding() -> None:
    text = (
        "Right lobe: a 6 cm cyst filled with daughter vesicles; its wall shows "
        "curvilinear calcification."
    )
    (f,) = _calcified(text)
    assert f.kind is FindingKind.cyst and f.size_mm == 60
    assert f.associated is Associated.complex_cyst
    assert f.features.daughter_cysts is True


def test_who_stage_with_daughter_cysts_is_read_as_such() -> None:
    for stage in ("CE3b", "WHO CE2", "Gharbi type III", "multivesicular"):
        text = f"Segment 4: 55 mm partly calcified hydatid cyst, {stage} appearance."
        (f,) = _calcified(text)
        assert f.features.daughter_cysts is True, stage
        assert f.associated is Associated.complex_cyst, stage


def test_no_daughter_cysts_is_false_and_ce5_is_not_daughter_cysts() -> None:
    (f,) = _calcified("Densely calcified 4 cm cyst in segment 8 (CE5), no daughter cysts.")
    assert f.features.daughter_cysts is False
    (g,) = _calcified("Densely calcified 4 cm cyst in segment 8, WHO CE5.")
    assert g.features.daughter_cysts is None


# --- rim APHE is not APHE -------------------------------------------------------------
def test_rim_enhancement_is_rim_aphe_not_aphe() -> None:
    text = "A 3 cm calcified mass in segment 2 with peripheral rim enhancement on arterial images."
    (f,) = _calcified(text)
    assert f.features.rim_aphe is True
    assert f.features.aphe is not True


def test_biliary_dilatation_stated_and_negated() -> None:
    (f,) = _calcified("Coarse calcification in segment 3 with dilated intrahepatic ducts upstream.")
    assert f.features.biliary_dilatation is True
    (g,) = _calcified("Coarse calcification in segment 3. No biliary dilatation.\n")
    assert g.features.biliary_dilatation is not True


def test_vascular_calcification_is_not_a_parenchymal_finding() -> None:
    for text in (
        "Tram-track calcification of the intrahepatic arterial branches.",
        "Linear calcification along the right portal vein, the largest 5 mm.",
        "Calcified thrombus in the left portal vein branch.",
    ):
        reading = read_report(text)
        assert [f for f in reading.findings if f.is_calcified] == [], text
        assert any(x.organ == "vessel" for x in reading.excluded), text


# --- (a) non-calcified LI-RADS observations -------------------------------------------
def test_enhancing_observation_without_calcium_becomes_a_noncalcified_lesion() -> None:
    text = (
        "MRI LIVER\nHistory: HCV cirrhosis, surveillance.\n"
        "Findings: Cirrhotic morphology. In segment 8 there is a 2.3 cm nodule that "
        "hyperenhances in the arterial phase and washes out, with an enhancing capsule on "
        "delayed images.\nImpression: LR-5 observation, segment 8."
    )
    (f,) = extract_findings(text)
    assert f.calcified is False and f.kind is FindingKind.lesion
    assert f.size_mm == 23 and f.location.segment == 8
    assert f.features.aphe is True and f.features.capsule is True
    assert read_report(text).findings == [f]


def test_threshold_growth_is_read_and_features_of_a_calcified_sentence_are_not_duplicated() -> None:
    text = "Segment 6 observation now 14 mm (previously 8 mm), threshold growth, with APHE."
    (f,) = extract_findings(text)
    assert f.features.threshold_growth is True and f.prior_size_mm == 8
    calc = "Segment 6: 14 mm calcified nodule with arterial phase hyperenhancement."
    found = extract_findings(calc)
    assert len(found) == 1 and found[0].calcified is True


def test_no_observation_without_a_positive_feature_a_size_or_the_liver() -> None:
    quiet = (
        "No arterially enhancing lesion in the liver.",  # negated noun
        "A 12 mm nodule in segment 3 without arterial phase hyperenhancement or washout.",
        "Arterial phase hyperenhancement of a nodule in segment 3.",  # no size
        "A 2 cm enhancing renal mass with washout in the left kidney.",  # another organ
        "History: 18 mm LR-5 observation with washout, treated by ablation.",  # history
    )
    for text in quiet:
        assert extract_findings(text) == [], text


# --- (b) intrahepatic bile-duct stones -------------------------------------------------
def test_intrahepatic_duct_stones_are_one_labelled_finding_with_duct_features() -> None:
    text = (
        "CT: Several dense intraductal calculi in the right posterior ducts, up to 7 mm, "
        "with dilatation of the intrahepatic bile ducts.\n"
        "IMPRESSION: Right-sided hepatolithiasis."
    )
    (f,) = extract_findings(text)
    assert f.label == "intrahepatic bile duct stone"
    assert f.kind is FindingKind.calcification and f.is_calcified
    assert f.size_mm == 7 and f.count == "multiple"
    assert f.features.biliary_dilatation is True


def test_stones_in_dilated_intrahepatic_ducts_with_shadowing() -> None:
    text = "Echogenic stones with posterior shadowing within dilated left intrahepatic ducts."
    (f,) = extract_findings(text)
    assert f.label == "intrahepatic bile duct stone"
    assert f.features.biliary_dilatation is True and f.features.acoustic_shadowing is True


def test_cbd_stones_negated_or_historical_duct_stones_are_not_read() -> None:
    for text in (
        "Choledocholithiasis: a 6 mm stone in the distal common bile duct.",
        "No intrahepatic duct stones. No biliary dilatation.",
        "History: hepatolithiasis treated by left lateral sectionectomy in 2019.",
        "Cholelithiasis without cholecystitis.",
    ):
        assert [f for f in extract_findings(text) if f.label] == [], text
