"""The HTML page: self-contained, diagram marks the right segments, all parts present."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from hepcalc.model import Assessment
from hepcalc.render import render

ALLOWED_LINK_PREFIXES = ("https://doi.org/", "https://pubmed.ncbi.nlm.nih.gov/")


class Page(HTMLParser):
    """Collects what the tests look at."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def segments(self) -> dict[str, str]:
        return {
            str(a["data-segment"]): str(a.get("class") or "")
            for _t, a in self.tags
            if "data-segment" in a
        }


def parse(html: str) -> Page:
    p = Page()
    p.feed(html)
    return p


def test_no_external_assets(any_case: Assessment) -> None:
    for audience in ("clinician", "patient"):
        page = parse(render(any_case, "html", audience))
        for tag, attrs in page.tags:
            assert tag not in ("script", "link", "iframe", "img", "object", "embed"), tag
            assert "src" not in attrs, (tag, attrs)
            href = attrs.get("href")
            if href is not None and tag == "a":
                assert href.startswith(ALLOWED_LINK_PREFIXES), href
            elif href is not None:
                pytest.fail(f"href on <{tag}>: {href}")
        assert "url(http" not in page.style and "@import" not in page.style


def test_reference_links_present(seed000_growth: Assessment) -> None:
    page = parse(render(seed000_growth, "html"))
    hrefs = [a["href"] for t, a in page.tags if t == "a"]
    assert "https://doi.org/10.1038/s41598-017-15860-1" in hrefs


def test_diagram_has_eight_segments_and_marks_the_finding(punctate_low_risk: Assessment) -> None:
    seg = parse(render(punctate_low_risk, "html")).segments()
    assert sorted(seg, key=int) == [str(n) for n in range(1, 9)]
    assert "marked" in seg["7"].split()
    assert all("marked" not in c.split() for n, c in seg.items() if n != "7")


def test_lobe_only_location_shades_the_lobe(seed000_growth: Assessment) -> None:
    # Track A: right lobe only; track B: segment 3.
    seg = parse(render(seed000_growth, "html")).segments()
    assert "marked" in seg["3"].split()
    for n in ("5", "6", "7", "8"):
        assert "lobe-marked" in seg[n].split()
    assert "marked" not in seg["4"].split() and "lobe-marked" not in seg["4"].split()


def test_page_has_recommendation_box_patient_text_and_references(
    cystic_septations: Assessment,
) -> None:
    html = render(cystic_septations, "html")
    page = parse(html)
    ids = {a.get("id") for _t, a in page.tags}
    assert {"recommendations", "patient", "references", "liver-diagram"} <= ids
    text = " ".join(page.text)
    assert "surgical consultation" in text
    assert "What happens next?" in text


def test_patient_audience_puts_the_explanation_first(cystic_septations: Assessment) -> None:
    html = render(cystic_septations, "html", "patient")
    assert html.index('id="patient"') < html.index('id="recommendations"')
    html = render(cystic_septations, "html", "clinician")
    assert html.index('id="patient"') > html.index('id="recommendations"')


def test_text_is_escaped(punctate_low_risk: Assessment) -> None:
    a = punctate_low_risk.model_copy(deep=True)
    a.recommendations[0].rationale = "<script>alert(1)</script>"
    html = render(a, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;" in html


def test_growth_chart_included_for_serial_measurements(seed000_growth: Assessment) -> None:
    ids = {a.get("id") for _t, a in parse(render(seed000_growth, "html")).tags}
    assert "growth-chart" in ids
