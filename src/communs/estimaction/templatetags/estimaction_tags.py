"""French number formatting for the dashboard: 12 345,6 and 7,2 %."""

from django import template

register = template.Library()
THIN_SPACE = "\u202f"


@register.filter
def number(value, decimals=0):
    if value is None or value == "":
        return "—"
    try:
        text = f"{float(value):,.{int(decimals)}f}"
    except (TypeError, ValueError):
        return value
    return text.replace(",", THIN_SPACE).replace(".", ",")


@register.filter
def percent(value, decimals=1):
    if value is None or value == "":
        return "—"
    return f"{number(float(value) * 100, decimals)}{THIN_SPACE}%"


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
