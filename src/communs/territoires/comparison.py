"""Two territories side by side: the panels both show, and one chart per panel holding both
territories' values, so both are read on the same scale."""

from dataclasses import dataclass

from communs.territoires.panels import PanelChart
from communs.territoires.synthesis import Identity, ShownPanel, shown_panels

# What a territory is compared with when nobody chose: the next level up.
DEFAULT_PARENT = {"commune": "departement", "epci": "departement", "departement": "region"}


def default_other(identity: Identity) -> dict | None:
    wanted = DEFAULT_PARENT.get(identity.ref.level)
    for parent in identity.parents:
        if parent.level == wanted:
            return {"niveau": parent.level, "code": parent.code}
    return None


@dataclass
class FigurePair:
    label: str
    unit: str
    decimals: int
    first: object
    second: object


@dataclass
class PanelPair:
    service: str
    title: str
    first: ShownPanel | None
    second: ShownPanel | None
    figures: list[FigurePair]
    chart: dict | None  # {"title", "categories", "series": [(name, values)], ...}


def merged_chart(first: PanelChart | None, second: PanelChart | None, names: tuple[str, str]) -> dict | None:
    """One chart with a series per territory, over the union of their categories (same scale)."""
    first, second = (c if isinstance(c, PanelChart) else None for c in (first, second))
    charts = [c for c in (first, second) if c is not None]
    if not charts:
        return None  # only described charts (PanelChart) can be merged onto one scale
    model = charts[0]
    categories = list(model.categories)
    for chart in charts[1:]:
        categories += [c for c in chart.categories if c not in categories]
    series = []
    for name, chart in zip(names, (first, second), strict=True):
        values = dict(zip(chart.categories, chart.values, strict=True)) if chart else {}
        series.append((name, [values.get(c) for c in categories]))
    return {
        "title": model.title,
        "categories": categories,
        "series": series,
        "x_label": model.x_label,
        "y_label": model.y_label,
        "unit": model.unit,
        "decimals": model.decimals,
    }


def pair_panels(first: Identity, second: Identity, user) -> list[PanelPair]:
    """Every panel shown for at least one of the two, figure by figure (matched on their key)."""
    left = {p.panel.service: p for p in shown_panels(first.ref, user)}
    right = {p.panel.service: p for p in shown_panels(second.ref, user)}
    pairs = []
    for service in sorted(set(left) | set(right)):
        a, b = left.get(service), right.get(service)
        order, by_key = [], {}
        for side, shown in enumerate((a, b)):
            for figure in shown.data.figures if shown else []:
                key = figure.key or figure.label
                if key not in by_key:
                    order.append(key)
                    by_key[key] = {"figure": figure, "values": [None, None]}
                by_key[key]["values"][side] = figure.value
        figures = [
            FigurePair(
                by_key[k]["figure"].label,
                by_key[k]["figure"].unit,
                by_key[k]["figure"].decimals,
                *by_key[k]["values"],
            )
            for k in order
        ]
        chart = merged_chart(
            a.data.chart if a else None, b.data.chart if b else None, (first.ref.name, second.ref.name)
        )
        pairs.append(PanelPair(service, (a or b).panel.title, a, b, figures, chart))
    return pairs
