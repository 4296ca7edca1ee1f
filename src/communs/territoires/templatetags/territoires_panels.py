"""`{% load territoires_panels %}`: a figure's value for people, and a panel's small chart.

The chart is drawn here until `communs.core.charts` is available to this app; only
`panel_chart` below knows how, so switching to the shared component changes this file alone.
"""

import math

from django import template

from communs.core.numbers import format_number, format_percent
from communs.territoires.panels import PanelChart

register = template.Library()

PALETTE = ("#000091", "#b34000")  # DSFR blue and a contrasted orange (≥ 3:1 against white)
WIDTH = 560
LABEL_WIDTH = 230
ROW = 22
TOP = 10
AXIS = 44


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


def nice_max(value: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ⁿ at or above `value` (axis end)."""
    if value <= 0 or not math.isfinite(value):
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if step * power >= value:
            return step * power
    return 10 * power


def chart_context(chart: PanelChart | dict, chart_id: str, series_name: str = "") -> dict:
    """Geometry (floats written through |machine by the template) and the equivalent table."""
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
    series = spec["series"]
    numbers = [float(v) for _, values in series for v in values if v is not None and math.isfinite(float(v))]
    top = nice_max(max(numbers, default=0.0))
    plot = WIDTH - LABEL_WIDTH - 20
    group = ROW * len(series) + 8
    bars, rows = [], []
    for index, category in enumerate(spec["categories"]):
        y0 = TOP + index * group
        cells = []
        for s, (name, values) in enumerate(series):
            value = values[index]
            cells.append(value_with_unit(value, "", spec["decimals"]) if value is not None else "—")
            if value is None or float(value) <= 0:
                continue
            bars.append(
                {
                    "x": LABEL_WIDTH,
                    "y": y0 + s * ROW,
                    "width": max(plot * float(value) / top, 1.0),
                    "height": ROW - 4,
                    "colour": PALETTE[s % len(PALETTE)],
                    "label": f"{category}, {name} : {value_with_unit(value, spec['unit'], spec['decimals'])}",
                }
            )
        rows.append({"label": category, "cells": cells, "y": y0 + (group - 8) / 2 + 4})
    height = TOP + group * len(spec["categories"]) + AXIS
    axis_y = height - AXIS + 2
    ticks = [
        {"x": LABEL_WIDTH + plot * i / 4, "label": value_with_unit(top * i / 4, "", spec["decimals"])}
        for i in range(5)
    ]
    unit = f" ({spec['unit']})" if spec["unit"] else ""
    return {
        "id": chart_id,
        "title": spec["title"],
        "width": WIDTH,
        "height": height,
        "label_x": LABEL_WIDTH - 6,
        "plot_end": LABEL_WIDTH + plot,
        "axis_y": axis_y,
        "tick_label_y": axis_y + 14,
        "axis_title_x": LABEL_WIDTH + plot / 2,
        "axis_title_y": axis_y + 34,
        "bars": bars,
        "rows": rows,
        "ticks": ticks,
        "x_label": spec["x_label"],
        "y_label": spec["y_label"],
        "headers": [spec["y_label"]] if len(series) == 1 else [f"{name}{unit}" for name, _ in series],
        "legend": [{"name": name, "colour": PALETTE[i % len(PALETTE)]} for i, (name, _) in enumerate(series)]
        if len(series) > 1
        else [],
    }


@register.inclusion_tag("territoires/_chart.html")
def panel_chart(chart, chart_id: str, series_name: str = ""):
    return {"c": chart_context(chart, chart_id, series_name)}
