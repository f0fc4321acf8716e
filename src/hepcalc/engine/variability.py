"""How much two measurements of the same lesion can differ without any real change.

Answering "did it grow?" needs a yardstick: the 95% limit of agreement (LoA)
between two measurements of an unchanged lesion. No study gives that yardstick
for a calcification in the liver, so the band below is assembled from the
nearest published figures, and every part says where it comes from:

* **CT**: McErlean 2013 (320 lesions, 120 hepatic, 17 readers): 95% LoA
  -11.6%..+6.7% for lesions under 10 mm and -6.2%..+4.7% for 20 mm or more. The
  wider side is used (11.6% and 6.2%); for 10-19 mm the midpoint 8.9% is a
  *derived* interpolation. A 2 mm floor (*derived*) stops sub-millimetre
  "changes" in tiny foci from counting: Huh 2018 found intra-observer LoA of
  about +-3 mm and inter-observer LoA of -8..+7 mm at ~3 cm, so the percentage
  alone is optimistic for a single reader-to-reader comparison.
* **MRI**: no MRI figure is in the knowledge base; the CT figures are applied as
  an *analogue*. MRI shows calcification poorly (Adams 2017: 36.7% sensitivity
  on standard sequences), so a calcified focus measured on MRI is flagged.
* **Ultrasound**: 2D-US liver-lesion volumes have an SD of +-39% against a 3D
  reference (Liess); converted to diameter (volume ~ diameter cubed) and to the
  difference of two independent scans this is about +-35% (*derived*,
  facts.md 5.2). Thyroid-nodule diameter LoA (+-7 to +-20%, Choi 2015, Lee 2018)
  are *analogue* data and lie inside it. Floor 3 mm (*derived*, facts.md 5.5).
* **Calcified objects on ultrasound** are over-measured by about 2 mm (kidney
  stones against CT: Ray 2010 +1.9 +- 1.2 mm; Urology 2016 2.2 mm; Dunmire 2015
  1.9-2.1 mm in vitro, more with depth and gain, less when the shadow width is
  measured). Because that error changes with depth, gain and whether the shadow
  is included, 2 mm is *added* to an ultrasound band for a calcified finding
  (*analogue* data, *derived* use).
* **Across modalities** (US against CT/MRI, or anything against a radiograph),
  the measurements are not comparable: the wider band is used, with the
  ultrasound calcification bias added, and ``comparable`` is False so the text
  says so. CT against MRI is treated as comparable (LI-RADS compares them) except
  for calcified findings, which MRI under-depicts.

The percentage is taken of the earlier (``size_mm``) measurement.
"""

from __future__ import annotations

from dataclasses import dataclass

from hepcalc.model import Modality

CT_PCT_SMALL = 11.6  # <10 mm, McErlean 2013
CT_PCT_LARGE = 6.2  # >=20 mm, McErlean 2013
CT_PCT_MID = round((CT_PCT_SMALL + CT_PCT_LARGE) / 2, 1)  # 10-19 mm, derived
CT_FLOOR_MM = 2.0  # derived
US_PCT = 35.0  # derived from Liess (volume SD 39%)
US_FLOOR_MM = 3.0  # derived (facts.md 5.5: > 3-5 mm absolute)
US_CALCIFIED_BIAS_MM = 2.0  # Ray 2010, Urology 2016, Dunmire 2015 (analogue)

_CT_CITES = ("McErlean2013", "Huh2018")
_US_CITES = ("Liess", "Choi2015", "Lee2018-thyroid")
_CALC_CITES = ("Ray2010", "Urology2016", "Dunmire2015")
_MRI_CALC_CITES = ("Adams2017",)

_SECTIONAL = (Modality.CT, Modality.MRI)
_SONO = (Modality.US, Modality.PRENATAL_US)


@dataclass(frozen=True)
class VariabilityBand:
    """The change (absolute, mm) two measurements may show with no real change."""

    limit_mm: float
    limit_pct: float
    basis: str
    citations: tuple[str, ...]
    comparable: bool
    derived: bool = True  # any part is a derived/analogue figure, not a published liver LoA


