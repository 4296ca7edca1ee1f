"""Occupancy aggregates with statistical confidentiality: a group of fewer than 5 people is not shown."""

from dataclasses import dataclass

MIN_PEOPLE = 5


@dataclass(frozen=True)
class Occupancy:
    label: str
    capacity: int
    booked: int
    checked_in: int
    no_shows: int
    freed: int  # assigned desks whose owner was away that day
    people: int  # distinct people behind the figures (the confidentiality base)

    @property
    def rate(self) -> float | None:
        return self.booked / self.capacity if self.capacity else None


def suppressed(rows, *, min_people: int = MIN_PEOPLE):
    """Split rows into (shown, number hidden): a row is shown only when `people` ≥ `min_people`."""
    shown = [row for row in rows if row.people >= min_people]
    return shown, len(rows) - len(shown)
