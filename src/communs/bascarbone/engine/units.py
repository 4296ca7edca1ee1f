"""Activity units and their conversion to the unit of an emission factor (pint).

Unit labels come from two worlds: activity files ("L", "m3", "kWh PCS", "p.km", "k€") and the
denominators of Base Empreinte ("kgCO2e/litre", "kgCO2e/kWh PCI", "kgCO2e/passager.km"). Both are
mapped by one alias table to a pint expression plus, for energies, the heating-value basis
(PCI: lower heating value, PCS: higher heating value).

PCS ↔ PCI: the ratio depends on the fuel. It is a property of the factor (`pcs_pci_ratio`,
PCI / PCS); for natural gas it is 0.901 (Base Empreinte documentation, « gaz naturel » :
1 kWh PCS = 0.901 kWh PCI). Converting a basis into the other without a ratio is an error. An
energy quantity given without a basis ("kWh") is taken on the factor's basis: electricity and
heat networks have none, and bills for fuels state theirs.
"""

from dataclasses import dataclass
from functools import cache

import pint

NATURAL_GAS_PCI_PER_PCS = 0.901

_ALIASES: dict[str, str] = {
    "l": "liter",
    "litre": "liter",
    "litres": "liter",
    "liter": "liter",
    "hl": "hectoliter",
    "m3": "meter**3",
    "m³": "meter**3",
    "m2": "meter**2",
    "m²": "meter**2",
    "kwh": "kilowatt_hour",
    "mwh": "megawatt_hour",
    "gwh": "gigawatt_hour",
    "wh": "watt_hour",
    "gj": "gigajoule",
    "mj": "megajoule",
    "tep": "tep",
    "km": "kilometer",
    "véhicule.km": "kilometer",
    "vehicule.km": "kilometer",
    "km.véhicule": "kilometer",
    "p.km": "passager*kilometer",
    "pkm": "passager*kilometer",
    "passager.km": "passager*kilometer",
    "voyageur.km": "passager*kilometer",
    "t.km": "tonne*kilometer",
    "tkm": "tonne*kilometer",
    "tonne.km": "tonne*kilometer",
    "t": "tonne",
    "tonne": "tonne",
    "tonnes": "tonne",
    "kg": "kilogram",
    "g": "gram",
    "€": "euro",
    "eur": "euro",
    "euro": "euro",
    "euros": "euro",
    "€ ht": "euro",
    "k€": "kiloeuro",
    "k€ ht": "kiloeuro",
    "keur": "kiloeuro",
    "keuro": "kiloeuro",
    "repas": "repas",
    "nuitée": "nuitee",
    "nuitee": "nuitee",
    "unité": "unite",
    "unite": "unite",
    "u": "unite",
    "pièce": "unite",
    "piece": "unite",
}

_BASES = ("PCI", "PCS")


class UnitError(ValueError):
    """A unit that cannot be read or converted; the message says why, the caller adds where."""


@dataclass(frozen=True)
class ParsedUnit:
    label: str
    expression: str
    basis: str  # "PCI", "PCS" or "" (none given)


@cache
def registry() -> pint.UnitRegistry:
    units = pint.UnitRegistry()
    units.define("passager = [passenger]")
    units.define("euro = [currency]")
    units.define("kiloeuro = 1000 * euro")
    units.define("repas = [meal]")
    units.define("nuitee = [night]")
    units.define("unite = [item]")
    # Tonne d'équivalent pétrole: 11 630 kWh (arrêté du 15 septembre 2006, conventional value).
    units.define("tep = 11630 * kilowatt_hour")
    return units


@cache
def parse_unit(label: str) -> ParsedUnit:
    """Read a unit label ("kWh PCS", "kgCO2e/litre" denominators, "p.km") into a pint expression."""
    text = " ".join(str(label).strip().replace("(", " ").replace(")", " ").split())
    if "/" in text:  # a factor unit like "kgCO2e/kWh PCI": keep the denominator
        text = text.split("/", 1)[1].strip()
    basis = ""
    words = text.split(" ")
    if words and words[-1].upper() in _BASES:
        basis = words[-1].upper()
        text = " ".join(words[:-1])
    key = text.lower()
    expression = _ALIASES.get(key) or _ALIASES.get(text)
    if expression is None:
        try:
            registry().parse_units(text)
        except (pint.errors.PintError, AttributeError, TypeError, ValueError, AssertionError):
            raise UnitError(f"unité « {label} » inconnue") from None
        expression = text
    if basis and not registry()(expression).check("[energy]"):
        raise UnitError(f"unité « {label} » : PCI/PCS ne s'applique qu'à une énergie")
    return ParsedUnit(label=str(label), expression=expression, basis=basis)


@cache
def conversion_factor(activity_unit: str, factor_unit: str, pcs_pci_ratio: float | None = None) -> float:
    """Multiplier taking a quantity in `activity_unit` to the unit of a factor expressed per `factor_unit`.

    >>> conversion_factor("MWh", "kgCO2e/kWh")
    1000.0
    """
    source = parse_unit(activity_unit)
    target = parse_unit(factor_unit)
    units = registry()
    try:
        ratio = float(units.Quantity(1, source.expression).to(target.expression).magnitude)
    except pint.errors.DimensionalityError:
        raise UnitError(
            f"unité « {activity_unit} » incompatible avec le facteur, exprimé par « {target.label} »"
        ) from None
    if source.basis and target.basis and source.basis != target.basis:
        if not pcs_pci_ratio:
            raise UnitError(
                f"« {activity_unit} » est en {source.basis} mais le facteur en {target.basis}, "
                "et ce facteur ne donne pas de rapport PCI/PCS"
            )
        # 1 kWh PCS = ratio kWh PCI (ratio = PCI/PCS < 1).
        ratio *= pcs_pci_ratio if source.basis == "PCS" else 1 / pcs_pci_ratio
    return ratio
