"""Compute an inventory: emissions per line, gas, post and category, aggregated on an organisation
tree with approach-1 (and optionally Monte Carlo) uncertainty at every node.

The computation is columnar (numpy) so that a national consolidation (thousands of entities,
a million lines) takes seconds: lines are grouped once by (entity, post, factor), and every node
sums the groups of the entities below it. Rules:
- emissions = quantity converted to the factor's unit × factor, divided by the depreciation period
  (years) for capital goods (`amortization_years`, linear depreciation, BEGES method v5 § 4.2);
- biogenic CO2 (`co2b`) is reported apart and never enters the total;
- refrigerants take their factor from the inventory's GWP set (AR5 by default);
- the uncertainty rules are in `uncertainty.py`.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

from communs.bascarbone.engine.beges import (
    CATEGORIES,
    MANDATORY_POSTS,
    POST_BY_CODE,
    POST_CODES,
    UnknownPostError,
    normalize_post,
)
from communs.bascarbone.engine.factors import EmissionFactor, FactorSet
from communs.bascarbone.engine.gwp import DEFAULT_GWP_SET, GWP_SETS
from communs.bascarbone.engine.organisation import Organisation
from communs.bascarbone.engine.uncertainty import DEFAULT_SEED, Z95, MonteCarloResult, monte_carlo
from communs.bascarbone.engine.units import UnitError, conversion_factor
from communs.guards.finite import MAX_MAGNITUDE

GASES = ("co2", "ch4", "n2o", "other")
POST_INDEX = {code: index for index, code in enumerate(POST_CODES)}
TOTAL_NODE = "__total__"


class InventoryError(ValueError):
    """A line that cannot be computed: names the line and the field at fault."""

    def __init__(self, line: int, field_name: str, message: str):
        self.line = line
        self.field = field_name
        self.message = message
        super().__init__(f"ligne {line}, champ « {field_name} » : {message}")


@dataclass(frozen=True)
class ActivityLine:
    post: str
    factor_id: str
    quantity: float
    unit: str
    entity: str = ""
    activity_uncertainty: float = 0.0  # relative 95 % half-width (0.05 = ±5 %)
    amortization_years: float | None = None
    label: str = ""
    line: int = 0


@dataclass
class Activities:
    """Column arrays of activity lines (what the engine computes on)."""

    post: list[str]
    factor_id: list[str]
    quantity: np.ndarray
    unit: list[str]
    entity: list[str]
    activity_uncertainty: np.ndarray
    amortization_years: np.ndarray
    line: np.ndarray

    def __len__(self) -> int:
        return len(self.post)

    @classmethod
    def from_lines(cls, lines: Iterable[ActivityLine]) -> "Activities":
        lines = list(lines)
        return cls(
            post=[line.post for line in lines],
            factor_id=[line.factor_id for line in lines],
            quantity=np.array([line.quantity for line in lines], dtype=float),
            unit=[line.unit for line in lines],
            entity=[line.entity for line in lines],
            activity_uncertainty=np.array([line.activity_uncertainty or 0.0 for line in lines], dtype=float),
            amortization_years=np.array([line.amortization_years or 1.0 for line in lines], dtype=float),
            line=np.array([line.line or index + 1 for index, line in enumerate(lines)], dtype=np.int64),
        )


@dataclass
class NodeResult:
    """Totals of one node (kgCO2e). Arrays are indexed by post in `POST_CODES` order."""

    id: str
    name: str
    entities: int
    post_totals: np.ndarray
    post_gases: np.ndarray  # posts × 4 (co2, ch4, n2o, other)
    post_co2b: np.ndarray
    post_uncertainty: np.ndarray  # approach 1, 95 % half-width
    uncertainty_kg: float
    factor_emissions: np.ndarray = field(repr=False)  # per used factor, for Monte Carlo
    activity_variance: np.ndarray = field(repr=False)  # Σ (E σa)² per used factor
    monte_carlo: MonteCarloResult | None = None

    @property
    def total_kg(self) -> float:
        return float(self.post_totals.sum())

    @property
    def co2b_kg(self) -> float:
        return float(self.post_co2b.sum())

    def posts(self, *, with_empty: bool = False) -> dict[str, dict]:
        rows = {}
        for index, code in enumerate(POST_CODES):
            if not with_empty and not self.post_totals[index] and not self.post_co2b[index]:
                continue
            co2, ch4, n2o, other = (float(v) for v in self.post_gases[index])
            rows[code] = {
                "total_kg": float(self.post_totals[index]),
                "co2_kg": co2,
                "ch4_kg": ch4,
                "n2o_kg": n2o,
                "other_kg": other,
                "co2b_kg": float(self.post_co2b[index]),
                "uncertainty_kg": float(self.post_uncertainty[index]),
            }
        return rows

    def categories(self) -> dict[str, float]:
        totals = {category.code: 0.0 for category in CATEGORIES}
        for index, code in enumerate(POST_CODES):
            totals[POST_BY_CODE[code].category] += float(self.post_totals[index])
        return totals

    def completeness(self) -> dict:
        """Which mandatory posts carry data (a line with non-zero emissions)."""
        filled = [code for code in MANDATORY_POSTS if self.post_totals[POST_INDEX[code]] > 0]
        missing = [code for code in MANDATORY_POSTS if code not in filled]
        return {"filled": filled, "missing": missing, "ratio": len(filled) / len(MANDATORY_POSTS)}


@dataclass
class InventoryResult:
    gwp_set: str
    factor_version: str
    line_emissions: np.ndarray  # kgCO2e per input line, after depreciation
    line_co2b: np.ndarray
    total: NodeResult
    nodes: dict[str, NodeResult]
    factor_ids: list[str]


def _factorize(values: Sequence[str]) -> tuple[list[str], np.ndarray]:
    """Distinct values in order of first appearance, and each value's index (C-speed loops only)."""
    uniques = list(dict.fromkeys(values))
    index = {value: position for position, value in enumerate(uniques)}
    return uniques, np.fromiter(map(index.__getitem__, values), dtype=np.int64, count=len(values))


