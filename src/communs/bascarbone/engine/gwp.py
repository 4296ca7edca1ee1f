"""Global warming potentials (GWP 100 years) of the gases and refrigerants State services report.

Each set is the IPCC table of one assessment report; an inventory records the set it used
(`AR5` by default, as the BEGES method v5 requires the values of the latest report adopted
by the UNFCCC reporting guidelines, i.e. AR5 for inventories of 2022 onwards).

Sources:
- AR4: IPCC 2007, WG1, chapter 2, table 2.14.
- AR5: IPCC 2013, WG1, chapter 8, appendix 8.A, table 8.A.1 (without climate-carbon feedbacks).
- AR6: IPCC 2021, WG1, chapter 7, table 7.SM.7.
Blends (R404A, R407C, R410A) are the mass-weighted mean of their components (ASHRAE 34
compositions); the values are those published in the GWP tables of the regulation on fluorinated
gases, rounded to the unit (R410A AR5: 50 % R32 × 677 + 50 % R125 × 3170 = 1923.5 → 1924).
"""

from dataclasses import dataclass

DEFAULT_GWP_SET = "AR5"

# Pure gases, by set.
PURE: dict[str, dict[str, float]] = {
    "AR4": {
        "CO2": 1,
        "CH4": 25,
        "N2O": 298,
        "SF6": 22800,
        "NF3": 17200,
        "R32": 675,
        "R125": 3500,
        "R134a": 1430,
        "R143a": 4470,
        "R22": 1810,
        "R744": 1,
    },
    "AR5": {
        "CO2": 1,
        "CH4": 28,
        "N2O": 265,
        "SF6": 23500,
        "NF3": 16100,
        "R32": 677,
        "R125": 3170,
        "R134a": 1300,
        "R143a": 4800,
        "R22": 1760,
        "R744": 1,
    },
    "AR6": {
        "CO2": 1,
        "CH4": 27.9,
        "N2O": 273,
        "SF6": 25200,
        "NF3": 17400,
        "R32": 771,
        "R125": 3740,
        "R134a": 1530,
        "R143a": 5810,
        "R22": 1960,
        "R744": 1,
    },
}

# Blends: mass fractions of their components (ASHRAE 34).
BLENDS: dict[str, dict[str, float]] = {
    "R404A": {"R125": 0.44, "R143a": 0.52, "R134a": 0.04},
    "R407C": {"R32": 0.23, "R125": 0.25, "R134a": 0.52},
    "R410A": {"R32": 0.50, "R125": 0.50},
}

GWP_SETS: tuple[str, ...] = tuple(PURE)


class UnknownGasError(ValueError):
    pass


@dataclass(frozen=True)
class GwpSet:
    name: str

    def __post_init__(self):
        if self.name not in PURE:
            raise UnknownGasError(f"jeu de PRG « {self.name} » inconnu (attendu : {', '.join(GWP_SETS)})")

    def gwp(self, gas: str) -> float:
        return gwp(gas, self.name)


def _canonical(gas: str) -> str:
    text = gas.strip().upper().replace("-", "").replace(" ", "")
    if text.startswith("HFC"):
        text = "R" + text[3:]
    if text.startswith("HCFC"):
        text = "R" + text[4:]
    for name in (*PURE["AR5"], *BLENDS):
        if name.upper() == text:
            return name
    raise UnknownGasError(f"gaz « {gas} » absent des tables de PRG")


def blend_gwp(gas: str, gwp_set: str = DEFAULT_GWP_SET) -> float:
    """Mass-weighted GWP of a blend, unrounded (R410A AR5: 1923.5)."""
    return sum(share * PURE[gwp_set][component] for component, share in BLENDS[_canonical(gas)].items())


def gwp(gas: str, gwp_set: str = DEFAULT_GWP_SET) -> float:
    """GWP-100 of a gas in a set; blends are rounded to the unit as published."""
    if gwp_set not in PURE:
        raise UnknownGasError(f"jeu de PRG « {gwp_set} » inconnu (attendu : {', '.join(GWP_SETS)})")
    name = _canonical(gas)
    if name in BLENDS:
        # Round half up, as the published tables do (1923.5 → 1924); Python's round() would go to 1924
        # here but to the even neighbour on other halves.
        return float(int(blend_gwp(name, gwp_set) + 0.5))
    return float(PURE[gwp_set][name])
