"""Progress rate (TA) rules, table-driven, each expected figure with its hand arithmetic."""

import numpy as np
import pytest

from communs.pilote.engine.progress import DECREASING, INCREASING, progress_rate, progress_rates


@pytest.mark.parametrize(
    ("vi", "va", "vc", "direction", "bounded", "unbounded"),
    [
        # Increasing: 100·(70−20)/(120−20) = 100·50/100 = 50
        (20, 70, 120, INCREASING, 50.0, 50.0),
        # Decreasing: 100·(80−100)/(50−100) = 100·(−20)/(−50) = 40
        (100, 80, 50, DECREASING, 40.0, 40.0),
        # Decreasing, moved away: 100·(110−100)/(50−100) = 100·10/(−50) = −20, bounded to 0
        (100, 110, 50, DECREASING, 0.0, -20.0),
        # Past the target: 100·(130−20)/(120−20) = 110, bounded to 100
        (20, 130, 120, INCREASING, 100.0, 110.0),
        # Degenerate VI = VC = 50, increasing: VA 49 does not meet 50 → 0 (no division by zero)
        (50, 49, 50, INCREASING, 0.0, 0.0),
        # Degenerate VI = VC = 50, VA 50 meets the target → 100
        (50, 50, 50, INCREASING, 100.0, 100.0),
        # Degenerate, VI already past VC (increasing, 60 > 50): VA 55 ≥ 50 → 100
        (60, 55, 50, INCREASING, 100.0, 100.0),
        # Degenerate decreasing, VI 40 already below VC 50: VA 52 > 50 → 0
        (40, 52, 50, DECREASING, 0.0, 0.0),
        # Start point: 100·(20−20)/(120−20) = 0
        (20, 20, 120, INCREASING, 0.0, 0.0),
    ],
)
def test_progress_rate(vi, va, vc, direction, bounded, unbounded):
    rate = progress_rate(vi, va, vc, direction)
    assert rate.bounded == pytest.approx(bounded)
    assert rate.unbounded == pytest.approx(unbounded)


@pytest.mark.parametrize(("vi", "va", "vc"), [(None, 70, 120), (20, None, 120), (20, 70, None), (None, None, None)])
def test_null_input_gives_null_rate(vi, va, vc):
    rate = progress_rate(vi, va, vc)
    assert (rate.bounded, rate.unbounded) == (None, None)


def test_vectorised_never_warns_on_degenerate_or_null():
    # filterwarnings=error would turn any divide-by-zero RuntimeWarning into a failure.
    vi = np.array([50.0, np.nan, 0.0, 10.0])
    va = np.array([49.0, 1.0, 0.0, 5.0])
    vc = np.array([50.0, 2.0, 0.0, 10.0])
    bounded, unbounded = progress_rates(vi, va, vc, np.array([True, True, False, True]))
    # [0] degenerate, 49 < 50 → 0; [1] null VI → NaN; [2] decreasing degenerate, 0 ≤ 0 → 100;
    # [3] increasing degenerate VI = VC = 10, 5 < 10 → 0
    assert np.isnan(bounded[1])
    assert bounded[[0, 2, 3]].tolist() == [0.0, 100.0, 0.0]
    assert np.isnan(unbounded[1])


def test_unknown_direction():
    with pytest.raises(ValueError, match="inconnu"):
        progress_rate(1, 2, 3, "sideways")