def _first_line(codes: np.ndarray, code: int, lines: np.ndarray) -> int:
    return int(lines[int(np.argmax(codes == code))])


def _resolve_factors(
    activities: Activities, factors: FactorSet, gwp_set: str
) -> tuple[list[EmissionFactor], np.ndarray, np.ndarray]:
    factor_keys, factor_codes = _factorize(activities.factor_id)
    resolved = []
    for code, key in enumerate(factor_keys):
        factor = factors.get(key)
        if factor is None:
            raise InventoryError(
                _first_line(factor_codes, code, activities.line),
                "factor_id",
                f"facteur « {key} » absent de la base {factors.version}",
            )
        resolved.append(factor.resolved(gwp_set))
    unit_keys, unit_codes = _factorize(activities.unit)
    pairs, pair_codes = np.unique(factor_codes * len(unit_keys) + unit_codes, return_inverse=True)
    ratios = np.empty(len(pairs))
    for index, pair in enumerate(pairs):
        factor = resolved[int(pair) // len(unit_keys)]
        unit = unit_keys[int(pair) % len(unit_keys)]
        try:
            ratios[index] = conversion_factor(str(unit).strip(), factor.unit, factor.pcs_pci_ratio)
        except UnitError as exc:
            raise InventoryError(
                _first_line(pair_codes, index, activities.line), "unit", f"{exc} ({factor.id} : {factor.name})"
            ) from None
    return resolved, factor_codes, ratios[pair_codes]


def _post_codes(activities: Activities) -> np.ndarray:
    keys, codes = _factorize(activities.post)
    mapping = np.empty(len(keys), dtype=np.int64)
    for code, key in enumerate(keys):
        try:
            mapping[code] = POST_INDEX[normalize_post(key)]
        except UnknownPostError as exc:
            raise InventoryError(_first_line(codes, code, activities.line), "post", str(exc)) from None
    return mapping[codes]


def _check_numbers(activities: Activities) -> None:
    for name, values, ok in (
        (
            "quantity",
            activities.quantity,
            np.isfinite(activities.quantity) & (activities.quantity >= 0) & (activities.quantity <= MAX_MAGNITUDE),
        ),
        (
            "activity_uncertainty_pct",
            activities.activity_uncertainty,
            np.isfinite(activities.activity_uncertainty) & (activities.activity_uncertainty >= 0),
        ),
        (
            "amortization_years",
            activities.amortization_years,
            np.isfinite(activities.amortization_years) & (activities.amortization_years > 0),
        ),
    ):
        if not ok.all():
            bad = int(np.argmin(ok))
            raise InventoryError(
                int(activities.line[bad]), name, f"valeur {values[bad]!r} invalide (nombre positif attendu)"
            )


def _sum_rows(matrices: tuple[np.ndarray, ...], groups: list[np.ndarray], budget: int = 2_000_000):
    """For each group of row indexes, the sum of those rows of each matrix (gathered by chunks of nodes so
    that at most `budget` values are copied at once)."""
    width = matrices[0].shape[1]
    sums = [np.zeros((len(groups), width)) for _ in matrices]
    if not width:
        return sums
    sizes = np.array([len(group) for group in groups], dtype=np.int64)
    limit = max(1, budget // width)
    start = 0
    while start < len(groups):
        end, rows = start, 0
        while end < len(groups) and (rows == 0 or rows + sizes[end] <= limit):
            rows += sizes[end]
            end += 1
        if rows:
            index = np.concatenate(groups[start:end])
            chunk_sizes = sizes[start:end]
            offsets = np.concatenate(([0], np.cumsum(chunk_sizes)[:-1]))
            filled = chunk_sizes > 0
            for matrix, out in zip(matrices, sums, strict=True):
                out[start:end][filled] = np.add.reduceat(matrix[index], offsets[filled], axis=0)
        start = end
    return sums


def compute_inventory(
    activities: Activities | Iterable[ActivityLine],
    factors: FactorSet,
    *,
    organisation: Organisation | None = None,
    gwp_set: str = DEFAULT_GWP_SET,
    monte_carlo_draws: int = 0,
    seed: int = DEFAULT_SEED,
    distribution: str = "lognormal",
    nodes: Iterable[str] | None = None,
) -> InventoryResult:
    """Emissions of every line, and results at the total and at every node of `organisation`.

    Without an organisation, each distinct `entity` of the lines is a node. With one, every
    entity of a line must be a node of the tree, and nodes are all the tree's nodes (or `nodes`).
    """
    if gwp_set not in GWP_SETS:
        raise ValueError(f"jeu de PRG « {gwp_set} » inconnu (attendu : {', '.join(GWP_SETS)})")
    if not isinstance(activities, Activities):
        activities = Activities.from_lines(activities)
    _check_numbers(activities)
    post_codes = _post_codes(activities)
    resolved, factor_codes, ratios = _resolve_factors(activities, factors, gwp_set)
    totals = np.array([f.total for f in resolved], dtype=float)
    gases = np.array([f.gas_split() for f in resolved], dtype=float).reshape(len(resolved), len(GASES))
    co2b = np.array([f.co2b for f in resolved], dtype=float)
    factor_uncertainty = np.array([f.uncertainty for f in resolved], dtype=float)

    quantities = activities.quantity * ratios / activities.amortization_years
    line_emissions = quantities * totals[factor_codes]
    line_co2b = quantities * co2b[factor_codes]
    activity_half_width_sq = (line_emissions * activities.activity_uncertainty) ** 2

    entity_keys, entity_codes = _factorize(activities.entity)
    n_entities, n_posts, n_factors = len(entity_keys), len(POST_CODES), len(resolved)
    # Cells are the (post, factor) pairs that occur. Entity × cell matrices hold the converted quantities
    # and the activity variances; a node sums the rows of the entities below it (each entity once).
    cells, cell_codes = np.unique(post_codes * n_factors + factor_codes, return_inverse=True)
    cell_post, cell_factor = cells // max(n_factors, 1), cells % max(n_factors, 1)
    n_cells = len(cells)
    flat = entity_codes * n_cells + cell_codes
    entity_quantity = np.bincount(flat, weights=quantities, minlength=n_entities * n_cells).reshape(
        n_entities, n_cells
    )
    entity_variance = np.bincount(flat, weights=activity_half_width_sq, minlength=n_entities * n_cells).reshape(
        n_entities, n_cells
    )

    entity_index = {key: index for index, key in enumerate(entity_keys)}
    if organisation is None:
        wanted = [(key, key, np.array([index])) for key, index in entity_index.items() if key]
    else:
        unknown = [key for key in entity_keys if key not in organisation.parents]
        if unknown:
            code = entity_index[unknown[0]]
            raise InventoryError(
                _first_line(entity_codes, code, activities.line),
                "entity",
                f"entité « {unknown[0] or '(vide)'} » absente de l'arborescence",
            )
        descendants = organisation.descendants()
        wanted = [
            (
                node,
                organisation.names.get(node, node),
                np.array(sorted(entity_index[e] for e in descendants[node] if e in entity_index), dtype=np.int64),
            )
            for node in (nodes if nodes is not None else sorted(descendants))
        ]
    wanted.insert(0, (TOTAL_NODE, "Total", np.arange(n_entities)))
    node_quantity, node_variance = _sum_rows((entity_quantity, entity_variance), [group for _, _, group in wanted])

    post_indicator = np.zeros((n_cells, n_posts))
    post_indicator[np.arange(n_cells), cell_post] = 1.0
    factor_indicator = np.zeros((n_cells, n_factors))
    factor_indicator[np.arange(n_cells), cell_factor] = 1.0
    emissions = node_quantity * totals[cell_factor]
    post_totals = emissions @ post_indicator
    post_gases = np.stack(
        [(node_quantity * gases[cell_factor, gas]) @ post_indicator for gas in range(len(GASES))], axis=2
    )
    post_co2b = (node_quantity * co2b[cell_factor]) @ post_indicator
    # Within a post each cell is one factor, so the post's factor errors are independent of each other.
    post_uncertainty = np.sqrt(((emissions * factor_uncertainty[cell_factor]) ** 2 + node_variance) @ post_indicator)
    factor_emissions = emissions @ factor_indicator
    activity_variance = node_variance @ factor_indicator
    uncertainty = np.sqrt(((factor_emissions * factor_uncertainty) ** 2).sum(axis=1) + activity_variance.sum(axis=1))
    built = [
        NodeResult(
            id=node_id,
            name=name,
            entities=len(group),
            post_totals=post_totals[row],
            post_gases=post_gases[row],
            post_co2b=post_co2b[row],
            post_uncertainty=post_uncertainty[row],
            uncertainty_kg=float(uncertainty[row]),
            factor_emissions=factor_emissions[row],
            activity_variance=activity_variance[row],
        )
        for row, (node_id, name, group) in enumerate(wanted)
    ]
    total, results = built[0], {node.id: node for node in built[1:]}
    if monte_carlo_draws:
        ordered = [total, *results.values()]
        draws = monte_carlo(
            np.array([node.factor_emissions for node in ordered]),
            np.array([node.activity_variance for node in ordered]) / Z95**2,
            factor_uncertainty,
            draws=monte_carlo_draws,
            seed=seed,
            distribution=distribution,
        )
        for node, result in zip(ordered, draws, strict=True):
            node.monte_carlo = result
    return InventoryResult(
        gwp_set=gwp_set,
        factor_version=factors.version,
        line_emissions=line_emissions,
        line_co2b=line_co2b,
        total=total,
        nodes=results,
        factor_ids=[f.id for f in resolved],
    )
