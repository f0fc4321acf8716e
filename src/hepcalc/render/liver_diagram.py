"""A schematic liver (anterior view) with the eight Couinaud segments, as inline SVG.

People would rather look than read "segment 7". The drawing is a schematic, not
anatomy to scale: the patient's right is on the viewer's left (as on a CT), the
hepatic veins divide the liver vertically (right posterior 7/6, right anterior
8/5, medial left 4, lateral left 2/3) and the portal plane divides it into upper
and lower segments; the caudate lobe (1) lies behind, drawn dashed. A segment
that holds a finding is filled and labelled with the finding's track; a finding
with only a lobe given shades the whole lobe lightly, so the picture never claims
more precision than the report did.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from hepcalc.model import FindingResult
from hepcalc.render.environment import render_template
from hepcalc.render.words import LOBE_FOR_SEGMENT

WIDTH, HEIGHT = 360, 220

# Outline of the liver (viewer's left = patient's right).
OUTLINE = (
    "M 18 70 C 30 22 150 8 250 26 C 300 36 346 52 352 74 C 348 96 300 122 240 152 "
    "C 190 178 118 204 68 198 C 32 192 12 134 18 70 Z"
)

# Each segment as a polygon over the whole box; the outline clips it.
SEGMENT_POLYGONS: dict[int, str] = {
    7: "0,0 95,0 95,100 0,100",
    6: "0,100 95,100 95,220 0,220",
    8: "95,0 175,0 175,100 95,100",
    5: "95,100 175,100 175,220 95,220",
    4: "175,0 250,0 250,220 175,220",
    2: "250,0 360,0 360,72 250,84",
    3: "250,84 360,72 360,220 250,220",
}
CAUDATE = {"cx": 174, "cy": 66, "rx": 17, "ry": 13}

# Where the segment number and the finding marker go.
LABEL_AT: dict[int, tuple[int, int]] = {
    1: (174, 70),
    2: (300, 55),
    3: (278, 98),
    4: (212, 120),
    5: (136, 150),
    6: (58, 150),
    7: (52, 70),
    8: (130, 58),
}
LOBE_SEGMENTS: dict[str, tuple[int, ...]] = {
    lobe: tuple(s for s, lb in LOBE_FOR_SEGMENT.items() if lb == lobe)
    for lobe in ("right", "left", "caudate")
}


@dataclass
class Marks:
    """Which segments hold a finding (exactly) or may hold one (lobe only)."""

    exact: dict[int, list[str]]
    lobe: dict[int, list[str]]
    unplaced: list[str]


def segment_marks(findings: list[FindingResult]) -> Marks:
    exact: dict[int, list[str]] = {}
    lobe: dict[int, list[str]] = {}
    unplaced: list[str] = []
    for f in findings:
        loc = f.location
        if loc is not None and loc.segment is not None:
            exact.setdefault(loc.segment, []).append(f.track)
        elif loc is not None and loc.lobe is not None:
            for s in LOBE_SEGMENTS[loc.lobe.value]:
                lobe.setdefault(s, []).append(f.track)
        else:
            unplaced.append(f.track)
    return Marks(exact=exact, lobe=lobe, unplaced=unplaced)


def liver_svg(findings: list[FindingResult]) -> Markup:
    """The diagram as an SVG element (safe markup to embed in the HTML page)."""
    marks = segment_marks(findings)

    def state(seg: int) -> str:
        if seg in marks.exact:
            return "marked"
        if seg in marks.lobe:
            return "lobe-marked"
        return ""

    segments = [
        {"n": n, "points": pts, "state": state(n), "tracks": marks.exact.get(n, [])}
        for n, pts in sorted(SEGMENT_POLYGONS.items())
    ]
    markers = []
    for seg, tracks in sorted(marks.exact.items()):
        x, y = LABEL_AT[seg]
        markers.append({"x": x, "y": y + 20, "label": ", ".join(tracks)})
    by_lobe: dict[str, list[str]] = {}
    for f in findings:
        loc = f.location
        if loc is None or loc.segment is not None or loc.lobe is None:
            continue
        by_lobe.setdefault(loc.lobe.value, []).append(f.track)
    for lobe, tracks in sorted(by_lobe.items()):
        segs = LOBE_SEGMENTS[lobe]
        x = sum(LABEL_AT[s][0] for s in segs) // len(segs)
        y = sum(LABEL_AT[s][1] for s in segs) // len(segs)
        markers.append({"x": x, "y": y + 20, "label": ", ".join(tracks)})
    svg = render_template(
        "liver.svg.j2",
        width=WIDTH,
        height=HEIGHT,
        outline=OUTLINE,
        segments=segments,
        caudate=CAUDATE | {"state": state(1), "tracks": marks.exact.get(1, [])},
        labels=LABEL_AT,
        markers=markers,
        unplaced=marks.unplaced,
    )
    return Markup(svg)
