"""Due dates for recommendations: calendar arithmetic only, no clinical choices.

The interval itself (``interval_months``) comes from the engine; the registry
only turns it into dates (docs/registry.md, "Due dates"):

* ``due_date`` = date of the latest exam in the assessed history + the interval's
  LOWER bound (the earliest time the follow-up is appropriate).
* ``overdue_after`` = that exam date + the interval's UPPER bound (after it the
  follow-up is late). An action without an interval (for example
  ``characterize_contrast_imaging`` or ``specialist_referral``) is due at the exam
  date and overdue after ``GRACE_DAYS_WITHOUT_INTERVAL`` days: an operational
  default of the registry, not a clinical rule.
* ``no_further_workup`` gets no dates: there is nothing to schedule.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math

from hepcalc.errors import InputError

GRACE_DAYS_WITHOUT_INTERVAL = 30
DAYS_PER_MONTH = 365.25 / 12  # for the fractional part of an interval like 1.5 months

NOTHING_TO_SCHEDULE = frozenset({"no_further_workup"})


def add_months(day: dt.date, months: float) -> dt.date:
    """``day`` plus ``months`` calendar months (clamped to month end), fractions as days.

    2024-01-31 + 1 month = 2024-02-29; 2023-06-10 + 1.5 months = 2023-07-10 + 15 days.
    """
    if not math.isfinite(months) or months < 0:
        raise ValueError(f"interval must be a finite number of months >= 0, not {months!r}")
    whole = math.floor(months)
    extra_days = round((months - whole) * DAYS_PER_MONTH)
    month_index = day.month - 1 + whole
    year = day.year + month_index // 12
    month = month_index % 12 + 1
    try:
        last = calendar.monthrange(year, month)[1]
        return dt.date(year, month, min(day.day, last)) + dt.timedelta(days=extra_days)
    except (OverflowError, ValueError):
        # past 9999-12-31: the exam date is a typing error, not a schedule (issue 16)
        raise InputError(
            [("date", f"no follow-up can be scheduled {months:g} months after {day}")]
        ) from None


def due_window(
    action: str, exam_date: dt.date, interval_months: list[float] | None
) -> tuple[dt.date | None, dt.date | None]:
    """(due_date, overdue_after) for one recommendation made after ``exam_date``."""
    if action in NOTHING_TO_SCHEDULE:
        return None, None
    if not interval_months:
        return exam_date, exam_date + dt.timedelta(days=GRACE_DAYS_WITHOUT_INTERVAL)
    lo = min(interval_months)
    hi = max(interval_months)
    return add_months(exam_date, lo), add_months(exam_date, hi)
