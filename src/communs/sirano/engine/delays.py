"""Delays: planned versus declared milestone dates, per project and aggregated.

A milestone declared after its planned date is late by the difference in days; one not declared
whose planned date has passed is overdue by `today - planned` (counted apart: it is still open).
"""

import statistics
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class MilestoneDates:
    milestone: str
    planned: date | None
    declared: date | None


@dataclass(frozen=True)
class Delay:
    milestone: str
    days: int | None  # declared − planned (negative: early); None when not computable
    overdue_days: int | None  # today − planned for an undeclared milestone past due


def delay_of(dates: MilestoneDates, today: date) -> Delay:
    if dates.planned is None:
        return Delay(dates.milestone, None, None)
    if dates.declared is not None:
        return Delay(dates.milestone, (dates.declared - dates.planned).days, None)
    overdue = (today - dates.planned).days
    return Delay(dates.milestone, None, overdue if overdue > 0 else None)


@dataclass(frozen=True)
class DelaySummary:
    declared: int  # milestones declared with a planned date
    late: int  # of which declared after the planned date
    mean_days: float | None  # mean delay of the declared ones (days, early ones negative)
    median_days: float | None
    overdue: int  # undeclared and past due


def summarise(delays: list[Delay]) -> DelaySummary:
    days = [delay.days for delay in delays if delay.days is not None]
    return DelaySummary(
        declared=len(days),
        late=sum(1 for value in days if value > 0),
        mean_days=statistics.fmean(days) if days else None,
        median_days=statistics.median(days) if days else None,
        overdue=sum(1 for delay in delays if delay.overdue_days),
    )


def due_soon(planned: date | None, declared: date | None, today: date, within_days: int) -> bool:
    """A reminder is due: not declared yet and planned within the next `within_days` days (or past)."""
    return planned is not None and declared is None and (planned - today).days <= within_days
