"""A growth chart: size over time per lesion track, with its measurement band.

One self-contained SVG string (no script, no external font or stylesheet, no
network) that the HTML page and the web face can inline. Each track is one
series (``<g class="series" data-track="A">``): a line through its measured
sizes, a dot per exam with a tooltip, and a shaded band of +- the measurement
variability around the first compared size, so a reader sees at a glance
whether the later dot leaves the band. Accessible: ``role="img"`` with a
``<title>`` and a ``<desc>`` that states every series in words.

Only the Growth objects are read (their ``points``, ``from_mm`` and
``variability_mm``); nothing clinical is decided here. Output is deterministic.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from hepcalc.model import Growth, GrowthPoint

# Narrow on purpose: at a 400 px phone width the chart is drawn at about 0.9 of
# its size, so 14 px text stays >= 12 px on screen; the legend sits under the
# plot (not beside it) so the plot keeps its width.
WIDTH = 400
LEFT, RIGHT, TOP, PLOT_H = 52, 20, 16, 220
FONT = 14
LEGEND_COLUMNS = 2
MAX_DATE_TICKS = 3
# Okabe-Ito colour-blind-safe palette.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000")


def _num(x: float) -> str:
    return f"{x:.1f}"


def _nice_step(span: float) -> float:
    raw = span / 5 if span > 0 else 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100):
        if step >= raw:
            return float(step)
    return 100.0


def _sized(g: Growth) -> list[GrowthPoint]:
    return [p for p in g.points if p.size_mm is not None]


@dataclass(frozen=True)
class _Frame:
    """The plot's coordinate system: dates (or exam order) across, millimetres up."""

    use_dates: bool
    order: tuple[str, ...]  # exam order of first appearance, when not using dates
    x_min: int
    x_max: int
    y_top: float
    step: float

    def x_at(self, date: dt.date | None, exam: str) -> float:
        plot_w = WIDTH - LEFT - RIGHT
        v = date.toordinal() if self.use_dates and date else self.order.index(exam)
        if self.x_max == self.x_min:
            return LEFT + plot_w / 2
        return LEFT + (v - self.x_min) / (self.x_max - self.x_min) * plot_w

    def x_of(self, p: GrowthPoint) -> float:
        return self.x_at(p.date, p.exam)

    def y_of(self, mm: float) -> float:
        return TOP + PLOT_H - max(mm, 0.0) / self.y_top * PLOT_H


def _frame(series: list[Growth]) -> _Frame:
    """Axis ranges: a time axis when every point is dated, else exam order.

    The y axis ends one nice step above the largest size or band top.
    """
    all_points = [p for g in series for p in _sized(g)]
    use_dates = bool(all_points) and all(p.date is not None for p in all_points)
    order: list[str] = []
    if use_dates:
        ords = [p.date.toordinal() for p in all_points if p.date is not None]
        x_min, x_max = min(ords), max(ords)
    else:
        for p in all_points:
            if p.exam not in order:
                order.append(p.exam)
        x_min, x_max = 0, max(len(order) - 1, 0)
    top_value = 1.0
    for g in series:
        for p in _sized(g):
            top_value = max(top_value, p.size_mm or 0.0)
        if g.from_mm is not None and g.variability_mm is not None:
            top_value = max(top_value, g.from_mm + g.variability_mm)
    step = _nice_step(top_value * 1.1)
    y_top = step * (int(top_value * 1.1 / step) + 1)
    return _Frame(use_dates, tuple(order), x_min, x_max, y_top, step)


def _description(series: list[Growth]) -> str:
    """Every series in words, for the ``<desc>`` a screen reader reads."""
    desc_parts: list[str] = []
    for g in series:
        pts = ", ".join(
            f"{p.size_mm:g} mm on {p.date.isoformat() if p.date else p.exam} ({p.modality.value})"
            for p in _sized(g)
        )
        band = (
            f"; measurement band +-{g.variability_mm:g} mm around {g.from_mm:g} mm"
            if g.variability_mm is not None and g.from_mm is not None
            else ""
        )
        desc_parts.append(f"Finding {g.track} ({g.status.value}): {pts}{band}.")
    return " ".join(desc_parts) if desc_parts else "No measured sizes to plot."


def _y_ticks(frame: _Frame) -> list[str]:
    """Horizontal grid lines with their size labels, every ``frame.step`` mm."""
    plot_w = WIDTH - LEFT - RIGHT
    out = ['<g class="y-ticks" fill="#222222" text-anchor="end">']
    v = 0.0
    while v <= frame.y_top + 1e-9:
        y = frame.y_of(v)
        out.append(
            f'<line x1="{LEFT - 4}" y1="{_num(y)}" x2="{LEFT + plot_w}" y2="{_num(y)}" '
            'stroke="#dddddd" stroke-width="1"/>'
        )
        out.append(f'<text x="{LEFT - 8}" y="{_num(y + 4)}">{v:g}</text>')
        v += frame.step
    out.append("</g>")
    return out


