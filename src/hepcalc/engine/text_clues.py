"""Clues stated in free text that the structured Case has no field for.

The differential (``engine.conditions``) asks two kinds of question of text:

- ``history:<clue>``: a history stated in the exams' report text (Thorotrast,
  an umbilical venous catheter, maternal infection, shock ...).
- ``described:<clue>``: how the finding or its surroundings are described, in
  the finding's own ``label`` and in the report text: a calcification that runs
  along the portal or umbilical vein, calcification on the liver surface or
  peritoneum, an adrenal mass, a hypervascular mass with large feeding vessels,
  the other-organ signs of congenital infection, a negative infection screen, a
  focus already seen before birth.

Each clue is generic clinical vocabulary (a class of descriptions, not one
report's wording). A clue preceded closely by a negation ("no feeding
vessels", "without hepatosplenomegaly") does not count, because a negated sign
is evidence against, not for, the cause it points to.
"""

from __future__ import annotations

import re

from hepcalc.regex_cache import re_compile


def _compile(patterns: dict[str, str]) -> dict[str, re.Pattern[str]]:
    return {name: re_compile(rx, re.IGNORECASE) for name, rx in patterns.items()}


HISTORY_CLUES: dict[str, re.Pattern[str]] = _compile(
    {
        # Thorotrast was used for angiography from about 1930 to 1955: an angiogram
        # dated then is the exposure even when the agent is not named.
        "thorotrast": (
            r"\bthorotrast|thorium dioxide"
            r"|(angiogra|arteriogra|ventriculogra)\w*[^.;]{0,80}\b19[3-5]\d"
            r"|\b19[3-5]\d(s|'s)?\b[^.;]{0,80}(angiogra|arteriogra|ventriculogra)"
        ),
        "trauma": (
            r"\btrauma|\blacerat|\bcontusion|\bblunt (abdominal )?injur"
            r"|(motor|vehicle|traffic|road|car)[- ]?(vehicle )?(accident|collision|crash)"
            r"|(motorbike|motorcycle|bicycle|bike|horse|ski\w*)[^.;]{0,30}(crash|accident|fall)"
            r"|fell (onto|on to|from|off)|handlebar"
        ),
        "prior_abscess": r"\babscess",
        # Hormonal and metabolic settings of hepatocellular adenoma (EASL 2016).
        "adenoma_risk": (
            r"oral contracepti|contraceptive pill|\bOCP\b|anabolic|androgen"
            r"|glycogen storage|\bGSD\b|von Gierke"
        ),
        "umbilical_catheter": r"umbilical (venous |vein )?(catheter|line)|\bUV[CL]\b",
        "maternal_infection": (
            r"(maternal|mother).{0,60}(\bCMV\b|cytomegalovirus|toxoplasm|rubella|parvovirus"
            r"|seroconver|\bIgM\b)|congenital (CMV|cytomegalovirus|toxoplasm|infection)"
            # an exposure or illness of the mother in pregnancy that a TORCH/parvovirus/
            # varicella work-up answers (rash, fever, a child with slapped cheek)
            r"|chicken ?pox|varicella|slapped[- ]cheek|fifth disease|erythema infectiosum"
            r"|(maternal|mother)[^.;]{0,80}(rash|feverish|febrile|flu-like|glandular fever)"
        ),
        "severe_illness": (
            r"\bshock\b|acute liver failure|fulminant|\bHELLP\b|fatty liver of pregnancy"
            r"|haemodialysis|hemodialysis|renal failure"
            # perinatal hypoxic-ischaemic injury (dystrophic calcification of necrosis)
            r"|asphyxia|hypoxic[- ]isch|perinatal (hypoxia|ischa?emia)|inotrop|cardiac arrest"
            r"|\bECMO\b|resuscitat|low cardiac output|vasopressor|noradrenalin|norepinephrin"
        ),
    }
)

