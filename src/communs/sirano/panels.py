"""SIRANo's panel on the territory page: research projects run by the establishments of the territory.

Public fields only (identifier, acronym, title, establishment, amount awarded), so every visitor sees it.
"""

from decimal import Decimal

from django.db.models import Count, Max, Sum
from django.urls import reverse

from communs.territoires.panels import Figure, PanelData, TerritoryPanel, TerritoryRef, register_panel

LISTED = 10


def panel_figures(territory: TerritoryRef, user) -> PanelData | None:
    from communs.sirano.selectors import territory_projects

    projects = territory_projects(territory.level, territory.code)
    totals = projects.aggregate(n=Count("pk"), award=Sum("award_cents"), last=Max("year"))
    if not totals["n"]:
        return None
    listed = list(
        projects.select_related("establishment")
        .order_by("-award_cents")[:LISTED]
        .values("identifier", "acronym", "title", "establishment__name", "award_cents", "year")
    )
    return PanelData(
        figures=[
            Figure("Projets de recherche financés", totals["n"], key="projets"),
            Figure("Montant attribué", Decimal(totals["award"]) / 100, unit="€", decimals=0, key="montant_attribue"),
        ],
        source="SIRANo, projets des programmes de recherche de la DGOS",
        as_of=None,
        link=reverse("sirano:projets"),
        extra={"projects": listed, "campaign": totals["last"]},
    )


def register() -> None:
    register_panel(
        TerritoryPanel(
            service="sirano",
            title="Recherche en santé financée",
            levels=("commune", "departement", "region"),
            figures=panel_figures,
            template="sirano/_territory_panel.html",
        )
    )