def _x_ticks(frame: _Frame) -> list[str]:
    """Up to MAX_DATE_TICKS dates (end ticks aligned inward), or every exam's name."""
    out = ['<g class="x-ticks" fill="#222222" text-anchor="middle">']
    if frame.use_dates:
        x_min, x_max = frame.x_min, frame.x_max
        n = 1 if x_max == x_min else min(MAX_DATE_TICKS, x_max - x_min + 1)
        for i in range(n):
            o = x_min if n == 1 else round(x_min + (x_max - x_min) * i / (n - 1))
            x = frame.x_at(dt.date.fromordinal(o), "")
            # end ticks align inward so a date never runs off the drawing
            anchor = (
                "middle" if n == 1 else ("start" if i == 0 else "end" if i == n - 1 else "middle")
            )
            out.append(
                f'<text x="{_num(x)}" y="{TOP + PLOT_H + 18}" text-anchor="{anchor}">'
                f"{dt.date.fromordinal(o).isoformat()}</text>"
            )
    else:
        for e in frame.order:
            x = frame.x_at(None, e)
            out.append(f'<text x="{_num(x)}" y="{TOP + PLOT_H + 18}">{escape(e)}</text>')
    out.append("</g>")
    return out


def _series_svg(k: int, g: Growth, frame: _Frame, legend_top: int) -> list[str]:
    """One track: its band, line, dots with tooltips and legend entry, in one ``<g>``."""
    colour = PALETTE[k % len(PALETTE)]
    pts = _sized(g)
    out = [
        f'<g class="series" data-track={quoteattr(g.track)} '
        f"data-status={quoteattr(g.status.value)}>",
        f"<title>{escape(f'Finding {g.track}: {g.status.value}')}</title>",
    ]
    if g.variability_mm is not None and g.from_mm is not None:
        xs = [frame.x_of(p) for p in pts]
        x0, x1 = min(xs), max(xs)
        if x1 - x0 < 8:
            x0, x1 = x0 - 6, x1 + 6
        lo = frame.y_of(g.from_mm + g.variability_mm)
        hi = frame.y_of(g.from_mm - g.variability_mm)
        out.append(
            f'<rect class="band" x="{_num(x0)}" y="{_num(lo)}" width="{_num(x1 - x0)}" '
            f'height="{_num(hi - lo)}" fill="{colour}" fill-opacity="0.15" stroke="none">'
            f"<title>{escape(f'Measurement band: {g.from_mm:g} +- {g.variability_mm:g} mm')}"
            "</title></rect>"
        )
    if len(pts) > 1:
        coords = " ".join(
            f"{_num(frame.x_of(p))},{_num(frame.y_of(p.size_mm or 0.0))}" for p in pts
        )
        out.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
    for p in pts:
        when = p.date.isoformat() if p.date else p.exam
        out.append(
            f'<circle cx="{_num(frame.x_of(p))}" cy="{_num(frame.y_of(p.size_mm or 0.0))}" r="4" '
            f'fill="{colour}"><title>'
            f"{escape(f'Finding {g.track}: {p.size_mm:g} mm on {when} ({p.modality.value})')}"
            "</title></circle>"
        )
    lx = 8 + (k % LEGEND_COLUMNS) * (WIDTH // LEGEND_COLUMNS)
    ly = legend_top + (k // LEGEND_COLUMNS) * 22
    out.append(
        f'<rect x="{lx}" y="{ly - 11}" width="12" height="12" fill="{colour}"/>'
        f'<text x="{lx + 18}" y="{ly}">{escape(f"Finding {g.track}")}</text>'
    )
    out.append("</g>")
    return out


def growth_chart_svg(growth: list[Growth], chart_id: str = "growth-chart-svg") -> str:
    """The SVG chart for these tracks (empty-plot SVG with a note when none has a size)."""
    series = [g for g in growth if _sized(g)]
    frame = _frame(series)
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = PLOT_H
    legend_top = TOP + plot_h + 66
    legend_rows = (len(series) + LEGEND_COLUMNS - 1) // LEGEND_COLUMNS
    height = legend_top + legend_rows * 22 + 30
    title = "Lesion size over time"
    desc = _description(series)

    out: list[str] = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id={quoteattr(chart_id)} '
        f'font-family="sans-serif" font-size="{FONT}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        f'<rect x="0" y="0" width="{WIDTH}" height="{height}" fill="#ffffff"/>',
    ]
    # Axes and grid.
    out.append('<g class="axes" stroke="#444444" stroke-width="1">')
    out.append(f'<line x1="{LEFT}" y1="{TOP + plot_h}" x2="{LEFT + plot_w}" y2="{TOP + plot_h}"/>')
    out.append(f'<line x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{TOP + plot_h}"/>')
    out.append("</g>")
    out += _y_ticks(frame)
    out += _x_ticks(frame)
    out.append(
        f'<text class="axis-label" x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h + 42}" '
        f'text-anchor="middle">{"Exam date" if frame.use_dates else "Exam"}</text>'
    )
    out.append(
        f'<text class="axis-label" x="16" y="{TOP + plot_h / 2:.1f}" text-anchor="middle" '
        f'transform="rotate(-90 16 {TOP + plot_h / 2:.1f})">Size (mm)</text>'
    )
    for k, g in enumerate(series):
        out += _series_svg(k, g, frame, legend_top)
    if not series:
        out.append(
            f'<text x="{LEFT + plot_w / 2:.1f}" y="{TOP + plot_h / 2:.1f}" '
            'text-anchor="middle">No measured sizes to plot</text>'
        )
    out.append(
        f'<text x="8" y="{height - 10}" fill="#444444">Shaded: measurement band (derived)</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
