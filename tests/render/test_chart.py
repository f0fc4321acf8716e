"""The SVG growth chart: valid XML, one series per measured track, accessible, offline."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from hepcalc.engine.growth import assess_growth
from hepcalc.engine.tracks import build_tracks
from hepcalc.model import Case, Growth
from hepcalc.render.chart import growth_chart_svg

NS = {"s": "http://www.w3.org/2000/svg"}


def growth_of(specs: list[tuple[str | None, str, list[dict[str, Any]]]]) -> list[Growth]:
    exams = [{"modality": m, "findings": f} | ({"date": d} if d else {}) for d, m, f in specs]
    c = Case.model_validate({"exams": exams})
    return [assess_growth(t) for t in build_tracks(c.sorted_exams())]


SEED = [
    (
        "2023-06-10",
        "US",
        [{"kind": "calcification", "size_mm": 14}, {"kind": "calcification", "size_mm": 9}],
    ),
    (
        "2023-12-17",
        "US",
        [{"kind": "calcification", "size_mm": 25}, {"kind": "calcification", "size_mm": 8}],
    ),
]


def test_seed000_chart_has_one_series_per_track_with_band() -> None:
    svg = growth_chart_svg(growth_of(SEED))
    root = ET.fromstring(svg)
    assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.get("role") == "img"
    series = root.findall(".//s:g[@class='series']", NS)
    assert [g.get("data-track") for g in series] == ["A", "B"]
    for g in series:
        assert len(g.findall("s:circle", NS)) == 2
        assert g.find("s:polyline", NS) is not None
        assert g.find("s:rect[@class='band']", NS) is not None
    desc = root.find("s:desc", NS)
    assert desc is not None and "14 mm on 2023-06-10" in (desc.text or "")
    assert "significant_growth" in (desc.text or "")
    assert root.find("s:title", NS) is not None
    texts = " ".join(t.text or "" for t in root.iter("{http://www.w3.org/2000/svg}text"))
    assert "Size (mm)" in texts and "Exam date" in texts


def test_chart_is_offline_and_deterministic() -> None:
    g = growth_of(SEED)
    svg = growth_chart_svg(g)
    assert svg == growth_chart_svg(g)
    assert "<script" not in svg and "href" not in svg
    assert svg.count("http://") == 1  # the SVG namespace only


def test_undated_exams_use_an_exam_axis_and_escape_ids() -> None:
    g = growth_of([(None, "CT", [{"kind": "lesion", "size_mm": 12, "track": "<x&y>"}])])
    svg = growth_chart_svg(g)
    root = ET.fromstring(svg)
    assert [s.get("data-track") for s in root.findall(".//s:g[@class='series']", NS)] == ["<x&y>"]
    assert "Exam" in svg


def test_no_sizes_gives_a_valid_empty_chart() -> None:
    root = ET.fromstring(growth_chart_svg([]))
    assert root.findall(".//s:g[@class='series']", NS) == []
    assert "No measured sizes" in ET.tostring(root, encoding="unicode")
