"""The dashboards' charts, as `communs.core.charts` bar charts (title, both axes, legend, caption and
the table with the same figures, rendered by `{% chart %}`)."""

from collections import defaultdict

from communs.core.charts import BarChart, Series


def occupancy_chart(rows) -> BarChart:
    """Per day: desks booked and desks checked in, summed over the floors shown."""
    booked, checked = defaultdict(int), defaultdict(int)
    for day, occ in rows:
        booked[day] += occ.booked
        checked[day] += occ.checked_in
    days = sorted(booked)
    return BarChart(
        title="Postes réservés et présences validées par jour",
        categories=[day.strftime("%d/%m") for day in days],
        series=[Series("Réservés", [booked[d] for d in days]), Series("Présence validée", [checked[d] for d in days])],
        x_label="Jour",
        y_label="Nombre de postes",
        caption="Sommes sur les étages affichés ; détail par étage dans le tableau suivant.",
        table_collapsed=len(days) > 10,
        chart_id="chart-occupation",
    )


def catering_chart(report) -> BarChart:
    days = [f for f, _, _ in report.days]
    return BarChart(
        title="Présence attendue et repas prévus",
        categories=[f.day.strftime("%d/%m") for f in days],
        series=[
            Series("Présence attendue", [f.expected_present for f in days]),
            Series("Repas prévus", [f.meals for f in days]),
        ],
        x_label="Jour",
        y_label="Personnes",
        table_collapsed=len(days) > 10,
        chart_id="chart-restauration",
    )
