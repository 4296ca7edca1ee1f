"""Finite numbers only: NaN, ±infinity and absurd magnitudes never enter a calculation.

A value such as `1e308` is finite but overflows to infinity as soon as it is summed or multiplied
by an emission factor; every quantity the suite handles stays far below `MAX_MAGNITUDE` (10¹⁵ is a
billion tonnes expressed in grams, or a million billion euros).
"""

import math

MAX_MAGNITUDE = 1e15


class NumberError(ValueError):
    """A number that is not finite or not plausible; `field` and `line` say where it was read."""

    def __init__(self, message: str, *, field: str = "", line: int | None = None):
        self.field, self.line, self.reason = field, line, message
        where = ", ".join(
            part
            for part in (f"ligne {line}" if line is not None else "", f"champ « {field} »" if field else "")
            if part
        )
        super().__init__(f"{where} : {message}" if where else message)


def finite_number(
    value,
    *,
    field: str = "",
    line: int | None = None,
    minimum: float | None = None,
    maximum: float | None = None,
) -> float:
    """`value` as a float, refused when not a number, not finite, or outside [minimum, maximum]
    (by default ±MAX_MAGNITUDE)."""
    if isinstance(value, bool):
        raise NumberError(f"« {value} » n'est pas un nombre", field=field, line=line)
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        raise NumberError(f"« {value} » n'est pas un nombre", field=field, line=line) from None
    if not math.isfinite(number):
        raise NumberError(f"« {value} » n'est pas un nombre fini", field=field, line=line)
    low = -MAX_MAGNITUDE if minimum is None else minimum
    high = MAX_MAGNITUDE if maximum is None else maximum
    if number < low or number > high:
        raise NumberError(f"{value} hors de l'intervalle plausible [{low:g} ; {high:g}]", field=field, line=line)
    return number


def is_plausible(value) -> bool:
    """True for an int or float that is finite and within ±MAX_MAGNITUDE (None is not)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and abs(value) <= MAX_MAGNITUDE
    )


def check_all_finite(values, *, field: str = "") -> None:
    """Refuse the first non-finite or implausible value of an iterable (None is skipped)."""
    for value in values:
        if value is not None and not is_plausible(value):
            raise NumberError(f"« {value} » n'est pas un nombre fini plausible", field=field)
