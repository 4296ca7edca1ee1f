"""`{% load territoires_panels %}`: a figure's value for people, and a panel's small chart drawn
by the suite's chart component (`communs.core.charts`, with its axes and equivalent table)."""

from django import template

from communs.core.charts import BarChart, Series
from communs.core.numbers import format_number, format_percent
from communs.territoires.panels import PanelChart

register = template.Library()


@register.filter
def figure_value(figure) -> str:
    """ "12 345 habitants", "42,3 %", or the text of a textual figure."""
    return value_with_unit(figure.value, figure.unit, figure.decimals)


@register.simple_tag
def value_with_unit(value, unit: str = "", decimals: int = 0) -> str:
    if isinstance(value, str):
        return value
    if unit == "%":
        return format_percent(value, decimals)
    return format_number(value, decimals, unit=unit or None)


def build_chart(chart: PanelChart | dict, chart_id: str, series_name: str = "") -> BarChart:
    """A `communs.core.charts.BarChart` (horizontal: category labels are long) from a panel's chart,
    or from the comparison's merged chart (one series per territory, hence one scale)."""
    if isinstance(chart, PanelChart):
        spec = {
            "title": chart.title,
            "categories": list(chart.categories),
            "series": [(series_name or chart.y_label, list(chart.values))],
            "x_label": chart.x_label,
            "y_label": chart.y_label,
            "unit": chart.unit,
            "decimals": chart.decimals,
        }
    else:
        spec = chart
    return BarChart(
        title=spec["title"],
        categories=spec["categories"],
        series=[Series(name, values) for name, values in spec["series"]],
        x_label=spec["x_label"],
        y_label=spec["y_label"],
        unit=spec["unit"],
        decimals=spec["decimals"],
        horizontal=True,
        table_collapsed=True,  # a panel stays short; the table is one click (or key) away
        chart_id=chart_id,
    )


@register.inclusion_tag("core/components/chart.html")
def panel_chart(chart, chart_id: str, series_name: str = ""):
    if hasattr(chart, "context"):  # a panel may also hand a ready `communs.core.charts` chart
        return chart.context()
    return build_chart(chart, chart_id, series_name).context()
