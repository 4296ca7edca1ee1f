"""Server-rendered bar charts for the dashboards: geometry here, SVG and its equivalent table in templates.

A chart always has a title, labelled axes and a table with the same figures (the template shows it)."""

from collections import defaultdict
from dataclasses import dataclass, field

WIDTH, HEIGHT = 720, 260
LEFT, BOTTOM, TOP, RIGHT = 56, 48, 32, 16


@dataclass
class Bar:
    x: float
    y: float
    width: float
    height: float
    label: str
    value: float
    series: int = 0


@dataclass
class Chart:
    title: str
    x_label: str
    y_label: str
    bars: list[Bar] = field(default_factory=list)
    ticks: list[tuple[float, float]] = field(default_factory=list)  # (y position, value)
    legend: list[str] = field(default_factory=list)
    labels: list[tuple[float, str]] = field(default_factory=list)  # (x centre, group label)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    plot_bottom: int = HEIGHT - BOTTOM
    plot_right: int = WIDTH - RIGHT


def _nice_max(value: float) -> float:
    for step in (5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if value <= step * 5:
            return step * 5 if value > 0 else 5
    return value


def grouped(title: str, x_label: str, y_label: str, groups: list[tuple[str, list[float]]], legend: list[str]) -> Chart:
    chart = Chart(title, x_label, y_label, legend=legend)
    if not groups:
        return chart
    top = _nice_max(max(max(values) for _, values in groups))
    plot_w = chart.plot_right - LEFT
    plot_h = chart.plot_bottom - TOP
    slot = plot_w / len(groups)
    series = len(legend)
    bar_w = max(2.0, slot * 0.8 / series)
    step = max(1, len(groups) // 12)  # at most about 12 labels under the axis
    for index, (label, values) in enumerate(groups):
        if index % step == 0:
            chart.labels.append((LEFT + index * slot + slot / 2, label))
        for s, value in enumerate(values):
            height = plot_h * value / top
            chart.bars.append(
                Bar(
                    LEFT + index * slot + slot * 0.1 + s * bar_w,
                    chart.plot_bottom - height,
                    bar_w,
                    height,
                    label,
                    value,
                    s,
                )
            )
    chart.ticks = [(chart.plot_bottom - plot_h * k / 5, top * k / 5) for k in range(6)]
    return chart


def occupancy_chart(rows) -> Chart:
    """Per day: desks booked and desks checked in, summed over the floors shown."""
    booked, checked = defaultdict(int), defaultdict(int)
    for day, occ in rows:
        booked[day] += occ.booked
        checked[day] += occ.checked_in
    groups = [(day.strftime("%d/%m"), [booked[day], checked[day]]) for day in sorted(booked)]
    return grouped(
        "Postes réservés et présences validées par jour",
        "Jour",
        "Nombre de postes",
        groups,
        ["réservés", "présence validée"],
    )


def catering_chart(report) -> Chart:
    groups = [(f.day.strftime("%d/%m"), [f.expected_present, f.meals]) for f, _, _ in report.days]
    return grouped(
        "Présence attendue et repas prévus", "Jour", "Personnes", groups, ["présence attendue", "repas prévus"]
    )
