"""The dashboards' charts, drawn by core's chart component (title, both axes, legend, data table)."""

from collections import defaultdict

from communs.core.charts import BarChart, Series


def occupancy_chart(rows) -> BarChart:
    """Per day: desks booked and desks checked in, summed over the floors shown (≥ 5 people)."""
    booked, checked = defaultdict(int), defaultdict(int)
    for day, occ in rows:
        booked[day] += occ.booked
        checked[day] += occ.checked_in
    days = sorted(booked)
    return BarChart(
        title="Postes réservés et présences validées par jour",
        categories=[day.strftime("%d/%m") for day in days],
        series=[Series("réservés", [booked[d] for d in days]), Series("présence validée", [checked[d] for d in days])],
        x_label="Jour",
        y_label="Nombre de postes",
        unit="postes",
        caption="Étages d'au moins 5 personnes seulement (secret statistique).",
    )


def catering_chart(report) -> BarChart:
    return BarChart(
        title="Présence attendue et repas prévus",
        categories=[f.day.strftime("%d/%m") for f, _, _ in report.days],
        series=[
            Series("présence attendue", [f.expected_present for f, _, _ in report.days]),
            Series("repas prévus", [f.meals for f, _, _ in report.days]),
        ],
        x_label="Jour",
        y_label="Personnes",
        unit="personnes",
    )
