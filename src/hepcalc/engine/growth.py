"""Did a lesion grow? A track's size change judged against measurement variability.

Which two measurements are compared: the latest one, against the earliest one
of the *same modality* if there is one (so an ultrasound is compared with an
ultrasound), else against the earliest one at all (then the modalities differ,
the text says the sizes are not directly comparable, and the wider band is
used, see ``variability``). Every measurement is kept in ``points`` for the chart.

Status:

* ``new``: first seen after an earlier exam that could have shown it;
* ``resolved``: absent from the latest exam, which could have shown it;
* ``significant_growth`` / ``decreased``: the change is beyond the band;
* ``within_variability``: a non-zero change inside the band; ``stable``: no change;
* ``not_comparable``: only one measurement, a size missing, or a radiograph involved.

A single report that states a prior size ("now 19 mm, previously 12 mm") is
compared the same way, assuming the same modality, with the interval unknown.
A comparison word without sizes ("increased") is passed on as the reader's
statement. ``lirads_threshold_growth`` is the LI-RADS v2018 arithmetic (>=50%
within 6 calendar months) on CT/MRI pairs only; it is False for ultrasound,
where LI-RADS threshold growth is not defined, and None when no CT/MRI pair
has dates.
"""

from __future__ import annotations

from hepcalc.engine import variability
from hepcalc.engine.lirads import SECTIONAL, is_threshold_growth, within_six_months
from hepcalc.engine.tracks import Observation, Track
from hepcalc.model import (
    Comparison,
    Growth,
    GrowthPoint,
    GrowthStatus,
    Modality,
)

DERIVED_NOTE = (
    "The band is a derived heuristic assembled from published measurement studies (some in "
    "other organs), not a validated threshold for liver calcifications."
)
CALCIFIED_US_NOTE = (
    "Ultrasound size is unreliable for a calcification: the bright surface and its acoustic "
    "shadow blur the edges, and ultrasound over-measures calcified objects by about 2 mm on "
    "average (kidney-stone studies: Ray 2010, Urology 2016, Dunmire 2015), more with depth and "
    "gain. An apparent increase can also come from measuring a cluster or a different focus as "
    "one, or from a soft-tissue rim now seen around the calcification."
)
CONFIRM_NOTE = (
    "Non-contrast CT is the reference for the true size and density of a calcification; if "
    "growth is confirmed, contrast-enhanced CT or MRI looks for an associated soft-tissue lesion."
)


def _points(track: Track) -> list[GrowthPoint]:
    return [
        GrowthPoint(
            exam=o.exam.id or "",
            date=o.exam.date,
            modality=o.exam.modality,
            size_mm=o.finding.size_mm,
        )
        for o in track.observations
    ]


def _baseline(track: Track) -> Observation | None:
    latest = track.observations[-1]
    sized = [o for o in track.observations[:-1] if o.finding.size_mm is not None]
    same = [o for o in sized if o.exam.modality is latest.exam.modality]
    if same:
        return same[0]
    return sized[0] if sized else None


def threshold_growth(track: Track) -> bool | None:
    """LI-RADS v2018 threshold growth on any dated CT/MRI pair of the track."""
    pts = [
        o
        for o in track.observations
        if o.exam.modality in SECTIONAL and o.finding.size_mm is not None and o.exam.date
    ]
    if len(pts) < 2:
        return False if not any(o.exam.modality in SECTIONAL for o in track.observations) else None
    for j in range(len(pts)):
        for i in range(j):
            a, b = pts[i], pts[j]
            assert a.exam.date is not None and b.exam.date is not None
            if is_threshold_growth(
                a.finding.size_mm or 0.0, b.finding.size_mm or 0.0, a.exam.date, b.exam.date
            ):
                return True
    return False


def _fmt(x: float) -> str:
    return f"{x:.1f}".rstrip("0").rstrip(".")


