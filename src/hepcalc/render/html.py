"""One self-contained printable HTML page for an Assessment.

Everything is inline (CSS, SVG); the only URLs are links to the cited papers
(doi.org / PubMed), so the page can be saved, mailed, printed or opened with no
network and leaks nothing when viewed. The growth chart comes from
``render/chart.py`` (another module's job) when it is installed; without it the
page simply has no chart.
"""

from __future__ import annotations

from typing import Any

from markupsafe import Markup

from hepcalc.model import Assessment, Growth
from hepcalc.render import words
from hepcalc.render.chart import growth_chart_svg
from hepcalc.render.clinician import finding_line, growth_line
from hepcalc.render.environment import render_template
from hepcalc.render.liver_diagram import liver_svg
from hepcalc.render.patient import render_patient_text
from hepcalc.render.sentence import impression_sentence
from hepcalc.render.view import reference_link, references


def growth_chart(growth: list[Growth]) -> Markup | None:
    """The chart SVG when at least one track has two measured points."""
    if not any(sum(p.size_mm is not None for p in g.points) > 1 for g in growth):
        return None
    return Markup(growth_chart_svg(growth))


def patient_sections(text: str) -> list[dict[str, Any]]:
    """Split the patient text into (question heading, paragraphs) blocks."""
    sections = []
    for block in text.strip().split("\n\n"):
        lines = block.strip().splitlines()
        sections.append({"heading": lines[0], "paragraphs": lines[1:]})
    return sections


def render_html(a: Assessment, audience: str = "clinician") -> str:
    refs = references(a)
    return render_template(
        "report.html.j2",
        a=a,
        audience=audience,
        impression=impression_sentence(a),
        findings=[
            {"f": f, "line": finding_line(f), "place": words.clinician_place(f.location)}
            for f in a.findings
        ],
        growth=[{"g": g, "line": growth_line(g), "cite": refs.cite(g.citations)} for g in a.growth],
        lirads=a.lirads,
        recs=[
            {
                "r": r,
                "what": words.clinician_action(r),
                "plain": words.plain_action(r),
                "cite": refs.cite(r.citations),
            }
            for r in a.recommendations
        ],
        warnings=[{"w": w, "cite": refs.cite(w.citations)} for w in a.warnings],
        differential=[
            {
                "d": d,
                "name": words.etiology_name(d.etiology, d.name),
                "cite": refs.cite(d.citations),
            }
            for d in sorted(a.differential, key=lambda d: (d.rank, d.etiology))
        ],
        liver=liver_svg(a.findings),
        chart=growth_chart(a.growth),
        patient=patient_sections(render_patient_text(a)),
        refs=[{"n": refs.number[r.key], "r": r, "link": reference_link(r)} for r in refs.items],
    )
