"""Monthly periods and cumulative series.

A period is a month, numbered `year * 12 + month - 1` so that consecutive months differ by one.
Indicators are entered as stocks (`none`: the value at the date), as totals cumulated since the
start of the policy (`since_start`), or as year-to-date totals that restart every January
(`yearly`). `decumulate` turns either cumulative form into the flow of each month; the engine
uses it for annual targets of `since_start` series and to re-cumulate `yearly` series against a
multi-year final target (see `engine.compute`).
"""

import numpy as np

CUMULATIVE_KINDS = ("none", "since_start", "yearly")


def month_index(year: int, month: int) -> int:
    return year * 12 + month - 1


def month_label(period: int) -> str:
    return f"{period // 12:04d}-{period % 12 + 1:02d}"


def decumulate(cumulative, periods, *, yearly: bool) -> np.ndarray:
    """Flows from a cumulative series along the last axis.

    `periods` are the (sorted, consecutive or not) month indexes of the last axis. The first
    flow is the first cumulative value; with `yearly`, the first month present of each year
    also starts from zero. A null value gives null flows for its month and the next one.
    """
    values = np.asarray(cumulative, dtype=float)
    periods = np.asarray(periods)
    flows = np.empty_like(values)
    flows[..., 0] = values[..., 0]
    flows[..., 1:] = values[..., 1:] - values[..., :-1]
    if yearly and periods.size > 1:
        new_year = np.concatenate([[True], periods[1:] // 12 != periods[:-1] // 12])
        flows[..., new_year] = values[..., new_year]
    return flows


def forward_fill_index(valid: np.ndarray) -> np.ndarray:
    """For each position on the last axis, the index of the last valid position at or before it (−1 if none)."""
    positions = np.arange(valid.shape[-1])
    marked = np.where(valid, positions, -1)
    return np.maximum.accumulate(marked, axis=-1)
