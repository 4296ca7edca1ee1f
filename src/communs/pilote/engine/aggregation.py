"""Aggregation of departmental values to régions and to the nation, per the indicator's rule.

Rules (the `aggregation` column of an indicator):
- `sum`   (somme): counts — housing units, jobs, people;
- `mean`  (moyenne pondérée par la population): rates per inhabitant, shares of the population;
  weights are the INSEE municipal populations of the départements (given with the axis);
- `ratio` (moyenne pondérée par le dénominateur): rates whose denominator is entered with the
  values (metric `den`), e.g. a success rate weighted by the number of candidates;
- `none`  (non agrégeable): the regional and national values are entered, never computed.

An aggregate is null unless every member département has a value: a sum over 95 départements out
of 101 would silently understate the national figure (PILOTE shows « non calculable » too).

When a regional (or national) value is also entered directly, the entered value stays the official
one and `inconsistencies` reports where it differs from the aggregate by more than the tolerance.
"""

from dataclasses import dataclass

import numpy as np

from communs.pilote.engine.rule_names import MEAN, NONE, RATIO, SUM

RULES = (SUM, MEAN, RATIO, NONE)
RULE_ALIASES = {
    "sum": SUM,
    "somme": SUM,
    "mean": MEAN,
    "moyenne": MEAN,
    "population": MEAN,
    "ratio": RATIO,
    "denominateur": RATIO,
    "dénominateur": RATIO,
    "none": NONE,
    "non": NONE,
    "non_agregeable": NONE,
    "": NONE,
}
RELATIVE_TOLERANCE = 0.005  # 0.5 %: rounding of published figures, not a disagreement of sources


def normalize_rule(text: str) -> str:
    rule = RULE_ALIASES.get(text.strip().lower())
    if rule is None:
        raise ValueError(f"règle d'agrégation « {text} » inconnue (attendu : {', '.join(RULES)})")
    return rule


def aggregate(values: np.ndarray, membership: np.ndarray, rule: str, weights: np.ndarray | None = None) -> np.ndarray:
    """Aggregate along axis −2 (members) into groups.

    values: (..., members, periods) with NaN for missing; membership: (members, groups) of 0/1;
    weights: (..., members) for `mean`/`ratio`. Returns (..., groups, periods), NaN where the rule is
    `none`, where a member of the group is missing, or where the weights of a group sum to zero.
    """
    values = np.asarray(values, dtype=float)
    shape = values.shape[:-2] + (membership.shape[1], values.shape[-1])
    if rule == NONE:
        return np.full(shape, np.nan)
    missing = np.isnan(values)
    # einsum over members: (..., m, p) × (m, g) → (..., g, p)
    missing_count = np.einsum("...mp,mg->...gp", missing.astype(float), membership)
    filled = np.where(missing, 0.0, values)
    if rule == SUM:
        result = np.einsum("...mp,mg->...gp", filled, membership)
    elif rule in (MEAN, RATIO):
        if weights is None:
            raise ValueError(f"la règle « {rule} » demande des poids")
        w = np.asarray(weights, dtype=float)
        w_missing = np.isnan(w)
        w = np.where(w_missing, 0.0, w)
        numerator = np.einsum("...mp,...m,mg->...gp", filled, w, membership)
        total = np.einsum("...m,mg->...g", w, membership)[..., None]
        weight_missing = np.einsum("...m,mg->...g", w_missing.astype(float), membership)[..., None]
        with np.errstate(invalid="ignore", divide="ignore"):
            result = np.where((total > 0) & (weight_missing == 0), numerator / np.where(total > 0, total, 1.0), np.nan)
    else:
        raise ValueError(f"règle d'agrégation « {rule} » inconnue")
    return np.where(missing_count > 0, np.nan, result)


@dataclass(frozen=True)
class Inconsistency:
    indicator: str
    territory: str
    period: str
    metric: str
    entered: float
    computed: float


def inconsistent(entered: np.ndarray, computed: np.ndarray, tolerance: float = RELATIVE_TOLERANCE) -> np.ndarray:
    """Mask of cells where both values exist and differ by more than `tolerance` (relative)."""
    both = ~np.isnan(entered) & ~np.isnan(computed)
    scale = np.maximum(np.abs(computed), 1e-9)
    with np.errstate(invalid="ignore"):
        return both & (np.abs(np.where(both, entered - computed, 0.0)) > tolerance * scale)
