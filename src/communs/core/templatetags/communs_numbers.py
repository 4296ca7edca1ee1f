"""Template filters over `communs.core.numbers`: `{% load communs_numbers %}`.

- `{{ value|nombre }}`, `{{ value|nombre:1 }}`: for people ("12 345,7").
- `{{ value|pourcent }}`: "12,3 %".
- `{{ value|machine }}`, `{{ value|machine:2 }}`: for SVG, CSS, JSON and `data-*` ("12345.68").
"""

from django import template

from communs.core.numbers import format_number, format_percent, machine_number

register = template.Library()


@register.filter
def nombre(value, decimals=0):
    return format_number(value, int(decimals))


@register.filter
def pourcent(value, decimals=1):
    return format_percent(value, int(decimals))


@register.filter
def machine(value, decimals=None):
    return machine_number(value, None if decimals in (None, "") else int(decimals))
