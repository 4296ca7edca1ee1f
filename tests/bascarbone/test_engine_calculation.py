"""Emissions and approach-1 / Monte Carlo uncertainty of an inventory (the issue's acceptance numbers)."""

import pytest

from communs.bascarbone.engine.factors import EmissionFactor, FactorSet, load_starter_set
from communs.bascarbone.engine.inventory import ActivityLine, InventoryError, compute_inventory
from communs.bascarbone.engine.organisation import Organisation

STARTER = load_starter_set()


def _diesel_and_electricity():
    return [
        ActivityLine("1.2", "gazole-routier", 1000, "L"),
        ActivityLine("2.1", "electricite-france", 10000, "kWh"),
    ]


def test_diesel_and_electricity_total_and_approach1():
    result = compute_inventory(_diesel_and_electricity(), STARTER)
    # 1000 L × 3.16 = 3160 kg ; 10 000 kWh × 0.052 = 520 kg ; total 3680 kg = 3.680 t.
    assert result.total.total_kg == pytest.approx(3680.0)
    # sqrt((3160 × 0.05)² + (520 × 0.10)²) = sqrt(158² + 52²) = sqrt(24964 + 2704) = sqrt(27668) = 166.34 kg.
    assert result.total.uncertainty_kg == pytest.approx(166.337, abs=0.01)
    assert round(result.total.uncertainty_kg / 1000, 3) == 0.166


def test_monte_carlo_agrees_with_approach1_within_2_percent():
    result = compute_inventory(_diesel_and_electricity(), STARTER, monte_carlo_draws=100_000, seed=7)
    mc = result.total.monte_carlo
    # Same 166.3 kg half-width expected from the percentiles of 100 000 draws; the mean stays at 3680 kg.
    assert mc.uncertainty_kg == pytest.approx(166.34, rel=0.02)
    assert mc.mean_kg == pytest.approx(3680.0, rel=0.002)


def test_monte_carlo_is_reproducible_with_its_seed():
    first = compute_inventory(_diesel_and_electricity(), STARTER, monte_carlo_draws=2000, seed=1).total.monte_carlo
    second = compute_inventory(_diesel_and_electricity(), STARTER, monte_carlo_draws=2000, seed=1).total.monte_carlo
    third = compute_inventory(_diesel_and_electricity(), STARTER, monte_carlo_draws=2000, seed=2).total.monte_carlo
    assert first == second
    assert first != third


def _ten_services():
    organisation = Organisation()
    for index in range(10):
        organisation.add(f"service-{index}", parent_id="etat")
    lines = [ActivityLine("1.2", "gazole-routier", 1000, "L", entity=f"service-{index}") for index in range(10)]
    return organisation, lines


def test_shared_factor_is_fully_correlated_across_services():
    organisation, lines = _ten_services()
    result = compute_inventory(lines, STARTER, organisation=organisation)
    # Each service: 3160 kg ± 158 kg (5 %). Same factor → errors add linearly: 10 × 158 = 1580 kg = 1.58 t,
    # not sqrt(10) × 158 = 499.6 kg (0.50 t) as if independent.
    assert result.nodes["etat"].total_kg == pytest.approx(31600.0)
    assert result.nodes["etat"].uncertainty_kg == pytest.approx(1580.0)
    assert result.nodes["service-3"].uncertainty_kg == pytest.approx(158.0)


def test_shared_factor_correlation_holds_in_monte_carlo():
    organisation, lines = _ten_services()
    result = compute_inventory(lines, STARTER, organisation=organisation, monte_carlo_draws=50_000, seed=3)
    # One draw of the diesel factor for all ten services: half-width ≈ 1580 kg, far from 500 kg.
    assert result.nodes["etat"].monte_carlo.uncertainty_kg == pytest.approx(1580.0, rel=0.02)


def test_independent_activity_errors_add_in_quadrature():
    lines = [
        ActivityLine("1.2", "gazole-routier", 1000, "L", activity_uncertainty=0.10, entity=f"s{index}")
        for index in range(4)
    ]
    exact_factor = FactorSet("t", "t", {"gazole-routier": EmissionFactor("gazole-routier", "g", "kgCO2e/litre", 3.16)})
    result = compute_inventory(lines, exact_factor)
    # Activity errors are independent: sqrt(4 × (3160 × 0.10)²) = 2 × 316 = 632 kg.
    assert result.total.uncertainty_kg == pytest.approx(632.0)


def test_line_combines_activity_and_factor_quadratically():
    result = compute_inventory([ActivityLine("1.2", "gazole-routier", 1000, "L", activity_uncertainty=0.12)], STARTER)
    # sqrt(0.05² + 0.12²) = 0.13 → 3160 × 0.13 = 410.8 kg.
    assert result.total.uncertainty_kg == pytest.approx(410.8)


