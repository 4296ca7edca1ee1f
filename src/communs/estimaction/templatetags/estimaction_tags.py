"""Dashboard helpers. Numbers go through `communs_numbers` (`nombre`, `part`), charts through
`communs_charts`."""

from django import template

register = template.Library()


@register.filter
def get(mapping, key):
    return mapping.get(key) if hasattr(mapping, "get") else None
