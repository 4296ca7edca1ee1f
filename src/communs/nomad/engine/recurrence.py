"""Declarations with recurrence: RFC 5545 RRULE + EXDATE, expanded over a bounded horizon.

`expand("FREQ=WEEKLY;BYDAY=TU;COUNT=4", date(2026, 1, 6), exdates=[date(2026, 1, 20)])`
→ the 6th, 13th and 27th of January. A rule with neither COUNT nor UNTIL stops at the horizon
(`HORIZON_DAYS` after the start), so nothing is ever expanded without bound.
"""

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from dateutil.rrule import rrulestr

HORIZON_DAYS = 366
MAX_OCCURRENCES = 400


class RecurrenceError(ValueError):
    """A rule that cannot be read; the message names the field."""


def parse_exdates(text: str | Iterable[date] | None) -> list[date]:
    """`"2026-01-20,2026-02-03"` → dates; raises RecurrenceError naming the bad item."""
    if text is None:
        return []
    if not isinstance(text, str):
        return sorted(set(text))
    result = []
    for position, item in enumerate(filter(None, (part.strip() for part in text.split(","))), start=1):
        try:
            result.append(date.fromisoformat(item))
        except ValueError:
            raise RecurrenceError(f"exdate n° {position} « {item} » invalide (attendu AAAA-MM-JJ).") from None
    return sorted(set(result))


def expand(
    rrule: str | None, start: date, exdates: Iterable[date] = (), *, horizon_days: int = HORIZON_DAYS
) -> list[date]:
    """Every date of the declaration, EXDATEs removed, within `horizon_days` of `start`."""
    excluded = set(exdates)
    if not rrule or not rrule.strip():
        return [] if start in excluded else [start]
    text = rrule.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    if "DTSTART" in text.upper():
        raise RecurrenceError("rrule : DTSTART est donné par la date de début, pas dans la règle.")
    try:
        rule = rrulestr(text, dtstart=datetime(start.year, start.month, start.day), forceset=False)
    except (ValueError, TypeError) as exc:
        raise RecurrenceError(f"rrule « {rrule} » invalide : {exc}") from None
    limit = datetime.combine(start + timedelta(days=horizon_days), datetime.min.time())
    days = []
    for occurrence in rule.xafter(datetime(start.year, start.month, start.day) - timedelta(seconds=1), inc=True):
        if occurrence > limit or len(days) >= MAX_OCCURRENCES:
            break
        day = occurrence.date()
        if day not in excluded:
            days.append(day)
    return sorted(set(days))


def iso_week(day: date) -> tuple[int, int]:
    year, week, _ = day.isocalendar()
    return year, week


def weeks_over_cap(existing: Iterable[date], new: Iterable[date], cap: int) -> dict[tuple[int, int], int]:
    """ISO weeks where existing + new telework days exceed `cap`, with the total of that week."""
    per_week: dict[tuple[int, int], set[date]] = defaultdict(set)
    for day in list(existing) + list(new):
        per_week[iso_week(day)].add(day)
    new_weeks = {iso_week(day) for day in new}
    return {week: len(days) for week, days in sorted(per_week.items()) if week in new_weeks and len(days) > cap}
