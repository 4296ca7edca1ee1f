"""Pedigree scores and Monte Carlo primitives."""

import math

import numpy as np
import pytest

from communs.bascarbone.engine.uncertainty import (
    PedigreeError,
    approach1,
    factor_multipliers,
    parse_scores,
    pedigree_gsd95,
    pedigree_relative_half_width,
)


def test_best_scores_give_no_added_uncertainty():
    assert pedigree_gsd95((1, 1, 1, 1, 1)) == pytest.approx(1.0)
    assert pedigree_relative_half_width((1, 1, 1, 1, 1)) == pytest.approx(0.0)


def test_pedigree_combination():
    # Scores (2, 3, 4, 1, 5): factors 1.05, 1.05, 1.20, 1.00, 2.00.
    # ln: 0.04879, 0.04879, 0.18232, 0, 0.69315 → squares sum 0.00238 + 0.00238 + 0.03324 + 0.48045 = 0.51845
    # GSD95 = exp(sqrt(0.51845)) = exp(0.72004) = 2.0545 ; half-width (2.0545 − 1/2.0545) / 2 = 0.7839.
    gsd = pedigree_gsd95((2, 3, 4, 1, 5))
    assert gsd == pytest.approx(2.0545, abs=1e-3)
    assert pedigree_relative_half_width((2, 3, 4, 1, 5)) == pytest.approx((gsd - 1 / gsd) / 2)
    assert pedigree_relative_half_width((2, 3, 4, 1, 5)) == pytest.approx(0.7839, abs=1e-3)


def test_basic_uncertainty_adds_in_log_space():
    # Basic GSD 1.5 alone: exp(sqrt(ln(1.5)²)) = 1.5.
    assert pedigree_gsd95((1, 1, 1, 1, 1), basic_gsd95=1.5) == pytest.approx(1.5)
    assert pedigree_gsd95((2, 1, 1, 1, 1), basic_gsd95=1.5) == pytest.approx(
        math.exp(math.sqrt(math.log(1.5) ** 2 + math.log(1.05) ** 2))
    )


@pytest.mark.parametrize("text", ["1,2,3,1,2", "1 2 3 1 2", "12312", "1;2;3;1;2"])
def test_scores_parse(text):
    assert parse_scores(text) == (1, 2, 3, 1, 2)


@pytest.mark.parametrize("text", ["1,2,3", "1,2,3,1,9", "a,b,c,d,e"])
def test_bad_scores(text):
    with pytest.raises(PedigreeError):
        parse_scores(text)


@pytest.mark.parametrize("distribution", ["lognormal", "normal"])
def test_multipliers_have_mean_one_and_the_stated_spread(distribution):
    draws = factor_multipliers(np.array([0.10, 0.0]), 200_000, np.random.default_rng(0), distribution)
    # ±10 % at 95 % → σ = 0.10 / 1.96 = 0.0510.
    assert draws[:, 0].mean() == pytest.approx(1.0, abs=1e-3)
    assert draws[:, 0].std() == pytest.approx(0.0510, rel=0.02)
    assert np.all(draws[:, 1] == 1.0)


def test_approach1_formula():
    # Two factors, exact activities: sqrt((3160 × 0.05)² + (520 × 0.10)²) = sqrt(158² + 52²) = 166.34 kg.
    assert approach1(np.array([3160.0, 520.0]), np.array([0.05, 0.10]), 0.0) == pytest.approx(166.337, abs=1e-3)
    # One shared factor used by ten lines of 3160 kg: 0.05 × 31 600 = 1580 kg; plus an activity variance of 316².
    assert approach1(np.array([31600.0]), np.array([0.05]), 316.0**2) == pytest.approx(math.hypot(1580, 316))
