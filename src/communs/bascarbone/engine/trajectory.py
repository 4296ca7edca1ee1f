"""Year-over-year comparison and the reduction trajectory against a target.

The trajectory is linear between the reference year's emissions and the target year's
(reference × (1 − reduction)), as the State's « services publics écoresponsables » circular and
the SNBC budgets are expressed; a year's gap is its emissions minus the trajectory's value.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class YearComparison:
    previous_kg: float
    current_kg: float

    @property
    def change_kg(self) -> float:
        return self.current_kg - self.previous_kg

    @property
    def change_ratio(self) -> float | None:
        return self.change_kg / self.previous_kg if self.previous_kg else None


@dataclass(frozen=True)
class Target:
    reference_year: int
    reference_kg: float
    target_year: int
    reduction: float  # 0.4 for −40 %

    def __post_init__(self):
        if self.target_year <= self.reference_year:
            raise ValueError("l'année cible doit suivre l'année de référence")
        if not 0 <= self.reduction <= 1:
            raise ValueError("la réduction visée est une part entre 0 et 1")

    @property
    def target_kg(self) -> float:
        return self.reference_kg * (1 - self.reduction)

    def expected_kg(self, year: int) -> float:
        """Emissions the linear trajectory allows in `year` (flat outside the period)."""
        if year <= self.reference_year:
            return self.reference_kg
        if year >= self.target_year:
            return self.target_kg
        share = (year - self.reference_year) / (self.target_year - self.reference_year)
        return self.reference_kg + share * (self.target_kg - self.reference_kg)

    def gap_kg(self, year: int, actual_kg: float) -> float:
        """Positive: above the trajectory (behind schedule)."""
        return actual_kg - self.expected_kg(year)


def trajectory(target: Target, actual: dict[int, float]) -> list[dict]:
    """One row per year from reference to target: expected, actual (if known) and gap."""
    rows = []
    for year in range(target.reference_year, target.target_year + 1):
        expected = target.expected_kg(year)
        value = actual.get(year)
        rows.append(
            {
                "year": year,
                "expected_kg": expected,
                "actual_kg": value,
                "gap_kg": None if value is None else value - expected,
            }
        )
    return rows
