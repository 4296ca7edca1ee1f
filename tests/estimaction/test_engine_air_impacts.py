"""Air health impacts (log-linear CRF, EQIS / AirQ+), checked against hand arithmetic."""

import math

import numpy as np
import pytest

from communs.estimaction.engine import impacts
from communs.estimaction.engine.parameters import AIR_PARAMETER_SETS


def _rows(concentration=12.0, population=6000.0, rate=0.01):
    return impacts.AirRows.of([concentration], [population], rate)


@pytest.mark.parametrize(
    ("parameters", "expected", "ci_low", "ci_high"),
    [
        # SPF: RR = exp(ln(1.15)/10 · (12 − 5)) = 1.15^0.7 = e^0.0978334 = 1.102779
        # AF = 0.102779 / 1.102779 = 0.093200; deaths = 0.093200 × 6000 × 0.01 = 5.592 ≈ 5.59
        # Bounds: 1.05^0.7 = 1.034743 → AF 0.033581 → 2.015; 1.25^0.7 = 1.169069 → AF 0.144618 → 8.677
        ("spf2021", 5.59, 2.01, 8.67),
        # WHO 2021: RR = 1.08^0.7 = e^0.0538727 = 1.055350; AF = 0.055350/1.055350 = 0.052447
        # deaths = 0.052447 × 60 = 3.147 ≈ 3.15.
        # Bounds: 1.06^0.7 = 1.041631 → AF 0.039967 → 2.398; 1.09^0.7 = 1.062175 → AF 0.058535 → 3.512
        ("who2021", 3.15, 2.40, 3.51),
    ],
)
def test_pm25_at_12_ug_gives_the_attributable_deaths(parameters, expected, ci_low, ci_high):
    crf = AIR_PARAMETER_SETS[parameters].crfs["pm25"]
    result = impacts.air_impact(_rows(), crf)
    assert result.attributable_deaths == pytest.approx(expected, abs=0.005)
    assert result.ci_low == pytest.approx(ci_low, abs=0.01)
    assert result.ci_high == pytest.approx(ci_high, abs=0.01)


def test_relative_risk_formula():
    # exp(ln(1.15)/10 · 7) = 1.15^0.7
    assert impacts.air_relative_risk(12, 1.15, 5) == pytest.approx(1.15**0.7)


def test_no_impact_at_or_below_the_counterfactual():
    # 4 µg/m³ < C0 = 5: RR 1, AF 0 — the function is never extrapolated below C0.
    crf = AIR_PARAMETER_SETS["spf2021"].crfs["pm25"]
    assert impacts.air_impact(_rows(concentration=4.0), crf).attributable_deaths == 0.0


def test_deaths_are_computed_per_cell_then_summed():
    # Two cells, 3000 people each, at 12 and 5 µg/m³: 3000 × 0.01 × 0.093200 + 0 = 2.796
    # (the population-weighted mean 8.5 would give 1.15^0.35 → AF 0.047739 × 60 = 2.864: not the same)
    crf = AIR_PARAMETER_SETS["spf2021"].crfs["pm25"]
    rows = impacts.AirRows.of([12.0, 5.0], [3000, 3000], 0.01)
    result = impacts.air_impact(rows, crf)
    assert result.attributable_deaths == pytest.approx(2.796, abs=1e-3)
    assert result.population_weighted_concentration == pytest.approx(8.5)


def test_no2_spf():
    # NO2 30 µg/m³, C0 10, RR 1.023: RR = 1.023^2 = 1.046529; AF = 0.046529/1.046529 = 0.044460
    # 10,000 adults × 1 % = 100 deaths at baseline → 4.446 attributable
    crf = AIR_PARAMETER_SETS["spf2021"].crfs["no2"]
    result = impacts.air_impact(impacts.AirRows.of([30.0], [10_000], 0.01), crf)
    assert result.attributable_deaths == pytest.approx(4.446, abs=1e-3)


def test_monte_carlo_interval_is_seeded_and_brackets_the_central_estimate():
    crf = AIR_PARAMETER_SETS["spf2021"].crfs["pm25"]
    first = impacts.air_impact(_rows(), crf, monte_carlo=2000, seed=7).monte_carlo
    second = impacts.air_impact(_rows(), crf, monte_carlo=2000, seed=7).monte_carlo
    assert first == second
    # The draws of ln RR are centred on ln 1.15, so the median is close to the point estimate 5.59
    assert first["p2_5"] < 5.59 < first["p97_5"]
    assert first["p50"] == pytest.approx(5.59, abs=0.15)
    # σ = (ln 1.25 − ln 1.05)/3.92 = 0.044478: the 2.5 % quantile of RR10 is ≈ 1.05, so p2_5 ≈ 2.0
    assert first["p2_5"] == pytest.approx(2.01, abs=0.25)


def test_years_of_life_lost_from_age_columns():
    # One cell with 1,000 people aged 65-79 only: rate 0.02, remaining life expectancy 16 years.
    # PM2.5 12 µg/m³, SPF: AF 0.093200 → deaths = 0.0932 × 1000 × 0.02 = 1.864; YLL = 1.864 × 16 = 29.82
    rate, yll = impacts.yll_per_death_from_ages({"ind_65_79": np.array([1000.0])})
    crf = AIR_PARAMETER_SETS["spf2021"].crfs["pm25"]
    result = impacts.air_impact(impacts.AirRows.of([12.0], [1000.0], rate, yll), crf)
    assert result.attributable_deaths == pytest.approx(1.864, abs=1e-3)
    assert result.years_of_life_lost == pytest.approx(29.82, abs=0.01)


@pytest.mark.parametrize(
    ("key", "pollutant", "rr", "c0"),
    [
        ("spf2021", "pm25", 1.15, 5),  # Santé publique France 2021
        ("spf2021", "no2", 1.023, 10),
        ("who2021", "pm25", 1.08, 5),  # Chen & Hoek 2020
        ("who2021", "no2", 1.02, 10),  # Huangfu & Atkinson 2020
    ],
)
def test_parameter_sets_hold_the_published_values(key, pollutant, rr, c0):
    crf = AIR_PARAMETER_SETS[key].crfs[pollutant]
    assert (crf.rr10, crf.c0) == (rr, c0)
    assert crf.rr_low < crf.rr10 < crf.rr_high
    assert math.isfinite(impacts.attributable_fraction(50, crf.rr10, crf.c0))
