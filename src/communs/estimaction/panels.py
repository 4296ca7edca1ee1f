"""Estim'Action's panel on the territory pages: the stored exposure of the territory, with the
impacts the dashboard shows under its default options (same `dashboard.build`, so the same figures).

Results are aggregated figures, public like the dashboard: no permission to check.
"""

from datetime import date

from django.urls import reverse

from communs.estimaction.engine.parameters import POLLUTANT_LABELS
from communs.estimaction.models import TerritoryResult
from communs.territoires.panels import Figure, PanelChart, PanelData, TerritoryPanel, TerritoryRef, register_panel


def _source(result) -> str:
    stamps = sorted(result.datasets.values(), key=lambda s: (s.get("kind", ""), s.get("producer", "")))
    seen = []
    for stamp in stamps:
        text = f"{stamp.get('producer', '')} {stamp.get('vintage', '')}".strip()
        if text and text not in seen:
            seen.append(text)
    return "Estim'Action (exposition calculée) : " + ", ".join(seen)


def _dashboard_figures(result: TerritoryResult) -> dict:
    """The parts of `dashboard.build` the panel shows, computed the same way with the same default
    options (the map and the comparison with the département left out). Imported here: the
    dashboard brings the exposure engine (numpy, shapely), which start-up does not need."""
    from communs.estimaction import dashboard
    from communs.estimaction.engine.diagnosis import diagnose

    options = dashboard.Options()
    figures = diagnose(
        result.exposure,
        result.air,
        parameters=options.parameters,
        thresholds=options.thresholds,
        ihd_incidence_per_100k=options.ihd_incidence,
        monte_carlo=options.monte_carlo,
    )
    return {
        "noise_blocks": dashboard.noise_blocks(result, figures),
        "all_sources": dashboard.all_sources_exposed(result),
        "air_rows": [{"pollutant": pollutant, **values} for pollutant, values in figures["air"].items()],
        "last_checked": max((s["last_checked_at"] for s in dashboard.sources(result)), default=None),
    }


def territory_figures(territory: TerritoryRef, user) -> PanelData | None:
    # The map cells are what the panel does not need and the heaviest column: left in the database.
    result = TerritoryResult.objects.defer("cells").filter(level=territory.level, code=territory.code).first()
    if result is None:
        return None
    context = _dashboard_figures(result)
    figures = [Figure("Population des carreaux", result.total_population, "habitants", 0, "population")]
    if context["all_sources"]:
        exposed = context["all_sources"]["lden"]
        figures.append(
            Figure(
                "Exposés à 55 dB Lden ou plus, toutes sources", exposed["population"], "habitants", 0, "bruit_55_lden"
            )
        )
    chart = None
    for block in context["noise_blocks"]:
        impacts = block["impacts"]
        if block["source"] == "road":
            lden = block["tables"][0]
            chart = PanelChart(
                f"Population par bande de bruit routier ({lden['label']})",
                tuple(row["label"] for row in lden["rows"]),
                tuple(round(row["population"], 1) for row in lden["rows"]),
                x_label="Bande de bruit",
                y_label="Population",
                unit="habitants",
            )
        if "not_applicable" in impacts:
            continue
        figures.append(
            Figure(
                f"Personnes fortement gênées ({block['label']})",
                impacts["highly_annoyed"],
                "personnes",
                0,
                f"fortement_genees_{block['source']}",
            )
        )
        if block["source"] == "road":
            figures.append(
                Figure(
                    "Cardiopathie ischémique : cas attribuables par an (route)",
                    impacts["ihd_attributable_cases"],
                    "cas par an",
                    2,
                    "cardiopathie_route",
                )
            )
    for air in context["air_rows"]:
        figures.append(
            Figure(
                f"Décès attribuables par an ({POLLUTANT_LABELS[air['pollutant']]})",
                air["attributable_deaths"],
                "décès par an",
                1,
                f"deces_{air['pollutant']}",
            )
        )
    checked = context["last_checked"]
    return PanelData(
        figures=figures,
        source=_source(result),
        as_of=date.fromisoformat(checked[:10]) if checked else result.computed_at.date(),
        link=reverse("estimaction:territory", kwargs={"level": result.level, "code": result.code}),
        chart=chart,
        note="Impacts potentiels avec les paramètres par défaut du service (Santé publique France 2021, seuils OMS).",
    )


register_panel(
    TerritoryPanel(
        service="estimaction",
        title="Estim'Action : bruit, air et santé",
        levels=("commune", "epci", "departement"),
        figures=territory_figures,
    )
)
