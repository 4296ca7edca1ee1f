"""Uncertainty rules: IPCC approach 1 with fully correlated shared factors, Monte Carlo, pedigree scores.

Convention: every ± in this app (Base Empreinte's `Incertitude`, the activity uncertainty of a line)
is the relative half-width of a 95 % confidence interval, U = 1.96 σ / mean.

Approach 1 (IPCC 2006 Guidelines, vol. 1, ch. 3, eq. 3.1 and 3.2), with the correlation rule of
the same chapter (§ 3.2.3.1): for a line i of emissions E_i = A_i × F_k,
- its activity error E_i × Ua_i is independent of every other error;
- its factor error E_i × Uf_k is the same error for every line that uses factor k (same factor,
  same bias): these add linearly, Uf_k × Σ E_i, and only then in quadrature with other factors.
So U(total)² = Σ_k (Uf_k × Σ_{i uses k} E_i)² + Σ_i (E_i × Ua_i)².

Monte Carlo (IPCC 2006, vol. 1, ch. 3, § 3.2.3.2, approach 2): one draw per factor and per
iteration, shared by every line and every entity using it (the same correlation); factors are
lognormal by default (positive, as ABC Bilan Carbone models them) with mean 1 and σ = Uf / 1.96,
or normal; activity errors are normal and independent. Because the sum of independent normal
errors is normal, the activity errors of all lines of a node that share a factor are drawn as one
normal of variance Σ (E_i σ_i)², exactly; the cost is draws × nodes, never draws × lines.

Pedigree scores (ecoinvent v2, Frischknecht et al. 2007, « Overview and methodology », table
10.4; the data-quality matrix ABC Bilan Carbone and the Base Empreinte documentation use): five
scores from 1 (best) to 5 give uncertainty factors U_j, combined as the geometric standard
deviation GSD95 = exp(sqrt(Σ (ln U_j)² + (ln U_b)²)); the 95 % interval is [m / GSD95, m × GSD95],
whose relative half-width is (GSD95 − 1 / GSD95) / 2.
"""

import math
from dataclasses import dataclass

import numpy as np

Z95 = 1.959963984540054
DEFAULT_SEED = 20260101

# Rows: reliability, completeness, temporal, geographical, further technological correlation;
# columns: score 1 to 5. The cells the source leaves "n.a." take the value of the score above.
PEDIGREE_FACTORS: tuple[tuple[float, ...], ...] = (
    (1.00, 1.05, 1.10, 1.20, 1.50),
    (1.00, 1.02, 1.05, 1.10, 1.20),
    (1.00, 1.03, 1.10, 1.20, 1.50),
    (1.00, 1.01, 1.02, 1.02, 1.10),
    (1.00, 1.00, 1.20, 1.50, 2.00),
)
PEDIGREE_INDICATORS = ("fiabilité", "complétude", "représentativité temporelle", "géographique", "technologique")


class PedigreeError(ValueError):
    pass


def pedigree_gsd95(scores: tuple[int, ...] | list[int], basic_gsd95: float = 1.0) -> float:
    """Geometric standard deviation (95 %) of a datum from its 5 pedigree scores."""
    if len(scores) != len(PEDIGREE_FACTORS):
        raise PedigreeError(f"5 scores de qualité attendus (1 à 5), {len(scores)} donnés")
    total = math.log(basic_gsd95) ** 2
    for row, score in zip(PEDIGREE_FACTORS, scores, strict=True):
        if not 1 <= int(score) <= 5:
            raise PedigreeError(f"score de qualité {score} hors de 1 à 5")
        total += math.log(row[int(score) - 1]) ** 2
    return math.exp(math.sqrt(total))


def pedigree_relative_half_width(scores, basic_gsd95: float = 1.0) -> float:
    """Relative half-width of the 95 % interval implied by pedigree scores (e.g. 0.12 for ±12 %)."""
    gsd = pedigree_gsd95(scores, basic_gsd95)
    return (gsd - 1 / gsd) / 2