def _ct_pct(size_mm: float) -> float:
    if size_mm < 10:
        return CT_PCT_SMALL
    if size_mm < 20:
        return CT_PCT_MID
    return CT_PCT_LARGE


def _ct_band(size_mm: float, modality_word: str) -> tuple[float, float, str]:
    pct = _ct_pct(size_mm)
    limit = max(pct / 100 * size_mm, CT_FLOOR_MM)
    size_note = (
        "interpolated between the published <10 mm and >=20 mm figures (derived)"
        if 10 <= size_mm < 20
        else "McErlean 2013, wider side of the 95% limits of agreement"
    )
    text = (
        f"{modality_word}: {pct:g}% of {size_mm:g} mm ({size_note}), at least "
        f"{CT_FLOOR_MM:g} mm (derived floor; Huh 2018 inter-observer limits reach -8 to +7 mm "
        "at ~3 cm, so re-measure near-threshold changes side by side)"
    )
    return limit, pct, text


def _us_band(size_mm: float, calcified: bool) -> tuple[float, float, str]:
    limit = max(US_PCT / 100 * size_mm, US_FLOOR_MM)
    text = (
        f"ultrasound: {US_PCT:g}% of {size_mm:g} mm, at least {US_FLOOR_MM:g} mm (derived from "
        "2D-US liver-lesion volumetry, SD +-39% (Liess); thyroid-nodule diameter limits of "
        "+-7 to +-20% (Choi 2015, Lee 2018) are analogue data inside this band)"
    )
    if calcified:
        limit += US_CALCIFIED_BIAS_MM
        text += (
            f"; plus {US_CALCIFIED_BIAS_MM:g} mm because ultrasound over-measures calcified "
            "objects by about 2 mm, more with depth and gain and when the acoustic shadow is "
            "included (kidney-stone analogue data: Ray 2010, Urology 2016, Dunmire 2015)"
        )
    return limit, US_PCT, text


def band(
    modality_from: Modality, modality_to: Modality, size_mm: float, calcified: bool
) -> VariabilityBand:
    """The 95% band for a change from a ``size_mm`` measurement on one modality to another."""
    size_mm = float(size_mm)
    mods = {modality_from, modality_to}
    if mods <= set(_SECTIONAL):
        word = "CT" if mods == {Modality.CT} else "MRI (CT figures as analogue)"
        if mods == {Modality.CT, Modality.MRI}:
            word = "CT against MRI (CT figures as analogue)"
        limit, pct, text = _ct_band(size_mm, word)
        cites: tuple[str, ...] = _CT_CITES
        comparable = True
        if Modality.MRI in mods and calcified:
            text += (
                "; MRI depicts calcification poorly (standard sequences detect about 37%, "
                "Adams 2017), so the MRI size of a calcified focus is unreliable"
            )
            cites = cites + _MRI_CALC_CITES
            comparable = mods == {Modality.MRI}
        return VariabilityBand(round(limit, 1), pct, text, cites, comparable)
    if mods <= set(_SONO):
        limit, pct, text = _us_band(size_mm, calcified)
        cites = _US_CITES + (_CALC_CITES if calcified else ())
        return VariabilityBand(round(limit, 1), pct, text, cites, True)
    # Mixed modalities (or a radiograph): not comparable; judge against the wider band.
    us_limit, us_pct, us_text = _us_band(size_mm, calcified)
    ct_limit, ct_pct, _ = _ct_band(size_mm, "CT")
    limit, pct = (us_limit, us_pct) if us_limit >= ct_limit else (ct_limit, ct_pct)
    names = " and ".join(sorted(m.value for m in mods))
    text = (
        f"{names} measurements are not directly comparable (different technique and, for "
        f"calcifications, ultrasound over-measurement); judged against the wider band: {us_text}"
    )
    cites = _US_CITES + _CT_CITES + (_CALC_CITES if calcified else ())
    return VariabilityBand(round(limit, 1), pct, text, cites, False)
