"""Noise health impacts (Directive (EU) 2020/367, WHO 2018), checked against hand arithmetic."""

import pytest

from communs.estimaction.engine import impacts
from communs.estimaction.engine.parameters import NOISE_ERFS

ACCEPTANCE_BANDS = {"<55": 0, "55-60": 4000, "60-65": 3000, "65-70": 2000, "70-75": 800, ">=75": 200}


def test_highly_annoyed_at_lden_65():
    # %HA(65) = 78.9270 − 3.1162·65 + 0.0342·65² = 78.927 − 202.553 + 144.495 = 20.869 %
    assert impacts.percent_highly_annoyed(65) == pytest.approx(20.869, abs=1e-3)


def test_ten_thousand_people_at_lden_65_give_2086_9_highly_annoyed_and_41_74_daly():
    # The 65-70 band would use its midpoint; a single level is given, so one band of 10,000 at 65 dB is
    # computed directly: 10,000 × 20.869 % = 2,086.9 HA; DALY = 2,086.9 × 0.02 = 41.738 ≈ 41.74.
    ha = 10_000 * impacts.percent_highly_annoyed(65) / 100
    assert ha == pytest.approx(2086.9, abs=0.05)
    assert ha * 0.02 == pytest.approx(41.74, abs=0.005)


@pytest.mark.parametrize(
    ("band", "people", "expected_ha"),
    [
        # 57.5: 78.927 − 179.1815 + 0.0342·3306.25 (113.07375) = 12.81925 % × 4000 = 512.770
        ("55-60", 4000, 512.770),
        # 62.5: 78.927 − 194.7625 + 133.59375 = 17.75825 % × 3000 = 532.7475
        ("60-65", 3000, 532.7475),
        # 67.5: 78.927 − 210.3435 + 155.82375 = 24.40725 % × 2000 = 488.145
        ("65-70", 2000, 488.145),
        # 72.5: 78.927 − 225.9245 + 179.76375 = 32.76625 % × 800 = 262.130
        ("70-75", 800, 262.130),
        # 77.5: 78.927 − 241.5055 + 205.41375 = 42.83525 % × 200 = 85.6705
        (">=75", 200, 85.6705),
    ],
)
def test_highly_annoyed_per_band_uses_the_midpoint(band, people, expected_ha):
    assert impacts.highly_annoyed({band: people}) == pytest.approx(expected_ha, abs=1e-3)


def test_band_mixture_gives_1881_5_highly_annoyed():
    # 512.770 + 532.7475 + 488.145 + 262.130 + 85.6705 = 1,881.463 ≈ 1,881.5
    assert impacts.highly_annoyed(ACCEPTANCE_BANDS) == pytest.approx(1881.46, abs=0.01)


def test_ihd_paf_is_7_198_percent_and_gives_2_16_cases():
    # RR = 1.08^((Lmid − 53)/10): 57.5 → 1.08^0.45 = 1.035239; 62.5 → 1.08^0.95 = 1.075852;
    # 67.5 → 1.08^1.45 = 1.118059; 72.5 → 1.08^1.95 = 1.161928; 77.5 → 1.08^2.45 = 1.207520.
    # Population 10,000 (the bands sum to it, nobody below 55): p = 0.40, 0.30, 0.20, 0.08, 0.02.
    # Σ p(RR − 1) = 0.0140956 + 0.0227556 + 0.0236118 + 0.0129542 + 0.0041504 = 0.0775676
    # PAF = 0.0775676 / 1.0775676 = 0.071984 → 7.198 %
    paf = impacts.ihd_paf(ACCEPTANCE_BANDS, 10_000)
    assert paf * 100 == pytest.approx(7.198, abs=5e-4)
    # Cases = PAF × 300/100,000 × 10,000 = 0.071984 × 30 = 2.1595 ≈ 2.16
    result = impacts.noise_impacts(ACCEPTANCE_BANDS, None, ihd_incidence_per_100k=300)
    assert result.ihd_attributable_cases == pytest.approx(2.16, abs=0.005)
    assert result.ihd_ci_low < result.ihd_attributable_cases < result.ihd_ci_high


def test_ihd_paf_counts_the_unexposed_population():
    # Same exposed people in a population of 20,000: p halves. Σ p(RR−1) = 0.0775676/2 = 0.0387838
    # PAF = 0.0387838 / 1.0387838 = 0.037336
    bands = {**ACCEPTANCE_BANDS, "<55": 10_000}
    assert impacts.noise_impacts(bands, None).ihd_paf == pytest.approx(0.037336, abs=1e-6)


def test_highly_sleep_disturbed_and_daly():
    # %HSD(52.5) = 19.4312 − 0.9336·52.5 + 0.0126·52.5² = 19.4312 − 49.014 + 34.72875 = 5.14595 %
    # 1,000 people in Ln 50-55 → 51.4595 HSD; DALY = 51.4595 × 0.07 = 3.602165
    result = impacts.noise_impacts(None, {"<50": 0, "50-55": 1000})
    assert result.highly_sleep_disturbed == pytest.approx(51.4595, abs=1e-4)
    assert result.daly == pytest.approx(3.602165, abs=1e-5)


def test_erf_is_not_extrapolated_below_its_threshold():
    # The road HA curve is fitted from 40 dB: at 30 dB the quadratic would give
    # 78.927 − 93.486 + 30.78 = 16.22 %, but no effect is computed below the validity range.
    assert impacts.percent_highly_annoyed(30) == 0.0
    assert impacts.ihd_relative_risk(50) == 1.0  # below 53 dB: RR 1, no negative risk


def test_band_above_the_validity_range_is_flagged():
    result = impacts.noise_impacts(None, {">=70": 10})
    assert result.out_of_validity and "72.5" in result.out_of_validity[0]


def test_unknown_band_is_refused():
    with pytest.raises(ValueError, match="42-47"):
        impacts.highly_annoyed({"42-47": 10})


@pytest.mark.parametrize("erf", NOISE_ERFS, ids=lambda e: f"{e.outcome}-{e.source_type}")
def test_every_erf_matches_its_quadratic_at_60_db(erf):
    # Table-driven: each curve from Directive 2020/367 Annex III at 60 dB is a + 60b + 3600c.
    assert erf.percent(60) == pytest.approx(max(0.0, erf.a + 60 * erf.b + 3600 * erf.c))