def parse_scores(text: str) -> tuple[int, ...]:
    """ "1,2,3,1,2" or "1 2 3 1 2" or "12312" → (1, 2, 3, 1, 2)."""
    cleaned = str(text).replace(",", " ").replace(";", " ").replace("-", " ").split()
    if len(cleaned) == 1 and len(cleaned[0]) == 5:
        cleaned = list(cleaned[0])
    try:
        scores = tuple(int(value) for value in cleaned)
    except ValueError:
        raise PedigreeError(f"scores de qualité « {text} » illisibles (attendu : cinq chiffres de 1 à 5)") from None
    pedigree_gsd95(scores)
    return scores


def approach1(factor_emissions: np.ndarray, factor_uncertainty: np.ndarray, activity_variance: float) -> float:
    """95 % half-width (kg) of a sum: factor errors linear within a factor, quadrature across factors.

    `factor_emissions[k]` is Σ E_i over the lines using factor k, `activity_variance` Σ (E_i Ua_i)².
    """
    factor_part = factor_uncertainty * factor_emissions
    return float(math.sqrt(float(np.dot(factor_part, factor_part)) + float(activity_variance)))


@dataclass(frozen=True)
class MonteCarloResult:
    draws: int
    mean_kg: float
    p025_kg: float
    p975_kg: float

    @property
    def uncertainty_kg(self) -> float:
        """Half-width of the central 95 % interval."""
        return (self.p975_kg - self.p025_kg) / 2


def factor_multipliers(
    uncertainty: np.ndarray, draws: int, rng: np.random.Generator, distribution: str = "lognormal"
) -> np.ndarray:
    """(draws × factors) multipliers of mean 1 and standard deviation U / 1.96."""
    sigma = np.asarray(uncertainty, dtype=float) / Z95
    if distribution == "normal":
        return np.clip(1.0 + rng.standard_normal((draws, sigma.size)) * sigma, 0.0, None)
    if distribution != "lognormal":
        raise ValueError(f"distribution « {distribution} » inconnue (lognormal ou normal)")
    log_sigma = np.sqrt(np.log1p(sigma**2))
    return np.exp(rng.standard_normal((draws, sigma.size)) * log_sigma - log_sigma**2 / 2)


def monte_carlo(
    factor_emissions: np.ndarray,
    activity_variance: np.ndarray,
    factor_uncertainty: np.ndarray,
    *,
    draws: int,
    seed: int = DEFAULT_SEED,
    distribution: str = "lognormal",
    chunk: int = 256,
) -> list[MonteCarloResult]:
    """Monte Carlo totals of many nodes at once.

    `factor_emissions` (nodes × factors): Σ E_i per node and factor; `activity_variance` (nodes ×
    factors): Σ (E_i σa_i)² with σa = Ua / 1.96. The factor draws are shared by all nodes, so a
    parent and its children see the same factor errors. Nodes are processed by chunks to bound memory.
    """
    factor_emissions = np.atleast_2d(np.asarray(factor_emissions, dtype=float))
    activity_variance = np.atleast_2d(np.asarray(activity_variance, dtype=float))
    rng = np.random.default_rng(seed)
    multipliers = factor_multipliers(factor_uncertainty, draws, rng, distribution)
    squared = multipliers**2
    results: list[MonteCarloResult] = []
    for start in range(0, factor_emissions.shape[0], chunk):
        means = factor_emissions[start : start + chunk]
        variances = activity_variance[start : start + chunk]
        totals = multipliers @ means.T  # draws × nodes
        if variances.any():
            totals += np.sqrt(squared @ variances.T) * rng.standard_normal(totals.shape)
        low, high = np.percentile(totals, [2.5, 97.5], axis=0)
        mean = totals.mean(axis=0)
        results.extend(
            MonteCarloResult(draws=draws, mean_kg=float(m), p025_kg=float(lo), p975_kg=float(hi))
            for m, lo, hi in zip(mean, low, high, strict=True)
        )
    return results
