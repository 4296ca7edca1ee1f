"""Territory codes of PILOTE: `NAT-FR`, `REG-53`, `DEPT-35`, and the one axis the engine computes on.

The engine owns no list of territories: the caller gives the départements it steers (code, région,
population), taken from the territorial reference (`pilote/territories.py` reads `communs.territoires`;
tests read the reference file). The axis holds those départements, then their régions, then the
nation, so that departmental values can be aggregated with a membership matrix (`engine.aggregation`).
"""

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np

NAT = "NAT"
REG = "REG"
DEPT = "DEPT"
LEVELS = (NAT, REG, DEPT)
NATION = "NAT-FR"


@dataclass(frozen=True)
class AxisDepartement:
    code: str
    region: str
    population: float  # weight of weighted means: the INSEE municipal population


def steered(departements: Iterable[AxisDepartement]) -> list[AxisDepartement]:
    """The départements PILOTE steers: those of the 18 régions (INSEE codes of two characters).
    Collectivities of overseas (régions 975 to 989 in the reference) are not steered."""
    return [d for d in departements if len(d.region) == 2]


@dataclass(frozen=True)
class TerritoryAxis:
    codes: tuple[str, ...]
    index: dict[str, int]
    dept_slice: slice
    reg_slice: slice
    nat_slice: slice
    dept_to_region: np.ndarray  # (D, R) 0/1
    dept_to_nation: np.ndarray  # (D, 1) ones
    population: np.ndarray  # (D,)
    region_of: dict[str, str]  # département INSEE code → région INSEE code

    def level_slice(self, level: str) -> slice:
        return {DEPT: self.dept_slice, REG: self.reg_slice, NAT: self.nat_slice}[level]

    def level_of(self, position: int) -> str:
        return level_of(self.codes[position])

    def __contains__(self, code: str) -> bool:
        return code in self.index


def level_of(code: str) -> str:
    return code.split("-", 1)[0]


def insee_code(code: str) -> str:
    """`DEPT-35` → `35`, `REG-53` → `53`, `NAT-FR` → `FR`."""
    return code.split("-", 1)[1]


def territory_code(level: str, insee: str = "") -> str:
    return NATION if level == NAT else f"{level}-{insee}"


def build_axis(departements: Iterable[AxisDepartement]) -> TerritoryAxis:
    """The axis over the given départements, their régions and the nation (in the order given)."""
    departements = list(departements)
    dept_codes = [f"{DEPT}-{d.code}" for d in departements]
    region_keys = sorted({d.region for d in departements})
    reg_codes = [f"{REG}-{code}" for code in region_keys]
    codes = tuple(dept_codes + reg_codes + [NATION])
    n_dept, n_reg = len(dept_codes), len(reg_codes)
    membership = np.zeros((n_dept, n_reg))
    for position, departement in enumerate(departements):
        membership[position, region_keys.index(departement.region)] = 1.0
    return TerritoryAxis(
        codes=codes,
        index={code: position for position, code in enumerate(codes)},
        dept_slice=slice(0, n_dept),
        reg_slice=slice(n_dept, n_dept + n_reg),
        nat_slice=slice(n_dept + n_reg, n_dept + n_reg + 1),
        dept_to_region=membership,
        dept_to_nation=np.ones((n_dept, 1)),
        population=np.array([d.population for d in departements], dtype=float),
        region_of={d.code: d.region for d in departements},
    )