@pytest.mark.parametrize(
    ("gwp_set", "expected_kg"),
    [
        ("AR5", 3848.0),  # 2 kg × 1924 (AR5 R410A as published: 0.5 × 677 + 0.5 × 3170 = 1923.5 → 1924)
        ("AR4", 4176.0),  # 2 kg × 2088 (0.5 × 675 + 0.5 × 3500 = 2087.5 → 2088)
        ("AR6", 4512.0),  # 2 kg × 2256 (0.5 × 771 + 0.5 × 3740 = 2255.5 → 2256)
    ],
)
def test_refrigerant_top_up_uses_the_inventory_gwp_set(gwp_set, expected_kg):
    result = compute_inventory([ActivityLine("1.4", "r410a", 2, "kg")], STARTER, gwp_set=gwp_set)
    post = result.total.posts()["1.4"]
    assert post["total_kg"] == pytest.approx(expected_kg)
    assert post["other_kg"] == pytest.approx(expected_kg)  # an HFC: "other gases" column
    assert result.gwp_set == gwp_set


def test_biogenic_co2_is_reported_apart_and_excluded_from_total():
    result = compute_inventory([ActivityLine("1.1", "granules-bois", 10000, "kWh PCI")], STARTER)
    # 10 000 kWh × 0.0304 = 304 kg in the total; CO2b 10 000 × 0.376 = 3760 kg reported apart.
    assert result.total.total_kg == pytest.approx(304.0)
    assert result.total.co2b_kg == pytest.approx(3760.0)
    assert result.total.posts()["1.1"]["co2b_kg"] == pytest.approx(3760.0)


def test_capital_goods_are_spread_over_their_depreciation_period():
    result = compute_inventory(
        [ActivityLine("4.2", "ordinateur-portable", 40, "unité", amortization_years=4)], STARTER
    )
    # 40 laptops × 156 kg / 4 years = 1560 kg this year.
    assert result.total.total_kg == pytest.approx(1560.0)


def test_gases_add_up_to_the_total_per_post():
    result = compute_inventory([ActivityLine("1.2", "gazole-routier", 1000, "L")], STARTER)
    post = result.total.posts()["1.2"]
    # CH4 0.6 kg, N2O 19 kg; CO2 takes the rest, 3160 − 0.6 − 19 = 3140.4 kg.
    assert (post["ch4_kg"], post["n2o_kg"]) == pytest.approx((0.6, 19.0))
    assert post["co2_kg"] == pytest.approx(3140.4)
    assert post["co2_kg"] + post["ch4_kg"] + post["n2o_kg"] + post["other_kg"] == pytest.approx(post["total_kg"])


def test_categories_sum_posts():
    result = compute_inventory(_diesel_and_electricity(), STARTER)
    assert result.total.categories()["1"] == pytest.approx(3160.0)
    assert result.total.categories()["2"] == pytest.approx(520.0)
    assert result.total.categories()["3"] == 0


def test_gas_billed_in_pcs_is_converted_to_the_pci_factor():
    result = compute_inventory([ActivityLine("1.1", "gaz-naturel", 10000, "kWh PCS")], STARTER)
    # 10 000 kWh PCS × 0.901 = 9010 kWh PCI × 0.227 = 2045.27 kg.
    assert result.total.total_kg == pytest.approx(2045.27)


def test_volume_units_convert():
    result = compute_inventory([ActivityLine("1.2", "gazole-routier", 2, "m3")], STARTER)
    # 2 m³ = 2000 L × 3.16 = 6320 kg.
    assert result.total.total_kg == pytest.approx(6320.0)


@pytest.mark.parametrize(
    ("line", "field", "words"),
    [
        (ActivityLine("1.2", "gazole-routier", 10, "kWh", line=7), "unit", "incompatible"),
        (ActivityLine("1.2", "inconnu", 10, "L", line=8), "factor_id", "inconnu"),
        (ActivityLine("9.9", "gazole-routier", 10, "L", line=9), "post", "9.9"),
        (ActivityLine("1.2", "gazole-routier", -1, "L", line=10), "quantity", "positif"),
        (ActivityLine("1.1", "fioul-domestique", 10, "kWh PCS", line=11), "unit", "incompatible"),
    ],
)
def test_bad_line_is_a_clear_error_naming_the_line(line, field, words):
    with pytest.raises(InventoryError) as error:
        compute_inventory([ActivityLine("2.1", "electricite-france", 1, "kWh", line=1), line], STARTER)
    assert error.value.line == line.line
    assert error.value.field == field
    assert words in str(error.value)


def test_pcs_without_ratio_is_refused():
    factors = FactorSet("t", "t", {"x": EmissionFactor("x", "propane kWh", "kgCO2e/kWh PCI", 0.27)})
    with pytest.raises(InventoryError, match="rapport PCI/PCS"):
        compute_inventory([ActivityLine("1.1", "x", 10, "kWh PCS", line=3)], factors)
