"""The suite's one chart component: axes, tick labels, caption, table; machine numbers in the SVG."""

import re

from django.template import Context, Template
from django.test import override_settings

from communs.core.charts import BarChart, LineChart, Series, StackedBarChart, nice_ticks

GEOMETRY = re.compile(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|viewBox|points|transform)="([^"]*)"')


def render(chart) -> str:
    return Template("{% load communs_charts %}{% chart c %}").render(Context({"c": chart}))


def test_nice_ticks_cover_the_range_with_round_steps():
    # 7.3 / 5 = 1.46 → step 2 → 0, 2, 4, 6, 8
    assert nice_ticks(0, 7.3) == [0, 2, 4, 6, 8]
    # 12345 / 5 = 2469 → step 2500 → 0 … 12500
    assert nice_ticks(0, 12345) == [0, 2500, 5000, 7500, 10000, 12500]


@override_settings(LANGUAGE_CODE="fr", USE_THOUSAND_SEPARATOR=True)
def test_stacked_bar_chart_has_axes_month_labels_table_and_no_localised_geometry():
    chart = StackedBarChart(
        title="Effectifs par nature de contrat",
        categories=["01/2024", "02/2024", "03/2024"],
        series=[Series("CDI", [10, 12, 0]), Series("CDD", [2.5, 0, 1234.5])],
        x_label="Mois",
        y_label="Contrats en cours",
        caption="Fin de mois.",
        decimals=1,
    )
    html = render(chart)
    for value in GEOMETRY.findall(html):
        assert "," not in value, value
    assert 'class="communs-chart__axis communs-chart__axis--x"' in html
    assert 'class="communs-chart__axis communs-chart__axis--y"' in html
    assert ">01/2024</text>" in html and ">03/2024</text>" in html
    assert ">Mois</text>" in html and ">Contrats en cours</text>" in html
    assert "<figcaption" in html and "Fin de mois." in html
    # Table for people: French grouping and decimal comma; total column for stacked bars.
    assert "1\u202f234,5" in html
    assert '<th scope="col">Total</th>' in html
    # Zero values are not drawn: 3 non-zero CDI/CDD values + 1 → 4 rects of class mark.
    assert html.count('<rect class="communs-chart__mark"') == 4
    # Legend with two series.
    assert 'aria-label="Légende"' in html


def test_horizontal_bar_chart_puts_categories_on_the_left():
    chart = BarChart(
        title="Émissions par poste",
        categories=["1.1", "2.1"],
        series=[Series("Émissions", [380.04, 12.0])],
        x_label="Poste",
        y_label="Émissions (tCO2e)",
        unit="tCO2e",
        decimals=1,
        horizontal=True,
    )
    html = render(chart)
    widths = re.findall(r'<rect class="communs-chart__mark" [^>]*width="([^"]+)"', html)
    assert len(widths) == 2 and all(float(w) > 0 for w in widths)
    assert 'text-anchor="end">1.1</text>' in html
    assert "380,0\u00a0tCO2e" in html  # tooltip for people


def test_line_chart_draws_segments_around_missing_values():
    chart = LineChart(
        title="Taux",
        categories=["janv.", "févr.", "mars", "avr."],
        series=[Series("Taux", [1.5, 2.0, None, 3.0])],
        x_label="Mois",
        y_label="%",
    )
    html = render(chart)
    # One polyline (the first two points); the lone last point is a circle only.
    assert html.count("<polyline") == 1
    assert html.count("<circle") == 3
    assert "—" in html  # the missing value in the table