def _compare(
    track: Track,
    size_from: float,
    size_to: float,
    mod_from: Modality,
    mod_to: Modality,
    interval_days: int | None,
    where: str,
) -> Growth:
    f = track.observations[-1].finding
    calcified = f.is_calcified
    b = variability.band(mod_from, mod_to, size_from, calcified)
    change = round(size_to - size_from, 1)
    pct = round((size_to - size_from) / size_from * 100, 1)
    exceeds = abs(change) > b.limit_mm
    if Modality.XR in (mod_from, mod_to):
        status = GrowthStatus.not_comparable
        exceeds_out: bool | None = None
    else:
        exceeds_out = exceeds
        if change == 0:
            status = GrowthStatus.stable
        elif not exceeds:
            status = GrowthStatus.within_variability
        elif change > 0:
            status = GrowthStatus.significant_growth
        else:
            status = GrowthStatus.decreased
    sign = "+" if change > 0 else ""
    text = (
        f"Track {track.id} measured {_fmt(size_from)} mm and then {_fmt(size_to)} mm {where}: "
        f"{sign}{_fmt(change)} mm ({sign}{pct:.1f}%)"
    )
    text += f" in {interval_days} days. " if interval_days is not None else ". "
    if not b.comparable:
        text += "The modalities differ, so the sizes are not directly comparable. "
    margin = abs(change) - b.limit_mm
    if status is GrowthStatus.not_comparable:
        text += "A radiograph does not give a reliable size; no growth judgement is made. "
    elif exceeds:
        direction = "increase" if change > 0 else "decrease"
        text += (
            f"This {direction} exceeds the expected measurement variability of about "
            f"+-{_fmt(b.limit_mm)} mm by {_fmt(margin)} mm, so it is unlikely to be measurement "
            "error alone. "
        )
    else:
        text += (
            f"This is within the expected measurement variability of about +-{_fmt(b.limit_mm)} "
            f"mm ({_fmt(-margin)} mm inside it), so it does not show a real change. "
        )
    text += DERIVED_NOTE  # the basis itself is in Growth.variability_basis
    cites = list(b.citations)
    if calcified and Modality.US in (mod_from, mod_to):
        text += " " + CALCIFIED_US_NOTE
        if status is GrowthStatus.significant_growth:
            text += " " + CONFIRM_NOTE
    tg = threshold_growth(track)
    if tg:
        text += " LI-RADS threshold growth (>=50% within 6 months on CT/MRI) is met."
    return Growth(
        track=track.id,
        status=status,
        from_mm=size_from,
        to_mm=size_to,
        interval_days=interval_days,
        change_mm=change,
        change_pct=pct,
        exceeds_measurement_variability=exceeds_out,
        lirads_threshold_growth=tg,
        explanation=text,
        variability_mm=b.limit_mm,
        variability_basis=b.basis,
        matched_by=track.matched_by,
        points=_points(track),
        citations=cites,
    )


def assess_growth(track: Track) -> Growth:
    """Growth status of one track with a plain explanation (module docstring)."""
    latest = track.observations[-1]
    f = latest.finding
    common = {
        "track": track.id,
        "matched_by": track.matched_by,
        "points": _points(track),
    }
    if track.resolved:
        return Growth(
            status=GrowthStatus.resolved,
            from_mm=f.size_mm,
            lirads_threshold_growth=threshold_growth(track),
            explanation=(
                f"Track {track.id} was last seen on {latest.exam.id} and is not described on the "
                "latest exam, which could have shown it. A lesion that is no longer seen may have "
                "resolved, or may simply not have been mentioned; compare the images."
            ),
            **common,
        )
    base = _baseline(track)
    if base is not None and f.size_mm is not None:
        size_from = base.finding.size_mm or 0.0
        days = (
            (latest.exam.date - base.exam.date).days
            if latest.exam.date and base.exam.date
            else None
        )
        where = (
            f"({base.exam.modality.value} {base.exam.date or base.exam.id} -> "
            f"{latest.exam.modality.value} {latest.exam.date or latest.exam.id})"
        )
        return _compare(
            track, size_from, f.size_mm, base.exam.modality, latest.exam.modality, days, where
        )
    if len(track.observations) == 1 and f.prior_size_mm is not None and f.size_mm is not None:
        g = _compare(
            track,
            f.prior_size_mm,
            f.size_mm,
            latest.exam.modality,
            latest.exam.modality,
            None,
            f"(prior size stated in the {latest.exam.modality.value} report {latest.exam.id}; "
            "same modality assumed, interval not given)",
        )
        return g
    if track.new:
        size = f"{_fmt(f.size_mm)} mm " if f.size_mm is not None else ""
        return Growth(
            status=GrowthStatus.new,
            to_mm=f.size_mm,
            lirads_threshold_growth=False,
            explanation=(
                f"Track {track.id} ({size}{f.kind.value}) is new on {latest.exam.id}: it was not "
                "described on the earlier exam(s) that could have shown it."
            ),
            **common,
        )
    if len(track.observations) == 1 and f.comparison is not None:
        status = {
            Comparison.new: GrowthStatus.new,
            Comparison.stable: GrowthStatus.stable,
            Comparison.increased: GrowthStatus.significant_growth,
            Comparison.decreased: GrowthStatus.decreased,
            Comparison.resolved: GrowthStatus.resolved,
        }[f.comparison]
        return Growth(
            status=status,
            to_mm=f.size_mm,
            explanation=(
                f"The report for {latest.exam.id} describes track {track.id} as "
                f"{f.comparison.value} compared with a prior exam; no prior measurement is given, "
                "so hepcalc could not check the change against measurement variability."
            ),
            **common,
        )
    return Growth(
        status=GrowthStatus.not_comparable,
        to_mm=f.size_mm,
        lirads_threshold_growth=threshold_growth(track),
        explanation=(
            f"Track {track.id} has "
            + ("only one measurement" if len(track.observations) == 1 else "missing sizes")
            + ", so there is nothing to compare it with."
        ),
        **common,
    )


__all__ = ["assess_growth", "threshold_growth", "within_six_months"]
