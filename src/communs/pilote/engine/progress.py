"""Progress rate (taux d'avancement, TA) of an indicator, the rule of DITP's PILOTE.

    TA = 100 · (VA − VI) / (VC − VI)

VI is the initial value, VA the current value, VC the target. The same formula serves increasing
and decreasing indicators (numerator and denominator change sign together). When the target is
degenerate — VI already at or past VC in the indicator's direction, so VC − VI is zero or of the
wrong sign — the rate is 100 if VA meets VC and 0 otherwise: there is no distance to cover, only
a threshold to hold. The bounded rate is clipped to [0, 100] (what dashboards show); the
unbounded one is kept for analysis (−20 says "moved away from the target by a fifth of the way").
A null input gives a null rate; nothing ever divides by zero.

Reference: DITP, « PILOTE 2 — règles de calcul des taux d'avancement » (guide utilisateur), and the
Baromètre des résultats de l'action publique, méthodologie (2023).
"""

from dataclasses import dataclass

import numpy as np

from communs.pilote.engine.rule_names import DECREASING, INCREASING

DIRECTIONS = (INCREASING, DECREASING)


@dataclass(frozen=True)
class ProgressRate:
    bounded: float | None
    unbounded: float | None


def progress_rates(vi, va, vc, increasing) -> tuple[np.ndarray, np.ndarray]:
    """Vectorised TA: arrays (broadcastable) of VI, VA, VC and a boolean `increasing`.

    NaN stands for null. Returns (bounded, unbounded) float arrays, NaN where an input is NaN.
    """
    vi = np.asarray(vi, dtype=float)
    va = np.asarray(va, dtype=float)
    vc = np.asarray(vc, dtype=float)
    increasing = np.asarray(increasing, dtype=bool)
    span = vc - vi
    # Degenerate: nothing left to cover in the indicator's direction (VI at or past VC).
    degenerate = np.where(increasing, span <= 0, span >= 0)
    reached = np.where(increasing, va >= vc, va <= vc)
    safe_span = np.where(degenerate | np.isnan(span), 1.0, span)
    unbounded = np.where(degenerate, np.where(reached, 100.0, 0.0), 100.0 * (va - vi) / safe_span)
    missing = np.isnan(vi) | np.isnan(va) | np.isnan(vc)
    unbounded = np.where(missing, np.nan, unbounded)
    bounded = np.clip(unbounded, 0.0, 100.0)
    return bounded, unbounded


def progress_rate(vi: float | None, va: float | None, vc: float | None, direction: str = INCREASING) -> ProgressRate:
    """One TA, for forms and tests; the same code path as the vectorised engine."""
    if direction not in DIRECTIONS:
        raise ValueError(f"Sens « {direction} » inconnu (attendu : {', '.join(DIRECTIONS)}).")

    def as_float(value):
        return np.nan if value is None else float(value)

    bounded, unbounded = progress_rates(as_float(vi), as_float(va), as_float(vc), direction == INCREASING)
    return ProgressRate(_scalar(bounded), _scalar(unbounded))


def _scalar(value) -> float | None:
    number = float(value)
    return None if np.isnan(number) else number
