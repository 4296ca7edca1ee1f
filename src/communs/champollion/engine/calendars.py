"""Opening days of an establishment, used to count the carence (L1244-3-1: "jours d'ouverture").

Default: Monday to Friday, French public holidays closed; Alsace-Moselle (57, 67, 68) add their
local holidays (Good Friday, 26 December) through `holidays.France(subdiv=...)`. Each
establishment may configure its weekdays, extra closed dates and whether holidays are closed.
"""

import csv
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import holidays

WEEKDAY_NAMES = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
# département → subdivision of `holidays.France`: Moselle, Alsace (Bas-Rhin, Haut-Rhin), overseas
HOLIDAY_SUBDIVISIONS = {
    "57": "57",
    "67": "6AE",
    "68": "6AE",
    "971": "971",
    "972": "972",
    "973": "973",
    "974": "974",
    "976": "976",
}


class CalendarFileError(ValueError):
    pass


def parse_weekdays(spec: str) -> frozenset[int]:
    """`mon-fri`, `mon-sat`, `mon,wed,fri` → weekday numbers (Monday = 0)."""
    days: set[int] = set()
    for part in spec.lower().replace(" ", "").split(","):
        if not part:
            continue
        if "-" in part:
            first, last = part.split("-", 1)
            a, b = WEEKDAY_NAMES.index(first), WEEKDAY_NAMES.index(last)
            days.update(range(a, b + 1))
        else:
            days.add(WEEKDAY_NAMES.index(part))
    if not days:
        raise ValueError(f"jours d'ouverture « {spec} » vides")
    return frozenset(days)


HOLIDAY_YEARS = range(1990, 2061)


@lru_cache(maxsize=16)
def _all_public_holidays(subdiv: str | None) -> frozenset[date]:
    """Every public holiday of 1990–2060 for a subdivision (one `holidays` object: building one is slow)."""
    return frozenset(holidays.France(subdiv=subdiv, years=HOLIDAY_YEARS).keys())


def _public_holidays(subdiv: str | None, year: int) -> frozenset[date]:
    if year in HOLIDAY_YEARS:
        return _all_public_holidays(subdiv)
    return frozenset(holidays.France(subdiv=subdiv, years=year).keys())


@dataclass(frozen=True)
class OpeningCalendar:
    weekdays: frozenset[int] = frozenset(range(5))
    closed_dates: frozenset[date] = field(default_factory=frozenset)
    holidays_closed: bool = True
    departement: str = ""

    @property
    def subdiv(self) -> str | None:
        return HOLIDAY_SUBDIVISIONS.get(self.departement)

    def is_open(self, day: date) -> bool:
        if day.weekday() not in self.weekdays or day in self.closed_dates:
            return False
        return not (self.holidays_closed and day in _public_holidays(self.subdiv, day.year))

    def nth_opening_day_after(self, day: date, n: int) -> date:
        """The n-th opening day strictly after `day` (n ≥ 1)."""
        current = day
        count = 0
        while count < n:
            current += timedelta(days=1)
            if self.is_open(current):
                count += 1
        return current

    def describe(self) -> str:
        names = ", ".join(WEEKDAY_NAMES[d] for d in sorted(self.weekdays))
        return f"{names}; jours fériés {'fermés' if self.holidays_closed else 'ouverts'}"


def default_calendar(departement: str = "") -> OpeningCalendar:
    return OpeningCalendar(departement=departement)


def read_calendar_csv(path: Path) -> dict[str, OpeningCalendar]:
    """CSV `siret,weekdays,closed_dates,holidays_closed`; closed_dates ISO dates separated by `;` or space."""
    calendars: dict[str, OpeningCalendar] = {}
    try:
        handle = open(path, encoding="utf-8-sig", newline="")  # noqa: SIM115
    except OSError as exc:
        raise CalendarFileError(f"{path.name} : fichier illisible ({exc.strerror})") from exc
    with handle:
        reader = csv.DictReader(handle)
        missing = {"siret", "weekdays"} - set(reader.fieldnames or [])
        if missing:
            raise CalendarFileError(f"{path.name} : colonne(s) absente(s) : {', '.join(sorted(missing))}")
        for lineno, row in enumerate(reader, start=2):
            try:
                calendars[row["siret"].strip()] = OpeningCalendar(
                    weekdays=parse_weekdays(row["weekdays"] or "mon-fri"),
                    closed_dates=frozenset(_dates((row.get("closed_dates") or "").replace(";", " ").split())),
                    holidays_closed=(row.get("holidays_closed") or "true").strip().lower()
                    in ("1", "true", "oui", "yes", "vrai"),
                )
            except ValueError as exc:
                raise CalendarFileError(f"{path.name}, ligne {lineno} : {exc}") from exc
    return calendars


def _dates(values: Iterable[str]) -> list[date]:
    out = []
    for value in values:
        try:
            out.append(date.fromisoformat(value))
        except ValueError:
            raise ValueError(f"date fermée « {value} » invalide (attendu AAAA-MM-JJ)") from None
    return out
