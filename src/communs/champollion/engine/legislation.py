"""Legal parameters of the rules, versioned, with their source. Branch agreements override them by IDCC.

Default: Code du travail (version in force in 2024). A branch agreement (accord de branche étendu,
L1244-4 and L1243-13 allow it) may set the carence ratio, its cap, the number of renewals and the
maximum duration; `parameters_for(idcc)` returns the merged record with the version used.
"""

from dataclasses import dataclass, replace
from fractions import Fraction
from functools import lru_cache


@dataclass(frozen=True)
class Legislation:
    version: str
    source: str
    carence_ratio_long: Fraction = Fraction(1, 3)  # contracts of 14 days or more (L1244-3 / L1251-36)
    carence_ratio_short: Fraction = Fraction(1, 2)  # contracts shorter than 14 days
    carence_threshold_days: int = 14
    carence_cap_days: int | None = None
    max_renewals: int = 2  # L1243-13 / L1251-35
    max_months_default: int = 18  # L1242-8-1 / L1251-12-1
    max_months_by_motif: tuple[tuple[str, int], ...] = (
        ("13", 24),  # attente de la suppression définitive du poste (L1242-8-1, 2e al.)
        ("06", 36),  # CDD à objet défini (L1242-8-3)
    )
    no_max_motifs: frozenset[str] = frozenset({"03", "04", "05"})  # saisonnier, vendanges, usage: no 18-month cap
    economic_dismissal_months: int = 6  # L1242-5
    economic_exception_months: int = 3
    permanent_window_months: int = 24
    permanent_threshold_months: int = 12

    def max_months(self, motif: str) -> int | None:
        if motif in self.no_max_motifs:
            return None
        return dict(self.max_months_by_motif).get(motif, self.max_months_default)


CODE_DU_TRAVAIL = Legislation(version="CT-2024.1", source="Code du travail, version en vigueur au 1er janvier 2024")

# IDCC → branch override (extended agreements). Métallurgie: CCN du 7 février 2022 (IDCC 3248),
# carence 1/4 of the contract duration capped at 21 days, 4 renewals.
BRANCHES: dict[str, Legislation] = {
    "3248": replace(
        CODE_DU_TRAVAIL,
        version="IDCC-3248-2024.1",
        source="CCN de la métallurgie du 7 février 2022 (IDCC 3248), art. 58 et suivants",
        carence_ratio_long=Fraction(1, 4),
        carence_ratio_short=Fraction(1, 4),
        carence_cap_days=21,
        max_renewals=4,
    ),
}


@lru_cache(maxsize=4096)
def parameters_for(idcc: str | None) -> Legislation:
    return BRANCHES.get((idcc or "").lstrip("0").zfill(4), CODE_DU_TRAVAIL)
