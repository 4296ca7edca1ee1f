"""One server-rendered chart for the whole suite: bars, stacked bars and lines.

A chart is a plain dataclass built by a view or a selector; `{% load communs_charts %}{% chart c %}`
renders it as a `<figure>` holding a titled SVG with both axes (tick marks, tick labels, axis
titles), a legend when there are several series, a caption, and the equivalent data table.

The split of numbers follows `communs.core.numbers`: every geometry attribute of the SVG goes
through `machine_number` (dot decimal, never localised, so browsers draw it), while every figure
read by people (tick labels, the table, the tooltips) goes through `format_number`.

    chart = BarChart(
        title="Émissions par poste",
        categories=["1.1", "1.2"],
        series=[Series("Émissions", [12.5, 3.0])],
        x_label="Poste", y_label="tCO2e", unit="tCO2e", decimals=1,
        caption="Hors CO2 biogénique.",
        horizontal=True,
    )

Marks of value 0 or None are not drawn (a browser test checks every drawn mark has a size).
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from communs.core.numbers import format_number

# DSFR illustrative palette, contrasted enough against white (≥ 3:1 for graphical objects).
PALETTE = ("#000091", "#e1000f", "#b34000", "#18753c", "#6e445a", "#695240", "#3558a2")
_ids = itertools.count(1)


@dataclass
class Series:
    """One named series of values, one value per category (None when unknown)."""

    label: str
    values: Sequence[float | None]
    colour: str | None = None
    # One colour per value (bars only), when the colour itself means something (a noise band).
    value_colours: Sequence[str] | None = None

    def colour_of(self, index: int, default: str) -> str:
        return self.value_colours[index] if self.value_colours else default


@dataclass
class _Chart:
    title: str
    categories: Sequence[str]
    series: Sequence[Series]
    x_label: str
    y_label: str
    caption: str = ""
    unit: str = ""
    decimals: int = 0
    # Show the table inside a <details> (long tables) rather than open.
    table_collapsed: bool = False
    table_caption: str = ""
    # Table-only columns (header, one text per category, already formatted for people): a share
    # next to a count, say; not drawn.
    table_extra: Sequence[tuple[str, Sequence[str]]] = ()
    chart_id: str = field(default_factory=lambda: f"chart-{next(_ids)}")

    kind = "bar"
    stacked = False
    horizontal = False

    # Geometry (SVG user units); the SVG scales to its container.
    width: int = 720

    def fmt(self, value) -> str:
        return format_number(value, self.decimals)

    def fmt_unit(self, value) -> str:
        return format_number(value, self.decimals, unit=self.unit or None)

    # -- table -------------------------------------------------------------------------------
    def table(self) -> dict:
        headers = [s.label for s in self.series]
        show_total = self.stacked and len(self.series) > 1
        if show_total:
            headers.append("Total")
        unit = f" ({self.unit})" if self.unit else ""
        headers = [f"{h}{unit}" for h in headers] + [header for header, _ in self.table_extra]
        rows = []
        for index, category in enumerate(self.categories):
            values = [s.values[index] for s in self.series]
            cells = [self.fmt(v) for v in values]
            if show_total:
                cells.append(self.fmt(sum(v for v in values if v is not None)))
            cells.extend(texts[index] for _, texts in self.table_extra)
            rows.append({"label": category, "cells": cells})
        return {
            "caption": self.table_caption or f"{self.title} : données du graphique{unit}",
            "category_header": self.x_label,
            "headers": headers,
            "rows": rows,
        }

    # -- scale -------------------------------------------------------------------------------
    def _extent(self) -> tuple[float, float]:
        if self.stacked:
            totals = [sum(max(0.0, float(s.values[i] or 0)) for s in self.series) for i in range(len(self.categories))]
            return 0.0, max(totals, default=0.0)
        values = [float(v) for s in self.series for v in s.values if v is not None and math.isfinite(v)]
        low = min(values, default=0.0)
        high = max(values, default=0.0)
        return min(0.0, low) if self.kind == "bar" else low, high

    def ticks(self) -> list[float]:
        low, high = self._extent()
        if high == low:
            high = low + 1 if low == 0 else low + abs(low) * 0.1 + 1
        return nice_ticks(low, high)

    def colours(self) -> list[str]:
        return [s.colour or PALETTE[i % len(PALETTE)] for i, s in enumerate(self.series)]

    def context(self) -> dict:
        """Everything the template needs: geometry as floats (the template writes them through
        `|machine`), labels as text for people."""
        return {"chart": self, "layout": self.layout(), "table": self.table(), "legend": self.legend()}

    def legend(self) -> list[dict]:
        if len(self.series) < 2:
            return []
        return [{"label": s.label, "colour": c} for s, c in zip(self.series, self.colours(), strict=True)]

    def layout(self) -> dict:
        raise NotImplementedError


def nice_ticks(low: float, high: float, target: int = 5) -> list[float]:
    """Round tick values covering [low, high]: steps of 1, 2 or 5 × 10^k, about `target` of them.
    (0, 7.3) → [0, 2, 4, 6, 8]."""
    span = high - low
    raw = span / target
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    start = math.floor(low / step) * step
    stop = math.ceil(high / step) * step
    count = round((stop - start) / step)
    return [round(start + i * step, 10) for i in range(count + 1)]


def _text_width(text: str, size: float = 13) -> float:
    return len(text) * size * 0.58


@dataclass
class BarChart(_Chart):
    """Bars, one group per category; `horizontal=True` draws categories down the left side."""

    horizontal: bool = False

    kind = "bar"

    def layout(self) -> dict:
        return _bar_layout(self)


@dataclass
class StackedBarChart(_Chart):
    """Vertical bars, the series stacked on each other for each category (total in the table)."""

    kind = "bar"
    stacked = True

    def layout(self) -> dict:
        return _bar_layout(self)


@dataclass
class LineChart(_Chart):
    """One line per series over ordered categories (months, years); gaps where a value is None."""

    kind = "line"

    def layout(self) -> dict:
        return _line_layout(self)


def _value_axis_labels(chart: _Chart, ticks: list[float]) -> list[str]:
    decimals = 0
    if len(ticks) > 1:
        step = abs(ticks[1] - ticks[0])
        decimals = 0 if step >= 1 else min(6, -math.floor(math.log10(step)))
    return [format_number(t, decimals) for t in ticks]


def _thin_labels(labels: Sequence[str], room: float) -> list[bool]:
    """Which category labels to print when there is not room for all (every n-th, always the last)."""
    longest = max((_text_width(label, 12) for label in labels), default=0) + 6
    every = max(1, math.ceil(longest / room)) if room > 0 else 1
    return [i % every == 0 for i in range(len(labels))]


def _finish(layout: dict) -> dict:
    """Derived positions of tick marks and labels, so the template does no arithmetic."""
    layout["bottom_tick"] = layout["bottom"] + 5
    layout["bottom_label"] = layout["bottom"] + 18
    layout["left_tick"] = layout["left"] - 5
    layout["left_label"] = layout["left"] - 8
    for tick in layout["value_ticks"] + layout["category_ticks"]:
        tick["text_pos"] = tick["pos"] + 4
    layout.setdefault("points", [])
    return layout


def _bar_layout(chart: _Chart) -> dict:
    ticks = chart.ticks()
    tick_labels = _value_axis_labels(chart, ticks)
    low, high = ticks[0], ticks[-1]
    n = max(1, len(chart.categories))
    colours = chart.colours()
    marks = []
    if chart.horizontal:
        band = 30
        left = min(260.0, max(60.0, max((_text_width(c) for c in chart.categories), default=0) + 16))
        top, right, bottom = 12.0, 24.0, 48.0
        plot_w = chart.width - left - right
        plot_h = band * n
        height = top + plot_h + bottom

        def vx(value: float) -> float:
            return left + (value - low) / (high - low) * plot_w

        per = band * 0.7 / len(chart.series)
        for i, category in enumerate(chart.categories):
            for j, series in enumerate(chart.series):
                value = series.values[i]
                if value is None or value == 0:
                    continue
                x0, x1 = sorted((vx(0), vx(float(value))))
                marks.append(
                    {
                        "x": x0,
                        "y": top + i * band + band * 0.15 + j * per,
                        "w": x1 - x0,
                        "h": per,
                        "colour": series.colour_of(i, colours[j]),
                        "label": f"{category}, {series.label} : {chart.fmt_unit(value)}",
                    }
                )
        value_ticks = [{"pos": vx(t), "label": lbl} for t, lbl in zip(ticks, tick_labels, strict=True)]
        category_ticks = [
            {"pos": top + i * band + band / 2, "label": c, "shown": True} for i, c in enumerate(chart.categories)
        ]
        return _finish(
            {
                "horizontal": True,
                "height": height,
                "left": left,
                "top": top,
                "right": left + plot_w,
                "bottom": top + plot_h,
                "value_ticks": value_ticks,
                "category_ticks": category_ticks,
                "marks": marks,
                "lines": [],
                "x_title": {"x": left + plot_w / 2, "y": height - 8, "text": chart.y_label},
                "y_title": {"x": 14, "y": top + plot_h / 2, "text": chart.x_label},
            }
        )

    left = max(56.0, max((_text_width(lbl, 12) for lbl in tick_labels), default=0) + 30)
    top, right = 12.0, 12.0
    plot_w = chart.width - left - right
    step = plot_w / n
    shown = _thin_labels(chart.categories, step)
    rotate = False
    bottom = 52.0
    plot_h = 220.0
    height = top + plot_h + bottom

    def vy(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    per = step * 0.7 / (1 if chart.stacked else len(chart.series))
    for i, category in enumerate(chart.categories):
        base = 0.0
        for j, series in enumerate(chart.series):
            value = series.values[i]
            if value is None or value == 0:
                continue
            value = float(value)
            if chart.stacked:
                y0, y1 = vy(base + value), vy(base)
                base += value
                x = left + i * step + step * 0.15
            else:
                y0, y1 = sorted((vy(value), vy(0)))
                x = left + i * step + step * 0.15 + j * per
            marks.append(
                {
                    "x": x,
                    "y": y0,
                    "w": per,
                    "h": y1 - y0,
                    "colour": series.colour_of(i, colours[j]),
                    "label": f"{category}, {series.label} : {chart.fmt_unit(value)}",
                }
            )
    value_ticks = [{"pos": vy(t), "label": lbl} for t, lbl in zip(ticks, tick_labels, strict=True)]
    category_ticks = [
        {"pos": left + i * step + step / 2, "label": c, "shown": s}
        for i, (c, s) in enumerate(zip(chart.categories, shown, strict=True))
    ]
    return _finish(
        {
            "horizontal": False,
            "rotate": rotate,
            "height": height,
            "left": left,
            "top": top,
            "right": left + plot_w,
            "bottom": top + plot_h,
            "value_ticks": value_ticks,
            "category_ticks": category_ticks,
            "marks": marks,
            "lines": [],
            "x_title": {"x": left + plot_w / 2, "y": height - 8, "text": chart.x_label},
            "y_title": {"x": 14, "y": top + plot_h / 2, "text": chart.y_label},
        }
    )


def _line_layout(chart: _Chart) -> dict:
    ticks = chart.ticks()
    tick_labels = _value_axis_labels(chart, ticks)
    low, high = ticks[0], ticks[-1]
    n = max(1, len(chart.categories))
    left = max(56.0, max((_text_width(lbl, 12) for lbl in tick_labels), default=0) + 30)
    top, right, bottom, plot_h = 12.0, 16.0, 52.0, 200.0
    plot_w = chart.width - left - right
    step = plot_w / n
    height = top + plot_h + bottom

    def vy(value: float) -> float:
        return top + plot_h - (value - low) / (high - low) * plot_h

    colours = chart.colours()
    lines, marks = [], []
    for j, series in enumerate(chart.series):
        segments: list[list[tuple[float, float]]] = [[]]
        for i, value in enumerate(series.values):
            if value is None or not math.isfinite(value):
                segments.append([])
                continue
            x, y = left + i * step + step / 2, vy(float(value))
            segments[-1].append((x, y))
            marks.append(
                {
                    "cx": x,
                    "cy": y,
                    "colour": colours[j],
                    "label": f"{chart.categories[i]}, {series.label} : {chart.fmt_unit(value)}",
                }
            )
        for points in segments:
            if len(points) > 1:
                lines.append({"points": points, "colour": colours[j]})
    shown = _thin_labels(chart.categories, step)
    return _finish(
        {
            "horizontal": False,
            "height": height,
            "left": left,
            "top": top,
            "right": left + plot_w,
            "bottom": top + plot_h,
            "value_ticks": [{"pos": vy(t), "label": lbl} for t, lbl in zip(ticks, tick_labels, strict=True)],
            "category_ticks": [
                {"pos": left + i * step + step / 2, "label": c, "shown": s}
                for i, (c, s) in enumerate(zip(chart.categories, shown, strict=True))
            ],
            "marks": [],
            "points": marks,
            "lines": lines,
            "x_title": {"x": left + plot_w / 2, "y": height - 8, "text": chart.x_label},
            "y_title": {"x": 14, "y": top + plot_h / 2, "text": chart.y_label},
        }
    )
