"""One way to write a number for people, one way to write it for machines.

For people (pages, PDF, e-mails): French grouping with a narrow no-break space (U+202F), a decimal
comma, a precision chosen for the quantity, and a no-break space before the unit, as the
Imprimerie nationale's typographic rules and the DSFR content guide write them ("12 345,6 t").
For machines (SVG attributes, CSS, JSON in HTML, `data-*`): a plain dot-decimal string, never
localised, since browsers reject "380,0" as an SVG length.
Exports (CSV, XLSX, Parquet, API) keep full precision and do not go through either.
"""

import math
from decimal import ROUND_HALF_UP, Decimal

NARROW_NBSP = "\u202f"
NBSP = "\u00a0"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float) and not math.isfinite(value):
        return None
    try:
        number = Decimal(str(value))
    except ArithmeticError:
        return None
    return number if number.is_finite() else None


def format_number(value, decimals: int = 0, unit: str | None = None, missing: str = "—") -> str:
    """`12345.678, 1, "t"` → "12 345,7 t" (U+202F between thousands, U+00A0 before the unit).

    Rounds half away from zero on the decimal value (no float artefacts: 0.125 → "0,13").
    None, "", NaN and infinities give `missing`.
    """
    number = _decimal(value)
    if number is None:
        return missing
    quantum = Decimal(1).scaleb(-decimals)
    rounded = number.quantize(quantum, rounding=ROUND_HALF_UP)
    if rounded == 0:
        rounded = abs(rounded)  # never "-0"
    sign = "-" if rounded < 0 else ""
    integer, _, fraction = f"{abs(rounded):f}".partition(".")
    groups = []
    while len(integer) > 3:
        groups.insert(0, integer[-3:])
        integer = integer[:-3]
    groups.insert(0, integer)
    text = sign.replace("-", "\u2212") + NARROW_NBSP.join(groups) + (f",{fraction}" if fraction else "")
    return f"{text}{NBSP}{unit}" if unit else text


def significant_decimals(uncertainty, digits: int = 2) -> int:
    """Decimals that keep `digits` significant digits of an uncertainty (± 867.358 → 0: "± 870"
    needs rounding to tens, returned as 0 decimals; ± 0.1663 → 2). Never negative: a figure is
    rounded to whole units at most, then shown with its grouping."""
    number = _decimal(uncertainty)
    if number is None or number == 0:
        return 0
    exponent = math.floor(math.log10(abs(float(number))))
    return max(0, digits - 1 - exponent)


def format_percent(value, decimals: int = 1, missing: str = "—") -> str:
    """A percentage already expressed in percent: `12.345` → "12,3 %"."""
    return format_number(value, decimals, unit="%", missing=missing)


def machine_number(value, decimals: int | None = None) -> str:
    """A number for SVG, CSS, JSON or `data-*`: dot decimal, no grouping, no exponent, finite.

    NaN and infinities give "0" rather than a value a browser would reject.
    """
    number = _decimal(value)
    if number is None:
        return "0"
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    text = f"{number:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in {"-0", ""} else text
