"""Template filters over `communs.core.numbers`: `{% load communs_numbers %}`.

For people (grouped with U+202F, decimal comma, unit after U+00A0):
- `{{ value|nombre }}`, `{{ value|nombre:1 }}`: "12 345,7".
- `{{ value|pourcent }}`: a value already in percent, "12,3 %"; `{{ share|part }}`: a 0–1 share, "12,3 %".
- `{{ value|tonnes }}`, `{{ value|tonnes:"tCO2e" }}`: one decimal and the unit, "7 482,8 tCO2e".
- `{{ value|selon_incertitude:uncertainty }}`: rounded to the decimals the uncertainty supports
  (its two significant digits), "7 483" for ± 867.358.
- `{{ value|personnes }}`: a count of people, an integer, "12 346".
- `{{ value|valeur }}`: a figure of unknown precision, at most two decimals, no trailing zeros.
For machines (SVG, CSS, JSON, `data-*`), never localised:
- `{{ value|machine }}`, `{{ value|machine:2 }}`: "12345.68".
"""

from django import template

from communs.core.numbers import format_number, format_percent, machine_number, significant_decimals

register = template.Library()


@register.filter
def nombre(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def pourcent(value, decimals=1):
    return format_percent(value, int(decimals))


@register.filter
def part(value, decimals=1):
    """A share between 0 and 1 shown as a percentage: 0.1234 → "12,3 %"."""
    try:
        return format_percent(None if value in (None, "") else float(value) * 100, int(decimals))
    except (TypeError, ValueError):
        return format_percent(None)


@register.filter
def tonnes(value, unit="t"):
    return format_number(value, 1, unit=unit or None)


@register.filter
def selon_incertitude(value, uncertainty):
    return format_number(value, significant_decimals(uncertainty))


@register.filter
def personnes(value):
    return format_number(value, 0)


@register.filter
def valeur(value, max_decimals=2):
    """A figure of unknown precision (an indicator's value): whole numbers stay whole, otherwise
    up to `max_decimals` decimals without trailing zeros: 1234.5 → "1 234,5", 12.0 → "12"."""
    text = format_number(value, int(max_decimals))
    if "," in text:
        text = text.rstrip("0").rstrip(",")
    return text


@register.filter
def machine(value, decimals=None):
    return machine_number(value, None if decimals in (None, "") else int(decimals))
