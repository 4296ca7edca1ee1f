"""Catering forecast: expected presence × canteen uptake ratio of the weekday, learned from history.

The uptake ratio of a weekday is the meals served over the people present on the past days of that
weekday (a ratio of sums, so busy days weigh more). The error band is the 10th–90th percentile of the
daily ratios of that weekday, applied to the expected presence. Accuracy is the MAPE of the same
forecast replayed over the last weeks: each past day forecast from the history before it.
"""

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

WEEKDAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
DEFAULT_RATIO = 0.5  # used for a weekday with no history at all (said on the page)


@dataclass(frozen=True)
class Day:
    day: date
    present: int
    meals: int


@dataclass(frozen=True)
class Forecast:
    day: date
    expected_present: int
    ratio: float
    meals: int
    low: int
    high: int
    history_days: int


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return math.nan
    position = (len(ordered) - 1) * q
    lower, upper = math.floor(position), math.ceil(position)
    return ordered[lower] + (ordered[upper] - ordered[lower]) * (position - lower)


def weekday_ratios(history: Iterable[Day]) -> dict[int, tuple[float, list[float]]]:
    """weekday → (ratio of sums, daily ratios); days with nobody present are skipped."""
    meals, present, daily = defaultdict(int), defaultdict(int), defaultdict(list)
    for row in history:
        if row.present <= 0:
            continue
        weekday = row.day.weekday()
        meals[weekday] += row.meals
        present[weekday] += row.present
        daily[weekday].append(row.meals / row.present)
    return {weekday: (meals[weekday] / present[weekday], daily[weekday]) for weekday in present}


def forecast(day: date, expected_present: int, history: Iterable[Day]) -> Forecast:
    ratios = weekday_ratios(history)
    ratio, daily = ratios.get(day.weekday(), (DEFAULT_RATIO, []))
    meals = round(ratio * expected_present)
    if len(daily) >= 2:
        low = math.floor(_quantile(daily, 0.1) * expected_present)
        high = math.ceil(_quantile(daily, 0.9) * expected_present)
    else:
        low, high = meals, meals
    return Forecast(day, expected_present, ratio, meals, min(low, meals), max(high, meals), len(daily))


def mape(history: Iterable[Day], *, weeks: int = 4, today: date) -> float | None:
    """Mean absolute percentage error (in %) of the forecast replayed over the last `weeks` weeks.

    Each day of the window is forecast with its actual presence and the history strictly before it,
    so the figure measures the ratio's stability. Days with no meals served are left out (no division
    by zero); None when nothing can be measured."""
    rows = sorted(history, key=lambda row: row.day)
    start = today - timedelta(weeks=weeks)
    errors = []
    for index, row in enumerate(rows):
        if not (start <= row.day < today) or row.meals <= 0:
            continue
        past = [other for other in rows[:index] if other.day < row.day]
        if not any(other.day.weekday() == row.day.weekday() for other in past):
            continue
        predicted = forecast(row.day, row.present, past).meals
        errors.append(abs(predicted - row.meals) / row.meals)
    return round(100 * sum(errors) / len(errors), 1) if errors else None
