"""Unit conversions to the factor's unit (pint), with the PCS/PCI rule."""

import pytest

from communs.bascarbone.engine.units import UnitError, conversion_factor


@pytest.mark.parametrize(
    ("activity", "factor", "ratio", "expected"),
    [
        ("L", "kgCO2e/litre", None, 1.0),
        ("m3", "kgCO2e/litre", None, 1000.0),  # 1 m³ = 1000 L
        ("MWh", "kgCO2e/kWh", None, 1000.0),
        ("GJ", "kgCO2e/kWh", None, 277.7778),  # 1 GJ = 1e9 J / 3.6e6 J = 277.78 kWh
        ("tep", "kgCO2e/kWh", None, 11630.0),  # conventional tep
        ("kWh PCS", "kgCO2e/kWh PCI", 0.901, 0.901),  # natural gas: 1 kWh PCS = 0.901 kWh PCI
        ("kWh PCI", "kgCO2e/kWh PCS", 0.901, 1 / 0.901),
        ("kWh", "kgCO2e/kWh PCI", None, 1.0),  # no basis given: the factor's
        ("p.km", "kgCO2e/passager.km", None, 1.0),
        ("t.km", "kgCO2e/tonne.km", None, 1.0),
        ("t", "kgCO2e/kg", None, 1000.0),
        ("€", "kgCO2e/k€", None, 0.001),
        ("k€", "kgCO2e/€", None, 1000.0),
        ("repas", "kgCO2e/repas", None, 1.0),
    ],
)
def test_conversion(activity, factor, ratio, expected):
    assert conversion_factor(activity, factor, ratio) == pytest.approx(expected, rel=1e-6)


@pytest.mark.parametrize(
    ("activity", "factor"),
    [
        ("L", "kgCO2e/kWh"),
        ("km", "kgCO2e/passager.km"),
        ("repas", "kgCO2e/unité"),
        ("k€", "kgCO2e/kg"),
        ("zorg", "kgCO2e/kg"),
    ],
)
def test_incompatible_units_are_refused(activity, factor):
    with pytest.raises(UnitError, match=activity):
        conversion_factor(activity, factor)


def test_pci_on_a_volume_is_refused():
    with pytest.raises(UnitError, match="énergie"):
        conversion_factor("L PCI", "kgCO2e/litre")
