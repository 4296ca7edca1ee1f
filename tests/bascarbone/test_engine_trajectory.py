"""Year-over-year comparison and reduction trajectory."""

import pytest

from communs.bascarbone.engine.trajectory import Target, YearComparison, trajectory


def test_year_comparison():
    comparison = YearComparison(previous_kg=4000.0, current_kg=3680.0)
    # 3680 − 4000 = −320 kg, −320 / 4000 = −8 %.
    assert comparison.change_kg == pytest.approx(-320.0)
    assert comparison.change_ratio == pytest.approx(-0.08)
    assert YearComparison(0.0, 10.0).change_ratio is None


def test_linear_trajectory():
    target = Target(reference_year=2019, reference_kg=10_000.0, target_year=2030, reduction=0.55)
    # 2030: 10 000 × 0.45 = 4500 ; 2025: 10 000 − 6/11 × 5500 = 7000.
    assert target.target_kg == pytest.approx(4500.0)
    assert target.expected_kg(2025) == pytest.approx(7000.0)
    assert target.gap_kg(2025, 7500.0) == pytest.approx(500.0)
    rows = trajectory(target, {2019: 10_000.0, 2025: 7500.0})
    assert len(rows) == 12
    assert rows[6] == {
        "year": 2025,
        "expected_kg": pytest.approx(7000.0),
        "actual_kg": 7500.0,
        "gap_kg": pytest.approx(500.0),
    }


def test_bad_target():
    with pytest.raises(ValueError, match="cible"):
        Target(2030, 1.0, 2019, 0.5)
