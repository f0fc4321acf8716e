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
from hepcalc.render.note import step_line
from hepcalc.render.patient import compose_patient
from hepcalc.render.sentence import impression_sentence
from hepcalc.render.tidy import clean, link_text, single_stops, strip_label
from hepcalc.render.view import etiology_name, reference_link, references


def growth_chart(growth: list[Growth]) -> Markup | None:
    """The chart SVG when at least one track has two measured points."""
    if not any(sum(p.size_mm is not None for p in g.points) > 1 for g in growth):
        return None
    return Markup(growth_chart_svg(growth))


def patient_sections(a: Assessment | str) -> list[dict[str, Any]]:
    """The patient text as (question heading, paragraphs) blocks.

    Takes the Assessment (the sections come straight from the message catalog)
    or, for older callers, the finished text split at blank lines.
    """
    if isinstance(a, str):
        sections = []
        for block in a.strip().split("\n\n"):
            lines = block.strip().splitlines()
            sections.append({"heading": lines[0], "paragraphs": lines[1:]})
        return sections
    return [{"heading": h, "paragraphs": p} for h, p in compose_patient(a).sections]


def grouped_differential(a: Assessment, cite: Any) -> list[dict[str, Any]]:
    """The differential grouped under each finding (ranks restart per finding)."""
    groups: list[dict[str, Any]] = []
    tracks = [f.track for f in a.findings]
    others = sorted({d.track or "" for d in a.differential} - set(tracks))
    for track in [*tracks, *others]:
        items = sorted(
            (d for d in a.differential if (d.track or "") == track), key=lambda d: d.rank
        )
        if not items:
            continue
        groups.append(
            {
                "label": f"Finding {track}" if track else "All findings",
                "items": [
                    {"d": d, "name": etiology_name(d.etiology, d.name), "cite": cite(d.citations)}
                    for d in items
                ],
            }
        )
    return groups


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
        growth=[
            {
                "g": g,
                "line": clean(growth_line(g)),
                "explanation": clean(g.explanation),
                "cite": refs.cite(g.citations),
            }
            for g in a.growth
        ],
        lirads=[{"l": lr, "reason": strip_label(lr.category.value, lr.reason)} for lr in a.lirads]
        if a.lirads is not None
        else None,
        recs=[
            {
                "r": r,
                "rationale": clean(r.rationale),
                "step": step_line(r),
                "what": words.clinician_action(r),
                "assumptions": [strip_label("Assumes", x) for x in r.assumptions],
                "cite": refs.cite(r.citations),
            }
            for r in a.recommendations
        ],
        must_exclude=[
            {
                "name": etiology_name(m.etiology, m.name),
                "m": m,
                "cite": refs.cite(m.citations),
            }
            for m in a.must_exclude
        ],
        warnings=[{"w": w, "cite": refs.cite(w.citations)} for w in a.warnings],
        differential=grouped_differential(a, refs.cite),
        liver=liver_svg(a.findings),
        chart=growth_chart(a.growth),
        patient=patient_sections(a),
        refs=[
            {
                "n": refs.number[r.key],
                "r": r,
                "text": single_stops(r.text),
                "link": reference_link(r),
                "link_text": link_text(reference_link(r) or ""),
            }
            for r in refs.items
        ],
    )
