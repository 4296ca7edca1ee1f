"""`{% load communs_charts %}{% chart obj %}`: renders a `communs.core.charts` chart (SVG with axes,
legend, caption and the equivalent table) through `core/components/chart.html`."""

from django import template

register = template.Library()


@register.inclusion_tag("core/components/chart.html")
def chart(obj):
    return obj.context()
