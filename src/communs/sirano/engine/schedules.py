"""Funding schedules as data: ordered tranches, each tied to a milestone and a percentage.

Percentages must sum to exactly 100. Amounts are computed in integer cents, each tranche
rounded half-up, and the last tranche absorbs the remainder, so the tranches always sum to the
award exactly and the released total can never exceed it.

    500 000,00 € with 30/30/30/10 → 150 000,00 + 150 000,00 + 150 000,00 + 50 000,00
    100,00 € with 33.33/33.33/33.34 → 33,33 + 33,33 + 33,34
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from communs.sirano.engine.milestones import MILESTONE_BY_CODE

HUNDRED = Decimal(100)


class ScheduleError(ValueError):
    pass


@dataclass(frozen=True)
class TrancheSpec:
    rank: int
    milestone: str
    percent: Decimal


@dataclass(frozen=True)
class TrancheAmount:
    rank: int
    milestone: str
    percent: Decimal
    cents: int


def parse_percents(text: str) -> list[Decimal]:
    """ "30,30,30,10" → [30, 30, 30, 10]; "33.33;33.33;33.34" also works."""
    parts = [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]
    if not parts:
        raise ScheduleError("aucune tranche donnée")
    percents = []
    for part in parts:
        try:
            value = Decimal(part)
        except InvalidOperation as exc:
            raise ScheduleError(f"pourcentage « {part} » illisible") from exc
        percents.append(value)
    return percents


def check_percents(percents: list[Decimal]) -> None:
    if not percents:
        raise ScheduleError("un échéancier a au moins une tranche")
    for rank, percent in enumerate(percents, start=1):
        if not percent.is_finite() or percent <= 0:
            raise ScheduleError(f"tranche {rank} : pourcentage « {percent} » non positif")
    total = sum(percents, Decimal(0))
    if total != HUNDRED:
        raise ScheduleError(f"les pourcentages totalisent {total:f} %, et non 100 %")


def split_award(award_cents: int, percents: list[Decimal]) -> list[int]:
    """Tranche amounts in cents, rounded half-up on the cumulative share: tranche k is
    round(award × (p1 + … + pk)) − round(award × (p1 + … + pk−1)), so the last tranche takes what remains.

    Rounding each tranche on its own could overshoot (eight tranches of 12.5 % of 4 cents are 0.5 cent
    each, all rounded up to 1: 8 cents for an award of 4); on the cumulative share every amount is ≥ 0,
    the amounts sum to the award exactly, and €500,000 at 30/30/30/10 still gives 150,000.00 × 3 + 50,000.00.
    """
    if award_cents <= 0:
        raise ScheduleError("le montant attribué doit être positif")
    check_percents(percents)
    amounts, released, cumulative = [], 0, Decimal(0)
    for percent in percents[:-1]:
        cumulative += percent
        target = int((Decimal(award_cents) * cumulative / HUNDRED).quantize(Decimal(1), rounding=ROUND_HALF_UP))
        amounts.append(target - released)
        released = target
    return [*amounts, award_cents - released]


@dataclass(frozen=True)
class Schedule:
    tranches: tuple[TrancheSpec, ...]

    @classmethod
    def from_rows(cls, rows: list[tuple[str, str | Decimal]]) -> "Schedule":
        """[("notification", "30"), ("premiere_inclusion", "30"), …] in rank order."""
        specs = []
        for rank, (milestone, percent) in enumerate(rows, start=1):
            if milestone not in MILESTONE_BY_CODE:
                raise ScheduleError(f"tranche {rank} : jalon « {milestone} » inconnu")
            specs.append(TrancheSpec(rank, milestone, Decimal(str(percent))))
        orders = [MILESTONE_BY_CODE[spec.milestone].order for spec in specs]
        if orders != sorted(orders) or len(set(orders)) != len(orders):
            raise ScheduleError("les jalons d'un échéancier doivent se suivre dans l'ordre, sans doublon")
        check_percents([spec.percent for spec in specs])
        return cls(tuple(specs))

    def as_rows(self) -> list[list[str]]:
        return [[spec.milestone, f"{spec.percent:f}"] for spec in self.tranches]

    def amounts(self, award_cents: int) -> list[TrancheAmount]:
        cents = split_award(award_cents, [spec.percent for spec in self.tranches])
        return [
            TrancheAmount(spec.rank, spec.milestone, spec.percent, amount)
            for spec, amount in zip(self.tranches, cents, strict=True)
        ]


# Default schedule for every programme until the DGOS sets one per campaign. Shape of the
# instruction's releases (a share at notification, then on inclusions, the balance on results);
# the exact split is set per programme and campaign in the database.
DEFAULT_SCHEDULE_ROWS: list[tuple[str, str]] = [
    ("notification", "30"),
    ("premiere_inclusion", "30"),
    ("fin_inclusions", "30"),
    ("resultats_publies", "10"),
]