DESCRIBED_CLUES: dict[str, re.Pattern[str]] = _compile(
    {
        # Calcified thrombus or wall of a vein: linear/branching/tubular foci that
        # follow the portal or umbilical vein (or the ductus venosus).
        "vascular_course": (
            r"\b(linear|branching|tubular|tram[- ]?track|serpiginous)\b[^.;]{0,80}"
            r"\b(portal|umbilical|ductus venosus|hepatic arter|vessel|vascular|porta hepatis)"
            r"|along (the |a )?(course of the )?(left |right |main )?(portal|umbilical|hepatic)"
            r" (vein|venous|arter)"
            r"|\b(in|within) the (left |right |main )?(portal|umbilical) vein\b|umbilical portion"
            r"|(wall|lumen) of the (left |right |main )?(portal|umbilical) vein"
            r"|calcified (portal|umbilical)[^.;]{0,20}(vein|thromb)|portal spaces"
        ),
        # Calcification on the liver surface / peritoneum, or bowel signs of a
        # perforation before birth (meconium peritonitis).
        "surface": (
            r"liver (surface|capsule)|(surface|capsule) of the liver|(inferior )?liver edge"
            r"|perihepatic calcif|peritone\w* calcif|calcif\w*[^.;]{0,40}peritone"
            r"|scrot\w*|meconium|(dilated|distended) (small )?bowel|bowel dilatation"
            r"|pseudocyst"
        ),
        # A solid primary that sends calcifying deposits to the infant liver
        # (stage 4S neuroblastoma).
        "adrenal_mass": (
            r"(adrenal|suprarenal)[^.;]{0,30}\bmass|\bneuroblastoma|\bMIBG\b|catecholamine"
            r"|\bVMA\b|\bHVA\b"
        ),
        # A vascular infantile tumour: hypervascular with large feeding vessels,
        # shunting with cardiac failure, cutaneous haemangiomas, hypothyroidism.
        "hypervascular": (
            r"hypervascular|(large|prominent|enlarged|dilated) feeding (vessel|arter)"
            r"|high[- ]output (cardiac |heart )?failure|cardiomegaly|aortic tapering"
            r"|(arteriovenous|portovenous|AV) shunt|(cutaneous|skin) (infantile )?ha?emangioma"
            r"|hypothyroid|consumptive"
        ),
        # Other-organ signs of a congenital (TORCH/CMV) infection.
        "congenital_infection_signs": (
            r"periventricular|(intracranial|cerebral|brain) calcif|microcephal|chorioretinitis"
            r"|hepatosplenomegaly|splenomegaly|thrombocytop\w*|petechia|blueberry muffin"
            r"|\bIUGR\b|intrauterine growth|growth restrict|small for gestational|\bSGA\b"
            r"|ventriculomegaly|\bhydrops"
            # fetal signs: hydrops and anaemia, brain, bowel, limbs, growth
            r"|skin o?edema|\bascites|pericardial effusion"
            r"|(MCA|middle cerebral artery)[^.;]{0,40}(1\.[5-9]|[2-9](\.\d)?) ?MoM"
            r"|fetal ana?emia|ventric\w*[^.;]{0,30}(lining|walls?)\b[^.;]{0,20}(bright|echogenic)"
            r"|(bright|echogenic) lining of the ventric|subependymal|occipital horn"
            r"|(echogenic|hyperechoic|hyperechogenic|bright) (small )?bowel"
            r"|(short|hypoplastic)[^.;]{0,20}\blimb|limb (hypoplasia|shortening)|contractur"
            r"|small abdominal circumference"
        ),
        # A negative infection work-up (TORCH, CMV, toxoplasma serology or PCR).
        "infection_screen_negative": (
            r"(TORCH|CMV|cytomegalovirus|toxoplasm\w*|infection|parvovirus|serolog\w*)"
            r"( (screen|screening|serology|PCR|work-?up|tests?))?( (was|were|is|are))? negative"
            r"|negative (for )?(TORCH|CMV|cytomegalovirus|toxoplasm\w*|infection)"
            r"|(serolog\w*|screen\w*|work-?up|PCR)\s*\([^)]{0,160}\)\s*(was |were |is |are )?"
            r"negative"
            # no other anomaly: the fetal definition of an isolated focus
            r"|(anatomy|anomaly|anatomic) (survey|scan)[^.;]{0,40}\bnormal"
        ),
        # Calcification spread through the liver (necrosis, infection, deposits),
        # not one vessel or one lesion.
        "diffuse": (
            r"diffuse(ly)?\b[^.;]{0,30}(calcif|echogenic foc|foci)"
            r"|(calcif\w*|foci)[^.;]{0,40}throughout the (liver|parenchyma)|innumerable"
        ),
        # MRI signs of the benign hepatocellular tumours (EASL 2016): fat that
        # drops out on opposed phase and old blood (adenoma); hepatobiliary-phase
        # retention and a T2-bright central scar (FNH); hepatobiliary hypointensity
        # (not FNH).
        "intralesional_fat": (
            r"(opposed|out[- ]of)[- ]phase[^.;]{0,40}(signal )?(loss|drop)"
            r"|(signal )?(loss|drop)[^.;]{0,20}(on )?(opposed|out[- ]of)[- ]phase"
            r"|intra(lesional|cellular|tumou?ral) fat|fat[- ]containing"
        ),
        "haemorrhage": (
            r"old blood|blood products|(intra-?lesional|internal) ha?emorrhag"
            r"|ha?emorrhag\w*[^.;]{0,20}(component|within|into)"
        ),
        "hbp_retention": (
            r"(hepatobiliary|HBP)[^.;]{0,40}\b(iso|hyper)[- ]?(intense|to hyperintense)"
            r"|\b(iso|hyper)-?(intense)?( to hyper-?intense)?( to (the )?liver)? (on|in) (the )?"
            r"(hepatobiliary|HBP)"
        ),
        "hbp_hypointense": (
            r"(hepatobiliary|HBP)[^.;]{0,30}hypo-?intens|hypo-?intense[^.;]{0,30}"
            r"(on|in) (the )?(hepatobiliary|HBP)"
        ),
        "t2_bright_scar": (
            r"scar[^.;]{0,30}(bright|hyperintense)[^.;]{0,10}(on )?T2"
            r"|T2[- ]?(bright|hyperintense)[^.;]{0,10}scar"
        ),
        # A focus already seen on a prenatal scan (a persisting isolated fetal focus).
        "prenatal_focus": (
            r"(prenatal|antenatal|fetal|in utero)[^.;]{0,40}(calcif|echogenic foc|hyperechogen)"
            r"|known since (birth|the prenatal)"
            r"|(focus|foci|calcif\w*)[^.;]{0,60}(\b\d{2}[- ]week scan|prenatal(ly)? (scan|ultra"
            r"sound|US)|antenatal(ly)?|in utero)"
        ),
    }
)

_NEGATION = re_compile(
    r"\b(no|not|without|denies|denied|negative for|free of|absent)\b[^.;]{0,30}$", re.I
)


def stated(pattern: re.Pattern[str], text: str) -> bool:
    """True when ``pattern`` occurs in ``text`` at least once without a negation just before."""
    if not text:
        return False
    for m in pattern.finditer(text):
        if not _NEGATION.search(text[max(0, m.start() - 40) : m.start()]):
            return True
    return False
